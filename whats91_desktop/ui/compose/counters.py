"""Text fields that show ``n/limit`` and turn it red past the limit.

The field never truncates (``maxLength`` stays unset): silently cutting a pasted text
loses data, while a red counter plus an inline problem tells the user what to shorten.
The counter lives inside the field's frame (a text margin), so a counted field takes
no more room than a plain one, and the count is mirrored in the accessible description
for screen readers.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QWidget

from whats91_desktop.ui.palette import themed_style


def count_chars(text: str) -> int:
    """How the limits count: Python characters, as core/validation does."""
    return len(text)


class CounterLabel(QLabel):
    """Small grey ``n/limit``; red and bold once ``n > limit``."""

    def __init__(self, limit: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.limit = limit
        self.over = False
        font = self.font()
        font.setPointSizeF(max(font.pointSizeF() - 1.5, 7.0))
        self.setFont(font)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.set_count(0)

    def set_count(self, count: int) -> None:
        self.over = count > self.limit
        self.setText(f"{count}/{self.limit}")
        role = "problem" if self.over else "hint"
        weight = "bold" if self.over else "normal"
        themed_style(self, f"color: ${role}; font-weight: {weight}; background: transparent;")
        self.adjustSize()


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
        width = self.counter.sizeHint().width()
        self.setTextMargins(0, 0, width + 4, 0)
        self.counter.resize(width, self.height())
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
        hint = self.counter.sizeHint()
        strip = hint.height() + 2
        if self.viewportMargins().bottom() != strip:
            self.setViewportMargins(0, 0, 0, strip)
        viewport = self.viewport().geometry()
        self.counter.resize(hint.width(), strip)
        self.counter.move(viewport.right() - hint.width() - 4, viewport.bottom() + 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_counter()
