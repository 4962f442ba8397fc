"""The message log on one SQLite connection: every send, its request and reply (redacted), and
its status events.

One connection, guarded by a lock, so a single worker thread (see
:class:`~whats91_desktop.core.store.async_store.AsyncMessageStore`) can own it while the GUI
thread never touches the disk. A damaged file — found at open by a time-bounded integrity
check, or by SQLite later — is moved aside and a fresh log started; ``notice`` then says so (see
:mod:`whats91_desktop.core.store.connection`). A send's result that cannot be written (the file
locked by another process past the busy timeout, a full disk) is kept in the journal and written
at the next open or after the next successful write (:mod:`whats91_desktop.core.store.journal`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path
from typing import Any

from whats91_desktop.core.models import FINAL_STATUSES, Outcome, SendResult, StatusEvent
from whats91_desktop.core.store.completion import completion_values, write_completion
from whats91_desktop.core.store.connection import (
    INTEGRITY_CHECK_SECONDS,
    UnusableFile,
    is_corrupt,
    move_aside,
    open_connection,
)
from whats91_desktop.core.store.conversation_cache import ConversationCacheMixin
from whats91_desktop.core.store.entries import (
    ENTRY_COLUMNS,
    INTERRUPTED_MESSAGE,
    LogEntry,
    QueryCancelled,
    SendingRow,
    StoreError,
)
from whats91_desktop.core.store.export import EXPORT_SELECT, export_record, write_csv, write_json
from whats91_desktop.core.store.journal import PendingResult, ResultJournal, journal_path_for
from whats91_desktop.core.store.process import process_alive
from whats91_desktop.core.store.saved import SavedRequestsMixin
from whats91_desktop.core.store.schema import uses_trigram
from whats91_desktop.core.store.search import LogQuery, Plan, plan_page, plan_query
from whats91_desktop.core.store.transaction import immediate
from whats91_desktop.core.store.webhook_log import WebhookLogMixin

log = logging.getLogger(__name__)

# No send lasts this long (bounded retries, finite timeouts): an older "sending" row is
# interrupted even if its process id now belongs to some other living process.
SENDING_STALE_SECONDS = 15 * 60
ID_JUMP_MIN_OFFSET = 2_000
"""From this depth a page of the unfiltered log is found through ``messages_ids`` (schema v11):
the table's own order reads every skipped row's record, the index only its id."""

_SELECT_COLUMNS = "SELECT " + ", ".join(f"m.{c}" for c in ENTRY_COLUMNS)
_SELECT = _SELECT_COLUMNS + " FROM messages m"


def _count(conn: sqlite3.Connection, sql: str, params: Sequence[Any], cancel: threading.Event | None) -> int:
    """Run a ``SELECT count(*)``, stopped by SQLite's progress handler once ``cancel`` is set."""
    if cancel is None:
        return int(conn.execute(sql, params).fetchone()[0])
    if cancel.is_set():
        raise QueryCancelled("the count was cancelled")
    conn.set_progress_handler(lambda: int(cancel.is_set()), 10_000)
    try:
        return int(conn.execute(sql, params).fetchone()[0])
    except sqlite3.OperationalError as err:
        if cancel.is_set() and "interrupt" in str(err).lower():
            raise QueryCancelled("the count was cancelled") from None
        raise
    finally:
        conn.set_progress_handler(None, 0)


