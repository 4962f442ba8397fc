"""The message log: every send, its request and reply (redacted), and its status events.

SQLite in WAL mode with ``synchronous=FULL``: a row is committed — on disk — before its
request leaves (see :mod:`whats91_desktop.core.outbox`). One connection, guarded by a lock,
so a single worker thread (:class:`AsyncMessageStore`) can own it while the GUI thread
never touches the disk.

Search uses an FTS5 index over recipient, preview, message id, request id and the error;
with SQLite ≥ 3.34 it is a trigram index, so any fragment of three or more characters
matches (``8888`` finds ``918888800000``). Shorter fragments fall back to ``LIKE``.

"Newest first" means most recently logged: pages are ordered by row id, which grows with
every insert. That lets one page of a search, a status filter or a date range stop after
``limit`` rows instead of sorting every match (a million-row log stays interactive), and it
keeps the order stable if the system clock jumps back.

Each row also keeps the composed message as JSON (``message_json``, see
:mod:`whats91_desktop.core.serialize`), so "Send again" and "Copy as curl" work for rows
from earlier sessions. Like the request text it never goes into an export.

A file SQLite calls corrupt (or one written by a newer app) is moved aside as
``messages.sqlite3.corrupt-YYYYmmdd-HHMMSS`` and a fresh log is started; ``notice`` says so.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import csv
import functools
import json
import os
import re
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from whats91_desktop.core.errors import Whats91Error
from whats91_desktop.core.fsutil import atomic_writer, backup_path_for
from whats91_desktop.core.models import FINAL_STATUSES, Outcome, SendResult, StatusEvent

SCHEMA_VERSION = 5
TRIGRAM_AVAILABLE = sqlite3.sqlite_version_info >= (3, 34, 0)

INTERRUPTED_MESSAGE = "App closed before the reply arrived; check before resending"

_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26


class StoreError(Whats91Error):
    """The message log could not be read or written (disk full, locked, damaged)."""


# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class LogEntry:
    """One row of the log. ``display_status`` is what the log shows and filters on."""

    id: int
    created_at: float
    updated_at: float
    profile: str
    sender_id: str | None
    phone_number_id: str | None
    recipient: str
    kind: str
    preview: str
    state: str
    outcome: str | None
    status: str | None
    message_id: str | None
    request_id: str | None
    queue_uid: str | None
    report_uid: str | None
    error_code: str | None
    error_message: str | None
    http_status: int | None
    request_text: str | None
    response_text: str | None
    parent_id: int | None
    message_json: str | None = None  # the composed message (serialize.message_to_json); schema v2

    @property
    def display_status(self) -> str:
        return self.status or self.state

    @property
    def is_final(self) -> bool:
        return self.display_status in FINAL_STATUSES

    @property
    def lookup_id(self) -> str | None:
        """What to pass to the status endpoint: the wamid, else the report or queue uid."""
        return self.message_id or self.report_uid or self.queue_uid


_COLUMNS: tuple[str, ...] = tuple(LogEntry.__dataclass_fields__)
_SELECT_COLUMNS = "SELECT " + ", ".join(f"m.{c}" for c in _COLUMNS)
_SELECT = _SELECT_COLUMNS + " FROM messages m"
_INSERT_COLUMNS: tuple[str, ...] = _COLUMNS[1:]


@dataclass(frozen=True)
class LogQuery:
    """A filter over the log: all given parts must match.

    ``text``: every whitespace-separated fragment must occur in the recipient, preview,
    message id, request id or error (case-insensitive; a phone-number-like input is reduced
    to its digits). ``statuses``: the row's ``display_status`` is one of them.
    ``date_from <= created_at < date_to`` (epoch seconds). ``profile``: exact name.
    """

    text: str = ""
    statuses: frozenset[str] = field(default_factory=frozenset)
    date_from: float | None = None
    date_to: float | None = None
    profile: str | None = None

    @property
    def is_empty(self) -> bool:
        return self == LogQuery()


EXPORT_COLUMNS: tuple[str, ...] = (
    "id",
    "created_at",
    "profile",
    "sender_id",
    "recipient",
    "kind",
    "preview",
    "status",
    "outcome",
    "message_id",
    "request_id",
    "error_code",
    "error_message",
)


# --------------------------------------------------------------------------- schema


def _fts_source(prefix: str) -> str:
    p = prefix
    return (
        f"{p}recipient, {p}preview, {p}message_id, {p}request_id, "
        f"trim(coalesce({p}error_code, '') || ' ' || coalesce({p}error_message, ''))"
    )


def _fts_triggers(source: Callable[[str], str], watched: str) -> list[str]:
    """The three triggers that keep ``messages_fts`` in step with ``messages``.

    ``source(prefix)`` gives the indexed values of a row; ``watched`` the columns whose
    update re-indexes it.
    """
    return [
        f"""
        CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
            INSERT INTO messages_fts(rowid, recipient, preview, message_id, request_id, error_text)
            VALUES (new.id, {source("new.")});
        END
        """,
        f"""
        CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
            INSERT INTO messages_fts(messages_fts, rowid, recipient, preview, message_id, request_id,
                                     error_text)
            VALUES ('delete', old.id, {source("old.")});
        END
        """,
        f"""
        CREATE TRIGGER messages_fts_update
        AFTER UPDATE OF {watched} ON messages
        BEGIN
            INSERT INTO messages_fts(messages_fts, rowid, recipient, preview, message_id, request_id,
                                     error_text)
            VALUES ('delete', old.id, {source("old.")});
            INSERT INTO messages_fts(rowid, recipient, preview, message_id, request_id, error_text)
            VALUES (new.id, {source("new.")});
        END
        """,
    ]


def _schema_v1(conn: sqlite3.Connection) -> None:
    tokenizer = "trigram" if TRIGRAM_AVAILABLE else "unicode61"
    statements = [
        """
        CREATE TABLE messages(
            id INTEGER PRIMARY KEY,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            profile TEXT NOT NULL DEFAULT '',
            sender_id TEXT,
            phone_number_id TEXT,
            recipient TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL DEFAULT '',
            preview TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL,
            outcome TEXT,
            status TEXT,
            message_id TEXT,
            request_id TEXT,
            queue_uid TEXT,
            report_uid TEXT,
            error_code TEXT,
            error_message TEXT,
            http_status INTEGER,
            request_text TEXT,
            response_text TEXT,
            parent_id INTEGER REFERENCES messages(id) ON DELETE SET NULL
        )
        """,
        "CREATE INDEX messages_created_at ON messages(created_at)",
        "CREATE INDEX messages_status ON messages(status)",
        # Each index ends in the rowid, so a filtered page walks it in id order without sorting.
        "CREATE INDEX messages_display_status ON messages(coalesce(status, state))",
        "CREATE INDEX messages_state ON messages(state)",
        "CREATE INDEX messages_profile ON messages(profile)",
        "CREATE INDEX messages_message_id ON messages(message_id) WHERE message_id IS NOT NULL",
        "CREATE INDEX messages_report_uid ON messages(report_uid) WHERE report_uid IS NOT NULL",
        "CREATE INDEX messages_queue_uid ON messages(queue_uid) WHERE queue_uid IS NOT NULL",
        "CREATE INDEX messages_parent ON messages(parent_id) WHERE parent_id IS NOT NULL",
        """
        CREATE TABLE events(
            id INTEGER PRIMARY KEY,
            message_row INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
            status TEXT NOT NULL,
            occurred_at TEXT NOT NULL DEFAULT '',
            recorded_at REAL NOT NULL,
            error_code TEXT,
            error_message TEXT,
            UNIQUE(message_row, status, occurred_at)
        )
        """,
        """
        CREATE VIEW messages_fts_source AS
            SELECT id, recipient, preview, message_id, request_id,
                   trim(coalesce(error_code, '') || ' ' || coalesce(error_message, '')) AS error_text
            FROM messages
        """,
        f"""
        CREATE VIRTUAL TABLE messages_fts USING fts5(
            recipient, preview, message_id, request_id, error_text,
            content='messages_fts_source', content_rowid='id', tokenize='{tokenizer}'
        )
        """,
        *_fts_triggers(_fts_source, "recipient, preview, message_id, request_id, error_code, error_message"),
    ]
    # One statement at a time: ``executescript`` would commit the migration's transaction.
    for statement in statements:
        conn.execute(statement)


def _schema_v2(conn: sqlite3.Connection) -> None:
    """Keep the composed message, so rows from earlier sessions can be sent again."""
    conn.execute("ALTER TABLE messages ADD COLUMN message_json TEXT")


def _schema_v3(conn: sqlite3.Connection) -> None:
    """Tell the event we record at send time (``local``) from the server's own events.

    The server's event for the same status later replaces the local one, so a timeline never
    shows "accepted" twice.
    """
    conn.execute("ALTER TABLE events ADD COLUMN source TEXT NOT NULL DEFAULT 'server'")


def _fts_source_v4(prefix: str) -> str:
    p = prefix
    return (
        f"{p}recipient, coalesce({p}body, {p}preview), {p}message_id, {p}request_id, "
        f"trim(coalesce({p}error_code, '') || ' ' || coalesce({p}error_message, ''))"
    )


def _schema_v4(conn: sqlite3.Connection) -> None:
    """Search the whole message text, not just its 120-character preview.

    ``body`` holds the full searchable text; the index reads ``coalesce(body, preview)``, which
    for older rows (no body) is exactly what was indexed before, so no rebuild is needed.
    """
    conn.execute("ALTER TABLE messages ADD COLUMN body TEXT")
    for name in ("messages_fts_insert", "messages_fts_delete", "messages_fts_update"):
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("DROP VIEW messages_fts_source")
    statements = [
        """
        CREATE VIEW messages_fts_source AS
            SELECT id, recipient, coalesce(body, preview) AS preview, message_id, request_id,
                   trim(coalesce(error_code, '') || ' ' || coalesce(error_message, '')) AS error_text
            FROM messages
        """,
        *_fts_triggers(
            _fts_source_v4, "recipient, preview, body, message_id, request_id, error_code, error_message"
        ),
    ]
    for statement in statements:
        conn.execute(statement)


def _schema_v5(conn: sqlite3.Connection) -> None:
    """Remember which process is sending a row, so start-up recovery never marks another
    running instance's (or a CLI's) in-flight send as interrupted."""
    conn.execute("ALTER TABLE messages ADD COLUMN owner_pid INTEGER")


# Index i migrates from user_version i to i + 1. Append only: a released step never changes.
MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _schema_v1,
    _schema_v2,
    _schema_v3,
    _schema_v4,
    _schema_v5,
)

# No send lasts this long (bounded retries, finite timeouts): an older "sending" row is
# interrupted even if its process id now belongs to some other living process.
SENDING_STALE_SECONDS = 15 * 60


def process_alive(pid: int) -> bool:
    """Whether a process with this id is running (never signals or disturbs it)."""
    if pid == os.getpid():
        return True
    if pid <= 0:
        return False
    if sys.platform == "win32":  # os.kill would terminate it there
        import ctypes

        kernel32 = getattr(ctypes, "windll").kernel32  # noqa: B009 - absent off Windows
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        try:
            code = ctypes.c_ulong()
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            return bool(code.value == 259)  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, owned by someone else
    return True


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the schema to ``SCHEMA_VERSION``, each step in its own transaction."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    while version < SCHEMA_VERSION:
        conn.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[version](conn)
            version += 1
            conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return int(version)


class _NewerSchema(Exception):
    pass


class _NotSQLite(Exception):
    pass


_SQLITE_HEADER = b"SQLite format 3\x00"


def _check_header(path: Path) -> None:
    """Refuse a non-empty file that is not SQLite before SQLite touches it (or its -wal)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(_SQLITE_HEADER))
    except FileNotFoundError:
        return
    if head and head != _SQLITE_HEADER:
        raise _NotSQLite("the file is not an SQLite database")


