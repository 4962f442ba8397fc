"""How the window looks and speaks, set up once per window from the Preferences: the theme
(``ui.theme``) and the translator (``ui.i18n.translator``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from whats91_desktop.core.settings import PREFERENCES, Settings
from whats91_desktop.ui.i18n.translator import Translations
from whats91_desktop.ui.theme import ThemeController


@dataclass(frozen=True)
class Appearance:
    theme: ThemeController
    translations: Translations
    started_with: dict[str, Any] = field(default_factory=dict)
    """The restart-only preferences as they were when applied (Preferences compares with it)."""

    @classmethod
    def start(cls, app: QApplication, settings: Settings, owner: QObject) -> Appearance:
        """Apply the saved theme and language to ``app`` (before the panes are built, so that
        they are made in the right language). ``owner`` (the window) owns the translators and
        the theme's connection to the system: they end with it."""
        translations = Translations(app, owner)
        translations.use(settings.preference("language"))
        theme = ThemeController(app, settings.preference("theme"), owner)
        started = {s.name: settings.preference(s.name) for s in PREFERENCES if s.needs_restart}
        return cls(theme, translations, started)
