"""Saying plainly what a token check found, always with the requestId support will ask for."""

from __future__ import annotations

import logging

import qasync
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QWidget

from whats91_desktop.core.client import TokenCheck
from whats91_desktop.core.errors import Whats91Error
from whats91_desktop.core.models import Profile
from whats91_desktop.core.phone import format_number
from whats91_desktop.services.client_pool import ClientPool
from whats91_desktop.ui.bridge import MessageBridge
from whats91_desktop.ui.i18n import tr

log = logging.getLogger(__name__)


def describe_token_check(check: TokenCheck, sender_id: str | None = None) -> str:
    """One or two sentences for the profile dialog (and the status bar)."""
    sender = format_number(sender_id) if sender_id else None
    detail = f" ({check.message})" if check.message else ""
    if check.verdict == "valid":
        text = f"The token is valid{f' for sender {sender}' if sender else ''}."
    elif check.verdict == "invalid":
        text = (
            "The token is invalid or expired (HTTP 401): it was refused. "
            f"Paste a fresh token from the Whats91 dashboard.{detail}"
        )
    elif check.verdict == "forbidden":
        who = f"sender {sender}" if sender else "this sender"
        text = (
            f"The token works, but not for {who} (HTTP 403): it is bound to another number "
            f"(wrong scope). Pick the number the token was issued for, or use another token.{detail}"
        )
    elif check.verdict == "unreachable":
        text = f"The server could not be reached: check the base URL and your connection.{detail}"
    else:
        status = f"HTTP {check.http_status}" if check.http_status is not None else "no usable answer"
        text = f"Unknown response ({status}): the token could not be confirmed.{detail}"
    if check.request_id:
        text += f" requestId: {check.request_id}"
    return text


class TokenTester(QObject):
    """Profiles → Test token…: the token of the profile in use, for the chosen sender.

    The answer goes to the status bar and to a non-modal box (``box``) that stays open beside
    the window, so the requestId can be copied from it.
    """

    def __init__(
        self,
        clients: ClientPool,
        bridge: MessageBridge,
        *,
        action: QAction,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._clients = clients
        self._bridge = bridge
        self._action = action
        self._parent = parent
        self.box: QMessageBox | None = None
        self.closing = False

    @qasync.asyncSlot(object, object)
    async def run(self, profile: Profile, sender: str | None) -> None:
        self._action.setEnabled(False)
        self._bridge.busy.emit(True)
        self._bridge.report_info(tr("Testing the token of “%1”…").replace("%1", str(profile.name)))
        try:
            client = await self._clients.client_for(profile)
            check = await client.check_token(sender)
        except Whats91Error as err:
            text = f"The token could not be tested: {err}"
            ok = False
        else:
            text = describe_token_check(check, sender)
            ok = check.ok
            log.info("token test of %r: %s (requestId %s)", profile.name, check.verdict, check.request_id)
        finally:
            self._action.setEnabled(True)
            self._bridge.busy.emit(False)
        if self.closing:
            return
        (self._bridge.report_info if ok else self._bridge.report_error)(text)
        self._show(profile.name, text, ok)

    def _show(self, profile_name: str, text: str, ok: bool) -> None:
        if self.box is None:
            box = QMessageBox(self._parent)
            box.setObjectName("tokenTestDialog")
            box.setStandardButtons(QMessageBox.StandardButton.Close)
            box.setModal(False)
            box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.box = box
        box = self.box
        box.setWindowTitle(tr("Token test — %1").replace("%1", str(profile_name)))
        box.setIcon(QMessageBox.Icon.Information if ok else QMessageBox.Icon.Warning)
        box.setText(text)
        box.show()
