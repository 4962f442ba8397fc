"""What a changed preference does at once, and which changes wait for a restart.

The settings writer has already adopted the new value, so anything that reads settings when it
needs them follows by itself: the sandbox profile takes the region and timeouts from them
(``ProfilesService.find``), so its next client is built with the new timeouts while a request in
flight keeps its own; a send reads ``confirm_production_first_send`` when it starts. What holds
a copy is told here: the theme, the translator, the status follower.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from whats91_desktop.core.settings import PREFERENCES, Settings
from whats91_desktop.services.follower import StatusFollower
from whats91_desktop.ui.i18n import tr
from whats91_desktop.ui.i18n.translator import Translations
from whats91_desktop.ui.theme import ThemeController


class PreferenceEffects:
    def __init__(
        self,
        *,
        theme: ThemeController,
        translations: Translations,
        follower: StatusFollower,
        started_with: Mapping[str, Any],
    ) -> None:
        self._theme = theme
        self._translations = translations
        self._follower = follower
        self._started_with = dict(started_with)
        """The values of the restart-only preferences when the window was built."""

    def apply(self, name: str, value: Any) -> None:
        if name == "theme":
            self._theme.apply(value)
        elif name == "language":
            self._translations.use(value)  # dialogs opened from now on speak it
        elif name == "status_poll_max_minutes":
            self._follower.set_max_age(float(value) * 60.0)

    def pending_restart(self, settings: Settings) -> list[str]:
        """Titles of the preferences changed since start-up that only a restart applies."""
        return [
            tr(spec.title)
            for spec in PREFERENCES
            if spec.needs_restart and settings.preference(spec.name) != self._started_with.get(spec.name)
        ]
