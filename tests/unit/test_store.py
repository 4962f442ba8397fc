from __future__ import annotations

import asyncio
import csv
import json
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from benchmarks._fill import fill_log
from tests.helpers.fake_client import FAKE_TOKEN, FakeSendClient
from tests.helpers.outbox import build_executor
from tests.helpers.stores import store_executor
from whats91_desktop.core.models import Button, ButtonsMessage, Outcome, SendResult, StatusEvent, TextMessage
from whats91_desktop.core.outbox import Outbox
from whats91_desktop.core.serialize import message_from_json, message_to_json
from whats91_desktop.core.store import (
    EXPORT_COLUMNS,
    INTERRUPTED_MESSAGE,
    MIGRATIONS,
    SCHEMA_VERSION,
    AsyncMessageStore,
    LogQuery,
    MessageStore,
    QueryCancelled,
    StoreError,
    search_terms,
    sqlite_store,
)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "messages.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[MessageStore]:
    s = MessageStore(db_path)
    yield s
    s.close()


def add(store: MessageStore, recipient: str = "919000000001", preview: str = "hello", **kw: object) -> int:
    return store.create_sending(
        profile=str(kw.pop("profile", "Production")),
        sender_id="919999999999",
        recipient=recipient,
        kind="text",
        preview=preview,
        request_text="POST /chat\nAuthorization: Bearer [REDACTED]",
    )


