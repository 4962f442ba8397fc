"""The profile in use: the top bar (profile and sender), the Profiles menu entries, and
what switching changes (senders, region, status bar, wallet, recent recipients).

Switching is instant: the profile's client is built on first need, and the wallet and the
recent recipients arrive in the background; a generation counter drops answers that come
back after the user has switched again. The wallet is read again after accepted sends,
once they pause (a burst of sends costs one read).
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QMenu, QWidget

from whats91_desktop.core.errors import AuthError, ForbiddenError, Whats91Error
from whats91_desktop.core.models import Profile
from whats91_desktop.services.container import DesktopServices
from whats91_desktop.services.sandbox_profile import SANDBOX_PROFILE_NAME
from whats91_desktop.ui.bridge import MessageBridge
from whats91_desktop.ui.compose.pane import ComposePane
from whats91_desktop.ui.i18n import tr
from whats91_desktop.ui.sender_picker import SenderPicker
from whats91_desktop.ui.status_bar import StatusBar
from whats91_desktop.ui.tasks import TaskSet

MANAGE_PROFILES = "\x00manage"
"""Item data of the "Manage profiles…" entry of the profile combo (no profile can be named so)."""
WALLET_REFRESH_DEBOUNCE_MS = 2000


class ProfileSwitcher(QObject):
    profile_changed = Signal(object)
    """The :class:`Profile` now in use (also after an edit of the one in use)."""

    manage_requested = Signal()
    """"Manage profiles…" was chosen in the combo."""

    switched = Signal()
    """The user chose another profile (the window state is saved)."""

    sender_changed = Signal()

    def __init__(
        self,
        desk: DesktopServices,
        bridge: MessageBridge,
        compose: ComposePane,
        status: StatusBar,
        *,
        profile_name: str,
        tasks: TaskSet,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._profiles = desk.services.profiles
        self._bridge = bridge
        self._compose = compose
        self._status = status
        self._tasks = tasks
        self._name = profile_name
        self._generation = 0
        self.closing = False
        self._wallet_timer = QTimer(self)
        self._wallet_timer.setSingleShot(True)
        self._wallet_timer.setInterval(WALLET_REFRESH_DEBOUNCE_MS)
        self._wallet_timer.timeout.connect(self._on_wallet_timer_timeout)

        self.bar = QWidget(parent)
        self.bar.setObjectName("topBar")
        layout = QHBoxLayout(self.bar)
        layout.setContentsMargins(8, 6, 8, 2)
        self.combo = QComboBox(self.bar)
        self.combo.setObjectName("profileCombo")
        self.combo.setAccessibleName("Profile")
        self.combo.setToolTip("Which Whats91 account and token to use")
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.setMinimumContentsLength(14)
        profile_label = QLabel(tr("&Profile"), self.bar)
        profile_label.setBuddy(self.combo)
        self.sender_picker = SenderPicker(self.bar)
        sender_label = QLabel(tr("S&ender"), self.bar)
        sender_label.setBuddy(self.sender_picker)
        layout.addWidget(profile_label)
        layout.addWidget(self.combo)
        layout.addSpacing(16)
        layout.addWidget(sender_label)
        layout.addWidget(self.sender_picker)
        layout.addStretch(1)

        self._menu: QMenu | None = None
        self._menu_actions = QActionGroup(self)
        self._menu_actions.setExclusive(True)
        self.sender_picker.sender_changed.connect(self._on_sender_changed)

    # ------------------------------------------------------------------ accessors

    @property
    def name(self) -> str:
        return self._name

    @property
    def profile(self) -> Profile:
        return self._profiles.get(self._name)

    def current_sender_id(self) -> str | None:
        return self.sender_picker.current_sender_id()

    def attach_menu(self, menu: QMenu) -> None:
        """The Profiles menu: one checkable entry per profile is kept below what it has."""
        self._menu = menu

    # ------------------------------------------------------------------ switching

    def start(self) -> None:
        """Show the initial profile (quietly) and listen to the combo from now on."""
        self._fill()
        self.combo.currentIndexChanged.connect(self._on_combo_changed)
        self._apply(self._name, initial=True)

    def switch(self, name: str) -> bool:
        """Make ``name`` the profile in use; False (and an error shown) when there is none."""
        if not self._profiles.has(name):
            self._bridge.report_error(f"There is no profile called “{name}”.")
            return False
        self._apply(name)
        self._fill()
        self.switched.emit()
        return True

    def profiles_changed(self) -> None:
        """Profiles were added, edited or deleted: stay on ours if it still exists."""
        if not self._profiles.has(self._name):
            fallback = self._desk.services.settings.current.active_profile or SANDBOX_PROFILE_NAME
            self._apply(fallback if self._profiles.has(fallback) else SANDBOX_PROFILE_NAME)
        else:
            self._apply(self._name, initial=True)
        self._fill()

    def refresh_senders(self, profile_name: str) -> None:
        """The profile learned a sender: show it, keeping the one chosen."""
        if profile_name != self._name:
            return
        self.sender_picker.blockSignals(True)
        try:
            current = self.sender_picker.current_sender_id()
            profile = self.profile
            self.sender_picker.set_senders(profile.senders, profile.default_sender, select=current)
        finally:
            self.sender_picker.blockSignals(False)

    def _apply(self, name: str, *, initial: bool = False) -> None:
        self._name = name
        profile = self.profile
        self.sender_picker.set_senders(
            profile.senders, profile.default_sender, select=self._remembered_sender(name)
        )
        self._compose.set_sender(self.sender_picker.current_sender_id())
        self._status.set_profile(
            "Sandbox" if name == SANDBOX_PROFILE_NAME else name, profile.base_url, sandbox=profile.sandbox
        )
        if not initial:
            self._bridge.report_info(f"Profile: {name}")
        self._generation += 1
        self._tasks.spawn(self._refresh_profile_data(profile, self._generation))
        self.profile_changed.emit(profile)

    def refresh_wallet_soon(self, profile_name: str) -> None:
        """A send through ``profile_name`` was accepted: read its balance again once sends pause."""
        if profile_name == self._name and not self.closing:
            self._wallet_timer.start()

    def _on_wallet_timer_timeout(self) -> None:
        if not self.closing:
            self._tasks.spawn(self._refresh_wallet(self.profile, self._generation))

    def _saved_senders(self) -> dict[str, object]:
        """The sender last used per profile, as the window state keeps it (``last_sender``)."""
        senders = self._desk.services.settings.current.ui_state.get("last_sender")
        return dict(senders) if isinstance(senders, dict) else {}

    def _remembered_sender(self, profile_name: str) -> str | None:
        value = self._saved_senders().get(profile_name)
        return value if isinstance(value, str) else None

    def last_senders(self) -> dict[str, object]:
        """``last_sender`` for the window state: the saved ones, with this profile's updated."""
        senders = self._saved_senders()
        current = self.current_sender_id()
        if current:
            senders[self._name] = current
        else:
            senders.pop(self._name, None)
        return senders

    def _fill(self) -> None:
        combo = self.combo
        combo.blockSignals(True)
        try:
            combo.clear()
            for profile in self._profiles.saved():
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
            index = combo.findData(self._name)
            combo.setCurrentIndex(index if index >= 0 else combo.findData(SANDBOX_PROFILE_NAME))
        finally:
            combo.blockSignals(False)
        self._fill_menu()

    def _fill_menu(self) -> None:
        menu = self._menu
        if menu is None:
            return
        for action in self._menu_actions.actions():
            self._menu_actions.removeAction(action)
            menu.removeAction(action)
            action.deleteLater()
        for name in [*self._profiles.names(), SANDBOX_PROFILE_NAME]:
            label = "Sandbox (built in)" if name == SANDBOX_PROFILE_NAME else name
            action = QAction(label.replace("&", "&&"), self._menu_actions)
            action.setCheckable(True)
            action.setChecked(name == self._name)
            action.setObjectName(f"useProfileAction:{name}")
            action.triggered.connect(lambda _checked=False, n=name: self.switch(n))
            menu.addAction(action)

    def _on_combo_changed(self, index: int) -> None:
        data = self.combo.itemData(index)
        if data == MANAGE_PROFILES:
            self._fill()  # back to the profile in use
            self.manage_requested.emit()
            return
        if isinstance(data, str) and data != self._name:
            self.switch(data)

    def _on_sender_changed(self, sender_id: object) -> None:
        self._compose.set_sender(sender_id if isinstance(sender_id, str) else None)
        self.sender_changed.emit()

    # ------------------------------------------------------------------ background data

    async def _refresh_profile_data(self, profile: Profile, generation: int) -> None:
        """Recent recipients and the wallet balance of the profile just chosen (quietly)."""
        with contextlib.suppress(Whats91Error):
            recent = await self._desk.store.recent_recipients(profile=profile.name)
            if generation == self._generation:
                self._compose.set_recent_recipients(recent)
        self._status.set_wallet(None)
        await self._refresh_wallet(profile, generation)

    async def _refresh_wallet(self, profile: Profile, generation: int) -> None:
        try:
            client = await self._desk.services.clients.client_for(profile)
            wallet = await client.fetch_wallet()
        except (AuthError, ForbiddenError):
            return  # this token cannot read the wallet: show nothing
        except Whats91Error:
            return
        if generation == self._generation and not self.closing:
            self._status.set_wallet(wallet)
