"""The Conversations pane's offline copy: kept per profile, sender and contact, read back equal."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from whats91_desktop.core.conversations import Conversation, ThreadMessage
from whats91_desktop.core.store import SCHEMA_VERSION, MessageStore

AT = dt.datetime(2026, 6, 5, 9, 30, tzinfo=dt.UTC)


def conversation(phone: str = "918000000101", unread: int = 2) -> Conversation:
    return Conversation(
        conversation_id=7,
        contact_phone=phone,
        contact_name="Asha Verma",
        last_message_id="wamid.in",
        last_message_content="Is my order shipped yet?",
        last_message_type="text",
        last_message_at=AT,
        last_message_direction="inbound",
        unread_count=unread,
        total_messages=3,
        status="active",
        is_archived=False,
        is_blocked=False,
        labels=("vip", "orders"),
        sender_phone_number="919999999999",
    )


def message(direction: str = "inbound", **extra: object) -> ThreadMessage:
    return ThreadMessage("wamid.m", direction, "text", "hello", "read", AT, **extra)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> MessageStore:
    return MessageStore(tmp_path / "log.db")


def test_the_inbox_reads_back_equal_with_when_it_was_read(store: MessageStore) -> None:
    fetched_at = store.cache_inbox("Prod", "101", [conversation()])
    cached = store.cached_inbox("Prod", "101")
    assert cached is not None
    assert cached.items == (conversation(),)
    assert cached.fetched_at == fetched_at


def test_a_thread_reads_back_equal_and_oldest_first(store: MessageStore) -> None:
    messages = [
        message("outbound", error_message="131047: Re-engagement message"),
        message(media_url="https://x/a.jpg"),
    ]
    store.cache_thread("Prod", None, "918000000101", messages)
    cached = store.cached_thread("Prod", None, "918000000101")
    assert cached is not None
    assert cached.items == tuple(messages)


def test_keys_are_kept_apart_and_a_new_read_replaces_the_old(store: MessageStore) -> None:
    store.cache_inbox("Prod", "101", [conversation(unread=2)])
    store.cache_inbox("Prod", "101", [conversation(unread=0)])
    store.cache_inbox("Prod", "202", [conversation("918000000102")])
    mine = store.cached_inbox("Prod", "101")
    assert mine is not None
    assert [c.unread_count for c in mine.items] == [0]
    assert store.cached_inbox("Other", "101") is None
    assert store.cached_thread("Prod", "101", "918000000101") is None


def test_the_copy_survives_reopening(tmp_path: Path) -> None:
    first = MessageStore(tmp_path / "log.db")
    first.cache_thread("Prod", "101", "918000000101", [message()])
    first.close()
    again = MessageStore(tmp_path / "log.db")
    cached = again.cached_thread("Prod", "101", "918000000101")
    assert cached is not None
    assert cached.items == (message(),)


def test_a_row_this_version_cannot_read_is_a_miss(store: MessageStore) -> None:
    store.cache_inbox("Prod", "101", [conversation()])
    with store._tx() as conn:
        conn.execute("UPDATE conversation_cache SET payload_json = '[{\"contact_phone\": 1}]'")
    assert store.cached_inbox("Prod", "101") is None


def test_a_version_8_log_gains_the_cache_table(tmp_path: Path) -> None:
    path = tmp_path / "log.db"
    MessageStore(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE conversation_cache")
        conn.execute("DROP INDEX messages_ids")  # v11's index of ids
        conn.execute("DROP INDEX messages_job")  # and v10's bulk job link
        conn.execute("ALTER TABLE messages DROP COLUMN job_id")
        conn.execute("PRAGMA user_version = 8")
    conn.close()
    store = MessageStore(path)
    assert store._conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    store.cache_inbox("Prod", None, [conversation()])
    assert store.cached_inbox("Prod", None) is not None
