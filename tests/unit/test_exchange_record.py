"""What a send looked like on the wire: captured by the client, kept as JSON, read back."""

from __future__ import annotations

import asyncio

import httpx

from tests.unit.test_client import TEXT, TOKEN, harness, ok, status
from whats91_desktop.core.exchange_record import ConnectTimer, exchange_json, read_exchange
from whats91_desktop.core.models import Outcome, ResponseHead, RetryNotice, SendResult


def test_a_send_keeps_its_waits_status_line_and_redacted_headers() -> None:
    h = harness(status(429, retry_after="1"), ok(headers={"X-Echo": f"Bearer {TOKEN}", "X-Request-Id": "r1"}))
    result = h.send(TEXT)
    assert result.outcome is Outcome.ACCEPTED
    assert result.retries == (
        RetryNotice(attempt=1, delay=1.0, reason="HTTP 429 (Retry-After 1s)", http_status=429),
    )
    head = result.response_head
    assert head is not None
    assert head.status_line == "HTTP/1.1 200 OK"
    headers = dict(head.headers)
    assert headers["x-request-id"] == "r1"
    assert TOKEN not in headers["x-echo"]  # a server echoing the token never reaches the log
    assert head.connect_seconds is None  # the mock transport opens no connection
    assert head.total_seconds is not None


def test_no_reply_means_no_head_but_the_waits_are_kept() -> None:
    h = harness(httpx.ConnectError("refused"), httpx.ReadTimeout("timed out"))
    result = h.send(TEXT)
    assert result.outcome is Outcome.UNKNOWN
    assert result.response_head is None
    assert [n.http_status for n in result.retries] == [None]


def test_the_record_round_trips_through_its_json() -> None:
    result = SendResult(
        outcome=Outcome.ACCEPTED,
        retries=(RetryNotice(1, 2.5, "HTTP 503 (Retry-After 2.5s)", 503),),
        response_head=ResponseHead("HTTP/1.1 200 OK", (("content-type", "application/json"),), 0.012, 0.034),
    )
    record = read_exchange(exchange_json(result))
    assert record is not None
    assert record.head == result.response_head
    assert record.retries == result.retries


def test_nothing_to_keep_and_unreadable_records_read_as_none() -> None:
    assert exchange_json(SendResult(outcome=Outcome.INVALID)) is None
    assert read_exchange(None) is None
    assert read_exchange("not json") is None
    assert read_exchange('{"head": {"headers": []}}') is None  # no status line


def test_the_connect_timer_adds_tcp_and_tls_and_ignores_the_rest() -> None:
    now = [0.0]
    timer = ConnectTimer(lambda: now[0])

    async def go() -> None:
        for name, at in (
            ("connection.connect_tcp.started", 1.0),
            ("connection.connect_tcp.complete", 1.25),
            ("connection.start_tls.started", 1.25),
            ("connection.start_tls.complete", 1.5),
            ("http11.send_request_headers.started", 1.5),
            ("http11.receive_response_headers.complete", 3.0),
        ):
            now[0] = at
            await timer.trace(name, {})

    asyncio.run(go())
    assert timer.connect_seconds == 0.5
