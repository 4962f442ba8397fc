"""The translation pipeline end to end: .ts → committed .qm → translator → a real widget."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLocale, QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QComboBox, QPushButton

from tests.ui.conftest import open_window, run_on_loop
from whats91_desktop.core.settings import with_preferences
from whats91_desktop.services.container import DesktopServices
from whats91_desktop.ui.i18n import tr
from whats91_desktop.ui.i18n.translator import (
    Translations,
    available_languages,
    catalogue_dir,
    resolve_language,
)
from whats91_desktop.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def spanish(context: DesktopServices) -> DesktopServices:
    settings = context.services.settings
    settings.save(with_preferences(settings.current, language="es"))  # adopted at once
    return context


@pytest.fixture
def spanish_window(qtbot: Any, spanish: DesktopServices) -> Iterator[MainWindow]:
    win = open_window(qtbot, spanish)
    yield win
    win.appearance.translations.use("en")
    win.close()
    run_on_loop(qtbot, win.shutdown())


def test_spanish_ships_and_system_locale_picks_it() -> None:
    assert "es" in available_languages()
    assert resolve_language("system", QLocale("es_MX")) == "es"
    assert resolve_language("system", QLocale("ja_JP")) == "en"
    assert resolve_language("es") == "es"


def test_the_window_speaks_spanish(spanish_window: MainWindow) -> None:
    assert spanish_window.compose.send_button.text() == "&Enviar"
    assert spanish_window.compose.tabs.tabText(0) == "Texto"
    file_menu = spanish_window.menuBar().actions()[0]
    assert file_menu.text() == "&Archivo"
    preferences = spanish_window.findChild(QAction, "preferencesAction")
    assert preferences is not None
    assert preferences.text() == "&Preferencias…"
    dialog = spanish_window.open_preferences()
    assert dialog.windowTitle() == "Preferencias"
    assert dialog.editors["theme"].widget.toolTip().startswith("Colores claros u oscuros")
    dialog.close()


def test_the_log_conversations_and_bulk_rooms_speak_spanish(spanish_window: MainWindow) -> None:
    header = spanish_window.log_pane.model.headerData(0, Qt.Orientation.Horizontal)
    assert header == "Hora"
    spanish_window.panes.panes()  # every room built, even one still waiting for its turn
    status = spanish_window.findChild(QComboBox, "conversationStatusCombo")
    assert status is not None
    assert status.itemText(0) == "Todas las conversaciones"
    new_bulk = spanish_window.findChild(QPushButton, "bulkNewButton")
    assert new_bulk is not None
    assert new_bulk.text() == "Nuevo envío masivo"


def test_english_again_after_switching_back(qtbot: Any) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    owner = QAction()
    translations = Translations(app, owner)
    assert translations.use("es") == "es"
    assert tr("Preferences") == "Preferencias"
    translations.use("en")
    assert tr("Preferences") == "Preferences"


def test_the_committed_qm_is_compiled_from_the_ts(tmp_path: Path) -> None:
    """The .qm is committed (a wheel builds without Qt tools): it must match its source."""
    for ts in (ROOT / "resources" / "translations").glob("*.ts"):
        fresh = tmp_path / (ts.stem + ".qm")
        lrelease = Path(sys.executable).parent / "pyside6-lrelease"
        subprocess.run([str(lrelease), "-silent", str(ts), "-qm", str(fresh)], check=True)
        assert (catalogue_dir() / fresh.name).read_bytes() == fresh.read_bytes(), (
            "run scripts/translations.py compile"
        )


def test_right_to_left_mirrors_the_window(qtbot: Any, context: DesktopServices) -> None:
    """An Arabic or Hebrew UI is laid out right to left: the Send button moves to the left edge."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    win = open_window(qtbot, context)
    try:
        compose = win.compose

        def send_x() -> int:
            return compose.send_button.mapTo(compose, QPoint(0, 0)).x()

        left_to_right = send_x()
        app.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        qtbot.waitUntil(lambda: send_x() < compose.width() // 2)
        assert send_x() < left_to_right
        assert win.isRightToLeft()
    finally:
        app.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        win.close()
        run_on_loop(qtbot, win.shutdown())
