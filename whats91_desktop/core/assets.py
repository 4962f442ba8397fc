"""Where the app's assets are: the icon and the desktop files.

The top-level ``resources/`` folder of the checkout is their one source. Builds copy it into
the package as ``whats91_desktop/resources`` (``setup.py`` for the wheel and sdist, the
PyInstaller spec for the bundle), so an installed app finds it beside its code; a checkout
(``scripts/run``, an editable install) has no copy and reads ``resources/`` itself. Nothing
is committed twice, so no copy can drift.

Plain file paths rather than ``importlib.resources`` traversables: Qt opens assets by file
name, and all three layouts (checkout, wheel, one-folder bundle) are real directories.
"""

from __future__ import annotations

from pathlib import Path

APP_ID = "io.whats91.Desktop"
"""Reverse-DNS id: the .desktop file's name, the icon's name, the AppStream component id."""

ICON_SIZES: tuple[int, ...] = (16, 24, 32, 48, 64, 128, 256, 512)
"""The PNG sizes rendered from the SVG (what desktops, docks and the .deb ask for)."""

_PACKAGE_DIR = Path(__file__).resolve().parents[1]


def resources_dir() -> Path:
    """The installed copy (wheel, bundle) if there is one, else the checkout's ``resources/``."""
    installed = _PACKAGE_DIR / "resources"
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / "resources"


def icon_svg(root: Path | None = None) -> Path:
    """The icon's source, in the hicolor layout the .deb installs as it is."""
    return (root or resources_dir()) / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"


def icon_png(size: int, root: Path | None = None) -> Path:
    return (root or resources_dir()) / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
