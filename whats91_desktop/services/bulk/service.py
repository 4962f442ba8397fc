"""The bulk engine's front door, shared by the Bulk pane and ``whats91-desktop bulk``.

The flow a front end drives, every step awaitable and none blocking the event loop:

1. **Audience**: :meth:`BulkService.load_csv` (a file, UTF-8 with or without BOM, separator
   detected; ``encoding="cp1252"`` after an :class:`~whats91_desktop.core.bulk.audience.AudienceError`
   that offers it), :meth:`load_pasted` (a list of numbers) or :meth:`load_contact_book`
   (after :meth:`contact_books`). Each gives an :class:`Audience` with named columns.
2. **Mapping**: a :class:`BulkSpec` names the recipient column and the columns of the template's
   variables (or a text with ``{column}`` placeholders); :meth:`preview_row` renders one row.
3. **Dry run**: :meth:`dry_run` checks every row (number, duplicates, variables against the
   template, text limits, the sender's blacklist) and returns a :class:`DryRunReport` with the
   problems per row, the counts, the ETA and a rendered preview. Nothing is sent.
4. **Plan**: :meth:`plan` freezes every row (its message as JSON) in the job file and returns
   the job's :class:`JobSummary`; still nothing is sent. Ask the user first; for a production
   profile (:meth:`needs_typed_count`) make them type :attr:`DryRunReport.will_send`.
5. **Run**: :meth:`start` returns a :class:`JobRunner` (``pause``, ``resume``, ``cancel``,
   ``await wait()``); progress arrives on :attr:`progress` as :class:`BulkProgress`.
6. **After**: :meth:`jobs` / :meth:`resumable` ("Resume (N left)": start the same job id again),
   :meth:`retryable_count` + :meth:`retry_failed` ("Retry failed (N)", ask first),
   :meth:`reconcile`, :meth:`rows`, :meth:`rollup`, :meth:`export_csv`.

Why the jobs live in their own SQLite file (``bulk.sqlite3`` beside the log) and not in the
log's schema: a job writes two commits per row at up to 80 rows/s on its own worker thread, so
the log's single connection (which the window's searches share) never queues behind a job; the
job file carries the single-writer lease that keeps two processes off one job; and a job of
100 000 input rows (with their columns, for the export) does not bloat the log or its backups.
Each sent row still goes through :class:`~whats91_desktop.core.outbox.Outbox`, so its log row
exists before its request leaves and the log's no-double-send rules are the only ones; the job
row keeps that log row's id (and reads the log's status and error by that id, read-only, for the
roll-up and the export).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from whats91_desktop.core.bulk.audience import Audience, from_contacts, from_pasted, read_csv
from whats91_desktop.core.bulk.compose import render_row
from whats91_desktop.core.bulk.contact_books import ContactBook
from whats91_desktop.core.bulk.dry_run import check_audience
from whats91_desktop.core.bulk.models import (
    BulkProgress,
    BulkSpec,
    DryRunReport,
    JobRow,
    JobState,
    JobSummary,
    ReconcileReport,
    Rollup,
    RowState,
)
from whats91_desktop.core.errors import ConfigError, ValidationError, Whats91Error
from whats91_desktop.core.models import OutgoingMessage, Problem, Profile
from whats91_desktop.core.outbox import Outbox
from whats91_desktop.core.store import AsyncMessageStore
from whats91_desktop.sandbox.constants import is_sandbox_url
from whats91_desktop.services.bulk.audience_reader import (
    all_contact_books,
    blacklisted_numbers,
    read_contact_book,
)
from whats91_desktop.services.bulk.client import BulkClient
from whats91_desktop.services.bulk.job_files import AsyncJobStore
from whats91_desktop.services.bulk.recovery import Recovery
from whats91_desktop.services.bulk.runner import JobRunner
from whats91_desktop.services.follower import StatusFollower
from whats91_desktop.services.topic import Topic

ClientFor = Callable[[Profile], Awaitable[BulkClient]]
BULK_JOBS_FILE = "bulk.sqlite3"
"""The job file's name in the data directory, beside the log."""


class JobBusy(ConfigError):
    """Another runner (in this process or another one) is sending this job; nothing was sent."""


