"""The window's status bar: which profile, which server, sandbox or production, the wallet, messages.

The SANDBOX / PRODUCTION badge is the one thing a support person must never misread, so it is
a permanent, coloured, bold label rather than a line of text that a message could replace.

The latest message is one line, elided to the room it has (never clipped under the wallet).
Nothing is only in a tooltip: every message is kept in the "Messages" popover, whose button
counts the warnings and errors not dismissed yet; they stay there until the user dismisses them.
"""

from __future__ import annotations

import time
from datetime import datetime

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QStatusBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from whats91_desktop.core.models import Wallet
from whats91_desktop.core.outcome_text import Severity
from whats91_desktop.ui.bridge import MessageBridge, Notice
from whats91_desktop.ui.elided_label import ElidedLabel
from whats91_desktop.ui.i18n import tr
from whats91_desktop.ui.palette import colour, themed_style

_BADGE_STYLES = {
    True: "QLabel { background: #f5b000; color: #1a1a1a; font-weight: bold; padding: 2px 10px;"
    " border-radius: 4px; }",
    False: "QLabel { background: #c62828; color: #ffffff; font-weight: bold; padding: 2px 10px;"
    " border-radius: 4px; }",
}
_LEVEL_COLOURS = {"info": "", "warning": "color: $warning;", "error": "color: $alarm; font-weight: bold;"}
_LEVEL_TIMEOUT_MS = {"info": 10_000, "warning": 30_000, "error": 0}  # errors stay until replaced
_NOTICE_COLOURS = {Severity.INFO: "text", Severity.WARNING: "warning", Severity.ERROR: "alarm"}
"""Palette roles (``ui.palette``): the marks ℹ ⚠ ✖ say the same without colour."""
_NOTICE_MARKS = {Severity.INFO: "ℹ", Severity.WARNING: "⚠", Severity.ERROR: "✖"}
POPOVER_SIZE = (520, 360)


