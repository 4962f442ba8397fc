"""The send controller: from the compose pane's request to a logged, reported outcome.

Every send runs in the background. The composer is busy only until the send's log row is
committed (a fraction of a second); then the next message can be written and sent while
earlier ones wait for their answers, several at once. What stays one at a time is each
composed message: :meth:`SendFlow.request_send` claims it synchronously, so two clicks or
Ctrl+Enter presses on the same content — even in the same event-loop pass — send it once.

An in-flight row shows how long it has waited against the read timeout and can be
cancelled; a cancelled send ends ``unknown`` (the request may have reached Whats91), never
"not sent". The first production send of a session asks first — a plain modal question,
asked before any coroutine starts (a modal dialog inside a coroutine would re-enter the
loop). The outbox writes the log row before the request leaves.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import qasync
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from whats91_desktop.core.errors import Whats91Error
from whats91_desktop.core.models import Outcome, OutgoingMessage, Profile, RetryNotice, Sender, SendResult
from whats91_desktop.core.outbox import preview_of
from whats91_desktop.core.outcome_text import MAY_HAVE_REACHED, Severity, describe_outcome
from whats91_desktop.core.phone import format_number
from whats91_desktop.services.container import DesktopServices
from whats91_desktop.ui.bridge import MessageBridge
from whats91_desktop.ui.compose.pane import ComposePane
from whats91_desktop.ui.i18n import tr
from whats91_desktop.ui.log.pane import LogPane
from whats91_desktop.ui.log.row_message import row_and_message
from whats91_desktop.ui.tasks import TaskSet

log = logging.getLogger(__name__)


@dataclass(eq=False)
class _Flight:
    """One send from its claim to its outcome."""

    message: OutgoingMessage
    profile: Profile
    parent_id: int | None
    row_id: int | None = None
    task: asyncio.Task[None] | None = None
    cancelled: bool = False
    logged: bool = False  # the row is committed: the composer is free again
    started: float = field(default_factory=time.monotonic)
    on_end: Callable[[SendResult | None], None] | None = None
    """Told the result (None: none came) when the send ends; given by a sender other than the
    composer (a conversation's reply box), whose message the composer must not clear."""
    result: SendResult | None = None

    @property
    def from_composer(self) -> bool:
        return self.parent_id is None and self.on_end is None


class SendFlow(QObject):
    send_finished = Signal(int, object)
    """``(row_id, SendResult)`` after every send that got a result (row_id -1 when no row was written)."""

    senders_changed = Signal(str)
    """A send taught the profile (its name) a sender or a phoneNumberId."""

    accepted = Signal(str)
    """A send through this profile (its name) was accepted or queued: its wallet changed."""

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
        self._flights: list[_Flight] = []
        self._confirmed_production: set[str] = set()
        compose.send_requested.connect(self.request_send)
        log_pane.resend_requested.connect(self._on_log_resend_requested)
        log_pane.cancel_requested.connect(self.cancel)

    # ------------------------------------------------------------------ public API

    @property
    def in_flight(self) -> int:
        """How many sends are under way (claimed and not finished)."""
        return len(self._flights)

    def request_send(
        self,
        message: OutgoingMessage,
        *,
        parent_id: int | None = None,
        on_end: Callable[[SendResult | None], None] | None = None,
    ) -> bool:
        """Confirm if needed, then send in the background. False when the user declined or this
        very message is already being sent. ``on_end`` marks a send that is not the composer's
        and is told its result when it ends."""
        if any(flight.message == message for flight in self._flights):
            self._bridge.report_info(tr("This message is already being sent; change it to send another."))
            return False
        flight = _Flight(message, self._current_profile(), parent_id, on_end=on_end)
        self._claim(flight)
        try:
            if not self._confirmed(flight):
                self._bridge.report_info(tr("Not sent."))
                self._release(flight)
                return False
        except BaseException:
            self._release(flight)
            raise
        flight.task = self._tasks.spawn(self._send(flight))
        if on_end is not None:
            flight.task.add_done_callback(lambda _task: on_end(flight.result))
        return True

    def cancel(self, row_id: int) -> bool:
        """Stop waiting for the answer to the send of ``row_id``; its outcome becomes unknown."""
        flight = next((f for f in self._flights if f.row_id == row_id), None)
        if flight is None or flight.task is None or flight.task.done():
            return False
        flight.cancelled = True
        flight.task.cancel()
        return True

    # ------------------------------------------------------------------ claiming

    def _claim(self, flight: _Flight) -> None:
        self._flights.append(flight)
        self._update_compose()
        self._bridge.busy.emit(True)

    def _release(self, flight: _Flight) -> None:
        if flight in self._flights:
            self._flights.remove(flight)
        self._update_compose()
        if not self._flights:
            self._bridge.busy.emit(False)

    def _update_compose(self) -> None:
        self._compose.set_sending(any(not f.logged for f in self._flights))
        self._compose.set_in_flight([f.message for f in self._flights if f.from_composer])

    def _confirmed(self, flight: _Flight) -> bool:
        profile = flight.profile
        settings = self._desk.services.settings.current
        if (
            profile.sandbox
            or profile.name in self._confirmed_production
            or not settings.preference("confirm_production_first_send")
        ):
            return True
        to = flight.message.to
        answer = QMessageBox.question(
            self._dialog_parent,
            tr("Send a real message?"),
            tr(
                "This is the first send of this session through “%1” (PRODUCTION, %2).\n\nThe message "
                "goes to a real person: %3. Send it?"
            )
            .replace("%1", str(profile.name))
            .replace("%2", str(profile.base_url))
            .replace("%3", str(format_number(to) or to)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self._confirmed_production.add(profile.name)
        return True

    # ------------------------------------------------------------------ sending

    async def _send(self, flight: _Flight) -> None:
        message, profile = flight.message, flight.profile
        who = format_number(message.to) or message.to
        self._bridge.report_info(tr("Sending to %1…").replace("%1", str(who)))
        read_timeout: float | None = None

        def on_created(row_id: int) -> None:
            flight.row_id, flight.logged, flight.started = row_id, True, time.monotonic()
            self._update_compose()
            self._log_pane.refresh()
            self._log_pane.select_row(row_id)
            self._log_pane.set_in_flight(row_id, flight.started, read_timeout)

        try:
            client = await self._desk.services.clients.client_for(profile)
            read_timeout = client.read_timeout
            _row_id, result = await self._desk.outbox.send(
                client,
                message,
                profile=profile.name,
                preview=preview_of(message),
                parent_id=flight.parent_id,
                on_retry=self._on_send_retry,
                on_created=on_created,
            )
        except asyncio.CancelledError:
            if not flight.cancelled:
                raise  # the window is closing: the outbox has marked the row unknown
            self._on_cancelled(flight, who)
            return
        except Whats91Error as err:
            log.warning("send via %r (%s) failed: %s", profile.name, message.kind, type(err).__name__)
            if flight.row_id is None:
                self._bridge.report_error(tr("Nothing was sent: %1").replace("%1", str(err)))
            else:  # the row says what is known (the outbox marked it)
                self._report_for_row(
                    flight.row_id,
                    Severity.ERROR,
                    f"The send to {who} ended with an error: {err}. See its row.",
                )
            return
        finally:
            self._release(flight)
            if flight.row_id is not None:
                self._log_pane.end_in_flight(flight.row_id)
                self._log_pane.on_row_changed(flight.row_id)
        await self._finished(flight, result)

    def _on_send_retry(self, notice: RetryNotice) -> None:
        self._bridge.report_warning(
            f"Attempt {notice.attempt} failed ({notice.reason}); trying again in {notice.delay:.0f} s…"
        )

    def _on_cancelled(self, flight: _Flight, who: str) -> None:
        task = asyncio.current_task()
        if task is not None:
            task.uncancel()
        log.info("send row %s cancelled by the user: outcome unknown", flight.row_id)
        text = (
            f"Cancelled: the message to {who} {MAY_HAVE_REACHED} — its outcome is unknown. "
            "Use “Check before resending” on the row before sending it again."
        )
        self._report_for_row(flight.row_id, Severity.WARNING, text)

    async def _finished(self, flight: _Flight, result: SendResult) -> None:
        message, profile, row_id = flight.message, flight.profile, flight.row_id
        assert row_id is not None
        flight.result = result
        # Ids and outcomes only: the text and the recipient are the customer's, not the log's.
        log.info(
            "send row %s via %r (%s%s): %s, HTTP %s, messageId %s, requestId %s%s",
            row_id,
            profile.name,
            message.kind,
            f", again from row {flight.parent_id}" if flight.parent_id else "",
            result.outcome.value,
            result.http_status,
            result.message_id,
            result.request_id,
            f", error {result.error_code}" if result.error_code else "",
        )
        described = describe_outcome(result, format_number(message.to) or message.to)
        if result.outcome.is_success:
            self._bridge.report(described.severity, described.text)
            self._desk.follower.track(row_id)
            self._learn_sender(profile.name, message, result)
            self.accepted.emit(profile.name)
        else:
            self._report_for_row(row_id, described.severity, described.text)
        if result.log_warning:
            self._bridge.report_warning(result.log_warning)
        if flight.from_composer and result.outcome in (Outcome.ACCEPTED, Outcome.QUEUED, Outcome.UNKNOWN):
            self._compose.after_sent(message)
        with contextlib.suppress(Whats91Error):
            recent = await self._desk.store.recent_recipients(profile=profile.name)
            if profile.name == self._current_profile().name:
                self._compose.set_recent_recipients(recent)
        self.send_finished.emit(row_id, result)

    def _report_for_row(self, row_id: int | None, severity: Severity, text: str) -> None:
        """A send that did not go well: an alert (with "Show") unless the user is looking at its row."""
        window = self._dialog_parent.window()
        watching = (
            row_id is not None and self._log_pane.current_row_id() == row_id and window.isActiveWindow()
        )
        if watching or row_id is None:
            self._bridge.report(severity, text)
        else:
            self._bridge.alert(severity, text, row_id=row_id)

    def _learn_sender(self, profile_name: str, message: OutgoingMessage, result: SendResult) -> None:
        sender_id = result.sender_id or message.sender_id
        if not sender_id:
            return
        try:
            changed = self._desk.services.profiles.remember_sender(
                profile_name, Sender(sender_id, result.phone_number_id)
            )
        except Whats91Error as err:
            self._bridge.report_warning(
                tr("Could not remember sender %1: %2").replace("%1", str(sender_id)).replace("%2", str(err))
            )
            return
        if changed:
            self.senders_changed.emit(profile_name)

    # ------------------------------------------------------------------ send again

    @qasync.asyncSlot(int)
    async def _on_log_resend_requested(self, row_id: int) -> None:
        entry, message = await row_and_message(self._desk.store, row_id)
        if entry is None or message is None:
            self._bridge.report_warning(
                tr(
                    "Row %1 cannot be sent again from here: the log keeps only the redacted request, "
                    "not the composed message. Compose it again (its request is in the details)."
                ).replace("%1", str(row_id))
            )
            return
        if entry.profile != self._current_profile().name:
            self._bridge.report_warning(
                tr("Row %1 was sent through “%2”; switch to that profile to send it again.")
                .replace("%1", str(row_id))
                .replace("%2", str(entry.profile))
            )
            return
        # A plain question may follow (first production send): leave the coroutine first.
        QTimer.singleShot(0, lambda: self.request_send(message, parent_id=row_id))