class BulkService:
    """Plans, runs and reports bulk jobs; see the module docstring for the order of calls.

    Built once by the composition root (``app.with_message_log`` for the window,
    ``cli.bulk`` for a command) from the log's store, its outbox and status follower, the path
    of the job file and its single worker thread. ``client_for`` is
    ``ClientPool.client_for`` in the window.
    """

    def __init__(
        self,
        *,
        store: AsyncMessageStore,
        outbox: Outbox,
        follower: StatusFollower,
        client_for: ClientFor,
        jobs_path: Path | str,
        executor: concurrent.futures.Executor,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        wall_clock: Callable[[], float] = time.time,
        follow_limit: int = 200,
    ) -> None:
        self._store = store
        self._outbox = outbox
        self._follower = follower
        self._client_for = client_for
        self._jobs = AsyncJobStore(jobs_path, executor=executor, log_path=_log_path(store))
        self._executor = executor
        self._clock = clock
        self._sleep = sleep
        self._wall_clock = wall_clock
        self._follow_limit = follow_limit
        self._runners: dict[str, JobRunner] = {}
        self._last_sent: dict[str, float] = {}
        """Every job's last send per recipient (the pair gap holds across jobs)."""
        self.progress: Topic[BulkProgress] = Topic()
        """Every running job's progress; subscribe a Qt signal's ``emit`` (the GUI thread)."""

    # ------------------------------------------------------------------ audience

    async def load_csv(self, path: Path | str, *, encoding: str = "utf-8") -> Audience:
        """Read a CSV file on the job thread. Raises ``AudienceError`` (its ``line`` names the
        first undecodable line and ``fallback_encoding`` is ``"cp1252"`` when a retry with it
        could work) — show it next to the file field and offer "Read as Windows-1252"."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, read_csv, Path(path), encoding)

    @staticmethod
    def load_pasted(text: str) -> Audience:
        """Numbers pasted one per line (or separated by commas/semicolons): one column ``phone``."""
        return from_pasted(text)

    async def contact_books(self, profile: Profile) -> list[ContactBook]:
        """Every ACTIVE contact book (all pages). A number-scoped token raises ``ForbiddenError``
        whose text says plainly that contact books need a global token."""
        client = await self._client_for(profile)
        return await all_contact_books(client)

    async def load_contact_book(self, profile: Profile, book: ContactBook) -> Audience:
        """Every contact of ``book`` (all pages) as an audience: ``phone``, ``displayName``,
        ``email``, ``companyName`` and one column per custom field."""
        client = await self._client_for(profile)
        contacts = await read_contact_book(client, book.uid)
        return from_contacts(contacts, source=f"book: {book.name}")

    # ------------------------------------------------------------------ checking

    @staticmethod
    def preview_row(audience: Audience, spec: BulkSpec, index: int = 0) -> OutgoingMessage:
        """The message row ``index`` would get (before validation), for a live preview."""
        return render_row(audience, spec, audience.rows[index])

    async def dry_run(self, profile: Profile, audience: Audience, spec: BulkSpec) -> DryRunReport:
        """Check every row; sends nothing. Reads the template list and the sender's blacklist
        (a failure to read either is a note in the report, not an error). The row checks run
        on the job thread (10 000 rows take well under a second)."""
        client = await self._client_for(profile)
        notes: list[str] = []
        template = None
        if spec.template_name is not None:
            try:
                templates = await client.list_templates(sender_id=spec.sender_id)
            except Whats91Error as err:
                notes.append(f"The template list could not be read, so the variables were not checked: {err}")
            else:
                template = next((t for t in templates if t.name == spec.template_name), None)
                if template is None:
                    notes.append(f"No template named {spec.template_name!r} is listed for this sender.")
        try:
            blacklist = await blacklisted_numbers(client, spec.sender_id)
        except Whats91Error as err:
            blacklist = {}
            notes.append(f"The blacklist could not be read, so it was not checked: {err}")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._executor,
            lambda: check_audience(
                audience,
                spec,
                region=profile.default_region,
                template=template,
                blacklist=blacklist,
                variables=dict(profile.variables),
                notes=tuple(notes),
            ),
        )

    @staticmethod
    def needs_typed_count(profile: Profile) -> bool:
        """Production profiles: the user must type the number of recipients to confirm."""
        return not (profile.sandbox or is_sandbox_url(profile.base_url))

    # ------------------------------------------------------------------ planning and running

    async def plan(self, profile: Profile, report: DryRunReport, *, skip_invalid: bool = False) -> JobSummary:
        """Freeze the report's rows as a new job (nothing is sent). Rows with problems raise
        ``ValidationError`` (every row's problems, fields prefixed ``row N:``) unless
        ``skip_invalid``, which plans them as skipped with their problems as the reason."""
        if report.invalid and not skip_invalid:
            raise ValidationError(_row_problems(report))
        job_id = _new_job_id(self._wall_clock())
        await self._jobs.create_job(job_id, profile.name, report, created_at=self._wall_clock())
        return await self._jobs.summary(job_id)

    async def start(self, job_id: str, profile: Profile, *, concurrency: int | None = None) -> JobRunner:
        """Start (or resume) sending ``job_id`` as a task on the running loop; returns at once.

        First the runner takes the job's lease (``JobBusy`` when another process or runner holds
        it), turns rows a dead run left ``sending`` into ``unknown`` and reconciles them through
        the reports; only then does it send what is left. ``profile`` must be the job's profile.
        """
        if job_id in self._runners and not self._runners[job_id].finished:
            raise JobBusy(f"job {job_id} is already running in this window")
        summary = await self._jobs.summary(job_id)
        if summary.state is JobState.CANCELLED:
            raise ConfigError(f"job {job_id} was cancelled; plan a new one to send to its rows")
        if summary.profile != profile.name:
            raise ConfigError(f"job {job_id} belongs to profile {summary.profile!r}, not {profile.name!r}")
        client = await self._client_for(profile)
        spec = await self._jobs.spec(job_id)
        runner = JobRunner(
            job_id,
            spec=spec,
            profile=profile,
            client=client,
            jobs=self._jobs,
            outbox=self._outbox,
            recovery=Recovery(self._jobs, self._store, self._follower, profile_name=profile.name),
            publish=self.progress.publish,
            clock=self._clock,
            sleep=self._sleep,
            concurrency=concurrency,
            follow=self._follower.track if self._follow_limit else None,
            follow_limit=self._follow_limit,
            last_sent=self._last_sent,
        )
        if not await self._jobs.take_lease(job_id):
            raise JobBusy(f"job {job_id} is being sent by another process; wait for it to finish or stop it")
        self._runners[job_id] = runner
        runner.start()
        return runner

    def runner(self, job_id: str) -> JobRunner | None:
        """The runner of ``job_id`` in this process, if it was started here."""
        return self._runners.get(job_id)

    # ------------------------------------------------------------------ after

    async def jobs(self, *, limit: int = 100) -> list[JobSummary]:
        """Every job, newest first."""
        return await self._jobs.summaries(limit=limit)

    async def resumable(self) -> list[JobSummary]:
        """Jobs with rows left that no living process is sending ("Resume (N left)")."""
        running = {job_id for job_id, runner in self._runners.items() if not runner.finished}
        return [s for s in await self._jobs.summaries(limit=100) if s.resumable and s.job_id not in running]

    async def summary(self, job_id: str) -> JobSummary:
        """One job; ``UnknownJob`` (a ``ConfigError``) for an unknown id."""
        return await self._jobs.summary(job_id)

    async def reconcile(self, job_id: str, profile: Profile) -> ReconcileReport:
        """Check the job's ``unknown`` rows against the reports (never sends). Found rows become
        accepted/queued; rows whose request never left become planned again."""
        if not await self._jobs.take_lease(job_id):
            raise JobBusy(f"job {job_id} is being sent by another process")
        try:
            await self._client_for(profile)  # the follower's client for this profile exists now
            return await Recovery(self._jobs, self._store, self._follower, profile_name=profile.name).run(
                job_id
            )
        finally:
            await self._jobs.release_lease(job_id)

    async def retryable_count(self, job_id: str) -> int:
        """Rejected rows whose reason is worth a retry (rate limits, throughput, a 503)."""
        return await self._jobs.retryable_count(job_id)

    async def retry_failed(self, job_id: str) -> int:
        """Plan the retryable rejected rows again (ask the user first); returns how many.
        Then :meth:`start` the job to send them."""
        return await self._jobs.replan_retryable(job_id)

    async def cancel(self, job_id: str) -> JobSummary:
        """Cancel a job that is not running here: its planned rows become skipped."""
        runner = self._runners.get(job_id)
        if runner is not None and not runner.finished:
            runner.cancel()
            return await runner.wait()
        if not await self._jobs.take_lease(job_id):
            raise JobBusy(f"job {job_id} is being sent by another process")
        try:
            await self._jobs.cancel_rest(job_id)
        finally:
            await self._jobs.release_lease(job_id)
        return await self._jobs.summary(job_id)

    async def rows(
        self, job_id: str, *, states: Sequence[RowState] = (), offset: int = 0, limit: int = 200
    ) -> list[JobRow]:
        """A page of the job's rows in audience order, optionally only some states (a click
        on a count of the roll-up filters the table this way)."""
        return await self._jobs.rows(job_id, states=tuple(states), offset=offset, limit=limit)

    async def rollup(self, job_id: str) -> Rollup:
        """Sent, delivered, read and failed counts, with the top error codes and their hints,
        from the log's statuses (kept current by the follower and the webhook receiver)."""
        return await self._jobs.rollup(job_id)

    async def export_csv(self, job_id: str, path: Path | str) -> int:
        """Write the job's rows (input columns + outcome, messageId, latest status, error) as
        CSV; returns the row count."""
        return await self._jobs.export_csv(job_id, Path(path))

    async def aclose(self) -> None:
        """Stop every runner (in-flight requests finish and are recorded; the jobs stay
        resumable), then close the file."""
        for runner in self._runners.values():
            if not runner.finished:
                runner.stop()
        for runner in list(self._runners.values()):
            await runner.wait()
        await self._jobs.aclose()


def _new_job_id(now: float) -> str:
    return time.strftime("%Y%m%d-%H%M%S", time.localtime(now)) + "-" + uuid.uuid4().hex[:6]


def _log_path(store: AsyncMessageStore) -> Path | None:
    path = store.store.path
    return path if isinstance(path, Path) else None


def _row_problems(report: DryRunReport) -> list[Problem]:
    return [
        Problem(f"row {check.line}: {problem.field}", problem.message)
        for check in report.problem_rows()
        for problem in check.problems
    ]


__all__ = ["BULK_JOBS_FILE", "BulkService", "JobBusy"]
