"""A thread as chat bubbles: the contact's on the left, ours on the right, oldest at the top.

A list view over a model of the thread's messages, whose delegate paints each bubble: the
message (``bubbles.body_text``), its local time and, for ours, the ticks in words; a failed one
says why beneath, in the log's words, inside a red border. Painted rather than one widget per
message, so a thread of 1,000 messages opens as fast as one of ten, and a new message is one
row inserted, not a rebuild. Text is drawn as plain text: a customer's ``<b>`` stays ``<b>``.
A refresh keeps the reader at the bottom if they were there, and never jumps while they read
older messages. Ctrl+C (or the context menu) copies the selected messages' text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QKeySequence,
    QPainter,
    QPen,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from whats91_desktop.core.conversations import ThreadMessage
from whats91_desktop.ui.conversations.bubbles import body_text, failure_text, ticks
from whats91_desktop.ui.conversations.list_model import local_time
from whats91_desktop.ui.i18n import tr
from whats91_desktop.ui.palette import colour, themed_style

BodyRole = Qt.ItemDataRole.UserRole + 1
MetaRole = Qt.ItemDataRole.UserRole + 2
FailureRole = Qt.ItemDataRole.UserRole + 3
OutboundRole = Qt.ItemDataRole.UserRole + 4
CellRole = Qt.ItemDataRole.UserRole + 5
"""``(body, meta, failure, outbound)`` in one call: what the delegate measures and paints."""

PAD = 9
"""Inside a bubble, around its text."""
GAP = 4
"""Between bubbles, and between a bubble and the view's edge (times two)."""
_Index = QModelIndex | QPersistentModelIndex
_Cell = tuple[str, str, str | None, bool]


class ThreadModel(QAbstractListModel):
    def __init__(self) -> None:
        super().__init__()
        self.messages: tuple[ThreadMessage, ...] = ()
        self._now = dt.datetime.now(dt.UTC)
        self._cells: list[_Cell] = []

    def set_messages(self, messages: Sequence[ThreadMessage], now: dt.datetime) -> bool:
        """Show ``messages``; only the new ones are inserted when the thread grew at its end.
        False when nothing changed."""
        shown = tuple(messages)
        if shown == self.messages:
            return False
        self._now = now
        old = self.messages
        if old and shown[: len(old)] == old:
            self.beginInsertRows(QModelIndex(), len(old), len(shown) - 1)
            self.messages = shown
            self._cells.extend(self._cell(m) for m in shown[len(old) :])
            self.endInsertRows()
            return True
        self.beginResetModel()
        self.messages = shown
        self._cells = [self._cell(m) for m in shown]
        self.endResetModel()
        return True

    def _cell(self, message: ThreadMessage) -> _Cell:
        meta = " · ".join(p for p in (local_time(message.timestamp, self._now), ticks(message)) if p)
        return body_text(message), meta, failure_text(message), message.direction == "outbound"

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default argument
        return 0 if parent.isValid() else len(self.messages)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.messages):
            return None
        cell = body, meta, failure, outbound = self._cells[index.row()]
        if role == CellRole:
            return cell
        if role in (Qt.ItemDataRole.DisplayRole, BodyRole):
            return body
        if role == MetaRole:
            return meta
        if role == FailureRole:
            return failure
        if role == OutboundRole:
            return outbound
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            who = "You" if outbound else "Contact"
            return f"{who}: {body}; {meta}" + (f"; {failure}" if failure else "")
        return None


class _Layout:
    """Where a bubble's parts go for a given width of the view."""

    def __init__(self, option: QStyleOptionViewItem, cell: _Cell, view_width: int) -> None:
        self.body, self.meta, self.failure, self.outbound = cell
        self.font = QFont(option.font)
        self.small = QFont(option.font)
        self.small.setPointSizeF(max(self.font.pointSizeF() * 0.85, 7.0))
        widest = max(int(view_width * 0.75), 240) - 2 * PAD
        wrap = int(Qt.TextFlag.TextWordWrap)
        big, small = QFontMetrics(self.font), QFontMetrics(self.small)
        self.body_rect = big.boundingRect(QRect(0, 0, widest, 100_000), wrap, self.body)
        self.meta_rect = small.boundingRect(QRect(0, 0, widest, 1000), wrap, self.meta)
        self.failure_rect = (
            big.boundingRect(QRect(0, 0, widest, 100_000), wrap, self.failure) if self.failure else QRect()
        )
        inner = max(self.body_rect.width(), self.meta_rect.width(), self.failure_rect.width())
        self.width = min(inner, widest) + 2 * PAD
        self.height = (
            self.body_rect.height()
            + self.meta_rect.height()
            + (self.failure_rect.height() + 4 if self.failure else 0)
            + 2 * PAD
        )


