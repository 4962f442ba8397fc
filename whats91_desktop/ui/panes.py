"""The rooms of the window: one pane shown at a time, chosen from a row of tabs above them.

The row is a tab bar in the window's top bar (beside the profile and sender) rather than a rail
on the side or a row of its own: it costs no width — the Messages room needs every pixel of a
1280 px window for compose and log side by side — and no height.

A pane is a :class:`Pane`: a ``QWidget`` with a ``pane_title``, told when the window switches
profile. Adding one is one module under ``ui/`` plus one ``self.panes.add(...)`` line in
``MainWindow.attach``. With a single pane the row is hidden: there is nothing to choose.

Rooms the user does not see at start are added with ``add_later``: their tab shows at once, but
their widgets are built on later turns of the event loop, one room a turn, or at once when the
room is shown or asked for. Built all in ``attach`` they froze the GUI thread for 0.3 s or more
on a busy machine, with every room's cost in one slice.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
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
    settled = Signal()
    """Every room added with ``add_later`` is built (once, when the last one waiting is): the
    window's start-up objects are all made by then."""

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
        self._titles: list[str] = []
        self._built: dict[int, Pane] = {}
        self._pending: dict[int, Callable[[], Pane]] = {}
        self._profile: Profile | None = None
        self._closed = False
        self.rail.currentChanged.connect(self._on_rail_row_changed)

    def add(self, pane: Pane) -> None:
        row = self._add_row(pane.pane_title, pane)
        self._built[row] = pane

    def add_later(self, title: str, build: Callable[[], Pane]) -> None:
        """A room whose widgets ``build()`` makes on a later turn of the event loop (see the
        module's docstring); ``title`` must be the pane's ``pane_title``."""
        row = self._add_row(title, QWidget(self))  # a placeholder until it is built
        self._pending[row] = build
        if len(self._pending) == 1:
            QTimer.singleShot(0, self._build_next)

    def panes(self) -> list[Pane]:
        """Every room, built now if it was still waiting."""
        for row in sorted(self._pending):
            self._build(row)
        return [self._built[row] for row in sorted(self._built)]

    def show_pane(self, title: str) -> None:
        if title in self._titles:
            self.rail.setCurrentIndex(self._titles.index(title))

    def on_profile_changed(self, profile: Profile) -> None:
        self._profile = profile
        for pane in self._built.values():
            pane.on_profile_changed(profile)

    def shutdown(self) -> None:
        self._closed = True
        self._pending.clear()
        for pane in self._built.values():
            pane.shutdown()

    def _add_row(self, title: str, widget: QWidget) -> int:
        row = len(self._titles)
        self._titles.append(title)
        self.stack.addWidget(widget)
        self.rail.addTab(tr(title))
        self.rail.setVisible(len(self._titles) > 1)
        if row < 9:  # Ctrl+1 … Ctrl+9, as in browsers' tabs
            shortcut = QShortcut(QKeySequence(f"Ctrl+{row + 1}"), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.setWhatsThis(tr("Show the %1 room").replace("%1", tr(title)))
            shortcut.activated.connect(lambda row=row: self.rail.setCurrentIndex(row))
        return row

    def _build_next(self) -> None:
        """One waiting room a turn, so that each build is its own short slice of the GUI thread."""
        if self._closed or not self._pending:
            return
        self._build(min(self._pending))
        if self._pending:
            QTimer.singleShot(0, self._build_next)

    def _build(self, row: int) -> None:
        build = self._pending.pop(row, None)
        if build is None:
            return
        pane = build()
        placeholder = self.stack.widget(row)
        assert placeholder is not None  # every row has a widget from add_later on
        current = self.stack.currentIndex()
        self.stack.insertWidget(row, pane)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        self.stack.setCurrentIndex(current)
        self._built[row] = pane
        if self._profile is not None:
            pane.on_profile_changed(self._profile)
        if not self._pending:
            self.settled.emit()

    def _on_rail_row_changed(self, row: int) -> None:
        if 0 <= row < len(self._titles):
            self._build(row)
            self.stack.setCurrentIndex(row)
            self.current_changed.emit(self._titles[row])
