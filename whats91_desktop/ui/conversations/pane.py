"""The Conversations room: the inbox on the left, the chosen thread and its reply box on the right.

It opens on the copy kept in the log (``core.store.conversation_cache``) at once, with "Last
updated …", then reads the server in the background; offline it keeps showing the copy and
says why it could not refresh. While the room is visible the inbox and the chosen thread are
read again with a backoff (``backoff.py``); an inbound webhook delivery, a reply sent or a
click on Refresh reads at once. Every read is awaited on the loop; nothing blocks the GUI.

Replies go through the window's one send path (``SendFlow.request_send``): one log row per
reply, each claimed once, and an unknown outcome is never sent again by itself. A closed
window turns the reply box into a template picker; the template chosen opens in the compose
pane's Template tab for this contact. The pane also tells the compose pane each contact's
window (``ComposePane.window_guard``), so "To" shows it and a free-form send to a closed one
asks first.

"Now" is this computer's clock, never earlier than the newest time the server stamped
(``service_window.server_now``); times are shown in local time, windows to the minute.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, Qt, QTimer
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from whats91_desktop.core.conversations import Conversation, ThreadMessage
from whats91_desktop.core.errors import Whats91Error
from whats91_desktop.core.models import Outcome, Profile, SendResult, TextMessage
from whats91_desktop.core.phone import format_number
from whats91_desktop.core.service_window import ServiceWindow, server_now, window_from_thread, window_text
from whats91_desktop.core.store.conversation_cache import Cached
from whats91_desktop.core.validation import check_message
from whats91_desktop.services.container import DesktopServices
from whats91_desktop.services.conversations import refresh_inbox, refresh_thread
from whats91_desktop.ui.bridge import MessageBridge
from whats91_desktop.ui.compose.pane import ComposePane
from whats91_desktop.ui.conversations.backoff import Backoff
from whats91_desktop.ui.conversations.list_model import (
    STATUS_CHOICES,
    ConversationListModel,
    ConversationRole,
    InboxFilter,
    contact_title,
)
from whats91_desktop.ui.conversations.reply_box import ReplyBox
from whats91_desktop.ui.conversations.thread_view import ThreadView
from whats91_desktop.ui.conversations.window_badge import state_of, window_icon
from whats91_desktop.ui.i18n import tr
from whats91_desktop.ui.panes import Pane, PaneHost
from whats91_desktop.ui.tasks import TaskSet

if TYPE_CHECKING:
    from whats91_desktop.services.webhooks.records import DeliveryRecord
    from whats91_desktop.ui.send_flow import SendFlow

CLOCK_MS = 20_000
"""How often window texts are recomputed without a read ("closes in 9 min" → "8 min")."""
_WENT = (Outcome.ACCEPTED, Outcome.QUEUED, Outcome.UNKNOWN)


def _fetched_text(fetched_at: float) -> str:
    return time.strftime("%H:%M", time.localtime(fetched_at))


class ConversationsPane(Pane):
    pane_title = "Conversations"

    def __init__(
        self,
        desk: DesktopServices,
        bridge: MessageBridge,
        parent: QWidget | None = None,
        *,
        compose: ComposePane,
        send_flow: SendFlow,
        rooms: PaneHost,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conversationsPane")
        self.desk = desk
        self.bridge = bridge
        self.compose = compose
        self.send_flow = send_flow
        self.rooms = rooms
        self.profile: Profile | None = None
        self.sender_id: str | None = None
        self.model = ConversationListModel()
        self.selected: Conversation | None = None
        self.messages: tuple[ThreadMessage, ...] = ()
        self.threads: dict[str, ServiceWindow] = {}
        """Windows learnt from threads read (cached or fresh), by contact."""
        self.inbox_fetched_at: float | None = None
        self._drafts: dict[str, str] = {}
        """Replies typed and not sent, by contact, while another thread is shown."""
        self._sending: set[str] = set()
        """Contacts whose reply is being sent."""
        self.backoff = Backoff()
        self._tasks = TaskSet()
        self._generation = 0
        self._reading: int | None = None
        """The generation a read is under way for (a read of an older one is let finish, unused)."""
        self._closed = False
        self._newest_seen: dt.datetime | None = None
        self._build()
        self._poll = QTimer(self)
        self._poll.setSingleShot(True)
        self._poll.timeout.connect(self._on_poll_timeout)
        self._clock = QTimer(self)
        self._clock.setInterval(CLOCK_MS)
        self._clock.timeout.connect(self._on_clock_timeout)
        self._clock.start()
        self._unsubscribe = [desk.webhooks.added.subscribe(self._on_delivery_added)]
        compose.window_guard.set_lookup(self.window_for)
        compose.template_tab.listed.connect(self._on_templates_listed)

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("conversationSearchEdit")
        self.search_edit.setPlaceholderText(tr("Search name, number or message"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName(tr("Search conversations"))
        self.unread_check = QCheckBox(tr("Unread only"), self)
        self.unread_check.setObjectName("unreadOnlyCheck")
        self.status_combo = QComboBox(self)
        self.status_combo.setObjectName("conversationStatusCombo")
        self.status_combo.setAccessibleName(tr("Conversation status"))
        for value, label in STATUS_CHOICES:
            self.status_combo.addItem(tr(label), value)
        self.refresh_button = QPushButton(tr("Refresh"), self)
        self.refresh_button.setObjectName("refreshConversationsButton")
        self.updated_label = QLabel(tr("Not read yet"), self)
        self.updated_label.setObjectName("conversationsUpdatedLabel")
        self.updated_label.setWordWrap(True)
        self.list_view = QListView(self)
        self.list_view.setObjectName("conversationList")
        self.list_view.setAccessibleName(tr("Conversations"))
        self.list_view.setModel(self.model)
        self.list_view.setUniformItemSizes(True)
        self.list_view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list_view.setSpacing(2)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("conversationCountLabel")

        left = QWidget(self)
        filters = QHBoxLayout()
        filters.addWidget(self.unread_check)
        filters.addWidget(self.status_combo, 1)
        filters.addWidget(self.refresh_button)
        column = QVBoxLayout(left)
        column.setContentsMargins(8, 8, 4, 8)
        column.addWidget(self.search_edit)
        column.addLayout(filters)
        column.addWidget(self.list_view, 1)
        column.addWidget(self.count_label)
        column.addWidget(self.updated_label)

        right = QWidget(self)
        self.thread_title = QLabel(tr("Choose a conversation"), right)
        self.thread_title.setObjectName("threadTitle")
        font = self.thread_title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.thread_title.setFont(font)
        self.thread_window_icon = QLabel(right)
        self.thread_window_label = QLabel(right)
        self.thread_window_label.setObjectName("threadWindowLabel")
        self.thread_updated_label = QLabel(right)
        self.thread_updated_label.setObjectName("threadUpdatedLabel")
        self.thread_view = ThreadView(right)
        self.thread_view.show_placeholder(tr("Choose a conversation on the left to read it."))
        self.reply = ReplyBox(right)
        head = QHBoxLayout()
        head.addWidget(self.thread_title, 1)
        head.addWidget(self.thread_window_icon)
        head.addWidget(self.thread_window_label)
        pane = QVBoxLayout(right)
        pane.setContentsMargins(4, 8, 8, 8)
        pane.addLayout(head)
        pane.addWidget(self.thread_updated_label)
        pane.addWidget(self.thread_view, 1)
        pane.addWidget(self.reply)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("conversationsSplitter")
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([420, 640])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self.search_edit.textChanged.connect(self._on_filter_changed)
        self.unread_check.toggled.connect(self._on_filter_changed)
        self.status_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.refresh_button.clicked.connect(self.refresh_now)
        self.list_view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.model.modelReset.connect(self._on_model_reset)
        self.reply.send_wanted.connect(self._on_send_wanted)
        self.reply.template_chosen.connect(self._on_template_chosen)
        self.reply.templates_wanted.connect(self.compose.template_tab.reload)

    # ------------------------------------------------------------------ Pane

    def on_profile_changed(self, profile: Profile) -> None:
        self.profile = profile
        self._reload()

    def shutdown(self) -> None:
        self._closed = True
        self._poll.stop()
        self._clock.stop()
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []
        self.compose.window_guard.set_lookup(None)
        self._tasks.cancel_all()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.compose.sender_id != self.sender_id and self.profile is not None:
            self._reload()  # the sender was switched in the top bar while the room was hidden
        else:
            self.refresh_now()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._poll.stop()

    # ------------------------------------------------------------------ what others ask

    def now(self) -> dt.datetime:
        return server_now(dt.datetime.now(dt.UTC), [self._newest_seen])

    def window_for(self, digits: str) -> tuple[ServiceWindow, dt.datetime] | None:
        """The window of ``digits`` as far as this pane knows it (the compose pane's lookup);
        None for another sender than the one whose inbox is shown."""
        if self.compose.sender_id != self.sender_id:
            if self.profile is not None:  # the sender was switched: read its inbox, then say
                QTimer.singleShot(0, self._reload_for_new_sender)
            return None
        now = self.now()
        if digits in self.threads:
            return self.threads[digits].at(now), now
        row = next((c for c in self.model.all_conversations() if c.contact_phone == digits), None)
        return (self.model.window_of(row), now) if row is not None else None

    def refresh_now(self) -> None:
        """Read the inbox and the chosen thread at once (Refresh, a reply, a webhook)."""
        if self.profile is None:
            return
        self.backoff.reset()
        self._poll.stop()
        self._tasks.spawn(self._read(self._generation))

    def select_contact(self, digits: str) -> bool:
        row = self.model.row_of(digits)
        if row < 0:
            return False
        self.list_view.setCurrentIndex(self.model.index(row))
        return True

    # ------------------------------------------------------------------ loading

    def _reload_for_new_sender(self) -> None:
        if not self._closed and self.profile is not None and self.compose.sender_id != self.sender_id:
            self._reload()

    def _reload(self) -> None:
        """A new profile or sender: forget what was shown, open its copy, then read the server."""
        assert self.profile is not None
        self._generation += 1
        self.sender_id = self.compose.sender_id
        self.threads = {}
        self.inbox_fetched_at = None
        self._newest_seen = None
        self._show_thread(None)
        self.model.set_conversations((), self.now())
        self.updated_label.setText(tr("Opening the saved copy…"))
        self._tasks.spawn(self._open(self._generation))

    async def _open(self, generation: int) -> None:
        assert self.profile is not None
        try:
            cached = await self.desk.store.cached_inbox(self.profile.name, self.sender_id)
        except Whats91Error as err:
            self.updated_label.setText(tr("The saved copy could not be read: %1").replace("%1", str(err)))
            cached = None
        if generation != self._generation:
            return
        if cached is not None:
            self._set_inbox(cached, saved=True)
        else:
            self.updated_label.setText(tr("No saved copy yet; reading…"))
        if self.isVisible():
            await self._read(generation)
        else:  # once, so the compose pane knows the windows before the room is ever opened
            await self._read_inbox(generation)

    async def _read(self, generation: int) -> None:
        if self._reading == generation or self.profile is None:
            return
        self._reading = generation
        changed = False
        try:
            changed = await self._read_inbox(generation)
            if self.selected is not None and generation == self._generation:
                changed = await self._read_thread(generation, self.selected) or changed
        finally:
            if self._reading == generation:
                self._reading = None
        if generation == self._generation and self.isVisible():
            self._poll.start(int(self.backoff.after_read(changed=changed) * 1000))

    async def _read_inbox(self, generation: int) -> bool:
        assert self.profile is not None
        profile, sender_id = self.profile, self.sender_id
        try:
            client = await self.desk.services.clients.client_for(profile)
            cached = await refresh_inbox(client, self.desk.store, profile.name, sender_id)
        except Whats91Error as err:
            if generation == self._generation:
                self._say_offline(err)
            return False
        if generation != self._generation:
            return False
        changed = cached.items != self.model.all_conversations()
        self._set_inbox(cached, saved=False)
        return changed

    async def _read_thread(self, generation: int, conversation: Conversation) -> bool:
        assert self.profile is not None
        try:
            client = await self.desk.services.clients.client_for(self.profile)
            cached = await refresh_thread(
                client, self.desk.store, self.profile.name, conversation, self.sender_id
            )
        except Whats91Error as err:
            if self._is_current(generation, conversation):
                self.thread_updated_label.setText(
                    tr("Could not refresh this thread: %1").replace("%1", str(err))
                )
            return False
        if not self._is_current(generation, conversation):
            return False
        changed = cached.items != self.messages
        self._set_thread(conversation, cached, saved=False)
        return changed

    async def _open_thread(self, generation: int, conversation: Conversation) -> None:
        assert self.profile is not None
        try:
            cached = await self.desk.store.cached_thread(
                self.profile.name, self.sender_id, conversation.contact_phone
            )
        except Whats91Error:
            cached = None
        if not self._is_current(generation, conversation):
            return
        if cached is not None:
            self._set_thread(conversation, cached, saved=True)
        else:
            self.thread_view.show_placeholder(tr("Reading the thread…"))
        await self._read_thread(generation, conversation)

    def _is_current(self, generation: int, conversation: Conversation) -> bool:
        selected = self.selected
        return (
            generation == self._generation
            and selected is not None
            and selected.contact_phone == conversation.contact_phone
        )

    # ------------------------------------------------------------------ showing

    def _see(self, moments: list[dt.datetime | None]) -> None:
        known = [m for m in (*moments, self._newest_seen) if m is not None]
        self._newest_seen = max(known, default=None)

    def _set_inbox(self, cached: Cached[Conversation], *, saved: bool) -> None:
        self._see([c.last_message_at for c in cached.items])
        self.inbox_fetched_at = cached.fetched_at
        self.model.set_conversations(cached.items, self.now())  # the selection is kept on reset
        copy = " (saved copy; reading the server…)" if saved else ""
        self.updated_label.setText(
            tr("Last updated %1%2")
            .replace("%1", str(_fetched_text(cached.fetched_at)))
            .replace("%2", str(copy))
        )
        self.compose.window_guard.refresh()

    def _say_offline(self, err: Whats91Error) -> None:
        when = (
            f"showing the copy from {_fetched_text(self.inbox_fetched_at)}"
            if self.inbox_fetched_at is not None
            else "nothing saved to show yet"
        )
        self.updated_label.setText(
            tr("Could not refresh (%1); %2.").replace("%1", str(err)).replace("%2", str(when))
        )

    def _set_thread(self, conversation: Conversation, cached: Cached[ThreadMessage], *, saved: bool) -> None:
        self._see([m.timestamp for m in cached.items])
        now = self.now()
        self.messages = cached.items
        self.threads[conversation.contact_phone] = window_from_thread(cached.items, now)
        self.model.set_known_windows(self.threads)
        self.thread_view.set_messages(cached.items, now)
        copy = " (saved copy)" if saved else ""
        self.thread_updated_label.setText(
            tr("Last updated %1%2")
            .replace("%1", str(_fetched_text(cached.fetched_at)))
            .replace("%2", str(copy))
        )
        self._show_window()
        self.compose.window_guard.refresh()

    def _show_thread(self, conversation: Conversation | None) -> None:
        """Show ``conversation``'s thread; the reply typed for the one shown before is kept as its
        draft (and comes back with it), so a reply never goes to the wrong contact."""
        if self.selected is not None:
            self._drafts[self.selected.contact_phone] = self.reply.edit.toPlainText()
        self.selected = conversation
        self.messages = ()
        contact = conversation.contact_phone if conversation is not None else None
        self.reply.edit.setPlainText(self._drafts.pop(contact, "") if contact else "")
        self.reply.set_busy(contact in self._sending)
        if conversation is None:
            self.thread_title.setText(tr("Choose a conversation"))
            self.thread_updated_label.setText("")
            self.thread_view.show_placeholder(tr("Choose a conversation on the left to read it."))
            self.reply.set_window(None, self.now())
            self.thread_window_label.setText("")
            self.thread_window_icon.clear()
            return
        self.thread_title.setText(contact_title(conversation))
        self.thread_updated_label.setText("")
        self._show_window()

    def _show_window(self) -> None:
        conversation = self.selected
        if conversation is None:
            return
        now = self.now()
        window = self.model.window_of(conversation)  # the thread's, when it was read
        self.thread_window_label.setText(
            tr("24-hour window: %1").replace("%1", str(window_text(window, now)))
        )
        self.thread_window_icon.setPixmap(window_icon(state_of(window, now)).pixmap(16, 16))
        self.reply.set_window(window, now)
        self._on_templates_listed()

    # ------------------------------------------------------------------ replying

    def _on_send_wanted(self, text: str) -> None:
        conversation, profile = self.selected, self.profile
        if conversation is None or profile is None:
            return
        draft = TextMessage(to=conversation.contact_phone, text=text, sender_id=self.sender_id)
        checked = check_message(draft, default_region=profile.default_region)
        if checked.problems:
            self.reply.show_problem(" ".join(p.message for p in checked.problems))
            return
        contact = conversation.contact_phone

        def ended(result: SendResult | None) -> None:
            self._sending.discard(contact)
            if self._closed:
                return  # the window is closing: its widgets may be gone
            went = result is not None and result.outcome in _WENT
            if self.selected is not None and self.selected.contact_phone == contact:
                self.reply.set_busy(False)
                if went:
                    self.reply.sent(text)
                self.refresh_now()
            elif went and self._drafts.get(contact) == text:
                del self._drafts[contact]  # it went while another thread was shown

        if self.send_flow.request_send(checked.message, on_end=ended):
            self._sending.add(contact)
            self.reply.set_busy(True)

    def _on_template_chosen(self, name: str) -> None:
        conversation = self.selected
        if conversation is None:
            return
        self.compose.recipient.set_text(
            format_number(conversation.contact_phone) or conversation.contact_phone
        )
        tab = self.compose.select_tab("template")
        if name:
            self.compose.template_tab.select_template(name)
        self.rooms.show_pane("Messages")
        tab.setFocus(Qt.FocusReason.OtherFocusReason)
        self.bridge.report_info(
            tr("Template for %1: fill in its variables and send it from here.").replace(
                "%1", str(contact_title(conversation))
            )
        )

    def _on_templates_listed(self) -> None:
        tab = self.compose.template_tab
        self.reply.set_templates(tab.templates() if tab.templates_loaded() else None)

    # ------------------------------------------------------------------ slots

    def _on_filter_changed(self, *_args: object) -> None:
        self.model.set_filter(
            InboxFilter(
                search=self.search_edit.text(),
                unread_only=self.unread_check.isChecked(),
                status=str(self.status_combo.currentData()),
            )
        )

    def _on_model_reset(self) -> None:
        shown, total = self.model.rowCount(), self.model.total
        self.count_label.setText(
            tr("%1 conversation%2").replace("%1", str(total)).replace("%2", str("s" if total != 1 else ""))
            if shown == total
            else tr("%1 of %2 shown").replace("%1", str(shown)).replace("%2", str(total))
        )
        if self.selected is not None:
            row = self.model.row_of(self.selected.contact_phone)
            if row >= 0:
                self.list_view.setCurrentIndex(self.model.index(row))

    def _on_selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        conversation = indexes[0].data(ConversationRole)
        if not isinstance(conversation, Conversation):
            return
        if self.selected is not None and self.selected.contact_phone == conversation.contact_phone:
            self.selected = conversation  # the same contact, newer row (unread count, last message)
            return
        self._show_thread(conversation)
        self.backoff.reset()
        self._tasks.spawn(self._open_thread(self._generation, conversation))

    def _on_poll_timeout(self) -> None:
        if self.isVisible():
            self._tasks.spawn(self._read(self._generation))

    def _on_clock_timeout(self) -> None:
        self.model.set_now(self.now())
        self._show_window()

    def _on_delivery_added(self, record: DeliveryRecord) -> None:
        """A message arrived (or one of ours changed status) through the local receiver: read at
        once, not at the next poll."""
        if record.delivery.kind in ("inbound", "status") and self.isVisible():
            self.refresh_now()
