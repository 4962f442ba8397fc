"""Which language the window speaks: the Preferences' choice, else the system's.

The app's own words come from ``whats91_desktop_<lang>.qm`` beside this module (compiled from
``resources/translations/*.ts`` and committed: building a wheel needs no Qt tool), Qt's own
(standard buttons, context menus of text fields) from ``qtbase_<lang>.qm`` in the Qt
installation when it has one. The layout direction follows the language, so a right-to-left
language mirrors the window.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, Qt, QTranslator
from PySide6.QtGui import QGuiApplication

APP_CATALOGUE = "whats91_desktop"
SOURCE_LANGUAGE = "en"


def catalogue_dir() -> Path:
    """Where the compiled ``.qm`` files are (a folder of the installed package)."""
    return Path(str(resources.files("whats91_desktop.ui.i18n")))


def available_languages() -> tuple[str, ...]:
    """English (the source text) and every language a ``.qm`` ships for."""
    found = catalogue_dir().glob(APP_CATALOGUE + "_*.qm")
    return (SOURCE_LANGUAGE, *sorted(p.stem.removeprefix(APP_CATALOGUE + "_") for p in found))


def resolve_language(choice: str, system: QLocale | None = None) -> str:
    """The language to use for the Preferences' ``choice``: itself, or for "system" the first of
    the desktop's languages that has a translation (English when none has)."""
    if choice != "system":
        return choice
    locale = system or QLocale.system()
    have = set(available_languages())
    for name in locale.uiLanguages():
        language = name.replace("-", "_").split("_")[0].lower()
        if language in have:
            return language
    return SOURCE_LANGUAGE


class Translations:
    """The translators installed on the application, replaced as a whole by :meth:`use`."""

    def __init__(self, app: QGuiApplication, owner: QObject) -> None:
        self._app = app
        self._owner = owner
        """The translators are its children: they leave the app with it (a window, in tests)."""
        self._installed: list[QTranslator] = []
        self.language = SOURCE_LANGUAGE

    def use(self, choice: str) -> str:
        """Install the translation for ``choice`` ("system", "en", "es", …); returns the language
        now in use. Widgets made from now on speak it; the window already built keeps its words
        until restarted (hence ``needs_restart`` on the setting)."""
        for translator in self._installed:
            self._app.removeTranslator(translator)
        self._installed = []
        language = resolve_language(choice)
        if language != SOURCE_LANGUAGE:
            self._load(f"{APP_CATALOGUE}_{language}", str(catalogue_dir()))
            self._load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
        self.language = language if self._installed or language == SOURCE_LANGUAGE else SOURCE_LANGUAGE
        rtl = QLocale(self.language).textDirection() == Qt.LayoutDirection.RightToLeft
        self._app.setLayoutDirection(
            Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
        )
        return self.language

    def _load(self, name: str, folder: str) -> None:
        translator = QTranslator(self._owner)
        if translator.load(name, folder):
            self._app.installTranslator(translator)
            self._installed.append(translator)
