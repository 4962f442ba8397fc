"""Opening the log file, and moving aside one that cannot be used.

The connection runs in WAL mode with ``synchronous=FULL``: a row is committed, on disk, before
its request leaves (see :mod:`whats91_desktop.core.outbox`).

A file SQLite calls corrupt, one written by a newer app, or one that is not SQLite at all is
moved aside as ``messages.sqlite3.corrupt-YYYYmmdd-HHMMSS`` (its ``-wal``, ``-shm`` and
``-journal`` files, and the results journal, with it), so the store can start a fresh log
instead of refusing to start. A valid header says nothing of the pages behind it, so an
existing file also gets ``PRAGMA quick_check`` at open, bounded in time: a huge log that is
not checked to its end in ``INTEGRITY_CHECK_SECONDS`` counts as sound (a damaged page found
later is handled by the store).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from pathlib import Path

from whats91_desktop.core.fsutil import backup_path_for
from whats91_desktop.core.store.journal import JOURNAL_SUFFIX
from whats91_desktop.core.store.schema import SCHEMA_VERSION, migrate

INTEGRITY_CHECK_SECONDS = 1.0
"""How long the integrity check at open may take: a few hundred MB of log are checked whole."""

_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
_SQLITE_HEADER = b"SQLite format 3\x00"


class UnusableFile(Exception):
    """The file is not a log this app may open (a newer schema, or not SQLite at all).

    Treated like a corrupt file: moved aside, never opened, never migrated.
    """


def _check_header(path: Path) -> None:
    """Refuse a non-empty file that is not SQLite before SQLite touches it (or its -wal)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(_SQLITE_HEADER))
    except FileNotFoundError:
        return
    if head and head != _SQLITE_HEADER:
        raise UnusableFile("the file is not an SQLite database")


def _quick_check(conn: sqlite3.Connection, seconds: float) -> None:
    """:class:`UnusableFile` when SQLite finds damaged pages; a check cut short by the time
    limit finds nothing. A damaged page may also make SQLite raise, as it would later."""
    deadline = time.monotonic() + seconds
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 1_000)
    try:
        rows = conn.execute("PRAGMA quick_check(3)").fetchall()
    except sqlite3.OperationalError as err:
        if "interrupt" in str(err).lower():
            return
        raise
    finally:
        conn.set_progress_handler(None, 0)
    found = [str(row[0]) for row in rows]
    if found != ["ok"]:
        raise UnusableFile(f"its integrity check failed: {'; '.join(found)}")


def open_connection(
    path: Path | str, *, check_seconds: float = INTEGRITY_CHECK_SECONDS
) -> sqlite3.Connection:
    """One connection to the log at ``path`` (a file, or ``":memory:"``), migrated.

    Autocommit (``isolation_level=None``): callers open their own ``BEGIN IMMEDIATE``
    transactions. An existing file is checked for damage for at most ``check_seconds`` (0:
    not at all). Raises :class:`UnusableFile` or :class:`sqlite3.DatabaseError`.
    """
    existing = False
    if isinstance(path, Path):
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        _check_header(path)
        existing = path.exists() and path.stat().st_size > 0
        if not path.exists():
            # Created 0600 up front: SQLite gives the -wal and -shm files the same mode.
            with contextlib.suppress(FileExistsError):
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=5.0)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        if existing and check_seconds > 0:
            _quick_check(conn, check_seconds)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise UnusableFile(f"it was written by a newer Whats91 Desktop (schema {version})")
        migrate(conn)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn


def is_corrupt(err: sqlite3.DatabaseError) -> bool:
    """Whether SQLite failed because the file is damaged (move it aside), not because of the
    disk, a lock or a failing migration (report it and leave the file alone)."""
    code = getattr(err, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    text = str(err).lower()
    return "not a database" in text or "malformed" in text


def move_aside(path: Path) -> Path:
    """Rename the log file and its SQLite side files to a backup name; returns the new path."""
    target = backup_path_for(path)
    os.replace(path, target)
    for suffix in ("-wal", "-shm", "-journal", JOURNAL_SUFFIX):
        extra = Path(str(path) + suffix)
        if extra.exists():
            os.replace(extra, Path(str(target) + suffix))
    return target
