"""What the log's row actions do beyond the log itself: check the reports, poll, copy as curl.

None of these ever sends a message: "Check before resending" reads the reports, "Refresh
status" reads one status, and "Copy as curl" builds the request without sending it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import qasync
from PySide6.QtCore import QObject
from PySide6.QtGui import QGuiApplication

from whats91_desktop.core.errors import Whats91Error
from whats91_desktop.core.models import Profile
from whats91_desktop.core.redact import curl_command
from whats91_desktop.services.container import DesktopServices
from whats91_desktop.ui.bridge import MessageBridge
from whats91_desktop.ui.i18n import tr
from whats91_desktop.ui.log.pane import LogPane
from whats91_desktop.ui.log.row_message import row_and_message
from whats91_desktop.ui.tasks import run_blocking

log = logging.getLogger(__name__)


class RowActions(QObject):
    def __init__(
        self,
        desk: DesktopServices,
        bridge: MessageBridge,
        log_pane: LogPane,
        *,
        current_profile: Callable[[], Profile],
    ) -> None:
        super().__init__(log_pane)
        self._desk = desk
        self._bridge = bridge
        self._log_pane = log_pane
        self._current_profile = current_profile
        log_pane.reconcile_requested.connect(self._on_reconcile_requested)
        log_pane.refresh_status_requested.connect(self._on_refresh_status_requested)
        log_pane.curl_requested.connect(self._on_curl_requested)

    @qasync.asyncSlot(int)
    async def _on_reconcile_requested(self, row_id: int) -> None:
        bridge = self._bridge
        bridge.busy.emit(True)
        try:
            result = await self._desk.follower.reconcile(row_id)
        except Whats91Error as err:
            text = f"Could not check the reports: {err}. Nothing is known yet — do not resend."
            self._log_pane.show_reconcile_result(row_id, text)
            bridge.report_error(text)
            return
        finally:
            bridge.busy.emit(False)
        log.info("check before resending, row %s: %s", row_id, "found" if result.found else "not found")
        self._log_pane.show_reconcile_result(row_id, result.explanation)
        self._log_pane.on_row_changed(row_id)
        (bridge.report_info if result.found else bridge.report_warning)(result.explanation)

    @qasync.asyncSlot(int)
    async def _on_refresh_status_requested(self, row_id: int) -> None:
        """Poll one row now, whatever the follow-up's schedule or age limit, and follow it again."""
        bridge = self._bridge
        bridge.busy.emit(True)
        try:
            await self._desk.follower.poll_once(row_id)
            entry = await self._desk.store.get(row_id)
        except Whats91Error as err:
            bridge.report_error(tr("Could not read the status: %1").replace("%1", str(err)))
            return
        finally:
            bridge.busy.emit(False)
        self._log_pane.on_row_changed(row_id)
        if entry is None:
            return
        if not entry.is_final:
            self._desk.follower.track(row_id)
        bridge.report_info(
            tr("Status of row %1: %2").replace("%1", str(row_id)).replace("%2", str(entry.display_status))
        )

    @qasync.asyncSlot(int, bool)
    async def _on_curl_requested(self, row_id: int, include_token: bool) -> None:
        entry, message = await row_and_message(self._desk.store, row_id)
        if message is None or entry is None:
            self._bridge.report_warning(
                tr(
                    "Row %1 was logged without its composed message, so no curl command can be built. "
                    "The redacted request is in the details."
                ).replace("%1", str(row_id))
            )
            return
        services = self._desk.services
        profile = services.profiles.find(entry.profile) or self._current_profile()
        try:
            client = await services.clients.client_for(profile)
            # build_request reads an attached file (up to 16 MB): not on the GUI thread.
            request = await run_blocking(client.build_request, message)
            token = await services.tokens.token_for(profile) if include_token else None
            text = curl_command(request, include_token=include_token, token=token)
        except Whats91Error as err:
            self._bridge.report_error(tr("Could not build the curl command: %1").replace("%1", str(err)))
            return
        QGuiApplication.clipboard().setText(text)
        self._bridge.report_info(
            tr("curl command copied")
            + (tr(" — it contains the token: do not paste it anywhere public") if include_token else "")
        )