# --------------------------------------------------------------------------- helpers


def _now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _iso_local(ts: float) -> str:
    return datetime.fromtimestamp(ts).astimezone().isoformat(timespec="seconds")


_PHONE_LIKE = re.compile(r"[\d\s+().\-]+")


def search_terms(text: str) -> list[str]:
    """Split user input into search fragments; a phone-number-like input becomes its digits."""
    text = text.strip()
    if not text:
        return []
    if _PHONE_LIKE.fullmatch(text) and sum(c.isdigit() for c in text) >= 3:
        return ["".join(c for c in text if c.isdigit())]
    return text.split()


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True)
class _Plan:
    """SQL pieces for one ``LogQuery``.

    Results are ordered by row id, newest first: ids grow with each insert, so this is the
    order rows were logged in, and it lets SQLite walk the FTS index, the status and profile
    indexes or the table itself in order and stop after one page.
    """

    source: str  # FROM clause
    order: str  # the id column to order and bound on
    clauses: tuple[str, ...]
    params: tuple[Any, ...]
    match: str | None  # the FTS expression, when the text search uses the index
    only_match: bool  # nothing but the FTS expression filters

    def where(self, *extra: str) -> str:
        clauses = (*self.clauses, *extra)
        return (" WHERE " + " AND ".join(clauses)) if clauses else ""


