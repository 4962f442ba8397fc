"""Shared helpers for driving the sandbox from tests (no pytest-asyncio: plain ``asyncio.run``)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Coroutine
from typing import Any, TypeVar

import httpx

from whats91_desktop.sandbox.app import create_app
from whats91_desktop.sandbox.constants import SANDBOX_BASE_URL, SANDBOX_TOKEN
from whats91_desktop.sandbox.state import SandboxState
from whats91_desktop.sandbox.transport import sandbox_transport

T = TypeVar("T")

START = 1_780_000_000.0  # 2026-05-28T20:26:40Z


class FakeClock:
    """A clock that only moves when told: ``clock.advance(2)``."""

    def __init__(self, start: float = START) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class RecordingSleep:
    """An ``asyncio.sleep`` stand-in that records the delays and returns at once."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        await asyncio.sleep(0)


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def bearer(token: str = SANDBOX_TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@contextlib.asynccontextmanager
async def sandbox_client(
    state: SandboxState | None = None,
    *,
    token: str | None = SANDBOX_TOKEN,
    http_timeout: httpx.Timeout | float | None = 5.0,
) -> AsyncIterator[httpx.AsyncClient]:
    """An ``httpx.AsyncClient`` wired to the in-process sandbox; ``token=None`` sends no header."""
    app = create_app(state if state is not None else SandboxState())
    headers = bearer(token) if token else {}
    async with httpx.AsyncClient(
        transport=sandbox_transport(app), base_url=SANDBOX_BASE_URL, headers=headers, timeout=http_timeout
    ) as client:
        yield client


def request(
    state: SandboxState,
    method: str,
    path: str,
    *,
    token: str | None = SANDBOX_TOKEN,
    timeout: httpx.Timeout | float | None = 5.0,
    **kwargs: Any,
) -> httpx.Response:
    """One request through the in-process transport, from synchronous test code."""

    async def go() -> httpx.Response:
        async with sandbox_client(state, token=token, http_timeout=timeout) as client:
            return await client.request(method, path, **kwargs)

    return run(go())


def post(state: SandboxState, path: str, **kwargs: Any) -> httpx.Response:
    return request(state, "POST", path, **kwargs)


def get(state: SandboxState, path: str, **kwargs: Any) -> httpx.Response:
    return request(state, "GET", path, **kwargs)
