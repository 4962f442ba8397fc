"""Following sent messages to their final status, and checking unknown ones before a resend.

``StatusFollower`` polls ``GET /reports/messages/status`` for the rows it tracks, with a
growing pause between polls, until the status is final (read or failed) or the row is too
old. A queued row is polled by its report (or queue) uid until WhatsApp gives it a message
id, which is then stored. New events go to the log through the store; ``on_update(row_id)``
tells the UI a row changed.

``reconcile`` answers the one question that matters after an ambiguous send (a timeout, a
dropped connection, an app that closed mid-send): did Whats91 get *this* message? It looks
the recipient up in the message reports and takes the earliest report that could be this
message (same kind, same template) and that no other log row owns, storing its message id and
report uid on the row so it can be followed (by the report uid while the message has no
message id yet). Nothing here ever sends a message.

Plain asyncio; the UI runs ``run()`` as a task on its qasync loop and cancels it on quit.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Protocol, assert_never

from whats91_desktop.core.errors import ConfigError, Whats91Error
from whats91_desktop.core.models import (
    FINAL_STATUSES,
    ButtonsMessage,
    ListMessage,
    MediaMessage,
    MessageReport,
    MessageStatus,
    MetaMessage,
    Outcome,
    ReportPage,
    StatusEvent,
    TemplateMessage,
    TextMessage,
)
from whats91_desktop.core.phone import format_number
from whats91_desktop.core.redact import redact_text
from whats91_desktop.core.serialize import message_from_json
from whats91_desktop.core.store import AsyncMessageStore, LogEntry, StoreError

log = logging.getLogger(__name__)

DEFAULT_SCHEDULE: tuple[float, ...] = (2.0, 4.0, 8.0, 15.0, 30.0, 60.0)
REPORT_PAGE_LIMIT = 200
"""The documented maximum page size of ``GET /reports/messages``."""
REPORT_MAX_PAGES = 5
QUEUED_STATUSES = frozenset({"waiting_reconnect", "queued"})
"""Report statuses meaning "accepted, waiting in the queue" (the send outcome ``queued``)."""


class StatusClient(Protocol):
    """What the follower needs of ``Whats91Client`` (read calls only: it cannot send)."""

    async def fetch_status(self, message_id: str, sender_id: str | None = None) -> MessageStatus: ...

    async def list_reports(
        self,
        *,
        receiver: str | None = None,
        status: str | None = None,
        sender_id: str | None = None,
        page: int = 1,
        limit: int = 50,
        date_from: date | str | None = None,
        date_to: date | str | None = None,
    ) -> ReportPage: ...


@dataclass(frozen=True)
class Reconciliation:
    """What the reports say about an unknown row. ``explanation`` is ready to show."""

    found: bool
    message_id: str | None
    status: str | None
    explanation: str
    report_uid: str | None = None


@dataclass
class _Tracked:
    started: float
    due: float
    attempt: int = 0


@dataclass(frozen=True)
class _PollResult:
    changed: bool
    finished: bool
    created_at: float | None = None


class StatusFollower:
    """Polls tracked rows until their status is final; see the module docstring."""

    def __init__(
        self,
        store: AsyncMessageStore,
        client_for: Callable[[str], StatusClient | None],
        *,
        on_update: Callable[[int], None],
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        schedule: Sequence[float] = DEFAULT_SCHEDULE,
        max_age_seconds: float = 3600.0,
        wall_clock: Callable[[], float] = time.time,
        reconcile_slack_seconds: float = 120.0,
    ) -> None:
        if not schedule or any(step <= 0 for step in schedule):
            raise ValueError("schedule must be a non-empty sequence of positive delays")
        self._store = store
        self._client_for = client_for
        self._on_update = on_update
        self._sleep = sleep
        self._clock = clock
        self._schedule = tuple(float(step) for step in schedule)
        self._max_age = float(max_age_seconds)
        self._wall_clock = wall_clock
        self._slack = float(reconcile_slack_seconds)
        self._tracked: dict[int, _Tracked] = {}
        self._wake = asyncio.Event()
        self._reconciling = asyncio.Lock()

    # ------------------------------------------------------------------ tracking

    @property
    def tracked(self) -> frozenset[int]:
        """Row ids still being followed."""
        return frozenset(self._tracked)

    def track(self, row_id: int) -> None:
        """Follow ``row_id``: first poll after the first step of the schedule."""
        now = self._clock()
        current = self._tracked.get(row_id)
        if current is None:
            self._tracked[row_id] = _Tracked(started=now, due=now + self._schedule[0])
        else:
            current.attempt = 0
            current.due = min(current.due, now + self._schedule[0])
        self._wake.set()

    def untrack(self, row_id: int) -> None:
        self._tracked.pop(row_id, None)

    def set_max_age(self, seconds: float) -> None:
        """Follow rows for ``seconds`` after sending from now on (Preferences applies it at once)."""
        self._max_age = float(seconds)
        self._wake.set()

    async def resume(self) -> int:
        """Track the rows the log says still need following (at start-up) that are younger
        than ``max_age_seconds``; returns how many."""
        rows = await self._store.followups(since=self._wall_clock() - self._max_age)
        for row in rows:
            self.track(row.id)
        return len(rows)

    async def run(self) -> None:
        """Poll due rows forever. Cancel the task to stop; a poll's failure never ends the loop."""
        current = asyncio.current_task()
        while True:
            if current is not None and current.cancelling():
                # A cancellation swallowed below us (Python 3.11's wait_for can lose one
                # that races with a completing inner call) must still stop the loop.
                raise asyncio.CancelledError
            if not self._tracked:
                self._wake.clear()
                await self._wake.wait()
                continue
            now = self._clock()
            due = [row_id for row_id, t in self._tracked.items() if t.due <= now]
            if not due:
                soonest = min(t.due for t in self._tracked.values())
                await self._sleep_or_wake(soonest - now)
                continue
            for row_id in due:
                if row_id in self._tracked:
                    await self._poll_tracked(row_id)

    async def _sleep_or_wake(self, delay: float) -> None:
        """Sleep ``delay`` seconds, or less if ``track`` adds a row meanwhile."""
        self._wake.clear()
        sleeper = asyncio.ensure_future(self._sleep(delay))
        waker = asyncio.ensure_future(self._wake.wait())
        try:
            await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (sleeper, waker):
                task.cancel()
            await asyncio.gather(sleeper, waker, return_exceptions=True)

    async def _poll_tracked(self, row_id: int) -> None:
        result = _PollResult(changed=False, finished=False)
        try:
            result = await self._poll(row_id)
        except Whats91Error as err:
            log.warning("status poll for log row %d failed, will retry: %s", row_id, redact_text(str(err)))
        except Exception:
            # A bug must not stop every other row's follow-up; the traceback goes to the log.
            log.exception("status poll for log row %d failed unexpectedly, will retry", row_id)
        tracked = self._tracked.get(row_id)
        if tracked is None:
            return
        now = self._clock()
        too_old = now - tracked.started >= self._max_age or (
            result.created_at is not None and self._wall_clock() - result.created_at >= self._max_age
        )
        if result.finished or too_old:
            self.untrack(row_id)
            return
        tracked.attempt = 0 if result.changed else tracked.attempt + 1
        tracked.due = now + self._schedule[min(tracked.attempt, len(self._schedule) - 1)]

    # ------------------------------------------------------------------ polling

    async def poll_once(self, row_id: int) -> bool:
        """Poll one row now; True if the log changed. Errors propagate (``Whats91Error``)."""
        result = await self._poll(row_id)
        if result.finished:
            self.untrack(row_id)
        return result.changed

    async def _poll(self, row_id: int) -> _PollResult:
        row = await self._store.get(row_id)
        if row is None or row.is_final:
            return _PollResult(changed=False, finished=True)
        lookup = row.lookup_id
        if lookup is None:
            return _PollResult(changed=False, finished=True, created_at=row.created_at)
        client = self._client(row)
        status = await client.fetch_status(lookup, sender_id=row.sender_id)
        changed = False
        if status.message_id and not row.message_id:
            await self._store.set_message_id(row_id, status.message_id)
            changed = True
        if status.events or status.latest_status:
            changed = await self._store.add_events(row_id, status.events, status.latest_status) or changed
        if changed:
            self._on_update(row_id)
        return _PollResult(
            changed=changed,
            finished=(status.latest_status or "") in FINAL_STATUSES,
            created_at=row.created_at,
        )

    def _client(self, row: LogEntry) -> StatusClient:
        client = self._client_for(row.profile)
        if client is None:
            raise ConfigError(f"no connection for profile {row.profile!r}: cannot ask for the status")
        return client

    # ------------------------------------------------------------------ reconciliation

    async def reconcile(self, row_id: int) -> Reconciliation:
        """Look for an unknown row's message in the reports. Never sends anything.

        Found: the report's message id and report uid are stored on the row, whose state
        becomes ``accepted`` (``queued`` while the report says it waits for a reconnect) and
        whose error (the timeout that made it unknown) is cleared, and the row is followed from
        there. A report another log row owns, or one of another kind or template, is never taken.
        Not found: the log is unchanged. Raises ``Whats91Error`` when the reports cannot be
        read (then nothing is known). Reconciliations run one at a time, so two rows cannot
        both take the same report.
        """
        async with self._reconciling:
            return await self._reconcile(row_id)

    async def _reconcile(self, row_id: int) -> Reconciliation:
        row = await self._store.get(row_id)
        if row is None:
            raise StoreError(f"log row {row_id} no longer exists")
        client = self._client(row)
        who = format_number(row.recipient) or row.recipient
        report = await self._claim_report(client, row)
        if report is None:
            since = datetime.fromtimestamp(row.created_at).strftime("%H:%M")
            return Reconciliation(
                found=False,
                message_id=None,
                status=None,
                explanation=(
                    f"This message to {who} is not in the reports since {since}: it did not reach "
                    "Whats91, so it is probably safe to send again."
                ),
            )
        status = report.latest_status or report.status
        if status:
            await self._store.add_events(
                row_id, [StatusEvent(status=status, occurred_at=report.occurred_at)], status
            )
        outcome = Outcome.QUEUED if status in QUEUED_STATUSES else Outcome.ACCEPTED
        # The timeout or dropped connection that made the row unknown is settled: clear it.
        await self._store.mark_outcome(row_id, outcome)
        updated = await self._store.get(row_id)
        if status not in FINAL_STATUSES and updated is not None and updated.lookup_id:
            self.track(row_id)
        self._on_update(row_id)
        when = _local_hhmm(report.occurred_at)
        details = ", ".join(
            part
            for part in (
                f"message id {report.message_id}" if report.message_id else None,
                f"report {report.report_uid}" if report.report_uid and not report.message_id else None,
                f"template {report.template_name}" if report.template_name else None,
            )
            if part
        )
        explanation = (
            "Found in the reports"
            + (f" as {status}" if status else "")
            + (f" at {when}" if when else "")
            + (f" ({details})" if details else "")
            + f". This message to {who} reached Whats91: do not send it again."
        )
        return Reconciliation(
            found=True,
            message_id=report.message_id,
            status=status,
            explanation=explanation,
            report_uid=report.report_uid,
        )

    async def _claim_report(self, client: StatusClient, row: LogEntry) -> MessageReport | None:
        """The earliest candidate report no other log row owns; its ids are stored on the row.

        A report with ids is owned by the row that has one of them (the store checks and
        stores in one transaction). A report without ids cannot be told apart, so one is
        taken only when there are more such reports than other log rows to the recipient
        that reached WhatsApp in the same period and match no report by id.
        """
        candidates = [r for r in await self._candidate_reports(client, row) if _could_be(row, r)]
        spare_idless = 0
        idless = [report for report in candidates if not (report.message_id or report.report_uid)]
        if idless:
            owners = await self._store.sent_to(
                row.recipient, since=row.created_at - 2 * self._slack, exclude_id=row.id
            )
            known = {i for report in candidates for i in (report.message_id, report.report_uid) if i}
            unmatched = [o for o in owners if not ({o.message_id, o.report_uid} & known)]
            spare_idless = len(idless) - len(unmatched)
        for report in candidates:
            if report.queue_uid:
                owner = await self._store.find(queue_uid=report.queue_uid)
                if owner is not None and owner.id != row.id:
                    continue  # a queued row that knows only its queueUid owns this report
            if report.message_id or report.report_uid:
                if await self._store.claim_report(
                    row.id, message_id=report.message_id, report_uid=report.report_uid
                ):
                    return report
            elif spare_idless > 0:
                return report
        return None

    async def _candidate_reports(self, client: StatusClient, row: LogEntry) -> list[MessageReport]:
        """Reports to the row's recipient at/after the row was created (less the slack),
        earliest first."""
        created = datetime.fromtimestamp(row.created_at, tz=UTC)
        day = min(created.date(), created.astimezone().date())
        threshold = row.created_at - self._slack
        wanted = _digits(row.recipient)
        candidates: list[tuple[float, MessageReport]] = []
        for page in range(1, REPORT_MAX_PAGES + 1):
            result = await client.list_reports(
                receiver=row.recipient,
                sender_id=row.sender_id,
                date_from=day,
                page=page,
                limit=REPORT_PAGE_LIMIT,
            )
            for report in result.reports:
                if report.receiver is not None and _digits(report.receiver) != wanted:
                    continue
                at = _parse_iso(report.occurred_at)
                if at is not None and at < threshold:
                    continue
                candidates.append((at if at is not None else row.created_at, report))
            if not result.has_more:
                break
        candidates.sort(key=lambda pair: pair[0])
        return [report for _, report in candidates]


