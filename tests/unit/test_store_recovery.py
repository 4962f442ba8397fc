"""The log when it cannot be written or read: results kept in the journal, damaged files replaced.

Faults are real where SQLite lets us make them: a second connection holding the write lock
(the busy timeout shortened on the store's connection, so a test waits 0.1 s, not 5), a
``max_page_count`` that makes the file "full", and bytes overwritten in the middle of a file
whose header stays valid.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
import sqlite3
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.fake_client import FakeSendClient
from tests.helpers.outbox import build_executor
from tests.helpers.stores import store_executor
from whats91_desktop.core.models import Outcome, SendResult, TextMessage
from whats91_desktop.core.outbox import Outbox
from whats91_desktop.core.store import (
    INTERRUPTED_MESSAGE,
    AsyncMessageStore,
    LogQuery,
    MessageStore,
    StoreError,
)
from whats91_desktop.core.store import connection as connection_module
from whats91_desktop.core.store import journal as journal_module
from whats91_desktop.core.store.connection import open_connection
from whats91_desktop.core.store.journal import JOURNAL_SUFFIX, PendingResult, ResultJournal, journal_path_for

ACCEPTED = SendResult(
    outcome=Outcome.ACCEPTED,
    http_status=200,
    message_id="wamid.KEPT",
    status="accepted",
    request_id="req-kept",
    raw_response='{"success": true}',
    raw_request="POST /chat",
)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "messages.sqlite3"


def new_row(store: MessageStore) -> int:
    return store.create_sending(
        profile="p", sender_id=None, recipient="918888888888", kind="text", preview="hi", request_text="POST"
    )


@contextlib.contextmanager
def write_locked(path: Path) -> Iterator[None]:
    """Another connection holds the log's write lock for the duration."""
    other = sqlite3.connect(path, isolation_level=None, timeout=0.1)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield
        other.execute("ROLLBACK")
    finally:
        other.close()


def impatient(store: MessageStore) -> MessageStore:
    store._conn.execute("PRAGMA busy_timeout = 100")
    return store


def journaled_rows(db_path: Path, count: int = 1) -> list[int]:
    """Rows whose results the locked log refused and the journal kept (the store is closed)."""
    store = impatient(MessageStore(db_path))
    made = [new_row(store) for _ in range(count)]
    with write_locked(db_path):
        for row in made:
            with pytest.raises(StoreError):
                store.complete(row, ACCEPTED)
    store.close()
    return made


@contextlib.contextmanager
def reopened(db_path: Path) -> Iterator[MessageStore]:
    store = MessageStore(db_path)
    try:
        yield store
    finally:
        store.close()


# --------------------------------------------------------------------------- the journal


def test_a_result_the_locked_log_cannot_take_is_journaled_and_written_at_the_next_open(db_path: Path) -> None:
    store = impatient(MessageStore(db_path))
    row = new_row(store)
    with write_locked(db_path), pytest.raises(StoreError, match="database is locked") as info:
        store.complete(row, ACCEPTED)
    assert str(journal_path_for(db_path)) in str(info.value)
    entry = store.get(row)
    assert entry is not None
    assert entry.state == "sending"
    store.close()

    journal = journal_path_for(db_path)
    assert stat.S_IMODE(journal.stat().st_mode) == 0o600
    again = MessageStore(db_path)
    try:
        entry = again.get(row)
        assert entry is not None
        assert (entry.state, entry.message_id, entry.request_id) == ("accepted", "wamid.KEPT", "req-kept")
        assert entry.response_text == '{"success": true}'
        assert [e.status for e in again.events(row)] == ["accepted"]
        assert again.notice == "1 send result that could not be written to the log earlier was recorded now."
        assert not journal.exists()
    finally:
        again.close()


