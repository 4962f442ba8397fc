"""The integrator's workbench in the Messages room: saved requests, ``{{variables}}``, code.

Integrators come from Postman and Bruno: they keep requests by name, fill them from a profile's
variables, and copy them as code. Here, beside the composer:

- **Save request…** (Ctrl+S) keeps what is composed, any tab, with its recipient and sender,
  in the profile's collection (``core.store.saved``). When the composer was opened from a saved
  request of the same kind, it updates that one; **Save as new request…** (Ctrl+Shift+S)
  always asks for a name.
- **Open** fills the composer (the right tab, editable); duplicate, rename and delete are in
  the list's menu. Nothing typed is replaced without asking.
- **Variables…** edits the profile's ``{{name}}`` values; the composer resolves them before it
  checks, previews and sends (``ComposePane.set_variables``), and the request preview below the
  list shows the body Send would send.
- **Copy as ▾** (composer, saved request, log row) gives curl, Python or JavaScript.
- A log row's **Open in composer** puts that exact message back, to edit and send anew.

Sending stays the send flow's: a reopened request is sent with the composer's own Send, so
the claim-once rule and the production confirmation apply unchanged.

Stable object names: ``composeColumn``, ``savedRequestsToggle``, ``composeCopyButton`` (menu
``composeCopyMenu``), ``saveRequestButton``; the panel's in ``saved_panel``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QInputDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QToolButton,
    QWidget,
)

from whats91_desktop.core.errors import Whats91Error
from whats91_desktop.core.models import OutgoingMessage, Profile
from whats91_desktop.core.store import LogEntry, SavedRequest
from whats91_desktop.core.store.saved import check_name
from whats91_desktop.core.validation import check_message
from whats91_desktop.core.variables import Variables, resolve_message
from whats91_desktop.services.container import DesktopServices
from whats91_desktop.ui.bridge import MessageBridge
from whats91_desktop.ui.compose.pane import ComposePane
from whats91_desktop.ui.i18n import tr
from whats91_desktop.ui.log.pane import LogPane
from whats91_desktop.ui.sender_picker import SenderPicker
from whats91_desktop.ui.tasks import TaskSet
from whats91_desktop.ui.workbench.code import CHOICES, CodeCopier
from whats91_desktop.ui.workbench.loader import holds_typed_text, load_message
from whats91_desktop.ui.workbench.log_actions import LogRowActions
from whats91_desktop.ui.workbench.naming import suggested_name
from whats91_desktop.ui.workbench.preview import preview_text
from whats91_desktop.ui.workbench.saved_panel import KIND_TITLES, SavedRequestsPanel
from whats91_desktop.ui.workbench.variables_dialog import VariablesDialog

PREVIEW_DEBOUNCE_MS = 200
_DEFAULT_SIZES = [230, 520]


class Workbench(QObject):
    layout_changed = Signal()
    """The panel was shown, hidden or resized: the window saves its state (and re-lays out)."""

    def __init__(
        self,
        desk: DesktopServices,
        bridge: MessageBridge,
        compose: ComposePane,
        log_pane: LogPane,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._host = parent
        self._store = desk.store
        self._profiles = desk.services.profiles
        self._bridge = bridge
        self._compose = compose
        self._profile: Profile | None = None
        self._opened: SavedRequest | None = None
        self._sender_picker: SenderPicker | None = None
        self._generation = 0
        self._tasks = TaskSet()
        self.variables_dialog: VariablesDialog | None = None

        self.panel = SavedRequestsPanel()
        self.panel.hide()
        self.column = QSplitter(Qt.Orientation.Horizontal, parent)
        self.column.setObjectName("composeColumn")
        self.column.setChildrenCollapsible(False)
        self.column.addWidget(self.panel)
        self.column.addWidget(compose)
        self.column.setStretchFactor(1, 1)
        self.column.setSizes(_DEFAULT_SIZES)

        self.copier = CodeCopier(desk, bridge, include_token=log_pane.include_token_check.isChecked)
        self.log_actions = LogRowActions(
            log_pane,
            desk.store,
            bridge,
            self.copier,
            self._profiles,
            current_profile=lambda: self._profile,
            tasks=self._tasks,
        )
        self._build_compose_bar()
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DEBOUNCE_MS)
        self._preview_timer.timeout.connect(self.update_preview)

        panel = self.panel
        panel.open_action.triggered.connect(self._on_open_triggered)
        panel.duplicate_action.triggered.connect(self._on_duplicate_triggered)
        panel.rename_action.triggered.connect(self._on_rename_triggered)
        panel.delete_action.triggered.connect(self._on_delete_triggered)
        panel.copy_menu.triggered.connect(self._on_saved_copy_triggered)
        panel.variables_button.clicked.connect(self.edit_variables)
        self.column.splitterMoved.connect(lambda *_: self.layout_changed.emit())
        self.log_actions.open_requested.connect(self._on_log_open_requested)
        for tab in compose.tab_by_kind.values():
            tab.changed.connect(self._preview_timer.start)
        compose.recipient.changed.connect(self._preview_timer.start)
        compose.tabs.currentChanged.connect(self._preview_timer.start)
        self._unsubscribe = self._profiles.renamed.subscribe(self._on_profile_renamed)

    def _build_compose_bar(self) -> None:
        """The panel's toggle at the left of the composer's bar; Copy as and Save beside Send."""
        compose, bar = self._compose, self._compose.actions_bar
        self.toggle_button = QToolButton(compose)
        self.toggle_button.setObjectName("savedRequestsToggle")
        self.toggle_button.setText(tr("Saved requests"))
        self.toggle_button.setCheckable(True)
        self.toggle_button.setToolTip(tr("Show or hide the saved requests and the request preview"))
        self.copy_button = QToolButton(compose)
        self.copy_button.setObjectName("composeCopyButton")
        self.copy_button.setText(tr("Copy as ▾"))
        self.copy_button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0px; }")
        self.copy_button.setToolTip(
            tr("Copy this message as curl, Python or JavaScript (token left out unless ticked)")
        )
        self.copy_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.copy_menu = QMenu(self.copy_button)
        self.copy_menu.setObjectName("composeCopyMenu")
        for choice, text in CHOICES:
            self.copy_menu.addAction(text).setData(choice)
        self.copy_button.setMenu(self.copy_menu)
        self.save_button = QPushButton(tr("Save re&quest…"), compose)
        self.save_button.setObjectName("saveRequestButton")
        self.save_button.setToolTip(
            tr("Keep this message, with its recipient, in this profile's saved requests (Ctrl+S)")
        )
        bar.insertWidget(0, self.toggle_button)
        send_at = bar.indexOf(compose.send_button)
        bar.insertWidget(send_at, self.copy_button)
        bar.insertWidget(send_at + 1, self.save_button)

        self.toggle_button.toggled.connect(self._on_toggle_toggled)
        self.copy_menu.triggered.connect(self._on_compose_copy_triggered)
        self.save_button.clicked.connect(self.save_request)
        for keys, slot, what in (
            (QKeySequence(QKeySequence.StandardKey.Save), self.save_request, tr("Save the composed request")),
            (QKeySequence("Ctrl+Shift+S"), self.save_request_as, tr("Save the composed request as…")),
        ):
            shortcut = QShortcut(keys, self._host)
            shortcut.setWhatsThis(what)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    # ------------------------------------------------------------------ wiring from the window

    def use_sender_picker(self, picker: SenderPicker) -> None:
        """Opening a message selects its sender in the top bar's picker."""
        self._sender_picker = picker

    def on_profile_changed(self, profile: Profile) -> None:
        if self._profile is None or self._profile.name != profile.name:
            self._set_opened(None)
        self._profile = profile
        self._compose.set_variables(dict(profile.variables))
        self.reload()
        self.update_preview()

    def shutdown(self) -> None:
        self._preview_timer.stop()
        self._unsubscribe()
        self._tasks.cancel_all()

    def state(self) -> dict[str, Any]:
        return {"visible": self.toggle_button.isChecked(), "sizes": [int(n) for n in self.column.sizes()]}

    def restore_state(self, state: object) -> None:
        if not isinstance(state, Mapping):
            return
        sizes = state.get("sizes")
        if isinstance(sizes, list) and len(sizes) == 2 and all(isinstance(n, int) and n > 0 for n in sizes):
            self.column.setSizes(sizes)
        self.toggle_button.setChecked(state.get("visible") is True)

    # ------------------------------------------------------------------ the list

    def reload(self, select: int | None = None) -> None:
        """Read the profile's saved requests again (in the background)."""
        if self._profile is None:
            return
        self._generation += 1
        self._tasks.spawn(self._load(self._profile.name, self._generation, select))

    async def _load(self, profile_name: str, generation: int, select: int | None) -> None:
        try:
            requests = await self._store.saved_requests(profile_name)
        except Whats91Error as err:
            self._bridge.report_error(tr("Could not read the saved requests: %1").replace("%1", str(err)))
            return
        if generation == self._generation:
            self.panel.set_requests(requests, select=select)

    def _set_opened(self, saved: SavedRequest | None) -> None:
        self._opened = saved
        self.panel.show_opened(saved)

    def _on_toggle_toggled(self, shown: bool) -> None:
        self.panel.setVisible(shown)
        if shown:
            self.update_preview()
        self.layout_changed.emit()

    def show_panel(self) -> None:
        self.toggle_button.setChecked(True)

    # ------------------------------------------------------------------ saving

    def save_request(self) -> None:
        """Save request… (Ctrl+S): update the request the composer was opened from when it is
        of the same kind (and profile); otherwise ask for a name."""
        draft = self._draft()
        opened, profile = self._opened, self._profile
        if draft is None or profile is None:
            return
        if opened is not None and opened.kind == draft.kind and opened.profile == profile.name:
            self._tasks.spawn(self._update(opened, draft))
            return
        self._save_new(draft, profile)

    def save_request_as(self) -> None:
        """Save as new request… (Ctrl+Shift+S): always under a new name."""
        draft = self._draft()
        if draft is not None and self._profile is not None:
            self._save_new(draft, self._profile)

    def _draft(self) -> OutgoingMessage | None:
        draft = self._compose.current_draft()
        if draft is None:
            self._bridge.report_warning(
                tr("There is nothing to save yet: the Meta JSON cannot be read. Fix it first.")
            )
        return draft

    def _save_new(self, draft: OutgoingMessage, profile: Profile) -> None:
        taken = {s.name.casefold() for s in self.panel.requests()}
        name = self._ask_name(
            "Save request",
            f"Save this {KIND_TITLES[draft.kind]} message in “{profile.name}” as:",
            suggested_name(draft, taken),
        )
        if name is None:
            return
        existing = next((s for s in self.panel.requests() if s.name.casefold() == name.casefold()), None)
        if existing is not None:
            if self._ask(
                f"Replace “{existing.name}”?",
                f"“{existing.name}” is already saved. Replace it with this message?",
            ):
                self._tasks.spawn(self._update(existing, draft))
            return
        self._tasks.spawn(self._create(profile.name, name, draft))

    async def _create(self, profile_name: str, name: str, draft: OutgoingMessage) -> None:
        try:
            saved = await self._store.save_request(profile_name, name, draft)
        except Whats91Error as err:
            self._bridge.report_error(tr("The request was not saved: %1").replace("%1", str(err)))
            return
        self._after_save(saved)

    async def _update(self, saved: SavedRequest, draft: OutgoingMessage) -> None:
        try:
            updated = await self._store.update_request(saved.id, draft)
        except Whats91Error as err:
            self._bridge.report_error(
                tr("“%1” was not saved: %2").replace("%1", str(saved.name)).replace("%2", str(err))
            )
            return
        if updated is None:
            self._set_opened(None)
            self._bridge.report_warning(
                tr("“%1” was deleted meanwhile: save it again under a name.").replace("%1", str(saved.name))
            )
            self.reload()
            return
        self._after_save(updated)

    def _after_save(self, saved: SavedRequest) -> None:
        if self._profile is not None and saved.profile == self._profile.name:
            self._set_opened(saved)
            self.reload(select=saved.id)
        self.show_panel()
        self._bridge.report_info(
            tr("Saved “%1” in %2's requests").replace("%1", str(saved.name)).replace("%2", str(saved.profile))
        )

    # ------------------------------------------------------------------ opening

    def open_saved(self, saved: SavedRequest) -> bool:
        """Fill the composer with ``saved`` (asking before replacing typed text)."""
        try:
            message = saved.message()
        except (ValueError, KeyError, TypeError):
            self._bridge.report_error(
                tr("“%1” cannot be read by this version of the app.").replace("%1", str(saved.name))
            )
            return False
        if not self._open(message, f"the saved request “{saved.name}”"):
            return False
        self._set_opened(saved)
        self._bridge.report_info(
            tr("Opened “%1”: edit it and Send, or Save request to keep the changes").replace(
                "%1", str(saved.name)
            )
        )
        return True

    def _open(self, message: OutgoingMessage, what: str) -> bool:
        compose = self._compose
        if holds_typed_text(compose, message):
            tab = compose.tab_by_kind[message.kind].title
            if not self._ask(
                f"Replace the {tab} tab?",
                f"The {tab} tab holds a message you typed. Put {what} in its place?\n\n"
                "Ctrl+Z in each field brings back what it held.",
            ):
                return False
        load_message(compose, message)
        self._select_sender(message.sender_id)
        return True

    def _select_sender(self, sender_id: str | None) -> None:
        picker = self._sender_picker
        if picker is None or not sender_id or sender_id == self._compose.sender_id:
            return
        index = picker.findData(sender_id)
        if index >= 0:
            picker.setCurrentIndex(index)
        else:
            picker.setEditText(sender_id)  # not one of the profile's: used as typed by hand

    def _on_log_open_requested(self, entry: LogEntry, message: OutgoingMessage) -> None:
        if not self._open(message, f"the message of row {entry.id}"):
            return
        self._set_opened(None)
        current = self._profile.name if self._profile else entry.profile
        elsewhere = (
            f" It was sent through “{entry.profile}”; Send now uses “{current}”."
            if entry.profile != current
            else ""
        )
        self._bridge.report_info(
            tr("Row %1 is in the composer: edit it and Send it as a new message.%2")
            .replace("%1", str(entry.id))
            .replace("%2", str(elsewhere))
        )

    # ------------------------------------------------------------------ the list's actions

    def _on_open_triggered(self) -> None:
        saved = self.panel.current()
        if saved is not None:
            self.open_saved(saved)

    def _on_duplicate_triggered(self) -> None:
        saved = self.panel.current()
        if saved is not None:
            self._tasks.spawn(self._duplicate(saved))

    async def _duplicate(self, saved: SavedRequest) -> None:
        try:
            copy = await self._store.duplicate_request(saved.id)
        except Whats91Error as err:
            self._bridge.report_error(
                tr("“%1” was not duplicated: %2").replace("%1", str(saved.name)).replace("%2", str(err))
            )
            return
        self.reload(select=copy.id if copy else None)
        if copy is not None:
            self._bridge.report_info(
                tr("Duplicated “%1” as “%2”").replace("%1", str(saved.name)).replace("%2", str(copy.name))
            )

    def _on_rename_triggered(self) -> None:
        saved = self.panel.current()
        if saved is None:
            return
        name = self._ask_name("Rename saved request", f"New name for “{saved.name}”:", saved.name)
        if name is not None and name != saved.name:
            self._tasks.spawn(self._rename(saved, name))

    async def _rename(self, saved: SavedRequest, name: str) -> None:
        try:
            renamed = await self._store.rename_request(saved.id, name)
        except Whats91Error as err:
            self._bridge.report_error(
                tr("“%1” was not renamed: %2").replace("%1", str(saved.name)).replace("%2", str(err))
            )
            return
        if renamed is not None and self._opened is not None and self._opened.id == renamed.id:
            self._set_opened(renamed)
        self.reload(select=saved.id)
        if renamed is not None:
            self._bridge.report_info(
                tr("Renamed “%1” to “%2”").replace("%1", str(saved.name)).replace("%2", str(renamed.name))
            )

    def _on_delete_triggered(self) -> None:
        saved = self.panel.current()
        if saved is None or not self._ask(
            f"Delete “{saved.name}”?",
            f"Delete the saved request “{saved.name}” from this computer?\n\n"
            "Messages already sent stay in the log.",
        ):
            return
        self._tasks.spawn(self._delete(saved))

    async def _delete(self, saved: SavedRequest) -> None:
        try:
            await self._store.delete_request(saved.id)
        except Whats91Error as err:
            self._bridge.report_error(
                tr("“%1” was not deleted: %2").replace("%1", str(saved.name)).replace("%2", str(err))
            )
            return
        if self._opened is not None and self._opened.id == saved.id:
            self._set_opened(None)
        self.reload()
        self._bridge.report_info(tr("Deleted “%1”").replace("%1", str(saved.name)))

    # ------------------------------------------------------------------ code

    def _on_compose_copy_triggered(self, action: Any) -> None:
        message, profile = self._compose.current_message(), self._profile
        if message is None or profile is None:
            self._bridge.report_warning(tr("There is nothing to copy yet: the Meta JSON cannot be read."))
            return
        self._tasks.spawn(self.copier.copy(str(action.data()), profile, message, "The message"))

    def _on_saved_copy_triggered(self, action: Any) -> None:
        saved, profile = self.panel.current(), self._profile
        if saved is None or profile is None:
            return
        try:
            message = saved.message()
        except (ValueError, KeyError, TypeError):
            self._bridge.report_error(
                tr("“%1” cannot be read by this version of the app.").replace("%1", str(saved.name))
            )
            return
        resolved = resolve_message(message, dict(profile.variables))
        if resolved.problems:
            self._bridge.report_error(
                tr("“%1” cannot be copied as code: %2")
                .replace("%1", str(saved.name))
                .replace("%2", str(resolved.problems[0].message))
            )
            return
        # As Send would make it: the recipient and the sender as digits.
        ready = check_message(
            resolved.message, default_region=profile.default_region, check_files=False
        ).message
        self._tasks.spawn(self.copier.copy(str(action.data()), profile, ready, f"“{saved.name}”"))

    # ------------------------------------------------------------------ variables and preview

    def edit_variables(self) -> VariablesDialog | None:
        """Variables…: the profile's ``{{name}}`` values, in a dialog that saves them."""
        profile = self._profile
        if profile is None:
            return None
        saver: Callable[[Variables], Any] = functools.partial(self._save_variables, profile.name)
        self.variables_dialog = VariablesDialog(
            profile.name, profile.variables, saver=saver, parent=self._host.window()
        )
        self.variables_dialog.open()
        return self.variables_dialog

    async def _save_variables(self, profile_name: str, variables: Variables) -> None:
        await self._profiles.set_variables(profile_name, variables)
        if self._profile is not None and self._profile.name == profile_name:
            self.on_profile_changed(self._profiles.get(profile_name))
        count = len(variables)
        self._bridge.report_info(
            tr("%1 variable%2 saved for “%3”")
            .replace("%1", str(count))
            .replace("%2", str("s" if count != 1 else ""))
            .replace("%3", str(profile_name))
        )

    def update_preview(self) -> None:
        """Show what Send would send now (only while the panel is shown)."""
        self._preview_timer.stop()
        if self.panel.isHidden() or self._profile is None:
            return
        values = dict(self._profile.variables)
        draft = self._compose.current_draft()
        used = resolve_message(draft, values).used if draft is not None else ()
        self.panel.preview.setPlainText(preview_text(self._compose.current_message(), used, values))

    def _on_profile_renamed(self, names: tuple[str, str]) -> None:
        self._tasks.spawn(self._move(*names))

    async def _move(self, old: str, new: str) -> None:
        try:
            await self._store.move_requests(old, new)
        except Whats91Error as err:
            self._bridge.report_error(
                tr("The saved requests of “%1” could not follow its new name: %2")
                .replace("%1", str(old))
                .replace("%2", str(err))
            )
            return
        if self._profile is not None and self._profile.name == new:
            self.reload()

    # ------------------------------------------------------------------ questions

    def _ask(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self._host.window(),
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _ask_name(self, title: str, label: str, text: str) -> str | None:
        """A name from the user, asked again (saying why) until it is a valid one; None: cancelled."""
        prompt = label
        while True:
            name, ok = QInputDialog.getText(
                self._host.window(), title, prompt, QLineEdit.EchoMode.Normal, text
            )
            if not ok:
                return None
            name = name.strip()
            problem = check_name(name)
            if problem is None:
                return name
            prompt, text = f"{problem}\n\n{label}", name
