"""The detail of one log row as HTML for a ``QTextBrowser``: status and timeline first, then fields.

What a support person asks first is "did it arrive?", so the summary opens with the status in
large type and the delivery timeline (accepted → sent → delivered → read, each with its time, or
the failure with Meta's code and a plain-language hint); then what was sent and the fields.
Reasons are in plain words (``core.outcome_text``): exception text stays in the Response tab.

Pure text building (no widgets), so it is cheap to test and every value is escaped here.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from whats91_desktop.core.exchange_record import read_exchange
from whats91_desktop.core.meta_errors import hint_for
from whats91_desktop.core.models import Outcome, OutgoingMessage, StatusEvent
from whats91_desktop.core.outcome_text import MAY_HAVE_REACHED, plain_reason, waits_text
from whats91_desktop.core.store import LogEntry
from whats91_desktop.ui import palette
from whats91_desktop.ui.log.model import display_number, local_time, status_colour
from whats91_desktop.ui.log.sent_summary import TemplateBody, sent_html

RECONCILE_LINK = "whats91:reconcile"
UNKNOWN_BANNER = f"Outcome unknown — the request {MAY_HAVE_REACHED}. Check before resending."
SETTLED_STATUSES = frozenset(
    {"accepted", "queued", "waiting_reconnect", "pending", "sent", "delivered", "read"}
)
"""A row with one of these reached Whats91: sending it again makes a second copy."""

DELIVERY_STEPS: tuple[str, ...] = ("accepted", "sent", "delivered", "read")
QUEUED_STATUSES = frozenset({"queued", "waiting_reconnect", "pending"})
FAILED_STATUSES = frozenset({"failed", "rejected", "invalid"})

_HEADLINES = {
    "read": "Read",
    "delivered": "Delivered",
    "sent": "Sent",
    "accepted": "Accepted",
    "queued": "Queued",
    "waiting_reconnect": "Queued — the sender is reconnecting",
    "pending": "Queued",
    "failed": "Failed",
    "rejected": "Rejected by the API",
    "invalid": "Not sent — invalid",
    "unknown": "Outcome unknown",
    "unreachable": "Not sent — the API could not be reached",
    "sending": "Sending…",
}


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


def headline(status: str | None) -> str:
    """The status in words, for the big line at the top of the detail."""
    text = (status or "").strip()
    return _HEADLINES.get(text.lower(), text.capitalize() or "—")


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _dot(status: str | None) -> str:
    return f'<span style="color:{status_colour(status)}">●</span>'


def _hint_html(code: str | None, message: str | None) -> str:
    parts = " · ".join(_e(p) for p in (code, message) if p)
    out = f"<b>{parts}</b>" if parts else ""
    hint = hint_for(code)
    if hint:
        out += f'<br><span style="color:{palette.colour("text")}">{_e(hint)}</span>'
    return out


@dataclass(frozen=True)
class Step:
    """One stop on the timeline: its status, when (local time, may be blank), and whether reached."""

    status: str
    when: str
    reached: bool
    error_code: str | None = None
    error_message: str | None = None


def timeline_steps(entry: LogEntry, events: Sequence[StatusEvent]) -> list[Step]:
    """accepted → sent → delivered → read as far as they got (a later status implies the earlier
    ones, even when their event is missing); a failure ends the line where it happened."""
    ordered = sorted(events, key=lambda e: e.occurred_at or "")
    first: dict[str, StatusEvent] = {}
    for event in ordered:
        first.setdefault((event.status or "").lower(), event)
    status = (entry.display_status or "").lower()
    accepted = entry.outcome in ("accepted", "queued") or entry.state in ("accepted", "queued")
    steps: list[Step] = []
    queued = next((first[s] for s in ("waiting_reconnect", "queued", "pending") if s in first), None)
    if queued is not None or entry.state == "queued" or status in QUEUED_STATUSES:
        when = event_time(queued.occurred_at) if queued is not None else local_time(entry.created_at)
        steps.append(Step("queued", when, True))
    reached_index = -1
    for index, name in enumerate(DELIVERY_STEPS):
        if name in first or status == name:
            reached_index = index
    if accepted and reached_index < 0:
        reached_index = 0
    failure = next((e for e in ordered if (e.status or "").lower() in FAILED_STATUSES), None)
    for index, name in enumerate(DELIVERY_STEPS):
        if failure is not None and index > reached_index:
            break
        step_event = first.get(name)
        when = event_time(step_event.occurred_at) if step_event is not None else ""
        if name == "accepted" and not when and accepted and not steps:
            when = local_time(entry.created_at)
        steps.append(Step(name, when, index <= reached_index))
    if failure is not None:
        steps.append(
            Step(
                failure.status.lower(),
                event_time(failure.occurred_at),
                True,
                failure.error_code or entry.error_code,
                failure.error_message or entry.error_message,
            )
        )
    elif status in FAILED_STATUSES and entry.state not in ("rejected", "invalid"):
        steps.append(Step(status, local_time(entry.updated_at), True, entry.error_code, entry.error_message))
    return steps


def _short(when: str, day: str) -> str:
    """``HH:MM:SS`` when ``when`` is on ``day`` (the send's date), else the whole timestamp."""
    return when[11:] if day and when.startswith(day) and len(when) > 11 else when


def timeline_html(entry: LogEntry, events: Sequence[StatusEvent], *, following: bool = False) -> str:
    """The delivery timeline as a row of steps, then every status event with its time."""
    steps = timeline_steps(entry, events)
    day = local_time(entry.created_at)[:10]
    out = ['<p style="margin-top:10px"><b>Timeline</b></p>']
    if steps:
        cells = []
        for index, step in enumerate(steps):
            colour = status_colour(step.status) if step.reached else palette.colour("pending")
            weight = "600" if step.reached else "normal"
            text_colour = palette.colour("text") if step.reached else palette.colour("pending")
            when = _short(step.when, day) if step.when else ("—" if not step.reached else "")
            if index:
                arrow_colour = colour if step.reached else palette.colour("pending")
                cells.append(
                    f'<td valign="middle" style="color:{arrow_colour};font-size:large;padding:0 6px">→</td>'
                )
            cells.append(
                '<td valign="top" style="padding-right:4px">'
                f'<span style="color:{colour};font-size:large">●</span> '
                f'<span style="font-size:large;font-weight:{weight};color:{text_colour}">'
                f"{_e(step.status)}</span>"
                f'<br><span style="color:{palette.colour("muted")}">{_e(when)}</span></td>'
            )
        out.append(f'<table cellspacing="0" cellpadding="2"><tr>{"".join(cells)}</tr></table>')
    else:
        out.append(f'<p style="color:{palette.colour("muted")}"><i>No status yet.</i></p>')
    if following:
        out.append(
            f'<p style="color:{palette.colour("muted")}">'
            "<i>Not final yet: the status is followed automatically.</i></p>"
        )
    return "\n".join(out)


def _error_text(event: StatusEvent) -> str:
    status = (event.status or "").lower()
    if status in ("unknown", "unreachable") and event.error_message:  # our own words, not an exception's
        return plain_reason(event.error_message, state=status, http_status=None)
    return " · ".join(p for p in (event.error_code, event.error_message) if p)


def events_html(events: Sequence[StatusEvent]) -> str:
    """Every status event the reports gave, oldest first (the raw record, after the fields)."""
    if not events:
        return ""
    ordered = sorted(events, key=lambda e: e.occurred_at or "")
    muted = palette.colour("muted")
    rows = "".join(
        f'<tr><td style="padding-right:12px;color:{muted}">{_e(event_time(e.occurred_at))}</td>'
        f"<td>{_dot(e.status)} {_e(e.status)}</td>"
        f'<td style="padding-left:12px">{_e(_error_text(e))}</td></tr>'
        for e in ordered
    )
    return f'<p style="margin-top:10px"><b>Status events ({len(ordered)})</b></p><table>{rows}</table>'


def settled_verdict(entry: LogEntry, events: Sequence[StatusEvent]) -> str | None:
    """What "Send again" asks about before it makes a second copy of a row that reached
    Whats91: "Already read at 18:42". None for any other row."""
    status = (entry.display_status or "").lower()
    if status not in SETTLED_STATUSES:
        return None
    event = next(
        (
            e
            for e in sorted(events, key=lambda e: e.occurred_at or "", reverse=True)
            if (e.status or "").lower() == status
        ),
        None,
    )
    when = event_time(event.occurred_at) if event is not None else ""
    when = when[11:16] if len(when) >= 16 else local_time(entry.updated_at)[11:16]
    word = "queued" if status in QUEUED_STATUSES else status
    return f"Already {word} at {when}" if when else f"Already {word}"


def _outcome(entry: LogEntry) -> Outcome | None:
    try:
        return Outcome(entry.outcome) if entry.outcome else None
    except ValueError:
        return None


def _box(colour: str, inner: str) -> str:
    return (
        f'<table width="100%" cellpadding="8" cellspacing="0" border="0" style="background:{colour}">'
        f"<tr><td>{inner}</td></tr></table>"
    )


def _problem_html(entry: LogEntry) -> str:
    """What went wrong, in plain words; empty when nothing did."""
    if entry.state == "unreachable":
        reason = plain_reason(entry.error_message, state="unreachable", http_status=None)
        return _box(palette.colour("surface"), f"<b>Not sent:</b> {_e(reason)}. Sending it again is safe.")
    if entry.state == "unknown":
        return ""  # the banner says it, in plain words
    if entry.error_code or entry.error_message or hint_for(entry.error_code):
        return _box(palette.colour("error_surface"), _hint_html(entry.error_code, entry.error_message))
    return ""


def summary_html(
    entry: LogEntry,
    events: Sequence[StatusEvent],
    *,
    reconcile_text: str | None = None,
    checking: bool = False,
    message: OutgoingMessage | None = None,
    template_body: TemplateBody | None = None,
) -> str:
    """Everything a support person needs about one row, most important first."""
    out: list[str] = []
    if needs_reconcile(entry):
        action = (
            "<i>Checking the message reports…</i>"
            if checking
            else f'<a href="{RECONCILE_LINK}">Check before resending</a>'
        )
        reason = plain_reason(entry.error_message, state="unknown", http_status=entry.http_status)
        out.append(
            _box(
                palette.colour("warning_surface"),
                f'<b style="color:{palette.colour("caution")}">{_e(UNKNOWN_BANNER)}</b><br>'
                f"{_e(reason[:1].upper() + reason[1:])}. {action}",
            )
        )
    if reconcile_text:
        out.append(f"<p><b>Check result:</b> {_e(reconcile_text)}</p>")

    status = entry.display_status
    who = display_number(entry.recipient) or entry.recipient
    out.append(
        f'<p style="margin-top:4px;margin-bottom:0"><span style="font-size:x-large;font-weight:600">'
        f"{_dot(status)} {_e(headline(status))}</span></p>"
        f'<p style="color:{palette.colour("muted")};margin-top:2px">To {_e(who)} · {_e(entry.kind)}'
        f" · sent {_e(local_time(entry.created_at))} · via {_e(entry.profile)}</p>"
    )
    record = read_exchange(entry.exchange_json)
    if record is not None and record.retries:
        waited = waits_text(record.retries, _outcome(entry))
        out.append(f"<p>{_e(waited[:1].upper() + waited[1:])}.</p>")
    out.append(_problem_html(entry))
    following = entry.state in ("accepted", "queued") and not entry.is_final
    out.append(timeline_html(entry, events, following=following))
    out.append(sent_html(message, template_body))
    out.append(fields_html(entry))
    out.append(events_html(events))
    return "\n".join(part for part in out if part)


def fields_html(entry: LogEntry) -> str:
    """The row's fields in two columns: who and when on the left, the ids on the right."""
    left = [
        ("Recipient", display_number(entry.recipient)),
        ("Sender", display_number(entry.sender_id)),
        ("Profile", entry.profile),
        ("Type", entry.kind),
        ("Sent at", local_time(entry.created_at)),
        ("Updated", local_time(entry.updated_at)),
        ("Outcome", entry.outcome or entry.state),
    ]
    right = [
        ("Message ID", entry.message_id),
        ("Report UID", entry.report_uid),
        ("Queue UID", entry.queue_uid),
        ("Request ID", entry.request_id),
        ("HTTP status", entry.http_status),
        ("Sent again from", f"row {entry.parent_id}" if entry.parent_id else None),
        ("Bulk job", entry.job_id),
        ("Log row", entry.id),
    ]
    left = [(k, v) for k, v in left if v not in (None, "")]
    right = [(k, v) for k, v in right if v not in (None, "")]
    rows = []
    for i in range(max(len(left), len(right))):
        cells = []
        for column in (left, right):
            if i < len(column):
                key, value = column[i]
                cells.append(
                    f'<td style="color:{palette.colour("muted")};padding-right:10px">{_e(key)}</td>'
                    f'<td style="padding-right:28px">{_e(value)}</td>'
                )
            else:
                cells.append("<td></td><td></td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    table = f'<table cellspacing="0" cellpadding="1">{"".join(rows)}</table>'
    return f'<p style="margin-top:10px"><b>Details</b></p>{table}'
