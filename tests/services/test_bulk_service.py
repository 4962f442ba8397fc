"""The bulk engine through ``BulkService``, against the in-process sandbox and the real log.

Pacing runs on a virtual clock shared by the engine and the sandbox (whose request record is
the witness), with one worker, so a minute of pacing takes no time and every recorded
timestamp is the moment the engine let the request go.
"""

from __future__ import annotations

import asyncio
import csv
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from tests.helpers.desk import make_desk
from tests.helpers.sandbox_fixtures import FakeClock, run
from whats91_desktop.core.bulk.audience import Audience, from_pasted
from whats91_desktop.core.bulk.contact_books import SCOPE_EXPLANATION
from whats91_desktop.core.bulk.job_store import JobStore, JobStoreError, RowResult
from whats91_desktop.core.bulk.models import BulkProgress, BulkSpec, JobState, JobSummary, RowState
from whats91_desktop.core.client import Whats91Client
from whats91_desktop.core.errors import ForbiddenError, ValidationError
from whats91_desktop.core.models import Outcome, TextMessage
from whats91_desktop.core.serialize import message_to_json
from whats91_desktop.core.store import LogQuery
from whats91_desktop.sandbox.app import create_app
from whats91_desktop.sandbox.constants import BLACKLISTED_RECIPIENT, SANDBOX_BASE_URL, SANDBOX_SCOPED_TOKEN
from whats91_desktop.sandbox.state import SandboxState
from whats91_desktop.sandbox.transport import sandbox_transport
from whats91_desktop.services.bulk.runner import JobRunner
from whats91_desktop.services.bulk.service import BulkService
from whats91_desktop.services.container import DesktopServices
from whats91_desktop.services.sandbox_profile import SANDBOX_PROFILE

PROFILE = SANDBOX_PROFILE


@dataclass
class World:
    desk: DesktopServices
    state: SandboxState
    bulk: BulkService
    events: list[BulkProgress]

    def sends_to(self, number: str) -> int:
        return len(self.state.sends_to(number))

    def send_times(self) -> list[tuple[str, float]]:
        return [(r.recipient or "", r.time) for r in self.state.requests if r.is_send]

    async def job(self, audience: Audience, spec: BulkSpec) -> JobSummary:
        report = await self.bulk.dry_run(PROFILE, audience, spec)
        return await self.bulk.plan(PROFILE, report)

    async def send(self, audience: Audience, spec: BulkSpec, **kwargs: int) -> JobSummary:
        summary = await self.job(audience, spec)
        runner = await self.bulk.start(summary.job_id, PROFILE, **kwargs)
        return await runner.wait()


@asynccontextmanager
async def world(
    tmp_path: Path, *, clock: FakeClock | None = None, sleep: Callable[[float], object] | None = None
) -> AsyncIterator[World]:
    state = SandboxState(clock=clock) if clock is not None else SandboxState()
    desk = make_desk(sandbox_state=state)
    kwargs = {}
    if clock is not None:
        kwargs = {"clock": clock, "sleep": sleep, "wall_clock": clock}
    bulk = BulkService(
        store=desk.store,
        outbox=desk.outbox,
        follower=desk.follower,
        client_for=desk.services.clients.client_for,
        jobs_path=tmp_path / "bulk.sqlite3",
        executor=desk.services.executors.bulk,
        follow_limit=0,
        **kwargs,  # type: ignore[arg-type]
    )
    events: list[BulkProgress] = []
    bulk.progress.subscribe(events.append)
    try:
        yield World(desk, state, bulk, events)
    finally:
        await bulk.aclose()
        await desk.aclose()


def numbers(count: int, start: int = 0) -> list[str]:
    return [f"91981{index:07d}" for index in range(start, start + count)]


def text_spec(rate: float | None = None, text: str = "Hello {phone}") -> BulkSpec:
    return BulkSpec(to_column="phone", text=text, rate=rate)


# --------------------------------------------------------------------------- sending


