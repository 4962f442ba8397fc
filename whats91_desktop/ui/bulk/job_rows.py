"""A job's rows in the job view: the table model, and the filters a roll-up count applies.

Outcome filters (sent, unknown, skipped…) are the job's own row states and page straight from
the job file. Delivery filters (delivered, read, failed) depend on the latest status the log
holds for each sent row — kept current by the status follower and the webhook receiver — so
they take the log's row ids with that status (one indexed query) and keep the job's rows that
point at one of them, reading the job a page at a time on the engine's thread.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import ClassVar

from PySide6.QtGui import QColor

from whats91_desktop.core.bulk.models import JobRow, RowState
from whats91_desktop.core.phone import readable_number
from whats91_desktop.core.store import AsyncMessageStore, LogQuery
from whats91_desktop.services.bulk.service import BulkService
from whats91_desktop.ui.bulk.formatting import STATE_LABELS
from whats91_desktop.ui.palette import colour
from whats91_desktop.ui.webhooks.table_model import ListTableModel

PAGE = 300
SCAN_PAGE = 1000


class RowFilter(enum.Enum):
    ALL = "All rows"
    SENT = "Sent"
    DELIVERED = "Delivered"
    READ = "Read"
    FAILED = "Failed"
    UNKNOWN = "Unknown"
    SKIPPED = "Skipped"
    WAITING = "Not sent yet"


_SENT = (RowState.ACCEPTED, RowState.QUEUED)
_STATES: dict[RowFilter, tuple[RowState, ...]] = {
    RowFilter.ALL: (),
    RowFilter.SENT: _SENT,
    RowFilter.DELIVERED: _SENT,
    RowFilter.READ: _SENT,
    RowFilter.FAILED: (*_SENT, RowState.REJECTED),
    RowFilter.UNKNOWN: (RowState.UNKNOWN,),
    RowFilter.SKIPPED: (RowState.SKIPPED,),
    RowFilter.WAITING: (RowState.PLANNED, RowState.SENDING),
}
_STATUS = {RowFilter.DELIVERED: "delivered", RowFilter.READ: "read", RowFilter.FAILED: "failed"}


@dataclass(frozen=True)
class RowsPage:
    rows: list[JobRow]
    next_offset: int
    """Where the next page starts in the job's (state-filtered) rows."""
    more: bool


async def load_rows(
    bulk: BulkService,
    store: AsyncMessageStore,
    job_id: str,
    *,
    profile_name: str,
    row_filter: RowFilter,
    offset: int = 0,
    limit: int = PAGE,
) -> RowsPage:
    """One page of the job's rows that pass ``row_filter``."""
    states = _STATES[row_filter]
    status = _STATUS.get(row_filter)
    if status is None:
        rows = await bulk.rows(job_id, states=states, offset=offset, limit=limit + 1)
        return RowsPage(rows[:limit], offset + min(len(rows), limit), len(rows) > limit)
    log_ids = set(await store.ids_for(LogQuery(statuses=frozenset({status}), profile=profile_name)))
    found: list[JobRow] = []
    while True:
        batch = await bulk.rows(job_id, states=states, offset=offset, limit=SCAN_PAGE)
        for position, row in enumerate(batch):
            if row.state is RowState.REJECTED or row.log_row_id in log_ids:
                if len(found) == limit:
                    return RowsPage(found, offset + position, True)
                found.append(row)
        offset += len(batch)
        if len(batch) < SCAN_PAGE:
            return RowsPage(found, offset, False)


class JobRowsModel(ListTableModel[JobRow]):
    columns = ("Line", "Recipient", "Outcome", "Message ID", "Error or reason")
    _ROLES: ClassVar[dict[RowState, str]] = {RowState.REJECTED: "problem", RowState.UNKNOWN: "caution"}
    """Palette roles, looked up when painted: the scheme may have changed since the last row."""

    def cells(self, item: JobRow) -> tuple[str, ...]:
        error = " ".join(filter(None, (item.error_code, item.error_message or item.skip_reason)))
        return (
            str(item.line),
            readable_number(item.recipient),
            STATE_LABELS[item.state],
            item.message_id or "",
            error,
        )

    def colour(self, item: JobRow, column: int) -> QColor | None:
        role = self._ROLES.get(item.state) if column == 2 else None
        return QColor(colour(role)) if role else None

    def extend(self, rows: list[JobRow]) -> None:
        self.set_items([*self.items(), *rows])
