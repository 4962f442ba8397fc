"""Every scenario recipient of the README, through the in-process transport, on every send route."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest

from tests.helpers.sandbox_fixtures import RecordingSleep, post, run, sandbox_client
from whats91_desktop.sandbox.constants import (
    BLACKLISTED_RECIPIENT,
    DROPPED_RECIPIENT,
    QUEUED_RECIPIENT,
    RATE_LIMITED_ALWAYS_RECIPIENT,
    RATE_LIMITED_ODD_RECIPIENT,
    SERVER_ERROR_RECIPIENT,
    SLOW_RECIPIENT,
    UNAVAILABLE_ODD_RECIPIENT,
)
from whats91_desktop.sandbox.state import SandboxState


def _body(route: str, to: str) -> tuple[str, dict[str, Any]]:
    if route == "chat":
        return "/chat", {"to": to, "text": "hi"}
    if route == "send":
        return "/send", {"receiverId": to, "templateName": "welcome_message"}
    return "/messages", {"messaging_product": "whatsapp", "to": to, "type": "text", "text": {"body": "hi"}}


def _code(route: str, response: httpx.Response) -> str:
    payload = response.json()
    return str(payload["error"]["code"] if route == "messages" else payload["error_code"])


ROUTES = pytest.mark.parametrize("route", ["chat", "send", "messages"])


@ROUTES
def test_rate_limited_on_odd_requests(state: SandboxState, route: str) -> None:
    path, body = _body(route, RATE_LIMITED_ODD_RECIPIENT)
    statuses = []
    for _ in range(4):
        response = post(state, path, json=body)
        statuses.append(response.status_code)
        if response.status_code == 429:
            assert response.headers["retry-after"] == "1"
            assert _code(route, response) == "RATE_LIMITED"
    assert statuses == [429, 200, 429, 200]
    assert len(state.messages_to(RATE_LIMITED_ODD_RECIPIENT)) == 2
    assert len(state.sends_to(RATE_LIMITED_ODD_RECIPIENT)) == 4


@ROUTES
def test_always_rate_limited(state: SandboxState, route: str) -> None:
    path, body = _body(route, RATE_LIMITED_ALWAYS_RECIPIENT)
    for _ in range(3):
        response = post(state, path, json=body)
        assert response.status_code == 429
        assert response.headers["retry-after"] == "1"
    assert state.messages == []


@ROUTES
def test_unavailable_on_odd_requests(state: SandboxState, route: str) -> None:
    path, body = _body(route, UNAVAILABLE_ODD_RECIPIENT)
    first, second = post(state, path, json=body), post(state, path, json=body)
    assert (first.status_code, second.status_code) == (503, 200)
    assert first.headers["retry-after"] == "1"
    assert _code(route, first) == "SERVICE_UNAVAILABLE"
    assert len(state.messages) == 1


def test_counters_are_per_recipient(state: SandboxState) -> None:
    assert post(state, "/chat", json={"to": RATE_LIMITED_ODD_RECIPIENT, "text": "a"}).status_code == 429
    assert post(state, "/chat", json={"to": UNAVAILABLE_ODD_RECIPIENT, "text": "a"}).status_code == 503
    assert post(state, "/chat", json={"to": RATE_LIMITED_ODD_RECIPIENT, "text": "a"}).status_code == 200


@ROUTES
def test_server_error_with_html_body(state: SandboxState, route: str) -> None:
    path, body = _body(route, SERVER_ERROR_RECIPIENT)
    response = post(state, path, json=body)
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert response.text.lstrip().startswith("<!DOCTYPE html>")
    assert response.headers["x-request-id"]
    assert state.messages == []


@ROUTES
def test_blacklisted(state: SandboxState, route: str) -> None:
    path, body = _body(route, BLACKLISTED_RECIPIENT)
    response = post(state, path, json=body)
    assert response.status_code == 400
    assert _code(route, response) == "SANDBOX_RECIPIENT_BLACKLISTED"
    assert state.messages == []


def test_queued_on_meta_route(state: SandboxState) -> None:
    path, body = _body("messages", QUEUED_RECIPIENT)
    payload = post(state, path, json=body).json()
    assert payload["queued"] is True
    assert payload["status"] == "waiting_reconnect"
    assert payload["messages"] == []
    assert payload["queueUid"] == state.messages[-1].queue_uid


def test_queued_on_send_route(state: SandboxState) -> None:
    path, body = _body("send", QUEUED_RECIPIENT)
    data = post(state, path, json=body).json()["data"]
    assert (data["queued"], data["status"], data["messageId"], data["templateName"]) == (
        True,
        "waiting_reconnect",
        None,
        "welcome_message",
    )


@ROUTES
def test_slow_times_out_but_was_accepted_once(route: str) -> None:
    state = SandboxState(slow_seconds=5.0)
    path, body = _body(route, SLOW_RECIPIENT)

    async def go() -> None:
        async with sandbox_client(state, http_timeout=httpx.Timeout(5.0, read=0.05)) as client:
            started = time.monotonic()
            with pytest.raises(httpx.ReadTimeout):
                await client.post(path, json=body)
            assert time.monotonic() - started < 2

    run(go())
    assert len(state.sends_to(SLOW_RECIPIENT)) == 1
    assert len(state.messages_to(SLOW_RECIPIENT)) == 1
    assert state.sends_to(SLOW_RECIPIENT)[0].status_code is None  # the client gave up first


def test_slow_answers_after_slow_seconds() -> None:
    state = SandboxState(slow_seconds=0.2)

    async def go() -> httpx.Response:
        async with sandbox_client(state, http_timeout=5.0) as client:
            return await client.post("/chat", json={"to": SLOW_RECIPIENT, "text": "hi"})

    started = time.monotonic()
    response = run(go())
    assert time.monotonic() - started >= 0.2
    assert response.status_code == 200
    assert response.json()["data"]["status"] == "accepted"


def test_slow_uses_the_injected_sleep(sleeps: RecordingSleep) -> None:
    state = SandboxState(sleep=sleeps)
    assert post(state, "/chat", json={"to": SLOW_RECIPIENT, "text": "hi"}).status_code == 200
    assert sleeps.calls == [40.0]


def test_slow_without_read_timeout_waits() -> None:
    state = SandboxState(slow_seconds=0.05)
    response = post(state, "/chat", json={"to": SLOW_RECIPIENT, "text": "hi"}, timeout=None)
    assert response.status_code == 200


@ROUTES
def test_dropped_connection(state: SandboxState, route: str) -> None:
    path, body = _body(route, DROPPED_RECIPIENT)
    with pytest.raises(httpx.RemoteProtocolError, match=r"Server disconnected without sending a response\."):
        post(state, path, json=body)
    [record] = state.sends_to(DROPPED_RECIPIENT)
    assert record.status_code is None
    assert len(state.messages_to(DROPPED_RECIPIENT)) == 1


def test_transport_can_be_reused_after_failures(state: SandboxState) -> None:
    async def go() -> list[int]:
        codes = []
        async with sandbox_client(state, http_timeout=httpx.Timeout(5.0, read=0.05)) as client:
            for to in (DROPPED_RECIPIENT, SLOW_RECIPIENT, "918888888888"):
                try:
                    codes.append((await client.post("/chat", json={"to": to, "text": "x"})).status_code)
                except httpx.TransportError:
                    codes.append(0)
        return codes

    assert run(go()) == [0, 0, 200]
    assert len(state.requests) == 3


def test_concurrent_requests_are_independent(state: SandboxState) -> None:
    async def go() -> list[int]:
        async with sandbox_client(state) as client:
            replies = await asyncio.gather(
                *(client.post("/chat", json={"to": f"9188888888{n:02d}", "text": "x"}) for n in range(10))
            )
        return [r.status_code for r in replies]

    assert run(go()) == [200] * 10
    assert len({m.wamid for m in state.messages}) == 10


def test_ids_are_reproducible_with_a_seed() -> None:
    def ids() -> tuple[str, str, str]:
        state = SandboxState(seed=42, clock=lambda: 1_780_000_000.0)
        response = post(state, "/chat", json={"to": "918888888888", "text": "x"})
        data = response.json()["data"]
        return data["messageId"], data["reportUid"], response.headers["x-request-id"]

    assert ids() == ids()
