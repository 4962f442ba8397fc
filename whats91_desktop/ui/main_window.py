"""The console's frame: the profile bar on top, the panes, the menus and the status bar.

The window only wires. It is built in two steps so it can be shown before the rest of the app
is imported: ``MainWindow()`` is the bare frame (cheap, shown at once by ``app.run_gui``), and
:meth:`MainWindow.attach` fills it once the services are open. What happens lives elsewhere:
sending in ``send_flow``, the log's row actions in ``log/row_actions``, switching profiles in
``profile_switcher``, the menus in ``menus``, the saved layout in ``window_state``, and each
room of the window in its own pane module (``messages_pane`` today).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine, Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMessageBox, QVBoxLayout, QWidget

from whats91_desktop.ui.i18n import tr
from whats91_desktop.ui.tasks import TaskSet

# The bare frame needs only Qt: everything else is imported where it is used (most of it in
# attach()), so that ``app.run_gui`` shows the window before the rest of the app is loaded.
if TYPE_CHECKING:
    from whats91_desktop.core.models import Profile
    from whats91_desktop.services.container import DesktopServices
    from whats91_desktop.ui.appearance import Appearance
    from whats91_desktop.ui.bridge import MessageBridge
    from whats91_desktop.ui.help import AboutBox, SandboxScenariosDialog
    from whats91_desktop.ui.preferences.dialog import PreferencesDialog
    from whats91_desktop.ui.profiles.manager import ProfilesDialog
    from whats91_desktop.ui.profiles.welcome import WelcomeDialog
    from whats91_desktop.ui.shortcuts_dialog import ShortcutsDialog

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    closed = Signal()
    """Emitted from ``closeEvent`` once the window state is saved (``app.run_gui`` then shuts down)."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("Whats91 Desktop")
        self.setAccessibleName("Whats91 Desktop")
        loading = QLabel(tr("Opening the message log…"), self)
        loading.setObjectName("loadingLabel")
        loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setCentralWidget(loading)
        self._tasks = TaskSet()
        self._attached = False
        self._started = False
        self._closing = False
        self._follower_task: asyncio.Task[None] | None = None
        self.welcome: WelcomeDialog | None = None
        self.profiles_dialog: ProfilesDialog | None = None
        self.scenarios_dialog: SandboxScenariosDialog | None = None
        self.about_box: AboutBox | None = None
        self.preferences_dialog: PreferencesDialog | None = None
        self._notice_boxes: list[QMessageBox] = []
        self._unsubscribe: list[Any] = []

    def restore_geometry(self, ui_state: Mapping[str, Any]) -> None:
        from whats91_desktop.ui.window_state import restore_geometry

        restore_geometry(self, ui_state)

    def attach(
        self,
        desk: DesktopServices,
        bridge: MessageBridge,
        *,
        profile_name: str,
        appearance: Appearance,
        show_welcome: bool = False,
    ) -> None:
        """Build the panes and the controllers on ``desk``, then show ``profile_name``."""
        from whats91_desktop.services.sandbox_profile import SANDBOX_PROFILE_NAME
        from whats91_desktop.ui.bulk.pane import BulkPane
        from whats91_desktop.ui.conversations.pane import ConversationsPane
        from whats91_desktop.ui.log.row_actions import RowActions
        from whats91_desktop.ui.menus import MenuHandlers, build_menus
        from whats91_desktop.ui.messages_pane import MessagesPane
        from whats91_desktop.ui.notifications import NotificationCenter
        from whats91_desktop.ui.panes import PaneHost
        from whats91_desktop.ui.profile_switcher import ProfileSwitcher
        from whats91_desktop.ui.profiles.token_test import TokenTester
        from whats91_desktop.ui.send_flow import SendFlow
        from whats91_desktop.ui.status_bar import StatusBar
        from whats91_desktop.ui.webhooks.pane import WebhooksPane
        from whats91_desktop.ui.window_state import WindowStateKeeper

        self.desk = desk
        self.appearance = appearance
        self.bridge = bridge
        services = desk.services
        self._show_welcome = show_welcome
        self.status = StatusBar(bridge, self)
        self.setStatusBar(self.status)

        self.messages = MessagesPane(desk, bridge, self)
        self.compose = self.messages.compose
        self.log_pane = self.messages.log_pane
        self.switcher = ProfileSwitcher(
            desk, bridge, self.compose, self.status, profile_name=profile_name, tasks=self._tasks, parent=self
        )
        self.messages.workbench.use_sender_picker(self.switcher.sender_picker)
        self.panes = PaneHost(self)
        self.panes.add(self.messages)
        self.panes.add_later(
            WebhooksPane.pane_title, lambda: WebhooksPane(desk, bridge, self, compose=self.compose)
        )
        top_bar = self.switcher.bar.layout()
        assert top_bar is not None
        top_bar.addWidget(self.panes.rail)  # the room tabs, at the right of the top bar
        self.notifications = NotificationCenter(self, bridge, self.log_pane, desk.store)
        template_tab = self.compose.template_tab
        self.log_pane.set_template_lookup(
            lambda name: info.body_text if (info := template_tab.template(name)) is not None else None
        )

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.switcher.bar)
        layout.addWidget(self.notifications.banner)
        layout.addWidget(self.panes, 1)
        self.setCentralWidget(central)

        self.send_flow = SendFlow(
            desk,
            bridge,
            self.compose,
            self.log_pane,
            current_profile=lambda: self.profile,
            dialog_parent=self,
            tasks=self._tasks,
        )
        self.send_finished = self.send_flow.send_finished
        self.panes.add_later(
            ConversationsPane.pane_title,
            lambda: ConversationsPane(
                desk, bridge, self, compose=self.compose, send_flow=self.send_flow, rooms=self.panes
            ),
        )
        self.panes.add_later(BulkPane.pane_title, lambda: BulkPane(desk, bridge, self, compose=self.compose))
        self.row_actions = RowActions(desk, bridge, self.log_pane, current_profile=lambda: self.profile)
        menus = build_menus(
            self,
            self.compose,
            self.log_pane,
            MenuHandlers(
                quit=self.close,
                add_profile=self.open_add_profile,
                manage_profiles=self.open_profiles_dialog,
                test_token=self.test_token,
                use_sandbox=lambda: self.switch_profile(SANDBOX_PROFILE_NAME),
                sandbox_scenarios=self.show_sandbox_scenarios,
                about=self.show_about,
                preferences=self.open_preferences,
                shortcuts=self.show_shortcuts,
                diagnostics=self.save_diagnostics,
            ),
        )
        self.quit_action = menus.quit_action
        self.send_action = menus.send_action
        self.switcher.attach_menu(menus.profiles)
        self.token_tester = TokenTester(services.clients, bridge, action=menus.test_token_action, parent=self)
        self.state_keeper = WindowStateKeeper(
            self, services.settings, bridge, collect=self._pane_state, profile_name=lambda: self.profile_name
        )
        self._add_shortcuts()

        self._unsubscribe.append(services.messages.subscribe(bridge.relay))
        self._unsubscribe.append(desk.row_changes.subscribe(self.log_pane.on_row_changed))
        self._unsubscribe.append(desk.row_changes.subscribe(self.notifications.on_row_changed))
        self.send_flow.senders_changed.connect(self.switcher.refresh_senders)
        self.send_flow.accepted.connect(self.switcher.refresh_wallet_soon)
        self.status.show_row_requested.connect(self.log_pane.show_row)
        self.switcher.profile_changed.connect(self._on_profile_changed)
        self.switcher.manage_requested.connect(self.open_profiles_dialog)
        self.switcher.switched.connect(self.state_keeper.schedule)
        self.switcher.sender_changed.connect(self.state_keeper.schedule)
        self.switcher.sender_changed.connect(self.messages.templates.context_changed)
        self.messages.layout_changed.connect(self.state_keeper.schedule)

        self.messages.restore_state(services.settings.current.ui_state)
        self.switcher.start()
        self._attached = True
        if self.isVisible():
            QTimer.singleShot(0, self._on_first_shown)

    def _add_shortcuts(self) -> None:
        # ComposePane has its own Ctrl+Enter for focus inside it; ours covers the rest of the
        # window and steps aside while focus is in the pane (two live ones would be ambiguous).
        self._send_shortcuts: list[QShortcut] = []
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(self.compose.trigger_send)
            shortcut.setWhatsThis(tr("Send the composed message"))
            self._send_shortcuts.append(shortcut)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_app_focus_changed)
        find = QShortcut(QKeySequence.StandardKey.Find, self)
        find.setWhatsThis(tr("Search the message log"))
        find.activated.connect(self.log_pane.focus_search)

    # ------------------------------------------------------------------ accessors

    @property
    def profile(self) -> Profile:
        return self.switcher.profile

    @property
    def profile_name(self) -> str:
        return self.switcher.name

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run ``coro`` on the loop, keep it alive, and send a bug in it to ``sys.excepthook``."""
        return self._tasks.spawn(coro)

    def switch_profile(self, name: str) -> None:
        """Make ``name`` the profile in use (instant: the client is created on first need)."""
        self.switcher.switch(name)

    def _on_profile_changed(self, profile: Profile) -> None:
        from whats91_desktop.services.sandbox_profile import SANDBOX_PROFILE_NAME

        self.panes.on_profile_changed(profile)
        saved = self.desk.services.profiles.saved()
        self.log_pane.set_profiles(
            [*(p.name for p in saved), SANDBOX_PROFILE_NAME],
            sandbox={SANDBOX_PROFILE_NAME, *(p.name for p in saved if p.sandbox)},
        )
        marked = not profile.sandbox or "sandbox" in profile.name.lower()
        self.setWindowTitle(f"Whats91 Desktop — {profile.name}{'' if marked else ' (sandbox)'}")

    def _pane_state(self) -> dict[str, Any]:
        return {**self.messages.state(), "last_sender": self.switcher.last_senders()}

    def save_ui_state(self) -> None:
        self.state_keeper.save()

    def _on_app_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        # Not inside the compose pane (its own key works there), nor inside another room: the
        # Conversations reply box has its own Ctrl+Enter, and two live ones are ambiguous, so Qt
        # would run neither.
        inside = new is not None and (new is self.compose or self.compose.isAncestorOf(new))
        other_room = new is not None and self.panes.isAncestorOf(new) and not self.messages.isAncestorOf(new)
        for shortcut in self._send_shortcuts:
            shortcut.setEnabled(not inside and not other_room)

    # ------------------------------------------------------------------ dialogs

    def test_token(self) -> None:
        """Profiles → Test token…: the token of the profile in use, for the chosen sender."""
        self.token_tester.run(self.profile, self.switcher.current_sender_id())

    def show_sandbox_scenarios(self) -> SandboxScenariosDialog:
        """Help → Sandbox scenarios… (non-modal; stays open beside the window)."""
        from whats91_desktop.ui.help import SandboxScenariosDialog

        if self.scenarios_dialog is None:
            self.scenarios_dialog = SandboxScenariosDialog(self)
            self.scenarios_dialog.recipient_chosen.connect(self._on_scenario_recipient_chosen)
        self.scenarios_dialog.show()
        self.scenarios_dialog.raise_()
        self.scenarios_dialog.activateWindow()
        return self.scenarios_dialog

    def _on_scenario_recipient_chosen(self, digits: str) -> None:
        from whats91_desktop.core.phone import format_number
        from whats91_desktop.services.sandbox_profile import SANDBOX_PROFILE_NAME

        if not self.profile.sandbox:
            self.switch_profile(SANDBOX_PROFILE_NAME)
            self.bridge.report_info("Switched to the sandbox: scenario numbers only work there.")
        self.compose.recipient.set_text(format_number(digits) or digits)
        self.compose.recipient.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def open_preferences(self) -> PreferencesDialog:
        """Edit → Preferences… (non-modal: changes apply while the window stays usable)."""
        from whats91_desktop.ui.preferences.dialog import PreferencesDialog
        from whats91_desktop.ui.preferences.effects import PreferenceEffects

        if self.preferences_dialog is None:
            effects = PreferenceEffects(
                theme=self.appearance.theme,
                translations=self.appearance.translations,
                follower=self.desk.follower,
                started_with=self.appearance.started_with,
            )
            self.preferences_dialog = PreferencesDialog(self.desk.services.settings, effects, self)
        self.preferences_dialog.reload()
        self.preferences_dialog.show()
        self.preferences_dialog.raise_()
        return self.preferences_dialog

    def show_shortcuts(self) -> ShortcutsDialog:
        """Help → Keyboard shortcuts: listed from the window's own actions and shortcuts."""
        from whats91_desktop.ui.shortcuts_dialog import ShortcutsDialog

        dialog = ShortcutsDialog(self)
        dialog.show()
        return dialog

    def save_diagnostics(self) -> None:
        """Help → Save diagnostic bundle…: asks where, then builds the zip on a worker thread."""
        from whats91_desktop.ui.diagnostics_flow import save_diagnostic_bundle

        save_diagnostic_bundle(self, self.desk, self.bridge, self._tasks)

    def show_about(self) -> AboutBox:
        from whats91_desktop.ui.help import AboutBox

        services = self.desk.services
        if self.about_box is None:
            self.about_box = AboutBox(services.paths, services.secrets.backend_name, self)
        self.about_box.show()
        return self.about_box

    def open_profiles_dialog(self) -> ProfilesDialog:
        from whats91_desktop.ui.profiles.manager import ProfilesDialog

        if self.profiles_dialog is None:
            self.profiles_dialog = ProfilesDialog(self.desk.services, self.bridge, self)
            self.profiles_dialog.profiles_changed.connect(self._on_profiles_changed)
        self.profiles_dialog.reload(select=self.profile_name)
        self.profiles_dialog.open()
        return self.profiles_dialog

    def open_add_profile(self) -> None:
        from whats91_desktop.ui.profiles.manager import open_profile_dialog

        dialog = open_profile_dialog(self.desk.services, self)
        dialog.saved.connect(self._on_profile_added)

    def _on_profile_added(self, name: str) -> None:
        self._on_profiles_changed()
        self.switch_profile(name)

    def _on_profiles_changed(self) -> None:
        self.switcher.profiles_changed()

    def show_welcome(self) -> WelcomeDialog:
        from whats91_desktop.services.sandbox_profile import SANDBOX_PROFILE_NAME
        from whats91_desktop.ui.profiles.welcome import WelcomeDialog

        self.welcome = WelcomeDialog(self)
        self.welcome.sandbox_chosen.connect(lambda: self.switch_profile(SANDBOX_PROFILE_NAME))
        self.welcome.add_token_chosen.connect(self.open_add_profile)
        self.welcome.open()
        return self.welcome

    def _show_notice(self, text: str) -> None:
        if "keychain" in text:
            self.bridge.report_warning(text)
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning, "Whats91 Desktop", text, QMessageBox.StandardButton.Ok, self
        )
        box.setObjectName("noticeDialog")
        box.setModal(False)
        box.finished.connect(
            lambda _r, b=box: self._notice_boxes.remove(b) if b in self._notice_boxes else None
        )
        self._notice_boxes.append(box)
        box.show()

    # ------------------------------------------------------------------ start and stop

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._attached and not self._started:
            QTimer.singleShot(0, self._on_first_shown)

    def _on_first_shown(self) -> None:
        if self._started or self._closing:
            return
        self._started = True
        self.start_background()
        for notice in self.desk.services.take_notices():
            self._show_notice(notice)
        if self._show_welcome:
            self._show_welcome = False
            self.show_welcome()

    def start_background(self) -> None:
        """Recover rows left ``sending`` by a crash, then follow every unfinished row."""
        from whats91_desktop.core.errors import Whats91Error

        if self._follower_task is not None:
            return
        desk = self.desk

        async def start() -> None:
            # The follower looks clients up without waiting: read the tokens first (keychain thread).
            await desk.services.tokens.preload(desk.services.profiles.saved())
            try:
                recovered = await desk.outbox.recover_interrupted()
                if recovered:
                    self.bridge.report_warning(
                        f"{recovered} message(s) were being sent when the app last closed: their outcome is "
                        "unknown — check before resending."
                    )
                    self.log_pane.refresh()
                await desk.follower.resume()
            except Whats91Error as err:
                self.bridge.report_error(f"The message log could not be read: {err}")
            await desk.follower.run()

        self._follower_task = self.spawn(start())

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closing = True
        if self._attached:
            self.state_keeper.closing = True
            self.switcher.closing = True
            self.token_tester.closing = True
            self.save_ui_state()
            for unsubscribe in self._unsubscribe:
                unsubscribe()
            self.notifications.shutdown()
            self.panes.shutdown()
        if self._follower_task is not None:
            self._follower_task.cancel()
        super().closeEvent(event)
        self.closed.emit()

    async def shutdown(self) -> None:
        """Stop background work and close every client and the store (after ``close()``).

        Touches no Qt object: the window may already be deleted when this runs.
        """
        self._closing = True
        await self._tasks.cancel_and_wait()
        if self._attached:
            await self.desk.aclose()
