"""The window's one template list: fetched for the profile and sender in use, shared by the rooms.

The compose pane's Template tab shows it; the Conversations reply and the Bulk mapping offer the
same list (they follow :attr:`TemplateTab.listed`). It is fetched when a room first wants it,
again on Refresh (or a template webhook), and again when the profile or the sender changes:
once for each, however often the rooms are shown. A list that arrives for a profile or sender
no longer in use is dropped.
"""

from __future__ import annotations

import qasync
from PySide6.QtCore import QObject, QTimer

from whats91_desktop.core.errors import Whats91Error
from whats91_desktop.core.models import Profile
from whats91_desktop.services.client_pool import ClientPool
from whats91_desktop.ui.compose.pane import ComposePane
from whats91_desktop.ui.i18n import tr

Key = tuple[str, str | None]
"""A profile's name and the sender id (None: the token's default)."""


class TemplateLoader(QObject):
    def __init__(self, clients: ClientPool, compose: ComposePane, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clients = clients
        self._compose = compose
        self._profile: Profile | None = None
        self._asked_for: Key | None = None
        """The profile and sender of the last list asked for (None until a room wants one)."""
        # A profile switch sets the sender, then the profile: the check waits for both.
        self._check = QTimer(self)
        self._check.setSingleShot(True)
        self._check.setInterval(0)
        self._check.timeout.connect(self._reload_if_stale)
        compose.templates_wanted.connect(self._on_wanted)

    def set_profile(self, profile: Profile) -> None:
        self._profile = profile
        self.context_changed()

    def context_changed(self) -> None:
        """The profile or the sender may have changed: a list already asked for is fetched again
        for the new pair (a list nobody wanted yet still waits for a room to want it)."""
        self._check.start()

    def _key(self) -> Key | None:
        return None if self._profile is None else (self._profile.name, self._compose.sender_id)

    def _reload_if_stale(self) -> None:
        if self._asked_for is not None and self._key() != self._asked_for:
            self._compose.template_tab.reload()

    @qasync.asyncSlot()
    async def _on_wanted(self) -> None:
        profile, key = self._profile, self._key()
        if profile is None or key is None:
            return
        self._asked_for = key
        try:
            client = await self._clients.client_for(profile)
            templates = await client.list_templates(key[1])
        except Whats91Error as err:
            if key == self._key():
                error = tr("The template list could not be read: %1").replace("%1", str(err))
                self._compose.set_templates(None, error)
            return
        if key == self._key():
            self._compose.set_templates(templates)
