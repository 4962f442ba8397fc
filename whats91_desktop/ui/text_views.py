"""Filling a read-only text view only when what it would show changed.

``setHtml`` and ``setPlainText`` parse and lay out the whole document, and a view refreshed on
every status of the row it shows (accepted, sent, delivered, read) mostly gets the text it
already has: in the window's send benchmark the log's detail summary alone took 8 % of the GUI
thread. Skipping an unchanged text also keeps the reader's scroll position and selection.

The last text set is kept on the view as a dynamic property, so every caller shares it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

_SHOWN = "_w91ShownText"


def show_html(view: QTextEdit, html: str) -> None:
    if _changed(view, "html:" + html):
        view.setHtml(html)


def show_plain(view: QTextEdit | QPlainTextEdit, text: str) -> None:
    if _changed(view, "plain:" + text):
        view.setPlainText(text)


def _changed(view: QTextEdit | QPlainTextEdit, shown: str) -> bool:
    if view.property(_SHOWN) == shown:
        return False
    view.setProperty(_SHOWN, shown)
    return True
