"""What a send's outcome means, in the words the user reads (the window and its notifications).

Pure: a result in, a severity and a sentence out, so the wording is tested without Qt and
every place that reports an outcome says the same thing.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import assert_never

from whats91_desktop.core.meta_errors import hint_for
from whats91_desktop.core.models import Outcome, SendResult


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
    match result.outcome:
        case Outcome.ACCEPTED:
            ident = f" · message id {result.message_id}" if result.message_id else ""
            return OutcomeText(
                Severity.INFO,
                f"Accepted: message to {recipient} ({result.status or 'accepted'}){ident}{request_id}",
            )
        case Outcome.QUEUED:
            return OutcomeText(
                Severity.INFO,
                f"Queued: the sender is reconnecting; the message to {recipient} will go out when it is "
                f"back{request_id}",
            )
        case Outcome.REJECTED:
            return OutcomeText(Severity.ERROR, rejection_text(result))
        case Outcome.UNKNOWN:
            return OutcomeText(
                Severity.WARNING,
                "Outcome unknown — check before resending (use “Check before resending” on the row). "
                + (result.error_message or ""),
            )
        case Outcome.UNREACHABLE:
            return OutcomeText(
                Severity.ERROR,
                f"Nothing was sent: {result.error_message or 'the server could not be reached'}",
            )
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
    if result.http_status == 403 and code == "SENDER_NOT_ALLOWED":
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
