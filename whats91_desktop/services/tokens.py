"""Tokens read from the keychain once per session, on the keychain thread.

The keychain is reached over D-Bus, which may block or even show an unlock prompt, so every
call runs on its own single thread (:meth:`TokenCache.run_keychain`). However many callers
want a profile's token at once (the wallet, the follower, a send), the keychain is read once.
A sandbox profile without a stored token uses the sandbox's global token.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import functools
from collections.abc import Callable, Iterable
from typing import ParamSpec, TypeVar

from whats91_desktop.core.errors import Whats91Error
from whats91_desktop.core.models import Profile
from whats91_desktop.core.secrets import SecretStore
from whats91_desktop.sandbox.constants import SANDBOX_TOKEN
from whats91_desktop.services.sandbox_profile import is_builtin_sandbox

P = ParamSpec("P")
T = TypeVar("T")


class TokenCache:
    def __init__(self, secrets: SecretStore, *, executor: concurrent.futures.Executor) -> None:
        self.secrets = secrets
        self._executor = executor
        self._tokens: dict[str, str | None] = {}
        """Tokens read (or written) this session; None: the profile has none."""
        self._reads: dict[str, asyncio.Future[str | None]] = {}

    async def run_keychain(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run a ``SecretStore`` call on the keychain thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(fn, *args, **kwargs))

    async def token_for(self, profile: Profile) -> str | None:
        """The profile's token (None when it has none)."""
        if is_builtin_sandbox(profile):
            return SANDBOX_TOKEN
        if profile.name not in self._tokens:
            reading = self._reads.get(profile.name)
            if reading is None:
                reading = asyncio.ensure_future(self.run_keychain(self.secrets.get, profile.name))
                self._reads[profile.name] = reading
                reading.add_done_callback(functools.partial(self._on_read, profile.name))
            token = await asyncio.shield(reading)
            self._tokens.setdefault(profile.name, token)
        return self._with_fallback(profile, self._tokens[profile.name])

    def _on_read(self, name: str, reading: asyncio.Future[str | None]) -> None:
        if self._reads.get(name) is reading:
            del self._reads[name]
        if not reading.cancelled() and reading.exception() is None:
            self._tokens.setdefault(name, reading.result())

    def cached(self, profile: Profile) -> str | None:
        """The token if it was read already; never touches the keychain."""
        if is_builtin_sandbox(profile):
            return SANDBOX_TOKEN
        return self._with_fallback(profile, self._tokens.get(profile.name))

    @staticmethod
    def _with_fallback(profile: Profile, token: str | None) -> str | None:
        if profile.sandbox and not token:
            return SANDBOX_TOKEN
        return token

    def remember(self, name: str, token: str | None) -> None:
        """Record what was just written to (or deleted from) the keychain for ``name``."""
        self._tokens[name] = token
        self._reads.pop(name, None)

    def forget(self, name: str) -> None:
        self._tokens.pop(name, None)
        self._reads.pop(name, None)

    async def preload(self, profiles: Iterable[Profile]) -> None:
        """Read the tokens of ``profiles`` (the status follower needs them without waiting)."""
        for profile in profiles:
            with contextlib.suppress(Whats91Error):
                await self.token_for(profile)
