from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from whats91_desktop.core.reply_body import ReplyTooLarge
from whats91_desktop.core.retry import (
    RetryPolicy,
    classify_exception,
    decide,
    delay_for,
    may_have_arrived,
    parse_retry_after,
    should_retry,
)

NOW = datetime(2026, 6, 5, 8, 0, 0, tzinfo=UTC)
REQUEST = httpx.Request("POST", "https://example.test/api/v2/chat")


# --------------------------------------------------------------------------- parse_retry_after


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2", 2.0),
        (" 120 ", 120.0),
        ("0", 0.0),
        ("1.5", 1.5),
        ("-5", 0.0),
        ("Fri, 05 Jun 2026 08:00:30 GMT", 30.0),
        ("Fri, 05 Jun 2026 07:59:00 GMT", 0.0),  # in the past
        (None, None),
        ("", None),
        ("   ", None),
        ("soon", None),
        ("nan", None),
        ("inf", None),
        ("1e3", None),
        ("2 seconds", None),
        ("9" * 400, None),  # overflows to infinity
        ("Fri, 99 Foo 2026 25:61:00 GMT", None),
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value, now=NOW) == expected


def test_parse_retry_after_date_without_zone_is_utc() -> None:
    value = "Fri, 05 Jun 2026 08:00:10 -0000"
    assert parse_retry_after(value, now=NOW) == pytest.approx(10.0)


def test_parse_retry_after_naive_now_is_taken_as_utc() -> None:
    assert parse_retry_after("Fri, 05 Jun 2026 08:00:10 GMT", now=NOW.replace(tzinfo=None)) == 10.0


def test_parse_retry_after_defaults_to_the_current_time() -> None:
    soon = datetime.now(UTC) + timedelta(seconds=60)
    value = soon.strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert 55.0 <= (parse_retry_after(value) or 0.0) <= 60.0


# --------------------------------------------------------------------------- classification


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (httpx.ConnectError("refused", request=REQUEST), "connect"),
        (httpx.ConnectTimeout("slow", request=REQUEST), "connect"),
        (httpx.PoolTimeout("pool", request=REQUEST), "connect"),
        (httpx.UnsupportedProtocol("ftp", request=REQUEST), "not_sent"),
        (httpx.ProxyError("407", request=REQUEST), "not_sent"),
        (httpx.ReadTimeout("read", request=REQUEST), "read_timeout"),
        (httpx.WriteTimeout("write", request=REQUEST), "interrupted"),
        (httpx.RemoteProtocolError("eof", request=REQUEST), "interrupted"),
        (httpx.ReadError("reset", request=REQUEST), "interrupted"),
        (httpx.WriteError("broken pipe", request=REQUEST), "interrupted"),
        (httpx.CloseError("close", request=REQUEST), "interrupted"),
        (httpx.LocalProtocolError("bad", request=REQUEST), "interrupted"),
        (httpx.DecodingError("gzip", request=REQUEST), "interrupted"),
        (RuntimeError("who knows"), "interrupted"),
    ],
)
def test_classify_exception(exc: BaseException, kind: str) -> None:
    assert classify_exception(exc) == kind


@pytest.mark.parametrize(
    ("kind", "arrived"),
    [("connect", False), ("not_sent", False), ("read_timeout", True), ("interrupted", True), ("http", True)],
)
def test_may_have_arrived(kind: str, arrived: bool) -> None:
    assert may_have_arrived(kind) is arrived  # type: ignore[arg-type]


# --------------------------------------------------------------------------- should_retry


@pytest.mark.parametrize("idempotent", [False, True])
def test_connect_failures_are_always_retryable(idempotent: bool) -> None:
    assert should_retry("connect", idempotent=idempotent)


@pytest.mark.parametrize("kind", ["interrupted", "not_sent"])
@pytest.mark.parametrize("idempotent", [False, True])
def test_interrupted_and_not_sent_are_never_retried(kind: str, idempotent: bool) -> None:
    assert not should_retry(kind, idempotent=idempotent)  # type: ignore[arg-type]


def test_read_timeout_is_retried_only_when_idempotent() -> None:
    assert should_retry("read_timeout", idempotent=True)
    assert not should_retry("read_timeout", idempotent=False)


@pytest.mark.parametrize(
    ("status", "retry_after", "expected"),
    [
        (429, 2.0, True),
        (503, 0.0, True),
        (429, None, False),
        (503, None, False),
        (500, 2.0, False),
        (502, 2.0, False),
        (400, 2.0, False),
    ],
)
def test_http_statuses_need_retry_after(status: int, retry_after: float | None, expected: bool) -> None:
    assert should_retry("http", idempotent=False, status=status, retry_after=retry_after) is expected


# --------------------------------------------------------------------------- delay_for


def test_delay_for_follows_the_connect_backoff_and_repeats_the_last_step() -> None:
    policy = RetryPolicy(jitter=0.0)
    assert [delay_for(policy, attempt=n) for n in (1, 2, 3, 4, 9)] == [0.5, 1.0, 2.0, 2.0, 2.0]


def test_delay_for_uses_retry_after_as_given_without_jitter() -> None:
    policy = RetryPolicy(jitter=0.5)
    assert delay_for(policy, attempt=1, retry_after=2.0, jitter_sample=0.99) == 2.0


