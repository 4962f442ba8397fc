"""Everything the window needs, built once by ``app.py`` and passed down (no global registry).

The context owns the long-lived objects: one ``Whats91Client`` per profile (created on first
use, closed on quit), one in-process sandbox app whose state lives as long as the context, the
message store and the settings. Widgets receive the pieces they use through constructors.

Nothing here blocks the GUI thread. The keychain (D-Bus; it may even show an unlock prompt)
is only touched on the ``keychain`` worker thread, through :meth:`AppContext.load_token` and
:meth:`AppContext.run_keychain`. Settings are adopted at once and written (atomically, with
fsync) on the ``settings`` worker thread, one save after another in the order they were made;
:meth:`AppContext.aclose` waits for the last one, so a save on quit is never lost.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import functools
import logging
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, ParamSpec, TypeVar

from PySide6.QtCore import QObject, Signal

from whats91_desktop.core.client import Whats91Client, check_base_url
from whats91_desktop.core.errors import ConfigError, Whats91Error
from whats91_desktop.core.models import Profile, Sender
from whats91_desktop.core.outbox import Outbox
from whats91_desktop.core.paths import AppPaths
from whats91_desktop.core.secrets import SecretStore
from whats91_desktop.core.settings import Settings, SettingsStore, remember_sender
from whats91_desktop.core.store import AsyncMessageStore
from whats91_desktop.sandbox.app import SandboxApp, create_app
from whats91_desktop.sandbox.constants import (
    SANDBOX_BASE_URL,
    SANDBOX_SENDERS,
    SANDBOX_TOKEN,
    is_sandbox_url,
)
from whats91_desktop.sandbox.state import SandboxState
from whats91_desktop.sandbox.transport import sandbox_transport
from whats91_desktop.ui.bridge import MessageBridge
from whats91_desktop.ui.tasks import run_blocking

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

SANDBOX_PROFILE_NAME = "Sandbox"

SANDBOX_PROFILE = Profile(
    name=SANDBOX_PROFILE_NAME,
    base_url=SANDBOX_BASE_URL,
    default_sender=SANDBOX_SENDERS[0][0],
    senders=tuple(Sender(sender_id, phone_number_id) for sender_id, phone_number_id in SANDBOX_SENDERS),
    default_region="IN",
    sandbox=True,
)
"""The built-in profile: always there, never saved, talks to the in-process sandbox."""


class RowEvents(QObject):
    """Log rows changed outside the window's own sends (the status follower)."""

    changed = Signal(int)


def _worker(name: str) -> concurrent.futures.ThreadPoolExecutor:
    """One thread: its jobs run one at a time, in the order they were submitted."""
    return concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"whats91-{name}")


