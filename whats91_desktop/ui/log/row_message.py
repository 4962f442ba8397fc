"""A log row and the composed message behind it, for "Send again" and "Copy as curl"."""

from __future__ import annotations

from whats91_desktop.core.models import OutgoingMessage
from whats91_desktop.core.serialize import message_from_json
from whats91_desktop.core.store import AsyncMessageStore, LogEntry


async def row_and_message(
    store: AsyncMessageStore, row_id: int
) -> tuple[LogEntry | None, OutgoingMessage | None]:
    """The row, and its message (the store keeps it as ``message_json``; rows logged before
    that column existed have none, and so get None)."""
    entry = await store.get(row_id)
    if entry is None or not entry.message_json:
        return entry, None
    try:
        return entry, message_from_json(entry.message_json)
    except (ValueError, KeyError, TypeError):
        return entry, None
