"""The message log as a lazy Qt table: a count, and pages fetched on demand from the store.

The view asks ``data()`` for what it paints. A row whose page is not in memory shows "…"
and schedules ONE fetch of that page on the store's worker thread; when it arrives the
page is cached (LRU, capped) and ``dataChanged`` repaints it. So a log of a million rows
costs a count and the few pages the user actually scrolls through, and the GUI thread
never waits on the disk.

Pages are indexed by their offset in the store's order (newest first); the ascending
time order is the same pages read backwards, so toggling the order fetches nothing new.
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap

from whats91_desktop.core.errors import Whats91Error
from whats91_desktop.core.meta_errors import hint_for
from whats91_desktop.core.phone import format_number
from whats91_desktop.core.store import AsyncMessageStore, LogEntry, LogQuery
from whats91_desktop.ui.tasks import TaskSet

LOADING = "…"
ROW_ID_ROLE = Qt.ItemDataRole.UserRole + 1
"""``data(index, ROW_ID_ROLE)``: the store row id of that row (``None`` while loading)."""
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2
"""``data(index, STATUS_ROLE)``: the raw display status (``read``, ``unknown``, …)."""

COLUMNS: tuple[str, ...] = (
    "Time",
    "Profile",
    "Sender",
    "Recipient",
    "Type",
    "Preview",
    "Status",
    "Message ID",
)
TIME, PROFILE, SENDER, RECIPIENT, TYPE, PREVIEW, STATUS, MESSAGE_ID = range(len(COLUMNS))

# status group -> (dot colour, the raw statuses in it). The group names are what the
# status filter offers; the raw values are what the store stores (status, else state).
STATUS_GROUPS: dict[str, tuple[str, frozenset[str]]] = {
    "Sending": ("#8a8a8a", frozenset({"sending"})),
    "Queued": ("#8e44ad", frozenset({"queued", "waiting_reconnect", "pending"})),
    "Accepted / sent": ("#2d7be5", frozenset({"accepted", "sent"})),
    "Delivered": ("#2e9e4f", frozenset({"delivered"})),
    "Read": ("#146b3a", frozenset({"read"})),
    "Failed / rejected": ("#d93025", frozenset({"failed", "rejected", "invalid"})),
    "Unknown": ("#ef8a00", frozenset({"unknown"})),
    "Unreachable": ("#a05a5a", frozenset({"unreachable"})),
}
_OTHER_COLOUR = "#8a8a8a"
_GROUP_OF: dict[str, str] = {raw: group for group, (_, raws) in STATUS_GROUPS.items() for raw in raws}


def status_group(status: str | None) -> str | None:
    """The filter group a raw status belongs to (``waiting_reconnect`` -> ``Queued``)."""
    return _GROUP_OF.get((status or "").lower())


def status_colour(status: str | None) -> str:
    group = status_group(status)
    return STATUS_GROUPS[group][0] if group else _OTHER_COLOUR


def status_label(status: str | None) -> str:
    """What the Status column says; read gets WhatsApp's double tick."""
    text = status or ""
    if text == "read":
        return "read ✓✓"
    if text == "delivered":
        return "delivered ✓✓"
    if text == "sent":
        return "sent ✓"
    if text == "waiting_reconnect":
        return "queued (waiting_reconnect)"
    return text


def local_time(ts: float | None) -> str:
    if ts is None:
        return ""
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M:%S")


@functools.lru_cache(maxsize=8192)
def display_number(digits: str | None) -> str:
    """International format for display (cached: the view asks for every visible cell often)."""
    return format_number(digits) if digits else ""


@functools.lru_cache(maxsize=32)
def _dot_icon(colour: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(QColor(colour)))
    painter.drawEllipse(1, 1, 10, 10)
    painter.end()
    return QIcon(pixmap)


