"""Group commit in the log: sends in flight together share a transaction, and each caller gets
its own row, committed before it returns; a failed batch fails every caller in it."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from whats91_desktop.core.store import AsyncMessageStore, LogQuery, MessageStore, SendingRow
from whats91_desktop.core.store.group_commit import GroupCommit


def _row(number: str, job_id: str | None = None) -> SendingRow:
    return SendingRow("p", None, number, "text", f"Hi {number}", "POST /chat", job_id=job_id)


class Writer:
    """A one-thread writer that can be held busy, as the log's thread is during a commit."""

    def __init__(self, fail_on: int | None = None) -> None:
        self.pool = ThreadPoolExecutor(1)
        self.batches: list[list[int]] = []
        self.fail_on = fail_on
        self.busy = threading.Event()

    def write_many(self, items: list[int]) -> list[int]:
        self.batches.append(items)
        if self.fail_on in items:
            raise OSError("disk full")
        return [item * 10 for item in items]

    def hold(self) -> None:
        self.pool.submit(self.busy.wait, 5)

    def commit(self) -> GroupCommit[int, int]:
        return GroupCommit[int, int](self.write_many, self.pool.submit)


def test_calls_made_while_the_writer_is_busy_go_together_in_one_batch() -> None:
    writer = Writer()

    async def go() -> list[int]:
        commit = writer.commit()
        writer.hold()
        calls = asyncio.gather(*(commit(i) for i in range(8)))
        await asyncio.sleep(0.05)
        writer.busy.set()
        return list(await calls)

    try:
        assert asyncio.run(go()) == [i * 10 for i in range(8)]
    finally:
        writer.pool.shutdown()
    assert writer.batches == [list(range(8))]  # one transaction for the eight


def test_a_failed_batch_fails_each_of_its_callers_and_the_next_batch_still_runs() -> None:
    writer = Writer(fail_on=1)

    async def go() -> tuple[list[object], int]:
        commit = writer.commit()
        alone = await commit(0)
        writer.hold()
        failing = asyncio.gather(commit(1), commit(2), return_exceptions=True)
        await asyncio.sleep(0.05)
        writer.busy.set()
        return [alone, *await failing], await commit(5)

    try:
        results, later = asyncio.run(go())
    finally:
        writer.pool.shutdown()
    assert results[0] == 0
    assert all(isinstance(result, OSError) for result in results[1:])
    assert later == 50


def test_a_caller_cancelled_before_its_batch_is_left_out() -> None:
    writer = Writer()

    async def go() -> int:
        commit = writer.commit()
        writer.hold()
        dropped = asyncio.ensure_future(commit(1))
        kept = asyncio.ensure_future(commit(2))
        await asyncio.sleep(0.01)
        dropped.cancel()
        await asyncio.sleep(0.01)
        writer.busy.set()
        return await kept

    try:
        assert asyncio.run(go()) == 20
    finally:
        writer.pool.shutdown()
    assert writer.batches == [[2]]


def test_one_insert_transaction_holds_the_rows_of_a_batch_with_their_job(tmp_path: Path) -> None:
    store = MessageStore(tmp_path / "m.sqlite3")
    try:
        ids = store.create_sending_many([_row("919800000001", "job-1"), _row("919800000002")])
        first, second = store.get(ids[0]), store.get(ids[1])
        assert first is not None
        assert first.job_id == "job-1"
        assert first.state == "sending"
        assert second is not None
        assert second.job_id is None
        assert [e.id for e in store.page(LogQuery(text="job:job-1"), 0, 10)] == [ids[0]]
        assert store.count(LogQuery(text="job:job-1 919800000002")) == 0
        assert store.count(LogQuery(text="job:")) == 0  # a bare "job:" is text, found nowhere
    finally:
        store.close()


@pytest.mark.parametrize("job_id", [None, "job-1"])
def test_interrupted_rows_of_one_job_leave_every_other_row_alone(tmp_path: Path, job_id: str | None) -> None:
    store = MessageStore(tmp_path / "m.sqlite3")
    try:
        ids = store.create_sending_many([_row("919800000001", "job-1"), _row("919800000002")])
        store._conn.execute("UPDATE messages SET owner_pid = NULL")  # both senders died
        assert store.mark_interrupted(job_id=job_id) == (2 if job_id is None else 1)
        states = [entry.state for entry in (store.get(i) for i in ids) if entry is not None]
        assert states == (["unknown", "unknown"] if job_id is None else ["unknown", "sending"])
    finally:
        store.close()


def test_outbox_sends_in_flight_together_share_the_insert_transaction(tmp_path: Path) -> None:
    """Eight sends at once: fewer insert transactions than sends, and every row committed."""

    async def go() -> tuple[int, list[int], list[int]]:
        pool = ThreadPoolExecutor(1)
        store = AsyncMessageStore(MessageStore(tmp_path / "m.sqlite3"), executor=pool)
        batches: list[int] = []
        real = store.store.create_sending_many

        def counted(rows: list[SendingRow]) -> list[int]:
            batches.append(len(rows))
            return real(rows)

        store.store.create_sending_many = counted  # type: ignore[method-assign]
        commit = GroupCommit[SendingRow, int](store.store.create_sending_many, store.submit)
        try:
            ids = await asyncio.gather(*(commit(_row(f"91980000000{i}")) for i in range(8)))
            found = [entry.id for entry in await store.page(LogQuery(), 0, 20)]
            return len(batches), sorted(ids), sorted(found)
        finally:
            await store.aclose()
            pool.shutdown()

    transactions, ids, found = asyncio.run(go())
    assert transactions < 8
    assert len(ids) == 8
    assert found == ids
