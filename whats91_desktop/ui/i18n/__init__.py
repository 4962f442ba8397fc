"""Translation of the window's words: the ``tr()`` helper and the translator (``translator``).

``tr("Send")`` is ``QCoreApplication.translate("", "Send")``: one empty context for the whole
app, because that is what ``pyside6-lupdate`` records for a plain ``tr("…")`` call wherever it
stands (module level or inside a class), so extraction and lookup always agree. Plurals take
``n`` (``tr("%n message(s)", n=3)``).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def tr(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """``text`` in the language of the installed translator (``text`` itself without one)."""
    return QCoreApplication.translate("", text, disambiguation, n)
