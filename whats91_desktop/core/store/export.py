"""Log rows as CSV or JSON files for the user.

Only :data:`EXPORT_COLUMNS` are written: the request and response text and the composed message
stay in the log. Files are written atomically, so a failed export never leaves half a file.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from whats91_desktop.core.fsutil import atomic_writer

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

# The SELECT list for EXPORT_COLUMNS; "status" is the one the log shows (``display_status``).
EXPORT_SELECT = ", ".join(
    "coalesce(m.status, m.state)" if c == "status" else f"m.{c}" for c in EXPORT_COLUMNS
)


def export_record(row: Sequence[Any]) -> dict[str, Any]:
    """One row selected with :data:`EXPORT_SELECT`, by column name, its time in local ISO form."""
    record = dict(zip(EXPORT_COLUMNS, row, strict=True))
    record["created_at"] = (
        datetime.fromtimestamp(record["created_at"]).astimezone().isoformat(timespec="seconds")
    )
    return record


def _csv_safe(value: str) -> str:
    """Keep spreadsheet apps from running a cell as a formula (free text only)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def write_csv(records: Iterable[dict[str, Any]], path: Path | str) -> int:
    """Write the records as CSV with a header row; returns how many.

    Free-text cells (preview, error message) that start like a formula get a leading ``'``.
    """
    count = 0
    with atomic_writer(Path(path), newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(EXPORT_COLUMNS)
        for record in records:
            for key in ("preview", "error_message"):
                if record[key]:
                    record[key] = _csv_safe(record[key])
            writer.writerow(["" if record[c] is None else record[c] for c in EXPORT_COLUMNS])
            count += 1
    return count


def write_json(records: Iterable[dict[str, Any]], path: Path | str) -> int:
    """Write the records as a JSON array of objects; returns how many."""
    count = 0
    with atomic_writer(Path(path)) as handle:
        handle.write("[")
        for record in records:
            handle.write(",\n  " if count else "\n  ")
            handle.write(json.dumps(record, ensure_ascii=False))
            count += 1
        handle.write("\n]\n" if count else "]\n")
    return count
