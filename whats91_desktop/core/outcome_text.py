"""What a send's outcome means, in the words the user reads (the window and its notifications).

Pure: a result in, a severity and a sentence out, so the wording is tested without Qt and
every place that reports an outcome says the same thing. Two rules: an ambiguous send "may
have reached Whats91" (the one name, everywhere), and a sentence for people never carries an
exception's name or text — that raw detail belongs in the log's Response tab.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import assert_never

from whats91_desktop.core.meta_errors import hint_for
from whats91_desktop.core.models import Outcome, RetryNotice, SendResult

MAY_HAVE_REACHED = "may have reached Whats91"
CHECK_ADVICE = "Nothing was resent — use “Check before resending” on the row before sending it again."
GATEWAY_STATUSES = frozenset({502, 504, 524})


class Severity(enum.Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class OutcomeText:
    severity: Severity
    text: str


def describe_outcome(result: SendResult, recipient: str) -> OutcomeText:
    """The one-line summary of ``result`` for a message to ``recipient`` (already formatted)."""
    request_id = f" · requestId {result.request_id}" if result.request_id else ""
    waited = waits_text(result.retries, result.outcome)
    waited = f" ({waited})" if waited else ""
    match result.outcome:
        case Outcome.ACCEPTED:
            ident = f" · message id {result.message_id}" if result.message_id else ""
            return OutcomeText(
                Severity.INFO,
                f"Accepted: message to {recipient} ({result.status or 'accepted'})"
                f"{ident}{request_id}{waited}",
            )
        case Outcome.QUEUED:
            return OutcomeText(
                Severity.INFO,
                f"Queued: the sender is reconnecting; the message to {recipient} will go out when it is "
                f"back{request_id}{waited}",
            )
        case Outcome.REJECTED:
            return OutcomeText(Severity.ERROR, rejection_text(result) + waited)
        case Outcome.UNKNOWN:
            reason = plain_reason(result.error_message, state="unknown", http_status=result.http_status)
            return OutcomeText(
                Severity.WARNING,
                f"Outcome unknown: the message to {recipient} {MAY_HAVE_REACHED} ({reason}). {CHECK_ADVICE}",
            )
        case Outcome.UNREACHABLE:
            reason = plain_reason(result.error_message, state="unreachable", http_status=None)
            return OutcomeText(Severity.ERROR, f"Nothing was sent: {reason}")
        case Outcome.INVALID:
            problems = "; ".join(f"{p.field}: {p.message}" for p in result.problems)
            return OutcomeText(
                Severity.ERROR, f"Not sent: {problems or result.error_message or 'invalid message'}"
            )
        case unhandled:
            assert_never(unhandled)


def rejection_text(result: SendResult) -> str:
    """The API's refusal, with its code and requestId, and a plain explanation where we have one."""
    code = result.error_code or ""
    status = f"HTTP {result.http_status}" if result.http_status is not None else "error"
    head = f"Rejected ({status}{' ' + code if code else ''}): {result.error_message or 'no message'}"
    if result.http_status is not None and result.http_status >= 500:
        head += (
            " — Whats91 refused it with an error of its own, so it was not sent: sending it again is"
            " safe and will not make a duplicate (try again in a minute)"
        )
    elif result.http_status == 403 and code == "SENDER_NOT_ALLOWED":
        head += (
            " — this token is bound to another sender number, so it may not send from this one. "
            "Choose the number the token was issued for, or use a token with access to all numbers."
        )
    elif result.http_status == 401:
        head += " — the token was refused: it is wrong, expired or revoked. Update it under Manage profiles…"
    else:
        hint = hint_for(code) if code else None
        if hint:
            head += f" — {hint}"
    if result.request_id:
        head += f" · requestId {result.request_id}"
    return head


_NO_ANSWER = re.compile(r"no answer within (\d+(?:\.\d+)?)\s*s")
_EXCEPTION_DETAIL = re.compile(r"(?::\s*|\(\s*)?\b[A-Z]\w*(?:Error|Exception|Timeout)\b(?::[^()]*)?\)?")


def plain_reason(error_message: str | None, *, state: str, http_status: int | None) -> str:
    """Why a send ended ``unknown`` or ``unreachable``, in words, without exception text."""
    text = error_message or ""
    lowered = text.lower()
    if found := _NO_ANSWER.search(lowered):
        return f"no answer within {float(found.group(1)):g} s"
    if "connection failed before a complete answer" in lowered:
        return "the connection dropped before the answer arrived"
    if lowered.startswith("cancelled"):
        return "you cancelled the send before the answer arrived"
    if lowered.startswith("app closed"):
        return "the app closed before the answer arrived"
    if lowered.startswith("unexpected error"):
        return "an unexpected error interrupted the send; the details are in the Response tab"
    if http_status in GATEWAY_STATUSES:
        return f"HTTP {http_status}: a gateway between this computer and Whats91 failed or timed out"
    if http_status is not None and 200 <= http_status < 300:
        return f"HTTP {http_status}, but the answer could not be read"
    if http_status is not None and http_status >= 500:
        page = " with an HTML error page instead of an answer" if "text/html" in lowered else ""
        return f"HTTP {http_status}{page}: the server failed, possibly after it took the message"
    if http_status is not None:
        return f"HTTP {http_status}, an answer sent after the request was processed"
    if state == "unreachable":
        host = re.search(r"could not reach ([^\s:]+)", text)
        tries = re.search(r"after (\d+) attempts", text)
        where = host.group(1) if host else "the server"
        again = f" (tried {tries.group(1)} times)" if tries else ""
        return f"{where} could not be reached{again}, so the message was not sent"
    cleaned = " ".join(_EXCEPTION_DETAIL.sub("", text).split()).strip(" :;,.")
    return cleaned or "no answer arrived"


def _seconds(value: float) -> str:
    return f"{value:.0f} s" if value == round(value) else f"{value:.1f} s"


def _wait_cause(notice: RetryNotice) -> str:
    if notice.http_status == 429:
        return "for the rate limit (HTTP 429)"
    if notice.http_status == 503:
        return "while the server was busy (HTTP 503)"
    if notice.http_status is not None:
        return f"after HTTP {notice.http_status}"
    return "after a failed connection (nothing had been sent)"


_THEN = {
    Outcome.ACCEPTED: "then accepted",
    Outcome.QUEUED: "then queued",
    Outcome.REJECTED: "then rejected",
    Outcome.UNKNOWN: f"then the outcome became unknown (it {MAY_HAVE_REACHED})",
    Outcome.UNREACHABLE: "then gave up: nothing was sent",
    Outcome.INVALID: "then stopped",
}


def waits_text(retries: Sequence[RetryNotice], outcome: Outcome | None) -> str:
    """The waits before an outcome, said once: "waited 1 s for the rate limit (HTTP 429), then
    accepted". Empty when nothing was waited."""
    if not retries:
        return ""
    parts = [f"{_seconds(n.delay)} {_wait_cause(n)}" for n in retries]
    said = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    then = f", {_THEN[outcome]}" if outcome is not None else ""
    return f"waited {said}{then}"


def late_failure_text(recipient: str, error_code: str | None, error_message: str | None) -> str:
    """A message that was accepted and then failed: said so, with Meta's code and what to do."""
    detail = " · ".join(p for p in (error_code, error_message) if p)
    hint = hint_for(error_code) if error_code else None
    return (
        f"Failed after it was accepted: the message to {recipient} was not delivered"
        + (f" ({detail})" if detail else "")
        + (f". {hint}" if hint else ".")
    )
