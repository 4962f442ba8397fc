"""A log row and the composed message behind it, for the summary, "Send again" and "Copy as curl"."""

from __future__ import annotations

from whats91_desktop.core.models import OutgoingMessage
from whats91_desktop.core.serialize import message_from_json
from whats91_desktop.core.store import AsyncMessageStore, LogEntry


def message_of(entry: LogEntry) -> OutgoingMessage | None:
    """The composed message the row keeps as ``message_json`` (rows logged before that column
    existed have none, and unreadable JSON counts as none)."""
    if not entry.message_json:
        return None
    try:
        return message_from_json(entry.message_json)
    except (ValueError, KeyError, TypeError):
        return None


async def row_and_message(
    store: AsyncMessageStore, row_id: int
) -> tuple[LogEntry | None, OutgoingMessage | None]:
    """The row, and its message (None when the row kept none; see :func:`message_of`)."""
    entry = await store.get(row_id)
    return entry, (message_of(entry) if entry is not None else None)