_SHORT_TERM_COLUMNS = (
    "m.recipient",
    "coalesce(m.body, m.preview)",
    "m.message_id",
    "m.request_id",
    "m.error_code",
    "m.error_message",
)


def _plan(query: LogQuery, *, trigram: bool, id_bounds: tuple[int, int] | None = None) -> _Plan:
    """Build the query. ``id_bounds`` (min and max id of the rows in the date range) lets a
    page walk ids instead of sorting the whole range; the date test itself stays exact."""
    clauses: list[str] = []
    params: list[Any] = []
    terms = search_terms(query.text)
    min_len = 3 if trigram else 1
    long_terms = [t for t in terms if len(t) >= min_len]
    short_terms = [t for t in terms if len(t) < min_len]
    match: str | None = None
    if long_terms:
        suffix = "" if trigram else "*"
        match = " AND ".join(_fts_phrase(t) + suffix for t in long_terms)
        # CROSS JOIN keeps the FTS index as the outer loop: testing MATCH row by row is far slower.
        source, order = "messages_fts f CROSS JOIN messages m ON m.id = f.rowid", "f.rowid"
        clauses.append("messages_fts MATCH ?")
        params.append(match)
    else:
        source, order = "messages m", "m.id"
    for term in short_terms:
        clauses.append("(" + " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in _SHORT_TERM_COLUMNS) + ")")
        params.extend([_like_pattern(term)] * len(_SHORT_TERM_COLUMNS))
    if query.statuses:
        marks = ", ".join("?" for _ in query.statuses)
        clauses.append(f"coalesce(m.status, m.state) IN ({marks})")
        params.extend(sorted(query.statuses))
    if id_bounds is not None:
        clauses.append(f"{order} BETWEEN ? AND ?")
        params.extend(id_bounds)
    created = "+m.created_at" if id_bounds is not None else "m.created_at"  # "+": use the id range
    if query.date_from is not None:
        clauses.append(f"{created} >= ?")
        params.append(query.date_from)
    if query.date_to is not None:
        clauses.append(f"{created} < ?")
        params.append(query.date_to)
    if query.profile is not None:
        clauses.append("m.profile = ?")
        params.append(query.profile)
    only_match = match is not None and len(clauses) == 1
    return _Plan(source, order, tuple(clauses), tuple(params), match, only_match)


