"""Whats91Client through httpx.MockTransport: scripted failure sequences, recorded waits."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from whats91_desktop import __version__
from whats91_desktop.core.client import TokenCheck, Whats91Client
from whats91_desktop.core.errors import (
    AuthError,
    ConfigError,
    ConnectError,
    ForbiddenError,
    NotFoundError,
    OutcomeUnknown,
    RateLimitError,
    ServerError,
    ValidationError,
)
from whats91_desktop.core.models import (
    Button,
    ButtonsMessage,
    ListMessage,
    ListRow,
    ListSection,
    MediaMessage,
    MetaMessage,
    Outcome,
    RetryNotice,
    SendResult,
    TemplateMessage,
    TextMessage,
)
from whats91_desktop.core.retry import RetryPolicy
from whats91_desktop.core.urls import check_base_url

BASE = "https://sandbox.whats91.invalid/api/v2"
TOKEN = "w91_live_sandbox00000000000000000000000"
TO = "918888888888"
SENDER = "919999999999"
T = TypeVar("T")

ACCEPTED = {
    "success": True,
    "message": "Message accepted by Meta",
    "data": {
        "messageId": "wamid.ACCEPTED",
        "message_id": "wamid.ACCEPTED",
        "queued": False,
        "status": "accepted",
        "senderId": SENDER,
        "phoneNumberId": "100000000000001",
        "receiverId": TO,
    },
    "metadata": {"apiVersion": "v2", "requestId": "req-ok"},
}

HTML_500 = (
    "<html><head><title>500</title></head><body><h1>Internal Server Error</h1><p>Oops</p></body></html>"
)

Step = Callable[[httpx.Request], httpx.Response] | BaseException


def ok(payload: Any = None, status: int = 200, headers: dict[str, str] | None = None) -> Step:
    body = ACCEPTED if payload is None else payload
    return lambda request: httpx.Response(status, json=body, headers=headers)


def status(code: int, retry_after: str | None = None, payload: Any = None) -> Step:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    body = payload if payload is not None else {"success": False, "message": f"status {code}"}
    return lambda request: httpx.Response(code, json=body, headers=headers)


def html(code: int, text: str = HTML_500) -> Step:
    return lambda request: httpx.Response(
        code, text=text, headers={"content-type": "text/html; charset=utf-8"}
    )


class Script:
    """A transport handler playing ``steps`` in order; the last step repeats forever."""

    def __init__(self, *steps: Step) -> None:
        self.steps = list(steps)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]
        if isinstance(step, BaseException):
            raise step
        return step(request)


@dataclass
class FakeTime:
    """Injected clock and sleep: waits are recorded and advance the clock, nothing really sleeps."""

    now: float = 0.0
    waits: list[float] = field(default_factory=list)
    events: list[str] = field(default_factory=list)

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.events.append(f"sleep {seconds:g}")
        self.waits.append(seconds)
        self.now += seconds


@dataclass
class Harness:
    script: Script
    time: FakeTime
    client: Whats91Client
    notices: list[RetryNotice] = field(default_factory=list)

    def on_retry(self, notice: RetryNotice) -> None:
        self.time.events.append(f"notice {notice.attempt}")
        self.notices.append(notice)

    def run(self, make: Callable[[Whats91Client], Awaitable[T]]) -> T:
        async def go() -> T:
            async with self.client:
                return await make(self.client)

        return asyncio.run(go())

    def send(self, message: Any) -> SendResult:
        return self.run(lambda c: c.send(message, on_retry=self.on_retry))


def harness(*steps: Step, policy: RetryPolicy | None = None, **kwargs: Any) -> Harness:
    script = Script(*steps)
    fake = FakeTime()
    client = Whats91Client(
        BASE,
        TOKEN,
        transport=httpx.MockTransport(script),
        retry_policy=policy if policy is not None else RetryPolicy(jitter=0.0),
        sleep=fake.sleep,
        clock=fake.clock,
        **kwargs,
    )
    return Harness(script, fake, client)


TEXT = TextMessage(to=TO, text="Hello from Whats91", sender_id=SENDER)

MAY_HAVE_ARRIVED: list[Callable[[], BaseException]] = [
    lambda: httpx.ReadTimeout("timed out"),
    lambda: httpx.WriteTimeout("write timed out"),
    lambda: httpx.RemoteProtocolError("Server disconnected without sending a response."),
    lambda: httpx.ReadError("Connection reset by peer"),
    lambda: httpx.WriteError("Broken pipe"),
    lambda: httpx.LocalProtocolError("illegal"),
    lambda: httpx.DecodingError("bad gzip"),
]
SURELY_NOT_SENT: list[Callable[[], BaseException]] = [
    lambda: httpx.ConnectError("[Errno 111] Connection refused"),
    lambda: httpx.ConnectTimeout("connect timed out"),
    lambda: httpx.PoolTimeout("no connection available"),
]


def _ids(factories: list[Callable[[], BaseException]]) -> list[str]:
    return [type(f()).__name__ for f in factories]


# --------------------------------------------------------------------------- never a double send


def test_read_timeout_on_a_send_makes_exactly_one_request_and_is_unknown() -> None:
    h = harness(httpx.ReadTimeout("timed out"), ok())
    result = h.send(TEXT)
    assert len(h.script.requests) == 1
    assert result.outcome is Outcome.UNKNOWN
    assert result.attempts == 1
    assert result.retry_waits == ()
    assert h.notices == []
    assert h.time.waits == []
    assert result.http_status is None
    assert "no answer within 30s" in (result.error_message or "")
    assert "not resent" in (result.error_message or "")
    assert result.raw_request.startswith(f"POST {BASE}/chat")


def test_remote_protocol_error_makes_one_request_and_is_unknown() -> None:
    h = harness(httpx.RemoteProtocolError("Server disconnected without sending a response."), ok())
    result = h.send(TEXT)
    assert len(h.script.requests) == 1
    assert result.outcome is Outcome.UNKNOWN
    assert "RemoteProtocolError" in (result.error_message or "")


@pytest.mark.parametrize("failure", MAY_HAVE_ARRIVED, ids=_ids(MAY_HAVE_ARRIVED))
def test_any_failure_that_may_have_arrived_is_never_resent(failure: Callable[[], BaseException]) -> None:
    h = harness(failure(), ok(), policy=RetryPolicy(max_attempts=10, jitter=0.0))
    result = h.send(TEXT)
    assert len(h.script.requests) == 1
    assert result.outcome is Outcome.UNKNOWN
    assert result.attempts == 1
    assert h.notices == []


@pytest.mark.parametrize("failure", MAY_HAVE_ARRIVED, ids=_ids(MAY_HAVE_ARRIVED))
def test_failure_that_may_have_arrived_after_a_connect_retry_is_still_unknown(
    failure: Callable[[], BaseException],
) -> None:
    h = harness(httpx.ConnectError("refused"), failure(), ok())
    result = h.send(TEXT)
    assert len(h.script.requests) == 2
    assert result.outcome is Outcome.UNKNOWN
    assert result.attempts == 2
    assert result.retry_waits == (0.5,)


# --------------------------------------------------------------------------- safe retries


@pytest.mark.parametrize("failure", SURELY_NOT_SENT, ids=_ids(SURELY_NOT_SENT))
def test_connect_failures_twice_then_success(failure: Callable[[], BaseException]) -> None:
    h = harness(failure(), failure(), ok())
    result = h.send(TEXT)
    assert result.outcome is Outcome.ACCEPTED
    assert result.attempts == 3
    assert len(h.script.requests) == 3
    assert [n.attempt for n in h.notices] == [1, 2]
    assert [n.delay for n in h.notices] == [0.5, 1.0]
    assert result.retry_waits == (0.5, 1.0)
    assert h.time.waits == [0.5, 1.0]
    assert all("connect error" in n.reason for n in h.notices)
    assert result.message_id == "wamid.ACCEPTED"


def test_each_notice_is_given_before_its_wait() -> None:
    h = harness(httpx.ConnectError("refused"), httpx.ConnectError("refused"), ok())
    h.send(TEXT)
    assert h.time.events == ["notice 1", "sleep 0.5", "notice 2", "sleep 1"]


@pytest.mark.parametrize("failure", SURELY_NOT_SENT, ids=_ids(SURELY_NOT_SENT))
def test_connect_failures_forever_are_unreachable_after_bounded_attempts(
    failure: Callable[[], BaseException],
) -> None:
    h = harness(failure())
    result = h.send(TEXT)
    assert result.outcome is Outcome.UNREACHABLE
    assert len(h.script.requests) == 3
    assert result.attempts == 3
    assert result.retry_waits == (0.5, 1.0)
    assert "after 3 attempts" in (result.error_message or "")
    assert "was not sent" in (result.error_message or "")


def test_connect_retries_stop_at_the_time_budget() -> None:
    policy = RetryPolicy(max_attempts=10, max_total_seconds=2.0, connect_backoff=(0.5, 1.0, 2.0), jitter=0.0)
    h = harness(httpx.ConnectError("refused"), policy=policy)
    result = h.send(TEXT)
    # waits 0.5 and 1.0 fit in 2 s; the next 2.0 s wait would not (0.5 s left).
    assert result.retry_waits == (0.5, 1.0)
    assert len(h.script.requests) == 3
    assert result.outcome is Outcome.UNREACHABLE


def test_unsupported_protocol_is_unreachable_without_retry() -> None:
    h = harness(httpx.UnsupportedProtocol("Request URL has an unsupported protocol"))
    result = h.send(TEXT)
    assert result.outcome is Outcome.UNREACHABLE
    assert len(h.script.requests) == 1


@pytest.mark.parametrize(
    ("code", "retry_after", "expected_wait"),
    [(429, "2", 2.0), (503, "1", 1.0), (429, "0", 0.0), (503, "1.5", 1.5)],
)
def test_retry_after_then_success(code: int, retry_after: str, expected_wait: float) -> None:
    h = harness(status(code, retry_after), ok())
    result = h.send(TEXT)
    assert result.outcome is Outcome.ACCEPTED
    assert result.attempts == 2
    assert len(h.script.requests) == 2
    assert h.time.waits == [expected_wait]
    assert result.retry_waits == (expected_wait,)
    assert h.notices[0].reason.startswith(f"HTTP {code} (Retry-After")
    assert result.http_status == 200


def test_retry_after_as_an_http_date() -> None:
    when = (datetime.now(UTC) + timedelta(seconds=10)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    h = harness(status(429, when), ok())
    result = h.send(TEXT)
    assert result.outcome is Outcome.ACCEPTED
    assert 5.0 <= h.time.waits[0] <= 10.0


RATE_LIMITED = {"success": False, "message": "slow down", "error_code": "RATE_LIMITED"}


@pytest.mark.parametrize("code", [429, 503])
@pytest.mark.parametrize("retry_after", [None, "", "later"])
def test_429_or_503_without_usable_retry_after_is_rejected_after_one_request(
    code: int, retry_after: str | None
) -> None:
    # A documented error envelope: a 503 without one is "unknown" (test_5xx_...).
    h = harness(status(code, retry_after, RATE_LIMITED), ok())
    result = h.send(TEXT)
    assert result.outcome is Outcome.REJECTED
    assert len(h.script.requests) == 1
    assert result.http_status == code
    assert h.notices == []
    assert "without a usable Retry-After" in (result.error_message or "")


def test_429_forever_is_bounded_then_rejected() -> None:
    payload = {"success": False, "message": "Too many requests", "error_code": "RATE_LIMITED"}
    h = harness(status(429, "1", payload))
    result = h.send(TEXT)
    assert result.outcome is Outcome.REJECTED
    assert len(h.script.requests) == 3
    assert result.attempts == 3
    assert h.time.waits == [1.0, 1.0]
    assert result.http_status == 429
    assert result.error_code == "RATE_LIMITED"
    assert result.error_message == "Too many requests (gave up after 3 attempts)"


def test_retry_after_longer_than_the_budget_is_not_waited_for() -> None:
    policy = RetryPolicy(max_total_seconds=30.0, max_delay=100.0, jitter=0.0)
    h = harness(status(429, "31"), ok(), policy=policy)
    result = h.send(TEXT)
    assert result.outcome is Outcome.REJECTED
    assert len(h.script.requests) == 1
    assert h.time.waits == []
    assert h.notices == []
    assert "30s retry budget" in (result.error_message or "")


def test_retry_after_longer_than_max_delay_is_not_waited_for() -> None:
    h = harness(status(503, "60", RATE_LIMITED), ok())
    result = h.send(TEXT)
    assert result.outcome is Outcome.REJECTED
    assert len(h.script.requests) == 1
    assert h.time.waits == []
    assert "Retry-After 60s exceeds the 20s wait limit" in (result.error_message or "")


def test_budget_counts_time_already_spent() -> None:
    policy = RetryPolicy(max_attempts=5, max_total_seconds=5.0, jitter=0.0)
    h = harness(status(429, "3"), policy=policy)
    result = h.send(TEXT)
    assert h.time.waits == [3.0]  # a second 3 s wait would end at 6 s > 5 s
    assert len(h.script.requests) == 2
    assert result.outcome is Outcome.REJECTED


def test_default_policy_jitters_connect_waits_within_ten_percent() -> None:
    h = harness(httpx.ConnectError("refused"), ok(), policy=RetryPolicy())
    h.send(TEXT)
    assert 0.45 <= h.time.waits[0] <= 0.55


# --------------------------------------------------------------------------- answers


def test_500_html_is_unknown_with_a_readable_message() -> None:
    """Was "rejected" (which invited a resend): an HTML 500 may follow a processed message."""
    h = harness(html(500))
    result = h.send(TEXT)
    assert result.outcome is Outcome.UNKNOWN
    assert len(h.script.requests) == 1
    assert result.http_status == 500
    assert (result.error_message or "").startswith(
        "HTTP 500 with a non-JSON body (text/html): 500 Internal Server Error Oops"
    )
    assert "may have been accepted" in (result.error_message or "")
    assert result.raw_response == HTML_500


SERVER_ERROR_BODIES: list[tuple[str, Step, Outcome]] = [
    ("html", html(500), Outcome.UNKNOWN),
    ("empty", lambda r: httpx.Response(500, content=b""), Outcome.UNKNOWN),
    ("plain-text", lambda r: httpx.Response(500, text="Internal Server Error"), Outcome.UNKNOWN),
    (
        "json-without-code",
        status(500, payload={"success": False, "message": "Server error"}),
        Outcome.UNKNOWN,
    ),
    ("json-string-error", status(500, payload={"error": "boom"}), Outcome.UNKNOWN),
    ("json-list", status(500, payload=["x"]), Outcome.UNKNOWN),
    (
        "whats91-error-code",
        status(500, payload={"success": False, "message": "Meta is down", "error_code": "META_UNAVAILABLE"}),
        Outcome.REJECTED,
    ),
    (
        "whats91-nested-error",
        status(500, payload={"success": False, "error": {"code": "INTERNAL", "message": "x"}}),
        Outcome.REJECTED,
    ),
    (
        "meta-error",
        status(500, payload={"error": {"message": "Unknown error", "type": "OAuthException", "code": 1}}),
        Outcome.REJECTED,
    ),
]


@pytest.mark.parametrize("code", [500, 501, 520])
@pytest.mark.parametrize(
    ("step", "expected"),
    [(s, o) for _, s, o in SERVER_ERROR_BODIES],
    ids=[name for name, _, _ in SERVER_ERROR_BODIES],
)
def test_5xx_is_rejected_only_with_a_documented_error_envelope(
    code: int, step: Step, expected: Outcome
) -> None:
    def with_code(request: httpx.Request) -> httpx.Response:
        answer = step(request)  # type: ignore[operator]
        return httpx.Response(code, content=answer.content, headers=answer.headers)

    h = harness(with_code, ok())
    result = h.send(TEXT)
    assert result.outcome is expected
    assert result.http_status == code
    assert len(h.script.requests) == 1
    if expected is Outcome.UNKNOWN:
        assert "may have been accepted" in (result.error_message or "")


@pytest.mark.parametrize("code", [502, 504])
def test_gateway_failures_are_unknown_not_rejected(code: int) -> None:
    h = harness(html(code, "<h1>Bad Gateway</h1>"), ok())
    result = h.send(TEXT)
    assert result.outcome is Outcome.UNKNOWN
    assert len(h.script.requests) == 1
    assert result.http_status == code
    assert "may have been accepted" in (result.error_message or "")


@pytest.mark.parametrize(
    "response",
    [
        lambda r: httpx.Response(200, text="<html>captive portal</html>"),
        lambda r: httpx.Response(200, content=b""),
        lambda r: httpx.Response(200, json=["not", "an", "object"]),
        lambda r: httpx.Response(200, json={"something": "else"}),
    ],
    ids=["html", "empty", "list", "unknown-object"],
)
def test_unreadable_2xx_is_unknown(response: Step) -> None:
    h = harness(response, ok())
    result = h.send(TEXT)
    assert result.outcome is Outcome.UNKNOWN
    assert len(h.script.requests) == 1
    assert result.http_status == 200


def test_success_false_with_200_is_rejected() -> None:
    payload = {
        "success": False,
        "message": "Recipient is blacklisted",
        "error_code": "SANDBOX_RECIPIENT_BLACKLISTED",
    }
    result = harness(ok(payload)).send(TEXT)
    assert result.outcome is Outcome.REJECTED
    assert result.error_code == "SANDBOX_RECIPIENT_BLACKLISTED"
    assert result.error_message == "Recipient is blacklisted"


def test_api_error_fields_reach_the_result() -> None:
    payload = {
        "error": {
            "message": "Missing required parameter: to",
            "type": "Whats91PublicApiException",
            "code": "MISSING_TO",
        },
        "metadata": {"requestId": "req-meta"},
    }
    result = harness(status(400, payload=payload)).send(TEXT)
    assert result.outcome is Outcome.REJECTED
    assert (result.error_code, result.error_message, result.request_id, result.http_status) == (
        "MISSING_TO",
        "Missing required parameter: to",
        "req-meta",
        400,
    )
    assert json.loads(result.raw_response or "") == payload


def test_accepted_result_fields() -> None:
    result = harness(ok()).send(TEXT)
    assert result.outcome is Outcome.ACCEPTED
    assert result.message_id == "wamid.ACCEPTED"
    assert result.status == "accepted"
    assert result.sender_id == SENDER
    assert result.phone_number_id == "100000000000001"
    assert result.request_id == "req-ok"
    assert result.attempts == 1
    assert json.loads(result.raw_response or "") == ACCEPTED


def test_queued_result() -> None:
    payload = {
        "success": True,
        "message": "Message queued until WhatsApp reconnects",
        "data": {
            "messageId": None,
            "queued": True,
            "queueUid": "q-1",
            "reportUid": "r-1",
            "status": "waiting_reconnect",
        },
    }
    result = harness(ok(payload)).send(TEXT)
    assert result.outcome is Outcome.QUEUED
    assert result.outcome.is_success
    assert (result.queue_uid, result.report_uid, result.message_id) == ("q-1", "r-1", None)


def test_meta_success_result() -> None:
    payload = {
        "messaging_product": "whatsapp",
        "contacts": [{"wa_id": TO}],
        "messages": [{"id": "wamid.META"}],
    }
    message = MetaMessage(
        payload={"messaging_product": "whatsapp", "to": TO, "type": "text", "text": {"body": "x"}}
    )
    result = harness(ok(payload)).send(message)
    assert result.outcome is Outcome.ACCEPTED
    assert result.message_id == "wamid.META"


def test_unreadable_file_is_invalid_and_nothing_is_sent(tmp_path: Path) -> None:
    h = harness(ok())
    message = MediaMessage(to=TO, media_type="image", file_path=tmp_path / "missing.jpg")
    result = h.send(message)
    assert result.outcome is Outcome.INVALID
    assert h.script.requests == []
    assert result.problems
    assert result.problems[0].field == "file_path"
    assert "missing.jpg" in result.problems[0].message


@pytest.mark.parametrize(
    "message",
    [
        MetaMessage(payload={"to": TO, "bad": object()}),
        MetaMessage(payload={"to": TO, "n": float("nan")}),
        MetaMessage(payload="not a mapping"),  # type: ignore[arg-type]
        "not a message",
        None,
    ],
    ids=["unserialisable", "nan", "payload-not-mapping", "string", "none"],
)
def test_odd_input_never_crashes_send(message: Any) -> None:
    h = harness(ok())
    result = h.send(message)
    assert result.outcome is Outcome.INVALID
    assert h.script.requests == []


def test_odd_but_encodable_input_is_sent_as_given() -> None:
    h = harness(ok())
    result = h.send(TextMessage(to="", text=""))
    assert result.outcome is Outcome.ACCEPTED
    assert json.loads(h.script.requests[0].content) == {"to": "", "type": "text", "text": ""}


# --------------------------------------------------------------------------- base URL and construction


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://graph.whats91.com/api/v2", "https://graph.whats91.com/api/v2"),
        ("https://graph.whats91.com/api/v2/", "https://graph.whats91.com/api/v2"),
        ("  https://graph.whats91.com/api/v2//  ", "https://graph.whats91.com/api/v2"),
        ("HTTPS://Graph.Whats91.com/api/v2", "https://graph.whats91.com/api/v2"),
        ("http://127.0.0.1:8080/api/v2/", "http://127.0.0.1:8080/api/v2"),
        ("http://127.5.6.7/api/v2", "http://127.5.6.7/api/v2"),
        ("http://localhost:9000", "http://localhost:9000"),
        ("http://[::1]:8000/api/v2", "http://[::1]:8000/api/v2"),
    ],
)
def test_check_base_url_accepts(url: str, expected: str) -> None:
    assert check_base_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "http://graph.whats91.com/api/v2",
        "http://10.0.0.5/api/v2",
        "http://128.0.0.1/api/v2",
        "http://localhost.example.com/",
        "http://[::2]/",
        "ftp://graph.whats91.com/",
        "graph.whats91.com/api/v2",
        "",
        "   ",
        "https://",
        "https://user:pass@graph.whats91.com/api/v2",
        "https://graph.whats91.com/api/v2?token=x",
    ],
)
def test_check_base_url_refuses(url: str) -> None:
    with pytest.raises(ConfigError):
        check_base_url(url)


def test_client_refuses_plain_http_but_allows_loopback() -> None:
    with pytest.raises(ConfigError):
        Whats91Client("http://graph.whats91.com/api/v2", TOKEN)
    client = Whats91Client("http://127.0.0.1:8080/api/v2/", TOKEN)
    assert client.base_url == "http://127.0.0.1:8080/api/v2"
    asyncio.run(client.aclose())


@pytest.mark.parametrize("token", ["", "   ", "w91_live_a b", "w91_live_\nx", "w91_live_\x00x", "w91_live_é"])
def test_client_refuses_bad_tokens(token: str) -> None:
    with pytest.raises(ConfigError):
        Whats91Client(BASE, token)


def test_repr_has_no_token() -> None:
    client = Whats91Client(BASE, TOKEN)
    assert TOKEN not in repr(client)
    assert repr(client) == f"Whats91Client(base_url='{BASE}', token=<redacted>)"
    asyncio.run(client.aclose())


def test_headers_and_timeouts_on_every_request() -> None:
    h = harness(ok(), connect_timeout=4.0, read_timeout=12.0)
    h.send(TEXT)
    request = h.script.requests[0]
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["user-agent"] == f"whats91-desktop/{__version__} (+python-httpx)"
    assert request.headers["accept"] == "application/json"
    assert request.extensions["timeout"] == {"connect": 4.0, "read": 12.0, "write": 12.0, "pool": 4.0}


def test_custom_user_agent() -> None:
    h = harness(ok(), user_agent="acme/1.0")
    h.send(TEXT)
    assert h.script.requests[0].headers["user-agent"] == "acme/1.0"


def test_async_context_manager_closes_the_http_client() -> None:
    client = Whats91Client(BASE, TOKEN, transport=httpx.MockTransport(Script(ok())))

    async def go() -> None:
        async with client as entered:
            assert entered is client
        with pytest.raises(RuntimeError):
            await client.send(TEXT)

    asyncio.run(go())


# --------------------------------------------------------------------------- request shapes


def build(message: Any) -> httpx.Request:
    client = Whats91Client(BASE, TOKEN)
    try:
        return client.build_request(message)
    finally:
        asyncio.run(client.aclose())


def json_of(request: httpx.Request) -> Any:
    assert request.headers["content-type"] == "application/json"
    return json.loads(request.content)


def form_of(request: httpx.Request) -> list[tuple[str, str | None, str | None, bytes]]:
    """``(name, filename, content type, value)`` per part, parsed by the stdlib, not by us."""
    content_type = request.headers["content-type"]
    assert content_type.startswith("multipart/form-data; boundary=")
    raw = b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + request.read()
    message = BytesParser(policy=HTTP).parsebytes(raw)
    parts = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        ctype = part.get_content_type() if part.get_filename() else None
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        parts.append((str(name), part.get_filename(), ctype, payload))
    return parts


def test_text_shape() -> None:
    request = build(TEXT)
    assert (request.method, str(request.url)) == ("POST", f"{BASE}/chat")
    assert json_of(request) == {"senderId": SENDER, "to": TO, "type": "text", "text": "Hello from Whats91"}
    assert request.headers["authorization"] == f"Bearer {TOKEN}"


def test_text_without_sender_omits_sender_id() -> None:
    assert json_of(build(TextMessage(to=TO, text="hi"))) == {"to": TO, "type": "text", "text": "hi"}


def test_media_by_url_shape() -> None:
    message = MediaMessage(
        to=TO,
        media_type="document",
        url="https://example.com/invoice.pdf",
        caption="Invoice INV-1001",
        filename="invoice.pdf",
        sender_id=SENDER,
    )
    request = build(message)
    assert str(request.url) == f"{BASE}/chat"
    assert json_of(request) == {
        "senderId": SENDER,
        "to": TO,
        "type": "document",
        "mediaUrl": "https://example.com/invoice.pdf",
        "caption": "Invoice INV-1001",
        "filename": "invoice.pdf",
    }


def test_media_by_id_shape() -> None:
    body = json_of(build(MediaMessage(to=TO, media_type="audio", media_id="1234567890")))
    assert body == {"to": TO, "type": "audio", "mediaId": "1234567890"}


def test_media_file_is_multipart(tmp_path: Path) -> None:
    photo = tmp_path / "product.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + bytes(range(256)))
    message = MediaMessage(
        to=TO, media_type="image", file_path=photo, caption="Product photo", sender_id=SENDER
    )
    request = build(message)
    assert str(request.url) == f"{BASE}/chat"
    assert form_of(request) == [
        ("senderId", None, None, SENDER.encode()),
        ("to", None, None, TO.encode()),
        ("type", None, None, b"image"),
        ("caption", None, None, b"Product photo"),
        ("mediaFile", "product.jpg", "image/jpeg", photo.read_bytes()),
    ]
    assert request.headers["authorization"] == f"Bearer {TOKEN}"


def test_buttons_shape() -> None:
    message = ButtonsMessage(
        to=TO,
        text="Choose an option",
        buttons=(Button("pay_now", "Pay now"), Button("talk_agent", "Talk to agent")),
        sender_id=SENDER,
    )
    request = build(message)
    assert str(request.url) == f"{BASE}/chat"
    assert json_of(request) == {
        "senderId": SENDER,
        "to": TO,
        "type": "buttons",
        "text": "Choose an option",
        "buttons": [{"id": "pay_now", "title": "Pay now"}, {"id": "talk_agent", "title": "Talk to agent"}],
    }


def test_list_shape() -> None:
    message = ListMessage(
        to=TO,
        text="Select the topic you need help with.",
        button_text="View options",
        sections=(
            ListSection(
                "Requests",
                (ListRow("billing", "Billing", "Invoices and payments"), ListRow("technical", "Technical")),
            ),
        ),
        header_text="Support menu",
        footer_text="Whats91 Support",
        sender_id=SENDER,
    )
    assert json_of(build(message)) == {
        "senderId": SENDER,
        "to": TO,
        "type": "list",
        "headerText": "Support menu",
        "text": "Select the topic you need help with.",
        "footerText": "Whats91 Support",
        "buttonText": "View options",
        "sections": [
            {
                "title": "Requests",
                "rows": [
                    {"id": "billing", "title": "Billing", "description": "Invoices and payments"},
                    {"id": "technical", "title": "Technical"},
                ],
            }
        ],
    }


def test_list_without_header_and_footer() -> None:
    message = ListMessage(
        to=TO, text="t", button_text="b", sections=(ListSection("s", (ListRow("1", "r"),)),)
    )
    body = json_of(build(message))
    assert "headerText" not in body
    assert "footerText" not in body


def test_template_json_shape() -> None:
    message = TemplateMessage(
        to=TO,
        template_name="payment_reminder",
        parameters=("Devendar", "INV-1001"),
        button_parameters=("pay_INV-1001",),
        media_url="https://example.com/invoice.pdf",
        sender_id=SENDER,
    )
    request = build(message)
    assert str(request.url) == f"{BASE}/send"
    assert json_of(request) == {
        "senderId": SENDER,
        "to": TO,
        "templateName": "payment_reminder",
        "parameters": ["Devendar", "INV-1001"],
        "buttonParameters": ["pay_INV-1001"],
        "mediaUrl": "https://example.com/invoice.pdf",
    }


def test_template_without_parameters_omits_them() -> None:
    body = json_of(build(TemplateMessage(to=TO, template_name="hello_world")))
    assert body == {"to": TO, "templateName": "hello_world"}


def test_template_with_header_file_is_multipart_with_repeated_parameters(tmp_path: Path) -> None:
    receipt = tmp_path / "receipt.pdf"
    receipt.write_bytes(b"%PDF-1.4 receipt")
    message = TemplateMessage(
        to=TO,
        template_name="delivery_receipt",
        parameters=("Devendar", "ORD-4431"),
        button_parameters=("track_ORD-4431",),
        media_file=receipt,
        sender_id=SENDER,
    )
    request = build(message)
    assert str(request.url) == f"{BASE}/send"
    assert form_of(request) == [
        ("senderId", None, None, SENDER.encode()),
        ("to", None, None, TO.encode()),
        ("templateName", None, None, b"delivery_receipt"),
        ("parameters[]", None, None, b"Devendar"),
        ("parameters[]", None, None, b"ORD-4431"),
        ("buttonParameters[]", None, None, b"track_ORD-4431"),
        ("mediaFile", "receipt.pdf", "application/pdf", b"%PDF-1.4 receipt"),
    ]


def test_meta_with_phone_number_id_posts_to_its_path() -> None:
    payload = {"messaging_product": "whatsapp", "to": TO, "type": "text", "text": {"body": "Hi"}}
    request = build(MetaMessage(payload=payload, phone_number_id="1234567890", sender_id=SENDER))
    assert str(request.url) == f"{BASE}/1234567890/messages"
    assert json_of(request) == payload  # senderId not added: the path selects the sender


def test_meta_phone_number_id_cannot_escape_the_path() -> None:
    request = build(MetaMessage(payload={"to": TO}, phone_number_id="../../admin"))
    assert request.url.raw_path == b"/api/v2/..%2F..%2Fadmin/messages"


def test_meta_without_phone_number_id_posts_to_messages_with_sender() -> None:
    payload = {"messaging_product": "whatsapp", "to": TO, "type": "text", "text": {"body": "Hi"}}
    request = build(MetaMessage(payload=payload, sender_id=SENDER))
    assert str(request.url) == f"{BASE}/messages"
    assert json_of(request) == {"senderId": SENDER, **payload}


def test_meta_keeps_a_sender_id_already_in_the_payload() -> None:
    payload = {"senderId": "911111111111", "to": TO}
    assert json_of(build(MetaMessage(payload=payload, sender_id=SENDER))) == payload


def test_build_request_is_what_send_sends() -> None:
    h = harness(ok())
    built = h.client.build_request(TEXT)
    h.send(TEXT)
    sent = h.script.requests[0]
    assert (sent.method, sent.url, sent.content) == (built.method, built.url, built.content)


# --------------------------------------------------------------------------- read methods

TEMPLATES_PAGE = {
    "success": True,
    "message": "Templates retrieved",
    "data": {
        "senderId": SENDER,
        "phoneNumberId": "100000000000001",
        "templates": [
            {
                "templateUid": "uid-1",
                "templateId": "w91_1_ab",
                "templateName": "payment_reminder",
                "category": "UTILITY",
                "language": "en",
                "status": "APPROVED",
                "header": {"type": "TEXT", "text": "Payment due"},
                "body": {"text": "Hi {{1}}, invoice {{2}} is due."},
                "footer": {"text": "Whats91"},
                "buttons": [{"type": "URL", "text": "Pay now", "url": "https://example.com/pay/{{1}}"}],
            }
        ],
        "pagination": {"page": 1, "limit": 50, "total": 1, "hasMore": False},
    },
    "metadata": {"apiVersion": "v2", "requestId": "req-t"},
}

META_TEMPLATE = {
    "name": "otp_code",
    "language": {"code": "en_US"},
    "category": "AUTHENTICATION",
    "components": [
        {"type": "HEADER", "format": "DOCUMENT"},
        {"type": "BODY", "text": "{{1}} is your code."},
        {"type": "FOOTER", "text": "Expires in 10 minutes"},
        {
            "type": "BUTTONS",
            "buttons": [
                {"type": "OTP", "otp_type": "COPY_CODE", "text": "Copy code"},
                {"type": "URL", "text": "Site", "url": "https://example.com/static"},
                {"type": "QUICK_REPLY", "text": "Stop"},
            ],
        },
    ],
}


def test_list_templates_sandbox_shape() -> None:
    h = harness(ok(TEMPLATES_PAGE))
    templates = h.run(lambda c: c.list_templates(sender_id=SENDER))
    assert len(templates) == 1
    t = templates[0]
    assert (t.name, t.language, t.category, t.status) == ("payment_reminder", "en", "UTILITY", "APPROVED")
    assert (t.template_id, t.template_uid) == ("w91_1_ab", "uid-1")
    assert (t.header_type, t.header_text, t.footer_text) == ("TEXT", "Payment due", "Whats91")
    assert t.body_variable_count == 2
    assert t.buttons[0].type == "URL"
    assert t.buttons[0].has_variable
    assert t.button_variable_count == 1
    query = parse_qs(urlsplit(str(h.script.requests[0].url)).query)
    assert query["senderId"] == [SENDER]
    assert h.script.requests[0].method == "GET"


def test_list_templates_meta_components_shape() -> None:
    h = harness(ok({"success": True, "data": {"items": [META_TEMPLATE, {"no": "name"}, "junk"]}}))
    [t] = h.run(lambda c: c.list_templates())
    assert (t.name, t.language, t.header_type, t.header_text) == ("otp_code", "en_US", "DOCUMENT", None)
    assert t.needs_media
    assert t.body_text == "{{1}} is your code."
    assert t.footer_text == "Expires in 10 minutes"
    assert [(b.type, b.has_variable) for b in t.buttons] == [
        ("OTP", True),
        ("URL", False),
        ("QUICK_REPLY", False),
    ]


def test_list_templates_data_as_a_list_and_copy_code() -> None:
    item = {
        "templateName": "auth",
        "buttons": [{"type": "COPY_CODE", "example": "123456"}],
        "body": "Code {{1}}",
    }
    [t] = harness(ok({"success": True, "data": [item]})).run(lambda c: c.list_templates())
    assert t.buttons[0].has_variable
    assert t.body_text == "Code {{1}}"


def test_list_templates_follows_has_more() -> None:
    page1 = {"success": True, "data": {"templates": [{"name": "a"}], "pagination": {"hasMore": True}}}
    page2 = {"success": True, "data": {"templates": [{"name": "b"}], "pagination": {"hasMore": False}}}
    h = harness(ok(page1), ok(page2))
    names = [t.name for t in h.run(lambda c: c.list_templates())]
    assert names == ["a", "b"]
    assert [parse_qs(urlsplit(str(r.url)).query)["page"] for r in h.script.requests] == [["1"], ["2"]]


def test_list_templates_stops_when_a_server_ignores_paging() -> None:
    same = {"success": True, "data": {"templates": [{"name": "a"}], "pagination": {"hasMore": True}}}
    h = harness(ok(same))
    assert [t.name for t in h.run(lambda c: c.list_templates())] == ["a"]
    assert len(h.script.requests) == 2


def test_list_templates_without_a_list_is_a_server_error() -> None:
    with pytest.raises(ServerError):
        harness(ok({"success": True, "data": {"nothing": 1}})).run(lambda c: c.list_templates())


def test_get_template() -> None:
    payload = {"success": True, "data": {"template": TEMPLATES_PAGE["data"]["templates"][0]}}  # type: ignore[index]
    h = harness(ok(payload))
    t = h.run(lambda c: c.get_template("payment reminder/1"))
    assert t.name == "payment_reminder"
    assert h.script.requests[0].url.raw_path == b"/api/v2/templates/payment%20reminder%2F1"


def test_get_template_not_found() -> None:
    payload = {"success": False, "message": "Template not found", "error_code": "TEMPLATE_NOT_FOUND"}
    with pytest.raises(NotFoundError) as info:
        harness(status(404, payload=payload)).run(lambda c: c.get_template("nope"))
    assert info.value.code == "TEMPLATE_NOT_FOUND"


def test_fetch_status_with_every_error_form() -> None:
    payload = {
        "success": True,
        "data": {
            "message": {"reportUid": "r-1", "messageId": "wamid.1", "receiver": TO, "latestStatus": "failed"},
            "events": [
                {"eventType": "status", "status": "sent", "occurredAt": "2026-06-05T07:59:00.000Z"},
                {
                    "eventType": "status",
                    "status": "failed",
                    "error": {"code": 131026, "message": "Message undeliverable"},
                },
                {"status": "failed", "errorCode": "131047", "errorMessage": "Re-engagement message"},
                {"status": "failed", "error_code": "X1", "error": "plain text error"},
                "junk",
            ],
        },
        "metadata": {"requestId": "req-s"},
    }
    h = harness(ok(payload))
    st = h.run(lambda c: c.fetch_status("wamid.1", sender_id=SENDER))
    assert (st.message_id, st.report_uid, st.receiver, st.latest_status) == ("wamid.1", "r-1", TO, "failed")
    assert st.is_final
    assert st.request_id == "req-s"
    assert [(e.status, e.error_code, e.error_message) for e in st.events] == [
        ("sent", None, None),
        ("failed", "131026", "Message undeliverable"),
        ("failed", "131047", "Re-engagement message"),
        ("failed", "X1", "plain text error"),
    ]
    assert st.events[0].occurred_at == "2026-06-05T07:59:00.000Z"
    query = parse_qs(urlsplit(str(h.script.requests[0].url)).query)
    assert query == {"messageId": ["wamid.1"], "senderId": [SENDER]}


def test_fetch_status_not_found() -> None:
    payload = {"success": False, "message": "Message not found", "error_code": "MESSAGE_NOT_FOUND"}
    with pytest.raises(NotFoundError):
        harness(status(404, payload=payload)).run(lambda c: c.fetch_status("wamid.none"))


def test_list_reports() -> None:
    payload = {
        "success": True,
        "data": {
            "senderId": SENDER,
            "phoneNumberId": "100000000000001",
            "reports": [
                {
                    "reportUid": "msg_uid",
                    "messageId": "wamid.xxxxx",
                    "receiver": TO,
                    "sourceType": "PUBLIC_API",
                    "templateName": "payment_reminder",
                    "messageType": "template",
                    "status": "delivered",
                    "latestStatus": "delivered",
                    "occurredAt": "2026-06-05T08:00:00.000Z",
                }
            ],
            "pagination": {"page": 2, "limit": 10, "total": 11, "hasMore": False},
        },
    }
    h = harness(ok(payload))
    page = h.run(
        lambda c: c.list_reports(
            receiver=TO,
            status="delivered",
            sender_id=SENDER,
            page=2,
            limit=10,
            date_from=datetime(2026, 6, 1).date(),
            date_to="2026-06-05",
        )
    )
    assert (page.page, page.limit, page.total, page.has_more) == (2, 10, 11, False)
    assert (page.sender_id, page.phone_number_id) == (SENDER, "100000000000001")
    [row] = page.reports
    assert (row.message_id, row.report_uid, row.status, row.latest_status) == (
        "wamid.xxxxx",
        "msg_uid",
        "delivered",
        "delivered",
    )
    assert (row.message_type, row.template_name, row.source_type) == (
        "template",
        "payment_reminder",
        "PUBLIC_API",
    )
    request = h.script.requests[0]
    assert request.url.path == "/api/v2/reports/messages"
    assert parse_qs(urlsplit(str(request.url)).query) == {
        "receiver": [TO],
        "status": ["delivered"],
        "senderId": [SENDER],
        "page": ["2"],
        "limit": ["10"],
        "dateFrom": ["2026-06-01"],
        "dateTo": ["2026-06-05"],
    }


def test_fetch_wallet() -> None:
    payload = {
        "success": True,
        "data": {"wallet": {"balance": "1250.75", "currency": "INR", "status": "ACTIVE"}},
    }
    h = harness(ok(payload))
    wallet = h.run(lambda c: c.fetch_wallet())
    assert (wallet.balance, wallet.currency, wallet.status) == (1250.75, "INR", "ACTIVE")
    assert h.script.requests[0].url.path == "/api/v2/billing/wallet"
    assert h.script.requests[0].url.query == b""


def test_read_error_shape_2_raises_typed_error() -> None:
    payload = {
        "success": False,
        "message": "Invalid token",
        "error": {"code": "INVALID_AUTH_TOKEN", "message": "x"},
    }
    with pytest.raises(AuthError) as info:
        harness(status(401, payload=payload)).run(lambda c: c.fetch_wallet())
    assert info.value.code == "INVALID_AUTH_TOKEN"


# --------------------------------------------------------------------------- read retries


def test_get_is_retried_after_a_read_timeout() -> None:
    h = harness(httpx.ReadTimeout("slow"), ok({"success": True, "data": {"wallet": {"balance": 1}}}))
    wallet = h.run(lambda c: c.fetch_wallet())
    assert wallet.balance == 1.0
    assert len(h.script.requests) == 2
    assert h.time.waits == [0.5]


def test_get_read_timeouts_forever_raise_outcome_unknown() -> None:
    h = harness(httpx.ReadTimeout("slow"))
    with pytest.raises(OutcomeUnknown) as info:
        h.run(lambda c: c.fetch_wallet())
    assert isinstance(info.value.__cause__, httpx.ReadTimeout)
    assert len(h.script.requests) == 3


@pytest.mark.parametrize("failure", SURELY_NOT_SENT, ids=_ids(SURELY_NOT_SENT))
def test_get_connect_failures_raise_connect_error_after_retries(failure: Callable[[], BaseException]) -> None:
    h = harness(failure())
    with pytest.raises(ConnectError) as info:
        h.run(lambda c: c.fetch_status("wamid.1"))
    assert "after 3 attempts" in str(info.value)
    assert len(h.script.requests) == 3


def test_get_dropped_connection_is_outcome_unknown_without_retry() -> None:
    h = harness(httpx.RemoteProtocolError("dropped"), ok())
    with pytest.raises(OutcomeUnknown):
        h.run(lambda c: c.fetch_wallet())
    assert len(h.script.requests) == 1


def test_get_429_with_retry_after_is_retried_then_raises_rate_limit() -> None:
    h = harness(status(429, "1"))
    with pytest.raises(RateLimitError) as info:
        h.run(lambda c: c.list_reports())
    assert info.value.retry_after == 1.0
    assert len(h.script.requests) == 3
    assert h.time.waits == [1.0, 1.0]


def test_get_503_with_retry_after_then_success() -> None:
    h = harness(status(503, "2"), ok({"success": True, "data": {"wallet": {"balance": 3}}}))
    assert h.run(lambda c: c.fetch_wallet()).balance == 3.0
    assert h.time.waits == [2.0]


# --------------------------------------------------------------------------- check_token


@pytest.mark.parametrize(
    ("step", "verdict", "http_status"),
    [
        (ok(TEMPLATES_PAGE), "valid", 200),
        (
            status(
                401,
                payload={"success": False, "message": "Invalid token", "error_code": "INVALID_AUTH_TOKEN"},
            ),
            "invalid",
            401,
        ),
        (
            status(403, payload={"success": False, "message": "no", "error_code": "SENDER_NOT_ALLOWED"}),
            "forbidden",
            403,
        ),
        (httpx.ConnectError("refused"), "unreachable", None),
        (httpx.ReadTimeout("slow"), "unknown", None),
        (html(500), "unknown", 500),
        (status(429), "unknown", 429),
    ],
    ids=["valid", "invalid", "forbidden", "unreachable", "timeout", "server-error", "rate-limited"],
)
def test_check_token(step: Step, verdict: str, http_status: int | None) -> None:
    h = harness(step)
    check = h.run(lambda c: c.check_token(sender_id=SENDER))
    assert isinstance(check, TokenCheck)
    assert check.verdict == verdict
    assert check.ok is (verdict == "valid")
    assert check.http_status == http_status
    assert check.message
    request = h.script.requests[0]
    assert request.url.path == "/api/v2/templates"
    assert parse_qs(urlsplit(str(request.url)).query) == {"senderId": [SENDER], "limit": ["1"]}


def test_check_token_carries_the_request_id() -> None:
    check = harness(ok(TEMPLATES_PAGE)).run(lambda c: c.check_token())
    assert check.request_id == "req-t"


def test_error_classes_are_raised_for_forbidden_reads() -> None:
    with pytest.raises(ForbiddenError):
        harness(status(403)).run(lambda c: c.list_templates())


def test_surrounding_whitespace_of_a_pasted_token_is_dropped() -> None:
    h = harness(ok())
    h.client = Whats91Client(
        BASE, f"  {TOKEN}\n", transport=httpx.MockTransport(h.script), sleep=h.time.sleep, clock=h.time.clock
    )
    h.send(TEXT)
    assert h.script.requests[0].headers["authorization"] == f"Bearer {TOKEN}"


# --------------------------------------------------------------------------- hostile servers and inputs

OPAQUE_TOKEN = 'opaque.Tok+en/with"quote\\and=='
"""A token in no known shape: only the client's own knowledge of it can scrub it."""


