"""The message log as a lazy Qt table: a count, and pages fetched on demand from the store.

The view asks ``data()`` for what it paints. A row whose page is not in memory shows "…"
and schedules ONE fetch of that page on the store's worker thread; when it arrives the
page is cached (LRU, capped) and ``dataChanged`` repaints it. So a log of a million rows
costs a count and the few pages the user actually scrolls through, and the GUI thread
never waits on the disk.

Pages are indexed by their offset in the store's order (newest first); the ascending
time order is the same pages read backwards, so toggling the order fetches nothing new.

A new search shows its first page as soon as that page is read, before the rows are
counted: counting a common word over a million rows takes longer than finding the newest
two hundred. Until the count arrives the model holds just that page (``loaded`` follows
with the exact count, and the rows below are added then). A newer search cancels the count
of the one before, so the store's worker is free for it at once.

Rows being sent show how long they have waited for the answer (``set_in_flight``; the pane
ticks the model once a second). Each row's time carries its profile's colour — the status
bar's SANDBOX amber or PRODUCTION red — so the two are never confused, even with the Profile
column hidden.
"""

from __future__ import annotations

import functools
import threading
import time
from collections import OrderedDict
from collections.abc import Collection, Iterable
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
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QIcon, QPainter, QPixmap

from whats91_desktop.core.errors import Whats91Error
from whats91_desktop.core.meta_errors import hint_for
from whats91_desktop.core.phone import format_number
from whats91_desktop.core.store import AsyncMessageStore, LogEntry, LogQuery, QueryCancelled
from whats91_desktop.ui.i18n import tr
from whats91_desktop.ui.palette import adapt
from whats91_desktop.ui.tasks import TaskSet

LOADING = "…"
ROW_ID_ROLE = Qt.ItemDataRole.UserRole + 1
"""``data(index, ROW_ID_ROLE)``: the store row id of that row (``None`` while loading)."""
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2
"""``data(index, STATUS_ROLE)``: the raw display status (``read``, ``unknown``, …)."""
SANDBOX_ROLE = Qt.ItemDataRole.UserRole + 3
"""``data(index, SANDBOX_ROLE)``: True for a sandbox profile's row, False for production, None
when the profile is not known (the time column paints it as a stripe)."""

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
ENVIRONMENT_COLOURS = {True: "#f5b000", False: "#c62828"}
"""A profile's colour, as on the status bar's badge: sandbox amber, production red."""
_GROUP_OF: dict[str, str] = {raw: group for group, (_, raws) in STATUS_GROUPS.items() for raw in raws}

# The roles as plain ints, looked up once: ``data()`` runs hundreds of times per repaint and
# most of the roles the view asks for (font, colours, alignment, check state) it never serves.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_SERVED_ROLES = frozenset(
    {_DISPLAY, _ACCESSIBLE, _DECORATION, _TOOLTIP, ROW_ID_ROLE, STATUS_ROLE, SANDBOX_ROLE}
)
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def status_group(status: str | None) -> str | None:
    """The filter group a raw status belongs to (``waiting_reconnect`` -> ``Queued``)."""
    return _GROUP_OF.get((status or "").lower())


def status_colour(status: str | None) -> str:
    group = status_group(status)
    return adapt(STATUS_GROUPS[group][0] if group else _OTHER_COLOUR)  # lighter on a dark window


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


ELIDED_IDS_KEPT = 4096
"""Middle-elided message ids kept for the shown width (a few screens of rows)."""

STRIPE_SIZE = (4, 14)
"""The profile stripe's width and height in pixels: thin, so it costs the time no room to speak of."""


@functools.lru_cache(maxsize=4)
def _stripe_icon(colour: str) -> QIcon:
    """The time cell's profile stripe, as its decoration: Qt draws it with the cell in one pass
    (a delegate in Python drawing it beside the text doubled the cost of painting the column)."""
    pixmap = QPixmap(*STRIPE_SIZE)
    pixmap.fill(QColor(colour))
    icon = QIcon(pixmap)
    icon.addPixmap(pixmap, QIcon.Mode.Selected)  # the profile's colour on a selected row too, not tinted
    return icon


