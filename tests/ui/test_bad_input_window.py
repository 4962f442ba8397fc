"""The bad-input matrix through the main window: Send stays disabled, the problem is shown, nothing is sent.

The same cases as ``tests/e2e/test_bad_input_matrix.py``, typed into the window on the sandbox.
A send attempt (Ctrl+Enter's path, ``trigger_send``) reveals the problems of untouched fields,
so each case also proves the attempt is refused without a request.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QPushButton

from tests.helpers.unreadable import make_unreadable
from whats91_desktop.sandbox.constants import NORMAL_RECIPIENT
from whats91_desktop.ui.compose.problems import ProblemLabel
from whats91_desktop.ui.main_window import MainWindow

TO = NORMAL_RECIPIENT


def _meta(value: Any) -> str:
    return json.dumps(value)


def _interactive(kind: str, action: dict[str, Any]) -> str:
    return _meta(
        {
            "messaging_product": "whatsapp",
            "to": TO,
            "type": "interactive",
            "interactive": {"type": kind, "body": {"text": "Pick one"}, "action": action},
        }
    )


def _buttons(titles: list[str]) -> str:
    return _interactive(
        "button",
        {"buttons": [{"type": "reply", "reply": {"id": f"b{i}", "title": t}} for i, t in enumerate(titles)]},
    )


def _rows(count: int) -> str:
    rows = [{"id": f"r{i}", "title": f"Row {i}"} for i in range(count)]
    return _interactive("list", {"button": "Choose", "sections": [{"title": "All", "rows": rows}]})


# name: (tab, recipient, the tab's input (a text, or a file maker), a word the problem must contain)
EMPTY = "Enter the message text"  # not just "Enter": the Send tooltip says Ctrl+Enter
FileMaker = Callable[[Path], Path]
TEXT_CASES: dict[str, tuple[str, str, str]] = {
    "text-empty": (TO, "", EMPTY),
    "text-whitespace": (TO, " \t\n ", EMPTY),
    "text-zero-width": (TO, "\u200b\u200d\ufeff\u2060", EMPTY),
    "text-4097": (TO, "a" * 4097, "4096"),
    "number-malformed": ("+91 88888 ++88888", "hi", "'+'"),
    "number-too-short": ("12", "hi", "short"),
    "number-too-long": ("+9188888888889999999", "hi", "15"),
    "number-letters": ("9188888888O8", "hi", "letters"),
}
META_CASES: dict[str, tuple[str, str]] = {
    "buttons-4": (_buttons(["A", "B", "C", "D"]), "3"),
    "button-title-21": (_buttons(["x" * 21]), "20"),
    "list-rows-11": (_rows(11), "10"),
    "meta-invalid": ('{"type": "text",', "JSON"),
    "meta-huge-integer": (
        _meta({"messaging_product": "whatsapp", "to": TO})[:-1] + ', "n": ' + "9" * 5000 + "}",
        "too long",
    ),
    "meta-10000-deep": ('{"text": ' + "[" * 10_000 + "]" * 10_000 + "}", "nested"),
}


def _sparse(tmp: Path) -> Path:
    path = tmp / "big.pdf"
    with path.open("wb") as f:
        f.truncate(17 * 1024 * 1024)
    return path


def _exe(tmp: Path) -> Path:
    path = tmp / "setup.exe"
    path.write_bytes(b"MZ" + b"\0" * 30)
    return path


def _folder(tmp: Path) -> Path:
    path = tmp / "folder.pdf"
    path.mkdir()
    return path


FILE_CASES: dict[str, tuple[FileMaker, str]] = {
    "file-17mb": (_sparse, "16 MB"),
    "file-exe": (_exe, ".exe"),
    "file-missing": (lambda t: t / "gone.pdf", "not found"),
    "file-directory": (_folder, "Not a file"),
}


def shown_problems(win: MainWindow) -> str:
    labels = win.findChildren(ProblemLabel)
    texts = [m for label in labels if label.isVisibleTo(win) for m in label.messages()]
    return "\n".join([*texts, win.findChild(QPushButton, "sendButton").toolTip()])


def assert_refused(qtbot: Any, win: MainWindow, context: Any, word: str) -> None:
    button = win.findChild(QPushButton, "sendButton")
    qtbot.wait(350)  # past the validation debounce
    win.compose.trigger_send()
    qtbot.waitUntil(lambda: word.lower() in shown_problems(win).lower(), timeout=3000)
    assert not button.isEnabled()
    win.compose.trigger_send()
    qtbot.wait(50)
    assert [r for r in context.services.sandbox.state.requests if r.is_send] == []


def set_recipient(win: MainWindow, to: str) -> None:
    win.findChild(QLineEdit, "recipientEdit").setText(to)


@pytest.mark.parametrize("name", list(TEXT_CASES))
def test_bad_text_or_number_is_refused_in_the_window(
    qtbot: Any, window: MainWindow, context: Any, name: str
) -> None:
    to, text, word = TEXT_CASES[name]
    set_recipient(window, to)
    window.compose.select_tab("text")
    window.compose.findChild(QPlainTextEdit, "messageEdit").setPlainText(text)
    assert_refused(qtbot, window, context, word)


@pytest.mark.parametrize("name", list(META_CASES))
def test_bad_meta_json_is_refused_in_the_window(
    qtbot: Any, window: MainWindow, context: Any, name: str
) -> None:
    text, word = META_CASES[name]
    set_recipient(window, TO)
    window.compose.select_tab("meta")
    window.compose.findChild(QPlainTextEdit, "metaJsonEdit").setPlainText(text)
    assert_refused(qtbot, window, context, word)


def _choose_file(win: MainWindow, path: Path) -> None:
    set_recipient(win, TO)
    win.compose.select_tab("media")
    combo = win.compose.findChild(QComboBox, "mediaTypeCombo")
    combo.setCurrentIndex(combo.findData("document"))
    win.compose.findChild(QLineEdit, "mediaFileEdit").setText(str(path))


@pytest.mark.parametrize("name", list(FILE_CASES))
def test_bad_file_is_refused_in_the_window(
    qtbot: Any, window: MainWindow, context: Any, name: str, tmp_path: Path
) -> None:
    make_file, word = FILE_CASES[name]
    _choose_file(window, make_file(tmp_path))
    assert_refused(qtbot, window, context, word)


def test_an_unreadable_file_is_refused_in_the_window(
    qtbot: Any, window: MainWindow, context: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "locked.pdf"
    path.write_bytes(b"%PDF-1.4\n")
    make_unreadable(path, monkeypatch)
    try:
        _choose_file(window, path)
        assert_refused(qtbot, window, context, "Cannot read")
    finally:
        os.chmod(path, 0o600)