def test_a_result_the_full_log_cannot_take_is_written_after_the_next_successful_write(db_path: Path) -> None:
    store = MessageStore(db_path)
    row = new_row(store)
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages}")
    big = SendResult(**{**ACCEPTED.__dict__, "raw_response": "x" * 200_000})
    with pytest.raises(StoreError, match="full"):
        store.complete(row, big)
    assert journal_path_for(db_path).exists()
    store._conn.execute("PRAGMA max_page_count = 1073741823")
    new_row(store)  # the next successful write
    try:
        entry = store.get(row)
        assert entry is not None
        assert entry.state == "accepted"
        assert entry.response_text == "x" * 200_000
        assert not journal_path_for(db_path).exists()
    finally:
        store.close()


def test_a_journal_the_disk_refuses_too_is_kept_in_memory_for_the_next_write(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = impatient(MessageStore(db_path))
    row = new_row(store)

    def disk_full(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(journal_module.os, "write", disk_full)
    with write_locked(db_path), pytest.raises(StoreError, match="could not be saved on disk either"):
        store.complete(row, ACCEPTED)
    monkeypatch.undo()
    new_row(store)
    try:
        entry = store.get(row)
        assert entry is not None
        assert entry.message_id == "wamid.KEPT"
    finally:
        store.close()


def test_another_process_opening_the_log_writes_the_journal_of_one_still_running(db_path: Path) -> None:
    window = impatient(MessageStore(db_path))
    row = new_row(window)
    with write_locked(db_path), pytest.raises(StoreError):
        window.complete(row, ACCEPTED)
    with reopened(db_path):  # the CLI's run: opening the log writes the window's kept result
        entry = window.get(row)
    window.close()
    assert entry is not None
    assert entry.state == "accepted"


def test_a_late_result_finishes_an_interrupted_row_but_never_a_finished_one(db_path: Path) -> None:
    interrupted, reconciled = journaled_rows(db_path, 2)
    plain = sqlite3.connect(db_path)
    plain.execute(
        "UPDATE messages SET state = 'unknown', outcome = 'unknown', error_message = ? WHERE id = ?",
        (INTERRUPTED_MESSAGE, interrupted),
    )
    plain.execute("UPDATE messages SET state = 'rejected', outcome = 'rejected' WHERE id = ?", (reconciled,))
    plain.commit()
    plain.close()
    with reopened(db_path) as again:
        first, second = again.get(interrupted), again.get(reconciled)
    assert first is not None
    assert second is not None
    assert (first.state, first.message_id) == ("accepted", "wamid.KEPT")
    assert (second.state, second.message_id) == ("rejected", None)


def test_a_line_cut_short_by_a_crash_is_skipped_and_the_rest_is_written(db_path: Path) -> None:
    [row] = journaled_rows(db_path)
    with journal_path_for(db_path).open("a", encoding="utf-8") as handle:
        handle.write('{"format": 1, "row": 99, "val')
    with reopened(db_path) as again:
        entry = again.get(row)
    assert entry is not None
    assert entry.state == "accepted"
    assert not journal_path_for(db_path).exists()


def test_the_outbox_returns_the_servers_result_with_a_warning_when_the_log_is_locked(db_path: Path) -> None:
    async def main() -> tuple[int, SendResult]:
        astore = await AsyncMessageStore.open(db_path, executor=store_executor())
        impatient(astore.store)
        with contextlib.ExitStack() as stack:

            async def reply_while_another_process_writes(message: object) -> SendResult:
                stack.enter_context(write_locked(db_path))
                return ACCEPTED

            client = FakeSendClient(behaviour=reply_while_another_process_writes)
            message = TextMessage(to="918888888888", text="hi")
            try:
                return await Outbox(astore, executor=build_executor()).send(client, message, profile="p")
            finally:
                stack.close()
                await astore.aclose()

    row, result = asyncio.run(main())
    assert result.outcome is Outcome.ACCEPTED
    assert result.message_id == "wamid.KEPT"
    assert result.log_warning is not None
    assert result.log_warning.startswith("The message log could not record this result")
    assert "do not resend" in result.log_warning
    with reopened(db_path) as store:
        entry = store.get(row)
    assert entry is not None
    assert entry.state == "accepted"


# --------------------------------------------------------------------------- damaged files


def damaged_log(path: Path, rows: int = 400) -> None:
    """A log whose header is valid and whose data pages are garbage (filled without a store,
    which would write any pending journal)."""
    with contextlib.closing(open_connection(path)) as conn:
        conn.executemany(
            "INSERT INTO messages(created_at, updated_at, profile, recipient, kind, preview, state,"
            " request_text) VALUES (0, 0, 'p', '9188', 'text', ?, 'accepted', ?)",
            [("x" * 500, "r" * 500)] * rows,
        )
        page = conn.execute("PRAGMA page_size").fetchone()[0]
    size = path.stat().st_size
    with path.open("r+b") as handle:
        # Whole pages from the middle on, whatever the number of pages the schema takes: half a
        # page overwritten keeps its header, and reads back as garbled text rather than damage.
        handle.seek(size // 2 // page * page)
        handle.write(os.urandom(size // 4))


def test_a_log_with_damaged_pages_is_moved_aside_at_open(db_path: Path) -> None:
    damaged_log(db_path)
    store = MessageStore(db_path)
    try:
        assert store.backup_path is not None
        assert store.backup_path.exists()
        assert store.notice is not None
        assert "moved to" in store.notice
        assert store.count() == 0
        new_row(store)
        assert store.count() == 1
    finally:
        store.close()


def test_a_check_cut_short_by_its_time_limit_counts_as_sound(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A huge log is not checked to its end; what was not checked is not called damaged."""
    with contextlib.closing(open_connection(db_path)) as conn:
        conn.executemany(
            "INSERT INTO messages(created_at, updated_at, profile, recipient, kind, preview, state,"
            " request_text) VALUES (0, 0, 'p', '9188', 'text', ?, 'accepted', ?)",
            [("x" * 500, "r" * 500)] * 3000,
        )
    clock_reads: list[float] = []

    def clock() -> float:  # each read is a second later: the check's deadline passes at once
        clock_reads.append(float(len(clock_reads)))
        return clock_reads[-1]

    monkeypatch.setattr(connection_module.time, "monotonic", clock)
    store = MessageStore(db_path)
    try:
        assert len(clock_reads) > 1  # the progress handler ran, and stopped the check
        assert store.backup_path is None
        assert store.notice is None
        assert store.count() == 3000
    finally:
        store.close()


def test_damage_found_later_moves_the_log_aside_and_the_next_call_works(db_path: Path) -> None:
    damaged_log(db_path)
    store = MessageStore(db_path, integrity_check_seconds=0)
    try:
        assert store.backup_path is None
        with pytest.raises(StoreError, match="moved to"):
            store.export_json(LogQuery(), db_path.with_name("out.json"))
        assert store.backup_path is not None
        assert store.backup_path.exists()
        assert Path(str(store.backup_path)).name.startswith("messages.sqlite3.corrupt-")
        row = new_row(store)
        assert store.get(row) is not None
    finally:
        store.close()


def test_the_journal_moves_aside_with_its_damaged_log(db_path: Path) -> None:
    journaled_rows(db_path)
    damaged_log(db_path)
    with reopened(db_path) as again:
        backup, count = again.backup_path, again.count()
    assert backup is not None
    assert Path(str(backup) + JOURNAL_SUFFIX).exists()
    assert not journal_path_for(db_path).exists()
    assert count == 0


@pytest.mark.skipif(journal_module.fcntl is None, reason="flock")
def test_an_append_that_waited_for_a_replay_starts_a_new_journal_and_is_not_lost(tmp_path: Path) -> None:
    path = tmp_path / "messages.sqlite3.pending-results.jsonl"
    first, second = ResultJournal(path), ResultJournal(path)
    assert first.append(PendingResult(1, {"outcome": "accepted"}))
    appended = threading.Event()
    with first.replay() as entries:
        assert [e.row_id for e in entries] == [1]
        waiting = threading.Thread(
            target=lambda: (second.append(PendingResult(2, {"outcome": "rejected"})), appended.set())
        )
        waiting.start()
        assert not appended.wait(0.3)  # the replay holds the lock
    waiting.join(5)
    assert appended.is_set()
    with ResultJournal(path).replay() as entries:
        assert [(e.row_id, e.values) for e in entries] == [(2, {"outcome": "rejected"})]
    assert not path.exists()