def echo_client(handler: Callable[[httpx.Request], httpx.Response]) -> Whats91Client:
    return Whats91Client(
        BASE, OPAQUE_TOKEN, transport=httpx.MockTransport(handler), retry_policy=RetryPolicy(max_attempts=1)
    )


def _echo_401(request: httpx.Request) -> httpx.Response:
    echoed = request.headers["authorization"]
    return httpx.Response(
        401,
        json={"success": False, "message": f"token {echoed} rejected", "error_code": f"BAD_{OPAQUE_TOKEN}"},
    )


def test_a_server_echoing_our_token_in_a_read_error_never_shows_it() -> None:
    async def run() -> list[str]:
        async with echo_client(_echo_401) as client:
            with pytest.raises(AuthError) as info:
                await client.list_templates()
            err = info.value
            check = await client.check_token()
            return [str(err), repr(err), err.message, err.code or "", err.raw_response or "", repr(check)]

    texts = asyncio.run(run())
    for text in texts:
        assert OPAQUE_TOKEN not in text
        assert json.dumps(OPAQUE_TOKEN)[1:-1] not in text
    assert "[REDACTED]" in texts[4]


def test_a_server_echoing_our_token_in_an_unreadable_success_never_shows_it() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"success": True, "data": {"templates": OPAQUE_TOKEN}})

    async def run() -> ServerError:
        async with echo_client(handler) as client:
            with pytest.raises(ServerError) as info:
                await client.list_templates()
            return info.value

    err = asyncio.run(run())
    assert err.raw_response
    assert OPAQUE_TOKEN not in err.raw_response


