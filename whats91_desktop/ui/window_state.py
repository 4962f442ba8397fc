"""The window's layout between sessions: geometry, splitters, columns, last profile, tab, sender.

Changes are debounced (a dragged splitter saves once, a second after it stops), adopted into
the settings at once and written by the settings thread. Closing the window saves at once.
"""

from __future__ import annotations

import base64
import contextlib
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QByteArray, QObject, QTimer
from PySide6.QtWidgets import QMainWindow

from whats91_desktop.core.errors import Whats91Error
from whats91_desktop.core.settings import with_active_profile, with_ui_state
from whats91_desktop.services.settings_writer import SettingsWriter
from whats91_desktop.ui.bridge import MessageBridge

UI_STATE_DEBOUNCE_MS = 1000
DEFAULT_SIZE = (1280, 820)


def restore_geometry(window: QMainWindow, state: Mapping[str, Any]) -> None:
    """The saved size and place, or the default size (a corrupt value is ignored)."""
    geometry = state.get("geometry")
    restored = False
    if isinstance(geometry, str):
        with contextlib.suppress(ValueError):
            restored = window.restoreGeometry(QByteArray(base64.b64decode(geometry)))
    if not restored:  # the default size, but never larger than the screen (a 1280×800 laptop)
        width, height = DEFAULT_SIZE
        screen = window.screen()
        if screen is not None:
            available = screen.availableGeometry()
            width, height = min(width, available.width()), min(height, available.height())
        window.resize(width, height)


class WindowStateKeeper(QObject):
    def __init__(
        self,
        window: QMainWindow,
        settings: SettingsWriter,
        bridge: MessageBridge,
        *,
        collect: Callable[[], dict[str, Any]],
        profile_name: Callable[[], str],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._settings = settings
        self._bridge = bridge
        self._collect = collect
        self._profile_name = profile_name
        self.closing = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(UI_STATE_DEBOUNCE_MS)
        self._timer.timeout.connect(self.save)

    def schedule(self, *_args: object) -> None:
        if not self.closing:
            self._timer.start()

    def state(self) -> dict[str, Any]:
        return {
            "geometry": base64.b64encode(bytes(self._window.saveGeometry().data())).decode("ascii"),
            "last_profile": self._profile_name(),
            **self._collect(),
        }

    def save(self) -> None:
        """Adopt the window state now; the settings thread writes it (atomically, in order)."""
        self._timer.stop()
        current = self._settings.current
        try:
            settings = with_ui_state(current, **self.state())
            if current.profile(self._profile_name()) is not None:
                settings = with_active_profile(settings, self._profile_name())
            if settings != current:
                self._settings.save(settings)
        except Whats91Error as err:
            self._bridge.report_warning(f"The window layout could not be saved: {err}")