def _one_line(text: str | None, limit: int = 200) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _cells(entry: LogEntry) -> tuple[str | None, ...]:
    """The text of each column of ``entry``'s row, in ``COLUMNS`` order; a row being sent has
    None for its Status, which counts the seconds it waits."""
    return (
        local_time(entry.created_at),
        entry.profile,
        display_number(entry.sender_id),
        display_number(entry.recipient),
        entry.kind,
        _one_line(entry.preview),
        None if entry.state == "sending" else status_label(entry.display_status),
        entry.message_id or "",
    )


def in_flight_text(started: float, read_timeout: float | None, now: float) -> str:
    """How long a send has waited for its answer, against the read timeout: "12 s of 30 s"."""
    waited = max(0, int(now - started))
    return f"{waited} s of {read_timeout:g} s" if read_timeout else f"{waited} s"


class MessageLogModel(QAbstractTableModel):
    """A read-only, lazily paged view of ``AsyncMessageStore`` for one ``LogQuery``."""

    first_page_shown = Signal(int)
    """A (re)load's first page is in the table (its length); the count may still be coming."""
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
        self._counting = False
        self._count_cancel = threading.Event()
        self._in_flight: dict[int, tuple[float, float | None]] = {}
        self._rows: dict[int, tuple[LogEntry, tuple[str | None, ...]]] = {}
        """View row -> (its entry, its cells' text), for the rows the view painted: a repaint asks
        ``data()`` hundreds of times, and each answer is then one lookup. Forgotten whenever rows
        move or change (``_forget_rows``)."""
        self._shown_query: LogQuery | None = None
        """The query whose rows the model holds (a reload of it updates them in place)."""
        self._sandbox_profiles: dict[str, bool] = {}
        self._id_room: tuple[int, QFontMetrics] | None = None
        self._elided_ids: dict[str, str] = {}
        self._tasks = TaskSet()

    # ------------------------------------------------------------------ public API

    @property
    def query(self) -> LogQuery:
        return self._query

    @property
    def is_loading(self) -> bool:
        """True until a (re)load's first page is in."""
        return self._loading

    @property
    def is_counting(self) -> bool:
        """True while the rows matching the new query are being counted (the first page is in)."""
        return self._counting

    @property
    def descending(self) -> bool:
        return self._descending

    def set_query(self, query: LogQuery) -> None:
        """Show the rows matching ``query``; the current rows stay visible until the new ones arrive."""
        self._query = query
        self.reload()

    def reload(self) -> None:
        """Re-count and re-read the first page of the current query (async).

        Reloading the query already shown (a send added a row) inserts the new rows above the
        ones shown instead of resetting the model: the selection stays, and the view repaints
        once instead of losing and rebuilding everything."""
        self._start_load(in_place=True)

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

    def set_sandbox_profiles(self, names: Iterable[str], sandbox: Collection[str]) -> None:
        """Which profiles are sandboxes (the others are production); rows of any other name get
        no mark."""
        self._sandbox_profiles = {name: name in sandbox for name in names}
        if self._count:
            self.dataChanged.emit(self.index(0, TIME), self.index(self._count - 1, TIME))

    def set_id_room(self, width: int, metrics: QFontMetrics) -> None:
        """The message id column's room for text, in pixels of ``metrics``' font: ids are shown
        elided in the middle to it (``wamid.HBgM…Ty4Qwb``: ids differ at the end).

        Elided here, once per id and width, rather than by a delegate at each repaint: a
        delegate in Python, or Qt laying out a whole 50-character id to elide it, made the
        column the costliest of the table to paint."""
        if self._id_room is not None and self._id_room[0] == width:
            return
        self._id_room = (width, metrics)
        self._elided_ids.clear()
        if self._count:
            self.dataChanged.emit(self.index(0, MESSAGE_ID), self.index(self._count - 1, MESSAGE_ID))

    def _elided_id(self, text: str) -> str:
        if self._id_room is None:
            return text
        elided = self._elided_ids.get(text)
        if elided is None:
            if len(self._elided_ids) >= ELIDED_IDS_KEPT:
                self._elided_ids.clear()
            width, metrics = self._id_room
            elided = metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, width)
            self._elided_ids[text] = elided
        return elided

    def is_sandbox_profile(self, name: str) -> bool | None:
        """True for a sandbox profile, False for a production one, None for one not known."""
        return self._sandbox_profiles.get(name)

    def set_in_flight(self, row_id: int, started: float, read_timeout: float | None) -> None:
        """Row ``row_id`` is waiting for its answer since ``started`` (``time.monotonic``)."""
        self._in_flight[row_id] = (started, read_timeout)
        self.tick()

    def end_in_flight(self, row_id: int) -> None:
        self._in_flight.pop(row_id, None)

    def in_flight_rows(self) -> frozenset[int]:
        return frozenset(self._in_flight)

    def in_flight(self, row_id: int) -> str | None:
        """While ``row_id`` waits for its answer, how long so far ("12 s of 30 s"); else None."""
        flight = self._in_flight.get(row_id)
        return in_flight_text(*flight, time.monotonic()) if flight is not None else None

    def tick(self) -> None:
        """Repaint the Status cell of every row waiting for an answer (its seconds moved on)."""
        for row_id in self._in_flight:
            row = self.row_of(row_id)
            if row is not None:
                index = self.index(row, STATUS)
                self.dataChanged.emit(index, index)

    def shutdown(self) -> None:
        """Cancel pending fetches (the pane is closing)."""
        self._generation += 1
        self._count_cancel.set()
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
                return tr(COLUMNS[section])
            if role == Qt.ItemDataRole.ToolTipRole and section == TIME:
                return tr("Click to switch between newest and oldest first")
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY) -> Any:
        if role not in _SERVED_ROLES:
            return None
        row = self._rows.get(index.row())
        if row is None:
            if not index.isValid():
                return None
            found = self.entry_at(index.row())
            if found is None:
                if role == _DISPLAY:
                    return LOADING
                return "loading" if role == _ACCESSIBLE else None
            row = self._remember(index.row(), found)
        entry, cells = row
        column = index.column()
        if role in (_DISPLAY, _ACCESSIBLE):
            text = cells[column]
            if text is None:
                return self._sending_text(entry)
            return self._elided_id(text) if column == MESSAGE_ID and role == _DISPLAY else text
        if role == ROW_ID_ROLE:
            return entry.id
        if role == STATUS_ROLE:
            return entry.display_status
        if role == _DECORATION:
            if column == STATUS:
                return _dot_icon(status_colour(entry.display_status))
            if column == TIME:
                sandbox = self._sandbox_profiles.get(entry.profile)
                return None if sandbox is None else _stripe_icon(ENVIRONMENT_COLOURS[sandbox])
            return None
        if role == SANDBOX_ROLE:
            return self._sandbox_profiles.get(entry.profile)
        return self._tooltip(entry, column)

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
        self._forget_rows()
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    # ------------------------------------------------------------------ internals

    def _remember(self, row: int, entry: LogEntry) -> tuple[LogEntry, tuple[str | None, ...]]:
        if len(self._rows) >= 4 * self._page_size:
            self._rows.clear()  # rows scrolled past long ago; the visible ones come back
        remembered = (entry, _cells(entry))
        self._rows[row] = remembered
        return remembered

    def _forget_rows(self) -> None:
        self._rows.clear()

    def _sending_text(self, entry: LogEntry) -> str:
        """The Status text of a row being sent: how long it has waited, asked for at each paint."""
        waiting = self.in_flight(entry.id)
        return f"sending… {waiting}" if waiting else status_label(entry.display_status)

    def _tooltip(self, entry: LogEntry, column: int) -> str | None:
        if column == TIME:
            sandbox = self.is_sandbox_profile(entry.profile)
            kind = "" if sandbox is None else (" (SANDBOX)" if sandbox else " (PRODUCTION)")
            return f"Sent through “{entry.profile}”{kind}"
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

    def _start_load(self, *, in_place: bool) -> None:
        self._generation += 1
        self._loading = True
        self._count_cancel.set()  # the previous load's count, if it is still running
        self._count_cancel = threading.Event()
        self._tasks.spawn(self._load(self._generation, self._query, self._count_cancel, in_place=in_place))

    async def _load(
        self, generation: int, query: LogQuery, cancel: threading.Event, *, in_place: bool
    ) -> None:
        try:
            if self._descending:
                # Newest first: the first page does not depend on the count, so show it first.
                rows = await self._store.page(query, 0, self._page_size)
                if generation != self._generation:
                    return
                complete = len(rows) < self._page_size
                if not (in_place and query == self._shown_query and self._prepend(rows)):
                    self._reset(rows, len(rows), 0, counting=not complete)
                if not complete:
                    count = await self._store.count(query, cancel=cancel)
                    if generation != self._generation or not self._grow(count):
                        return
            else:
                count = await self._store.count(query, cancel=cancel)
                first = self._first_visible_page(count)
                offset = first * self._page_size
                rows = await self._store.page(query, offset, self._page_size) if count else []
                if generation != self._generation:
                    return
                self._reset(rows, count, first, counting=False)
        except QueryCancelled:
            return  # a newer load took over
        except Whats91Error as err:
            if generation == self._generation:
                self._loading = self._counting = False
                self.load_failed.emit(f"The message log could not be read: {err}")
            return
        self.loaded.emit(self._count)

    def _reset(self, rows: list[LogEntry], count: int, first: int, *, counting: bool) -> None:
        self.beginResetModel()
        self._shown_query = self._query
        self._count = count
        self._pages.clear()
        self._pending.clear()
        self._failed.clear()
        self._forget_rows()
        if count:
            self._pages[first] = rows
        self._loading = False
        self._counting = counting
        self.endResetModel()
        self.first_page_shown.emit(len(rows))

    def _prepend(self, rows: list[LogEntry]) -> bool:
        """A reload's newest page over the one shown: when it is the shown rows with new ones
        above, the new ones are inserted and the changed ones repainted, and True. False when
        the rows do not line up (some left the query or were deleted): the caller resets.

        The other cached pages are dropped (their offsets moved by the rows inserted, and they
        may be stale): the view fetches whichever of them it shows again."""
        old = self._pages.get(0)
        if not old:
            return False
        added = next((i for i, entry in enumerate(rows) if entry.id == old[0].id), None)
        if added is None:
            return False
        kept = rows[added:]
        if [e.id for e in kept] != [e.id for e in old[: len(kept)]]:
            return False
        if len(rows) < self._page_size and len(rows) != self._count + added:
            return False  # the whole query fits in the page, yet rows below it are gone
        changed = [added + i for i, entry in enumerate(kept) if entry != old[i]]
        dropped = len(self._pages) > 1
        if added:
            self.beginInsertRows(QModelIndex(), 0, added - 1)
        self._count += added
        self._pages = OrderedDict({0: rows})
        self._forget_rows()
        self._pending.clear()
        self._failed.clear()
        self._loading = self._counting = False
        if added:
            self.endInsertRows()
        if changed:
            self.dataChanged.emit(self.index(min(changed), 0), self.index(max(changed), len(COLUMNS) - 1))
        if dropped and self._count > len(rows):
            self.dataChanged.emit(self.index(len(rows), 0), self.index(self._count - 1, len(COLUMNS) - 1))
        self.first_page_shown.emit(len(rows))
        return True

    def _grow(self, count: int) -> bool:
        """The exact count after the first page: the rows below it join the table. False when
        rows were deleted meanwhile (fewer than the page): the model loads again, from scratch."""
        self._counting = False
        if count < self._count:
            self._start_load(in_place=False)
            return False
        if count > self._count:
            self.beginInsertRows(QModelIndex(), self._count, count - 1)
            self._count = count
            self.endInsertRows()
        return True

    async def _fetch(self, generation: int, query: LogQuery, page: int) -> None:
        # Keyset paging when a neighbouring page is in memory (scrolling down or up): no deep
        # OFFSET scan. A jump reads from whichever end of the log is nearer.
        above, below = self._pages.get(page - 1), self._pages.get(page + 1)
        size = self._page_size
        try:
            if above and len(above) == size:
                rows = await self._store.page(query, 0, size, before_id=above[-1].id)
            elif below:
                rows = await self._store.page(query, 0, size, after_id=below[0].id)
            else:
                rows = await self._store.page(query, page * size, size, total=self._count)
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
        self._forget_rows()
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
        self._forget_rows()
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
