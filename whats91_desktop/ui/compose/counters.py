"""Text fields that show ``n/limit`` and turn it red past the limit.

The field never truncates (``maxLength`` stays unset): silently cutting a pasted text
loses data, while a red counter plus an inline problem tells the user what to shorten.
The counter lives inside the field's frame (a text margin), so a counted field takes
no more room than a plain one, and the count is mirrored in the accessible description
for screen readers.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QWidget

from whats91_desktop.ui.palette import themed_style


def count_chars(text: str) -> int:
    """How the limits count: Python characters, as core/validation does."""
    return len(text)


class CounterLabel(QLabel):
    """Small grey ``n/limit``; red and bold once ``n > limit``.

    Its field gives it a fixed size (:meth:`fitted_width`), one that grows but never follows
    each count: a label whose size follows its text asks every layout up to the window to be
    computed again, and the window to be repainted, at each keystroke and each send (the
    field is cleared after one)."""

    def __init__(self, limit: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.limit = limit
        self.over = False
        self._width = 0
        font = self.font()
        font.setPointSizeF(max(font.pointSizeF() - 1.5, 7.0))
        self.setFont(font)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.set_count(0)
        self.text_height = self.sizeHint().height()
        """Its height for one line, taken before any fixed size (which a label's hint then follows)."""

    def set_count(self, count: int) -> None:
        self.over = count > self.limit
        self.setText(f"{count}/{self.limit}")
        role = "problem" if self.over else "hint"
        weight = "bold" if self.over else "normal"
        themed_style(self, f"color: ${role}; font-weight: {weight}; background: transparent;")

    def fitted_width(self) -> int:
        """Room for the text shown and at least for ``limit/limit`` in bold; never less than before."""
        if not self._width:
            bold = QFont(self.font())
            bold.setBold(True)
            self._width = QFontMetrics(bold).horizontalAdvance(f"{self.limit}/{self.limit}") + 4
        self._width = max(self._width, self.sizeHint().width())
        return self._width


def _describe(count: int, limit: int) -> str:
    extra = f", {count - limit} over the limit" if count > limit else ""
    return f"{count} of {limit} characters{extra}"


class CountedLineEdit(QLineEdit):
    """A ``QLineEdit`` with a trailing ``n/limit`` counter inside its frame."""

    def __init__(self, limit: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counter = CounterLabel(limit, self)
        self.counter.setObjectName("counter")
        self.textChanged.connect(self._on_text_changed)
        self._on_text_changed(self.text())

    @property
    def limit(self) -> int:
        return self.counter.limit

    def is_over(self) -> bool:
        return self.counter.over

    def _on_text_changed(self, text: str) -> None:
        count = count_chars(text)
        self.counter.set_count(count)
        self.setAccessibleDescription(_describe(count, self.limit))
        self._place_counter()

    def _place_counter(self) -> None:
        width = self.counter.fitted_width()
        if self.textMargins().right() != width + 4:
            self.setTextMargins(0, 0, width + 4, 0)
        self.counter.setFixedSize(width, self.height())
        self.counter.move(self.width() - width - 6, 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_counter()


class CountedTextEdit(QPlainTextEdit):
    """A ``QPlainTextEdit`` with an ``n/limit`` counter in a strip below the text.

    The strip is a viewport margin, so the counter never hides text.
    """

    def __init__(self, limit: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counter = CounterLabel(limit, self)
        self.counter.setObjectName("counter")
        self.setTabChangesFocus(True)
        self.textChanged.connect(self._on_text_changed)
        self.verticalScrollBar().rangeChanged.connect(lambda _lo, _hi: self._place_counter())
        self._on_text_changed()

    @property
    def limit(self) -> int:
        return self.counter.limit

    def is_over(self) -> bool:
        return self.counter.over

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:
        self.setPlainText(text)

    def _on_text_changed(self) -> None:
        count = count_chars(self.toPlainText())
        self.counter.set_count(count)
        self.setAccessibleDescription(_describe(count, self.limit))
        self._place_counter()

    def _place_counter(self) -> None:
        width = self.counter.fitted_width()
        strip = self.counter.text_height + 2
        if self.viewportMargins().bottom() != strip:
            self.setViewportMargins(0, 0, 0, strip)
        viewport = self.viewport().geometry()
        self.counter.setFixedSize(width, strip)
        self.counter.move(viewport.right() - width - 4, viewport.bottom() + 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_counter()
