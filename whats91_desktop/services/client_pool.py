"""One long-lived ``Whats91Client`` per profile: the only way anything gets a client.

The window, the profile dialog's token test, the status follower and the CLI all come here,
so timeouts (the profile's, whose defaults live on ``core.models.Profile``) and the
transport choice (the in-process sandbox for sandbox profiles, the network otherwise) are
decided in one place. Building a client loads the CA bundle from disk (tens of
milliseconds), so :meth:`ClientPool.client_for` builds it on a worker thread.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
from dataclasses import dataclass
from typing import Any

from whats91_desktop.core.client import Whats91Client
from whats91_desktop.core.errors import ConfigError
from whats91_desktop.core.models import Profile
from whats91_desktop.core.urls import check_base_url
from whats91_desktop.sandbox.constants import SANDBOX_BASE_URL, is_sandbox_url
from whats91_desktop.services.sandbox_runtime import SandboxRuntime
from whats91_desktop.services.tokens import TokenCache

RETIRE_SLACK_SECONDS = 30.0
"""Beyond a retired client's longest exchange: room for the bounded retry waits of a read."""


@dataclass(frozen=True)
class _Pooled:
    client: Whats91Client
    profile: Profile
    """What the client was built from: a changed profile gets a new client."""


def _no_token(profile: Profile) -> ConfigError:
    return ConfigError(f"profile {profile.name!r} has no token: add one under Manage profiles…")


class ClientPool:
    def __init__(
        self,
        tokens: TokenCache,
        sandbox: SandboxRuntime,
        *,
        executor: concurrent.futures.Executor,
    ) -> None:
        self._tokens = tokens
        self._sandbox = sandbox
        self._executor = executor
        self._pooled: dict[str, _Pooled] = {}
        self._closing: list[asyncio.Future[Any]] = []
        self._building: dict[str, tuple[Profile, asyncio.Future[Whats91Client]]] = {}
        self._retired: list[Whats91Client] = []
        """Forgotten clients waiting until whatever they carried has ended."""

    def build(self, profile: Profile, token: str) -> Whats91Client:
        """A new client the caller owns (and closes). Blocking: see :meth:`new_client`."""
        use_sandbox = profile.sandbox or is_sandbox_url(profile.base_url)
        return Whats91Client(
            SANDBOX_BASE_URL if use_sandbox else check_base_url(profile.base_url),
            token,
            transport=self._sandbox.transport() if use_sandbox else None,
            connect_timeout=profile.connect_timeout,
            read_timeout=profile.read_timeout,
        )

    async def new_client(self, profile: Profile, token: str) -> Whats91Client:
        """A client the caller owns, for a profile not saved yet (the token test)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self.build, profile, token)

    def _current(self, profile: Profile) -> Whats91Client | None:
        pooled = self._pooled.get(profile.name)
        if pooled is None:
            return None
        if pooled.profile != profile:  # edited since: the next caller gets a fresh client
            self.forget(profile.name)
            return None
        return pooled.client

    async def client_for(self, profile: Profile) -> Whats91Client:
        """The profile's long-lived client (built on first use). ConfigError without a token."""
        client = self._current(profile)
        if client is not None:
            return client
        # One build per profile, however many callers ask at once (wallet, panes, a send).
        building = self._building.get(profile.name)
        if building is None or building[0] != profile:
            building = (profile, asyncio.ensure_future(self._build_pooled(profile)))
            self._building[profile.name] = building
        try:
            return await asyncio.shield(building[1])
        finally:
            if building[1].done() and self._building.get(profile.name) is building:
                del self._building[profile.name]

    async def _build_pooled(self, profile: Profile) -> Whats91Client:
        token = await self._tokens.token_for(profile)
        if not token:
            raise _no_token(profile)
        made = await self.new_client(profile, token)
        existing = self._current(profile)
        if existing is not None:  # the follower built one meanwhile: keep one client
            self._closing.append(asyncio.ensure_future(made.aclose()))
            return existing
        self._pooled[profile.name] = _Pooled(made, profile)
        return made

    def cached_client(self, profile: Profile) -> Whats91Client | None:
        """The client without waiting: None when the token was not read yet (the follower's
        view, which runs on the GUI thread). Builds it here when the follower is first."""
        client = self._current(profile)
        if client is not None:
            return client
        token = self._tokens.cached(profile)
        if not token:
            return None
        client = self.build(profile, token)
        self._pooled[profile.name] = _Pooled(client, profile)
        return client

    def forget(self, name: str) -> None:
        """Drop a profile's client (its settings or token changed).

        New callers get a new client at once, but the old one may still carry a send or a read
        that started before the change: it is closed only once that has surely ended (after
        its longest possible exchange), never under a request in flight.
        """
        pooled = self._pooled.pop(name, None)
        if pooled is None:
            return
        client = pooled.client
        grace = client.connect_timeout + 2 * client.read_timeout + RETIRE_SLACK_SECONDS
        self._retired.append(client)
        asyncio.get_running_loop().call_later(grace, self._close_retired, client)

    def _close_retired(self, client: Whats91Client) -> None:
        if client in self._retired:
            self._retired.remove(client)
            self._closing.append(asyncio.ensure_future(client.aclose()))

    async def aclose(self) -> None:
        """Close every client. Safe to call twice."""
        pooled, self._pooled = list(self._pooled.values()), {}
        retired, self._retired = self._retired, []
        for client in [entry.client for entry in pooled] + retired:
            with contextlib.suppress(Exception):
                await client.aclose()
        pending, self._closing = self._closing, []
        for future in pending:
            with contextlib.suppress(Exception):
                await future
