"""A stand-in for ``Whats91Client`` offering only what the outbox uses."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

import httpx

from whats91_desktop.core.models import OutgoingMessage, RetryNotice, SendResult

FAKE_TOKEN = "w91_live_fakeclient000000000000000000"


class FakeSendClient:
    """``build_request`` makes a real httpx.Request; ``send`` runs ``behaviour`` (or returns ``result``)."""

    def __init__(
        self,
        result: SendResult | None = None,
        *,
        behaviour: Callable[[OutgoingMessage], Awaitable[SendResult]] | None = None,
    ) -> None:
        self.result = result
        self.behaviour = behaviour
        self.sent: list[OutgoingMessage] = []
        self.requests: list[httpx.Request | None] = []

    def build_request(self, message: OutgoingMessage) -> httpx.Request:
        return httpx.Request(
            "POST",
            "https://sandbox.whats91.invalid/api/v2/chat",
            headers={"Authorization": f"Bearer {FAKE_TOKEN}", "Content-Type": "application/json"},
            content=json.dumps({"to": message.to, "type": message.kind}).encode(),
        )

    async def send(
        self,
        message: OutgoingMessage,
        *,
        on_retry: Callable[[RetryNotice], None] | None = None,
        request: httpx.Request | None = None,
    ) -> SendResult:
        self.sent.append(message)
        self.requests.append(request)
        if on_retry is not None:
            on_retry(RetryNotice(attempt=1, delay=0.0, reason="test"))
        if self.behaviour is not None:
            return await self.behaviour(message)
        assert self.result is not None
        return self.result
