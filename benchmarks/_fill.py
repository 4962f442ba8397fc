"""Filling a message log with many made-up rows, fast.

Not part of the app: the store itself only writes rows as sends happen, stamped with the current
time. Benchmarks need a million rows, and tests rows with chosen times and states, so this
writes them straight into the ``messages`` table (the full-text index follows by its triggers).
"""

from __future__ import annotations

import contextlib
import itertools
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from whats91_desktop.core.store.connection import open_connection
from whats91_desktop.core.store.entries import ENTRY_COLUMNS

_INSERT_COLUMNS = ENTRY_COLUMNS[1:]  # SQLite assigns the id


def fill_log(path: Path | str, rows: Iterable[Mapping[str, Any]], *, batch: int = 50_000) -> int:
    """Insert ``rows`` into the log file at ``path``, ``batch`` rows per transaction; returns how many.

    Missing columns get neutral defaults (an accepted text message, now, ``updated_at`` equal to
    ``created_at``); keys that are not :class:`LogEntry` fields are ignored. It uses its own
    connection, so a ``MessageStore`` open on the same file sees the rows at its next read.
    """
    now = time.time()
    defaults: dict[str, Any] = {c: None for c in _INSERT_COLUMNS}
    defaults.update(created_at=now, profile="", recipient="", kind="text", preview="", state="accepted")
    sql = (
        f"INSERT INTO messages({', '.join(_INSERT_COLUMNS)})"
        f" VALUES ({', '.join('?' for _ in _INSERT_COLUMNS)})"
    )

    def values(row: Mapping[str, Any]) -> tuple[Any, ...]:
        merged = {**defaults, **row}
        if "updated_at" not in row:
            merged["updated_at"] = merged["created_at"]
        return tuple(merged[c] for c in _INSERT_COLUMNS)

    total = 0
    iterator = iter(rows)
    with contextlib.closing(open_connection(Path(path))) as conn:
        while chunk := [values(row) for row in itertools.islice(iterator, batch)]:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(sql, chunk)
            conn.execute("COMMIT")
            total += len(chunk)
    return total