def test_every_row_is_sent_once_and_lands_in_the_log(tmp_path: Path) -> None:
    async def go() -> None:
        async with world(tmp_path) as w:
            audience = from_pasted("\n".join(numbers(12)))
            summary = await w.send(audience, text_spec())
            assert summary.state is JobState.FINISHED
            assert summary.counts[RowState.ACCEPTED] == 12
            assert all(w.sends_to(n) == 1 for n in numbers(12))
            rows = await w.bulk.rows(summary.job_id)
            entry = await w.desk.store.get(rows[0].log_row_id or -1)
            assert entry is not None
            assert entry.state == "accepted"
            assert entry.message_id == rows[0].message_id
            assert entry.job_id == summary.job_id
            assert entry.preview == f"Hello {numbers(12)[0]}"  # the message's own, no job prefix
            found = await w.desk.store.count(LogQuery(text=f"job:{summary.job_id}"))
            assert found == 12
            assert w.events[-1].counts[RowState.ACCEPTED] == 12

    run(go())


def test_a_result_the_job_file_cannot_write_stops_the_run_and_no_sent_row_looks_unsent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers send their next row while the last result is written: a failed write must
    still stop the run within a row, and every sent row stays ``sending`` for recovery."""
    record = JobStore.record
    writes: list[int] = []

    def failing_record(store: JobStore, job_id: str, results: Sequence[RowResult]) -> None:
        writes.append(len(results))
        if len(writes) > 2:
            raise JobStoreError("the disk is full")
        record(store, job_id, results)

    monkeypatch.setattr(JobStore, "record", failing_record)

    async def go() -> None:
        async with world(tmp_path) as w:
            summary = await w.send(from_pasted("\n".join(numbers(20))), text_spec(), concurrency=2)
            sent = sum(w.sends_to(n) for n in numbers(20))
            assert summary.state is JobState.PAUSED
            assert summary.note == "the disk is full"
            assert sent < 20
            assert summary.counts[RowState.ACCEPTED] + summary.counts[RowState.SENDING] == sent

    run(go())


def test_dry_run_names_each_rows_problem_and_skips_duplicates_and_the_blacklist(tmp_path: Path) -> None:
    async def go() -> None:
        async with world(tmp_path) as w:
            audience = Audience(
                ("phone", "name", "invoice", "code"),
                tuple(
                    row
                    for row in (
                        _row(2, "+91 98100 00001", "Asha", "INV-1", "a1"),
                        _row(3, "12", "Ravi", "INV-2", "a2"),
                        _row(4, "919810000003", "", "INV-3", "a3"),
                        _row(5, "9810000001", "Asha again", "INV-4", "a4"),
                        _row(6, BLACKLISTED_RECIPIENT, "Bob", "INV-5", "a5"),
                        _row(7, "919810000007", "x" * 1100, "INV-6", "a6"),
                    )
                ),
                "test.csv",
            )
            spec = BulkSpec(
                to_column="phone",
                template_name="payment_reminder",
                param_columns=("name", "invoice"),
                button_param_columns=("code",),
            )
            report = await w.bulk.dry_run(PROFILE, audience, spec)
            by_line = {c.line: c for c in report.checks}
            assert by_line[2].sendable
            assert by_line[3].problems[0].field == "phone"
            assert by_line[4].problems[0].field == "name"
            assert "empty" in by_line[4].problems[0].message
            assert by_line[5].skip_reason is not None
            assert "line 2" in by_line[5].skip_reason
            assert by_line[6].skip_reason is not None
            assert "blacklist" in by_line[6].skip_reason
            assert "characters" in by_line[7].problems[0].message
            assert (report.will_send, report.skipped, report.invalid) == (1, 2, 3)
            assert report.preview_text.startswith("Payment due\nHi Asha, invoice INV-1 is due.")
            with pytest.raises(ValidationError):
                await w.bulk.plan(PROFILE, report)
            assert not w.state.sends_to("919810000001"), "a dry run sent something"

    run(go())


def _row(line: int, *values: str) -> object:
    from whats91_desktop.core.bulk.models import AudienceRow

    return AudienceRow(line, values)


def test_template_variable_count_is_checked_against_the_template(tmp_path: Path) -> None:
    async def go() -> None:
        async with world(tmp_path) as w:
            audience = from_pasted("919810000001")
            spec = BulkSpec(to_column="phone", template_name="payment_reminder", param_columns=("phone",))
            report = await w.bulk.dry_run(PROFILE, audience, spec)
            fields = [p.field for p in report.checks[0].problems]
            assert fields == ["parameters", "button_parameters"]

    run(go())


def test_mapping_mistakes_are_one_error_naming_the_field(tmp_path: Path) -> None:
    async def go() -> None:
        async with world(tmp_path) as w:
            audience = from_pasted("919810000001")
            with pytest.raises(ValidationError) as caught:
                await w.bulk.dry_run(
                    PROFILE, audience, BulkSpec(to_column="mobile", text="Hi {name}", rate=500)
                )
            fields = [p.field for p in caught.value.problems]
            assert fields == ["to_column", "rate", "text"]

    run(go())


def test_contact_book_audience_reads_every_page_with_custom_fields(tmp_path: Path) -> None:
    async def go() -> None:
        async with world(tmp_path) as w:
            books = await w.bulk.contact_books(PROFILE)
            assert [b.name for b in books] == ["Customers", "VIP"]
            audience = await w.bulk.load_contact_book(PROFILE, books[0])
            assert len(audience.rows) == 120
            assert audience.columns[-2:] == ("city", "order")
            first = audience.as_dict(audience.rows[0])
            assert (first["displayName"], first["order"]) == ("Customer 1", "A-1001")
            vip = await w.bulk.load_contact_book(PROFILE, books[1])
            spec = BulkSpec(to_column="phone", text="Hi {displayName}, tier {tier}")
            report = await w.bulk.dry_run(PROFILE, vip, spec)
            assert report.will_send == 2
            assert report.skipped == 1

    run(go())


def test_contact_books_with_a_number_scoped_token_explain_why(tmp_path: Path) -> None:
    async def go() -> None:
        state = SandboxState()
        client = Whats91Client(
            SANDBOX_BASE_URL, SANDBOX_SCOPED_TOKEN, transport=sandbox_transport(create_app(state))
        )
        try:
            with pytest.raises(ForbiddenError) as caught:
                await client.list_contact_books()
        finally:
            await client.aclose()
        assert caught.value.code == "TOKEN_SCOPE_NOT_ALLOWED"
        assert caught.value.message == SCOPE_EXPLANATION

    run(go())


# --------------------------------------------------------------------------- pacing


class VirtualSleep:
    """Sleeping moves the shared clock (one worker: nothing else runs meanwhile)."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock

    async def __call__(self, seconds: float) -> None:
        self.clock.advance(seconds)
        await asyncio.sleep(0)


