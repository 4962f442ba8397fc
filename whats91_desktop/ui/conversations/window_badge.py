"""The 24-hour window as an icon beside its text: a shape per state, so colour is never alone.

Open is a filled circle, closing soon an hourglass-like half circle, closed a circle crossed
out, unknown a question mark in a dashed circle. The colours (the palette's ok, caution, problem
and inactive roles, so the dark scheme has its own) only add
to shapes a colour-blind reader tells apart, and the text ("open · 5 h 12 min left", "closes in
9 min", "closed 3 h ago", "unknown") always sits beside the icon.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPen, QPixmap

from whats91_desktop.core.service_window import SOON, ServiceWindow
from whats91_desktop.ui.palette import colour


class WindowState(enum.Enum):
    OPEN = "open"
    CLOSING = "closing"
    CLOSED = "closed"
    UNKNOWN = "unknown"


_ROLES = {
    WindowState.OPEN: "ok",
    WindowState.CLOSING: "caution",
    WindowState.CLOSED: "problem",
    WindowState.UNKNOWN: "inactive",
}


def state_of(window: ServiceWindow, now: dt.datetime) -> WindowState:
    if window.open is None:
        return WindowState.UNKNOWN
    if not window.open:
        return WindowState.CLOSED
    if window.closes_at is not None and window.closes_at - now < SOON:
        return WindowState.CLOSING
    return WindowState.OPEN


def window_icon(state: WindowState, size: int = 16) -> QIcon:
    """The state's icon in the palette's colour for it (light or dark scheme)."""
    return _drawn(state, size, colour(_ROLES[state]))


@functools.cache
def _drawn(state: WindowState, size: int, hex_colour: str) -> QIcon:
    """Drawn once per state, size and colour."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    ink = QColor(hex_colour)
    pen = QPen(ink, max(size / 8, 1.5))
    painter.setPen(pen)
    box = QRectF(1.5, 1.5, size - 3.0, size - 3.0)
    if state is WindowState.OPEN:
        painter.setBrush(ink)
        painter.drawEllipse(box)
    elif state is WindowState.CLOSING:
        painter.drawEllipse(box)
        painter.setBrush(ink)
        painter.drawPie(box, 90 * 16, 180 * 16)  # the left half filled: half the time is gone
    elif state is WindowState.CLOSED:
        painter.drawEllipse(box)
        painter.drawLine(QPointF(box.left() + 2, box.bottom() - 2), QPointF(box.right() - 2, box.top() + 2))
    else:
        pen.setStyle(Qt.PenStyle.DotLine)
        painter.setPen(pen)
        painter.drawEllipse(box)
        font = QFont()
        font.setPixelSize(int(size * 0.7))
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, "?")
    painter.end()
    return QIcon(pixmap)
