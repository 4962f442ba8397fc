"""The Messages room: compose on the left, the message log on the right.

The saved requests (``ui/workbench``), when shown, sit beside the composer. Side by side needs
about 1,100 px (1,300 with the saved requests); narrower (a laptop, half a screen) the log goes
below the compose pane instead of the window refusing to shrink. Each orientation remembers its own
splitter sizes, and all of it is part of the saved window state.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QSplitter, QTabWidget, QVBoxLayout, QWidget

from whats91_desktop.core.models import Profile
from whats91_desktop.services.container import DesktopServices
from whats91_desktop.ui.bridge import MessageBridge
from whats91_desktop.ui.compose.pane import ComposePane
from whats91_desktop.ui.compose.template_loader import TemplateLoader
from whats91_desktop.ui.log.pane import LogPane
from whats91_desktop.ui.panes import Pane
from whats91_desktop.ui.workbench import Workbench

_DEFAULT_SIZES = {"h": [520, 760], "v": [430, 400]}


def _sizes(value: object) -> list[int] | None:
    """A saved pair of splitter sizes, or None when the saved value is not one."""
    if isinstance(value, list) and len(value) == 2 and all(isinstance(n, int) and n > 0 for n in value):
        return [int(n) for n in value]
    return None


class MessagesPane(Pane):
    pane_title = "Messages"

    layout_changed = Signal()
    """A splitter moved, a column changed or another tab was chosen: the window saves its state."""

    def __init__(self, desk: DesktopServices, bridge: MessageBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messagesPane")
        self.compose = ComposePane(self)
        self.log_pane = LogPane(desk.store, bridge, self)
        self.workbench = Workbench(desk, bridge, self.compose, self.log_pane, self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.workbench.column)  # the saved requests beside the composer
        self.splitter.addWidget(self.log_pane)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setMinimumWidth(
            max(self.workbench.column.minimumSizeHint().width(), self.log_pane.minimumSizeHint().width())
        )
        self._splitter_sizes: dict[str, list[int]] = {}
        self.templates = TemplateLoader(desk.services.clients, self.compose, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        self.splitter.splitterMoved.connect(self._on_layout_changed)
        self.log_pane.splitter.splitterMoved.connect(self._on_layout_changed)
        self.log_pane.columns_changed.connect(self._on_layout_changed)
        tabs = self.compose_tabs()
        if tabs is not None:
            tabs.currentChanged.connect(self._on_layout_changed)
        self.workbench.layout_changed.connect(self._on_workbench_layout_changed)

    def compose_tabs(self) -> QTabWidget | None:
        return self.compose.findChild(QTabWidget, "messageTypeTabs")

    def on_profile_changed(self, profile: Profile) -> None:
        self.templates.set_profile(profile)
        self.compose.set_region(profile.default_region)
        self.workbench.on_profile_changed(profile)

    def shutdown(self) -> None:
        self.workbench.shutdown()
        self.log_pane.shutdown()

    # ------------------------------------------------------------------ state

    def restore_state(self, state: Mapping[str, Any]) -> None:
        for key, orientation in (("splitter", "h"), ("splitter_vertical", "v")):
            sizes = _sizes(state.get(key))
            if sizes is not None:
                self._splitter_sizes[orientation] = sizes
        self.splitter.setSizes(self._splitter_sizes.get("h", _DEFAULT_SIZES["h"]))
        self._update_orientation()
        self.log_pane.restore_column_state(state.get("log_columns"))
        log_sizes = _sizes(state.get("log_splitter"))
        if log_sizes is not None:
            self.log_pane.splitter.setSizes(log_sizes)
        tab = state.get("last_tab")
        tabs = self.compose_tabs()
        if tabs is not None and isinstance(tab, int) and 0 <= tab < tabs.count():
            tabs.setCurrentIndex(tab)
        self.workbench.restore_state(state.get("workbench"))

    def state(self) -> dict[str, Any]:
        self._remember_splitter_sizes()
        tabs = self.compose_tabs()
        return {
            "splitter": self._splitter_sizes.get("h"),
            "splitter_vertical": self._splitter_sizes.get("v"),
            "last_tab": tabs.currentIndex() if tabs is not None else None,
            "log_columns": self.log_pane.column_state(),
            "log_splitter": [int(n) for n in self.log_pane.splitter.sizes()],
            "workbench": self.workbench.state(),
        }

    def _on_layout_changed(self, *_args: object) -> None:
        self._remember_splitter_sizes()
        self.layout_changed.emit()

    def _on_workbench_layout_changed(self) -> None:
        self._update_orientation()  # the saved requests take room beside the composer
        self._on_layout_changed()

    def _orientation_key(self) -> str:
        return "h" if self.splitter.orientation() == Qt.Orientation.Horizontal else "v"

    def _remember_splitter_sizes(self) -> None:
        sizes = _sizes([int(n) for n in self.splitter.sizes()])
        if sizes is not None:
            self._splitter_sizes[self._orientation_key()] = sizes

    def side_by_side_width(self) -> int:
        """The width below which compose and log are stacked instead of side by side."""
        return (
            self.workbench.column.minimumSizeHint().width()
            + self.log_pane.minimumSizeHint().width()
            + self.splitter.handleWidth()
            + 8
        )

    def _update_orientation(self) -> None:
        # The window's width, not ours: before the first show our own is still Qt's default.
        width = self.window().width()
        need = self.side_by_side_width()
        horizontal = self.splitter.orientation() == Qt.Orientation.Horizontal
        if horizontal and width < need:
            wanted = Qt.Orientation.Vertical
        elif not horizontal and width >= need + 24:  # a little hysteresis against flicker
            wanted = Qt.Orientation.Horizontal
        else:
            return
        self._remember_splitter_sizes()
        self.splitter.setOrientation(wanted)
        key = self._orientation_key()
        self.splitter.setSizes(self._splitter_sizes.get(key, _DEFAULT_SIZES[key]))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_orientation()
