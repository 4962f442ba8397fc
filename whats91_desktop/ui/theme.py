"""Light or dark: follow the system's colour scheme, or the user's choice in Preferences.

Qt 6.8+ lets an app ask for a scheme (``QStyleHints.setColorScheme``), but only some platform
styles honour it (Windows 11, macOS, recent GNOME); elsewhere — and offscreen — the palette
stays as it was. So the request is made, and if the palette drawn does not match it, the
window switches to the Fusion style with a palette of our own: the scheme asked for is the
scheme shown everywhere. ``QStyleHints.colorSchemeChanged`` re-applies "Follow the system"
when the desktop switches. Afterwards the themed stylesheets are re-rendered
(``palette.restyle_all``).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from whats91_desktop.ui.palette import is_dark, restyle_all

THEME_CHOICES = ("system", "light", "dark")


def dark_palette() -> QPalette:
    """Fusion's colours for a dark window, with enough contrast for disabled text and links."""
    p = QPalette()
    window, base, text = QColor("#202124"), QColor("#17181a"), QColor("#e8eaed")
    for role, value in (
        (QPalette.ColorRole.Window, window),
        (QPalette.ColorRole.WindowText, text),
        (QPalette.ColorRole.Base, base),
        (QPalette.ColorRole.AlternateBase, QColor("#2a2b2e")),
        (QPalette.ColorRole.ToolTipBase, QColor("#303134")),
        (QPalette.ColorRole.ToolTipText, text),
        (QPalette.ColorRole.PlaceholderText, QColor("#9aa0a6")),
        (QPalette.ColorRole.Text, text),
        (QPalette.ColorRole.Button, QColor("#303134")),
        (QPalette.ColorRole.ButtonText, text),
        (QPalette.ColorRole.BrightText, QColor("#ff8a80")),
        (QPalette.ColorRole.Light, QColor("#3c4043")),
        (QPalette.ColorRole.Midlight, QColor("#35363a")),
        (QPalette.ColorRole.Mid, QColor("#2a2b2e")),
        (QPalette.ColorRole.Dark, QColor("#111214")),
        (QPalette.ColorRole.Shadow, QColor("#000000")),
        (QPalette.ColorRole.Highlight, QColor("#8ab4f8")),
        (QPalette.ColorRole.HighlightedText, QColor("#202124")),
        (QPalette.ColorRole.Link, QColor("#8ab4f8")),
        (QPalette.ColorRole.LinkVisited, QColor("#c58af9")),
    ):
        p.setColor(role, value)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7f8388"))
    return p


class ThemeController(QObject):
    """Applies the Preferences' theme to ``app`` and keeps "system" in step with the desktop."""

    def __init__(self, app: QApplication, choice: str = "system", owner: QObject | None = None) -> None:
        super().__init__(owner or app)
        self._app = app
        self._choice = choice
        self._native_style = app.style().name()
        self._applying = False
        self._overridden = False
        """True while our Fusion palette stands in for a platform that ignored the request."""
        app.styleHints().colorSchemeChanged.connect(self._on_system_scheme_changed)
        self.apply(choice)

    @property
    def choice(self) -> str:
        return self._choice

    def wants_dark(self) -> bool:
        if self._choice == "system":
            return self._app.styleHints().colorScheme() == Qt.ColorScheme.Dark
        return self._choice == "dark"

    def apply(self, choice: str) -> None:
        """Show ``choice`` ("system", "light" or "dark") now; ValueError for anything else."""
        if choice not in THEME_CHOICES:
            raise ValueError(f"unknown theme {choice!r}")
        self._choice = choice
        was_dark = is_dark(self._app.palette())
        self._applying = True
        try:
            hints = self._app.styleHints()
            requested = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}
            if hasattr(hints, "setColorScheme"):  # Qt 6.8+; older ones get our palette below
                # Unknown hands the scheme back to the system (and tells us which it is).
                hints.setColorScheme(requested.get(choice, Qt.ColorScheme.Unknown))
            dark = self.wants_dark()
            if self._overridden:
                self._app.setStyle(self._native_style)
                self._app.setPalette(QPalette())  # an empty palette: the platform's own again
                self._overridden = False
            if is_dark(self._app.palette()) != dark:
                self._app.setStyle(QStyleFactory.create("Fusion"))
                self._app.setPalette(dark_palette() if dark else self._app.style().standardPalette())
                self._overridden = True
        finally:
            self._applying = False
        if is_dark(self._app.palette()) != was_dark:  # at start-up, usually nothing to redraw
            restyle_all()

    def _on_system_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self._choice == "system" and not self._applying:
            self.apply("system")
