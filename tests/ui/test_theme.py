"""Light and dark: the scheme asked for is the scheme drawn, and every themed colour follows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from whats91_desktop.ui.compose.preview import BubblePreview
from whats91_desktop.ui.palette import ROLES, adapt, colour, is_dark, restyle_all, themed_style
from whats91_desktop.ui.theme import ThemeController


def _luminance(hex_colour: str) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    q = QColor(hex_colour)
    return 0.2126 * channel(q.red()) + 0.7152 * channel(q.green()) + 0.0722 * channel(q.blue())


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio (4.5 is the minimum for body text)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.fixture
def theme(qapp: QApplication) -> Iterator[ThemeController]:
    controller = ThemeController(qapp, "system")
    yield controller
    controller.apply("system")
    controller.deleteLater()


def test_dark_and_light_are_drawn_whatever_the_platform_does(theme: ThemeController) -> None:
    theme.apply("dark")
    assert is_dark()
    theme.apply("light")
    assert not is_dark()


def test_unknown_theme_is_refused(theme: ThemeController) -> None:
    with pytest.raises(ValueError, match="unknown theme"):
        theme.apply("sepia")


def test_themed_stylesheets_are_redrawn_in_the_other_scheme(theme: ThemeController, qtbot: Any) -> None:
    label = QLabel("hint")
    qtbot.addWidget(label)
    themed_style(label, "color: $muted;")
    assert ROLES["muted"][0] in label.styleSheet()
    theme.apply("dark")
    assert ROLES["muted"][1] in label.styleSheet()
    assert restyle_all() >= 1


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_preview_bubble_is_readable(theme: ThemeController, qtbot: Any, scheme: str) -> None:
    theme.apply(scheme)
    preview = BubblePreview()
    qtbot.addWidget(preview)
    assert colour("bubble") in preview.styleSheet()
    assert contrast(colour("bubble_text"), colour("bubble")) >= 4.5
    assert contrast(colour("bubble_meta"), colour("bubble")) >= 3.0
    assert contrast(colour("accent"), colour("bubble_button")) >= 3.0


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_text_role_is_readable_on_the_window(theme: ThemeController, scheme: str) -> None:
    theme.apply(scheme)
    window = QApplication.palette().color(QPalette.ColorRole.Window).name()
    text_roles = ("text", "muted", "problem", "alarm", "warning", "caution", "ok")
    poor = {r: round(contrast(colour(r), window), 1) for r in text_roles if contrast(colour(r), window) < 4.0}
    assert poor == {}
    for surface in ("surface", "error_surface", "warning_surface", "info_surface"):
        text = QApplication.palette().color(QPalette.ColorRole.WindowText).name()
        assert contrast(text, colour(surface)) >= 4.5, surface


def test_status_colours_are_lightened_on_a_dark_window(theme: ThemeController) -> None:
    assert adapt("#146b3a") == "#146b3a"
    theme.apply("dark")
    window = QApplication.palette().color(QPalette.ColorRole.Window).name()
    assert contrast(adapt("#146b3a"), window) > contrast("#146b3a", window)
    assert contrast(adapt("#146b3a"), window) >= 3.0


def test_problem_text_follows_the_scheme(theme: ThemeController, qtbot: Any) -> None:
    """Problem labels use a widget palette (cheaper than a stylesheet): it is repainted too."""
    from whats91_desktop.ui.compose.problems import ProblemLabel

    label = ProblemLabel()
    qtbot.addWidget(label)

    def shown() -> str:
        return label.palette().color(QPalette.ColorRole.WindowText).name()

    theme.apply("dark")
    qtbot.waitUntil(lambda: shown() == ROLES["problem"][1], timeout=2000)
    theme.apply("light")
    qtbot.waitUntil(lambda: shown() == ROLES["problem"][0], timeout=2000)
