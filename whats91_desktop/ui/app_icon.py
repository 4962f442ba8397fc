"""The application's icon and desktop identity, from the one set of assets in ``resources/``.

The PNG renderings rather than the SVG: they need no SVG icon engine (the bundle may leave
QtSvg out), and each size is drawn for its size. The desktop file name lets Wayland and the
taskbar match the window to ``io.whats91.Desktop.desktop`` and its icon.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication, QIcon

from whats91_desktop.core.assets import APP_ID, ICON_SIZES, icon_png


def app_icon() -> QIcon:
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(icon_png(size)), QSize(size, size))
    return icon


def set_app_identity(app: QGuiApplication) -> None:
    """The window icon of every window, and the .desktop entry they belong to."""
    app.setWindowIcon(app_icon())
    app.setDesktopFileName(APP_ID)
