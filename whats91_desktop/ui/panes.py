"""The rooms of the window: one pane shown at a time, chosen from a row of tabs above them.

The row is a tab bar in the window's top bar (beside the profile and sender) rather than a rail
on the side or a row of its own: it costs no width — the Messages room needs every pixel of a
1280 px window for compose and log side by side — and no height.

A pane is a :class:`Pane`: a ``QWidget`` with a ``pane_title``, told when the window switches
profile. Adding one is one module under ``ui/`` plus one ``self.panes.add(...)`` line in
``MainWindow.attach``. With a single pane the row is hidden: there is nothing to choose.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QStackedWidget, QTabBar, QVBoxLayout, QWidget

from whats91_desktop.core.models import Profile
from whats91_desktop.ui.i18n import tr


class Pane(QWidget):
    pane_title = ""
    """The pane's name on the rail."""

    def on_profile_changed(self, profile: Profile) -> None:
        """The window switched to ``profile`` (and once at start); most panes reload here."""

    def shutdown(self) -> None:
        """The window is closing: stop timers and background work that would touch widgets."""


class PaneHost(QWidget):
    current_changed = Signal(str)
    """The title of the pane now shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paneHost")
        self.rail = QTabBar(self)
        self.rail.setObjectName("paneRail")
        self.rail.setAccessibleName("Panes")
        self.rail.setDocumentMode(True)
        self.rail.setExpanding(False)
        self.rail.hide()
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("paneStack")
        # The row of room tabs is placed by the window (in its top bar): it costs no height there.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.stack, 1)
        self._panes: list[Pane] = []
        self.rail.currentChanged.connect(self._on_rail_row_changed)

    def add(self, pane: Pane) -> None:
        self._panes.append(pane)
        self.stack.addWidget(pane)
        self.rail.addTab(tr(pane.pane_title))
        self.rail.setVisible(len(self._panes) > 1)
        row = len(self._panes) - 1
        if row < 9:  # Ctrl+1 … Ctrl+9, as in browsers' tabs
            shortcut = QShortcut(QKeySequence(f"Ctrl+{row + 1}"), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.setWhatsThis(tr("Show the %1 room").replace("%1", tr(pane.pane_title)))
            shortcut.activated.connect(lambda row=row: self.rail.setCurrentIndex(row))

    def panes(self) -> list[Pane]:
        return list(self._panes)

    def show_pane(self, title: str) -> None:
        for row, pane in enumerate(self._panes):
            if pane.pane_title == title:
                self.rail.setCurrentIndex(row)
                return

    def on_profile_changed(self, profile: Profile) -> None:
        for pane in self._panes:
            pane.on_profile_changed(profile)

    def shutdown(self) -> None:
        for pane in self._panes:
            pane.shutdown()

    def _on_rail_row_changed(self, row: int) -> None:
        if 0 <= row < len(self._panes):
            self.stack.setCurrentIndex(row)
            self.current_changed.emit(self._panes[row].pane_title)
