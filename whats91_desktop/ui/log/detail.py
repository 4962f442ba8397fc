"""The detail of one log row as HTML for a ``QTextBrowser``: summary, hints, timeline.

Pure text building (no widgets), so it is cheap to test and every value is escaped here.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from datetime import datetime

from whats91_desktop.core.meta_errors import hint_for
from whats91_desktop.core.models import StatusEvent
from whats91_desktop.core.store import LogEntry
from whats91_desktop.ui.log.model import display_number, local_time, status_colour, status_label

RECONCILE_LINK = "whats91:reconcile"
UNKNOWN_BANNER = "Outcome unknown — the request may have reached WhatsApp. Check before resending."


def needs_reconcile(entry: LogEntry) -> bool:
    """An unknown outcome that no check has settled yet."""
    return entry.state == "unknown" and not entry.status


def event_time(occurred_at: str | None) -> str:
    """An API timestamp (ISO-8601, usually UTC) in local time, or as given when unreadable."""
    if not occurred_at:
        return ""
    try:
        moment = datetime.fromisoformat(occurred_at.strip().replace("Z", "+00:00"))
    except ValueError:
        return occurred_at
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def pretty_response(text: str | None) -> str:
    """The raw response, pretty-printed when it is JSON."""
    if not text:
        return ""
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        return text


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _dot(status: str | None) -> str:
    return f'<span style="color:{status_colour(status)}">●</span>'


def _error_html(code: str | None, message: str | None) -> str:
    parts = " · ".join(_e(p) for p in (code, message) if p)
    out = f"<b>{parts}</b>" if parts else ""
    hint = hint_for(code)
    if hint:
        out += f'<br><span style="color:#555">{_e(hint)}</span>'
    return out


def summary_html(
    entry: LogEntry,
    events: Sequence[StatusEvent],
    *,
    reconcile_text: str | None = None,
    checking: bool = False,
) -> str:
    """Everything a support person needs about one row, most important first."""
    out: list[str] = []
    if needs_reconcile(entry):
        action = (
            "<i>Checking the message reports…</i>"
            if checking
            else f'<a href="{RECONCILE_LINK}">Check before resending</a>'
        )
        out.append(
            '<table width="100%" cellpadding="8" style="background:#fff3e0;border:1px solid #ef8a00">'
            f'<tr><td><b style="color:#b35c00">{_e(UNKNOWN_BANNER)}</b><br>{action}</td></tr></table>'
        )
    if reconcile_text:
        out.append(f"<p><b>Check result:</b> {_e(reconcile_text)}</p>")

    status = entry.display_status
    out.append(f"<h3>{_dot(status)} {_e(status_label(status))}</h3>")
    if entry.error_code or entry.error_message:
        out.append(f"<p>{_error_html(entry.error_code, entry.error_message)}</p>")

    rows = [
        ("Outcome", entry.outcome or entry.state),
        ("Sent at", local_time(entry.created_at)),
        ("Updated", local_time(entry.updated_at)),
        ("Profile", entry.profile),
        ("Sender", display_number(entry.sender_id)),
        ("Recipient", display_number(entry.recipient)),
        ("Type", entry.kind),
        ("Message ID", entry.message_id),
        ("Report UID", entry.report_uid),
        ("Queue UID", entry.queue_uid),
        ("Request ID", entry.request_id),
        ("HTTP status", entry.http_status),
        ("Sent again from", f"row {entry.parent_id}" if entry.parent_id else None),
        ("Log row", entry.id),
    ]
    cells = "".join(
        f'<tr><td style="color:#555;padding-right:12px">{_e(k)}</td><td>{_e(v)}</td></tr>'
        for k, v in rows
        if v not in (None, "")
    )
    out.append(f"<table>{cells}</table>")
    following = entry.state in ("accepted", "queued") and not entry.is_final
    out.append(timeline_html(events, following=following))
    return "\n".join(out)


def timeline_html(events: Sequence[StatusEvent], *, following: bool = False) -> str:
    """accepted → sent → delivered → read, each with its time; a failure with code and hint."""
    if not events:
        return "<h4>Timeline</h4><p><i>No status events yet.</i></p>"
    ordered = sorted(events, key=lambda e: e.occurred_at or "")
    chain = " → ".join(f"{_dot(e.status)} {_e(e.status)}" for e in ordered)
    lines = []
    for event in ordered:
        error = _error_html(event.error_code, event.error_message)
        lines.append(
            f'<tr><td style="padding-right:12px">{_e(event_time(event.occurred_at))}</td>'
            f"<td>{_dot(event.status)} {_e(event.status)}</td>"
            f'<td style="padding-left:12px">{error}</td></tr>'
        )
    tail = "<p><i>Not final yet: the status is followed automatically.</i></p>" if following else ""
    return f"<h4>Timeline</h4><p>{chain}</p><table>{''.join(lines)}</table>{tail}"