def _digits(text: str | None) -> str:
    return "".join(ch for ch in (text or "") if ch.isdigit())


def _parse_iso(text: str | None) -> float | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def _local_hhmm(text: str | None) -> str | None:
    at = _parse_iso(text)
    return datetime.fromtimestamp(at).strftime("%H:%M") if at is not None else None


def _expected_report(row: LogEntry) -> tuple[frozenset[str] | None, str | None]:
    """The report message types this row's message would have, and its template's name
    (None where the row cannot say)."""
    try:
        message = message_from_json(row.message_json) if row.message_json else None
    except (ValueError, KeyError, TypeError):
        message = None
    match message:
        case TextMessage():
            return frozenset({"text"}), None
        case MediaMessage():
            return frozenset({message.media_type}), None
        case ButtonsMessage() | ListMessage():
            return frozenset({"interactive"}), None
        case TemplateMessage():
            return frozenset({"template"}), message.template_name
        case MetaMessage():
            kind = message.payload.get("type")
            template = message.payload.get("template")
            name = template.get("name") if isinstance(template, dict) else None
            return (frozenset({kind}) if isinstance(kind, str) else None), (
                name if isinstance(name, str) else None
            )
        case None:
            return None, None
        case _:
            assert_never(message)


def _could_be(row: LogEntry, report: MessageReport) -> bool:
    """False when the report is plainly another message: another kind, or another template.

    A report that does not say (no message type, no template name) could be this one.
    """
    types, template = _expected_report(row)
    if report.message_type and types is not None and report.message_type.lower() not in types:
        return False
    return not (template and report.template_name and report.template_name != template)


__all__ = ["DEFAULT_SCHEDULE", "QUEUED_STATUSES", "Reconciliation", "StatusClient", "StatusFollower"]
