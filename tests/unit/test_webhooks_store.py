"""What webhook deliveries change in the message log (``core.store.webhook_log``), and the
migration that adds its tables."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from whats91_desktop.core.models import Outcome, SendResult
from whats91_desktop.core.store import MIGRATIONS, SCHEMA_VERSION, MessageStore, StoreError
from whats91_desktop.core.store.webhook_log import (
    RECEIPT_DAYS,
    InboundMessage,
    WebhookStatusUpdate,
    forward_status,
)
from whats91_desktop.core.webhook_deliveries import iso_time


def update(
    status: str, seconds: float, *, digest: str | None = None, message_id: str = "wamid.1"
) -> WebhookStatusUpdate:
    return WebhookStatusUpdate(
        digest=digest or f"{message_id}-{status}-{seconds}",
        message_id=message_id,
        status=status,
        occurred_at=iso_time(time.time() + seconds),  # after the row's own first event, stamped now
    )


@pytest.fixture
def store(tmp_path: Path) -> MessageStore:
    return MessageStore(tmp_path / "log.sqlite3")


def sent_row(store: MessageStore, message_id: str = "wamid.1") -> int:
    row = store.create_sending(
        profile="P",
        sender_id="919999999999",
        recipient="918888888888",
        kind="text",
        preview="hi",
        request_text="",
    )
    store.complete(row, SendResult(Outcome.ACCEPTED, message_id=message_id, status="accepted"))
    return row


@pytest.mark.parametrize(
    ("current", "incoming", "result"),
    [
        (None, "sent", "sent"),
        ("accepted", "delivered", "delivered"),
        ("delivered", "sent", "delivered"),
        ("read", "delivered", "read"),
        ("delivered", "failed", "failed"),
        ("failed", "read", "failed"),
        ("sent", "some_new_status", "sent"),
    ],
)
def test_a_row_status_only_moves_forward(current: str | None, incoming: str, result: str) -> None:
    assert forward_status(current, incoming) == result


def test_statuses_join_the_timeline_in_time_order(store: MessageStore) -> None:
    row = sent_row(store)
    for status, seconds in (("read", 4), ("sent", 1), ("delivered", 2)):
        applied = store.apply_webhook_status(update(status, seconds))
        assert applied.row_id == row
        assert applied.changed
    entry = store.get(row)
    assert entry is not None
    assert entry.status == "read"
    assert [e.status for e in store.events(row)] == ["accepted", "sent", "delivered", "read"]


def test_a_retried_delivery_is_applied_once(store: MessageStore) -> None:
    row = sent_row(store)
    first = store.apply_webhook_status(update("delivered", 2, digest="same"))
    second = store.apply_webhook_status(update("delivered", 2, digest="same"))
    assert first.changed
    assert second.duplicate
    assert not second.changed
    assert [e.status for e in store.events(row)] == ["accepted", "delivered"]


def test_the_failure_error_is_copied_onto_the_row(store: MessageStore) -> None:
    row = sent_row(store)
    failed = WebhookStatusUpdate(
        "d",
        "wamid.1",
        "failed",
        iso_time(time.time() + 3),
        error_code="131026",
        error_message="Message undeliverable",
    )
    store.apply_webhook_status(failed)
    entry = store.get(row)
    assert entry is not None
    assert (entry.status, entry.error_code, entry.error_message) == (
        "failed",
        "131026",
        "Message undeliverable",
    )


def test_orphan_statuses_are_kept_and_adopted_once_the_row_has_the_id(store: MessageStore) -> None:
    applied = store.apply_webhook_status(update("sent", 1, message_id="wamid.late"))
    assert applied.row_id is None
    assert applied.changed
    assert [s.status for s in store.webhook_statuses()] == ["sent"]
    row = sent_row(store, "wamid.late")
    assert store.adopt_webhook_statuses() == [row]
    assert store.webhook_statuses() == []
    assert [e.status for e in store.events(row)] == ["accepted", "sent"]
    assert store.adopt_webhook_statuses() == []


def test_a_burst_of_statuses_is_one_commit_and_says_what_each_did(store: MessageStore) -> None:
    row = sent_row(store)
    commits: list[str] = []
    store._conn.set_trace_callback(lambda sql: commits.append(sql) if sql == "COMMIT" else None)
    burst = [
        update("delivered", 2, digest="a"),
        update("delivered", 2, digest="a"),  # the same delivery twice in one burst
        update("sent", 1, message_id="wamid.other"),
    ]
    applied, adopted = store.apply_webhook_statuses(burst)
    store._conn.set_trace_callback(None)
    assert commits == ["COMMIT"]
    assert [(a.row_id, a.changed, a.duplicate) for a in applied] == [
        (row, True, False),
        (None, False, True),
        (None, True, False),
    ]
    assert adopted == []
    assert [e.status for e in store.events(row)] == ["accepted", "delivered"]


def test_a_failing_burst_leaves_the_log_as_it_was(store: MessageStore) -> None:
    row = sent_row(store)
    store._conn.execute(
        "CREATE TRIGGER refuse_orphans BEFORE INSERT ON webhook_statuses"
        " BEGIN SELECT RAISE(ABORT, 'full'); END"
    )
    with pytest.raises(StoreError, match="full"):
        store.apply_webhook_statuses([update("delivered", 2), update("sent", 1, message_id="wamid.other")])
    assert [e.status for e in store.events(row)] == ["accepted"]
    assert store.apply_webhook_status(update("delivered", 2)).changed  # its receipt was rolled back too


def test_inbound_messages_per_contact_and_the_service_window(store: MessageStore) -> None:
    message = InboundMessage(
        digest="in-1",
        contact="918888888888",
        kind="text",
        text="hello",
        message_id="wamid.in1",
        occurred_at=iso_time(time.time()),
        payload_json='{"text": "hello"}',
    )
    assert store.record_inbound(message) is not None
    assert store.record_inbound(message) is None  # the same delivery again
    retried_elsewhere = InboundMessage(**{**message.__dict__, "digest": "in-1-retry"})
    assert store.record_inbound(retried_elsewhere) is None  # the same message id again
    [kept] = store.conversation("918888888888")
    assert (kept.direction, kept.kind, kept.text) == ("inbound", "text", "hello")
    assert store.conversation("917777777777") == []
    ends = store.service_window_ends("918888888888")
    assert ends is not None
    assert ends == pytest.approx(kept.received_at + 24 * 3600)
    assert store.service_window_ends("917777777777") is None


def test_old_receipts_are_forgotten(store: MessageStore) -> None:
    assert store.note_delivery("old", "template.status_update")
    with store._tx() as conn:
        conn.execute("UPDATE webhook_receipts SET received_at = ?", (time.time() - RECEIPT_DAYS * 86400 - 1,))
    assert store.note_delivery("new", "template.status_update")
    assert store.note_delivery("old", "template.status_update")  # forgotten, so new again
    assert not store.note_delivery("new", "template.status_update")


def test_a_version_7_log_gains_the_webhook_tables(tmp_path: Path) -> None:
    path = tmp_path / "v7.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    for step in MIGRATIONS[:7]:
        step(conn)
    conn.execute("PRAGMA user_version = 7")
    conn.close()
    store = MessageStore(path)
    version = store._conn.execute("PRAGMA user_version").fetchone()[0]
    assert version == SCHEMA_VERSION
    tables = {r[0] for r in store._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"conversation_messages", "webhook_statuses", "webhook_receipts"} <= tables