def orphan(db_path: Path) -> None:
    """Make every ``sending`` row look like it was left by a process that has since died."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()  # reaped: its pid names no process now
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE messages SET owner_pid = ? WHERE state = 'sending'", (child.pid,))


ACCEPTED = SendResult(
    outcome=Outcome.ACCEPTED,
    http_status=200,
    message_id="wamid.HBgMOTE5MDAwMDAwMDAxFQIAERgSQUJDREVG",
    status="accepted",
    request_id="req_7f3a9c",
    phone_number_id="100000000000001",
    raw_request="POST /chat (as sent)",
    raw_response='{"success":true}',
)


def committed_rows(path: Path) -> list[tuple[object, ...]]:
    """What another connection (a crash survivor) would see."""
    with sqlite3.connect(path) as other:
        return other.execute("SELECT id, state, recipient FROM messages").fetchall()


# --------------------------------------------------------------------------- writing


def test_row_exists_before_send_and_completes(db_path: Path) -> None:
    seen_during_send: list[list[tuple[object, ...]]] = []

    async def behaviour(message: object) -> SendResult:
        seen_during_send.append(committed_rows(db_path))
        return ACCEPTED

    async def main() -> tuple[int, SendResult]:
        astore = await AsyncMessageStore.open(db_path, executor=store_executor())
        try:
            return await Outbox(astore, executor=build_executor()).send(
                FakeSendClient(behaviour=behaviour),
                TextMessage(to="919000000001", text="hi"),
                profile="Production",
                preview="hi",
            )
        finally:
            await astore.aclose()

    row_id, result = asyncio.run(main())
    assert seen_during_send == [[(row_id, "sending", "919000000001")]]
    assert result is ACCEPTED
    assert committed_rows(db_path) == [(row_id, "accepted", "919000000001")]


def test_complete_sets_everything(store: MessageStore) -> None:
    row = add(store)
    entry = store.get(row)
    assert entry is not None
    assert entry.state == "sending"
    assert entry.display_status == "sending"
    assert entry.created_at == pytest.approx(time.time(), abs=5)
    store.complete(row, ACCEPTED)
    entry = store.get(row)
    assert entry is not None
    assert (entry.state, entry.outcome, entry.status) == ("accepted", "accepted", "accepted")
    assert entry.message_id == ACCEPTED.message_id
    assert entry.request_id == "req_7f3a9c"
    assert entry.http_status == 200
    assert entry.phone_number_id == "100000000000001"
    assert entry.sender_id == "919999999999"
    assert entry.response_text == '{"success":true}'
    assert entry.request_text == "POST /chat (as sent)"
    [event] = store.events(row)
    assert event.status == "accepted"
    assert event.occurred_at


def test_complete_rejected_keeps_error(store: MessageStore) -> None:
    row = add(store, "919000000009")
    store.complete(
        row,
        SendResult(
            outcome=Outcome.REJECTED,
            http_status=400,
            error_code="SANDBOX_RECIPIENT_BLACKLISTED",
            error_message="Recipient is blacklisted",
        ),
    )
    entry = store.get(row)
    assert entry is not None
    assert entry.display_status == "rejected"
    assert entry.error_code == "SANDBOX_RECIPIENT_BLACKLISTED"
    assert store.events(row)[0].status == "rejected"


def test_complete_of_deleted_row_is_ignored(store: MessageStore) -> None:
    row = add(store)
    store.complete(row, ACCEPTED)
    assert store.delete([row]) == 1
    store.complete(row, ACCEPTED)
    assert store.get(row) is None


def test_events_are_deduplicated(store: MessageStore) -> None:
    row = add(store)
    store.complete(row, ACCEPTED)
    events = [
        StatusEvent("sent", "2024-05-01T10:00:01.000Z"),
        StatusEvent("delivered", "2024-05-01T10:00:02.000Z"),
    ]
    assert store.add_events(row, events, "delivered") is True
    assert store.add_events(row, events, "delivered") is False
    assert store.add_events(row, list(reversed(events)), None) is False
    statuses = [e.status for e in store.events(row)]
    assert statuses.count("sent") == 1
    assert statuses.count("delivered") == 1
    assert store.get(row).status == "delivered"  # type: ignore[union-attr]
    read = StatusEvent("read", "2024-05-01T10:00:04.000Z")
    assert store.add_events(row, [*events, read], None) is True
    assert store.get(row).status == "read"  # type: ignore[union-attr]
    assert [e.status for e in store.events(row) if e.status != "accepted"] == ["sent", "delivered", "read"]
    assert store.add_events(row, [StatusEvent("sent", "2024-05-01T10:00:05.000Z")], None) is True
    assert store.get(row).status == "read"  # type: ignore[union-attr]  # never steps back
    assert store.add_events(9999, events, "read") is False


def test_events_without_time_are_deduplicated_too(store: MessageStore) -> None:
    row = add(store)
    assert store.add_events(row, [StatusEvent("sent")], None)
    assert not store.add_events(row, [StatusEvent("sent")], None)
    assert store.events(row)[0].occurred_at is None


def test_late_failure_copies_the_error(store: MessageStore) -> None:
    row = add(store, "919000000002")
    store.complete(row, ACCEPTED)
    failed = StatusEvent(
        "failed", "2024-05-01T10:00:03Z", error_code="131026", error_message="Message undeliverable"
    )
    assert store.add_events(row, [failed], "failed")
    entry = store.get(row)
    assert entry is not None
    assert entry.status == "failed"
    assert entry.is_final
    assert (entry.error_code, entry.error_message) == ("131026", "Message undeliverable")
    assert [e.id for e in store.page(LogQuery(text="undeliverable"), 0, 10)] == [row]


def test_set_message_id_and_find(store: MessageStore) -> None:
    row = add(store)
    store.complete(row, SendResult(outcome=Outcome.QUEUED, queue_uid="q_123", report_uid="r_456"))
    assert store.find(queue_uid="q_123").id == row  # type: ignore[union-attr]
    assert store.find(report_uid="r_456").id == row  # type: ignore[union-attr]
    assert store.find(message_id="wamid.NEW") is None
    store.set_message_id(row, "wamid.NEW")
    assert store.find(message_id="wamid.NEW").id == row  # type: ignore[union-attr]
    assert store.find() is None
    assert [e.id for e in store.page(LogQuery(text="wamid.NEW"), 0, 5)] == [row]


# --------------------------------------------------------------------------- searching


@pytest.fixture
def filled(store: MessageStore) -> dict[str, int]:
    rows = {}
    rows["a"] = add(store, "919188881234", "Invoice reminder for March")
    store.complete(rows["a"], ACCEPTED)
    rows["b"] = add(store, "918888800000", "Hello there")
    store.complete(
        rows["b"],
        SendResult(
            outcome=Outcome.REJECTED,
            http_status=403,
            error_code="SENDER_NOT_ALLOWED",
            error_message="Token may not use this sender",
            request_id="req_zz9",
        ),
    )
    rows["c"] = add(store, "447700900123", "[image] cat picture", profile="Test")
    store.complete(rows["c"], SendResult(outcome=Outcome.QUEUED, status="waiting_reconnect"))
    rows["d"] = add(store, "919000000007", "slow one")  # still sending
    return rows


def ids(store: MessageStore, query: LogQuery) -> set[int]:
    found = store.page(query, 0, 100)
    assert store.count(query) == len(found)
    return {e.id for e in found}


def test_search_by_partial_recipient(store: MessageStore, filled: dict[str, int]) -> None:
    assert ids(store, LogQuery(text="8888")) == {filled["a"], filled["b"]}
    assert ids(store, LogQuery(text="88888")) == {filled["b"]}
    assert ids(store, LogQuery(text="+91 88888 00000")) == {filled["b"]}
    assert ids(store, LogQuery(text="4477")) == {filled["c"]}
    assert ids(store, LogQuery(text="00")) == {filled["b"], filled["c"], filled["d"]}  # short: LIKE


def test_search_by_message_id_request_id_error(store: MessageStore, filled: dict[str, int]) -> None:
    assert ids(store, LogQuery(text="wamid.HBgMOTE5")) == {filled["a"]}
    assert ids(store, LogQuery(text="QUFCREVG")) == set()
    assert ids(store, LogQuery(text="ERgSQUJDREVG")) == {filled["a"]}
    assert ids(store, LogQuery(text="req_zz9")) == {filled["b"]}
    assert ids(store, LogQuery(text="not_allowed")) == {filled["b"]}
    assert ids(store, LogQuery(text="may not use")) == {filled["b"]}
    assert ids(store, LogQuery(text="invoice MARCH")) == {filled["a"]}
    assert ids(store, LogQuery(text="invoice april")) == set()


@pytest.mark.parametrize("text", ['"', "'", "*", "AND", "OR NOT", 'x"y', "NEAR(a b)", "%", "_", "\\", "a:b"])
def test_search_never_breaks_on_odd_input(store: MessageStore, filled: dict[str, int], text: str) -> None:
    store.count(LogQuery(text=text))
    store.page(LogQuery(text=text), 0, 10)


def test_percent_is_literal(store: MessageStore) -> None:
    a = add(store, "919000000001", "50% off")
    add(store, "919000000001", "500 off")
    assert ids(store, LogQuery(text="0%")) == {a}
    assert ids(store, LogQuery(text="50% off")) == {a}


def test_status_filter_uses_display_status(store: MessageStore, filled: dict[str, int]) -> None:
    assert ids(store, LogQuery(statuses=frozenset({"sending"}))) == {filled["d"]}
    assert ids(store, LogQuery(statuses=frozenset({"rejected", "waiting_reconnect"}))) == {
        filled["b"],
        filled["c"],
    }
    assert ids(store, LogQuery(statuses=frozenset({"accepted"}), text="9188")) == {filled["a"]}
    assert ids(store, LogQuery(profile="Test")) == {filled["c"]}


def test_date_range(store: MessageStore) -> None:
    base = 1_700_000_000.0
    fill_log(
        store.path, ({"created_at": base + i * 3600, "recipient": f"9190000000{i:02d}"} for i in range(10))
    )
    in_range = store.page(LogQuery(date_from=base + 2 * 3600, date_to=base + 5 * 3600), 0, 100)
    assert [e.recipient for e in in_range] == ["919000000004", "919000000003", "919000000002"]
    assert store.count(LogQuery(date_from=base + 9 * 3600)) == 1
    assert store.count(LogQuery(date_to=base)) == 0


def test_paging_is_newest_first(store: MessageStore) -> None:
    fill_log(store.path, ({"created_at": 1000.0 + i, "recipient": str(i)} for i in range(25)))
    first = store.page(LogQuery(), 0, 10)
    second = store.page(LogQuery(), 10, 10)
    assert [e.recipient for e in first] == [str(i) for i in range(24, 14, -1)]
    assert [e.recipient for e in second] == [str(i) for i in range(14, 4, -1)]
    assert store.ids_for(LogQuery()) == [e.id for e in store.page(LogQuery(), 0, 100)]
    assert store.count() == 25


def test_keyset_paging(store: MessageStore) -> None:
    fill_log(store.path, ({"created_at": 1000.0 + i, "recipient": str(i)} for i in range(25)))
    first = store.page(LogQuery(), 0, 10)
    after = store.page(LogQuery(), 0, 10, before_id=first[-1].id)
    assert after == store.page(LogQuery(), 10, 10)


@pytest.mark.parametrize("text", ["", "recipient"])
def test_a_page_read_upwards_or_from_the_oldest_end_is_the_same_page(store: MessageStore, text: str) -> None:
    fill_log(store.path, ({"created_at": 1000.0 + i, "recipient": f"recipient {i}"} for i in range(25)))
    query = LogQuery(text=text)
    for offset in (0, 5, 10, 15, 20, 24, 25, 30):
        assert store.page(query, offset, 10, total=25) == store.page(query, offset, 10), offset
    below = store.page(query, 20, 10)
    assert store.page(query, 0, 10, after_id=below[0].id) == store.page(query, 10, 10)
    assert store.page(query, 0, 10, after_id=store.page(query, 0, 1)[0].id) == []


def test_a_deep_page_of_the_whole_log_jumps_through_the_id_index_and_is_the_same_page(
    store: MessageStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_log(store.path, ({"created_at": 1000.0 + i, "recipient": f"9190{i:08d}"} for i in range(60)))
    store.delete([e.id for e in store.page(LogQuery(), 0, 60) if e.id % 7 == 0])  # gaps in the ids
    total = store.count()
    expected = {offset: store.page(LogQuery(), offset, 10) for offset in (0, 9, 23, total - 3, total)}
    statements: list[str] = []
    store._conn.set_trace_callback(statements.append)
    monkeypatch.setattr(sqlite_store, "ID_JUMP_MIN_OFFSET", 1)
    for offset, page in expected.items():
        assert store.page(LogQuery(), offset, 10) == page, offset
        assert store.page(LogQuery(), offset, 10, total=total) == page, offset
    assert any("INDEXED BY messages_ids" in sql for sql in statements)
    statements.clear()
    store.page(LogQuery(text="9190"), 20, 10)  # a search keeps its own plan
    assert not any("messages_ids" in sql for sql in statements)


def test_order_is_logging_order_even_if_the_clock_jumps_back(store: MessageStore) -> None:
    fill_log(
        store.path,
        [{"created_at": 5000.0, "recipient": "first"}, {"created_at": 4000.0, "recipient": "second"}],
    )
    assert [e.recipient for e in store.page(LogQuery(), 0, 10)] == ["second", "first"]
    assert [e.recipient for e in store.page(LogQuery(date_to=4500.0), 0, 10)] == ["second"]
    assert [e.recipient for e in store.page(LogQuery(date_from=4500.0), 0, 10)] == ["first"]


def test_date_range_combined_with_text_and_status(store: MessageStore) -> None:
    base = 1_700_000_000.0
    fill_log(
        store.path,
        (
            {
                "created_at": base + i * 60,
                "recipient": f"91900000{i:04d}",
                "state": "rejected" if i % 2 else "accepted",
            }
            for i in range(100)
        ),
    )
    query = LogQuery(text="9190000000", date_from=base + 10 * 60, date_to=base + 20 * 60)
    found = store.page(query, 0, 100)
    assert [e.recipient[-4:] for e in found] == [f"{i:04d}" for i in range(19, 9, -1)]
    assert store.count(query) == 10
    odd = LogQuery(statuses=frozenset({"rejected"}), date_from=base + 10 * 60, date_to=base + 20 * 60)
    assert [int(e.recipient[-4:]) for e in store.page(odd, 0, 100)] == [19, 17, 15, 13, 11]
    assert store.ids_for(odd) == [e.id for e in store.page(odd, 0, 100)]
    empty = LogQuery(date_from=base + 10_000 * 60)
    assert store.page(empty, 0, 10) == []
    assert store.count(empty) == 0
    assert store.ids_for(empty) == []


def test_search_terms() -> None:
    assert search_terms(" +91 (888) 88-000 ") == ["9188888000"]
    assert search_terms("Invoice  march") == ["Invoice", "march"]
    assert search_terms("") == []


# --------------------------------------------------------------------------- queries for the app


def test_followups_unknown_and_recent(store: MessageStore, filled: dict[str, int], db_path: Path) -> None:
    assert [e.id for e in store.followups()] == [filled["a"], filled["c"]]
    store.add_events(filled["a"], [StatusEvent("read", "2024-01-01T00:00:00Z")], "read")
    assert [e.id for e in store.followups()] == [filled["c"]]
    assert store.unknown_rows() == []
    assert store.mark_interrupted() == 0  # its sender (this process) is alive: maybe in flight
    orphan(db_path)
    assert store.mark_interrupted() == 1
    [unknown] = store.unknown_rows()
    assert unknown.id == filled["d"]
    assert unknown.error_message == INTERRUPTED_MESSAGE
    assert store.recent_recipients() == ["919000000007", "447700900123", "918888800000", "919188881234"]
    assert store.recent_recipients(2) == ["919000000007", "447700900123"]
    assert store.recent_recipients(profile="Test") == ["447700900123"]
    assert store.followups(since=time.time() + 60) == []
    assert [e.id for e in store.followups(since=time.time() - 60)] == [filled["c"]]


def test_delete_cascades_and_spares_sending(
    store: MessageStore, filled: dict[str, int], db_path: Path
) -> None:
    store.add_events(filled["a"], [StatusEvent("sent", "t1"), StatusEvent("delivered", "t2")], None)
    assert len(store.events(filled["a"])) == 3
    assert store.delete([filled["a"], filled["d"], 12345]) == 1
    assert store.get(filled["a"]) is None
    assert store.get(filled["d"]) is not None  # in flight: kept
    with sqlite3.connect(db_path) as other:
        assert other.execute(
            "SELECT count(*) FROM events WHERE message_row = ?", (filled["a"],)
        ).fetchone() == (0,)
    assert ids(store, LogQuery(text="88881234")) == set()  # gone from the index too


def test_fts_index_stays_consistent(store: MessageStore, filled: dict[str, int], db_path: Path) -> None:
    store.delete([filled["b"]])
    store.set_message_id(filled["c"], "wamid.changed")
    with sqlite3.connect(db_path) as other:
        other.execute("INSERT INTO messages_fts(messages_fts, rank) VALUES('integrity-check', 1)")
    assert ids(store, LogQuery(text="wamid.changed")) == {filled["c"]}


# --------------------------------------------------------------------------- exports


def test_export_csv_and_json_match(store: MessageStore, filled: dict[str, int], tmp_path: Path) -> None:
    store.complete(
        filled["d"], SendResult(outcome=Outcome.ACCEPTED, status="accepted", error_message="=HYPERLINK(1)")
    )
    query = LogQuery(text="91")
    expected = store.page(query, 0, 100)
    csv_path, json_path = tmp_path / "out" / "log.csv", tmp_path / "out" / "log.json"
    csv_path.parent.mkdir()
    assert store.export_csv(query, csv_path) == len(expected) == 3
    assert store.export_json(query, json_path) == 3
    with csv_path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    records = json.loads(json_path.read_text(encoding="utf-8"))
    assert list(rows[0]) == list(EXPORT_COLUMNS) == list(records[0])
    assert [int(r["id"]) for r in rows] == [e.id for e in expected] == [r["id"] for r in records]
    for row, record, entry in zip(rows, records, expected, strict=True):
        assert row["recipient"] == record["recipient"] == entry.recipient
        assert row["status"] == record["status"] == entry.display_status
        assert record["message_id"] == entry.message_id
        assert row["created_at"] == record["created_at"]
        assert record["created_at"][:4].isdigit()
        assert "T" in record["created_at"]
    slow = next(r for r in rows if r["recipient"] == "919000000007")
    assert slow["error_message"] == "'=HYPERLINK(1)"  # spreadsheet formula defused in CSV
    text = csv_path.read_text() + json_path.read_text()
    assert "Authorization" not in text
    assert "request_text" not in text
    assert "REDACTED" not in text
    assert sorted(p.name for p in csv_path.parent.iterdir()) == ["log.csv", "log.json"]


def test_empty_export_is_valid(store: MessageStore, tmp_path: Path) -> None:
    assert store.export_json(LogQuery(), tmp_path / "e.json") == 0
    assert json.loads((tmp_path / "e.json").read_text()) == []
    assert store.export_csv(LogQuery(), tmp_path / "e.csv") == 0
    assert (tmp_path / "e.csv").read_text().strip() == ",".join(EXPORT_COLUMNS)


# --------------------------------------------------------------------------- opening


def _garbage_page_one(db_path: Path) -> bytes:
    MessageStore(db_path).close()
    data = bytearray(db_path.read_bytes())
    data[100:4096] = b"\x5a" * (4096 - 100)  # keep the header, break the schema page
    return bytes(data)


@pytest.mark.parametrize(
    "garbage",
    [
        lambda p: b"this is not a database at all" * 100,
        lambda p: b"SQLite format 3\x00" + b"\xff" * 4000,
        _garbage_page_one,
    ],
    ids=["not-sqlite", "bad-header-fields", "malformed-schema"],
)
def test_corrupt_db_is_moved_aside(db_path: Path, garbage: Callable[[Path], bytes]) -> None:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    content = garbage(db_path)
    db_path.write_bytes(content)
    Path(str(db_path) + "-wal").write_bytes(b"stale wal")
    store = MessageStore(db_path)
    try:
        assert store.notice
        assert "moved to" in store.notice
        [backup] = list(db_path.parent.glob("messages.sqlite3.corrupt-*[0-9]"))
        assert backup.read_bytes() == content
        assert store.backup_path == backup
        row = add(store)
        assert store.get(row) is not None
    finally:
        store.close()
    again = MessageStore(db_path)
    assert again.notice is None
    assert again.count() == 1
    again.close()


def test_newer_schema_is_moved_aside(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA user_version = 99")
    store = MessageStore(db_path)
    assert store.notice
    assert "newer" in store.notice
    store.close()


def test_reopen_keeps_data_and_schema_version(db_path: Path) -> None:
    s = MessageStore(db_path)
    row = add(s)
    s.close()
    with pytest.raises(StoreError):
        s.count()
    s2 = MessageStore(db_path)
    assert s2.get(row) is not None
    assert s2.notice is None
    assert s2._conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,) == (11,)
    assert s2._conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert s2._conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
    s2.close()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_db_file_is_private(db_path: Path) -> None:
    MessageStore(db_path).close()
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600


def test_trigram_is_used_when_available(store: MessageStore) -> None:
    assert store.trigram == (sqlite3.sqlite_version_info >= (3, 34, 0))


# --------------------------------------------------------------------------- async wrapper


def test_async_store_runs_on_one_worker_thread(db_path: Path) -> None:
    async def main() -> set[str]:
        astore = await AsyncMessageStore.open(db_path, executor=store_executor())
        threads: set[str] = set()
        original = astore.store.count

        def spy(query: LogQuery | None = None) -> int:
            threads.add(threading.current_thread().name)
            return original(query)

        astore.store.count = spy  # type: ignore[method-assign]
        rows = await asyncio.gather(
            *(
                astore.create_sending(
                    profile="P",
                    sender_id=None,
                    recipient=f"91900000{i:04d}",
                    kind="text",
                    preview="x",
                    request_text="",
                )
                for i in range(20)
            )
        )
        assert len(set(rows)) == 20
        counts = await asyncio.gather(*(astore.count() for _ in range(5)))
        assert counts == [20] * 5
        assert (await astore.page(LogQuery(text="00001"), 0, 50))[0].recipient.startswith("91900000")
        assert await astore.recent_recipients(3) == ["919000000019", "919000000018", "919000000017"]
        assert await astore.delete(rows) == 0  # all still sending
        orphan(db_path)
        assert await astore.mark_interrupted() == 20
        assert len(await astore.unknown_rows()) == 20
        assert threading.current_thread().name not in threads
        await astore.aclose()
        return threads

    threads = asyncio.run(main())
    assert len(threads) == 1
    assert next(iter(threads)).startswith("whats91-store")


def test_row_left_sending_by_a_crash_is_unknown_and_offered_after_restart(db_path: Path) -> None:
    crashed = MessageStore(db_path)
    done = add(crashed, "919000000002")
    crashed.complete(done, ACCEPTED)
    row = add(crashed)  # its request may have left; then the app died
    crashed.close()
    orphan(db_path)
    assert committed_rows(db_path)[-1] == (row, "sending", "919000000001")

    async def main() -> tuple[int, list[int], list[int]]:
        astore = await AsyncMessageStore.open(db_path, executor=store_executor())
        try:
            recovered = await Outbox(astore, executor=build_executor()).recover_interrupted()
            offered = [e.id for e in await astore.unknown_rows()]
            # A second start finds nothing new.
            again = await Outbox(astore, executor=build_executor()).recover_interrupted()
            return recovered, offered, [again]
        finally:
            await astore.aclose()

    recovered, offered, again = asyncio.run(main())
    assert recovered == 1
    assert again == [0]
    assert offered == [row]
    s = MessageStore(db_path)
    entry = s.get(row)
    assert entry is not None
    assert (entry.state, entry.outcome, entry.error_message) == ("unknown", "unknown", INTERRUPTED_MESSAGE)
    assert entry.status is None
    assert entry.display_status == "unknown"
    assert [e.id for e in s.unknown_rows()] == [row]
    assert s.get(done).state == "accepted"  # type: ignore[union-attr]
    s.close()
    assert FAKE_TOKEN  # imported for the outbox tests' fake client


# --------------------------------------------------------------------------- schema v2: message_json


def make_v1_database(path: Path) -> int:
    """A log file exactly as the v1 app left it (the v1 schema function), with one row."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("BEGIN")
        MIGRATIONS[0](conn)
        conn.execute("PRAGMA user_version = 1")
        conn.execute("COMMIT")
        cur = conn.execute(
            "INSERT INTO messages(created_at, updated_at, profile, sender_id, recipient, kind, preview,"
            " state, outcome, status, message_id, request_text) VALUES (?, ?, 'Production', '919999999999',"
            " '918888800000', 'text', 'from version one', 'accepted', 'accepted', 'delivered',"
            " 'wamid.OLD', 'POST /chat')",
            (time.time() - 60, time.time() - 60),
        )
        assert cur.lastrowid is not None
        conn.execute(
            "INSERT INTO events(message_row, status, occurred_at, recorded_at)"
            " VALUES (?, 'delivered', '', 0)",
            (cur.lastrowid,),
        )
        return cur.lastrowid
    finally:
        conn.close()