def test_a_send_answer_echoing_our_token_in_the_error_code_never_shows_it() -> None:
    async def run() -> SendResult:
        async with echo_client(_echo_401) as client:
            return await client.send(TEXT)

    result = asyncio.run(run())
    assert result.outcome is Outcome.REJECTED
    assert OPAQUE_TOKEN not in json.dumps(result.to_json()) + repr(result)


@pytest.mark.parametrize("flag", ["true", 1, None, "false"])
def test_a_2xx_with_a_success_flag_that_is_not_a_boolean_is_unknown_never_rejected(flag: Any) -> None:
    """Read as "rejected", a message the API probably took would invite a resend."""
    h = harness(ok({"success": flag, "data": {"messageId": "wamid.X", "status": "accepted"}}))
    result = h.send(TEXT)
    assert result.outcome is Outcome.UNKNOWN
    assert len(h.script.requests) == 1
    assert "may have been accepted" in (result.error_message or "")


def test_a_2xx_success_false_is_still_rejected() -> None:
    h = harness(ok({"success": False, "message": "nope", "error_code": "X"}))
    assert h.send(TEXT).outcome is Outcome.REJECTED


def test_success_without_a_message_id_is_accepted_not_resent() -> None:
    """The API said yes: it took the message even if it gave no id to follow (never "rejected")."""
    h = harness(ok({"success": True, "data": {}}))
    result = h.send(TEXT)
    assert result.outcome is Outcome.ACCEPTED
    assert result.message_id is None
    assert len(h.script.requests) == 1