def _chunks(items: Sequence[int], size: int = 500) -> Iterator[Sequence[int]]:
    """Slices of at most ``size`` ids: SQLite limits the ``?`` parameters of one statement."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


class MessageStore(SavedRequestsMixin, WebhookLogMixin, ConversationCacheMixin):
    """The log on one SQLite connection. Thread-safe through one lock; meant for one worker."""

    def __init__(self, path: Path | str, *, integrity_check_seconds: float = INTEGRITY_CHECK_SECONDS) -> None:
        """Open (migrate, or move aside) the log. ``integrity_check_seconds`` bounds the check
        of an existing file at open; 0 skips it (a damaged page is then found when read)."""
        self.path = path if str(path) == ":memory:" else Path(path)
        self.notice: str | None = None
        self.backup_path: Path | None = None
        self._lock = threading.RLock()
        self._closed = False
        self._check_seconds = integrity_check_seconds
        self._journal = ResultJournal(journal_path_for(self.path) if isinstance(self.path, Path) else None)
        try:
            self._conn = self._open_or_move_aside()
        except OSError as err:
            raise StoreError(
                f"the message log {self.path} could not be opened: {err.strerror or err}"
            ) from err
        self.trigram = uses_trigram(self._conn)
        applied = self._apply_journal()
        if applied:
            recorded = f"{applied} send result{'s' if applied != 1 else ''}"
            were = "were" if applied != 1 else "was"
            note = f"{recorded} that could not be written to the log earlier {were} recorded now."
            self.notice = f"{self.notice} {note}" if self.notice else note

    # ------------------------------------------------------------------ opening

    def _open_or_move_aside(self) -> sqlite3.Connection:
        try:
            return open_connection(self.path, check_seconds=self._check_seconds)
        except (sqlite3.DatabaseError, UnusableFile) as err:
            if isinstance(err, sqlite3.DatabaseError) and not is_corrupt(err):
                raise StoreError(f"the message log {self.path} could not be opened: {err}") from err
            reason = f"SQLite reports: {err}" if isinstance(err, sqlite3.DatabaseError) else str(err)
            self._move_aside(reason)
            try:
                return open_connection(self.path)
            except (sqlite3.DatabaseError, UnusableFile) as again:
                raise StoreError(f"the message log {self.path} could not be created: {again}") from again

    def _move_aside(self, reason: str) -> None:
        assert isinstance(self.path, Path)
        target = move_aside(self.path)
        self.backup_path = target
        self.notice = (
            f"The message log could not be used ({reason}). It was moved to {target} "
            "and a new, empty log was started."
        )

    def _replace_damaged(self, err: sqlite3.DatabaseError) -> StoreError:
        """SQLite found the open log damaged: move it aside and start a new one at once, so the
        next call works. The error to raise says so; what this call wanted was not done."""
        assert isinstance(self.path, Path)
        with contextlib.suppress(sqlite3.Error):
            self._conn.close()
        self._move_aside(f"SQLite reports: {err}")
        self._journal = ResultJournal(journal_path_for(self.path))  # the old one went with the file
        self._conn = open_connection(self.path, check_seconds=0)
        self.trigram = uses_trigram(self._conn)
        log.error("message log damaged, moved to %s: %s", self.backup_path, err)
        return StoreError(self.notice or "the message log was damaged and replaced")

    @contextlib.contextmanager
    def _locked(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._closed:
                raise StoreError("the message log is closed")
            try:
                yield self._conn
            except sqlite3.Error as err:
                if isinstance(err, sqlite3.DatabaseError) and is_corrupt(err) and isinstance(self.path, Path):
                    try:
                        replaced = self._replace_damaged(err)
                    except (OSError, sqlite3.Error, UnusableFile) as again:
                        raise StoreError(
                            f"message log error: {err}; it could not be replaced: {again}"
                        ) from err
                    raise replaced from err
                raise StoreError(f"message log error: {err}") from err

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """A write transaction, committed (durably) when the block ends; then any results the
        journal kept are written too, now that the log takes writes again.

        Inside another ``_tx`` of this thread (the lock is re-entrant) the block joins that
        transaction instead: a batch of writes (a burst of webhook deliveries) commits once."""
        with self._locked() as conn:
            if conn.in_transaction:
                yield conn
                return
            with immediate(conn):
                yield conn
        if self._journal.has_pending():
            self._apply_journal()

    def _apply_journal(self) -> int:
        """Write the journal's results to their rows; returns how many rows they finished.

        Never raises: what cannot be written now stays in the journal for the next write or the
        next start. A row already finished (a reconcile, a recovery that found the real result)
        is left alone.
        """
        if self._closed or not self._journal.has_pending():
            return 0
        try:
            with self._lock, self._journal.replay() as entries:
                if not entries:
                    return 0  # only lines a crash cut short: the replay removes them
                with immediate(self._conn) as conn:
                    finished = sum(
                        write_completion(conn, e.row_id, e.values, at=e.recorded_at, only_if_open=True)
                        for e in entries
                    )
        except (sqlite3.Error, OSError) as err:
            log.warning("kept send results not written to the log yet: %s", err)
            return 0
        log.info("wrote %d kept send result(s) to the log", finished)
        return finished

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self._conn.close()

    # ------------------------------------------------------------------ writes

    def create_sending(
        self,
        *,
        profile: str,
        sender_id: str | None,
        recipient: str,
        kind: str,
        preview: str,
        request_text: str,
        parent_id: int | None = None,
        message_json: str | None = None,
        body: str | None = None,
        job_id: str | None = None,
    ) -> int:
        """Insert a row in state ``sending``; it is committed when this returns.

        ``message_json`` is the composed message (``serialize.message_to_json``): messages
        carry no token, so it is safe to keep. ``body`` is the message's whole searchable text
        (the preview is cut short); without it the preview is what search sees. ``job_id``
        links a bulk job's send to its job (schema v10).
        """
        row = SendingRow(
            profile, sender_id, recipient, kind, preview, request_text, parent_id, message_json, body, job_id
        )
        return self.create_sending_many([row])[0]

    def create_sending_many(self, rows: Sequence[SendingRow]) -> list[int]:
        """Insert rows in state ``sending`` in one transaction (group commit: the sends that
        start together share its fsync and full-text update); committed when this returns."""
        now, pid = time.time(), os.getpid()
        ids: list[int] = []
        with self._tx() as conn:
            for row in rows:
                cur = conn.execute(
                    "INSERT INTO messages(created_at, updated_at, profile, sender_id, recipient, kind,"
                    " preview, state, request_text, parent_id, message_json, body, owner_pid, job_id)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, 'sending', ?, ?, ?, ?, ?, ?)",
                    (
                        now, now, row.profile, row.sender_id, row.recipient, row.kind, row.preview,
                        row.request_text, row.parent_id, row.message_json, row.body, pid, row.job_id,
                    ),
                )  # fmt: skip
                assert cur.lastrowid is not None
                ids.append(cur.lastrowid)
        return ids

    def complete(self, row_id: int, result: SendResult) -> None:
        """Record the send's result and a first event. A row deleted meanwhile is ignored.

        When the log cannot take the write (locked past the busy timeout, disk full), the
        result is kept in the journal and written later; the ``StoreError`` raised then says
        where it is. The caller reports the result as it is either way: it came from the server.
        """
        self.complete_many([(row_id, result)])

    def complete_many(self, results: Sequence[tuple[int, SendResult]]) -> None:
        """:meth:`complete` for replies that arrived together, in one transaction; if it fails,
        every one of them is kept in the journal (the error says where)."""
        entries = [PendingResult(row_id, completion_values(result)) for row_id, result in results]
        damaged_before = self.backup_path
        try:
            with self._tx() as conn:
                for entry in entries:
                    write_completion(conn, entry.row_id, entry.values, at=entry.recorded_at)
        except StoreError as err:
            if self.backup_path is not damaged_before:
                # The log was damaged and replaced: this row is in the old file, not the new one.
                raise StoreError(f"{err} This send's result is not in the new log.") from err
            on_disk = all([self._journal.append(entry) for entry in entries])
            where = (
                f"it is kept in {self._journal.path} and will be written to the log when it next opens"
                if on_disk
                else "it could not be saved on disk either, so note the ids shown (it is still"
                " written to the log if the log takes a write before this program ends)"
            )
            raise StoreError(f"the message log could not record this result ({err}); {where}") from err

    def mark_outcome(
        self,
        row_id: int,
        outcome: Outcome,
        *,
        error_message: str | None = None,
        error_code: str | None = None,
    ) -> None:
        """Set a row's outcome when no ``SendResult`` exists (an unexpected error, a reconcile).

        The row's error is replaced by the given one: None (or "") stores NULL, so pass the
        row's current error to keep it.
        """
        error_message, error_code = error_message or None, error_code or None
        with self._tx() as conn:
            conn.execute(
                "UPDATE messages SET updated_at = ?, outcome = ?, state = ?, error_code = ?,"
                " error_message = ? WHERE id = ?",
                (time.time(), outcome.value, outcome.value, error_code, error_message, row_id),
            )

    def mark_interrupted(self, message: str = INTERRUPTED_MESSAGE, *, job_id: str | None = None) -> int:
        """Rows still ``sending`` whose process is gone (it died mid-send) become ``unknown``;
        returns how many. Another running instance's in-flight rows are left alone. With
        ``job_id``, only that bulk job's rows: a job resuming never touches other sends."""
        now = time.time()
        with self._tx() as conn:
            scope, params = ("AND job_id = ?", (job_id,)) if job_id is not None else ("", ())
            rows = conn.execute(
                f"SELECT id, owner_pid, created_at FROM messages WHERE state = 'sending' {scope}", params
            ).fetchall()
            dead = [
                row_id
                for row_id, pid, created in rows
                if pid is None or now - created > SENDING_STALE_SECONDS or not process_alive(pid)
            ]
            for row_id in dead:
                conn.execute(
                    "UPDATE messages SET updated_at = ?, state = 'unknown', outcome = 'unknown',"
                    " error_message = ? WHERE id = ? AND state = 'sending'",
                    (now, message, row_id),
                )
            return len(dead)

    def add_events(self, row_id: int, events: Sequence[StatusEvent], latest_status: str | None) -> bool:
        """Store new status events (duplicates ignored) and the latest status; True if anything changed.

        Without ``latest_status`` the status of the latest event (by time) is used. When the
        message has failed, the failing event's error is copied onto the row.
        """
        now = time.time()
        with self._tx() as conn:
            row = conn.execute(
                "SELECT status, error_code, error_message FROM messages WHERE id = ?", (row_id,)
            )
            current = row.fetchone()
            if current is None:
                return False
            changed = False
            for event in events:
                # The server's event supersedes the one we recorded locally at send time.
                conn.execute(
                    "DELETE FROM events WHERE message_row = ? AND status = ? AND source = 'local'",
                    (row_id, event.status),
                )
                cur = conn.execute(
                    "INSERT OR IGNORE INTO events(message_row, status, occurred_at, recorded_at, error_code,"
                    " error_message) VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        row_id,
                        event.status,
                        event.occurred_at or "",
                        now,
                        event.error_code,
                        event.error_message,
                    ),
                )
                changed = changed or cur.rowcount > 0
            status = latest_status
            if status is None and events:
                status = max(events, key=lambda e: e.occurred_at or "").status
                if current[0] in FINAL_STATUSES and status not in FINAL_STATUSES:
                    status = None  # an older partial list: never step back from read or failed
            updates: dict[str, Any] = {}
            if status and status != current[0]:
                updates["status"] = status
            failing = [e for e in events if e.error_code or e.error_message]
            if (status or current[0]) == "failed" and failing:
                last = max(failing, key=lambda e: e.occurred_at or "")
                if (last.error_code, last.error_message) != (current[1], current[2]):
                    updates["error_code"] = last.error_code
                    updates["error_message"] = last.error_message
            if updates:
                assignments = ", ".join(f"{k} = ?" for k in updates)
                conn.execute(
                    f"UPDATE messages SET updated_at = ?, {assignments} WHERE id = ?",
                    (now, *updates.values(), row_id),
                )
                changed = True
            return changed

    def set_message_id(self, row_id: int, message_id: str) -> None:
        with self._tx() as conn:
            conn.execute(
                "UPDATE messages SET message_id = ?, updated_at = ? WHERE id = ?",
                (message_id, time.time(), row_id),
            )

    def claim_report(self, row_id: int, *, message_id: str | None, report_uid: str | None) -> bool:
        """Give a row the ids of a report found for it (reconciliation), in one transaction.

        Refused — False, nothing changed — when another row already has that message id or
        report uid (the report is that row's), when this row already has a different one (the
        report is not this row's), when the report has neither id, or when the row is gone.
        An id the row lacks is filled in; one it already has is kept.
        """
        if not (message_id or report_uid):
            return False
        with self._tx() as conn:
            current = conn.execute(
                "SELECT message_id, report_uid FROM messages WHERE id = ?", (row_id,)
            ).fetchone()
            if current is None:
                return False
            for column, value, mine in (
                ("message_id", message_id, current[0]),
                ("report_uid", report_uid, current[1]),
            ):
                if not value:
                    continue
                if mine is not None and mine != value:
                    return False
                other = conn.execute(
                    f"SELECT 1 FROM messages WHERE {column} = ? AND id != ? LIMIT 1", (value, row_id)
                ).fetchone()
                if other is not None:
                    return False
            conn.execute(
                "UPDATE messages SET message_id = coalesce(message_id, ?),"
                " report_uid = coalesce(report_uid, ?), updated_at = ? WHERE id = ?",
                (message_id or None, report_uid or None, time.time(), row_id),
            )
            return True

    def delete(self, row_ids: Collection[int]) -> int:
        """Delete rows and their events; rows still ``sending`` are kept. Returns how many went.

        A collection, not any iterable: the async store hands it to its worker thread as it is,
        and a lazy iterable read there could race the caller's thread.
        """
        ids = sorted(set(row_ids))
        deleted = 0
        with self._tx() as conn:
            for chunk in _chunks(ids):
                marks = ", ".join("?" for _ in chunk)
                cur = conn.execute(
                    f"DELETE FROM messages WHERE id IN ({marks}) AND state != 'sending'", chunk
                )
                deleted += cur.rowcount
        return deleted

    # ------------------------------------------------------------------ reads

    def get(self, row_id: int) -> LogEntry | None:
        with self._locked() as conn:
            row = conn.execute(f"{_SELECT} WHERE m.id = ?", (row_id,)).fetchone()
        return LogEntry(*row) if row else None

    def events(self, row_id: int) -> list[StatusEvent]:
        with self._locked() as conn:
            rows = conn.execute(
                "SELECT status, occurred_at, error_code, error_message FROM events WHERE message_row = ?"
                " ORDER BY occurred_at, id",
                (row_id,),
            ).fetchall()
        return [
            StatusEvent(status=s, occurred_at=o or None, error_code=c, error_message=m) for s, o, c, m in rows
        ]

    def count(self, query: LogQuery | None = None, *, cancel: threading.Event | None = None) -> int:
        """How many rows match. Set ``cancel`` (from any thread) to stop a count that a newer
        search made pointless: it then raises :class:`QueryCancelled`. Counting a common word
        in a big log takes a second or more, and the next search would wait for it here."""
        query = query or LogQuery()
        with self._locked() as conn:
            plan: Plan | None = plan_query(query, trigram=self.trigram)
            assert plan is not None
            if plan.only_match:
                sql, params = "SELECT count(*) FROM messages_fts WHERE messages_fts MATCH ?", (plan.match,)
            else:
                if plan.match is not None:
                    # With a text search the id bounds let FTS read only the date range's part.
                    plan = plan_page(conn, query, trigram=self.trigram)
                    if plan is None:
                        return 0
                sql, params = f"SELECT count(*) FROM {plan.source}{plan.where()}", plan.params
            return _count(conn, sql, params, cancel)

    def page(
        self,
        query: LogQuery,
        offset: int,
        limit: int,
        *,
        before_id: int | None = None,
        after_id: int | None = None,
        total: int | None = None,
    ) -> list[LogEntry]:
        """Matching rows, newest first, from ``offset``.

        Keyset paging, which costs the same at any depth: ``before_id`` starts below that row id
        (the page under one in memory), ``after_id`` ends right above it (the page over one in
        memory; ``offset`` is then ignored). Otherwise SQLite steps over ``offset`` rows; with
        ``total`` (the count of matches) a page in the older half is read from the oldest end,
        so a jump to 90 % steps over a tenth of the rows, not nine tenths."""
        limit, offset = max(0, limit), max(0, offset)
        with self._locked() as conn:
            plan = plan_page(conn, query, trigram=self.trigram)
            if plan is None:
                return []
            extra: list[str] = []
            params: list[Any] = list(plan.params)
            if before_id is not None:
                extra.append(f"{plan.order} < ?")
                params.append(before_id)
            ascending = after_id is not None
            if after_id is not None:
                extra.append(f"{plan.order} > ?")
                params.append(after_id)
                offset = 0
            elif total is not None and before_id is None and offset + limit > total - offset:
                ascending = True
                limit = max(0, min(limit, total - offset))
                offset = max(0, total - offset - limit)
            direction = "ASC" if ascending else "DESC"
            if offset >= ID_JUMP_MIN_OFFSET and not plan.clauses and not extra:
                # The whole log, deep down: step over the skipped rows in the ids' own index, not
                # in the table (whose every skipped record would be read), then read one page.
                jump = f"SELECT id FROM messages INDEXED BY messages_ids ORDER BY id {direction}"
                first = conn.execute(f"{jump} LIMIT 1 OFFSET ?", (offset,)).fetchone()
                if first is None:
                    return []
                extra.append(f"m.id {'>=' if ascending else '<='} ?")
                params.append(first[0])
                offset = 0
            sql = (
                f"{_SELECT_COLUMNS} FROM {plan.source}{plan.where(*extra)}"
                f" ORDER BY {plan.order} {direction} LIMIT ? OFFSET ?"
            )
            rows = conn.execute(sql, (*params, limit, offset)).fetchall()
        if ascending:
            rows.reverse()
        return [LogEntry(*r) for r in rows]

    def ids_for(self, query: LogQuery) -> list[int]:
        """Every matching row id, newest first (for "select all" and bulk actions)."""
        with self._locked() as conn:
            plan = plan_page(conn, query, trigram=self.trigram)
            if plan is None:
                return []
            sql = f"SELECT m.id FROM {plan.source}{plan.where()} ORDER BY {plan.order} DESC"
            return [r[0] for r in conn.execute(sql, plan.params)]

    def followups(self, *, since: float | None = None) -> list[LogEntry]:
        """Accepted or queued rows whose status is not final yet (read, failed), oldest first.

        "delivered" is not final and a message may never be read, so pass ``since`` (e.g. now
        minus the ``status_poll_max_minutes`` preference) to keep this list short.
        """
        finals = ", ".join(f"'{s}'" for s in sorted(FINAL_STATUSES))
        sql = (
            f"{_SELECT} WHERE m.state IN ('accepted', 'queued')"
            f" AND (m.status IS NULL OR m.status NOT IN ({finals}))"
        )
        params: tuple[float, ...] = ()
        if since is not None:
            # Most rows are accepted, so state barely filters: walk the recent part of created_at.
            sql = sql.replace("FROM messages m", "FROM messages m INDEXED BY messages_created_at")
            sql += " AND m.created_at >= ?"
            params = (since,)
        with self._locked() as conn:
            return [LogEntry(*r) for r in conn.execute(sql + " ORDER BY m.id", params)]

    def unknown_rows(self) -> list[LogEntry]:
        """Rows whose outcome is unknown and not yet reconciled (no status learned), oldest first."""
        sql = f"{_SELECT} WHERE m.state = 'unknown' AND m.status IS NULL ORDER BY m.id"
        with self._locked() as conn:
            return [LogEntry(*r) for r in conn.execute(sql)]

    def sent_to(self, recipient: str, *, since: float, exclude_id: int | None = None) -> list[LogEntry]:
        """Rows to ``recipient`` logged at or after ``since`` that reached WhatsApp (state
        accepted or queued, reconciled rows included), oldest first.

        Reconciliation counts these as the possible owners of reports that carry no ids.
        """
        sql = (
            f"{_SELECT} INDEXED BY messages_created_at WHERE m.created_at >= ? AND m.recipient = ?"
            " AND m.state IN ('accepted', 'queued') AND m.id != ? ORDER BY m.id"
        )
        params = (since, recipient, -1 if exclude_id is None else exclude_id)
        with self._locked() as conn:
            return [LogEntry(*r) for r in conn.execute(sql, params)]

    def recent_recipients(self, limit: int = 20, *, profile: str | None = None) -> list[str]:
        """Distinct recipients, most recently used first (walks the newest rows only)."""
        where = " WHERE profile = ?" if profile is not None else ""
        params: tuple[Any, ...] = (profile,) if profile is not None else ()
        sql = f"SELECT recipient FROM messages{where} ORDER BY id DESC LIMIT 5000"
        found: list[str] = []
        with self._locked() as conn:
            for (recipient,) in conn.execute(sql, params):
                if recipient and recipient not in found:
                    found.append(recipient)
                    if len(found) >= limit:
                        break
        return found

    def find(
        self, message_id: str | None = None, report_uid: str | None = None, queue_uid: str | None = None
    ) -> LogEntry | None:
        """The newest row with any of the given ids."""
        pairs = [
            (c, v)
            for c, v in (("message_id", message_id), ("report_uid", report_uid), ("queue_uid", queue_uid))
            if v
        ]
        if not pairs:
            return None
        best: LogEntry | None = None
        with self._locked() as conn:
            for column, value in pairs:
                row = conn.execute(
                    f"{_SELECT} WHERE m.{column} = ? ORDER BY m.id DESC LIMIT 1", (value,)
                ).fetchone()
                if row and (best is None or row[0] > best.id):
                    best = LogEntry(*row)
        return best

    # ------------------------------------------------------------------ exports

    def _export_records(self, query: LogQuery) -> Iterator[dict[str, Any]]:
        with self._locked() as conn:
            plan = plan_page(conn, query, trigram=self.trigram)
            if plan is None:
                return
            sql = f"SELECT {EXPORT_SELECT} FROM {plan.source}{plan.where()} ORDER BY {plan.order} DESC"
            for row in conn.execute(sql, plan.params):
                yield export_record(row)

    def export_csv(self, query: LogQuery, path: Path | str) -> int:
        """Write matching rows as CSV (atomically); returns the row count. No request/response text.

        Free-text cells (preview, error message) that start like a formula get a leading ``'``.
        """
        return write_csv(self._export_records(query), path)

    def export_json(self, query: LogQuery, path: Path | str) -> int:
        """Write matching rows as a JSON array of objects (atomically); returns the row count."""
        return write_json(self._export_records(query), path)