@pytest.mark.parametrize(("sample", "expected"), [(0.0, 0.9), (0.5, 1.0), (0.999999, 1.1)])
def test_delay_for_jitter_stays_within_the_fraction(sample: float, expected: float) -> None:
    policy = RetryPolicy(connect_backoff=(1.0,), jitter=0.1)
    assert delay_for(policy, attempt=1, jitter_sample=sample) == pytest.approx(expected, abs=1e-4)


def test_delay_for_caps_backoff_at_max_delay() -> None:
    policy = RetryPolicy(connect_backoff=(100.0,), max_delay=20.0, jitter=0.0)
    assert delay_for(policy, attempt=1) == 20.0


# --------------------------------------------------------------------------- decide


def test_decide_retries_a_connect_error_with_backoff() -> None:
    decision = decide(RetryPolicy(jitter=0.0), kind="connect", attempt=1, elapsed=0.0, idempotent=False)
    assert decision.retry
    assert decision.delay == 0.5
    assert "connect" in decision.reason


def test_decide_stops_after_max_attempts() -> None:
    policy = RetryPolicy(max_attempts=3, jitter=0.0)
    assert decide(policy, kind="connect", attempt=2, elapsed=0.0, idempotent=False).retry
    final = decide(policy, kind="connect", attempt=3, elapsed=0.0, idempotent=False)
    assert not final.retry
    assert "3 attempts" in final.reason


def test_decide_one_attempt_policy_never_retries() -> None:
    policy = RetryPolicy(max_attempts=1)
    assert not decide(policy, kind="connect", attempt=1, elapsed=0.0, idempotent=True).retry


def test_decide_never_retries_a_read_timeout_on_a_send() -> None:
    decision = decide(RetryPolicy(), kind="read_timeout", attempt=1, elapsed=0.0, idempotent=False)
    assert not decision.retry
    assert "may have reached" in decision.reason


def test_decide_retries_a_read_timeout_on_a_get() -> None:
    assert decide(RetryPolicy(), kind="read_timeout", attempt=1, elapsed=0.0, idempotent=True).retry


def test_decide_honours_retry_after() -> None:
    decision = decide(
        RetryPolicy(), kind="http", attempt=1, elapsed=0.0, idempotent=False, status=429, retry_after=2.0
    )
    assert decision.retry
    assert decision.delay == 2.0
    assert decision.reason == "HTTP 429 (Retry-After 2s)"


def test_decide_429_without_retry_after_is_final() -> None:
    decision = decide(RetryPolicy(), kind="http", attempt=1, elapsed=0.0, idempotent=False, status=429)
    assert not decision.retry
    assert "without a usable Retry-After" in decision.reason


def test_decide_stops_when_retry_after_exceeds_what_is_left_of_the_budget() -> None:
    policy = RetryPolicy(max_total_seconds=30.0, max_delay=20.0)
    decision = decide(
        policy, kind="http", attempt=1, elapsed=15.0, idempotent=False, status=503, retry_after=16.0
    )
    assert not decision.retry
    assert "budget" in decision.reason
    assert "15s left" in decision.reason


def test_decide_stops_when_retry_after_exceeds_max_delay() -> None:
    policy = RetryPolicy(max_total_seconds=300.0, max_delay=20.0)
    decision = decide(
        policy, kind="http", attempt=1, elapsed=0.0, idempotent=False, status=429, retry_after=25.0
    )
    assert not decision.retry
    assert "25s exceeds the 20s wait limit" in decision.reason


def test_decide_stops_a_backoff_that_would_overrun_the_budget() -> None:
    policy = RetryPolicy(max_total_seconds=1.0, jitter=0.0)
    decision = decide(policy, kind="connect", attempt=2, elapsed=0.5, idempotent=False)
    assert not decision.retry  # 1.0 s backoff, 0.5 s left


def test_decide_retry_after_exactly_filling_the_budget_is_taken() -> None:
    policy = RetryPolicy(max_total_seconds=10.0, max_delay=20.0)
    decision = decide(
        policy, kind="http", attempt=1, elapsed=8.0, idempotent=False, status=429, retry_after=2.0
    )
    assert decision.retry
    assert decision.delay == 2.0


def test_policy_is_frozen() -> None:
    policy = RetryPolicy()
    with pytest.raises(AttributeError):
        policy.max_attempts = 5  # type: ignore[misc]


@pytest.mark.parametrize(
    ("error", "kind"),
    [(TimeoutError("deadline"), "deadline"), (ReplyTooLarge(4 * 1024 * 1024), "too_large")],
    ids=["deadline", "too-large"],
)
@pytest.mark.parametrize("idempotent", [True, False])
def test_a_passed_deadline_or_an_oversized_answer_may_have_arrived_and_is_never_retried(
    error: BaseException, kind: str, idempotent: bool
) -> None:
    found = classify_exception(error)
    assert found == kind
    assert may_have_arrived(found)
    assert not should_retry(found, idempotent=idempotent)
    decision = decide(RetryPolicy(), kind=found, attempt=1, elapsed=0.0, idempotent=idempotent)
    assert not decision.retry
    assert decision.reason == "not retried: the request may have reached the server"