def test_redirects_are_never_followed_so_the_token_never_travels() -> None:
    h = harness(
        lambda r: httpx.Response(307, headers={"Location": "https://evil.example/steal"}),
        ok(),
    )
    result = h.send(TEXT)
    assert [r.url.host for r in h.script.requests] == ["sandbox.whats91.invalid"]
    assert result.outcome is Outcome.REJECTED
    assert result.http_status == 307


def test_303_see_other_after_a_send_is_unknown() -> None:
    """303 answers a POST that was processed: the message may well be on its way."""
    h = harness(lambda r: httpx.Response(303, headers={"Location": "https://graph.whats91.com/x"}))
    result = h.send(TEXT)
    assert result.outcome is Outcome.UNKNOWN
    assert len(h.script.requests) == 1


@pytest.mark.parametrize(
    "url",
    ["http://localhost./api/v2", "http://LOCALHOST./", "https://graph.whats91.com:99999/api/v2"],
)
def test_check_base_url_refuses_fqdn_localhost_and_impossible_ports(url: str) -> None:
    with pytest.raises(ConfigError):
        check_base_url(url)


@pytest.mark.parametrize("timeout", [float("inf"), float("nan"), 0.0, -1.0])
def test_client_refuses_timeouts_that_are_not_positive_finite_numbers(timeout: float) -> None:
    with pytest.raises(ConfigError):
        Whats91Client(BASE, TOKEN, read_timeout=timeout)
    with pytest.raises(ConfigError):
        Whats91Client(BASE, TOKEN, connect_timeout=timeout)


