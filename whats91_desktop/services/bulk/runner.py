"""One run of one job: recover, then claim, pace, send through the outbox, record.

The order per row is what makes a crash harmless:

1. the row is claimed (``planned → sending``) in a committed transaction of the job file,
   under the job's lease (:mod:`whats91_desktop.core.bulk.job_store`);
2. :class:`~whats91_desktop.core.outbox.Outbox` commits its log row, then sends (the client
   never repeats a send that may have arrived);
3. the outcome is committed to the job row (results of rows that finish together share one
   transaction) before the row is counted, and before the same worker records its next row.
   The worker does not wait for that write to claim and send its next row: the job file's
   fsync would otherwise sit in every row's latency. A kill before it lands leaves the row
   ``sending`` with its log row complete, which recovery settles like any interrupted row.

A run killed anywhere leaves each row ``planned``, ``sending`` (with or without a log row) or
done; the next run's :class:`~whats91_desktop.services.bulk.recovery.Recovery` settles the
``sending`` ones before anything is sent. ``Retry-After`` on a 429/503 (while the client waits
to retry that row) holds the whole job, and Meta's throughput errors also halve its rate
(:mod:`whats91_desktop.core.bulk.pacing`). A server that cannot be reached pauses the job with
a note: the row goes back to ``planned`` (it surely never arrived).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Literal

from whats91_desktop.core.bulk.job_store import JobStoreError, LeaseLost, RowResult
from whats91_desktop.core.bulk.models import (
    DEFAULT_CONCURRENCY,
    BulkProgress,
    BulkSpec,
    JobRow,
    JobState,
    JobSummary,
    ReconcileReport,
    RowState,
)
from whats91_desktop.core.bulk.outcomes import (
    RETRY_AFTER_STATUSES,
    ROW_STATE,
    is_retryable,
    is_throughput_error,
)
from whats91_desktop.core.bulk.pacing import Pacer
from whats91_desktop.core.errors import ConnectError, ValidationError, Whats91Error
from whats91_desktop.core.models import Profile, RetryNotice, SendResult
from whats91_desktop.core.outbox import Outbox
from whats91_desktop.core.redact import redact_text
from whats91_desktop.core.retry import parse_retry_after
from whats91_desktop.core.serialize import message_from_json
from whats91_desktop.services.bulk.client import BulkClient
from whats91_desktop.services.bulk.job_files import AsyncJobStore
from whats91_desktop.services.bulk.recovery import Recovery

log = logging.getLogger(__name__)

PUBLISH_EVERY = 0.25
"""Seconds between progress events while counts change (a state change is told at once)."""
RATE_WINDOW = 5.0
LEASE_RENEW_SECONDS = 30.0
THROUGHPUT_HOLD_SECONDS = 2.0
"""How long the job stops after a throughput error without a Retry-After."""

Stop = Literal["stop", "cancel"]


class JobRunner:
    """Sends one job; made by :meth:`BulkService.start`. Control it from the event loop's thread.

    ``pause()`` stops taking rows (requests in flight finish and are recorded) and keeps the
    job for this window; ``resume()`` continues. ``stop()`` pauses and ends the run (the CLI's
    Ctrl+C, the window closing): the job stays resumable. ``cancel()`` ends it and skips every
    row not sent yet. ``await wait()`` returns the final :class:`JobSummary`.
    """

    def __init__(
        self,
        job_id: str,
        *,
        spec: BulkSpec,
        profile: Profile,
        client: BulkClient,
        jobs: AsyncJobStore,
        outbox: Outbox,
        recovery: Recovery,
        publish: Callable[[BulkProgress], None],
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        concurrency: int | None = None,
        follow: Callable[[int], None] | None = None,
        follow_limit: int = 0,
        last_sent: dict[str, float] | None = None,
    ) -> None:
        self.job_id = job_id
        self._profile = profile
        self._client = client
        self._jobs = jobs
        self._outbox = outbox
        self._recovery = recovery
        self._publish = publish
        self._clock = clock
        self._pacer = Pacer(spec.rate, clock=clock, sleep=sleep, last_sent=last_sent)
        self._concurrency = max(1, concurrency or DEFAULT_CONCURRENCY)
        self._follow = follow
        self._follow_left = follow_limit
        self._state = JobState.PLANNED
        self._note: str | None = None
        self._stop: Stop | None = None
        self._go = asyncio.Event()
        self._go.set()
        self._queue: collections.deque[JobRow] = collections.deque()
        self._exhausted = False
        self._claiming = asyncio.Lock()
        self._recording = asyncio.Lock()
        self._pending: list[RowResult] = []
        self._writes: set[asyncio.Future[None]] = set()
        self._counts: dict[RowState, int] = {state: 0 for state in RowState}
        self._finished_at: collections.deque[float] = collections.deque()
        self._last_publish = -1e18
        self._task: asyncio.Task[JobSummary] | None = None
        self._state_write: asyncio.Future[None] | None = None
        self._ending = False
        self._state_changed = asyncio.Event()
        self.reconciled: ReconcileReport | None = None
        """What the run's recovery found (None until it ran)."""

    # ------------------------------------------------------------------ control

    @property
    def state(self) -> JobState:
        return self._state

    @property
    def finished(self) -> bool:
        return self._task is not None and self._task.done()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.ensure_future(self._main())

    def pause(self) -> None:
        if not self.finished and self._stop is None:
            self._go.clear()
            self._pacer.interrupt()
            self._set_state(JobState.PAUSED)
            self._persist_state()

    def resume(self) -> None:
        if not self.finished and self._stop is None and self._state is JobState.PAUSED:
            self._note = None
            self._go.set()
            self._set_state(JobState.RUNNING)
            self._persist_state()

    def stop(self) -> None:
        self._request_stop("stop")

    def cancel(self) -> None:
        self._request_stop("cancel")

    def _request_stop(self, how: Stop) -> None:
        if not self.finished and self._stop != "cancel":
            self._stop = how
            self._go.set()  # paused workers wake up to leave
            self._pacer.interrupt()  # and waiting ones at once

    async def wait(self) -> JobSummary:
        """The job as it stands once this run has ended."""
        assert self._task is not None, "start() the runner first"
        return await asyncio.shield(self._task)

    async def settled(self) -> JobState:
        """Wait until the job is paused (by the user or the engine) or the run has ended."""
        assert self._task is not None, "start() the runner first"
        while not self._task.done() and self._state is not JobState.PAUSED:
            self._state_changed.clear()
            changed = asyncio.ensure_future(self._state_changed.wait())
            try:
                await asyncio.wait({self._task, changed}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                changed.cancel()
        return self._state

    # ------------------------------------------------------------------ the run

    async def _main(self) -> JobSummary:
        try:
            # A pause() while the job was starting is written after this, in call order.
            await self._jobs.set_state(self.job_id, JobState.RUNNING)
            self._counts = await self._jobs.counts(self.job_id)
            # A pause() asked for while the job was starting holds: the workers wait on _go.
            self._set_state(JobState.RUNNING if self._go.is_set() else JobState.PAUSED)
            self.reconciled = await self._recovery.run(self.job_id)
            self._counts = await self._jobs.counts(self.job_id)
            self._publish_progress(force=True)
            workers = [asyncio.ensure_future(self._worker()) for _ in range(self._concurrency)]
            try:
                await asyncio.gather(*workers)
            finally:
                for worker in workers:
                    worker.cancel()
                await asyncio.gather(*workers, return_exceptions=True)
                await asyncio.gather(*self._writes, return_exceptions=True)
            await self._release_queue()
            if self._stop is None and self._counts[RowState.UNKNOWN]:
                # Timeouts and dropped connections of this run: the reports may know already.
                self.reconciled = _merged(self.reconciled, await self._recovery.run(self.job_id))
            return await self._finish()
        except (LeaseLost, JobStoreError) as err:
            self._note = str(err)
            return await self._finish()
        finally:
            await asyncio.shield(self._cleanup())

    async def _finish(self) -> JobSummary:
        self._ending = True
        if self._state_write is not None:
            await self._state_write
        counts = await self._jobs.counts(self.job_id)
        if self._stop == "cancel":
            await self._jobs.cancel_rest(self.job_id)
            state = JobState.CANCELLED
        elif counts[RowState.PLANNED] or counts[RowState.SENDING] or self._stop is not None:
            state = JobState.PAUSED
        else:
            state = JobState.FINISHED
        await self._jobs.set_state(self.job_id, state, self._note)
        self._counts = await self._jobs.counts(self.job_id)
        self._set_state(state)
        return await self._jobs.summary(self.job_id)

    async def _cleanup(self) -> None:
        with contextlib.suppress(Whats91Error):
            await self._release_queue()
            await self._jobs.release_lease(self.job_id)

    async def _release_queue(self) -> None:
        if self._queue:
            rows = [row.seq for row in self._queue]
            self._queue.clear()
            await self._jobs.release(self.job_id, rows)
            self._move(RowState.SENDING, RowState.PLANNED, len(rows))

    async def _worker(self) -> None:
        written: asyncio.Future[None] | None = None  # this worker's last row's result write
        try:
            while True:
                if self._stop is not None:
                    return
                if not self._go.is_set():
                    await self._idle()
                    continue
                row = await self._next_row()
                if row is None:
                    return
                if not await self._pacer.turn(row.recipient):
                    self._queue.appendleft(row)  # woken by a pause or a stop: given back at once
                    continue
                if self._stop is not None or not self._go.is_set():
                    self._pacer.cancel_turn(row.recipient)
                    self._queue.appendleft(row)
                    continue
                outcome = await self._send(row)
                if written is not None:
                    await written  # raises a failed write's error: the run stops
                written = self._write(outcome)
        finally:
            if written is not None:
                await asyncio.shield(written)

    async def _idle(self) -> None:
        """Paused: give back the claimed rows, keep the lease fresh, wait for resume."""
        await self._release_queue()
        self._publish_progress(force=True)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._go.wait(), LEASE_RENEW_SECONDS)
            return
        await self._jobs.renew_lease(self.job_id)

    async def _next_row(self) -> JobRow | None:
        async with self._claiming:
            if not self._queue and not self._exhausted and self._stop is None:
                rows = await self._jobs.claim(self.job_id, self._concurrency)
                self._exhausted = not rows
                self._queue.extend(rows)
                self._move(RowState.PLANNED, RowState.SENDING, len(rows))
        return self._queue.popleft() if self._queue else None

    async def _send(self, row: JobRow) -> RowResult:
        """Send ``row`` through the outbox; its outcome, for the job file (a cancel records it)."""
        assert row.message_json is not None
        message = message_from_json(row.message_json)
        created: list[int] = []
        try:
            _, result = await self._outbox.send(
                self._client,
                message,
                profile=self._profile.name,
                on_retry=self._on_retry,
                on_created=created.append,
                job_id=self.job_id,
            )
        except ConnectError as err:
            self._pause_for(
                f"Whats91 could not be reached ({redact_text(str(err))}). Resume when the connection is back."
            )
            outcome = RowResult(row.seq, RowState.PLANNED, _first(created))
        except ValidationError as err:
            outcome = RowResult(row.seq, RowState.REJECTED, _first(created), None, "invalid", str(err))
        except asyncio.CancelledError:
            unknown = RowResult(
                row.seq, RowState.UNKNOWN, _first(created), None, None, "Stopped before the reply arrived."
            )
            await asyncio.shield(self._commit(unknown))
            raise
        except Whats91Error as err:
            outcome = RowResult(row.seq, RowState.UNKNOWN, _first(created), None, None, redact_text(str(err)))
        else:
            return self._outcome(row, _first(created), result)
        return outcome

    def _outcome(self, row: JobRow, log_row_id: int | None, result: SendResult) -> RowResult:
        state = ROW_STATE[result.outcome]
        if state is RowState.PLANNED:
            self._pause_for(
                f"Whats91 could not be reached ({result.error_message}). Resume when the connection is back."
            )
        retry_after = _retry_after(result)
        if is_throughput_error(result.error_code):
            rate = self._pacer.slow_down(retry_after or THROUGHPUT_HOLD_SECONDS)
            self._note = f"Meta asked to slow down ({result.error_code}): now {rate:g} messages a second."
        elif result.http_status in RETRY_AFTER_STATUSES:
            self._pacer.hold(retry_after or THROUGHPUT_HOLD_SECONDS)
        retryable = state is RowState.REJECTED and is_retryable(result.error_code, result.http_status)
        if state in (RowState.ACCEPTED, RowState.QUEUED) and log_row_id is not None and self._follow_left > 0:
            self._follow_left -= 1
            if self._follow is not None:
                self._follow(log_row_id)
        return RowResult(
            row.seq, state, log_row_id, result.message_id, result.error_code, result.error_message, retryable
        )

    def _on_retry(self, notice: RetryNotice) -> None:
        """The client waits ``notice.delay`` before retrying one row: the whole job waits too."""
        if notice.http_status in RETRY_AFTER_STATUSES:
            self._pacer.hold(notice.delay)
            self._publish_progress(force=True)

    def _pause_for(self, note: str) -> None:
        self._note = note
        self._exhausted = False
        if self._stop is None:
            self._go.clear()
            self._pacer.interrupt()
            self._set_state(JobState.PAUSED)
            self._persist_state()

    def _persist_state(self) -> None:
        """Write the run's state (paused or running) to the job file, after the writes before."""
        self._state_write = asyncio.ensure_future(self._write_state(self._state_write))

    async def _write_state(self, before: asyncio.Future[None] | None) -> None:
        if before is not None:
            await before
        if self._ending:
            return  # the run's end writes the final state
        try:
            await self._jobs.set_run_state(self.job_id, self._state, self._note)
        except Whats91Error as err:
            log.warning("could not record that job %s is %s: %s", self.job_id, self._state.value, err)

    def _write(self, result: RowResult) -> asyncio.Future[None]:
        """Start committing ``result``; the run waits for every such write before it ends."""
        write = asyncio.ensure_future(self._commit(result))
        self._writes.add(write)
        write.add_done_callback(self._writes.discard)
        return write

    async def _commit(self, result: RowResult) -> None:
        """Write ``result`` (with any others waiting) before returning: group commit."""
        self._pending.append(result)
        async with self._recording:
            if not self._pending:
                return  # the previous writer took ours with its own
            batch, self._pending = self._pending, []
            await self._jobs.record(self.job_id, batch)
        now = self._clock()
        for done in batch:
            self._move(RowState.SENDING, done.state, 1)
            self._finished_at.append(now)
        self._publish_progress()

    # ------------------------------------------------------------------ progress

    def _move(self, source: RowState, target: RowState, n: int) -> None:
        if n:
            self._counts[source] -= n
            self._counts[target] += n

    def _set_state(self, state: JobState) -> None:
        self._state = state
        self._state_changed.set()
        self._publish_progress(force=True)

    def _publish_progress(self, *, force: bool = False) -> None:
        now = self._clock()
        if not force and now - self._last_publish < PUBLISH_EVERY:
            return
        self._last_publish = now
        while self._finished_at and self._finished_at[0] < now - RATE_WINDOW:
            self._finished_at.popleft()
        rate = len(self._finished_at) / RATE_WINDOW
        left = self._counts[RowState.PLANNED] + self._counts[RowState.SENDING]
        pace = rate or self._pacer.rate
        progress = BulkProgress(
            job_id=self.job_id,
            state=self._state,
            counts=dict(self._counts),
            rate=rate,
            eta_seconds=left / pace if pace else None,
            note=self._note,
            waiting_seconds=self._pacer.held_for(),
        )
        try:
            self._publish(progress)
        except Exception:
            # A listener's bug must not stop the sends (their outcomes would go unrecorded).
            log.exception("a bulk progress listener failed")


def _merged(before: ReconcileReport | None, after: ReconcileReport) -> ReconcileReport:
    """Both settlements of a run (at its start, at its end) as one: what is unknown now."""
    if before is None:
        return after
    return ReconcileReport(
        job_id=after.job_id,
        found=before.found + after.found,
        not_sent=before.not_sent + after.not_sent,
        still_unknown=after.still_unknown,
        explanations=after.explanations,
    )


def _first(values: list[int]) -> int | None:
    return values[0] if values else None


def _retry_after(result: SendResult) -> float | None:
    head = result.response_head
    if head is None:
        return None
    value = next((v for k, v in head.headers if k.lower() == "retry-after"), None)
    return parse_retry_after(value)