def _one_line(text: str | None, limit: int = 200) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class MessageLogModel(QAbstractTableModel):
    """A read-only, lazily paged view of ``AsyncMessageStore`` for one ``LogQuery``."""

    loaded = Signal(int)
    """A (re)load finished: the new row count. The first visible page is in memory."""
    page_loaded = Signal(int)
    """A page arrived (its index in store order)."""
    load_failed = Signal(str)
    """The store could not answer; the text is safe to show."""

    def __init__(
        self,
        store: AsyncMessageStore,
        parent: QObject | None = None,
        *,
        page_size: int = 200,
        max_pages: int = 50,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._page_size = page_size
        self._max_pages = max_pages
        self._query = LogQuery()
        self._count = 0
        self._descending = True
        self._pages: OrderedDict[int, list[LogEntry]] = OrderedDict()
        self._pending: set[int] = set()
        self._failed: set[int] = set()
        self._generation = 0
        self._loading = False
        self._tasks = TaskSet()

    # ------------------------------------------------------------------ public API

    @property
    def query(self) -> LogQuery:
        return self._query

    @property
    def is_loading(self) -> bool:
        return self._loading

    @property
    def descending(self) -> bool:
        return self._descending

    def set_query(self, query: LogQuery) -> None:
        """Show the rows matching ``query``; the current rows stay visible until the new ones arrive."""
        self._query = query
        self.reload()

    def reload(self) -> None:
        """Re-count and re-read the first page of the current query (async)."""
        self._generation += 1
        self._loading = True
        self._tasks.spawn(self._load(self._generation, self._query))

    def refresh_row(self, row_id: int) -> bool:
        """Re-read one row if it is in memory; False when it is not (a new row: ``reload``)."""
        if self._locate(row_id) is None:
            return False
        self._tasks.spawn(self._refresh_row(self._generation, row_id))
        return True

    def entry_at(self, row: int) -> LogEntry | None:
        """The entry shown in ``row``, or None while its page is loading (a fetch is scheduled)."""
        if not 0 <= row < self._count:
            return None
        page, offset = divmod(self._store_index(row), self._page_size)
        rows = self._pages.get(page)
        if rows is None:
            self._request(page)
            return None
        self._pages.move_to_end(page)
        return rows[offset] if offset < len(rows) else None

    def row_of(self, row_id: int) -> int | None:
        """The view row of a store row id, if its page is in memory."""
        found = self._locate(row_id)
        if found is None:
            return None
        page, offset = found
        return self._view_row(page * self._page_size + offset)

    def cached_pages(self) -> int:
        return len(self._pages)

    def shutdown(self) -> None:
        """Cancel pending fetches (the pane is closing)."""
        self._generation += 1
        self._tasks.cancel_all()

    # ------------------------------------------------------------------ Qt model API

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        if parent is not None and parent.isValid():
            return 0
        return self._count

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        if parent is not None and parent.isValid():
            return 0
        return len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section]
            if role == Qt.ItemDataRole.ToolTipRole and section == TIME:
                return "Click to switch between newest and oldest first"
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        entry = self.entry_at(index.row())
        column = index.column()
        if entry is None:
            if role == Qt.ItemDataRole.DisplayRole:
                return LOADING
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return "loading"
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(entry, column)
        if role == ROW_ID_ROLE:
            return entry.id
        if role == STATUS_ROLE:
            return entry.display_status
        if role == Qt.ItemDataRole.DecorationRole and column == STATUS:
            return _dot_icon(status_colour(entry.display_status))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(entry, column)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Only time order is supported (the store's index); other columns are ignored."""
        if column != TIME:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if descending == self._descending:
            return
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        after = [self.index(self._count - 1 - i.row(), i.column()) for i in before]
        self._descending = descending
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    # ------------------------------------------------------------------ internals

    def _text(self, entry: LogEntry, column: int) -> str:
        if column == TIME:
            return local_time(entry.created_at)
        if column == PROFILE:
            return entry.profile
        if column == SENDER:
            return display_number(entry.sender_id)
        if column == RECIPIENT:
            return display_number(entry.recipient)
        if column == TYPE:
            return entry.kind
        if column == PREVIEW:
            return _one_line(entry.preview)
        if column == STATUS:
            return status_label(entry.display_status)
        if column == MESSAGE_ID:
            return entry.message_id or ""
        return ""

    def _tooltip(self, entry: LogEntry, column: int) -> str | None:
        if column == PREVIEW:
            return _one_line(entry.preview, 1000) or None
        if column == STATUS:
            parts = [entry.display_status]
            if entry.error_code or entry.error_message:
                parts.append(" · ".join(p for p in (entry.error_code, entry.error_message) if p))
            hint = hint_for(entry.error_code)
            if hint:
                parts.append(hint)
            if entry.state == "unknown" and not entry.status:
                parts.append("Outcome unknown: check before resending.")
            return "\n".join(parts)
        if column == MESSAGE_ID and entry.message_id:
            return entry.message_id
        return None

    def _store_index(self, row: int) -> int:
        return row if self._descending else self._count - 1 - row

    def _view_row(self, store_index: int) -> int:
        return store_index if self._descending else self._count - 1 - store_index

    def _locate(self, row_id: int) -> tuple[int, int] | None:
        for page, rows in self._pages.items():
            for offset, entry in enumerate(rows):
                if entry.id == row_id:
                    return page, offset
        return None

    def _request(self, page: int) -> None:
        if self._loading or page in self._pending or page in self._failed:
            return
        self._pending.add(page)
        self._tasks.spawn(self._fetch(self._generation, self._query, page))

    def _first_visible_page(self, count: int) -> int:
        if self._descending or count == 0:
            return 0
        return (count - 1) // self._page_size

    async def _load(self, generation: int, query: LogQuery) -> None:
        try:
            count = await self._store.count(query)
            first = self._first_visible_page(count)
            rows = await self._store.page(query, first * self._page_size, self._page_size) if count else []
        except Whats91Error as err:
            if generation == self._generation:
                self._loading = False
                self.load_failed.emit(f"The message log could not be read: {err}")
            return
        if generation != self._generation:
            return
        self.beginResetModel()
        self._count = count
        self._pages.clear()
        self._pending.clear()
        self._failed.clear()
        if count:
            self._pages[first] = rows
        self._loading = False
        self.endResetModel()
        self.loaded.emit(count)

    async def _fetch(self, generation: int, query: LogQuery, page: int) -> None:
        # Keyset paging when the page above is in memory (scrolling down): no deep OFFSET scan.
        above = self._pages.get(page - 1)
        before_id = above[-1].id if above and len(above) == self._page_size else None
        try:
            if before_id is not None:
                rows = await self._store.page(query, 0, self._page_size, before_id=before_id)
            else:
                rows = await self._store.page(query, page * self._page_size, self._page_size)
        except Whats91Error as err:
            if generation == self._generation:
                self._pending.discard(page)
                self._failed.add(page)
                self.load_failed.emit(f"The message log could not be read: {err}")
            return
        if generation != self._generation:
            return
        self._pending.discard(page)
        self._pages[page] = rows
        while len(self._pages) > self._max_pages:
            self._pages.popitem(last=False)
        self._emit_page_changed(page, len(rows))
        self.page_loaded.emit(page)

    async def _refresh_row(self, generation: int, row_id: int) -> None:
        try:
            entry = await self._store.get(row_id)
        except Whats91Error as err:
            self.load_failed.emit(f"The message log could not be read: {err}")
            return
        if generation != self._generation:
            return
        found = self._locate(row_id)
        if found is None:
            return
        if entry is None:
            self.reload()
            return
        page, offset = found
        self._pages[page][offset] = entry
        row = self._view_row(page * self._page_size + offset)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def _emit_page_changed(self, page: int, length: int) -> None:
        if not length:
            return
        start = page * self._page_size
        first, last = self._view_row(start), self._view_row(start + length - 1)
        top, bottom = min(first, last), max(first, last)
        bottom = min(bottom, self._count - 1)
        if top > bottom:
            return
        self.dataChanged.emit(self.index(top, 0), self.index(bottom, len(COLUMNS) - 1))