def test_global_rate_holds_within_ten_percent(tmp_path: Path) -> None:
    async def go() -> None:
        clock = FakeClock()
        async with world(tmp_path, clock=clock, sleep=VirtualSleep(clock)) as w:
            await w.send(from_pasted("\n".join(numbers(20))), text_spec(rate=10), concurrency=1)
            times = [t for _, t in w.send_times()]
            rate = (len(times) - 1) / (times[-1] - times[0])
            assert 9.0 <= rate <= 11.0

    run(go())


def test_no_recipient_gets_two_messages_within_six_seconds(tmp_path: Path) -> None:
    async def go() -> None:
        clock = FakeClock()
        async with world(tmp_path, clock=clock, sleep=VirtualSleep(clock)) as w:
            audience = from_pasted("\n".join(numbers(3)))
            await w.send(audience, text_spec(rate=80), concurrency=1)
            await w.send(audience, text_spec(rate=80, text="Second {phone}"), concurrency=1)
            last: dict[str, float] = {}
            gaps = []
            for recipient, at in w.send_times():
                if recipient in last:
                    gaps.append(at - last[recipient])
                last[recipient] = at
            assert len(gaps) == 3
            assert min(gaps) >= 6.0

    run(go())


def test_retry_after_holds_the_whole_job_not_just_one_row(tmp_path: Path) -> None:
    async def go() -> None:
        async with world(tmp_path) as w:
            w.state.throttle(1, retry_after=0.5)
            summary = await w.send(from_pasted("\n".join(numbers(6))), text_spec(rate=None), concurrency=4)
            assert summary.counts[RowState.ACCEPTED] == 6
            throttled = next(r for r in w.state.requests if r.status_code == 429)
            later = [r.time for r in w.state.requests if r.is_send and r.time > throttled.time]
            assert len(later) == 6
            # Requests that had started before the 429 came back finish; none starts after it.
            early = [t for t in later if t - throttled.time < 0.45]
            assert len(early) <= 3
            assert len(later) - len(early) >= 3
            assert any(e.waiting_seconds > 0 for e in w.events)

    run(go())


