"""Views refreshed on every status of a row re-parse only what changed (ui/text_views.py), and
a themed widget is re-polished only when its stylesheet changes (palette.themed_style)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTextBrowser

from whats91_desktop.ui.palette import themed_style
from whats91_desktop.ui.text_views import show_html, show_plain


def test_the_same_text_is_not_set_again_and_a_new_one_is(qtbot: Any) -> None:
    summary, raw = QTextBrowser(), QPlainTextEdit()
    qtbot.addWidget(summary)
    qtbot.addWidget(raw)
    changes: list[str] = []
    summary.textChanged.connect(lambda: changes.append("summary"))
    raw.textChanged.connect(lambda: changes.append("raw"))
    for _ in range(3):
        show_html(summary, "<p><b>accepted</b></p>")
        show_plain(raw, "POST /chat")
    assert changes == ["summary", "raw"]
    show_html(summary, "<p><b>read</b></p>")
    show_plain(raw, "")
    assert changes == ["summary", "raw", "summary", "raw"]
    assert summary.toPlainText() == "read"
    assert raw.toPlainText() == ""


class CountingLabel(QLabel):
    """Counts the stylesheets set on it (each one re-polishes the widget in Qt)."""

    def __init__(self) -> None:
        super().__init__("+91 98123 45678")
        self.sheets: list[str] = []

    def setStyleSheet(self, sheet: str) -> None:
        self.sheets.append(sheet)
        super().setStyleSheet(sheet)


def test_an_unchanged_themed_stylesheet_is_not_set_again(qtbot: Any) -> None:
    label = CountingLabel()
    qtbot.addWidget(label)
    for _ in range(3):
        themed_style(label, "color: $muted;")
    assert len(label.sheets) == 1
    themed_style(label, "color: $problem;")
    themed_style(label, "")
    assert len(label.sheets) == 3
    assert label.sheets[1].startswith("color: #")
    assert label.styleSheet() == ""
