"""The log's Response tab: the reply as it came over the wire, and how long it took.

Status line and (redacted) headers first, then the timing (connect, total) and every wait the
client made before it, then the body (pretty-printed when it is JSON). When no reply
came, the raw error detail — exception names and all — is shown here, and only here: the
summary says the same thing in plain words.
"""

from __future__ import annotations

import json

from whats91_desktop.core.exchange_record import read_exchange
from whats91_desktop.core.store import LogEntry

NO_RESPONSE = "(no response)"


def pretty_response(text: str | None) -> str:
    """The raw response, pretty-printed when it is JSON."""
    if not text:
        return ""
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        return text


def _header_name(name: str) -> str:
    return "-".join(part.capitalize() for part in name.split("-"))


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.1f} ms"


def response_text(entry: LogEntry) -> str:
    """Everything the Response tab shows for ``entry``."""
    record = read_exchange(entry.exchange_json)
    head = record.head if record is not None else None
    lines: list[str] = []
    if head is not None:
        lines.append(head.status_line)
        lines += [f"{_header_name(name)}: {value}" for name, value in head.headers]
        connect = _ms(head.connect_seconds) if head.connect_seconds is not None else "no new connection"
        total = _ms(head.total_seconds) if head.total_seconds is not None else "—"
        lines += ["", f"Timing: connect {connect} · total {total} (last attempt)"]
    elif entry.http_status is not None:
        lines.append(f"HTTP {entry.http_status}")
    if record is not None and record.retries:
        lines.append("Waits before the last attempt:")
        lines += [
            f"  attempt {n.attempt}: {n.reason} — waited {n.delay:g} s, then tried again"
            for n in record.retries
        ]
    if lines:
        lines.append("")
    lines.append(pretty_response(entry.response_text) or NO_RESPONSE)
    if entry.error_message and entry.state in ("unknown", "unreachable", "invalid"):
        lines += ["", f"Error detail: {entry.error_message}"]
    return "\n".join(lines)