@dataclass
class AppContext:
    paths: AppPaths
    settings_store: SettingsStore
    settings: Settings
    secret_store: SecretStore
    store: AsyncMessageStore
    outbox: Outbox
    bridge: MessageBridge
    rows: RowEvents
    follower: Any = None
    """``core.followup.StatusFollower``; set by ``app.py`` right after construction."""
    notices: list[str] = field(default_factory=list)
    """Things the user must read once (a settings file moved aside, the keychain fallback)."""
    sandbox_state: SandboxState = field(default_factory=SandboxState)
    _sandbox_app: SandboxApp | None = None
    _sandbox_profile: Profile = SANDBOX_PROFILE
    _clients: dict[str, Whats91Client] = field(default_factory=dict)
    _closing: list[asyncio.Future[Any]] = field(default_factory=list)
    _tokens: dict[str, str | None] = field(default_factory=dict)
    """Tokens read from the keychain this session (None: the profile has none)."""
    _token_reads: dict[str, asyncio.Future[str | None]] = field(default_factory=dict)
    _keychain: concurrent.futures.ThreadPoolExecutor = field(default_factory=lambda: _worker("keychain"))
    _settings_writer: concurrent.futures.ThreadPoolExecutor = field(
        default_factory=lambda: _worker("settings")
    )
    _saves: set[asyncio.Future[None]] = field(default_factory=set)
    _sandbox_lock: threading.Lock = field(default_factory=threading.Lock)
    _closed: bool = False

    # ------------------------------------------------------------------ profiles

    def profile_names(self) -> list[str]:
        """User profiles in their saved order; the built-in sandbox is separate."""
        return [p.name for p in self.settings.profiles]

    def profile(self, name: str) -> Profile:
        """The profile called ``name`` (the built-in sandbox included); ConfigError if none."""
        found = self.settings.profile(name)
        if found is not None:
            return found
        if name == SANDBOX_PROFILE_NAME:
            return self._sandbox_profile
        raise ConfigError(f"no profile named {name!r}")

    def has_profile(self, name: str) -> bool:
        return name == SANDBOX_PROFILE_NAME or self.settings.profile(name) is not None

    def save_settings(self, settings: Settings, *, report: bool = True) -> asyncio.Future[None]:
        """Adopt ``settings`` now; write them on the settings worker (atomically, in order).

        Returns the write as a future: await it to learn of a ``ConfigError`` (invalid settings,
        a token where none may be, a disk error). With ``report`` a failure is also reported
        through the bridge, for callers that do not wait.
        """
        self.settings = settings
        loop = asyncio.get_event_loop()
        if self._closed:  # after aclose (the window is gone): nothing left to keep responsive
            future: asyncio.Future[None] = loop.create_future()
            try:
                self.settings_store.save(settings)
            except Whats91Error as err:
                future.set_exception(err)
            else:
                future.set_result(None)
        else:
            future = loop.run_in_executor(self._settings_writer, self.settings_store.save, settings)
        self._saves.add(future)
        future.add_done_callback(lambda done: self._on_save_done(done, report))
        return future

    def _on_save_done(self, future: asyncio.Future[None], report: bool) -> None:
        self._saves.discard(future)
        if future.cancelled():
            return
        error = future.exception()
        if error is None:
            return
        log.warning("settings not saved: %s", error)
        if not report:
            return  # the caller awaits the future and reports
        if isinstance(error, Whats91Error | OSError):
            self.bridge.report_warning(f"Settings could not be saved: {error}")
        else:  # a bug, not a disk or settings problem
            sys.excepthook(type(error), error, error.__traceback__)

    async def flush_settings(self) -> None:
        """Wait until every settings write made so far has finished (successfully or not)."""
        pending = list(self._saves)
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)

    def remember_sender(self, profile_name: str, sender: Sender) -> bool:
        """Record a sender (and its phoneNumberId) on the profile; True when something changed."""
        if self.settings.profile(profile_name) is None:
            if profile_name != SANDBOX_PROFILE_NAME:
                return False
            known = {s.sender_id: s for s in self._sandbox_profile.senders}
            old = known.get(sender.sender_id)
            if old is not None and (old.phone_number_id or not sender.phone_number_id):
                return False
            known[sender.sender_id] = Sender(sender.sender_id, sender.phone_number_id or None)
            self._sandbox_profile = replace(self._sandbox_profile, senders=tuple(known.values()))
            return True
        updated = remember_sender(self.settings, profile_name, sender)
        if updated is self.settings:
            return False
        self.save_settings(updated)  # written in the background; a failure is reported
        return True

    # ------------------------------------------------------------------ sandbox

    @property
    def sandbox_app(self) -> SandboxApp:
        """The one in-process sandbox of this context (its messages persist while the app runs)."""
        with self._sandbox_lock:  # clients are built on worker threads too
            if self._sandbox_app is None:
                self._sandbox_app = create_app(self.sandbox_state)
            return self._sandbox_app

    # ------------------------------------------------------------------ clients

    async def run_keychain(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run a ``SecretStore`` call on the keychain worker (D-Bus may block, or prompt)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._keychain, lambda: fn(*args, **kwargs))

    async def load_token(self, profile_name: str) -> str | None:
        """The profile's token, read from the keychain once per session (on the keychain worker)."""
        profile = self.profile(profile_name)
        if profile.name == SANDBOX_PROFILE_NAME:
            return SANDBOX_TOKEN
        if profile.name not in self._tokens:
            # One read per profile, however many callers wait for it (wallet, follower, a send).
            reading = self._token_reads.get(profile.name)
            if reading is None:
                reading = asyncio.ensure_future(self.run_keychain(self.secret_store.get, profile.name))
                self._token_reads[profile.name] = reading
                reading.add_done_callback(functools.partial(self._on_token_read, profile.name))
            token = await asyncio.shield(reading)
            self._tokens.setdefault(profile.name, token)
        token = self._tokens[profile.name]
        if profile.sandbox and not token:
            return SANDBOX_TOKEN
        return token

    def _on_token_read(self, profile_name: str, reading: asyncio.Future[str | None]) -> None:
        if self._token_reads.get(profile_name) is reading:
            del self._token_reads[profile_name]
        if not reading.cancelled() and reading.exception() is None:
            self._tokens.setdefault(profile_name, reading.result())

    def cached_token(self, profile_name: str) -> str | None:
        """The token if :meth:`load_token` has read it already; never touches the keychain."""
        if profile_name == SANDBOX_PROFILE_NAME:
            return SANDBOX_TOKEN
        token = self._tokens.get(profile_name)
        if not token and self.has_profile(profile_name) and self.profile(profile_name).sandbox:
            return SANDBOX_TOKEN
        return token

    def remember_token(self, profile_name: str, token: str | None) -> None:
        """Record what was just written to (or deleted from) the keychain for ``profile_name``."""
        self._tokens[profile_name] = token
        self._token_reads.pop(profile_name, None)

    def forget_token(self, profile_name: str) -> None:
        self._tokens.pop(profile_name, None)
        self._token_reads.pop(profile_name, None)

    async def preload_tokens(self) -> None:
        """Read every profile's token (the status follower needs them without waiting)."""
        for name in self.profile_names():
            with contextlib.suppress(Whats91Error):
                await self.load_token(name)

    async def client_for(self, profile_name: str) -> Whats91Client:
        """The profile's long-lived client (created on first use). ConfigError without a token."""
        client = self._clients.get(profile_name)
        if client is not None:
            return client
        token = await self.load_token(profile_name)
        if profile_name in self._clients:
            return self._clients[profile_name]
        profile = self.profile(profile_name)
        if not token:
            raise ConfigError(f"profile {profile_name!r} has no token: add one under Manage profiles…")
        # Building a client loads the CA bundle from disk (tens of ms): on a worker thread.
        made = await run_blocking(
            self.make_client,
            profile.base_url,
            token,
            connect_timeout=profile.connect_timeout,
            read_timeout=profile.read_timeout,
            sandbox=profile.sandbox,
        )
        existing = self._clients.get(profile_name)
        if existing is not None:  # another caller got there first: keep one client
            self._closing.append(asyncio.ensure_future(made.aclose()))
            return existing
        self._clients[profile_name] = made
        return made

    def client_or_none(self, profile_name: str) -> Whats91Client | None:
        """The client, or None when the profile is gone, has no token or its token is not read
        yet (the status follower's view: it runs on the GUI thread and must not wait). Builds the
        client here when the follower is the first to need it (the window normally was)."""
        client = self._clients.get(profile_name)
        if client is not None:
            return client
        try:
            return self._client_with(profile_name, self.cached_token(profile_name))
        except ConfigError:
            return None

    def _client_with(self, profile_name: str, token: str | None) -> Whats91Client:
        client = self._clients.get(profile_name)
        if client is not None:
            return client
        profile = self.profile(profile_name)
        if not token:
            raise ConfigError(f"profile {profile_name!r} has no token: add one under Manage profiles…")
        client = self.make_client(
            profile.base_url,
            token,
            connect_timeout=profile.connect_timeout,
            read_timeout=profile.read_timeout,
            sandbox=profile.sandbox,
        )
        self._clients[profile_name] = client
        return client

    def make_client(
        self,
        base_url: str,
        token: str,
        *,
        connect_timeout: float = 10.0,
        read_timeout: float = 30.0,
        sandbox: bool = False,
    ) -> Whats91Client:
        """A new client the caller owns (and closes); the sandbox URL goes to the in-process sandbox."""
        use_sandbox = sandbox or is_sandbox_url(base_url)
        return Whats91Client(
            SANDBOX_BASE_URL if use_sandbox else check_base_url(base_url),
            token,
            transport=sandbox_transport(self.sandbox_app) if use_sandbox else None,
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
        )

    def forget_client(self, profile_name: str) -> None:
        """Drop a profile's client (its settings or token changed); it is closed in the background."""
        client = self._clients.pop(profile_name, None)
        if client is not None:
            self._closing.append(asyncio.ensure_future(client.aclose()))

    async def aclose(self) -> None:
        """Finish the settings writes, close every client and the message store. Safe to call twice."""
        await self.flush_settings()
        self._closed = True
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            with contextlib.suppress(Exception):
                await client.aclose()
        pending, self._closing = self._closing, []
        for future in pending:
            with contextlib.suppress(Exception):
                await future
        with contextlib.suppress(Exception):
            await self.store.aclose()
        # Nothing is queued any more (the window is gone); a keychain call stuck on a prompt
        # must not keep the process alive.
        self._settings_writer.shutdown(wait=False)
        self._keychain.shutdown(wait=False, cancel_futures=True)

    # ------------------------------------------------------------------ notices

    def take_notices(self) -> list[str]:
        """The notices to show, once: later calls return only new ones."""
        notices, self.notices = self.notices, []
        return notices


ClientFactory = Callable[..., Whats91Client]
