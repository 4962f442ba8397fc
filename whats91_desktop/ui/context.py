"""Everything the window needs, built once by ``app.py`` and passed down (no global registry).

The context owns the long-lived objects: one ``Whats91Client`` per profile (created on first
use, closed on quit), one in-process sandbox app whose state lives as long as the context, the
message store and the settings. Widgets receive the pieces they use through constructors.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from PySide6.QtCore import QObject, Signal

from whats91_desktop.core.client import Whats91Client, check_base_url
from whats91_desktop.core.errors import ConfigError
from whats91_desktop.core.models import OutgoingMessage, Profile, Sender
from whats91_desktop.core.outbox import Outbox
from whats91_desktop.core.paths import AppPaths
from whats91_desktop.core.secrets import SecretStore
from whats91_desktop.core.settings import Settings, SettingsStore, remember_sender
from whats91_desktop.core.store import AsyncMessageStore
from whats91_desktop.sandbox.app import SandboxApp, create_app
from whats91_desktop.sandbox.constants import SANDBOX_BASE_URL, SANDBOX_SENDERS, SANDBOX_TOKEN
from whats91_desktop.sandbox.state import SandboxState
from whats91_desktop.sandbox.transport import sandbox_transport
from whats91_desktop.ui.bridge import MessageBridge

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


def is_sandbox_url(base_url: str) -> bool:
    return base_url.strip().rstrip("/") == SANDBOX_BASE_URL


class RowEvents(QObject):
    """Log rows changed outside the window's own sends (the status follower)."""

    changed = Signal(int)


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
    messages: dict[int, OutgoingMessage] = field(default_factory=dict)
    """Messages sent this session by row id, for "Send again" and "Copy as curl"."""
    _sandbox_app: SandboxApp | None = None
    _sandbox_profile: Profile = SANDBOX_PROFILE
    _clients: dict[str, Whats91Client] = field(default_factory=dict)
    _closing: list[asyncio.Future[Any]] = field(default_factory=list)

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

    def save_settings(self, settings: Settings) -> None:
        """Adopt and write ``settings`` (atomically); ConfigError if they cannot be saved."""
        self.settings = settings
        self.settings_store.save(settings)

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
        self.save_settings(updated)
        return True

    # ------------------------------------------------------------------ sandbox

    @property
    def sandbox_app(self) -> SandboxApp:
        """The one in-process sandbox of this context (its messages persist while the app runs)."""
        if self._sandbox_app is None:
            self._sandbox_app = create_app(self.sandbox_state)
        return self._sandbox_app

    # ------------------------------------------------------------------ clients

    def token_for(self, profile_name: str) -> str | None:
        profile = self.profile(profile_name)
        token = self.secret_store.get(profile.name) if profile.name != SANDBOX_PROFILE_NAME else None
        if profile.sandbox and not token:
            return SANDBOX_TOKEN
        return token

    def client_for(self, profile_name: str) -> Whats91Client:
        """The profile's long-lived client (created on first use). ConfigError without a token."""
        client = self._clients.get(profile_name)
        if client is not None:
            return client
        profile = self.profile(profile_name)
        token = self.token_for(profile_name)
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

    def client_or_none(self, profile_name: str) -> Whats91Client | None:
        """``client_for``, or None when the profile is gone or has no token (the follower's view)."""
        try:
            return self.client_for(profile_name)
        except ConfigError:
            return None

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
        """Close every client and the message store. Safe to call twice."""
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

    # ------------------------------------------------------------------ notices

    def take_notices(self) -> list[str]:
        """The notices to show, once: later calls return only new ones."""
        notices, self.notices = self.notices, []
        return notices


ClientFactory = Callable[..., Whats91Client]
