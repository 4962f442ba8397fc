"""Saved requests in the log's database: save, reopen, update, duplicate, rename, delete, per
profile; names unique per profile ignoring case; the v7 migration adds the table to an old log."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.stores import store_executor
from whats91_desktop.core.models import MediaMessage, MetaMessage, TemplateMessage, TextMessage
from whats91_desktop.core.store import (
    MIGRATIONS,
    SCHEMA_VERSION,
    AsyncMessageStore,
    MessageStore,
    NameTaken,
    SavedRequest,
    StoreError,
)
from whats91_desktop.core.store.saved import NAME_MAX, check_name, copy_name

TEXT = TextMessage(to="{{phone}}", text="Hello {{customer}}", sender_id="919999999999")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[MessageStore]:
    s = MessageStore(tmp_path / "messages.sqlite3")
    yield s
    s.close()


def names(store: MessageStore, profile: str) -> list[str]:
    return [s.name for s in store.saved_requests(profile)]


def test_a_saved_request_keeps_the_message_exactly(store: MessageStore, tmp_path: Path) -> None:
    messages = [
        TEXT,
        MediaMessage(to="918888888888", media_type="document", file_path=tmp_path / "a.pdf", filename="A"),
        TemplateMessage(
            to="918888888888", template_name="payment_reminder", parameters=("{{customer}}", "5")
        ),
        MetaMessage(
            payload={"to": "918888888888", "type": "text", "text": {"body": "x"}}, phone_number_id="1"
        ),
    ]
    for index, message in enumerate(messages):
        saved = store.save_request("Production", f"Request {index}", message)
        assert (saved.kind, saved.recipient) == (message.kind, message.to)
        again = store.saved_request(saved.id)
        assert again == saved
        assert again.message() == message


def test_the_list_is_per_profile_and_sorted_by_name_ignoring_case(store: MessageStore) -> None:
    for name in ("welcome", "Alpha", "beta"):
        store.save_request("Production", name, TEXT)
    store.save_request("Sandbox", "welcome", TEXT)
    assert names(store, "Production") == ["Alpha", "beta", "welcome"]
    assert names(store, "Sandbox") == ["welcome"]
    assert names(store, "Nobody") == []


def test_names_are_unique_per_profile_ignoring_case(store: MessageStore) -> None:
    store.save_request("Production", "Welcome", TEXT)
    with pytest.raises(NameTaken, match="“Welcome” already exists in “Production”"):
        store.save_request("Production", "WELCOME", TEXT)
    store.save_request("Sandbox", "welcome", TEXT)  # another profile: fine
    assert names(store, "Production") == ["Welcome"]


def test_update_replaces_the_message_and_keeps_the_name(store: MessageStore) -> None:
    saved = store.save_request("Production", "Welcome", TEXT)
    edited = MediaMessage(to="918888888888", media_type="image", url="https://x.test/a.jpg")
    updated = store.update_request(saved.id, edited)
    assert updated is not None
    assert (updated.name, updated.kind, updated.recipient) == ("Welcome", "media", "918888888888")
    assert updated.message() == edited
    assert updated.updated_at >= saved.updated_at
    assert updated.created_at == saved.created_at


def test_rename(store: MessageStore) -> None:
    first = store.save_request("Production", "One", TEXT)
    store.save_request("Production", "Two", TEXT)
    renamed = store.rename_request(first.id, "First")
    assert renamed is not None
    assert renamed.name == "First"
    assert store.rename_request(first.id, "first") is not None  # a change of case only: allowed
    with pytest.raises(NameTaken):
        store.rename_request(first.id, "two")
    assert names(store, "Production") == ["first", "Two"]


def test_duplicate_gets_a_copy_name(store: MessageStore) -> None:
    saved = store.save_request("Production", "Welcome", TEXT)
    copies = [store.duplicate_request(saved.id) for _ in range(3)]
    assert [c.name for c in copies if c] == ["Welcome (copy)", "Welcome (copy 2)", "Welcome (copy 3)"]
    again = store.duplicate_request(copies[0].id)  # type: ignore[union-attr]
    assert again is not None
    assert again.name == "Welcome (copy 4)"  # a copy of a copy is not "… (copy) (copy)"
    assert all(c.message() == TEXT for c in store.saved_requests("Production"))
    assert len({c.id for c in store.saved_requests("Production")}) == 5


def test_copy_name_stays_within_the_limit() -> None:
    name = copy_name("x" * NAME_MAX, set())
    assert len(name) == NAME_MAX
    assert name.endswith(" (copy)")
    assert check_name(name) is None


def test_delete(store: MessageStore) -> None:
    saved = store.save_request("Production", "Welcome", TEXT)
    assert store.delete_request(saved.id) is True
    assert store.delete_request(saved.id) is False
    assert store.saved_request(saved.id) is None
    assert store.update_request(saved.id, TEXT) is None
    assert store.rename_request(saved.id, "x") is None
    assert store.duplicate_request(saved.id) is None


@pytest.mark.parametrize("name", ["", "   ", " padded", "x" * (NAME_MAX + 1), "tab\there"])
def test_bad_names_are_refused(store: MessageStore, name: str) -> None:
    assert check_name(name) is not None
    with pytest.raises(StoreError):
        store.save_request("Production", name, TEXT)
    assert names(store, "Production") == []


def test_a_renamed_profile_keeps_its_requests(store: MessageStore) -> None:
    store.save_request("Old", "Welcome", TEXT)
    store.save_request("Old", "Reminder", TEXT)
    store.save_request("New", "welcome", TEXT)
    assert store.move_requests("Old", "New") == 2
    assert names(store, "New") == ["Reminder", "welcome", "Welcome (copy)"]
    assert names(store, "Old") == []


def test_v7_adds_the_table_to_a_v6_log(tmp_path: Path) -> None:
    path = tmp_path / "messages.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    for step in MIGRATIONS[:6]:
        step(conn)
    conn.execute("PRAGMA user_version = 6")
    conn.close()
    store = MessageStore(path)
    try:
        assert store._conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        assert MIGRATIONS[6].__name__ == "_schema_v7"  # appended after v6, never renumbered
        saved = store.save_request("Production", "Welcome", TEXT)
        assert store.saved_requests("Production") == [saved]
    finally:
        store.close()


def test_the_async_store_offers_every_saved_request_call(tmp_path: Path) -> None:
    async def scenario() -> list[SavedRequest]:
        store = await AsyncMessageStore.open(tmp_path / "m.sqlite3", executor=store_executor())
        try:
            saved = await store.save_request("P", "One", TEXT)
            copy = await store.duplicate_request(saved.id)
            assert copy is not None
            await store.rename_request(copy.id, "Two")
            await store.update_request(copy.id, TextMessage(to="1", text="edited"))
            await store.delete_request(saved.id)
            assert await store.saved_request(saved.id) is None
            assert await store.move_requests("P", "Q") == 1
            return await store.saved_requests("Q")
        finally:
            await store.aclose()

    left = asyncio.run(scenario())
    assert [(s.name, s.message()) for s in left] == [("Two", TextMessage(to="1", text="edited"))]
