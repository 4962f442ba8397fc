"""Send results the log could not take, kept until it can.

A send's reply may arrive while the log cannot be written: another process holds the database
past the busy timeout, or the disk is full. The reply must not be lost, and the row must not
stay ``sending`` (it would turn ``unknown`` at the next start and invite a needless check).
So the row's new values go to this journal, one JSON line each, appended and fsynced to a
private (0600) file beside the database, and the store writes them to their rows as soon as
it can: when it next opens, and after its next successful write.

Several processes (the window, a CLI run) may share the file: each append and each replay
holds an exclusive ``flock`` on it (POSIX; on Windows the app is a single process anyway).
A replay removes the file once its entries are in the database; an append that finds it
removed (no links left) starts a new one. An entry that could not be appended at all (the
disk is full) stays in memory, so this process still writes it after its next successful write.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whats91_desktop.core.fsutil import PRIVATE_FILE_MODE, fsync_dir

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

JOURNAL_SUFFIX = ".pending-results.jsonl"
_FORMAT = 1


def journal_path_for(db_path: Path) -> Path:
    """``messages.sqlite3.pending-results.jsonl`` beside the log."""
    return db_path.with_name(db_path.name + JOURNAL_SUFFIX)


@dataclass(frozen=True)
class PendingResult:
    """One row's completion that is not in the database yet: the columns ``complete`` sets."""

    row_id: int
    values: Mapping[str, Any]
    recorded_at: float = field(default_factory=time.time)

    def to_line(self) -> str:
        record = {"format": _FORMAT, "row": self.row_id, "at": self.recorded_at, "values": dict(self.values)}
        return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"

    @classmethod
    def from_line(cls, line: str) -> PendingResult | None:
        """None for a line that is not a whole entry (a crash mid-append leaves one)."""
        try:
            record = json.loads(line)
        except ValueError:
            return None
        if not isinstance(record, dict) or record.get("format") != _FORMAT:
            return None
        row, at, values = record.get("row"), record.get("at"), record.get("values")
        if not isinstance(row, int) or not isinstance(at, int | float) or not isinstance(values, dict):
            return None
        return cls(row, values, float(at))


class ResultJournal:
    """The pending results of one log file (``path``), or of an in-memory log (``None``)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._unsaved: list[PendingResult] = []

    def has_pending(self) -> bool:
        """Whether anything waits: cheap enough to ask after every write (one ``stat``)."""
        if self._unsaved:
            return True
        if self.path is None:
            return False
        try:
            return self.path.stat().st_size > 0
        except OSError:
            return False

    def append(self, entry: PendingResult) -> bool:
        """Keep ``entry``; True when it is on disk, False when only this process holds it."""
        if self.path is None:
            self._unsaved.append(entry)
            return False
        data = entry.to_line().encode("utf-8")
        try:
            with self._locked_file(create=True) as fd:
                assert fd is not None
                view = memoryview(data)
                while view:  # a short write (the disk filling up) leaves a partial line, skipped later
                    view = view[os.write(fd, view) :]
                os.fsync(fd)
            fsync_dir(self.path.parent)  # the file may be new: make its name durable too
        except OSError as err:
            log.warning("a send result could not be written to the journal: %s", err.strerror or err)
            self._unsaved.append(entry)
            return False
        return True

    @contextlib.contextmanager
    def replay(self) -> Iterator[list[PendingResult]]:
        """Every pending entry, oldest first, under the journal's lock. When the block ends
        without an exception they are gone (the caller wrote them); otherwise they all stay."""
        with self._locked_file(create=False) as fd:
            entries = [*self._read(fd), *self._unsaved]
            yield entries
            self._unsaved.clear()
            if fd is not None and self.path is not None:
                with contextlib.suppress(FileNotFoundError):
                    self.path.unlink()
                fsync_dir(self.path.parent)

    @staticmethod
    def _read(fd: int | None) -> list[PendingResult]:
        if fd is None:
            return []
        os.lseek(fd, 0, os.SEEK_SET)  # appends still go to the end (O_APPEND)
        data = bytearray()
        while chunk := os.read(fd, 1 << 20):
            data += chunk
        lines = data.decode("utf-8", "replace").splitlines()
        entries = [PendingResult.from_line(line) for line in lines if line.strip()]
        return [e for e in entries if e is not None]

    @contextlib.contextmanager
    def _locked_file(self, *, create: bool) -> Iterator[int | None]:
        """The journal file, open and exclusively locked; None when it does not exist (and
        ``create`` is false). Reopens when another process removed the file while we waited."""
        if self.path is None:
            yield None
            return
        while True:
            flags = os.O_RDWR | os.O_APPEND | (os.O_CREAT if create else 0) | getattr(os, "O_BINARY", 0)
            try:
                fd = os.open(self.path, flags, PRIVATE_FILE_MODE)
            except FileNotFoundError:
                if create:
                    raise
                yield None
                return
            try:
                if fcntl is not None:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                if os.fstat(fd).st_nlink == 0:
                    continue  # replayed and removed while we waited for the lock: open anew
                yield fd
                return
            finally:
                os.close(fd)
