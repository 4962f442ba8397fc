"""What webhook deliveries change in the log: status timelines, inbound messages, and receipts.

* A status (``message.status.*``) joins the timeline of the row with its message id, through
  the store's own ``add_events``, so it reads like a polled event. The row's status only moves
  forward (accepted → sent → delivered → read; failed and read are final): a late
  ``delivered`` is kept in the timeline but never overrides ``read``.
* A status for a message id no row has (yet) is kept in ``webhook_statuses``, shown as it is,
  and folded into the row's timeline as soon as one has that id (a status can overtake the
  send's own reply).
* An inbound message (``message.inbound.*``) is kept in ``conversation_messages``, the table
  the conversations view reads: one row per message, with its direction, per contact. The
  last inbound message of a contact opens its 24-hour service window.
* A burst of statuses is applied in one transaction (``apply_webhook_statuses``): the log is on
  ``synchronous=FULL``, so a commit per delivery would bound the receiver by the disk's syncs.
* Every delivery is remembered by the SHA-256 of its raw body (``webhook_receipts``), so the
  same delivery twice (a retry) changes nothing the second time. Receipts older than a week
  are forgotten: Whats91 does not retry that long.

The methods are mixed into :class:`~whats91_desktop.core.store.sqlite_store.MessageStore`, so
they share its one connection, lock and worker thread (``AsyncMessageStore`` awaits them).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Literal, Protocol

from whats91_desktop.core.models import FINAL_STATUSES, StatusEvent

SERVICE_WINDOW_SECONDS = 24 * 3600
RECEIPT_DAYS = 7
STATUS_RANK = {"pending": 0, "waiting_reconnect": 0, "queued": 0, "accepted": 1, "sent": 2, "delivered": 3}
"""How far along a status is; read and failed are final, an unknown status ranks lowest."""

Direction = Literal["inbound", "outbound"]


@dataclass(frozen=True)
class WebhookStatusUpdate:
    """A status delivery for the log: what it said, and the body's digest (its identity)."""

    digest: str
    message_id: str
    status: str
    occurred_at: str
    profile: str = ""
    recipient: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    webhook_uid: str | None = None


@dataclass(frozen=True)
class StatusApplied:
    row_id: int | None
    """The log row it joined; None: no row has that message id (kept as an orphan)."""
    changed: bool
    """Something new: a timeline event or the row's status (or, orphaned, a new kept status)."""
    duplicate: bool = False
    """The same delivery was applied before; nothing was done."""


@dataclass(frozen=True)
class OrphanStatus:
    message_id: str
    status: str
    occurred_at: str
    recorded_at: float
    recipient: str | None
    error_code: str | None
    error_message: str | None
    webhook_uid: str | None
    profile: str


@dataclass(frozen=True)
class InboundMessage:
    """A message a contact sent, as its delivery described it."""

    digest: str
    contact: str
    kind: str
    text: str | None
    message_id: str | None
    occurred_at: str
    payload_json: str
    profile: str = ""
    sender_id: str | None = None
    webhook_uid: str | None = None


@dataclass(frozen=True)
class ConversationMessage:
    id: int
    profile: str
    sender_id: str | None
    contact: str
    direction: Direction
    kind: str
    text: str | None
    message_id: str | None
    occurred_at: str
    received_at: float
    source: str
    payload_json: str | None


_CONVERSATION_COLUMNS = (
    "id, profile, sender_id, contact, direction, kind, text, message_id, occurred_at, received_at,"
    " source, payload_json"
)
_ORPHAN_COLUMNS = (
    "message_id, status, occurred_at, recorded_at, recipient, error_code, error_message, webhook_uid, profile"
)


class _Store(Protocol):
    """What the mixin needs of the store it is mixed into."""

    def _locked(self) -> AbstractContextManager[sqlite3.Connection]: ...

    def _tx(self) -> AbstractContextManager[sqlite3.Connection]: ...

    def add_events(self, row_id: int, events: Sequence[StatusEvent], latest_status: str | None) -> bool: ...

    def apply_webhook_status(self, update: WebhookStatusUpdate) -> StatusApplied: ...

    def adopt_webhook_statuses(self) -> list[int]: ...


def forward_status(current: str | None, incoming: str) -> str:
    """The row's status after ``incoming`` arrives: never backwards, never out of a final one."""
    if current in FINAL_STATUSES:
        return current
    if incoming in FINAL_STATUSES or current is None:
        return incoming
    return incoming if STATUS_RANK.get(incoming, 0) > STATUS_RANK.get(current, 0) else current


def _is_new_receipt(conn: sqlite3.Connection, digest: str, event: str, now: float) -> bool:
    conn.execute("DELETE FROM webhook_receipts WHERE received_at < ?", (now - RECEIPT_DAYS * 86400,))
    cur = conn.execute(
        "INSERT OR IGNORE INTO webhook_receipts(digest, received_at, event) VALUES (?, ?, ?)",
        (digest, now, event),
    )
    return cur.rowcount > 0


def _row_with(conn: sqlite3.Connection, message_id: str) -> tuple[int, str | None] | None:
    row = conn.execute(
        "SELECT id, status FROM messages WHERE message_id = ? ORDER BY id DESC LIMIT 1", (message_id,)
    ).fetchone()
    return (int(row[0]), row[1]) if row else None