class BubbleDelegate(QStyledItemDelegate):
    """Paints bubbles; each one's layout is measured once per text and width, since the view asks
    every row's size again whenever a row is added."""

    CACHE_SIZE = 4000

    def __init__(self, view: ThreadView) -> None:
        super().__init__(view)
        self._view = view
        self._layouts: dict[tuple[Any, ...], _Layout] = {}

    def _layout(self, option: QStyleOptionViewItem, index: _Index, width: int) -> _Layout:
        cell: _Cell = index.data(CellRole)
        key = (cell, width)
        found = self._layouts.get(key)
        if found is None:
            if len(self._layouts) >= self.CACHE_SIZE:
                self._layouts.clear()
            found = self._layouts[key] = _Layout(option, cell, width)
        return found

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        width = self._view.viewport().width()
        return QSize(width - 2 * GAP, self._layout(option, index, width).height + 2 * GAP)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        area: QRect = option.rect
        layout = self._layout(option, index, self._view.viewport().width())
        left = area.right() - GAP * 2 - layout.width if layout.outbound else area.left() + GAP * 2
        bubble = QRect(left, area.top() + GAP, layout.width, layout.height)
        # The palette's roles, read at each paint: a switch to the dark scheme redraws them.
        fill = colour("bubble" if layout.outbound else "bubble_button")
        border = colour("problem" if layout.failure else "border")
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(QColor(border), 2 if layout.failure or selected else 1)
        if selected:
            pen.setColor(option.palette.highlight().color())
        painter.setPen(pen)
        painter.setBrush(QColor(fill))
        painter.drawRoundedRect(bubble, 8, 8)
        x, y = bubble.left() + PAD, bubble.top() + PAD
        wrap = int(Qt.TextFlag.TextWordWrap)
        painter.setFont(layout.font)
        painter.setPen(QColor(colour("bubble_text")))
        painter.drawText(QRect(x, y, layout.width - 2 * PAD, layout.body_rect.height()), wrap, layout.body)
        y += layout.body_rect.height()
        painter.setFont(layout.small)
        painter.setPen(QColor(colour("bubble_meta")))
        meta_box = QRect(x, y, layout.width - 2 * PAD, layout.meta_rect.height())
        painter.drawText(meta_box, wrap | int(Qt.AlignmentFlag.AlignRight), layout.meta)
        if layout.failure:
            y += layout.meta_rect.height() + 4
            painter.setFont(layout.font)
            painter.setPen(QColor(colour("problem")))
            box = QRect(x, y, layout.width - 2 * PAD, layout.failure_rect.height())
            painter.drawText(box, wrap, layout.failure)
        painter.restore()


class ThreadView(QListView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("threadView")
        self.setAccessibleName(tr("Conversation thread"))
        themed_style(self, "QListView#threadView { background: $chat; }")
        self.thread_model = ThreadModel()
        self.setModel(self.thread_model)
        self.setItemDelegate(BubbleDelegate(self))
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Always there, so the width (and every bubble's measured layout) stays put as a thread grows.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._on_context_menu)
        copy = QShortcut(QKeySequence.StandardKey.Copy, self)
        copy.setContext(Qt.ShortcutContext.WidgetShortcut)
        copy.activated.connect(self.copy_selected)
        self.placeholder = ""

    def show_placeholder(self, text: str) -> None:
        """No thread to show (none chosen, or none read yet): say so instead."""
        self.thread_model.set_messages((), dt.datetime.now(dt.UTC))
        self.placeholder = text
        self.viewport().update()

    def set_messages(self, messages: Sequence[ThreadMessage], now: dt.datetime) -> None:
        bar = self.verticalScrollBar()
        at_bottom = not self.thread_model.messages or bar.value() >= bar.maximum() - 4
        if not self.thread_model.set_messages(messages, now):
            return
        self.placeholder = "" if messages else "No messages in this conversation yet."
        if at_bottom:
            QTimer.singleShot(0, self.scrollToBottom)

    def texts(self) -> list[str]:
        """Each bubble's text, oldest first (what a reader sees, for tests and automation)."""
        return [
            str(self.thread_model.index(row).data(BodyRole)) for row in range(self.thread_model.rowCount())
        ]

    def copy_selected(self) -> None:
        rows = sorted(index.row() for index in self.selectedIndexes())
        text = "\n".join(str(self.thread_model.index(row).data(BodyRole)) for row in rows)
        clipboard = QGuiApplication.clipboard()
        if text and clipboard is not None:
            clipboard.setText(text)

    def paintEvent(self, event: Any) -> None:
        super().paintEvent(event)
        if self.placeholder and not self.thread_model.rowCount():
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(self.viewport().rect(), int(Qt.AlignmentFlag.AlignCenter), self.placeholder)
            painter.end()

    def _on_context_menu(self, position: Any) -> None:
        if not self.selectedIndexes():
            return
        menu = QMenu(self)
        menu.addAction(tr("Copy text"), self.copy_selected)
        menu.exec(self.viewport().mapToGlobal(position))