def test_v1_database_upgrades_in_place(db_path: Path) -> None:
    old = make_v1_database(db_path)
    store = MessageStore(db_path)
    try:
        assert store.notice is None
        assert store.backup_path is None
        assert list(db_path.parent.glob("*.corrupt-*")) == []
        assert store._conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,) == (11,)
        columns = [r[1] for r in store._conn.execute("PRAGMA table_info(messages)")]
        assert columns[-5:] == ["message_json", "body", "owner_pid", "exchange_json", "job_id"]
        event_columns = [r[1] for r in store._conn.execute("PRAGMA table_info(events)")]
        assert event_columns[-1] == "source"  # v3: old events count as the server's
        entry = store.get(old)
        assert entry is not None
        assert (entry.preview, entry.message_id, entry.status) == (
            "from version one",
            "wamid.OLD",
            "delivered",
        )
        assert entry.message_json is None  # "Send again" falls back to the redacted request
        assert [e.status for e in store.events(old)] == ["delivered"]
        assert ids(store, LogQuery(text="888880")) == {old}  # the FTS index survived
        message = TextMessage(to="919000000001", text="after the upgrade", sender_id="919999999999")
        new = store.create_sending(
            profile="Production",
            sender_id=message.sender_id,
            recipient=message.to,
            kind=message.kind,
            preview=message.text,
            request_text="POST /chat",
            message_json=message_to_json(message),
        )
        assert ids(store, LogQuery(text="upgrade")) == {new}
    finally:
        store.close()
    again = MessageStore(db_path)  # a second open has nothing left to migrate
    try:
        stored = again.get(new)
        assert stored is not None
        assert stored.message_json is not None
        assert message_from_json(stored.message_json) == message
        assert again.count() == 2
    finally:
        again.close()


