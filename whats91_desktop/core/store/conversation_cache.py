"""The Conversations pane's offline copy: the last inbox and threads read from the server.

The pane opens on what was read last time (at once, and without the network), says when that
was ("last updated 10:42"), and replaces it when a background read answers. One row per
profile, sender and contact (``''``: the inbox itself) in ``conversation_cache`` (schema v9),
replaced whole: the server is the truth, the copy only spares a wait. The values are the
pane's own models (``core.conversations``) as JSON, times as ISO-8601 UTC. A row this version
cannot read (an older shape, a hand edit) is a miss, never an error: the next read replaces it.

The methods are mixed into :class:`~whats91_desktop.core.store.sqlite_store.MessageStore`, so
they share its one connection, lock and worker thread (``AsyncMessageStore`` awaits them).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
import time
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from whats91_desktop.core.conversations import Conversation, ThreadMessage

INBOX = ""
"""The ``contact`` key of a profile and sender's inbox row."""

T = TypeVar("T", Conversation, ThreadMessage)


@dataclass(frozen=True)
class Cached(Generic[T]):
    """What was read, and when (epoch seconds, this computer's clock: it only says how old)."""

    items: tuple[T, ...]
    fetched_at: float


class _Connected(Protocol):
    def _locked(self) -> AbstractContextManager[sqlite3.Connection]: ...

    def _tx(self) -> AbstractContextManager[sqlite3.Connection]: ...


def _to_json(item: Conversation | ThreadMessage) -> dict[str, Any]:
    # Field by field, not dataclasses.asdict: that deep-copies every value, and an inbox of
    # 1,000 rows is written on the store's one worker thread, which sends wait behind.
    values = {field.name: getattr(item, field.name) for field in dataclasses.fields(item)}
    return {
        key: value.isoformat() if isinstance(value, dt.datetime) else value for key, value in values.items()
    }


def _from_json(kind: type[T], data: dict[str, Any]) -> T:
    """``TypeError``/``ValueError`` when ``data`` is not one of ``kind`` as this version writes it."""
    values: dict[str, Any] = {}
    for field in dataclasses.fields(kind):
        value = data.get(field.name, field.default)
        if value is dataclasses.MISSING:
            raise ValueError(f"missing {field.name}")
        if field.name in ("last_message_at", "timestamp") and value is not None:
            value = dt.datetime.fromisoformat(value)
        elif field.name == "labels":
            value = tuple(value)
        values[field.name] = value
    return kind(**values)


def _decode(kind: type[T], payload: str, fetched_at: float) -> Cached[T] | None:
    try:
        rows = json.loads(payload)
        return Cached(tuple(_from_json(kind, row) for row in rows), float(fetched_at))
    except (TypeError, ValueError, KeyError, AttributeError):
        return None


class ConversationCacheMixin:
    """Keep and read back the inbox and threads of a profile and sender."""

    def cache_inbox(
        self: _Connected, profile: str, sender_id: str | None, conversations: Sequence[Conversation]
    ) -> float:
        """Replace the kept inbox; returns its ``fetched_at``."""
        return _put(self, profile, sender_id, INBOX, conversations)

    def cached_inbox(self: _Connected, profile: str, sender_id: str | None) -> Cached[Conversation] | None:
        return _get(self, Conversation, profile, sender_id, INBOX)

    def cache_thread(
        self: _Connected, profile: str, sender_id: str | None, contact: str, messages: Sequence[ThreadMessage]
    ) -> float:
        """Replace the kept thread with ``contact`` (digits), oldest first; returns its ``fetched_at``."""
        if not contact:
            raise ValueError("a thread needs its contact")
        return _put(self, profile, sender_id, contact, messages)

    def cached_thread(
        self: _Connected, profile: str, sender_id: str | None, contact: str
    ) -> Cached[ThreadMessage] | None:
        return _get(self, ThreadMessage, profile, sender_id, contact) if contact else None


def _put(
    store: _Connected,
    profile: str,
    sender_id: str | None,
    contact: str,
    items: Sequence[Conversation | ThreadMessage],
) -> float:
    now = time.time()
    payload = json.dumps([_to_json(item) for item in items], ensure_ascii=False)
    with store._tx() as conn:
        conn.execute(
            "INSERT OR REPLACE INTO conversation_cache(profile, sender_id, contact, payload_json, fetched_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (profile, sender_id or "", contact, payload, now),
        )
    return now


def _get(
    store: _Connected, kind: type[T], profile: str, sender_id: str | None, contact: str
) -> Cached[T] | None:
    with store._locked() as conn:
        row = conn.execute(
            "SELECT payload_json, fetched_at FROM conversation_cache"
            " WHERE profile = ? AND sender_id = ? AND contact = ?",
            (profile, sender_id or "", contact),
        ).fetchone()
    return _decode(kind, row[0], row[1]) if row else None
