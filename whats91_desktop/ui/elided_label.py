"""A label that keeps its place: a fixed number of lines, word-wrapped, the overflow elided.

Messages that come and go while the user types (a problem under a field, the reason beside
Send, a recipient check) must not move the fields around them. A plain ``QLabel`` grows
with its text — and a word-wrapped one asks its layout for height it may not get, so it is
clipped instead. :class:`ElidedLabel` reserves ``lines`` lines whether it says anything or
not, takes its width from the layout (never from its text), wraps within it and ends the
last line with "…" when more remains; ``text()``, the tooltip and the accessible
description keep the whole text.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QTextLayout
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class ElidedLabel(QLabel):
    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        lines: int = 1,
        elide: Qt.TextElideMode = Qt.TextElideMode.ElideRight,
    ) -> None:
        """``elide``: where the cut goes (the middle, for an address whose end matters)."""
        super().__init__(parent)
        self._lines = lines
        self._elide = elide
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(False)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._fix_height()

    def set_full_text(self, text: str, tooltip: str | None = None) -> None:
        """Show ``text`` (as much as fits); the tooltip says all of it, or ``tooltip``."""
        self.setText(text)
        self.setToolTip(text if tooltip is None else tooltip)
        self.setAccessibleDescription(" ".join(text.split()))

    def displayed_lines(self) -> list[str]:
        """What is painted at the current width, line by line (the last one elided if need be)."""
        width = max(self.contentsRect().width(), 1)
        wrapped: list[str] = []
        for paragraph in self.text().split("\n"):
            layout = QTextLayout(paragraph, self.font())
            layout.beginLayout()
            while True:
                line = layout.createLine()
                if not line.isValid():
                    break
                line.setLineWidth(width)
                wrapped.append(paragraph[line.textStart() : line.textStart() + line.textLength()].strip())
            layout.endLayout()
        if len(wrapped) <= self._lines:
            return wrapped
        rest = " ".join(part for part in wrapped[self._lines - 1 :] if part)
        last = self.fontMetrics().elidedText(rest, self._elide, width)
        return [*wrapped[: self._lines - 1], last]

    def is_elided(self) -> bool:
        """True when some of the text does not show (it is in the tooltip)."""
        shown = " ".join(self.displayed_lines()).split()
        return shown != self.text().split()

    def _fix_height(self) -> None:
        margins = self.contentsMargins()
        text_height = self.fontMetrics().lineSpacing() * self._lines
        self.setFixedHeight(text_height + margins.top() + margins.bottom() + 2)

    def sizeHint(self) -> QSize:
        return QSize(min(super().sizeHint().width(), 240), self.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self.height())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # a style sheet's font arrives as one too
            self._fix_height()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        rect = self.contentsRect()
        spacing = self.fontMetrics().lineSpacing()
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for index, line in enumerate(self.displayed_lines()):
            row = rect.adjusted(0, index * spacing, 0, 0)
            row.setHeight(spacing)
            painter.drawText(row, flags, line)
