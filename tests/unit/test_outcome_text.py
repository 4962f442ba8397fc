"""The words the user reads about an outcome: one name ("Whats91"), no exception text."""

from __future__ import annotations

import pytest

from whats91_desktop.core.models import Outcome, RetryNotice, SendResult
from whats91_desktop.core.outcome_text import (
    Severity,
    describe_outcome,
    late_failure_text,
    plain_reason,
    waits_text,
)

CLIENT_UNKNOWN_MESSAGES = [
    (
        "no answer within 30s: the message may have reached Whats91. It was not resent; check the"
        " message reports before sending again",
        None,
        "no answer within 30 s",
    ),
    (
        "the connection failed before a complete answer (RemoteProtocolError: Server disconnected without"
        " sending a response.): the message may have reached Whats91.",
        None,
        "the connection dropped before the answer arrived",
    ),
    ("Cancelled before the reply arrived; check before resending. CancelledError", None, "you cancelled"),
    ("App closed before the reply arrived; check before resending", None, "the app closed"),
    (
        "Unexpected error before the reply was known; check before resending. KeyError: 'x'",
        None,
        "unexpected",
    ),
    ("HTTP 502 Bad Gateway — the message may have been accepted", 502, "a gateway"),
    ("HTTP 500 with a non-JSON body (text/html): 500 Internal Server Error nginx", 500, "HTML error page"),
]


@pytest.mark.parametrize(("message", "http_status", "expected"), CLIENT_UNKNOWN_MESSAGES)
def test_an_unknown_outcome_is_explained_without_exception_text(
    message: str, http_status: int | None, expected: str
) -> None:
    result = SendResult(outcome=Outcome.UNKNOWN, http_status=http_status, error_message=message)
    described = describe_outcome(result, "+91 90000 00008")
    assert described.severity is Severity.WARNING
    assert described.text.startswith(
        "Outcome unknown: the message to +91 90000 00008 may have reached Whats91 ("
    )
    assert expected in described.text
    for raw in ("RemoteProtocolError", "CancelledError", "KeyError", "nginx", "WhatsApp"):
        assert raw not in described.text


def test_unreachable_names_the_host_and_the_tries_but_no_exception() -> None:
    reason = plain_reason(
        "could not reach graph.whats91.com after 3 attempts: ConnectError: [Errno 111] Connection refused"
        " (the message was not sent)",
        state="unreachable",
        http_status=None,
    )
    assert reason == "graph.whats91.com could not be reached (tried 3 times), so the message was not sent"


def test_a_5xx_refusal_says_sending_again_is_safe() -> None:
    result = SendResult(
        outcome=Outcome.REJECTED, http_status=503, error_code="SERVICE_DOWN", error_message="maintenance"
    )
    assert "sending it again is safe and will not make a duplicate" in describe_outcome(result, "x").text


def test_waits_are_told_with_their_cause_and_the_end() -> None:
    rate = RetryNotice(1, 1.0, "HTTP 429 (Retry-After 1s)", 429)
    busy = RetryNotice(2, 2.5, "HTTP 503 (Retry-After 2.5s)", 503)
    assert waits_text([rate], Outcome.ACCEPTED) == "waited 1 s for the rate limit (HTTP 429), then accepted"
    assert waits_text([rate, busy], Outcome.REJECTED) == (
        "waited 1 s for the rate limit (HTTP 429) and 2.5 s while the server was busy (HTTP 503),"
        " then rejected"
    )
    assert waits_text([], Outcome.ACCEPTED) == ""
    accepted = SendResult(outcome=Outcome.ACCEPTED, message_id="wamid.1", retries=(rate,))
    assert describe_outcome(accepted, "x").text.endswith(
        "(waited 1 s for the rate limit (HTTP 429), then accepted)"
    )


def test_a_late_failure_says_it_was_accepted_first_with_the_code_and_a_hint() -> None:
    text = late_failure_text("+91 90000 00010", "131047", "Re-engagement message")
    assert text.startswith(
        "Failed after it was accepted: the message to +91 90000 00010 was not delivered "
        "(131047 · Re-engagement message). "
    )
    assert "24" in text  # the hint explains the 24-hour window