class WebhookLogMixin:
    """Webhook deliveries on the store's connection."""

    def apply_webhook_status(self: _Store, update: WebhookStatusUpdate) -> StatusApplied:
        now = time.time()
        with self._tx() as conn:
            if conn.execute("SELECT 1 FROM webhook_receipts WHERE digest = ?", (update.digest,)).fetchone():
                return StatusApplied(None, changed=False, duplicate=True)
            found = _row_with(conn, update.message_id)
            if found is None:
                _is_new_receipt(conn, update.digest, f"message.status.{update.status}", now)
                cur = conn.execute(
                    "INSERT OR IGNORE INTO webhook_statuses(message_id, status, occurred_at, recorded_at,"
                    " recipient, error_code, error_message, webhook_uid, profile)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        update.message_id,
                        update.status,
                        update.occurred_at,
                        now,
                        update.recipient,
                        update.error_code,
                        update.error_message,
                        update.webhook_uid,
                        update.profile,
                    ),
                )
                return StatusApplied(None, changed=cur.rowcount > 0)
        row_id, current = found
        event = StatusEvent(
            status=update.status,
            occurred_at=update.occurred_at,
            event_type="webhook",
            error_code=update.error_code,
            error_message=update.error_message,
        )
        changed = self.add_events(row_id, [event], forward_status(current, update.status))
        with self._tx() as conn:
            _is_new_receipt(conn, update.digest, f"message.status.{update.status}", now)
        return StatusApplied(row_id, changed=changed)

    def apply_webhook_statuses(
        self: _Store, updates: Sequence[WebhookStatusUpdate]
    ) -> tuple[list[StatusApplied], list[int]]:
        """A burst of status deliveries in one transaction (one commit, not three per delivery):
        what each did, in order, then the rows that adopted kept statuses (as
        :meth:`adopt_webhook_statuses`). All or nothing: an error leaves the log as it was."""
        with self._tx():
            applied = [self.apply_webhook_status(update) for update in updates]
            return applied, self.adopt_webhook_statuses()

    def adopt_webhook_statuses(self: _Store) -> list[int]:
        """Fold kept statuses into the rows that now have their message id; the rows changed."""
        with self._locked() as conn:
            found = conn.execute(
                "SELECT s.id, m.id, s.status, s.occurred_at, s.error_code, s.error_message"
                " FROM webhook_statuses s JOIN messages m ON m.message_id = s.message_id ORDER BY s.id"
            ).fetchall()
        changed: set[int] = set()
        for orphan_id, row_id, status, occurred_at, error_code, error_message in found:
            with self._locked() as conn:
                current = conn.execute("SELECT status FROM messages WHERE id = ?", (row_id,)).fetchone()
            event = StatusEvent(status, occurred_at, "webhook", error_code, error_message)
            if current is not None and self.add_events(row_id, [event], forward_status(current[0], status)):
                changed.add(row_id)
            with self._tx() as conn:
                conn.execute("DELETE FROM webhook_statuses WHERE id = ?", (orphan_id,))
        return sorted(changed)

    def webhook_statuses(self: _Store, limit: int = 500) -> list[OrphanStatus]:
        """Statuses kept for message ids no row has, newest first."""
        with self._locked() as conn:
            rows = conn.execute(
                f"SELECT {_ORPHAN_COLUMNS} FROM webhook_statuses ORDER BY id DESC LIMIT ?", (limit,)
            ).fetchall()
        return [OrphanStatus(*row) for row in rows]

    def record_inbound(self: _Store, message: InboundMessage) -> int | None:
        """Keep an inbound message; its row id, or None when this delivery (or this message id)
        was kept before."""
        now = time.time()
        with self._tx() as conn:
            if not _is_new_receipt(conn, message.digest, f"message.inbound.{message.kind}", now):
                return None
            cur = conn.execute(
                "INSERT OR IGNORE INTO conversation_messages(profile, sender_id, contact, direction, kind,"
                " text, message_id, occurred_at, received_at, source, payload_json, webhook_uid)"
                " VALUES (?, ?, ?, 'inbound', ?, ?, ?, ?, ?, 'webhook', ?, ?)",
                (
                    message.profile,
                    message.sender_id,
                    message.contact,
                    message.kind,
                    message.text,
                    message.message_id,
                    message.occurred_at,
                    now,
                    message.payload_json,
                    message.webhook_uid,
                ),
            )
            return cur.lastrowid if cur.rowcount else None

    def note_delivery(self: _Store, digest: str, event: str) -> bool:
        """Remember a delivery that changes nothing in the log (a template review); False if seen."""
        with self._tx() as conn:
            return _is_new_receipt(conn, digest, event, time.time())

    def conversation(self: _Store, contact: str, *, limit: int = 500) -> list[ConversationMessage]:
        """A contact's messages kept here, oldest first."""
        with self._locked() as conn:
            rows = conn.execute(
                f"SELECT {_CONVERSATION_COLUMNS} FROM ("
                f" SELECT {_CONVERSATION_COLUMNS} FROM conversation_messages WHERE contact = ?"
                " ORDER BY received_at DESC, id DESC LIMIT ?) ORDER BY received_at, id",
                (contact, limit),
            ).fetchall()
        return [ConversationMessage(*row) for row in rows]

    def service_window_ends(self: _Store, contact: str) -> float | None:
        """When the contact's 24-hour service window closes (epoch seconds), None if never opened."""
        with self._locked() as conn:
            row = conn.execute(
                "SELECT max(received_at) FROM conversation_messages"
                " WHERE contact = ? AND direction = 'inbound'",
                (contact,),
            ).fetchone()
        return float(row[0]) + SERVICE_WINDOW_SECONDS if row and row[0] is not None else None