def test_rate_limited_rows_are_retryable_and_retry_failed_sends_only_them(tmp_path: Path) -> None:
    async def go() -> None:
        clock = FakeClock()  # the retry waits out the pair gap after the refused attempts
        async with world(tmp_path, clock=clock, sleep=VirtualSleep(clock)) as w:
            w.state.throttle(3, retry_after=0.05)  # the client's three attempts of the first row
            summary = await w.send(from_pasted("\n".join(numbers(4))), text_spec(rate=None), concurrency=1)
            assert summary.counts[RowState.REJECTED] == 1
            assert await w.bulk.retryable_count(summary.job_id) == 1
            assert await w.bulk.retry_failed(summary.job_id) == 1
            runner = await w.bulk.start(summary.job_id, PROFILE, concurrency=1)
            again = await runner.wait()
            assert again.counts[RowState.ACCEPTED] == 4
            assert [w.sends_to(n) for n in numbers(4)] == [4, 1, 1, 1]  # 3 refused attempts, then one

    run(go())


# --------------------------------------------------------------------------- control


def test_pause_resume_and_cancel(tmp_path: Path) -> None:
    async def go() -> None:
        async with world(tmp_path) as w:
            summary = await w.job(from_pasted("\n".join(numbers(30))), text_spec(rate=20))
            runner = await w.bulk.start(summary.job_id, PROFILE, concurrency=2)
            await _until(lambda: sum(1 for r in w.state.requests if r.is_send) >= 3)
            runner.pause()
            assert await runner.settled() is JobState.PAUSED
            await asyncio.sleep(0.1)  # in-flight requests finish
            paused_at = sum(1 for r in w.state.requests if r.is_send)
            await asyncio.sleep(0.4)
            assert sum(1 for r in w.state.requests if r.is_send) == paused_at
            runner.resume()
            await _until(lambda: sum(1 for r in w.state.requests if r.is_send) >= paused_at + 3)
            runner.cancel()
            final = await runner.wait()
            assert final.state is JobState.CANCELLED
            sent = sum(1 for r in w.state.requests if r.is_send)
            assert final.counts[RowState.ACCEPTED] == sent
            assert final.counts[RowState.SKIPPED] == 30 - sent
            assert final.counts[RowState.PLANNED] == 0

    run(go())


async def _until(condition: Callable[[], bool], limit: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + limit
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.01)


# --------------------------------------------------------------------------- recovery


def test_resume_settles_rows_a_dead_run_left_sending_before_sending_anything(tmp_path: Path) -> None:
    """Row 0: claimed, never logged (surely not sent): sent now. Row 1: logged and answered,
    but the job file missed it: accepted, not resent. Row 2: logged, reached Whats91, outcome
    unknown: found in the reports, not resent. Row 3: logged as unknown, never reached it:
    stays unknown."""

    async def go() -> None:
        async with world(tmp_path) as w:
            targets = numbers(5)
            summary = await w.job(from_pasted("\n".join(targets)), text_spec(rate=None))
            jobs = w.bulk._jobs  # the crash is staged on the file itself
            assert await jobs.take_lease(summary.job_id)
            claimed = await jobs.claim(summary.job_id, 4)
            client = await w.desk.services.clients.client_for(PROFILE)
            for row in claimed[1:3]:
                message = TextMessage(to=row.recipient, text=f"Hello {row.recipient}")
                assert message_to_json(message) == row.message_json
                sent = w.desk.outbox.send(client, message, profile=PROFILE.name, job_id=summary.job_id)
                row_id, _ = await sent
                if row is claimed[2]:
                    await w.desk.store.mark_outcome(row_id, Outcome.UNKNOWN, error_message="timed out")
            never = TextMessage(to=claimed[3].recipient, text=f"Hello {claimed[3].recipient}")
            lost = await w.desk.store.create_sending(
                profile=PROFILE.name, sender_id=None, recipient=never.to, kind="text", preview="",
                request_text="", message_json=message_to_json(never),
            )  # fmt: skip
            await w.desk.store.mark_outcome(lost, Outcome.UNKNOWN)
            await jobs.release_lease(summary.job_id)

            runner = await w.bulk.start(summary.job_id, PROFILE)
            final = await runner.wait()
            assert [w.sends_to(n) for n in targets] == [1, 1, 1, 0, 1]
            assert runner.reconciled is not None
            assert (runner.reconciled.found, runner.reconciled.not_sent, runner.reconciled.still_unknown) == (
                2,
                1,
                1,
            )
            assert final.counts[RowState.ACCEPTED] == 4
            assert final.counts[RowState.UNKNOWN] == 1
            assert final.left == 0

    run(go())


