"""Nothing that goes wrong after the fact goes unseen: the banner, the unseen count, the desktop.

A message can fail minutes after it was accepted (Meta's 131026, 131047), and with sends
running in the background one can end ``unknown`` while the user looks at another row. Each
such event is a :meth:`MessageBridge.alert` (``SendFlow`` raises its own; the
:class:`NotificationCenter` watches the rows the status follower changes for late failures),
and each alert

- shows in a non-modal banner above the panes with "Show" (selects its row) and "Dismiss";
- counts as an unseen failure on the log until its row is opened;
- when the window is not the active one, also pops up a desktop notification through the
  system tray, where there is one.

The alert is in the bridge's history too, so the "Messages" popover keeps it until dismissed.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QSystemTrayIcon,
    QToolButton,
    QWidget,
)

from whats91_desktop.core.errors import Whats91Error
from whats91_desktop.core.outcome_text import Severity, late_failure_text
from whats91_desktop.core.store import AsyncMessageStore
from whats91_desktop.ui.bridge import MessageBridge, Notice
from whats91_desktop.ui.i18n import tr
from whats91_desktop.ui.log.model import display_number
from whats91_desktop.ui.log.pane import LogPane
from whats91_desktop.ui.palette import themed_style
from whats91_desktop.ui.tasks import TaskSet

log = logging.getLogger(__name__)

APP_TITLE = "Whats91 Desktop"
DESKTOP_MESSAGE_MS = 10_000
_BANNER_STYLES = {
    Severity.ERROR: "QFrame#notificationBanner { background: $error_surface;"
    " border-bottom: 1px solid $error_border; }",
    Severity.WARNING: "QFrame#notificationBanner { background: $warning_surface;"
    " border-bottom: 1px solid $warning_border; }",
    Severity.INFO: "QFrame#notificationBanner { background: $info_surface;"
    " border-bottom: 1px solid $info_border; }",
}


class NotificationBanner(QFrame):
    """The newest alert not dealt with yet, with "Show" and "Dismiss"; "+N more" when there are more."""

    show_requested = Signal(object)
    """The :class:`Notice` whose row to show."""

    def __init__(self, bridge: MessageBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notificationBanner")
        self.setAccessibleName(tr("Notification"))
        self._bridge = bridge
        self._queue: list[Notice] = []
        self.text_label = QLabel(self)
        self.text_label.setObjectName("notificationText")
        self.text_label.setWordWrap(True)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.more_label = QLabel(self)
        self.more_label.setObjectName("notificationMoreLabel")
        self.show_button = QPushButton(tr("Show"), self)
        self.show_button.setObjectName("notificationShowButton")
        self.show_button.setAccessibleName(tr("Show the message in the log"))
        self.dismiss_button = QToolButton(self)
        self.dismiss_button.setObjectName("notificationDismissButton")
        self.dismiss_button.setText(tr("Dismiss"))
        self.dismiss_button.setAccessibleName(tr("Dismiss the notification"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.text_label, 1)
        layout.addWidget(self.more_label)
        layout.addWidget(self.show_button)
        layout.addWidget(self.dismiss_button)
        self.show_button.clicked.connect(self._on_show_clicked)
        self.dismiss_button.clicked.connect(self._on_dismiss_clicked)
        bridge.history_changed.connect(self._on_bridge_history_changed)
        self.hide()

    @property
    def notice(self) -> Notice | None:
        """The alert shown (None while the banner is hidden)."""
        return self._queue[-1] if self._queue else None

    def push(self, notice: Notice) -> None:
        self._queue.append(notice)
        self._update()

    def _update(self) -> None:
        self._queue = [n for n in self._queue if not n.dismissed]
        notice = self.notice
        self.setVisible(notice is not None)
        if notice is None:
            return
        themed_style(self, _BANNER_STYLES[notice.severity])
        self.text_label.setText(notice.text)
        more = len(self._queue) - 1
        self.more_label.setText(tr("+%1 more").replace("%1", str(more)) if more else "")
        self.show_button.setEnabled(notice.row_id is not None)

    def _on_show_clicked(self) -> None:
        notice = self.notice
        if notice is not None:
            self.show_requested.emit(notice)
            self._bridge.dismiss(notice.id)

    def _on_dismiss_clicked(self) -> None:
        notice = self.notice
        if notice is not None:
            self._bridge.dismiss(notice.id)

    def _on_bridge_history_changed(self) -> None:
        if self._queue:
            self._update()


class DesktopNotifier(QObject):
    """A tray icon, made on first need, that pops up a message outside the window."""

    clicked = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._window = parent
        self._tray: QSystemTrayIcon | None = None

    def notify(self, notice: Notice) -> bool:
        """Pop ``notice`` up on the desktop; False where there is no system tray."""
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return False
        if self._tray is None:
            self._tray = QSystemTrayIcon(self._icon(), self)
            self._tray.setToolTip(APP_TITLE)
            self._tray.messageClicked.connect(self.clicked)
            self._tray.activated.connect(lambda _reason: self.clicked.emit())
        self._tray.show()
        icon = (
            QSystemTrayIcon.MessageIcon.Critical
            if notice.severity is Severity.ERROR
            else QSystemTrayIcon.MessageIcon.Warning
        )
        self._tray.showMessage(APP_TITLE, notice.text, icon, DESKTOP_MESSAGE_MS)
        return True

    def _icon(self) -> QIcon:
        icon = self._window.windowIcon()
        if icon.isNull():
            icon = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        return icon

    def hide(self) -> None:
        if self._tray is not None:
            self._tray.hide()


class NotificationCenter(QObject):
    """Turns alerts into the banner, the log's unseen count and desktop notifications, and
    watches the follower's row changes for messages that fail after they were accepted."""

    def __init__(
        self,
        window: QWidget,
        bridge: MessageBridge,
        log_pane: LogPane,
        store: AsyncMessageStore,
        *,
        desktop: DesktopNotifier | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._bridge = bridge
        self._log_pane = log_pane
        self._store = store
        self._tasks = TaskSet()
        self._failed_seen: set[int] = set()
        self._desktop_row: int | None = None
        self.banner = NotificationBanner(bridge, window)
        self.desktop = desktop if desktop is not None else DesktopNotifier(window)
        bridge.alerted.connect(self._on_bridge_alerted)
        self.banner.show_requested.connect(self._on_banner_show_requested)
        self.desktop.clicked.connect(self._on_desktop_clicked)

    def on_row_changed(self, row_id: int) -> None:
        """A row changed outside our own sends (the status follower): did it just fail?"""
        if row_id not in self._failed_seen:
            self._tasks.spawn(self._check_failed(row_id))

    def shutdown(self) -> None:
        self._tasks.cancel_all()
        self.desktop.hide()

    async def _check_failed(self, row_id: int) -> None:
        try:
            entry = await self._store.get(row_id)
        except Whats91Error:
            return
        if entry is None or entry.display_status != "failed" or row_id in self._failed_seen:
            return
        self._failed_seen.add(row_id)
        who = display_number(entry.recipient) or entry.recipient
        text = late_failure_text(who, entry.error_code, entry.error_message)
        if self._watching(row_id):
            self._bridge.report(Severity.ERROR, text, row_id=row_id)
        else:
            self._bridge.alert(Severity.ERROR, text, row_id=row_id)

    def _watching(self, row_id: int) -> bool:
        """The user has this row open in the active window: they see it change."""
        return self._log_pane.current_row_id() == row_id and self._window.isActiveWindow()

    def _on_bridge_alerted(self, notice: Notice) -> None:
        self.banner.push(notice)
        if notice.row_id is not None:
            self._log_pane.add_unseen(notice.row_id)
        if not self._window.isActiveWindow() and self.desktop.notify(notice):
            self._desktop_row = notice.row_id
            log.info("desktop notification for log row %s", notice.row_id)

    def _on_banner_show_requested(self, notice: Notice) -> None:
        if notice.row_id is not None:
            self._log_pane.show_row(notice.row_id)

    def _on_desktop_clicked(self) -> None:
        window = self._window
        window.showNormal()
        window.raise_()
        window.activateWindow()
        if self._desktop_row is not None:
            self._log_pane.show_row(self._desktop_row)
