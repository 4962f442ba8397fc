"""The window's named colours, each with a light and a dark value.

Hard-coded colours were written for a light window; on a dark one, grey hints vanish and pale
boxes carry white text. Every colour the ui sets itself comes from here, by role, so both
schemes stay readable and a new colour gets its dark value in the same place. Which scheme is
in use is read from the application's palette at the moment of asking (``ui.theme`` sets it),
so there is no second copy of that state.

Stylesheets set with :func:`themed_style` are kept as templates (``$muted``) and re-rendered by
:func:`restyle_all` when the scheme changes; HTML the panes build (the log's detail, the
preview's body) takes :func:`colour` each time it is rendered.
"""

from __future__ import annotations

from functools import cache
from string import Template

from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

ROLES: dict[str, tuple[str, str]] = {
    # text
    "text": ("#202124", "#e8eaed"),
    "muted": ("#5f6368", "#9aa0a6"),
    "hint": ("#8a8a8a", "#9aa0a6"),
    "pending": ("#b8bcc2", "#6f7378"),
    "problem": ("#c5221f", "#f28b82"),
    "alarm": ("#b00020", "#ff8a80"),
    "warning": ("#8a5a00", "#fdd663"),
    "caution": ("#b06000", "#fcad70"),
    "ok": ("#1e6b3a", "#81c995"),
    "inactive": ("#80868b", "#9aa0a6"),
    # surfaces (with the default text colour of the same scheme on them)
    "surface": ("#f1f3f4", "#303134"),
    "border": ("#d0d0d0", "#5f6368"),
    "error_surface": ("#fdecea", "#3c1f1e"),
    "error_border": ("#f5c2c0", "#8c2f2b"),
    "warning_surface": ("#fff3e0", "#3d2e14"),
    "warning_border": ("#f3d19e", "#8a6418"),
    "info_surface": ("#e8f0fe", "#1c2b41"),
    "info_border": ("#c6dafc", "#35507a"),
    # the WhatsApp-style preview (WhatsApp's own light and dark chat colours)
    "chat": ("#efeae2", "#0b141a"),
    "bubble": ("#d9fdd3", "#005c4b"),
    "bubble_text": ("#111b21", "#e9edef"),
    "bubble_meta": ("#667781", "#a5b3ba"),
    "bubble_button": ("#ffffff", "#202c33"),
    "accent": ("#008069", "#00a884"),
    "media_text": ("#54656f", "#aebac1"),
    "unfilled": ("#ffe08a", "#7a5c00"),
    "unfilled_text": ("#5f4b00", "#ffe08a"),
}

_TEMPLATE_PROPERTY = "themedStyle"


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether the window background is dark (the scheme actually drawn, whatever was asked)."""
    if palette is None:
        palette = QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def colour(role: str) -> str:
    """The role's colour for the scheme in use (KeyError for an unknown role)."""
    light, dark = ROLES[role]
    return dark if is_dark() else light


def adapt(hex_colour: str) -> str:
    """A data colour (a status dot, a stripe) made to stand out on a dark background too: on a
    dark window, a colour darker than mid-grey is lightened; on a light one it is unchanged."""
    if not is_dark():
        return hex_colour
    c = QColor(hex_colour)
    if c.lightness() >= 140:
        return hex_colour
    return c.lighter(100 + (150 - c.lightness())).name()


def render(template: str) -> str:
    """``template`` with every ``$role`` replaced by the role's colour for the scheme in use."""
    return _rendered(template, is_dark())


@cache
def _rendered(template: str, dark: bool) -> str:
    """Cached: the window styles some sixty widgets from a dozen templates while it opens, on
    the GUI thread, and the roles are constants."""
    return Template(template).substitute({role: pair[1 if dark else 0] for role, pair in ROLES.items()})


def themed_style(widget: QWidget, template: str) -> None:
    """Set ``widget``'s stylesheet from ``template`` (``"color: $muted;"``) and keep the template,
    so :func:`restyle_all` redraws it in the other scheme. An empty template clears it.

    A stylesheet that is already the widget's is not set again: Qt re-polishes the widget on
    every ``setStyleSheet``, equal or not, and the compose pane re-states its fields' styles
    on each keystroke and each send (5 % of the GUI thread in the window's send benchmark)."""
    widget.setProperty(_TEMPLATE_PROPERTY, template)
    sheet = render(template) if template else ""
    if widget.styleSheet() != sheet:
        widget.setStyleSheet(sheet)


def restyle_all() -> int:
    """Re-render every themed stylesheet (after a scheme change); returns how many."""
    count = 0
    for widget in QApplication.allWidgets():
        template = widget.property(_TEMPLATE_PROPERTY)
        if isinstance(template, str) and template:
            widget.setStyleSheet(render(template))
            count += 1
    return count
