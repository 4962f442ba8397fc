"""What a dead run left behind, settled before a job sends anything again.

Rows left ``sending`` become ``unknown``, and so do the log rows of this job (``job_id``,
schema v10) that a dead process left ``sending`` — no other log row. Each unknown row is then
matched to its log row — by the id the job recorded, or else by the log row the outbox wrote
for it (this job's, same profile and recipient, the same frozen message, logged after the row
was claimed, owned by no other job row) — and settled by what the log and the reports say:

- no log row: the outbox writes it before the request leaves, so the request never left:
  ``planned`` again, sent by this run;
- a log row with an answer (the run died between the log and the job file): its outcome;
- a log row that never got an answer: :meth:`StatusFollower.reconcile` looks for it in the
  reports. Found: accepted (or queued), never sent again. Not found, or the reports cannot be
  read: it stays ``unknown`` with the explanation, and is never resent without the user.
"""

from __future__ import annotations

import json

from whats91_desktop.core.bulk.job_store import RowResult
from whats91_desktop.core.bulk.models import JobRow, ReconcileReport, RowState
from whats91_desktop.core.bulk.outcomes import is_retryable
from whats91_desktop.core.errors import Whats91Error
from whats91_desktop.core.store import INTERRUPTED_MESSAGE, AsyncMessageStore, LogEntry, LogQuery
from whats91_desktop.services.bulk.job_files import AsyncJobStore
from whats91_desktop.services.follower import QUEUED_STATUSES, StatusFollower

CLAIM_SLACK_SECONDS = 5.0
"""How much earlier than the row's claim its log row may be stamped (clocks of two threads)."""
NOT_SENT_TEXT = "Its request never left (no log row): planned again."


class Recovery:
    def __init__(
        self, jobs: AsyncJobStore, store: AsyncMessageStore, follower: StatusFollower, *, profile_name: str
    ) -> None:
        self._jobs = jobs
        self._store = store
        self._follower = follower
        self._profile = profile_name

    async def run(self, job_id: str) -> ReconcileReport:
        """Settle the job's ``sending`` and ``unknown`` rows (the caller holds the lease)."""
        await self._jobs.mark_interrupted(job_id)
        # Only this job's log rows, and only those no living process is sending: a compose send
        # (or another job) in flight in this window or another is never touched.
        await self._store.mark_interrupted(INTERRUPTED_MESSAGE, job_id=job_id)
        unknown = await self._jobs.rows(job_id, states=(RowState.UNKNOWN,), limit=10**9)
        results: list[RowResult] = []
        explanations: list[str] = []
        for row in unknown:
            result, explanation = await self._settle(row)
            if result is not None:
                results.append(result)
            if explanation:
                explanations.append(f"Line {row.line}: {explanation}")
        if results:
            await self._jobs.record(job_id, results)
        found = sum(1 for r in results if r.state in (RowState.ACCEPTED, RowState.QUEUED, RowState.REJECTED))
        not_sent = sum(1 for r in results if r.state is RowState.PLANNED)
        return ReconcileReport(
            job_id=job_id,
            found=found,
            not_sent=not_sent,
            still_unknown=len(unknown) - found - not_sent,
            explanations=tuple(explanations),
        )

    async def _settle(self, row: JobRow) -> tuple[RowResult | None, str | None]:
        entry = await self._log_row(row)
        if entry is None:
            return RowResult(row.seq, RowState.PLANNED), None
        match entry.state:
            case "accepted" | "queued":
                return RowResult(row.seq, RowState(entry.state), entry.id, entry.message_id), None
            case "rejected":
                retryable = is_retryable(entry.error_code, entry.http_status)
                return RowResult(
                    row.seq,
                    RowState.REJECTED,
                    entry.id,
                    None,
                    entry.error_code,
                    entry.error_message,
                    retryable,
                ), None
            case "unreachable" | "invalid":
                return RowResult(row.seq, RowState.PLANNED, entry.id), None
            case "unknown":
                return await self._reconcile(row, entry)
            case _:
                return None, "its send is still in progress in another window; check again later."

    async def _reconcile(self, row: JobRow, entry: LogEntry) -> tuple[RowResult | None, str | None]:
        try:
            found = await self._follower.reconcile(entry.id)
        except Whats91Error as err:
            return RowResult(row.seq, RowState.UNKNOWN, entry.id), f"the reports could not be read ({err})."
        if not found.found:
            return RowResult(
                row.seq, RowState.UNKNOWN, entry.id, None, None, found.explanation
            ), found.explanation
        state = RowState.QUEUED if found.status in QUEUED_STATUSES else RowState.ACCEPTED
        return RowResult(row.seq, state, entry.id, found.message_id), None

    async def _log_row(self, row: JobRow) -> LogEntry | None:
        if row.log_row_id is not None:
            return await self._store.get(row.log_row_id)
        since = row.claimed_at - CLAIM_SLACK_SECONDS if row.claimed_at is not None else None
        query = LogQuery(text=row.recipient, date_from=since, profile=self._profile)
        wanted = json.loads(row.message_json) if row.message_json else None
        candidates = [
            entry
            for entry in await self._store.page(query, 0, 50)
            if entry.recipient == row.recipient
            and entry.job_id in (None, row.job_id)  # None: logged before rows named their job
            and entry.message_json
            and json.loads(entry.message_json) == wanted
        ]
        for entry in sorted(candidates, key=lambda e: e.id):
            if not await self._jobs.is_linked(entry.id):
                return entry
        return None
