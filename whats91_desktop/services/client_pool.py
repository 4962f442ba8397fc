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
        token = await self._tokens.token_for(profile)
        if not token:
            raise _no_token(profile)
        made = await self.new_client(profile, token)
        existing = self._current(profile)
        if existing is not None:  # another caller got there first: keep one client
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
        """Drop a profile's client (its settings or token changed); closed in the background."""
        pooled = self._pooled.pop(name, None)
        if pooled is not None:
            self._closing.append(asyncio.ensure_future(pooled.client.aclose()))

    async def aclose(self) -> None:
        """Close every client. Safe to call twice."""
        pooled, self._pooled = list(self._pooled.values()), {}
        for entry in pooled:
            with contextlib.suppress(Exception):
                await entry.client.aclose()
        pending, self._closing = self._closing, []
        for future in pending:
            with contextlib.suppress(Exception):
                await future