def test_a_second_runner_cannot_take_a_job_another_process_holds(tmp_path: Path) -> None:
    async def go() -> None:
        async with world(tmp_path) as w:
            summary = await w.job(from_pasted("919810000001"), text_spec())
            other = w.bulk._jobs
            assert await other.take_lease(summary.job_id)
            # The lease is this process's: a foreign living pid holding it refuses the start.
            from whats91_desktop.core.bulk.job_store import JobStore

            store = JobStore(tmp_path / "bulk.sqlite3")
            store._pid = 1  # pid 1 (init) is alive and not us
            assert store.take_lease(summary.job_id) is False
            store.close()

    run(go())


# --------------------------------------------------------------------------- after


def test_export_has_the_input_columns_and_each_rows_outcome(tmp_path: Path) -> None:
    async def go() -> None:
        async with world(tmp_path) as w:
            audience = Audience(
                ("phone", "note"),
                (_row(2, "919810000001", "=cmd"), _row(3, "919810000001", "dup")),  # type: ignore[arg-type]
                "x.csv",
            )
            summary = await w.send(audience, BulkSpec(to_column="phone", text="Hi {note}"))
            target = tmp_path / "results.csv"
            assert await w.bulk.export_csv(summary.job_id, target) == 2
            with target.open(encoding="utf-8", newline="") as handle:
                rows = list(csv.DictReader(handle))
            assert rows[0]["note"] == "'=cmd"
            assert rows[0]["outcome"] == "accepted"
            assert rows[0]["messageId"].startswith("wamid.")
            assert rows[0]["status"] == "accepted"
            assert rows[1]["outcome"] == "skipped"
            assert "line 2" in rows[1]["error"]
            rollup = await w.bulk.rollup(summary.job_id)
            assert (rollup.sent, rollup.failed, rollup.unknown) == (1, 0, 0)

    run(go())


def test_resumable_lists_jobs_with_rows_left(tmp_path: Path) -> None:
    async def go() -> None:
        async with world(tmp_path) as w:
            summary = await w.job(from_pasted("\n".join(numbers(3))), text_spec())
            resumable = await w.bulk.resumable()
            assert [(s.job_id, s.left) for s in resumable] == [(summary.job_id, 3)]
            await w.send(from_pasted("919810000009"), text_spec())
            assert [s.job_id for s in await w.bulk.resumable()] == [summary.job_id]
            assert json.dumps(replace(summary).to_json())

    run(go())


class Unplugged:
    """The real client until ``after`` sends went through; then every send cannot connect."""

    def __init__(self, inner: Whats91Client, after: int) -> None:
        self._inner = inner
        self._left = after

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)

    async def send(self, message: object, **kwargs: object) -> object:
        if self._left <= 0:
            from whats91_desktop.core.errors import ConnectError

            raise ConnectError("could not reach sandbox: connection refused")
        self._left -= 1
        return await self._inner.send(message, **kwargs)  # type: ignore[arg-type]


def test_an_unreachable_server_pauses_the_job_and_the_row_is_sent_on_resume(tmp_path: Path) -> None:
    async def go() -> None:
        async with world(tmp_path) as w:
            real = await w.desk.services.clients.client_for(PROFILE)
            unplugged = Unplugged(real, after=2)

            async def client_for(_profile: object) -> object:
                return unplugged

            w.bulk._client_for = client_for  # type: ignore[assignment]
            summary = await w.job(from_pasted("\n".join(numbers(5))), text_spec(rate=None))
            runner = await w.bulk.start(summary.job_id, PROFILE, concurrency=1)
            assert await runner.settled() is JobState.PAUSED
            runner.stop()
            paused = await runner.wait()
            assert paused.note is not None
            assert "could not be reached" in paused.note
            assert (paused.counts[RowState.ACCEPTED], paused.counts[RowState.PLANNED]) == (2, 3)
            rows = await w.bulk.rows(summary.job_id, states=(RowState.PLANNED,))
            assert all(row.log_row_id is None for row in rows)
            unplugged._left = 10
            final = await (await w.bulk.start(summary.job_id, PROFILE)).wait()
            assert final.counts[RowState.ACCEPTED] == 5
            assert [w.sends_to(n) for n in numbers(5)] == [1, 1, 1, 1, 1]

    run(go())