def test_an_upload_that_grew_past_the_limit_after_validation_is_not_sent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("whats91_desktop.core.requests.UPLOAD_MAX_BYTES", 10)
    photo = tmp_path / "p.jpg"
    photo.write_bytes(b"x" * 11)
    h = harness(ok())
    result = h.send(MediaMessage(to=TO, media_type="image", file_path=photo))
    assert result.outcome is Outcome.INVALID
    assert "the limit is" in (result.error_message or "")  # the size at open, as validation says it
    assert h.script.requests == []


def test_an_upload_emptied_after_validation_is_not_sent(tmp_path: Path) -> None:
    photo = tmp_path / "p.jpg"
    photo.write_bytes(b"")
    h = harness(ok())
    assert h.send(MediaMessage(to=TO, media_type="image", file_path=photo)).outcome is Outcome.INVALID
    assert h.script.requests == []


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="no FIFOs here")
def test_a_fifo_or_directory_as_upload_is_refused_without_blocking(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.jpg"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.jpg"
    folder.mkdir()

    async def run() -> list[SendResult]:
        transport = httpx.MockTransport(lambda r: httpx.Response(200, json=ACCEPTED))
        async with Whats91Client(BASE, TOKEN, transport=transport) as client:
            sends = [
                client.send(MediaMessage(to=TO, media_type="image", file_path=p)) for p in (fifo, folder)
            ]
            return await asyncio.wait_for(asyncio.gather(*sends), timeout=5)

    results = asyncio.run(run())
    assert [r.outcome for r in results] == [Outcome.INVALID, Outcome.INVALID]
    assert "Not a file" in (results[0].error_message or "")  # validation's words: one check for both


def test_a_retry_after_a_connect_error_resends_the_bytes_read_the_first_time(tmp_path: Path) -> None:
    photo = tmp_path / "p.jpg"
    photo.write_bytes(b"first version")

    def refuse_and_change_the_file(request: httpx.Request) -> httpx.Response:
        photo.write_bytes(b"changed on disk meanwhile")
        raise httpx.ConnectError("refused")

    h = harness(refuse_and_change_the_file, ok())
    result = h.send(MediaMessage(to=TO, media_type="image", file_path=photo))
    assert result.outcome is Outcome.ACCEPTED
    first, second = (r.read() for r in h.script.requests)
    assert first == second
    assert b"first version" in second


def test_a_file_name_in_no_utf8_is_uploaded_with_replacement_characters(tmp_path: Path) -> None:
    import os

    try:
        path = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9.jpg"))
        path.write_bytes(b"123")
    except (OSError, UnicodeError):
        pytest.skip("this file system does not take undecodable names")
    h = harness(ok())
    result = h.send(MediaMessage(to=TO, media_type="image", file_path=path))
    assert result.outcome is Outcome.ACCEPTED
    assert 'filename="caf\xef\xbf\xbd.jpg"'.encode("latin-1") in h.script.requests[0].read()


@pytest.mark.parametrize(
    "message",
    [
        MediaMessage(to=TO, media_type="image", url="https://x.test/a.jpg", caption="bad \udcff"),
        MetaMessage(payload={"messaging_product": "whatsapp", "to": TO}, phone_number_id="1\udcff"),
        TextMessage(to=TO, text="bad \udcff"),
    ],
    ids=["json-media", "meta-path", "text"],
)
def test_text_with_no_utf8_form_is_invalid_not_an_exception(message: Any) -> None:
    h = harness(ok())
    result = h.send(message)
    assert result.outcome is Outcome.INVALID
    assert h.script.requests == []


def test_text_with_no_utf8_form_in_a_multipart_upload_is_invalid_not_an_exception(tmp_path: Path) -> None:
    photo = tmp_path / "p.jpg"
    photo.write_bytes(b"123")
    h = harness(ok())
    result = h.send(MediaMessage(to=TO, media_type="image", file_path=photo, caption="bad \udcff"))
    assert result.outcome is Outcome.INVALID
    assert h.script.requests == []


@pytest.mark.parametrize(
    "read",
    [
        lambda c: c.fetch_status("wamid.\udcff"),
        lambda c: c.list_templates(sender_id="\udcff"),
        lambda c: c.get_template("name\udcff"),
    ],
    ids=["status", "templates", "template"],
)
def test_reads_with_text_in_no_utf8_form_raise_validation_error_before_any_io(
    read: Callable[[Whats91Client], Awaitable[Any]],
) -> None:
    h = harness(ok())
    with pytest.raises(ValidationError):
        h.run(read)
    assert h.script.requests == []


def test_plain_http_to_loopback_never_goes_through_an_environment_proxy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An HTTP_PROXY would receive the unencrypted request, bearer token and all."""
    import contextlib
    import socket
    import threading

    proxy = socket.socket()
    proxy.bind(("127.0.0.1", 0))
    proxy.listen(1)
    seen: list[bytes] = []

    def accept() -> None:
        try:
            conn, _ = proxy.accept()
        except OSError:
            return
        with conn:
            conn.settimeout(2)
            with contextlib.suppress(OSError):
                seen.append(conn.recv(65536))

    threading.Thread(target=accept, daemon=True).start()
    proxy_url = f"http://127.0.0.1:{proxy.getsockname()[1]}"
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, proxy_url)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)

    from whats91_desktop.sandbox.server import serve_in_thread

    try:
        with serve_in_thread() as server:

            async def run() -> SendResult:
                async with Whats91Client(server.base_url, TOKEN, read_timeout=5) as client:
                    return await client.send(TextMessage(to=TO, text="hi"))

            result = asyncio.run(run())
    finally:
        proxy.close()
    assert result.outcome is Outcome.ACCEPTED, result.error_message
    assert not any(TOKEN.encode() in data for data in seen)
