"""What the composition root hands out: the services of a process, already wired.

``Services`` is what every front end needs (the CLI and the window); ``DesktopServices``
adds the message log's long-lived parts, which only the window keeps open for a session
(the CLI opens the log for one send and closes it again).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from whats91_desktop.core.outbox import Outbox
from whats91_desktop.core.paths import AppPaths
from whats91_desktop.core.secrets import SecretStore
from whats91_desktop.core.store import AsyncMessageStore
from whats91_desktop.services.bulk.service import BulkService
from whats91_desktop.services.client_pool import ClientPool
from whats91_desktop.services.executors import Executors
from whats91_desktop.services.follower import StatusFollower
from whats91_desktop.services.messages import UserMessages
from whats91_desktop.services.profiles import ProfilesService
from whats91_desktop.services.sandbox_runtime import SandboxRuntime
from whats91_desktop.services.settings_writer import SettingsWriter
from whats91_desktop.services.tokens import TokenCache
from whats91_desktop.services.topic import Topic
from whats91_desktop.services.webhooks.hub import WebhookHub


@dataclass(frozen=True)
class Services:
    paths: AppPaths
    executors: Executors
    messages: UserMessages
    settings: SettingsWriter
    secrets: SecretStore
    tokens: TokenCache
    sandbox: SandboxRuntime
    clients: ClientPool
    profiles: ProfilesService
    notices: list[str] = field(default_factory=list)
    """Things the user must read once (a file moved aside, the keychain fallback)."""

    def take_notices(self) -> list[str]:
        """The notices to show, once: later calls return only new ones."""
        taken = list(self.notices)
        self.notices.clear()
        return taken


@dataclass(frozen=True)
class DesktopServices:
    services: Services
    store: AsyncMessageStore
    outbox: Outbox
    follower: StatusFollower
    row_changes: Topic[int]
    """Log rows changed outside the window's own sends (the status follower, webhooks)."""
    webhooks: WebhookHub
    """The local webhook receiver and what its deliveries do (listens only when started)."""
    bulk: BulkService
    """Bulk jobs: audience, dry run, plan, run, resume, roll-up, export (the Bulk pane)."""

    async def aclose(self) -> None:
        """Finish the settings writes, close every client and the store. Safe to call twice."""
        await self.services.settings.aclose()
        await self.webhooks.aclose()
        await self.bulk.aclose()
        await self.services.sandbox.state.stop_webhooks()
        await self.services.clients.aclose()
        with contextlib.suppress(Exception):
            await self.store.aclose()
