"""Help: keyboard shortcuts listed from the real actions, the diagnostic bundle, About."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog

from whats91_desktop.ui.main_window import MainWindow
from whats91_desktop.ui.shortcuts_dialog import shortcut_rows


def test_the_shortcut_list_is_read_from_the_window(window: MainWindow) -> None:
    rows = {what: keys for keys, what, _where in shortcut_rows(window)}
    assert rows["Preferences"] == "Ctrl+,"
    assert rows["Quit"] == "Ctrl+Q"
    assert "Ctrl+F" in rows["Search the message log"]
    assert rows["Show the Messages room"] == "Ctrl+1"
    # a new action appears without anyone editing a list
    extra = QAction("Frobnicate", window)
    extra.setShortcut(QKeySequence("Ctrl+Alt+F"))
    assert ("Ctrl+Alt+F", "Frobnicate", "Anywhere in the window") in shortcut_rows(window)
    assert "Send" not in rows  # the menu label's key is the QShortcut's, listed once


def test_the_shortcuts_dialog_shows_every_row(window: MainWindow) -> None:
    dialog = window.show_shortcuts()
    assert dialog.table.rowCount() == len(shortcut_rows(window))
    dialog.close()


def test_ctrl_number_switches_rooms(window: MainWindow, qtbot: Any) -> None:
    titles = [pane.pane_title for pane in window.panes.panes()]
    qtbot.keyClick(window, "2", modifier=window_modifier())
    assert window.panes.stack.currentIndex() == 1
    assert titles[1] != titles[0]


def window_modifier() -> Any:
    from PySide6.QtCore import Qt

    return Qt.KeyboardModifier.ControlModifier


def test_save_diagnostic_bundle_writes_in_the_background(
    window: MainWindow, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, messages: Any
) -> None:
    target = tmp_path / "diag.zip"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), ""))
    window.findChild(QAction, "diagnosticsAction").trigger()
    qtbot.waitUntil(target.exists, timeout=5000)
    with zipfile.ZipFile(target) as bundle:
        assert "about.json" in bundle.namelist()
    qtbot.waitUntil(lambda: any("Diagnostic bundle saved" in m for m in messages.texts()), timeout=3000)


def test_about_shows_versions_and_paths(window: MainWindow) -> None:
    box = window.show_about()
    text = box.text()
    assert "httpx" in text
    assert str(window.desk.services.paths.settings_file) in text
    box.close()
