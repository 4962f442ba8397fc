"""The send controller: from the compose pane's request to a logged, reported outcome.

One send at a time per window, claimed synchronously in :meth:`SendFlow.request_send`, so two
clicks or Ctrl+Enter presses that arrive in the same event-loop pass can never both send. The
first production send of a session asks first — a plain modal question, asked before any
coroutine starts (a modal dialog inside a coroutine would re-enter the loop). The outbox
writes the log row before the request leaves.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

import qasync
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from whats91_desktop.core.errors import Whats91Error
from whats91_desktop.core.models import Outcome, OutgoingMessage, Profile, RetryNotice, Sender, SendResult
from whats91_desktop.core.outbox import preview_of
from whats91_desktop.core.outcome_text import describe_outcome
from whats91_desktop.core.phone import format_number
from whats91_desktop.services.container import DesktopServices
from whats91_desktop.ui.bridge import MessageBridge
from whats91_desktop.ui.compose.pane import ComposePane
from whats91_desktop.ui.log.pane import LogPane
from whats91_desktop.ui.log.row_message import row_and_message
from whats91_desktop.ui.tasks import TaskSet

log = logging.getLogger(__name__)


class SendFlow(QObject):
    send_finished = Signal(int, object)
    """``(row_id, SendResult)`` after every send (row_id -1 when no row was written)."""

    senders_changed = Signal(str)
    """A send taught the profile (its name) a sender or a phoneNumberId."""

    def __init__(
        self,
        desk: DesktopServices,
        bridge: MessageBridge,
        compose: ComposePane,
        log_pane: LogPane,
        *,
        current_profile: Callable[[], Profile],
        dialog_parent: QWidget,
        tasks: TaskSet,
    ) -> None:
        super().__init__(dialog_parent)
        self._desk = desk
        self._bridge = bridge
        self._compose = compose
        self._log_pane = log_pane
        self._current_profile = current_profile
        self._dialog_parent = dialog_parent
        self._tasks = tasks
        self._in_flight = False
        self._confirmed_production: set[str] = set()
        compose.send_requested.connect(self.request_send)
        log_pane.resend_requested.connect(self._on_log_resend_requested)

    def request_send(self, message: OutgoingMessage, *, parent_id: int | None = None) -> bool:
        """Confirm if needed, then send. False when the user declined or a send is in flight."""
        if self._in_flight:
            return False
        self._in_flight = True
        self._compose.set_sending(True)
        try:
            return self._confirm_and_send(message, parent_id)
        except BaseException:
            self._finished_cleanup()
            raise

    def _confirm_and_send(self, message: OutgoingMessage, parent_id: int | None) -> bool:
        profile = self._current_profile()
        settings = self._desk.services.settings.current
        if (
            not profile.sandbox
            and profile.name not in self._confirmed_production
            and settings.preference("confirm_production_first_send")
        ):
            answer = QMessageBox.question(
                self._dialog_parent,
                "Send a real message?",
                f"This is the first send of this session through “{profile.name}” (PRODUCTION, "
                f"{profile.base_url}).\n\nThe message goes to a real person: "
                f"{format_number(message.to) or message.to}. Send it?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                self._bridge.report_info("Not sent.")
                self._finished_cleanup()
                return False
            self._confirmed_production.add(profile.name)
        task = self._send(message, profile, parent_id)
        if isinstance(task, asyncio.Future):  # what an asyncSlot called directly returns
            self._tasks.adopt(task)
        return True

    def _finished_cleanup(self) -> None:
        self._in_flight = False
        self._compose.set_sending(False)

    @qasync.asyncSlot(object, object, object)
    async def _send(self, message: OutgoingMessage, profile: Profile, parent_id: int | None) -> None:
        bridge = self._bridge
        bridge.busy.emit(True)
        bridge.report_info(f"Sending to {format_number(message.to) or message.to}…")
        row_id = -1
        result: SendResult | None = None
        try:
            client = await self._desk.services.clients.client_for(profile)
            row_id, result = await self._desk.outbox.send(
                client,
                message,
                profile=profile.name,
                preview=preview_of(message),
                parent_id=parent_id,
                on_retry=self._on_send_retry,
                on_created=self._on_row_created,
            )
        except Whats91Error as err:
            log.warning("send via %r (%s) not made: %s", profile.name, message.kind, type(err).__name__)
            bridge.report_error(f"Nothing was sent: {err}")
            return
        finally:
            self._finished_cleanup()
            bridge.busy.emit(False)
            if row_id >= 0:
                self._log_pane.on_row_changed(row_id)
        # Ids and outcomes only: the text and the recipient are the customer's, not the log's.
        log.info(
            "send row %s via %r (%s%s): %s, HTTP %s, messageId %s, requestId %s%s",
            row_id,
            profile.name,
            message.kind,
            f", again from row {parent_id}" if parent_id else "",
            result.outcome.value,
            result.http_status,
            result.message_id,
            result.request_id,
            f", error {result.error_code}" if result.error_code else "",
        )
        described = describe_outcome(result, format_number(message.to) or message.to)
        bridge.report(described.severity, described.text)
        if result.outcome.is_success:
            self._desk.follower.track(row_id)
            self._learn_sender(profile.name, message, result)
        if result.outcome in (Outcome.ACCEPTED, Outcome.QUEUED, Outcome.UNKNOWN):
            self._compose.after_sent()
        with contextlib.suppress(Whats91Error):
            recent = await self._desk.store.recent_recipients(profile=profile.name)
            if profile.name == self._current_profile().name:
                self._compose.set_recent_recipients(recent)
        self.send_finished.emit(row_id, result)

    def _on_row_created(self, row_id: int) -> None:
        self._log_pane.refresh()
        self._log_pane.select_row(row_id)

    def _on_send_retry(self, notice: RetryNotice) -> None:
        self._bridge.report_warning(
            f"Attempt {notice.attempt} failed ({notice.reason}); trying again in {notice.delay:.0f} s…"
        )

    def _learn_sender(self, profile_name: str, message: OutgoingMessage, result: SendResult) -> None:
        sender_id = result.sender_id or message.sender_id
        if not sender_id:
            return
        try:
            changed = self._desk.services.profiles.remember_sender(
                profile_name, Sender(sender_id, result.phone_number_id)
            )
        except Whats91Error as err:
            self._bridge.report_warning(f"Could not remember sender {sender_id}: {err}")
            return
        if changed:
            self.senders_changed.emit(profile_name)

    # ------------------------------------------------------------------ send again

    @qasync.asyncSlot(int)
    async def _on_log_resend_requested(self, row_id: int) -> None:
        entry, message = await row_and_message(self._desk.store, row_id)
        if entry is None or message is None:
            self._bridge.report_warning(
                f"Row {row_id} cannot be sent again from here: the log keeps only the redacted request, "
                "not the composed message. Compose it again (its request is in the details)."
            )
            return
        if entry.profile != self._current_profile().name:
            self._bridge.report_warning(
                f"Row {row_id} was sent through “{entry.profile}”; switch to that profile to send it again."
            )
            return
        # A plain question may follow (first production send): leave the coroutine first.
        QTimer.singleShot(0, lambda: self.request_send(message, parent_id=row_id))