def test_a_failing_migration_leaves_the_v1_file_as_it_was(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = make_v1_database(db_path)

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE messages ADD COLUMN message_json TEXT")
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr("whats91_desktop.core.store.schema.MIGRATIONS", (MIGRATIONS[0], broken))
    with pytest.raises(StoreError):
        MessageStore(db_path)
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (1,)
        assert "message_json" not in [r[1] for r in conn.execute("PRAGMA table_info(messages)")]
    monkeypatch.undo()
    store = MessageStore(db_path)
    assert store.get(old) is not None
    assert store.notice is None
    store.close()


def test_message_json_is_kept_but_never_exported(store: MessageStore, tmp_path: Path) -> None:
    message = TextMessage(to="919000000001", text="only in the message json", sender_id="919999999999")
    row = store.create_sending(
        profile="Production",
        sender_id=message.sender_id,
        recipient=message.to,
        kind=message.kind,
        preview="a preview",
        request_text="POST /chat\nAuthorization: Bearer [REDACTED]",
        message_json=message_to_json(message),
    )
    store.complete(row, ACCEPTED)
    entry = store.get(row)
    assert entry is not None
    assert entry.message_json == message_to_json(message)
    assert store.page(LogQuery(), 0, 1)[0].message_json == entry.message_json
    assert "message_json" not in EXPORT_COLUMNS
    assert "request_text" not in EXPORT_COLUMNS
    assert store.export_csv(LogQuery(), tmp_path / "out.csv") == 1
    assert store.export_json(LogQuery(), tmp_path / "out.json") == 1
    for name in ("out.csv", "out.json"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert "message_json" not in text
        assert "only in the message json" not in text
        assert "POST /chat" not in text
        assert "REDACTED" not in text
    [record] = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert set(record) == set(EXPORT_COLUMNS)


# --------------------------------------------------------------------------- reconciliation support


def test_mark_outcome_stores_null_for_no_error(store: MessageStore, db_path: Path) -> None:
    row = add(store)
    store.mark_outcome(row, Outcome.UNKNOWN, error_message="dropped", error_code="X1")
    store.mark_outcome(row, Outcome.ACCEPTED, error_message=None, error_code=None)
    other = add(store)
    store.mark_outcome(other, Outcome.ACCEPTED, error_message="", error_code="")
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute(
            "SELECT id, state, error_message IS NULL, error_code IS NULL FROM messages ORDER BY id"
        ).fetchall()
    assert rows == [(row, "accepted", 1, 1), (other, "accepted", 1, 1)]


def test_claim_report_stores_the_ids_once(store: MessageStore) -> None:
    row = add(store)
    assert store.claim_report(row, message_id=None, report_uid="rpt_1") is True
    entry = store.get(row)
    assert entry is not None
    assert (entry.message_id, entry.report_uid) == (None, "rpt_1")
    assert entry.lookup_id == "rpt_1"  # what the follow-up polls with until a message id comes
    assert store.claim_report(row, message_id="wamid.CLAIMED", report_uid="rpt_1") is True  # fills in
    entry = store.get(row)
    assert entry is not None
    assert (entry.message_id, entry.report_uid) == ("wamid.CLAIMED", "rpt_1")
    assert ids(store, LogQuery(text="CLAIMED")) == {row}  # the search index follows
    assert store.find(report_uid="rpt_1") == entry


def test_claim_report_refuses_a_report_another_row_owns(store: MessageStore) -> None:
    owner = add(store, "919000000002")
    store.complete(owner, ACCEPTED)  # has ACCEPTED.message_id
    queued = add(store, "919000000002")
    store.claim_report(queued, message_id=None, report_uid="rpt_queued")
    row = add(store, "919000000002")
    before = store.get(row)
    assert store.claim_report(row, message_id=ACCEPTED.message_id, report_uid="rpt_new") is False
    assert store.claim_report(row, message_id="wamid.NEW", report_uid="rpt_queued") is False
    assert store.claim_report(row, message_id=None, report_uid=None) is False
    assert store.claim_report(10_000, message_id="wamid.GONE", report_uid=None) is False
    assert store.get(row) == before  # nothing changed on a refusal
    assert store.claim_report(row, message_id="wamid.MINE", report_uid=None) is True
    assert store.claim_report(row, message_id="wamid.OTHER", report_uid=None) is False  # not this row's


def test_sent_to_lists_rows_that_reached_whatsapp(store: MessageStore) -> None:
    accepted = add(store, "919000000002")
    store.complete(accepted, ACCEPTED)
    unknown = add(store, "919000000002")
    store.mark_outcome(unknown, Outcome.UNKNOWN, error_message="dropped")
    queued = add(store, "919000000002")
    store.complete(queued, SendResult(outcome=Outcome.QUEUED, status="waiting_reconnect"))
    add(store, "919000000002")  # still sending
    elsewhere = add(store, "919000000003")
    store.complete(elsewhere, SendResult(outcome=Outcome.ACCEPTED, message_id="wamid.ELSE"))
    assert [e.id for e in store.sent_to("919000000002", since=0)] == [accepted, queued]
    assert [e.id for e in store.sent_to("919000000002", since=0, exclude_id=accepted)] == [queued]
    assert store.sent_to("919000000002", since=time.time() + 60) == []


def test_the_servers_event_replaces_the_one_recorded_at_send_time(tmp_path: Path) -> None:
    store = MessageStore(tmp_path / "log.sqlite3")
    row = store.create_sending(
        profile="p", sender_id=None, recipient="918888888888", kind="text", preview="hi", request_text=""
    )
    store.complete(row, SendResult(outcome=Outcome.ACCEPTED, status="accepted", message_id="wamid.1"))
    assert [e.status for e in store.events(row)] == ["accepted"]
    server = [
        StatusEvent(status="accepted", occurred_at="2026-06-05T07:59:00.000Z"),
        StatusEvent(status="sent", occurred_at="2026-06-05T07:59:01.000Z"),
    ]
    assert store.add_events(row, server, "sent") is True
    events = store.events(row)
    assert [(e.status, e.occurred_at) for e in events] == [
        ("accepted", "2026-06-05T07:59:00.000Z"),
        ("sent", "2026-06-05T07:59:01.000Z"),
    ]
    assert store.add_events(row, server, "sent") is False  # polling again changes nothing
    store.close()


def test_search_finds_a_word_past_the_preview(tmp_path: Path) -> None:
    from whats91_desktop.core.outbox import searchable_text

    async def main() -> None:
        astore = await AsyncMessageStore.open(tmp_path / "log.sqlite3", executor=store_executor())
        try:
            long = TextMessage(to="918888888888", text="x" * 200 + " zebraword at the end")
            client = FakeSendClient(result=SendResult(outcome=Outcome.ACCEPTED, message_id="wamid.z"))
            row, _ = await Outbox(astore, executor=build_executor()).send(client, long, profile="p")
            entry = await astore.get(row)
            assert entry is not None
            assert "zebraword" not in entry.preview
            assert await astore.count(LogQuery(text="zebraword")) == 1
            assert await astore.count(LogQuery(text="ze")) == 1  # the short-term LIKE path too
            assert await astore.count(LogQuery(text="nothere")) == 0
        finally:
            await astore.aclose()

    asyncio.run(main())
    assert "Pay now" in searchable_text(
        ButtonsMessage(to="1", text="Choose", buttons=(Button(id="p", title="Pay now"),))
    )


def test_recovery_leaves_another_living_instances_send_alone(store: MessageStore, db_path: Path) -> None:
    living = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        in_flight = add(store, "919000000001")
        ancient = add(store, "919000000002")
        legacy = add(store, "919000000003")
        with sqlite3.connect(db_path) as conn:
            conn.execute(
                "UPDATE messages SET owner_pid = ? WHERE id IN (?, ?)", (living.pid, in_flight, ancient)
            )
            conn.execute("UPDATE messages SET created_at = created_at - 3600 WHERE id = ?", (ancient,))
            conn.execute("UPDATE messages SET owner_pid = NULL WHERE id = ?", (legacy,))
        assert store.mark_interrupted() == 2  # the hour-old row and the pre-v5 row without an owner
        states = {e.id: e.state for e in store.page(LogQuery(), 0, 10)}
        assert states == {in_flight: "sending", ancient: "unknown", legacy: "unknown"}
    finally:
        living.kill()
        living.wait()


class _SetAfter(threading.Event):
    """An event that reads as set from its ``n``-th look on: a cancel that comes mid-count."""

    def __init__(self, n: int) -> None:
        super().__init__()
        self.looks = 0
        self._n = n

    def is_set(self) -> bool:
        self.looks += 1
        return self.looks >= self._n


def test_a_count_stops_when_its_cancel_is_set(tmp_path: Path) -> None:
    store = MessageStore(tmp_path / "log.sqlite3")
    fill_log(store.path, ({"recipient": f"9198{i:08d}", "preview": f"hello {i}"} for i in range(20_000)))
    query = LogQuery(text="hello")
    assert store.count(query, cancel=threading.Event()) == 20_000
    already = threading.Event()
    already.set()
    with pytest.raises(QueryCancelled):
        store.count(query, cancel=already)
    midway = _SetAfter(3)  # not set before the query starts: the progress handler stops it
    with pytest.raises(QueryCancelled):
        store.count(query, cancel=midway)
    assert midway.looks >= 3
    assert store.count(query) == 20_000  # the handler is gone again
    store.close()
