"""What the message log hands out: one row as a :class:`LogEntry`, and the one error it raises."""

from __future__ import annotations

from dataclasses import dataclass

from whats91_desktop.core.errors import Whats91Error
from whats91_desktop.core.models import FINAL_STATUSES

INTERRUPTED_MESSAGE = "App closed before the reply arrived; check before resending"


class StoreError(Whats91Error):
    """The message log could not be read or written (disk full, locked, damaged)."""


class QueryCancelled(StoreError):
    """A read was stopped on purpose (a newer search made it pointless); nothing is wrong."""


@dataclass(frozen=True)
class LogEntry:
    """One row of the log. ``display_status`` is what the log shows and filters on.

    ``message_json`` is the composed message (see :mod:`whats91_desktop.core.serialize`), so
    "Send again" and "Copy as curl" work for rows from earlier sessions. Like the request text
    it never goes into an export.
    """

    id: int
    created_at: float
    updated_at: float
    profile: str
    sender_id: str | None
    phone_number_id: str | None
    recipient: str
    kind: str
    preview: str
    state: str
    outcome: str | None
    status: str | None
    message_id: str | None
    request_id: str | None
    queue_uid: str | None
    report_uid: str | None
    error_code: str | None
    error_message: str | None
    http_status: int | None
    request_text: str | None
    response_text: str | None
    parent_id: int | None
    message_json: str | None = None  # the composed message (serialize.message_to_json); schema v2
    exchange_json: str | None = None  # status line, headers, timing, waits (core.exchange_record); v6
    job_id: str | None = None  # the bulk job that sent it (core.bulk); v10

    @property
    def display_status(self) -> str:
        return self.status or self.state

    @property
    def is_final(self) -> bool:
        return self.display_status in FINAL_STATUSES

    @property
    def lookup_id(self) -> str | None:
        """What to pass to the status endpoint: the wamid, else the report or queue uid."""
        return self.message_id or self.report_uid or self.queue_uid


@dataclass(frozen=True)
class SendingRow:
    """What :meth:`MessageStore.create_sending_many` inserts for one send about to leave."""

    profile: str
    sender_id: str | None
    recipient: str
    kind: str
    preview: str
    request_text: str
    parent_id: int | None = None
    message_json: str | None = None
    body: str | None = None
    job_id: str | None = None


# A row is read with ``LogEntry(*row)``, so a SELECT must name the columns in this order.
ENTRY_COLUMNS: tuple[str, ...] = tuple(LogEntry.__dataclass_fields__)