# --------------------------------------------------------------------------- fixes after review


def test_resuming_a_job_settles_only_its_own_log_rows_never_another_send(tmp_path: Path) -> None:
    """A dead run's log row of this job becomes unknown; a log row in ``sending`` that is not
    the job's (a compose send, another job) is left exactly as it is."""

    async def go() -> None:
        async with world(tmp_path) as w:
            store = w.desk.store
            summary = await w.job(from_pasted(numbers(1)[0]), text_spec(rate=None))
            jobs = w.bulk._jobs
            assert await jobs.take_lease(summary.job_id)
            (row,) = await jobs.claim(summary.job_id, 1)
            own = await store.create_sending(
                profile=PROFILE.name, sender_id=None, recipient=row.recipient, kind="text", preview="",
                request_text="", message_json=row.message_json, job_id=summary.job_id,
            )  # fmt: skip
            other = await store.create_sending(
                profile=PROFILE.name, sender_id=None, recipient="919800000000", kind="text", preview="",
                request_text="", message_json=None,
            )  # fmt: skip
            # Both were sent by processes that died (no owner): only the job's is the job's to settle.
            store.store._conn.execute("UPDATE messages SET owner_pid = NULL")
            await jobs.release_lease(summary.job_id)

            final = await (await w.bulk.start(summary.job_id, PROFILE)).wait()
            own_entry, other_entry = await store.get(own), await store.get(other)
            assert own_entry is not None
            assert own_entry.state == "unknown"
            assert other_entry is not None
            assert other_entry.state == "sending"
            assert final.counts[RowState.UNKNOWN] == 1
            assert w.sends_to(row.recipient) == 0  # maybe sent: never resent without the user

    run(go())


async def _waiting_for_the_pair_gap(w: World) -> tuple[JobSummary, JobRunner]:
    """A second job to a number the first just messaged: its row waits out the 6 s pair gap."""
    audience = from_pasted(numbers(1)[0])
    await w.send(audience, text_spec(rate=None))
    second = await w.job(audience, text_spec(rate=None, text="Again {phone}"))
    runner = await w.bulk.start(second.job_id, PROFILE, concurrency=1)
    await _until(lambda: runner.state is JobState.RUNNING)
    await asyncio.sleep(0.2)  # claimed, waiting on the pacer
    return second, runner


def test_cancel_does_not_wait_out_the_pair_gap(tmp_path: Path) -> None:
    async def go() -> None:
        async with world(tmp_path) as w:
            _, runner = await _waiting_for_the_pair_gap(w)
            runner.cancel()
            final = await asyncio.wait_for(runner.wait(), 1.5)
            assert final.state is JobState.CANCELLED
            assert w.sends_to(numbers(1)[0]) == 1

    run(go())


async def _eventually(check: Callable[[], Awaitable[bool]], limit: float = 1.5) -> None:
    deadline = asyncio.get_running_loop().time() + limit
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.02)


def test_pause_is_in_the_job_file_at_once_even_while_a_row_waits(tmp_path: Path) -> None:
    """Paused: the job file says so (other views, ``--jobs``, a restart) and the waiting row is
    given back at once; resumed: running again."""

    async def go() -> None:
        async with world(tmp_path) as w:
            second, runner = await _waiting_for_the_pair_gap(w)
            job_id = second.job_id

            async def paused_and_released() -> bool:
                summary = await w.bulk.summary(job_id)
                return summary.state is JobState.PAUSED and summary.counts[RowState.SENDING] == 0

            runner.pause()
            await _eventually(paused_and_released)
            from whats91_desktop.core.bulk.job_store import JobStore

            elsewhere = JobStore(tmp_path / "bulk.sqlite3")  # another window's view of the file
            try:
                assert elsewhere.summary(job_id).state is JobState.PAUSED
                runner.resume()

                async def running() -> bool:
                    return elsewhere.summary(job_id).state is JobState.RUNNING

                await _eventually(running)
            finally:
                elsewhere.close()
            runner.cancel()
            assert (await runner.wait()).state is JobState.CANCELLED

    run(go())
