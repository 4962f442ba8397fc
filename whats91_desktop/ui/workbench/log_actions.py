"""The workbench's actions on a log row: "Open in composer" and "Copy as ▸ Python / JavaScript".

Both start from the row's stored message (``message_json``): the exact message that was sent,
variables already resolved. Opening it never sends anything; it fills the composer, editable.
The log pane shows these actions in its row menu (``LogPane.row_menu_actions``) beside its own
"Copy as curl". Rows logged before the message was kept (schema v1) have nothing to open.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from whats91_desktop.core.errors import Whats91Error
from whats91_desktop.core.models import OutgoingMessage, Profile
from whats91_desktop.core.store import AsyncMessageStore, LogEntry
from whats91_desktop.services.profiles import ProfilesService
from whats91_desktop.ui.bridge import MessageBridge
from whats91_desktop.ui.i18n import tr
from whats91_desktop.ui.log.pane import LogPane
from whats91_desktop.ui.log.row_message import row_and_message
from whats91_desktop.ui.tasks import TaskSet
from whats91_desktop.ui.workbench.code import CHOICES, CURL, CodeCopier

NO_MESSAGE = (
    "Row {row} was logged without its composed message (by an older version), so it cannot be "
    "opened or copied as code. Its redacted request is in the details."
)


class LogRowActions(QObject):
    open_requested = Signal(object, object)
    """``(LogEntry, OutgoingMessage)``: put this row's message in the composer."""

    def __init__(
        self,
        log_pane: LogPane,
        store: AsyncMessageStore,
        bridge: MessageBridge,
        copier: CodeCopier,
        profiles: ProfilesService,
        *,
        current_profile: Callable[[], Profile | None],
        tasks: TaskSet,
    ) -> None:
        super().__init__(log_pane)
        self._log_pane = log_pane
        self._store = store
        self._bridge = bridge
        self._copier = copier
        self._profiles = profiles
        self._current_profile = current_profile
        self._tasks = tasks
        self.open_action = QAction(tr("Open in &composer"), self)
        self.open_action.setObjectName("openInComposerAction")
        self.open_action.setToolTip(tr("Put this exact message in the composer, to edit and send it"))
        self.copy_menu = QMenu(tr("Copy &as"), log_pane)
        self.copy_menu.setObjectName("logCopyAsMenu")
        self.copy_actions: dict[str, QAction] = {}
        for choice, text in CHOICES:
            if choice == CURL:
                continue  # the log's own "Copy as curl" is right above
            action = self.copy_menu.addAction(text)
            action.setObjectName(f"logCopy{choice.capitalize()}Action")
            action.triggered.connect(lambda _checked=False, c=choice: self._on_copy_triggered(c))
            self.copy_actions[choice] = action
        log_pane.row_menu_actions += [self.open_action, self.copy_menu.menuAction()]
        self.open_action.triggered.connect(self._on_open_triggered)
        log_pane.detail_loaded.connect(self._update_actions)
        self._update_actions()

    def _update_actions(self, *_args: object) -> None:
        entry = self._log_pane.current_entry()
        usable = entry is not None and bool(entry.message_json)
        self.open_action.setEnabled(usable)
        self.copy_menu.setEnabled(usable)

    async def _current(self) -> tuple[LogEntry, OutgoingMessage] | None:
        """The selected row and its message, read again (the row may have changed meanwhile)."""
        selected = self._log_pane.current_entry()
        if selected is None:
            return None
        try:
            entry, message = await row_and_message(self._store, selected.id)
        except Whats91Error as err:
            self._bridge.report_error(
                tr("Could not read log row %1: %2").replace("%1", str(selected.id)).replace("%2", str(err))
            )
            return None
        if entry is None or message is None:
            self._bridge.report_warning(NO_MESSAGE.format(row=selected.id))
            return None
        return entry, message

    def _on_open_triggered(self) -> None:
        self._tasks.spawn(self._open())

    async def _open(self) -> None:
        found = await self._current()
        if found is not None:
            # The receiver may ask before replacing what is typed: leave the coroutine first.
            QTimer.singleShot(0, lambda: self.open_requested.emit(*found))

    def _on_copy_triggered(self, choice: str) -> None:
        self._tasks.spawn(self._copy(choice))

    async def _copy(self, choice: str) -> None:
        found = await self._current()
        if found is None:
            return
        entry, message = found
        profile = self._profiles.find(entry.profile) or self._current_profile()
        if profile is not None:
            await self._copier.copy(choice, profile, message, f"Row {entry.id}")
