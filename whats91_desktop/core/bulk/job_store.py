"""The job file (``bulk.sqlite3``): every job's rows, their frozen messages and their states.

Its own SQLite file with its own schema (``user_version`` 1), beside the message log, for the
reasons in :mod:`whats91_desktop.services.bulk.service`. WAL with ``synchronous=FULL``: a row
claimed as ``sending`` is on disk before its request is built.

**The single-writer claim.** A job has a lease (``jobs.lease_pid``, ``jobs.lease_at``). Taking
it is one ``BEGIN IMMEDIATE`` transaction that succeeds only when no other living process holds
a fresh lease; every claim of rows re-checks, in its own ``BEGIN IMMEDIATE``, that this process
still holds it, and renews it. A lease not renewed for :data:`LEASE_STALE_SECONDS` is stale
even if its process id now belongs to another program (ids are reused after a kill), so a job
is never stuck. Two processes therefore never hold rows of one job in ``sending``.

Read-only, by row id, the file also reads the log's ``messages`` (attached as ``log``) for the
roll-up and the export: the statuses the follower and the webhooks keep current live there.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from whats91_desktop.core.bulk.models import (
    BulkSpec,
    DryRunReport,
    ErrorCount,
    JobRow,
    JobState,
    JobSummary,
    Kind,
    Rollup,
    RowState,
)
from whats91_desktop.core.errors import ConfigError, Whats91Error
from whats91_desktop.core.fsutil import atomic_writer
from whats91_desktop.core.meta_errors import hint_for
from whats91_desktop.core.serialize import message_to_json
from whats91_desktop.core.store.export import _csv_safe
from whats91_desktop.core.store.process import process_alive
from whats91_desktop.core.store.transaction import immediate

SCHEMA_VERSION = 1
LEASE_STALE_SECONDS = 120.0
"""A lease not renewed for this long is free (a runner renews it at every claim and while paused)."""
INTERRUPTED_TEXT = "The app stopped before the reply arrived; checked against the reports before any resend."
CANCELLED_TEXT = "Cancelled before it was sent."
TOP_ERRORS = 5

_ROW_COLUMNS = (
    "job_id, seq, line, recipient, state, message_json, skip_reason, log_row_id, message_id,"
    " error_code, error_message, retryable, claimed_at, values_json"
)


class JobStoreError(Whats91Error):
    """The job file could not be read or written."""


class UnknownJob(ConfigError):
    """No job has this id (a typo in ``--resume``, a job file replaced)."""

    def __init__(self, job_id: str) -> None:
        super().__init__(f"there is no bulk job {job_id!r}; `whats91-desktop bulk --jobs` lists them")


class LeaseLost(JobStoreError):
    """Another process took over the job (this one's lease went stale): stop sending."""


@dataclass(frozen=True)
class RowResult:
    """What became of one claimed row; written with others in one transaction."""

    seq: int
    state: RowState
    log_row_id: int | None = None
    message_id: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    retryable: bool = False


def _schema_v1(conn: sqlite3.Connection) -> None:
    for statement in (
        """
        CREATE TABLE jobs(
            id TEXT PRIMARY KEY,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            profile TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL,
            label TEXT NOT NULL DEFAULT '',
            spec_json TEXT NOT NULL,
            columns_json TEXT NOT NULL,
            rate REAL,
            state TEXT NOT NULL,
            note TEXT,
            lease_pid INTEGER,
            lease_at REAL
        )
        """,
        """
        CREATE TABLE rows(
            job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            line INTEGER NOT NULL,
            recipient TEXT NOT NULL,
            values_json TEXT NOT NULL,
            message_json TEXT,
            state TEXT NOT NULL,
            skip_reason TEXT,
            claimed_at REAL,
            log_row_id INTEGER,
            message_id TEXT,
            error_code TEXT,
            error_message TEXT,
            retryable INTEGER NOT NULL DEFAULT 0,
            updated_at REAL NOT NULL,
            PRIMARY KEY(job_id, seq)
        ) WITHOUT ROWID
        """,
        "CREATE INDEX rows_state ON rows(job_id, state, seq)",
        "CREATE INDEX rows_log_row ON rows(log_row_id) WHERE log_row_id IS NOT NULL",
    ):
        conn.execute(statement)


MIGRATIONS = (_schema_v1,)


class JobStore:
    """The job file on one connection; thread-safe through a lock, meant for one worker thread."""

    def __init__(self, path: Path | str, *, log_path: Path | None = None) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._pid = os.getpid()
        try:
            if str(path) != ":memory:":
                # Created 0600 up front (it holds the audience's names and numbers): SQLite
                # gives the -wal and -shm files the same mode.
                Path(path).parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                with contextlib.suppress(FileExistsError):
                    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            self._conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=FULL")
            self._conn.execute("PRAGMA busy_timeout=5000")
            self._conn.execute("PRAGMA foreign_keys=ON")
            self._migrate()
            self._log_attached = False
            if log_path is not None and log_path.exists():
                self._conn.execute("ATTACH DATABASE ? AS log", (str(log_path),))
                self._log_attached = True
        except (sqlite3.Error, OSError) as err:
            raise JobStoreError(f"the bulk job file {path} could not be opened: {err}") from err

    def _migrate(self) -> None:
        version = self._conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise JobStoreError(f"the bulk job file {self.path} was written by a newer version of the app")
        for step in range(version, SCHEMA_VERSION):
            with self._tx() as conn:
                MIGRATIONS[step](conn)
                conn.execute(f"PRAGMA user_version = {step + 1}")

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                with immediate(self._conn) as conn:
                    yield conn
            except sqlite3.Error as err:
                raise JobStoreError(f"bulk job file error: {err}") from err

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                yield self._conn
            except sqlite3.Error as err:
                raise JobStoreError(f"bulk job file error: {err}") from err

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # ------------------------------------------------------------------ planning

    def create_job(self, job_id: str, profile: str, report: DryRunReport, *, created_at: float) -> None:
        """Write the job and every row of ``report`` in one transaction (nothing half-planned)."""
        spec = report.spec
        label = spec.template_name or " ".join((spec.text or "").split()[:6])
        audience = report.audience
        rows = []
        for check in report.checks:
            row = audience.rows[check.index]
            if check.problems:
                state, reason = RowState.SKIPPED, "; ".join(f"{p.field}: {p.message}" for p in check.problems)
            elif check.skip_reason is not None:
                state, reason = RowState.SKIPPED, check.skip_reason
            else:
                state, reason = RowState.PLANNED, None
            frozen = message_to_json(check.message) if check.message is not None else None
            rows.append(
                (job_id, check.index, row.line, check.recipient, json.dumps(row.values, ensure_ascii=False),
                 frozen, state.value, reason, created_at)
            )  # fmt: skip
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO jobs(id, created_at, updated_at, profile, source, kind, label, spec_json,"
                " columns_json, rate, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (job_id, created_at, created_at, profile, audience.source, spec.kind.value, label,
                 json.dumps(asdict(spec)), json.dumps(audience.columns, ensure_ascii=False), spec.rate,
                 JobState.PLANNED.value),
            )  # fmt: skip
            conn.executemany(
                "INSERT INTO rows(job_id, seq, line, recipient, values_json, message_json, state,"
                " skip_reason, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )

    # ------------------------------------------------------------------ the lease

    def take_lease(self, job_id: str, *, now: float | None = None) -> bool:
        """Hold the job for this process; False when another living process holds it."""
        now = time.time() if now is None else now
        with self._tx() as conn:
            found = conn.execute("SELECT lease_pid, lease_at FROM jobs WHERE id = ?", (job_id,)).fetchone()
            if found is None:
                raise UnknownJob(job_id)
            pid, at = found
            fresh = at is not None and now - at < LEASE_STALE_SECONDS
            if pid is not None and pid != self._pid and fresh and process_alive(pid):
                return False
            conn.execute("UPDATE jobs SET lease_pid = ?, lease_at = ? WHERE id = ?", (self._pid, now, job_id))
            return True

    def renew_lease(self, job_id: str) -> None:
        """Keep the lease fresh while a runner waits (paused, or held by a Retry-After)."""
        with self._tx() as conn:
            self._check_lease(conn, job_id)
            conn.execute("UPDATE jobs SET lease_at = ? WHERE id = ?", (time.time(), job_id))

    def release_lease(self, job_id: str) -> None:
        with self._tx() as conn:
            conn.execute(
                "UPDATE jobs SET lease_pid = NULL, lease_at = NULL WHERE id = ? AND lease_pid = ?",
                (job_id, self._pid),
            )

    def _check_lease(self, conn: sqlite3.Connection, job_id: str) -> None:
        found = conn.execute("SELECT lease_pid FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if found is None or found[0] != self._pid:
            raise LeaseLost(f"another process took over job {job_id}; this one stopped sending it")

    # ------------------------------------------------------------------ rows

    def claim(self, job_id: str, limit: int) -> list[JobRow]:
        """Move up to ``limit`` planned rows (in audience order) to ``sending``, committed."""
        now = time.time()
        with self._tx() as conn:
            self._check_lease(conn, job_id)
            found = conn.execute(
                f"SELECT {_ROW_COLUMNS} FROM rows WHERE job_id = ? AND state = 'planned'"
                " ORDER BY seq LIMIT ?",
                (job_id, limit),
            ).fetchall()
            conn.executemany(
                # An earlier attempt's log row (unreachable: surely not sent) is not this one's.
                "UPDATE rows SET state = 'sending', claimed_at = ?, updated_at = ?, log_row_id = NULL"
                " WHERE job_id = ? AND seq = ?",
                [(now, now, job_id, row[1]) for row in found],
            )
            conn.execute("UPDATE jobs SET lease_at = ? WHERE id = ?", (now, job_id))
        return [_row(r, state=RowState.SENDING, claimed_at=now) for r in found]

    def record(self, job_id: str, results: Sequence[RowResult]) -> None:
        """Write rows' outcomes in one transaction."""
        now = time.time()
        with self._tx() as conn:
            conn.executemany(
                # A row planned again keeps no log row: the next attempt logs its own.
                "UPDATE rows SET state = ?,"
                " log_row_id = CASE WHEN ? = 'planned' THEN NULL ELSE coalesce(?, log_row_id) END,"
                " message_id = ?, error_code = ?, error_message = ?, retryable = ?, updated_at = ?"
                " WHERE job_id = ? AND seq = ?",
                [
                    (r.state.value, r.state.value, r.log_row_id, r.message_id, r.error_code, r.error_message,
                     int(r.retryable), now, job_id, r.seq)
                    for r in results
                ],
            )  # fmt: skip

    def release(self, job_id: str, seqs: Collection[int]) -> None:
        """Claimed rows whose request never started go back to ``planned`` (a pause). A
        collection, not any iterable: the async job file hands it to its thread as it is."""
        now = time.time()
        with self._tx() as conn:
            conn.executemany(
                "UPDATE rows SET state = 'planned', claimed_at = NULL, updated_at = ?"
                " WHERE job_id = ? AND seq = ? AND state = 'sending'",
                [(now, job_id, seq) for seq in seqs],
            )

    def mark_interrupted(self, job_id: str) -> int:
        """Rows a dead run left ``sending`` become ``unknown`` (call holding the lease)."""
        with self._tx() as conn:
            self._check_lease(conn, job_id)
            cur = conn.execute(
                "UPDATE rows SET state = 'unknown', error_message = ?, updated_at = ?"
                " WHERE job_id = ? AND state = 'sending'",
                (INTERRUPTED_TEXT, time.time(), job_id),
            )
            return cur.rowcount

    def rows(
        self, job_id: str, *, states: Sequence[RowState] = (), offset: int = 0, limit: int = 200
    ) -> list[JobRow]:
        where, params = "job_id = ?", [job_id]
        if states:
            where += f" AND state IN ({', '.join('?' for _ in states)})"
            params.extend(s.value for s in states)
        sql = f"SELECT {_ROW_COLUMNS} FROM rows WHERE {where} ORDER BY seq LIMIT ? OFFSET ?"
        with self._read() as conn:
            return [_row(r) for r in conn.execute(sql, (*params, limit, offset))]

    def is_linked(self, log_row_id: int) -> bool:
        """Whether some job row already owns this log row."""
        with self._read() as conn:
            return (
                conn.execute("SELECT 1 FROM rows WHERE log_row_id = ? LIMIT 1", (log_row_id,)).fetchone()
                is not None
            )

    def retryable_count(self, job_id: str) -> int:
        with self._read() as conn:
            return int(
                conn.execute(
                    "SELECT count(*) FROM rows WHERE job_id = ? AND state = 'rejected' AND retryable = 1",
                    (job_id,),
                ).fetchone()[0]
            )

    def replan_retryable(self, job_id: str) -> int:
        """Rejected rows with a retryable reason go back to ``planned`` (their frozen message
        unchanged); the earlier attempt stays in the log. Returns how many."""
        with self._tx() as conn:
            cur = conn.execute(
                "UPDATE rows SET state = 'planned', log_row_id = NULL, message_id = NULL, error_code = NULL,"
                " error_message = NULL, retryable = 0, claimed_at = NULL, updated_at = ?"
                " WHERE job_id = ? AND state = 'rejected' AND retryable = 1",
                (time.time(), job_id),
            )
            if cur.rowcount:
                conn.execute(
                    "UPDATE jobs SET state = 'paused', note = NULL, updated_at = ? WHERE id = ?",
                    (time.time(), job_id),
                )
            return cur.rowcount

    def cancel_rest(self, job_id: str) -> int:
        """Planned rows become skipped ("cancelled"); the job is cancelled. Returns how many."""
        now = time.time()
        with self._tx() as conn:
            cur = conn.execute(
                "UPDATE rows SET state = 'skipped', skip_reason = ?, updated_at = ?"
                " WHERE job_id = ? AND state = 'planned'",
                (CANCELLED_TEXT, now, job_id),
            )
            conn.execute("UPDATE jobs SET state = 'cancelled', updated_at = ? WHERE id = ?", (now, job_id))
            return cur.rowcount

    # ------------------------------------------------------------------ jobs

    def set_state(self, job_id: str, state: JobState, note: str | None = None) -> None:
        with self._tx() as conn:
            conn.execute(
                "UPDATE jobs SET state = ?, note = ?, updated_at = ? WHERE id = ?",
                (state.value, note, time.time(), job_id),
            )

    def set_run_state(self, job_id: str, state: JobState, note: str | None = None) -> None:
        """A running job paused or resumed, in one transaction under the lease: every other view
        (another window, ``--jobs``, a restart) sees the pause. A job already ended stays so."""
        with self._tx() as conn:
            self._check_lease(conn, job_id)
            conn.execute(
                "UPDATE jobs SET state = ?, note = ?, updated_at = ? WHERE id = ? AND state IN (?, ?)",
                (state.value, note, time.time(), job_id, JobState.RUNNING.value, JobState.PAUSED.value),
            )

    def counts(self, job_id: str) -> dict[RowState, int]:
        with self._read() as conn:
            found = conn.execute(
                "SELECT state, count(*) FROM rows WHERE job_id = ? GROUP BY state", (job_id,)
            )
            counts = {state: 0 for state in RowState}
            counts.update({RowState(state): n for state, n in found})
            return counts

    def spec(self, job_id: str) -> BulkSpec:
        with self._read() as conn:
            found = conn.execute("SELECT spec_json FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if found is None:
            raise UnknownJob(job_id)
        data = json.loads(found[0])
        for key in ("param_columns", "button_param_columns"):
            data[key] = tuple(data.get(key) or ())
        return BulkSpec(**data)

    def summary(self, job_id: str) -> JobSummary:
        found = self._summaries("WHERE id = ?", (job_id,))
        if not found:
            raise UnknownJob(job_id)
        return found[0]

    def summaries(self, *, limit: int = 100) -> list[JobSummary]:
        return self._summaries("ORDER BY created_at DESC LIMIT ?", (limit,))

    def _summaries(self, tail: str, params: tuple[Any, ...]) -> list[JobSummary]:
        sql = (
            "SELECT id, created_at, profile, source, kind, label, state, rate, note, lease_pid, lease_at"
            f" FROM jobs {tail}"
        )
        with self._read() as conn:
            jobs = conn.execute(sql, params).fetchall()
        out = []
        now = time.time()
        for job_id, created, profile, source, kind, label, state, rate, note, pid, at in jobs:
            job_state = JobState(state)
            alive = (
                pid is not None and at is not None and now - at < LEASE_STALE_SECONDS and process_alive(pid)
            )
            if job_state is JobState.RUNNING and not alive:
                job_state = JobState.INTERRUPTED  # its process died mid-run
            out.append(
                JobSummary(
                    job_id,
                    created,
                    profile,
                    source,
                    Kind(kind),
                    label,
                    job_state,
                    self.counts(job_id),
                    rate,
                    note,
                )
            )
        return out

    # ------------------------------------------------------------------ reports

    def rollup(self, job_id: str) -> Rollup:
        states: Counter[str] = Counter()
        statuses: Counter[str] = Counter()
        errors: Counter[str] = Counter()
        for state, status, code in self._joined(
            job_id, "r.state, m.status, coalesce(m.error_code, r.error_code)"
        ):
            states[state] += 1
            if status:
                statuses[status] += 1
            failed = state == RowState.REJECTED or status == "failed"
            if failed and code:
                errors[str(code)] += 1
        return Rollup(
            job_id=job_id,
            sent=states[RowState.ACCEPTED] + states[RowState.QUEUED],
            delivered=statuses["delivered"],
            read=statuses["read"],
            failed=states[RowState.REJECTED] + statuses["failed"],
            unknown=states[RowState.UNKNOWN],
            top_errors=tuple(
                ErrorCount(code, n, hint_for(code)) for code, n in errors.most_common(TOP_ERRORS)
            ),
        )

    def export_csv(self, job_id: str, path: Path) -> int:
        """The job's rows as CSV: the input columns, then recipient, outcome, messageId,
        latest status and error. Free text that starts like a formula gets a leading ``'``."""
        with self._read() as conn:
            found = conn.execute("SELECT columns_json FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if found is None:
            raise UnknownJob(job_id)
        columns = json.loads(found[0])
        select = (
            "r.values_json, r.recipient, r.state, coalesce(r.message_id, m.message_id), m.status,"
            " coalesce(r.error_code, m.error_code), coalesce(r.error_message, r.skip_reason, m.error_message)"
        )
        count = 0
        with atomic_writer(path, newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([*columns, "recipient", "outcome", "messageId", "status", "errorCode", "error"])
            for values_json, recipient, state, message_id, status, code, error in self._joined(
                job_id, select
            ):
                values = [_csv_safe(v) for v in json.loads(values_json)]
                writer.writerow([*values, recipient, state, message_id or "", status or "", code or "",
                                 _csv_safe(error or "")])  # fmt: skip
                count += 1
        return count

    def _joined(self, job_id: str, select: str) -> list[tuple[Any, ...]]:
        source = "log.messages" if self._log_attached else _NO_LOG
        sql = (
            f"SELECT {select} FROM rows r LEFT JOIN {source} m ON m.id = r.log_row_id"
            " WHERE r.job_id = ? ORDER BY r.seq"
        )
        with self._read() as conn:
            return conn.execute(sql, (job_id,)).fetchall()


_NO_LOG = "(SELECT NULL AS id, NULL AS status, NULL AS message_id, NULL AS error_code, NULL AS error_message)"
"""Stands in for the log's messages when there is none to attach (an in-memory log in tests)."""


def _row(found: Sequence[Any], *, state: RowState | None = None, claimed_at: float | None = None) -> JobRow:
    (job_id, seq, line, recipient, row_state, message_json, skip_reason, log_row_id, message_id,
     error_code, error_message, retryable, claimed, values_json) = found  # fmt: skip
    return JobRow(
        job_id=job_id,
        seq=seq,
        line=line,
        recipient=recipient,
        state=state or RowState(row_state),
        message_json=message_json,
        skip_reason=skip_reason,
        log_row_id=log_row_id,
        message_id=message_id,
        error_code=error_code,
        error_message=error_message,
        retryable=bool(retryable),
        claimed_at=claimed_at if claimed_at is not None else claimed,
        values=tuple(json.loads(values_json)),
    )
