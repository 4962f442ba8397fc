"""The console: profile and sender on top, compose and the message log side by side.

The window joins the pieces and owns the send flow. Every network or disk call is awaited in
an async slot shaped: disable the control → try await the core → except ``Whats91Error``
report it through the bridge → finally re-enable. Modal questions (the first production send
of a session) are asked from plain slots before any coroutine starts.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
from collections.abc import Callable, Coroutine
from typing import Any

import qasync
from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QGuiApplication,
    QKeySequence,
    QResizeEvent,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from whats91_desktop.core.errors import AuthError, ForbiddenError, Whats91Error
from whats91_desktop.core.meta_errors import hint_for
from whats91_desktop.core.models import Outcome, OutgoingMessage, Profile, RetryNotice, Sender, SendResult
from whats91_desktop.core.outbox import preview_of
from whats91_desktop.core.phone import format_number
from whats91_desktop.core.redact import curl_command
from whats91_desktop.core.serialize import message_from_json
from whats91_desktop.core.settings import with_active_profile, with_ui_state
from whats91_desktop.core.store import LogEntry
from whats91_desktop.ui.compose.pane import ComposePane
from whats91_desktop.ui.context import SANDBOX_PROFILE_NAME, AppContext
from whats91_desktop.ui.help import SandboxScenariosDialog, about_html
from whats91_desktop.ui.log.pane import LogPane
from whats91_desktop.ui.profiles.manager import ProfilesDialog, open_profile_dialog
from whats91_desktop.ui.profiles.token_test import describe_token_check
from whats91_desktop.ui.profiles.welcome import WelcomeDialog
from whats91_desktop.ui.sender_picker import SenderPicker
from whats91_desktop.ui.status_bar import StatusBar
from whats91_desktop.ui.tasks import TaskSet, run_blocking

log = logging.getLogger(__name__)

MANAGE_PROFILES = "\x00manage"
"""Item data of the "Manage profiles…" entry of the profile combo (no profile can be named so)."""

UI_STATE_DEBOUNCE_MS = 1000


class MainWindow(QMainWindow):
    closed = Signal()
    """Emitted from ``closeEvent`` once the window state is saved (``gui_main`` then shuts down)."""

    send_finished = Signal(int, object)
    """``(row_id, SendResult)`` after every send from this window (row_id -1 when no row)."""

    def __init__(self, context: AppContext, *, profile_name: str, show_welcome: bool = False) -> None:
        super().__init__()
        self.context = context
        self.bridge = context.bridge
        self.setObjectName("mainWindow")
        self.setWindowTitle("Whats91 Desktop")
        self.setAccessibleName("Whats91 Desktop")
        self._profile_name = profile_name
        self._confirmed_production: set[str] = set()
        self._tasks = TaskSet()
        self._send_in_flight = False
        self._follower_task: asyncio.Task[None] | None = None
        self._started = False
        self._closing = False
        self._wallet_generation = 0
        self._show_welcome = show_welcome
        self.welcome: WelcomeDialog | None = None
        self.profiles_dialog: ProfilesDialog | None = None
        self.last_result: SendResult | None = None
        self.last_send_task: asyncio.Future[Any] | None = None
        self._notice_boxes: list[QMessageBox] = []

        # ---- top bar
        top = QWidget(self)
        top.setObjectName("topBar")
        bar = QHBoxLayout(top)
        bar.setContentsMargins(8, 6, 8, 2)
        self.profile_combo = QComboBox(top)
        self.profile_combo.setObjectName("profileCombo")
        self.profile_combo.setAccessibleName("Profile")
        self.profile_combo.setToolTip("Which Whats91 account and token to use")
        self.profile_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.profile_combo.setMinimumContentsLength(14)
        profile_label = QLabel("&Profile", top)
        profile_label.setBuddy(self.profile_combo)
        self.sender_picker = SenderPicker(top)
        sender_label = QLabel("S&ender", top)
        sender_label.setBuddy(self.sender_picker)
        bar.addWidget(profile_label)
        bar.addWidget(self.profile_combo)
        bar.addSpacing(16)
        bar.addWidget(sender_label)
        bar.addWidget(self.sender_picker)
        bar.addStretch(1)

        # ---- compose | log
        self.compose = ComposePane(self)
        self.log = LogPane(context.store, context.bridge, self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.compose)
        self.splitter.addWidget(self.log)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        # Side by side needs ~1100 px; narrower (a laptop, half a screen) the log goes below
        # the compose pane instead of the window refusing to shrink. See _update_orientation.
        self.splitter.setMinimumWidth(
            max(self.compose.minimumSizeHint().width(), self.log.minimumSizeHint().width())
        )
        self._splitter_sizes: dict[str, list[int]] = {}

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(top)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.status = StatusBar(context.bridge, self)
        self.setStatusBar(self.status)
        self.scenarios_dialog: SandboxScenariosDialog | None = None
        self.about_box: QMessageBox | None = None
        self.token_test_box: QMessageBox | None = None
        self._build_menus()

        # ---- keyboard
        # ComposePane has its own Ctrl+Enter for focus inside it; ours covers the rest of the
        # window and steps aside while focus is in the pane (two live ones would be ambiguous).
        self._send_shortcuts: list[QShortcut] = []
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(self.compose.trigger_send)
            self._send_shortcuts.append(shortcut)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_app_focus_changed)
        find = QShortcut(QKeySequence.StandardKey.Find, self)
        find.activated.connect(self._on_find_activated)

        # ---- persistence
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(UI_STATE_DEBOUNCE_MS)
        self._save_timer.timeout.connect(self.save_ui_state)

        # ---- wiring
        self.compose.send_requested.connect(self._on_compose_send_requested)
        self.compose.templates_wanted.connect(self._on_compose_templates_wanted)
        self.log.resend_requested.connect(self._on_log_resend_requested)
        self.log.reconcile_requested.connect(self._on_log_reconcile_requested)
        self.log.refresh_status_requested.connect(self._on_log_refresh_status_requested)
        self.log.curl_requested.connect(self._on_log_curl_requested)
        context.rows.changed.connect(self.log.on_row_changed)
        self.sender_picker.sender_changed.connect(self._on_sender_changed)
        self.splitter.splitterMoved.connect(self._schedule_save)
        self.log.splitter.splitterMoved.connect(self._schedule_save)
        self.log.columns_changed.connect(self._schedule_save)
        tabs = self.compose_tabs()
        if tabs is not None:
            tabs.currentChanged.connect(self._schedule_save)

        self._restore_ui_state()
        self._fill_profile_combo()
        self.profile_combo.currentIndexChanged.connect(self._on_profile_combo_changed)
        self._apply_profile(self._profile_name, initial=True)

    # ------------------------------------------------------------------ menus

    def _menu_action(
        self, menu: QMenu, text: str, name: str, slot: Callable[[], object], tip: str = ""
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        bar.setObjectName("menuBar")
        log = self.log

        file_menu = bar.addMenu("&File")
        file_menu.setObjectName("fileMenu")
        file_menu.addAction(log.export_csv_action)
        file_menu.addAction(log.export_json_action)
        file_menu.addSeparator()
        self.quit_action = self._menu_action(file_menu, "&Quit", "quitAction", self.close, "Close the window")
        self.quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        if self.quit_action.shortcut().isEmpty():  # no platform standard (Windows): Ctrl+Q
            self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)

        profiles = bar.addMenu("&Profiles")
        profiles.setObjectName("profilesMenu")
        self._menu_action(
            profiles,
            "&Add profile…",
            "addProfileAction",
            self.open_add_profile,
            "Add a Whats91 account: base URL, token and senders",
        )
        self._menu_action(
            profiles,
            "&Manage profiles…",
            "manageProfilesAction",
            self.open_profiles_dialog,
            "Edit, rename or delete profiles",
        )
        self.test_token_action = self._menu_action(
            profiles,
            "&Test token…",
            "testTokenAction",
            self.test_token,
            "Ask the API whether this profile's token works for the chosen sender",
        )
        self._menu_action(
            profiles,
            "Switch to &sandbox",
            "switchToSandboxAction",
            lambda: self.switch_profile(SANDBOX_PROFILE_NAME),
            "The built-in emulator: nothing leaves this computer",
        )
        profiles.addSeparator()
        self._profile_actions = QActionGroup(self)
        self._profile_actions.setExclusive(True)
        self._profiles_menu = profiles

        message = bar.addMenu("&Message")
        message.setObjectName("messageMenu")
        # The label shows the shortcut; the window's and the pane's QShortcuts handle the keys
        # (a second, menu-owned Ctrl+Enter would make the key ambiguous inside the pane).
        self.send_action = self._menu_action(
            message, "&Send\tCtrl+Enter", "sendAction", self.compose.trigger_send, "Send the composed message"
        )
        self.send_action.setEnabled(self.compose.is_valid())
        self.compose.validity_changed.connect(lambda ok, _reason: self.send_action.setEnabled(ok))
        message.addSeparator()
        for action in (log.reconcile_action, log.refresh_status_action, log.resend_action):
            message.addAction(action)
        message.addSeparator()
        for action in (log.copy_id_action, log.copy_curl_action):
            message.addAction(action)
        message.addSeparator()
        message.addAction(log.delete_action)
        message.addAction(log.delete_shown_action)

        help_menu = bar.addMenu("&Help")
        help_menu.setObjectName("helpMenu")
        self._menu_action(
            help_menu,
            "Sandbox &scenarios…",
            "sandboxScenariosAction",
            self.show_sandbox_scenarios,
            "The recipient numbers that make the sandbox queue, fail, time out or rate-limit",
        )
        about = self._menu_action(help_menu, "&About Whats91 Desktop", "aboutAction", self.show_about)
        about.setMenuRole(QAction.MenuRole.AboutRole)

    def _fill_profile_menu(self) -> None:
        for action in self._profile_actions.actions():
            self._profile_actions.removeAction(action)
            self._profiles_menu.removeAction(action)
            action.deleteLater()
        names = [*self.context.profile_names(), SANDBOX_PROFILE_NAME]
        for name in names:
            label = "Sandbox (built in)" if name == SANDBOX_PROFILE_NAME else name
            action = QAction(label.replace("&", "&&"), self._profile_actions)
            action.setCheckable(True)
            action.setChecked(name == self._profile_name)
            action.setObjectName(f"useProfileAction:{name}")
            action.triggered.connect(lambda _checked=False, n=name: self.switch_profile(n))
            self._profiles_menu.addAction(action)

    def show_sandbox_scenarios(self) -> SandboxScenariosDialog:
        """Help → Sandbox scenarios… (non-modal; stays open beside the window)."""
        if self.scenarios_dialog is None:
            self.scenarios_dialog = SandboxScenariosDialog(self)
            self.scenarios_dialog.recipient_chosen.connect(self._on_scenario_recipient_chosen)
        self.scenarios_dialog.show()
        self.scenarios_dialog.raise_()
        self.scenarios_dialog.activateWindow()
        return self.scenarios_dialog

    def _on_scenario_recipient_chosen(self, digits: str) -> None:
        if not self.profile.sandbox:
            self.switch_profile(SANDBOX_PROFILE_NAME)
            self.bridge.report_info("Switched to the sandbox: scenario numbers only work there.")
        self.compose.recipient.set_text(format_number(digits) or digits)
        self.compose.recipient.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_about(self) -> QMessageBox:
        """Help → About: version, where the files are, which keychain holds the tokens."""
        paths = self.context.paths
        text = about_html(
            settings_file=str(paths.settings_file),
            log_db=str(paths.log_db),
            log_dir=str(paths.log_dir),
            data_dir=str(paths.data_dir),
            keychain=self.context.secret_store.backend_name,
        )
        if self.about_box is None:
            box = QMessageBox(self)
            box.setObjectName("aboutDialog")
            box.setWindowTitle("About Whats91 Desktop")
            box.setIcon(QMessageBox.Icon.Information)
            box.setTextFormat(Qt.TextFormat.RichText)
            box.setStandardButtons(QMessageBox.StandardButton.Close)
            box.setModal(False)
            box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.about_box = box
        self.about_box.setText(text)
        self.about_box.show()
        return self.about_box

    @qasync.asyncSlot()
    async def test_token(self) -> None:
        """Profiles → Test token…: the token of the profile in use, for the chosen sender."""
        profile_name = self._profile_name
        sender = self.sender_picker.current_sender_id()
        self.test_token_action.setEnabled(False)
        self.bridge.busy.emit(True)
        self.bridge.report_info(f"Testing the token of “{profile_name}”…")
        try:
            client = await self.context.client_for(profile_name)
            check = await client.check_token(sender)
        except Whats91Error as err:
            text = f"The token could not be tested: {err}"
            ok = False
        else:
            text = describe_token_check(check, sender)
            ok = check.ok
            log.info("token test of %r: %s (requestId %s)", profile_name, check.verdict, check.request_id)
        finally:
            self.test_token_action.setEnabled(True)
            self.bridge.busy.emit(False)
        if self._closing:
            return
        (self.bridge.report_info if ok else self.bridge.report_error)(text)
        self._show_token_test(profile_name, text, ok)

    def _show_token_test(self, profile_name: str, text: str, ok: bool) -> None:
        if self.token_test_box is None:
            box = QMessageBox(self)
            box.setObjectName("tokenTestDialog")
            box.setStandardButtons(QMessageBox.StandardButton.Close)
            box.setModal(False)
            box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.token_test_box = box
        box = self.token_test_box
        box.setWindowTitle(f"Token test — {profile_name}")
        box.setIcon(QMessageBox.Icon.Information if ok else QMessageBox.Icon.Warning)
        box.setText(text)
        box.show()

    # ------------------------------------------------------------------ accessors

    @property
    def profile(self) -> Profile:
        return self.context.profile(self._profile_name)

    @property
    def profile_name(self) -> str:
        return self._profile_name

    def compose_tabs(self) -> QTabWidget | None:
        return self.compose.findChild(QTabWidget, "messageTypeTabs")

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run ``coro`` on the loop, keep it alive, and send a bug in it to ``sys.excepthook``."""
        return self._tasks.spawn(coro)

    # ------------------------------------------------------------------ profiles

    def _fill_profile_combo(self) -> None:
        combo = self.profile_combo
        combo.blockSignals(True)
        try:
            combo.clear()
            for profile in self.context.settings.profiles:
                combo.addItem(profile.name, profile.name)
                combo.setItemData(combo.count() - 1, profile.base_url, Qt.ItemDataRole.ToolTipRole)
            combo.addItem("Sandbox (built in)", SANDBOX_PROFILE_NAME)
            combo.setItemData(
                combo.count() - 1,
                "The built-in emulator: nothing leaves this computer",
                Qt.ItemDataRole.ToolTipRole,
            )
            combo.insertSeparator(combo.count())
            combo.addItem("Manage profiles…", MANAGE_PROFILES)
            index = combo.findData(self._profile_name)
            combo.setCurrentIndex(index if index >= 0 else combo.findData(SANDBOX_PROFILE_NAME))
        finally:
            combo.blockSignals(False)
        self._fill_profile_menu()

    def _on_profile_combo_changed(self, index: int) -> None:
        data = self.profile_combo.itemData(index)
        if data == MANAGE_PROFILES:
            self._fill_profile_combo()  # back to the profile in use
            self.open_profiles_dialog()
            return
        if isinstance(data, str) and data != self._profile_name:
            self.switch_profile(data)

    def switch_profile(self, name: str) -> None:
        """Make ``name`` the profile in use (instant: the client is created on first need)."""
        if not self.context.has_profile(name):
            self.bridge.report_error(f"There is no profile called “{name}”.")
            return
        self._apply_profile(name)
        self._fill_profile_combo()
        self._schedule_save()

    def _apply_profile(self, name: str, *, initial: bool = False) -> None:
        self._profile_name = name
        profile = self.profile
        self.compose.set_region(profile.default_region)
        self._fill_senders(select=self._remembered_sender(name))
        self.status.set_profile(
            "Sandbox" if name == SANDBOX_PROFILE_NAME else name, profile.base_url, sandbox=profile.sandbox
        )
        self.setWindowTitle(f"Whats91 Desktop — {name}{' (sandbox)' if profile.sandbox else ''}")
        if not initial:
            self.bridge.report_info(f"Profile: {name}")
        self._wallet_generation += 1
        self.spawn(self._refresh_profile_data(name, self._wallet_generation))

    def _fill_senders(self, select: str | None = None) -> None:
        profile = self.profile
        self.sender_picker.set_senders(profile.senders, profile.default_sender, select=select)
        self.compose.set_sender(self.sender_picker.current_sender_id())

    def _remembered_sender(self, profile_name: str) -> str | None:
        senders = self.context.settings.ui_state.get("last_sender")
        if isinstance(senders, dict):
            value = senders.get(profile_name)
            return value if isinstance(value, str) else None
        return None

    def _on_sender_changed(self, sender_id: object) -> None:
        self.compose.set_sender(sender_id if isinstance(sender_id, str) else None)
        self._schedule_save()

    async def _refresh_profile_data(self, name: str, generation: int) -> None:
        """Recent recipients and the wallet balance of the profile just chosen (quietly)."""
        with contextlib.suppress(Whats91Error):
            recent = await self.context.store.recent_recipients(profile=name)
            if generation == self._wallet_generation:
                self.compose.set_recent_recipients(recent)
        await self._refresh_wallet(name, generation)

    async def _refresh_wallet(self, name: str, generation: int) -> None:
        self.status.set_wallet(None)
        try:
            client = await self.context.client_for(name)
            wallet = await client.fetch_wallet()
        except (AuthError, ForbiddenError):
            return  # this token cannot read the wallet: show nothing
        except Whats91Error:
            return
        if generation == self._wallet_generation and not self._closing:
            self.status.set_wallet(wallet)

    def open_profiles_dialog(self) -> ProfilesDialog:
        if self.profiles_dialog is None:
            self.profiles_dialog = ProfilesDialog(self.context, self)
            self.profiles_dialog.profiles_changed.connect(self._on_profiles_changed)
        self.profiles_dialog.reload(select=self._profile_name)
        self.profiles_dialog.open()
        return self.profiles_dialog

    def open_add_profile(self) -> None:
        dialog = open_profile_dialog(self.context, self)
        dialog.saved.connect(self._on_profile_added)

    def _on_profile_added(self, name: str) -> None:
        self._on_profiles_changed()
        self.switch_profile(name)

    def _on_profiles_changed(self) -> None:
        if not self.context.has_profile(self._profile_name):
            fallback = self.context.settings.active_profile or SANDBOX_PROFILE_NAME
            self._apply_profile(fallback if self.context.has_profile(fallback) else SANDBOX_PROFILE_NAME)
        else:
            self._apply_profile(self._profile_name, initial=True)
        self._fill_profile_combo()

    # ------------------------------------------------------------------ sending

    def _on_compose_send_requested(self, message: OutgoingMessage) -> None:
        self.request_send(message)

    def request_send(self, message: OutgoingMessage, *, parent_id: int | None = None) -> bool:
        """Confirm if needed (a plain modal question, before any coroutine), then send.

        Returns False when the user declined, or when a send is still in flight: one send at
        a time, claimed synchronously here, so two clicks or Ctrl+Enter presses that arrive in
        the same event-loop pass can never both send.
        """
        if self._send_in_flight:
            return False
        self._send_in_flight = True
        self.compose.set_sending(True)
        try:
            return self._confirm_and_send(message, parent_id)
        except BaseException:
            self._send_finished_cleanup()
            raise

    def _confirm_and_send(self, message: OutgoingMessage, parent_id: int | None) -> bool:
        profile = self.profile
        if (
            not profile.sandbox
            and profile.name not in self._confirmed_production
            and self.context.settings.preference("confirm_production_first_send")
        ):
            answer = QMessageBox.question(
                self,
                "Send a real message?",
                f"This is the first send of this session through “{profile.name}” (PRODUCTION, "
                f"{profile.base_url}).\n\nThe message goes to a real person: "
                f"{format_number(message.to) or message.to}. Send it?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                self.bridge.report_info("Not sent.")
                self._send_finished_cleanup()
                return False
            self._confirmed_production.add(profile.name)
        task = self._send_message(message, profile.name, parent_id)
        if isinstance(task, asyncio.Future):
            self._tasks.adopt(task)
            self.last_send_task = task
        return True

    def _send_finished_cleanup(self) -> None:
        self._send_in_flight = False
        self.compose.set_sending(False)

    @qasync.asyncSlot(object, str, object)
    async def _send_message(self, message: OutgoingMessage, profile_name: str, parent_id: int | None) -> None:
        self.bridge.busy.emit(True)
        self.bridge.report_info(f"Sending to {format_number(message.to) or message.to}…")
        row_id = -1
        result: SendResult | None = None
        try:
            client = await self.context.client_for(profile_name)
            row_id, result = await self.context.outbox.send(
                client,
                message,
                profile=profile_name,
                preview=preview_of(message),
                parent_id=parent_id,
                on_retry=self._on_send_retry,
                on_created=self._on_row_created,
            )
        except Whats91Error as err:
            log.warning("send via %r (%s) not made: %s", profile_name, message.kind, type(err).__name__)
            self.bridge.report_error(f"Nothing was sent: {err}")
            return
        finally:
            self._send_finished_cleanup()
            self.bridge.busy.emit(False)
            if row_id >= 0:
                self.log.on_row_changed(row_id)
        # Ids and outcomes only: the text and the recipient are the customer's, not the log's.
        log.info(
            "send row %s via %r (%s%s): %s, HTTP %s, messageId %s, requestId %s%s",
            row_id,
            profile_name,
            message.kind,
            f", again from row {parent_id}" if parent_id else "",
            result.outcome.value,
            result.http_status,
            result.message_id,
            result.request_id,
            f", error {result.error_code}" if result.error_code else "",
        )
        self.last_result = result
        self._report_outcome(row_id, message, result)
        if result.outcome.is_success:
            self.context.follower.track(row_id)
            self._learn_sender(profile_name, message, result)
        if result.outcome in (Outcome.ACCEPTED, Outcome.QUEUED, Outcome.UNKNOWN):
            self.compose.after_sent()
        with contextlib.suppress(Whats91Error):
            recent = await self.context.store.recent_recipients(profile=profile_name)
            if profile_name == self._profile_name:
                self.compose.set_recent_recipients(recent)
        self.send_finished.emit(row_id, result)

    def _on_row_created(self, row_id: int) -> None:
        self.log.refresh()
        self.log.select_row(row_id)

    def _on_send_retry(self, notice: RetryNotice) -> None:
        self.bridge.report_warning(
            f"Attempt {notice.attempt} failed ({notice.reason}); trying again in {notice.delay:.0f} s…"
        )

    def _report_outcome(self, row_id: int, message: OutgoingMessage, result: SendResult) -> None:
        who = format_number(message.to) or message.to
        request_id = f" · requestId {result.request_id}" if result.request_id else ""
        outcome = result.outcome
        if outcome is Outcome.ACCEPTED:
            ident = f" · message id {result.message_id}" if result.message_id else ""
            self.bridge.report_info(
                f"Accepted: message to {who} ({result.status or 'accepted'}){ident}{request_id}"
            )
        elif outcome is Outcome.QUEUED:
            self.bridge.report_info(
                f"Queued: the sender is reconnecting; the message to {who} will go out when it is back"
                f"{request_id}"
            )
        elif outcome is Outcome.REJECTED:
            self.bridge.report_error(rejection_text(result))
        elif outcome is Outcome.UNKNOWN:
            self.bridge.report_warning(
                "Outcome unknown — check before resending (use “Check before resending” on the row). "
                + (result.error_message or "")
            )
        elif outcome is Outcome.UNREACHABLE:
            self.bridge.report_error(
                f"Nothing was sent: {result.error_message or 'the server could not be reached'}"
            )
        else:
            problems = "; ".join(f"{p.field}: {p.message}" for p in result.problems)
            self.bridge.report_error(f"Not sent: {problems or result.error_message or 'invalid message'}")

    def _learn_sender(self, profile_name: str, message: OutgoingMessage, result: SendResult) -> None:
        sender_id = result.sender_id or message.sender_id
        if not sender_id:
            return
        try:
            changed = self.context.remember_sender(profile_name, Sender(sender_id, result.phone_number_id))
        except Whats91Error as err:
            self.bridge.report_warning(f"Could not remember sender {sender_id}: {err}")
            return
        if changed and profile_name == self._profile_name:
            self.sender_picker.blockSignals(True)
            try:
                current = self.sender_picker.current_sender_id()
                profile = self.profile
                self.sender_picker.set_senders(profile.senders, profile.default_sender, select=current)
            finally:
                self.sender_picker.blockSignals(False)

    # ------------------------------------------------------------------ templates

    @qasync.asyncSlot()
    async def _on_compose_templates_wanted(self) -> None:
        profile_name = self._profile_name
        sender = self.sender_picker.current_sender_id()
        try:
            client = await self.context.client_for(profile_name)
            templates = await client.list_templates(sender)
        except Whats91Error as err:
            self.compose.set_templates(None, f"Could not load templates: {err}")
            return
        if profile_name == self._profile_name:
            self.compose.set_templates(templates)

    # ------------------------------------------------------------------ log actions

    async def row_and_message(self, row_id: int) -> tuple[LogEntry | None, OutgoingMessage | None]:
        """A log row and the composed message behind it (the store keeps it as ``message_json``;
        rows logged before that column existed have none)."""
        entry = await self.context.store.get(row_id)
        if entry is None or not entry.message_json:
            return entry, None
        try:
            return entry, message_from_json(entry.message_json)
        except (ValueError, KeyError, TypeError):
            return entry, None

    @qasync.asyncSlot(int)
    async def _on_log_resend_requested(self, row_id: int) -> None:
        entry, message = await self.row_and_message(row_id)
        if entry is None or message is None:
            self.bridge.report_warning(
                f"Row {row_id} cannot be sent again from here: the log keeps only the redacted request, "
                "not the composed message. Compose it again (its request is in the details)."
            )
            return
        if entry.profile != self._profile_name:
            self.bridge.report_warning(
                f"Row {row_id} was sent through “{entry.profile}”; switch to that profile to send it again."
            )
            return
        # A plain question may follow (first production send): leave the coroutine first.
        QTimer.singleShot(0, lambda: self.request_send(message, parent_id=row_id))

    @qasync.asyncSlot(int)
    async def _on_log_reconcile_requested(self, row_id: int) -> None:
        self.bridge.busy.emit(True)
        try:
            result = await self.context.follower.reconcile(row_id)
        except Whats91Error as err:
            text = f"Could not check the reports: {err}. Nothing is known yet — do not resend."
            self.log.show_reconcile_result(row_id, text)
            self.bridge.report_error(text)
            return
        finally:
            self.bridge.busy.emit(False)
        log.info("check before resending, row %s: %s", row_id, "found" if result.found else "not found")
        self.log.show_reconcile_result(row_id, result.explanation)
        self.log.on_row_changed(row_id)
        (self.bridge.report_info if result.found else self.bridge.report_warning)(result.explanation)

    @qasync.asyncSlot(int)
    async def _on_log_refresh_status_requested(self, row_id: int) -> None:
        """Poll one row now, whatever the follow-up's schedule or age limit, and follow it again."""
        self.bridge.busy.emit(True)
        try:
            await self.context.follower.poll_once(row_id)
            entry = await self.context.store.get(row_id)
        except Whats91Error as err:
            self.bridge.report_error(f"Could not read the status: {err}")
            return
        finally:
            self.bridge.busy.emit(False)
        self.log.on_row_changed(row_id)
        if entry is None:
            return
        if not entry.is_final:
            self.context.follower.track(row_id)
        self.bridge.report_info(f"Status of row {row_id}: {entry.display_status}")

    @qasync.asyncSlot(int, bool)
    async def _on_log_curl_requested(self, row_id: int, include_token: bool) -> None:
        entry, message = await self.row_and_message(row_id)
        if message is None or entry is None:
            self.bridge.report_warning(
                f"Row {row_id} was logged without its composed message, so no curl command "
                "can be built. The redacted request is in the details."
            )
            return
        profile_name = entry.profile if self.context.has_profile(entry.profile) else self._profile_name
        try:
            client = await self.context.client_for(profile_name)
            # build_request reads an attached file (up to 16 MB): not on the GUI thread.
            request = await run_blocking(client.build_request, message)
            token = await self.context.load_token(profile_name) if include_token else None
            text = curl_command(request, include_token=include_token, token=token)
        except Whats91Error as err:
            self.bridge.report_error(f"Could not build the curl command: {err}")
            return
        QGuiApplication.clipboard().setText(text)
        self.bridge.report_info(
            "curl command copied"
            + (" — it contains the token: do not paste it anywhere public" if include_token else "")
        )

    def _on_app_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        inside = new is not None and (new is self.compose or self.compose.isAncestorOf(new))
        for shortcut in self._send_shortcuts:
            shortcut.setEnabled(not inside)

    def _on_find_activated(self) -> None:
        focus = getattr(self.log, "focus_search", None)
        if callable(focus):
            focus()
            return
        edit = self.log.findChild(QLineEdit, "logSearchEdit")
        if edit is not None:
            edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
            edit.selectAll()

    # ------------------------------------------------------------------ start and stop

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._started:
            self._started = True
            QTimer.singleShot(0, self._on_first_shown)

    def _on_first_shown(self) -> None:
        self.start_background()
        for notice in self.context.take_notices():
            self._show_notice(notice)
        if self._show_welcome:
            self._show_welcome = False
            self.show_welcome()

    def start_background(self) -> None:
        """Recover rows left ``sending`` by a crash, then follow every unfinished row."""
        if self._follower_task is not None:
            return

        async def start() -> None:
            # The follower looks clients up without waiting: read the tokens first (keychain worker).
            await self.context.preload_tokens()
            try:
                recovered = await self.context.outbox.recover_interrupted()
                if recovered:
                    self.bridge.report_warning(
                        f"{recovered} message(s) were being sent when the app last closed: their outcome is "
                        "unknown — check before resending."
                    )
                    self.log.refresh()
                await self.context.follower.resume()
            except Whats91Error as err:
                self.bridge.report_error(f"The message log could not be read: {err}")
            await self.context.follower.run()

        self._follower_task = self.spawn(start())

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

    def show_welcome(self) -> WelcomeDialog:
        self.welcome = WelcomeDialog(self)
        self.welcome.sandbox_chosen.connect(lambda: self.switch_profile(SANDBOX_PROFILE_NAME))
        self.welcome.add_token_chosen.connect(self.open_add_profile)
        self.welcome.open()
        return self.welcome

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closing = True
        self.save_ui_state()
        if self._follower_task is not None:
            self._follower_task.cancel()
        self.log.shutdown()
        super().closeEvent(event)
        self.closed.emit()

    async def shutdown(self) -> None:
        """Stop background work and close every client and the store (after ``close()``).

        Touches no Qt object: the window may already be deleted when this runs.
        """
        self._closing = True
        await self._tasks.cancel_and_wait()
        await self.context.aclose()

    # ------------------------------------------------------------------ window state

    def _restore_ui_state(self) -> None:
        state = self.context.settings.ui_state
        geometry = state.get("geometry")
        restored = False
        if isinstance(geometry, str):
            with contextlib.suppress(ValueError):
                restored = self.restoreGeometry(QByteArray(base64.b64decode(geometry)))
        if not restored:
            self.resize(1280, 820)
        for key, orientation in (("splitter", "h"), ("splitter_vertical", "v")):
            sizes = state.get(key)
            if (
                isinstance(sizes, list)
                and len(sizes) == 2
                and all(isinstance(n, int) and n > 0 for n in sizes)
            ):
                self._splitter_sizes[orientation] = sizes
        self.splitter.setSizes(self._splitter_sizes.get("h", [520, 760]))
        self._update_orientation()
        self.log.restore_column_state(state.get("log_columns"))
        log_sizes = state.get("log_splitter")
        if (
            isinstance(log_sizes, list)
            and len(log_sizes) == 2
            and all(isinstance(n, int) and n > 0 for n in log_sizes)
        ):
            self.log.splitter.setSizes(log_sizes)
        tab = state.get("last_tab")
        tabs = self.compose_tabs()
        if tabs is not None and isinstance(tab, int) and 0 <= tab < tabs.count():
            tabs.setCurrentIndex(tab)

    def _schedule_save(self, *_args: object) -> None:
        self._remember_splitter_sizes()
        if not self._closing:
            self._save_timer.start()

    def _orientation_key(self) -> str:
        return "h" if self.splitter.orientation() == Qt.Orientation.Horizontal else "v"

    def _remember_splitter_sizes(self) -> None:
        sizes = [int(n) for n in self.splitter.sizes()]
        if len(sizes) == 2 and all(n > 0 for n in sizes):
            self._splitter_sizes[self._orientation_key()] = sizes

    def side_by_side_width(self) -> int:
        """The central width below which compose and log are stacked instead of side by side."""
        return (
            self.compose.minimumSizeHint().width()
            + self.log.minimumSizeHint().width()
            + self.splitter.handleWidth()
            + 8
        )

    def _update_orientation(self) -> None:
        width = self.width()
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
        default = [520, 760] if key == "h" else [430, 400]
        self.splitter.setSizes(self._splitter_sizes.get(key, default))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_orientation()

    def ui_state(self) -> dict[str, Any]:
        senders = self.context.settings.ui_state.get("last_sender")
        last_sender = dict(senders) if isinstance(senders, dict) else {}
        current_sender = self.sender_picker.current_sender_id()
        if current_sender:
            last_sender[self._profile_name] = current_sender
        else:
            last_sender.pop(self._profile_name, None)
        tabs = self.compose_tabs()
        return {
            "geometry": base64.b64encode(bytes(self.saveGeometry().data())).decode("ascii"),
            "splitter": self._splitter_sizes.get("h"),
            "splitter_vertical": self._splitter_sizes.get("v"),
            "last_profile": self._profile_name,
            "last_tab": tabs.currentIndex() if tabs is not None else None,
            "last_sender": last_sender,
            "log_columns": self.log.column_state(),
            "log_splitter": [int(n) for n in self.log.splitter.sizes()],
        }

    def save_ui_state(self) -> None:
        """Adopt the window state now; the settings worker writes it (atomically, in order)."""
        self._save_timer.stop()
        try:
            settings = with_ui_state(self.context.settings, **self.ui_state())
            if self.context.settings.profile(self._profile_name) is not None:
                settings = with_active_profile(settings, self._profile_name)
            if settings != self.context.settings:
                self.context.save_settings(settings)
        except Whats91Error as err:
            self.bridge.report_warning(f"The window layout could not be saved: {err}")


def rejection_text(result: SendResult) -> str:
    """The API's refusal, with its code and requestId, and a plain explanation where we have one."""
    code = result.error_code or ""
    status = f"HTTP {result.http_status}" if result.http_status is not None else "error"
    head = f"Rejected ({status}{' ' + code if code else ''}): {result.error_message or 'no message'}"
    if result.http_status == 403 and code == "SENDER_NOT_ALLOWED":
        head += (
            " — this token is bound to another sender number, so it may not send from this one. "
            "Choose the number the token was issued for, or use a token with access to all numbers."
        )
    elif result.http_status == 401:
        head += " — the token was refused: it is wrong, expired or revoked. Update it under Manage profiles…"
    else:
        hint = hint_for(code) if code else None
        if hint:
            head += f" — {hint}"
    if result.request_id:
        head += f" · requestId {result.request_id}"
    return head