class MessagesPopover(QFrame):
    """Every message of the session, newest first, each in full; pending ones stand out."""

    show_row_requested = Signal(int)

    def __init__(self, bridge: MessageBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("messagesPopover")
        self.setAccessibleName(tr("Messages"))
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._bridge = bridge
        self.list = QListWidget(self)
        self.list.setObjectName("messagesList")
        self.list.setAccessibleName(tr("Messages, newest first"))
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.currentItemChanged.connect(self._on_list_current_item_changed)
        self.list.itemActivated.connect(self._on_list_item_activated)
        self.show_button = QPushButton(tr("Show row"), self)
        self.show_button.setObjectName("messagesShowRowButton")
        self.dismiss_button = QPushButton(tr("Dismiss"), self)
        self.dismiss_button.setObjectName("messagesDismissButton")
        self.dismiss_all_button = QPushButton(tr("Dismiss all"), self)
        self.dismiss_all_button.setObjectName("messagesDismissAllButton")
        self.show_button.clicked.connect(self._on_show_clicked)
        self.dismiss_button.clicked.connect(self._on_dismiss_clicked)
        self.dismiss_all_button.clicked.connect(bridge.dismiss_all)
        buttons = QHBoxLayout()
        buttons.addWidget(self.show_button)
        buttons.addStretch(1)
        buttons.addWidget(self.dismiss_button)
        buttons.addWidget(self.dismiss_all_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.resize(*POPOVER_SIZE)
        bridge.history_changed.connect(self.reload)

    def reload(self) -> None:
        """Show the history again (at once while open; when next opened otherwise)."""
        if self.isVisible():
            self._rebuild()

    def _rebuild(self) -> None:
        current = self._current_notice()
        self.list.clear()
        for notice in reversed(self._bridge.history):
            self.list.addItem(self._item(notice))
        if current is not None:
            for row in range(self.list.count()):
                if self.list.item(row).data(Qt.ItemDataRole.UserRole) == current.id:
                    self.list.setCurrentRow(row)
        self._update_buttons()

    def _item(self, notice: Notice) -> QListWidgetItem:
        when = datetime.fromtimestamp(notice.at).strftime("%H:%M:%S")
        item = QListWidgetItem(f"{_NOTICE_MARKS[notice.severity]} {when}  {notice.text}")
        item.setData(Qt.ItemDataRole.UserRole, notice.id)
        item.setToolTip(notice.text)
        role = _NOTICE_COLOURS[notice.severity] if not notice.dismissed else "inactive"
        item.setForeground(QBrush(QColor(colour(role))))
        if notice.pending:
            font = QFont(item.font())
            font.setBold(True)
            item.setFont(font)
        return item

    def open_at(self, anchor: QPoint) -> None:
        """Open with its bottom-left corner at ``anchor`` (the button's top-left, globally)."""
        self._rebuild()
        self.move(anchor - QPoint(0, self.height()))
        self.show()
        self.list.setFocus()

    def _current_notice(self) -> Notice | None:
        item = self.list.currentItem()
        wanted = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return next((n for n in self._bridge.history if n.id == wanted), None)

    def _update_buttons(self) -> None:
        notice = self._current_notice()
        self.show_button.setEnabled(notice is not None and notice.row_id is not None)
        self.dismiss_button.setEnabled(notice is not None and notice.pending)
        self.dismiss_all_button.setEnabled(bool(self._bridge.pending()))

    def _on_list_current_item_changed(self, _current: object, _previous: object) -> None:
        self._update_buttons()

    def _on_list_item_activated(self, _item: QListWidgetItem) -> None:
        self._on_show_clicked()

    def _on_show_clicked(self) -> None:
        notice = self._current_notice()
        if notice is not None and notice.row_id is not None:
            self.hide()
            self.show_row_requested.emit(notice.row_id)

    def _on_dismiss_clicked(self) -> None:
        notice = self._current_notice()
        if notice is not None:
            self._bridge.dismiss(notice.id)


class StatusBar(QStatusBar):
    """Subscribes to the bridge; the window tells it about the profile and the wallet."""

    def __init__(self, bridge: MessageBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBar")
        self.setSizeGripEnabled(True)
        self._bridge = bridge

        self.messages_button = QToolButton(self)
        self.messages_button.setObjectName("messagesButton")
        self.messages_button.setAccessibleName(tr("Messages"))
        self.messages_button.setToolTip(tr("Every message of this session; warnings stay until dismissed"))
        self.messages_button.clicked.connect(self.open_messages)
        self.addWidget(self.messages_button)

        self.message_label = ElidedLabel(self, lines=1)
        self.message_label.setObjectName("statusMessage")
        self.message_label.setAccessibleName(tr("Status message"))
        self.message_label.setMinimumWidth(120)
        # The message takes the room left whatever its text: a size that followed the text would
        # move every permanent widget, and repaint the bar, at each message (several a send).
        self.message_label.setSizePolicy(
            QSizePolicy.Policy.Ignored, self.message_label.sizePolicy().verticalPolicy()
        )
        self.addWidget(self.message_label, 1)

        self.busy_label = QLabel(tr("Working…"), self)
        self.busy_label.setObjectName("busyLabel")
        self.busy_label.setAccessibleName(tr("Busy"))
        self.busy_label.hide()
        # Its room is kept while hidden: shown and hidden around each send, it would otherwise
        # move the widgets beside it and repaint the bar each time.
        busy_policy = self.busy_label.sizePolicy()
        busy_policy.setRetainSizeWhenHidden(True)
        self.busy_label.setSizePolicy(busy_policy)
        self.addPermanentWidget(self.busy_label)

        self.wallet_label = QLabel(self)
        self.wallet_label.setObjectName("walletLabel")
        self.wallet_label.setAccessibleName(tr("Wallet balance"))
        self.wallet_label.hide()
        self.addPermanentWidget(self.wallet_label)

        self.profile_label = QLabel(self)
        self.profile_label.setObjectName("profileLabel")
        self.profile_label.setAccessibleName(tr("Active profile"))
        self.addPermanentWidget(self.profile_label)

        self.base_url_label = QLabel(self)
        self.base_url_label.setObjectName("baseUrlLabel")
        self.base_url_label.setAccessibleName(tr("Base URL"))
        self.base_url_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.addPermanentWidget(self.base_url_label)

        self.badge = QLabel(self)
        self.badge.setObjectName("environmentBadge")
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.addPermanentWidget(self.badge)

        self.popover = MessagesPopover(bridge, self)
        self.show_row_requested = self.popover.show_row_requested

        self._clear_timer = QTimer(self)
        self._clear_timer.setSingleShot(True)
        self._clear_timer.timeout.connect(self._on_clear_timer_timeout)
        self.level = "info"
        self._last_text = ""

        bridge.info.connect(self.show_info)
        bridge.warning.connect(self.show_warning)
        bridge.error.connect(self.show_error)
        bridge.busy.connect(self.set_busy)
        bridge.history_changed.connect(self._update_messages_button)
        self._update_messages_button()

    # ------------------------------------------------------------------ profile and wallet

    def set_profile(self, name: str, base_url: str, *, sandbox: bool) -> None:
        self.profile_label.setText(tr("Profile: %1").replace("%1", str(name)))
        self.base_url_label.setText(base_url)
        self.base_url_label.setToolTip(base_url)
        self.badge.setText(tr("SANDBOX") if sandbox else tr("PRODUCTION"))
        self.badge.setStyleSheet(_BADGE_STYLES[sandbox])
        self.badge.setAccessibleName(
            tr("Sandbox: nothing leaves this computer")
            if sandbox
            else tr("Production: messages reach real people")
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
        self.wallet_label.setToolTip(tr("Balance at %1").replace("%1", str(time.strftime("%H:%M:%S"))))
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
        self._last_text = text
        themed_style(self.message_label, f"QLabel {{ {_LEVEL_COLOURS[level]} }}")
        self.message_label.set_full_text(text.splitlines()[0] if text else "", tooltip=text)
        self.message_label.setAccessibleDescription(text)
        timeout = _LEVEL_TIMEOUT_MS[level]
        if timeout:
            self._clear_timer.start(timeout)
        else:
            self._clear_timer.stop()

    @property
    def message_text(self) -> str:
        """The whole last message (the label may show it shortened)."""
        return self._last_text

    def open_messages(self) -> MessagesPopover:
        """The "Messages" popover, above its button."""
        anchor = self.messages_button.mapToGlobal(QPoint(0, 0))
        self.popover.open_at(anchor)
        return self.popover

    def _update_messages_button(self) -> None:
        pending = self._bridge.pending()
        count = len(pending)
        self.messages_button.setText(
            tr("Messages (%1)").replace("%1", str(count)) if count else tr("Messages")
        )
        errors = any(n.severity is Severity.ERROR for n in pending)
        themed_style(
            self.messages_button,
            "QToolButton { color: $alarm; font-weight: bold; }"
            if errors
            else ("QToolButton { color: $warning; font-weight: bold; }" if count else ""),
        )
        self.messages_button.setAccessibleDescription(
            tr("%1 warning%2 or error%3 not dismissed")
            .replace("%1", str(count))
            .replace("%2", str("s" if count != 1 else ""))
            .replace("%3", str("s" if count != 1 else ""))
        )

    def _on_clear_timer_timeout(self) -> None:
        self.message_label.set_full_text("")
        self._last_text = ""
