"""The window's status bar: which profile, which server, sandbox or production, the wallet, messages.

The SANDBOX / PRODUCTION badge is the one thing a support person must never misread, so it is
a permanent, coloured, bold label rather than a line of text that a message could replace.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from whats91_desktop.core.models import Wallet
from whats91_desktop.ui.bridge import MessageBridge

_BADGE_STYLES = {
    True: "QLabel { background: #f5b000; color: #1a1a1a; font-weight: bold; padding: 2px 10px;"
    " border-radius: 4px; }",
    False: "QLabel { background: #c62828; color: #ffffff; font-weight: bold; padding: 2px 10px;"
    " border-radius: 4px; }",
}
_LEVEL_COLOURS = {"info": "", "warning": "color: #8a5a00;", "error": "color: #b00020; font-weight: bold;"}
_LEVEL_TIMEOUT_MS = {"info": 10_000, "warning": 30_000, "error": 0}  # errors stay until replaced


class StatusBar(QStatusBar):
    """Subscribes to the bridge; the window tells it about the profile and the wallet."""

    def __init__(self, bridge: MessageBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBar")
        self.setSizeGripEnabled(True)

        self.message_label = QLabel(self)
        self.message_label.setObjectName("statusMessage")
        self.message_label.setAccessibleName("Status message")
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.setMinimumWidth(120)
        self.addWidget(self.message_label, 1)

        self.busy_label = QLabel("Working…", self)
        self.busy_label.setObjectName("busyLabel")
        self.busy_label.setAccessibleName("Busy")
        self.busy_label.hide()
        self.addPermanentWidget(self.busy_label)

        self.wallet_label = QLabel(self)
        self.wallet_label.setObjectName("walletLabel")
        self.wallet_label.setAccessibleName("Wallet balance")
        self.wallet_label.hide()
        self.addPermanentWidget(self.wallet_label)

        self.profile_label = QLabel(self)
        self.profile_label.setObjectName("profileLabel")
        self.profile_label.setAccessibleName("Active profile")
        self.addPermanentWidget(self.profile_label)

        self.base_url_label = QLabel(self)
        self.base_url_label.setObjectName("baseUrlLabel")
        self.base_url_label.setAccessibleName("Base URL")
        self.base_url_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.addPermanentWidget(self.base_url_label)

        self.badge = QLabel(self)
        self.badge.setObjectName("environmentBadge")
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.addPermanentWidget(self.badge)

        self._clear_timer = QTimer(self)
        self._clear_timer.setSingleShot(True)
        self._clear_timer.timeout.connect(self._on_clear_timer_timeout)
        self.level = "info"

        bridge.info.connect(self.show_info)
        bridge.warning.connect(self.show_warning)
        bridge.error.connect(self.show_error)
        bridge.busy.connect(self.set_busy)

    # ------------------------------------------------------------------ profile and wallet

    def set_profile(self, name: str, base_url: str, *, sandbox: bool) -> None:
        self.profile_label.setText(f"Profile: {name}")
        self.base_url_label.setText(base_url)
        self.base_url_label.setToolTip(base_url)
        self.badge.setText("SANDBOX" if sandbox else "PRODUCTION")
        self.badge.setStyleSheet(_BADGE_STYLES[sandbox])
        self.badge.setAccessibleName(
            "Sandbox: nothing leaves this computer" if sandbox else "Production: messages reach real people"
        )
        self.badge.setToolTip(self.badge.accessibleName())
        self.set_wallet(None)

    def set_wallet(self, wallet: Wallet | None) -> None:
        """Show the balance, or hide the label (no wallet access, or not fetched yet)."""
        if wallet is None or wallet.balance is None:
            self.wallet_label.hide()
            self.wallet_label.clear()
            return
        currency = f" {wallet.currency}" if wallet.currency else ""
        self.wallet_label.setText(f"Wallet: {wallet.balance:,.2f}{currency}")
        self.wallet_label.show()

    def set_busy(self, busy: bool) -> None:
        """Show "Working…" while a call the user started is in flight (``bridge.busy``)."""
        self.busy_label.setVisible(bool(busy))

    # ------------------------------------------------------------------ messages

    def show_info(self, text: str) -> None:
        self._show("info", text)

    def show_warning(self, text: str) -> None:
        self._show("warning", text)

    def show_error(self, text: str) -> None:
        self._show("error", text)

    def _show(self, level: str, text: str) -> None:
        self.level = level
        self.message_label.setStyleSheet(f"QLabel {{ {_LEVEL_COLOURS[level]} }}")
        # One line in the bar; the full text (API errors can be long) in the tooltip.
        first_line = text.splitlines()[0] if text else ""
        self.message_label.setText(first_line if len(first_line) <= 200 else first_line[:199] + "…")
        self.message_label.setToolTip(text)
        self.message_label.setAccessibleDescription(text)
        timeout = _LEVEL_TIMEOUT_MS[level]
        if timeout:
            self._clear_timer.start(timeout)
        else:
            self._clear_timer.stop()

    @property
    def message_text(self) -> str:
        """The whole last message (the label may show it shortened)."""
        return self.message_label.toolTip()

    def _on_clear_timer_timeout(self) -> None:
        self.message_label.clear()
        self.message_label.setToolTip("")