def _csv_safe(value: str) -> str:
    """Keep spreadsheet apps from running a cell as a formula (free text only)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _chunks(items: Sequence[int], size: int = 500) -> Iterator[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --------------------------------------------------------------------------- the store


class MessageStore:
    """The log on one SQLite connection. Thread-safe through one lock; meant for one worker."""

    def __init__(self, path: Path | str) -> None:
        self.path = path if str(path) == ":memory:" else Path(path)
        self.notice: str | None = None
        self.backup_path: Path | None = None
        self._lock = threading.RLock()
        self._closed = False
        try:
            self._conn = self._open_or_move_aside()
        except OSError as err:
            raise StoreError(
                f"the message log {self.path} could not be opened: {err.strerror or err}"
            ) from err
        self.trigram = self._uses_trigram()

    def _open_or_move_aside(self) -> sqlite3.Connection:
        try:
            return self._open()
        except (sqlite3.DatabaseError, _NewerSchema, _NotSQLite) as err:
            if isinstance(err, sqlite3.DatabaseError) and not _is_corrupt(err):
                raise StoreError(f"the message log {self.path} could not be opened: {err}") from err
            reason = f"SQLite reports: {err}" if isinstance(err, sqlite3.DatabaseError) else str(err)
            self._move_aside(reason)
            try:
                return self._open()
            except (sqlite3.DatabaseError, _NewerSchema, _NotSQLite) as again:
                raise StoreError(f"the message log {self.path} could not be created: {again}") from again

    # ------------------------------------------------------------------ opening

    def _open(self) -> sqlite3.Connection:
        if isinstance(self.path, Path):
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            _check_header(self.path)
            if not self.path.exists():
                # Created 0600 up front: SQLite gives the -wal and -shm files the same mode.
                with contextlib.suppress(FileExistsError):
                    os.close(os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        conn = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False, timeout=5.0)
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise _NewerSchema(f"it was written by a newer Whats91 Desktop (schema {version})")
            migrate(conn)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except BaseException:
            conn.close()
            raise
        return conn

    def _move_aside(self, reason: str) -> None:
        assert isinstance(self.path, Path)
        target = backup_path_for(self.path)
        os.replace(self.path, target)
        for suffix in ("-wal", "-shm", "-journal"):
            extra = Path(str(self.path) + suffix)
            if extra.exists():
                os.replace(extra, Path(str(target) + suffix))
        self.backup_path = target
        self.notice = (
            f"The message log could not be used ({reason}). It was moved to {target} "
            "and a new, empty log was started."
        )

    def _uses_trigram(self) -> bool:
        row = self._conn.execute("SELECT sql FROM sqlite_master WHERE name = 'messages_fts'").fetchone()
        return bool(row and "trigram" in row[0])

    @contextlib.contextmanager
    def _locked(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._closed:
                raise StoreError("the message log is closed")
            try:
                yield self._conn
            except sqlite3.Error as err:
                raise StoreError(f"message log error: {err}") from err

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """A write transaction, committed (durably) when the block ends."""
        with self._locked() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

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
    ) -> int:
        """Insert a row in state ``sending``; it is committed when this returns.

        ``message_json`` is the composed message (``serialize.message_to_json``): messages
        carry no token, so it is safe to keep. ``body`` is the message's whole searchable text
        (the preview is cut short); without it the preview is what search sees.
        """
        now = time.time()
        with self._tx() as conn:
            cur = conn.execute(
                "INSERT INTO messages(created_at, updated_at, profile, sender_id, recipient, kind, preview,"
                " state, request_text, parent_id, message_json, body, owner_pid)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, 'sending', ?, ?, ?, ?, ?)",
                (
                    now,
                    now,
                    profile,
                    sender_id,
                    recipient,
                    kind,
                    preview,
                    request_text,
                    parent_id,
                    message_json,
                    body,
                    os.getpid(),
                ),
            )
            assert cur.lastrowid is not None
            return cur.lastrowid

    def complete(self, row_id: int, result: SendResult) -> None:
        """Record the send's result and a first event. A row deleted meanwhile is ignored."""
        now = time.time()
        with self._tx() as conn:
            cur = conn.execute(
                "UPDATE messages SET updated_at = ?, outcome = ?, state = ?, status = ?,"
                " sender_id = coalesce(?, sender_id), phone_number_id = coalesce(?, phone_number_id),"
                " message_id = coalesce(?, message_id), request_id = ?, queue_uid = ?, report_uid = ?,"
                " error_code = ?, error_message = ?, http_status = ?, response_text = ?,"
                " request_text = CASE WHEN ? != '' THEN ? ELSE request_text END"
                " WHERE id = ?",
                (
                    now,
                    result.outcome.value,
                    result.outcome.value,
                    result.status,
                    result.sender_id,
                    result.phone_number_id,
                    result.message_id,
                    result.request_id,
                    result.queue_uid,
                    result.report_uid,
                    result.error_code,
                    result.error_message,
                    result.http_status,
                    result.raw_response,
                    result.raw_request,
                    result.raw_request,
                    row_id,
                ),
            )
            if cur.rowcount:
                conn.execute(
                    "INSERT OR IGNORE INTO events(message_row, status, occurred_at, recorded_at, error_code,"
                    " error_message, source) VALUES (?, ?, ?, ?, ?, ?, 'local')",
                    (
                        row_id,
                        result.status or result.outcome.value,
                        _now_iso(),
                        now,
                        result.error_code,
                        result.error_message,
                    ),
                )

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

    def mark_interrupted(self, message: str = INTERRUPTED_MESSAGE) -> int:
        """Rows still ``sending`` whose process is gone (it died mid-send) become ``unknown``;
        returns how many. Another running instance's in-flight rows are left alone."""
        now = time.time()
        with self._tx() as conn:
            rows = conn.execute(
                "SELECT id, owner_pid, created_at FROM messages WHERE state = 'sending'"
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

    def delete(self, row_ids: Iterable[int]) -> int:
        """Delete rows and their events; rows still ``sending`` are kept. Returns how many went."""
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

    def bulk_insert_for_benchmark(self, rows: Iterable[Mapping[str, Any]], *, batch: int = 50_000) -> int:
        """Insert many rows fast (benchmarks and tests). Missing columns get neutral defaults."""
        now = time.time()
        defaults: dict[str, Any] = {c: None for c in _INSERT_COLUMNS}
        defaults.update(created_at=now, updated_at=now, profile="", recipient="", kind="text", preview="")
        defaults["state"] = "accepted"
        sql = (
            f"INSERT INTO messages({', '.join(_INSERT_COLUMNS)})"
            f" VALUES ({', '.join('?' for _ in _INSERT_COLUMNS)})"
        )
        total = 0
        iterator = iter(rows)
        while True:
            chunk = []
            for row in iterator:
                merged = {**defaults, **row}
                if "updated_at" not in row:
                    merged["updated_at"] = merged["created_at"]
                chunk.append(tuple(merged[c] for c in _INSERT_COLUMNS))
                if len(chunk) >= batch:
                    break
            if not chunk:
                return total
            with self._tx() as conn:
                conn.executemany(sql, chunk)
            total += len(chunk)

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

    def _page_plan(self, conn: sqlite3.Connection, query: LogQuery) -> _Plan | None:
        """The plan for listing rows; None when the date range holds no rows at all."""
        bounds: tuple[int, int] | None = None
        if query.date_from is not None or query.date_to is not None:
            clauses, params = [], []
            if query.date_from is not None:
                clauses.append("created_at >= ?")
                params.append(query.date_from)
            if query.date_to is not None:
                clauses.append("created_at < ?")
                params.append(query.date_to)
            lo, hi = conn.execute(
                f"SELECT min(id), max(id) FROM messages WHERE {' AND '.join(clauses)}", params
            ).fetchone()
            if lo is None:
                return None
            bounds = (lo, hi)
        return _plan(query, trigram=self.trigram, id_bounds=bounds)

    def count(self, query: LogQuery | None = None) -> int:
        query = query or LogQuery()
        with self._locked() as conn:
            plan: _Plan | None = _plan(query, trigram=self.trigram)
            assert plan is not None
            if plan.only_match:
                sql, params = "SELECT count(*) FROM messages_fts WHERE messages_fts MATCH ?", (plan.match,)
            else:
                if plan.match is not None:
                    # With a text search the id bounds let FTS read only the date range's part.
                    plan = self._page_plan(conn, query)
                    if plan is None:
                        return 0
                sql, params = f"SELECT count(*) FROM {plan.source}{plan.where()}", plan.params
            return int(conn.execute(sql, params).fetchone()[0])

    def page(
        self, query: LogQuery, offset: int, limit: int, *, before_id: int | None = None
    ) -> list[LogEntry]:
        """Matching rows, newest first. ``before_id`` (keyset paging) starts below that row id."""
        with self._locked() as conn:
            plan = self._page_plan(conn, query)
            if plan is None:
                return []
            extra = (f"{plan.order} < ?",) if before_id is not None else ()
            params = (*plan.params, *((before_id,) if before_id is not None else ()))
            sql = (
                f"{_SELECT_COLUMNS} FROM {plan.source}{plan.where(*extra)}"
                f" ORDER BY {plan.order} DESC LIMIT ? OFFSET ?"
            )
            rows = conn.execute(sql, (*params, max(0, limit), max(0, offset))).fetchall()
        return [LogEntry(*r) for r in rows]

    def ids_for(self, query: LogQuery) -> list[int]:
        """Every matching row id, newest first (for "select all" and bulk actions)."""
        with self._locked() as conn:
            plan = self._page_plan(conn, query)
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

    def _export_rows(self, query: LogQuery) -> Iterator[dict[str, Any]]:
        columns = ", ".join(
            "coalesce(m.status, m.state)" if c == "status" else f"m.{c}" for c in EXPORT_COLUMNS
        )
        with self._locked() as conn:
            plan = self._page_plan(conn, query)
            if plan is None:
                return
            sql = f"SELECT {columns} FROM {plan.source}{plan.where()} ORDER BY {plan.order} DESC"
            for row in conn.execute(sql, plan.params):
                record = dict(zip(EXPORT_COLUMNS, row, strict=True))
                record["created_at"] = _iso_local(record["created_at"])
                yield record

    def export_csv(self, query: LogQuery, path: Path | str) -> int:
        """Write matching rows as CSV (atomically); returns the row count. No request/response text.

        Free-text cells (preview, error message) that start like a formula get a leading ``'``.
        """
        count = 0
        with atomic_writer(Path(path), newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(EXPORT_COLUMNS)
            for record in self._export_rows(query):
                for key in ("preview", "error_message"):
                    if record[key]:
                        record[key] = _csv_safe(record[key])
                writer.writerow(["" if record[c] is None else record[c] for c in EXPORT_COLUMNS])
                count += 1
        return count

    def export_json(self, query: LogQuery, path: Path | str) -> int:
        """Write matching rows as a JSON array of objects (atomically); returns the row count."""
        count = 0
        with atomic_writer(Path(path)) as handle:
            handle.write("[")
            for record in self._export_rows(query):
                handle.write(",\n  " if count else "\n  ")
                handle.write(json.dumps(record, ensure_ascii=False))
                count += 1
            handle.write("\n]\n" if count else "]\n")
        return count


def _is_corrupt(err: sqlite3.DatabaseError) -> bool:
    code = getattr(err, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    text = str(err).lower()
    return "not a database" in text or "malformed" in text


# --------------------------------------------------------------------------- async wrapper

P = ParamSpec("P")
T = TypeVar("T")


class AsyncMessageStore:
    """Every :class:`MessageStore` call on one dedicated worker thread, as an awaitable.

    The GUI thread (qasync's loop) never waits on the disk; calls run in submission order.
    """

    def __init__(
        self, store: MessageStore, *, executor: concurrent.futures.ThreadPoolExecutor | None = None
    ) -> None:
        self.store = store
        self._executor = executor or concurrent.futures.ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="whats91-store"
        )

    @classmethod
    async def open(cls, path: Path | str) -> AsyncMessageStore:
        """Open (and migrate, or move aside) the database on the worker thread itself."""
        executor = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="whats91-store")
        loop = asyncio.get_running_loop()
        try:
            store = await loop.run_in_executor(executor, MessageStore, path)
        except BaseException:
            executor.shutdown(wait=False)
            raise
        return cls(store, executor=executor)

    @property
    def notice(self) -> str | None:
        return self.store.notice

    async def _run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(fn, *args, **kwargs))

    async def create_sending(
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
    ) -> int:
        return await self._run(
            self.store.create_sending,
            profile=profile,
            sender_id=sender_id,
            recipient=recipient,
            kind=kind,
            preview=preview,
            request_text=request_text,
            parent_id=parent_id,
            message_json=message_json,
            body=body,
        )

    async def complete(self, row_id: int, result: SendResult) -> None:
        await self._run(self.store.complete, row_id, result)

    async def mark_outcome(
        self,
        row_id: int,
        outcome: Outcome,
        *,
        error_message: str | None = None,
        error_code: str | None = None,
    ) -> None:
        await self._run(
            self.store.mark_outcome, row_id, outcome, error_message=error_message, error_code=error_code
        )

    async def mark_interrupted(self, message: str = INTERRUPTED_MESSAGE) -> int:
        return await self._run(self.store.mark_interrupted, message)

    async def add_events(self, row_id: int, events: Sequence[StatusEvent], latest_status: str | None) -> bool:
        return await self._run(self.store.add_events, row_id, events, latest_status)

    async def set_message_id(self, row_id: int, message_id: str) -> None:
        await self._run(self.store.set_message_id, row_id, message_id)

    async def claim_report(self, row_id: int, *, message_id: str | None, report_uid: str | None) -> bool:
        return await self._run(self.store.claim_report, row_id, message_id=message_id, report_uid=report_uid)

    async def delete(self, row_ids: Iterable[int]) -> int:
        return await self._run(self.store.delete, list(row_ids))

    async def bulk_insert_for_benchmark(self, rows: Iterable[Mapping[str, Any]]) -> int:
        return await self._run(self.store.bulk_insert_for_benchmark, rows)

    async def get(self, row_id: int) -> LogEntry | None:
        return await self._run(self.store.get, row_id)

    async def events(self, row_id: int) -> list[StatusEvent]:
        return await self._run(self.store.events, row_id)

    async def count(self, query: LogQuery | None = None) -> int:
        return await self._run(self.store.count, query)

    async def page(
        self, query: LogQuery, offset: int, limit: int, *, before_id: int | None = None
    ) -> list[LogEntry]:
        return await self._run(self.store.page, query, offset, limit, before_id=before_id)

    async def ids_for(self, query: LogQuery) -> list[int]:
        return await self._run(self.store.ids_for, query)

    async def followups(self, *, since: float | None = None) -> list[LogEntry]:
        return await self._run(self.store.followups, since=since)

    async def unknown_rows(self) -> list[LogEntry]:
        return await self._run(self.store.unknown_rows)

    async def sent_to(self, recipient: str, *, since: float, exclude_id: int | None = None) -> list[LogEntry]:
        return await self._run(self.store.sent_to, recipient, since=since, exclude_id=exclude_id)

    async def recent_recipients(self, limit: int = 20, *, profile: str | None = None) -> list[str]:
        return await self._run(self.store.recent_recipients, limit, profile=profile)

    async def find(
        self, message_id: str | None = None, report_uid: str | None = None, queue_uid: str | None = None
    ) -> LogEntry | None:
        return await self._run(self.store.find, message_id, report_uid, queue_uid)

    async def export_csv(self, query: LogQuery, path: Path | str) -> int:
        return await self._run(self.store.export_csv, query, path)

    async def export_json(self, query: LogQuery, path: Path | str) -> int:
        return await self._run(self.store.export_json, query, path)

    async def aclose(self) -> None:
        """Close the database on its thread, then stop the thread."""
        try:
            await self._run(self.store.close)
        finally:
            self._executor.shutdown(wait=False)


__all__ = [
    "EXPORT_COLUMNS",
    "INTERRUPTED_MESSAGE",
    "AsyncMessageStore",
    "LogEntry",
    "LogQuery",
    "MessageStore",
    "StoreError",
    "migrate",
    "search_terms",
]
