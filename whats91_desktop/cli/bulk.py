"""``whats91-desktop bulk``: the bulk engine on the command line (the window's engine, no Qt).

Contract (README, "Bulk sending"): ``job id: <ID>`` and then a progress line on stderr; one JSON
summary object on stdout at the end (``jobId, planned, accepted, queued, rejected, unknown,
skipped``); exit 0 when every row was accepted, queued or skipped, 3 when some were rejected,
4 when some are unknown (4 wins over 3: those need checking before anything is resent), 2 for
invalid input when nothing was sent, 5 when Whats91 could not be reached (the job is paused,
resume it), 130 on Ctrl+C (the first one stops taking rows and lets the requests in flight
finish; the job stays resumable with ``--resume``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from whats91_desktop.cli import (
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_OK,
    EXIT_REJECTED,
    EXIT_UNKNOWN,
    EXIT_UNREACHABLE,
    open_connection,
)
from whats91_desktop.cli import _add_connection_flags as add_connection_flags
from whats91_desktop.cli import _emit as emit
from whats91_desktop.core.bulk.audience import AudienceError
from whats91_desktop.core.bulk.models import (
    DEFAULT_RATE,
    MAX_RATE,
    BulkProgress,
    BulkSpec,
    DryRunReport,
    JobState,
    JobSummary,
    RowState,
)
from whats91_desktop.core.errors import ValidationError
from whats91_desktop.core.models import Profile
from whats91_desktop.core.outbox import Outbox
from whats91_desktop.core.store import AsyncMessageStore
from whats91_desktop.services.bulk.runner import JobRunner
from whats91_desktop.services.bulk.service import BULK_JOBS_FILE, BulkService
from whats91_desktop.services.follower import StatusFollower

PROGRESS_EVERY = 1.0
"""Seconds between progress lines."""


def add_parsers(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser(
        "bulk",
        help="send one message to every row of a CSV file (dry run, pacing, resumable)",
        description="Plan every row first, then send at a steady pace; a killed run resumes "
        "without sending anyone twice. See README.md, 'Bulk sending'.",
    )
    add_connection_flags(p)
    p.add_argument("file", nargs="?", metavar="FILE.csv", help="the audience (UTF-8, , ; or tab separated)")
    kind = p.add_mutually_exclusive_group()
    kind.add_argument("--template", metavar="NAME", help="an approved template")
    kind.add_argument("--text", metavar="TEXT", help="a text message; {column} takes the row's value")
    p.add_argument("--to-column", metavar="COL", help="the recipients' column")
    p.add_argument(
        "--param-column",
        action="append",
        default=[],
        metavar="COL",
        help="template body variable {{1}}, {{2}}…",
    )
    p.add_argument("--header-media-column", metavar="COL", help="the template header's media URL")
    p.add_argument(
        "--button-param-column", action="append", default=[], metavar="COL", help="URL button variable"
    )
    p.add_argument(
        "--rate",
        type=float,
        default=DEFAULT_RATE,
        metavar="N",
        help=f"messages a second (default 10, at most {MAX_RATE:g})",
    )
    p.add_argument("--dry-run", action="store_true", help="check every row and stop; nothing is sent")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.add_argument("--sender", metavar="ID", help="sender number (senderId)")
    p.add_argument("--region", metavar="CC", help="region for national numbers (default: the profile's)")
    p.add_argument("--encoding", default="utf-8", metavar="NAME", help="the file's encoding, e.g. cp1252")
    p.add_argument("--skip-invalid", action="store_true", help="plan rows with problems as skipped")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--resume", metavar="JOB_ID", help="resume a paused or interrupted job")
    which.add_argument("--jobs", action="store_true", help="list the jobs")
    which.add_argument("--cancel", metavar="JOB_ID", help="skip every row of a job not sent yet")


def exit_code(summary: JobSummary) -> int:
    counts = summary.counts
    if counts.get(RowState.UNKNOWN, 0) or counts.get(RowState.SENDING, 0):
        return EXIT_UNKNOWN
    if counts.get(RowState.REJECTED, 0):
        return EXIT_REJECTED
    if counts.get(RowState.PLANNED, 0):
        return EXIT_UNREACHABLE if summary.note else EXIT_INTERRUPTED
    return EXIT_OK


@contextlib.asynccontextmanager
async def _bulk_service(args: argparse.Namespace, err: TextIO) -> AsyncIterator[tuple[BulkService, Profile]]:
    """The window's engine over the command's one connection and the message log."""
    async with open_connection(args, err) as conn, contextlib.AsyncExitStack() as stack:
        executors = conn.services.executors
        store = await AsyncMessageStore.open(conn.services.paths.log_db, executor=executors.store)
        stack.push_async_callback(store.aclose)
        if store.notice:
            err.write(f"notice: {store.notice}\n")
        client = conn.client

        async def client_for(_profile: Profile) -> Any:
            return client

        service = BulkService(
            store=store,
            outbox=Outbox(store, executor=executors.builder),
            follower=StatusFollower(store, lambda _name: client, on_update=lambda _row: None),
            client_for=client_for,
            jobs_path=conn.services.paths.data_dir / BULK_JOBS_FILE,
            executor=executors.bulk,
            follow_limit=0,
        )
        stack.push_async_callback(service.aclose)
        region = (args.region or conn.region).upper()
        yield service, replace(conn.resolved, name=conn.profile, default_region=region)


async def cmd_bulk(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.jobs:
        return await _list_jobs(args, out, err)
    if args.resume or args.cancel:
        async with _bulk_service(args, err) as (service, profile):
            if args.cancel:
                summary = await service.cancel(args.cancel)
                emit(out, summary.to_json())
                return EXIT_OK
            return await _run(service, profile, args.resume, out, err)
    problem = _usage_problem(args)
    if problem:
        return _invalid(out, err, [{"field": "arguments", "message": problem}])
    spec = BulkSpec(
        to_column=args.to_column,
        template_name=args.template,
        text=args.text,
        param_columns=tuple(args.param_column),
        header_media_column=args.header_media_column,
        button_param_columns=tuple(args.button_param_column),
        sender_id=args.sender,
        rate=args.rate,
    )
    async with _bulk_service(args, err) as (service, profile):
        try:
            audience = await service.load_csv(Path(args.file), encoding=args.encoding)
        except AudienceError as error:
            hint = f" (try --encoding {error.fallback_encoding})" if error.fallback_encoding else ""
            return _invalid(out, err, [{"field": "file", "message": f"{error}{hint}", "line": error.line}])
        try:
            report = await service.dry_run(profile, audience, spec)
        except ValidationError as error:
            return _invalid(out, err, [p.to_json() for p in error.problems])
        _print_report(report, err)
        if report.invalid and not args.skip_invalid:
            problems = [
                {"field": p.field, "message": p.message, "line": c.line}
                for c in report.problem_rows()
                for p in c.problems
            ]
            return _invalid(out, err, problems, report)
        if args.dry_run:
            emit(out, {**_dry_json(report), "dryRun": True})
            return EXIT_OK
        if not report.will_send:
            err.write("Nothing to send: every row is skipped.\n")
        elif (
            not args.yes
            and sys.stdin.isatty()
            and not _confirmed(report, service.needs_typed_count(profile), err)
        ):
            err.write("Nothing was sent.\n")
            emit(out, {**_dry_json(report), "dryRun": True})
            return EXIT_INVALID
        summary = await service.plan(profile, report, skip_invalid=args.skip_invalid)
        return await _run(service, profile, summary.job_id, out, err)


async def _run(service: BulkService, profile: Profile, job_id: str, out: TextIO, err: TextIO) -> int:
    err.write(f"job id: {job_id}\n")
    err.flush()
    printer = _ProgressPrinter(err)
    unsubscribe = service.progress.subscribe(printer)
    try:
        runner = await service.start(job_id, profile)
        with _graceful_interrupts(runner, err) as interrupted:
            state = await runner.settled()
            if state is JobState.PAUSED:
                runner.stop()
            summary = await runner.wait()
    finally:
        unsubscribe()
        printer.finish()
    if runner.reconciled is not None and runner.reconciled.explanations:
        for line in runner.reconciled.explanations[:20]:
            err.write(f"  {line}\n")
    if summary.note:
        err.write(f"{summary.note}\n")
    if summary.left:
        err.write(f"{summary.left} rows left: resume with `whats91-desktop bulk --resume {job_id}`.\n")
    emit(out, summary.to_json())
    if interrupted:
        return EXIT_INTERRUPTED
    return exit_code(summary)


@contextlib.contextmanager
def _graceful_interrupts(runner: JobRunner, err: TextIO) -> Any:
    """Ctrl+C or SIGTERM: stop taking rows, let the requests in flight finish (the job stays
    resumable). A second Ctrl+C cancels those requests too (their rows become unknown)."""
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    received: list[int] = []

    def on_signal() -> None:
        received.append(1)
        if len(received) == 1:
            err.write("\nstopping: waiting for the requests in flight (Ctrl+C again to abandon them)\n")
            runner.stop()
        elif task is not None:
            task.cancel()

    installed = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, on_signal)
            installed.append(sig)
    try:
        yield received
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)


def _usage_problem(args: argparse.Namespace) -> str | None:
    if not args.file:
        return "give FILE.csv, or --resume JOB_ID, --cancel JOB_ID or --jobs"
    if args.template is None and args.text is None:
        return "give --template NAME or --text TEXT"
    if not args.to_column:
        return "give --to-column COL (the recipients' column)"
    if args.text is not None and (args.param_column or args.button_param_column or args.header_media_column):
        return "--param-column, --button-param-column and --header-media-column are for --template"
    if not 0 < args.rate <= MAX_RATE:
        return f"--rate must be more than 0 and at most {MAX_RATE:g}"
    return None


def _invalid(
    out: TextIO, err: TextIO, problems: list[dict[str, Any]], report: DryRunReport | None = None
) -> int:
    if report is None:  # a report's problems were listed with it
        for problem in problems:
            where = f"line {problem['line']}: " if problem.get("line") else ""
            err.write(f"invalid: {where}{problem['field']}: {problem['message']}\n")
    err.write("Nothing was sent.\n")
    base = _dry_json(report) if report is not None else {"jobId": None}
    emit(out, {**base, "outcome": "invalid", "problems": problems})
    return EXIT_INVALID


def _dry_json(report: DryRunReport) -> dict[str, Any]:
    return {
        "jobId": None,
        "planned": report.will_send,
        "accepted": 0,
        "queued": 0,
        "rejected": 0,
        "unknown": 0,
        "skipped": report.skipped,
        "invalid": report.invalid,
        "etaSeconds": round(report.eta_seconds, 1),
    }


def _print_report(report: DryRunReport, err: TextIO) -> None:
    for note in report.notes:
        err.write(f"notice: {note}\n")
    for check in report.checks:
        if check.problems:
            text = "; ".join(f"{p.field}: {p.message}" for p in check.problems)
            err.write(f"problem: line {check.line}: {text}\n")
        elif check.skip_reason:
            err.write(f"skipped: line {check.line}: {check.skip_reason}\n")
    err.write(
        f"dry run: {report.will_send} to send, {report.skipped} skipped, {report.invalid} with problems;"
        f" about {_duration(report.eta_seconds)} at {report.spec.rate:g}/s\n"
    )
    if report.preview_text:
        sample = report.checks[report.preview_index or 0]
        err.write(f"preview (line {sample.line}):\n  " + report.preview_text.replace("\n", "\n  ") + "\n")


def _confirmed(report: DryRunReport, typed: bool, err: TextIO) -> bool:
    count = report.will_send
    if typed:
        err.write(f"This is a production profile. Type {count} to send {count} messages: ")
        err.flush()
        return sys.stdin.readline().strip() == str(count)
    err.write(f"Send {count} messages? [y/N] ")
    err.flush()
    return sys.stdin.readline().strip().lower() in ("y", "yes")


async def _list_jobs(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    async with _bulk_service(args, err) as (service, _profile):
        jobs = await service.jobs()
    if args.json:
        emit(out, {"jobs": [{**j.to_json(), "state": j.state.value, "profile": j.profile, "source": j.source,
                             "label": j.label, "left": j.left} for j in jobs]})  # fmt: skip
        return EXIT_OK
    if not jobs:
        out.write("No bulk jobs yet.\n")
    for job in jobs:
        counts = ", ".join(f"{state.value} {n}" for state, n in job.counts.items() if n)
        resume = f" — resume: --resume {job.job_id}" if job.resumable else ""
        out.write(
            f"{job.job_id}  {job.state.value:<11} {job.label} ({job.source}, {job.profile}):"
            f" {counts}{resume}\n"
        )
    return EXIT_OK


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, rest = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {rest} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


def progress_text(progress: BulkProgress) -> str:
    counts = progress.counts
    parts = [f"{progress.done}/{progress.total} done"]
    parts += [f"{state.value} {counts.get(state, 0)}" for state in (RowState.ACCEPTED, RowState.QUEUED,
              RowState.REJECTED, RowState.UNKNOWN, RowState.SKIPPED)]  # fmt: skip
    parts.append(f"{progress.rate:.1f}/s")
    if progress.eta_seconds is not None and progress.state is JobState.RUNNING:
        parts.append(f"ETA {_duration(progress.eta_seconds)}")
    if progress.waiting_seconds:
        parts.append(f"held {progress.waiting_seconds:.0f} s (Retry-After)")
    if progress.state is not JobState.RUNNING:
        parts.append(progress.state.value)
    return " · ".join(parts)


class _ProgressPrinter:
    """A progress line a second (and at every change of the job's state): stderr goes through
    the CLI's terminal filter, which shows control characters escaped, so no line is redrawn."""

    def __init__(self, err: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self._err = err
        self._clock = clock
        self._last = -1e18
        self._pending: BulkProgress | None = None

    def __call__(self, progress: BulkProgress) -> None:
        now = self._clock()
        self._pending = progress
        if now - self._last >= PROGRESS_EVERY or progress.state is not JobState.RUNNING:
            self._last = now
            self._draw(progress)

    def _draw(self, progress: BulkProgress) -> None:
        self._err.write(f"progress: {progress_text(progress)}\n")
        self._err.flush()
        self._pending = None

    def finish(self) -> None:
        if self._pending is not None:
            self._draw(self._pending)
