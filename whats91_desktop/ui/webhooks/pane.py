"""The Webhooks room: the profile's destinations above, the local receiver and its deliveries below.

Destinations are the profile's sender's, loaded with the event catalog when the profile is
shown (and on Refresh). Creating one shows its signing secret once and keeps it (and the
verification token) in the keychain, by webhook uid, so the receiver can check deliveries.

The receiver is the desktop's :class:`~whats91_desktop.services.webhooks.hub.WebhookHub`; this
pane only starts and stops it and shows what it publishes. It says the URL to paste as the
endpoint, and plainly that Whats91 can reach this computer only through a tunnel or a public
address the user provides (the built-in sandbox delivers to it directly).

Every network and keychain call runs in the background (one ``asyncSlot`` shape: disable,
await, report, re-enable); no dialog is modal to the loop.
"""

from __future__ import annotations

import qasync
from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QAction, QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from whats91_desktop.core.errors import ConfigError, Whats91Error
from whats91_desktop.core.models import Profile
from whats91_desktop.core.store import LogQuery
from whats91_desktop.core.webhook_deliveries import Delivery
from whats91_desktop.core.webhook_errors import explain_webhook_error
from whats91_desktop.core.webhooks import CreatedWebhook, EventCatalog, Webhook, WebhookDraft, WebhookStatus
from whats91_desktop.services.container import DesktopServices
from whats91_desktop.services.webhooks.receiver import DEFAULT_PORT
from whats91_desktop.services.webhooks.records import DeliveryRecord
from whats91_desktop.services.webhooks.trigger import SAMPLE_CHOICES, build_sample, send_sample
from whats91_desktop.ui.bridge import MessageBridge
from whats91_desktop.ui.compose.pane import ComposePane
from whats91_desktop.ui.elide_middle import ElideMiddleDelegate
from whats91_desktop.ui.i18n import tr
from whats91_desktop.ui.palette import themed_style
from whats91_desktop.ui.panes import Pane
from whats91_desktop.ui.tasks import TaskSet
from whats91_desktop.ui.webhooks.deliveries import DeliveriesModel, detail_text
from whats91_desktop.ui.webhooks.destinations import DestinationsModel
from whats91_desktop.ui.webhooks.form import WebhookForm
from whats91_desktop.ui.webhooks.sample_dialog import SampleDialog
from whats91_desktop.ui.webhooks.secret_dialog import SecretDialog

REACH_TEXT = (
    "Whats91 cannot reach this computer by itself: give it a tunnel or a public https address "
    "that leads here (for example `cloudflared tunnel --url {local}` or `ngrok http {port}`) and "
    "use that address, with the path above, as the endpoint URL. The built-in sandbox delivers "
    "to the local URL directly."
)
DESTINATION_WIDTHS = (
    "CRM delivery hook",
    "https://crm.example.com/webhooks/whats91",
    "message.status.delivered, …",
    "INACTIVE",
    "30000 ms",
    "up to 10 attempts",
    "X-CRM-Webhook-Token (token set)",
)
DELIVERY_WIDTHS = (
    "00:00:00 (replay)",
    "message.status.delivered",
    "not checked",
    "INVALID",
    "wamid.HBgM…Ty4Qwb",
    "from 919888888888",
    "timeline of log row 12 updated",
    "HTTP 200 in 12 ms",
)
EXPOSED_TEXT = (
    "Listening on every network interface: anyone who can reach this computer can send it "
    "deliveries. Unsigned or badly signed ones are shown but never applied."
)


class WebhooksPane(Pane):
    pane_title = "Webhooks"

    def __init__(
        self,
        desk: DesktopServices,
        bridge: MessageBridge,
        parent: QWidget | None = None,
        *,
        compose: ComposePane | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("webhooksPane")
        self.desk = desk
        self.hub = desk.webhooks
        self.bridge = bridge
        self.compose = compose
        self.profile: Profile | None = None
        self.catalog: EventCatalog | None = None
        self.form: WebhookForm | None = None
        self.secret_dialog: SecretDialog | None = None
        self.sample_dialog: SampleDialog | None = None
        self._tasks = TaskSet()
        self._generation = 0
        self._loaded = False
        self.destinations = DestinationsModel()
        self.deliveries = DeliveriesModel()
        self._build()
        self._unsubscribe = [
            self.hub.added.subscribe(self._on_delivery_added),
            self.hub.changed.subscribe(self._on_delivery_changed),
            self.hub.template_updates.subscribe(self._on_template_update),
        ]
        for record in self.hub.records:
            self.deliveries.add(record)
        self._update_receiver()
        self._update_actions()

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        destinations = QGroupBox(tr("Destinations (Whats91 → your endpoint)"), self)
        destinations.setObjectName("webhookDestinations")
        self.refresh_button = self._button(tr("Refresh"), "refreshWebhooksButton", self._on_refresh_clicked)
        self.new_button = self._button(tr("New…"), "newWebhookButton", self._on_new_clicked)
        self.edit_button = self._button(tr("Edit…"), "editWebhookButton", self._on_edit_clicked)
        self.toggle_button = self._button(tr("Deactivate"), "toggleWebhookButton", self._on_toggle_clicked)
        self.clear_token_button = self._button(
            tr("Clear token"), "clearTokenButton", self._on_clear_token_clicked
        )
        self.reveal_button = self._button(tr("Reveal secret…"), "revealSecretButton", self._on_reveal_clicked)
        self.test_button = QToolButton(self)
        self.test_button.setObjectName("sendTestEventButton")
        self.test_button.setText(tr("Send test event"))
        self.test_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.test_menu = QMenu(self.test_button)
        self.test_menu.setObjectName("testEventMenu")
        self.bad_signature_action = QAction(tr("Sign with the wrong secret"), self.test_menu)
        self.bad_signature_action.setCheckable(True)
        for event in SAMPLE_CHOICES:
            action = self.test_menu.addAction(event)
            action.triggered.connect(lambda _checked=False, e=event: self._on_quick_sample(e))
        self.test_menu.addSeparator()
        self.test_menu.addAction(self.bad_signature_action)
        self.test_menu.addAction(
            tr("Status of a logged message, another target…"), self._on_sample_dialog_requested
        )
        self.test_button.setMenu(self.test_menu)
        tools = QHBoxLayout()
        for widget in (
            self.refresh_button,
            self.new_button,
            self.edit_button,
            self.toggle_button,
            self.clear_token_button,
            self.reveal_button,
            self.test_button,
        ):
            tools.addWidget(widget)
        tools.addStretch(1)
        self.destinations_note = QLabel("", self)
        self.destinations_note.setObjectName("destinationsNote")
        self.destinations_note.setWordWrap(True)
        self.table = self._table(
            "webhooksTable", "Webhook destinations", self.destinations, DESTINATION_WIDTHS, stretch=2
        )
        self.table.selectionModel().selectionChanged.connect(self._on_destination_selected)
        self.table.doubleClicked.connect(lambda _index: self._on_edit_clicked())
        box = QVBoxLayout(destinations)
        box.addLayout(tools)
        box.addWidget(self.destinations_note)
        box.addWidget(self.table, 1)

        receiver = QGroupBox(tr("Local receiver (your endpoint, on this computer)"), self)
        receiver.setObjectName("webhookReceiver")
        self.port_spin = QSpinBox(self)
        self.port_spin.setObjectName("receiverPortSpin")
        self.port_spin.setAccessibleName(tr("Receiver port"))
        self.port_spin.setRange(1, 65535)
        self.port_spin.setValue(DEFAULT_PORT)
        self.port_spin.setPrefix(tr("port "))
        self.all_interfaces_check = QCheckBox(tr("Listen on all network interfaces"), self)
        self.all_interfaces_check.setObjectName("allInterfacesCheck")
        self.all_interfaces_check.setToolTip(
            tr("Off: only programs on this computer (and your tunnel) can reach it")
        )
        self.start_button = self._button(tr("Start receiver"), "receiverStartButton", self._on_start_clicked)
        self.copy_url_button = self._button(
            tr("Copy URL"), "copyReceiverUrlButton", self._on_copy_url_clicked
        )
        self.url_label = QLabel("", self)
        self.url_label.setObjectName("receiverUrlLabel")
        self.url_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reach_label = QLabel("", self)
        self.reach_label.setObjectName("receiverReachLabel")
        self.reach_label.setWordWrap(True)
        self.exposed_label = QLabel(EXPOSED_TEXT, self)
        self.exposed_label.setObjectName("receiverExposedLabel")
        self.exposed_label.setWordWrap(True)
        themed_style(self.exposed_label, "color: $caution;")
        self.forward_check = QCheckBox(tr("Forward every delivery to"), self)
        self.forward_check.setObjectName("forwardCheck")
        self.forward_edit = QLineEdit(self)
        self.forward_edit.setObjectName("forwardUrlEdit")
        self.forward_edit.setAccessibleName(tr("Forward deliveries to"))
        self.forward_edit.setPlaceholderText("http://127.0.0.1:3000/webhooks (your handler)")
        self.forward_note = QLabel("", self)
        self.forward_note.setObjectName("forwardNote")
        self.counters_label = QLabel("", self)
        self.counters_label.setObjectName("receiverCounters")
        self.deliveries_table = self._table(
            "deliveriesTable", "Deliveries", self.deliveries, DELIVERY_WIDTHS, stretch=6
        )
        self._middle_elide = ElideMiddleDelegate(self.deliveries_table)
        self.deliveries_table.setItemDelegateForColumn(4, self._middle_elide)
        self.deliveries_table.selectionModel().selectionChanged.connect(self._on_delivery_selected)
        self.detail = QPlainTextEdit(self)
        self.detail.setObjectName("deliveryDetail")
        self.detail.setAccessibleName(tr("Delivery detail"))
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText(
            tr("Select a delivery to see its headers and body (secrets redacted).")
        )
        self.replay_store_button = self._button(
            tr("Replay to the log"), "replayStoreButton", self._on_replay_store_clicked
        )
        self.replay_forward_button = self._button(
            tr("Replay to the forward URL"), "replayForwardButton", self._on_replay_forward_clicked
        )
        self.forward_check.toggled.connect(self._on_forward_changed)
        self.forward_edit.editingFinished.connect(self._on_forward_changed)
        self.all_interfaces_check.toggled.connect(self._update_receiver)

        listen = QHBoxLayout()
        for control in (self.port_spin, self.all_interfaces_check, self.start_button, self.copy_url_button):
            listen.addWidget(control)
        listen.addStretch(1)
        forward = QHBoxLayout()
        forward.addWidget(self.forward_check)
        forward.addWidget(self.forward_edit, 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setObjectName("deliveriesSplitter")
        split.addWidget(self.deliveries_table)
        split.addWidget(self.detail)
        split.setSizes([640, 420])
        replay = QHBoxLayout()
        replay.addWidget(self.counters_label, 1)
        replay.addWidget(self.replay_store_button)
        replay.addWidget(self.replay_forward_button)
        column = QVBoxLayout(receiver)
        column.addLayout(listen)
        column.addWidget(self.url_label)
        column.addWidget(self.reach_label)
        column.addWidget(self.exposed_label)
        column.addLayout(forward)
        column.addWidget(self.forward_note)
        column.addWidget(split, 1)
        column.addLayout(replay)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("webhooksSplitter")
        self.splitter.addWidget(destinations)
        self.splitter.addWidget(receiver)
        self.splitter.setStretchFactor(1, 2)
        # Scrolls rather than widening the window: the room must fit where the Messages room fits.
        scroll = QScrollArea(self)
        scroll.setObjectName("webhooksScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.splitter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(scroll)

    def _button(self, text: str, name: str, slot: object) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def _table(
        self,
        name: str,
        accessible: str,
        model: DestinationsModel | DeliveriesModel,
        widths: tuple[str, ...],
        *,
        stretch: int,
    ) -> QTableView:
        """A read-only table; column widths from ``widths`` (sample texts), never from the data."""
        table = QTableView(self)
        table.setObjectName(name)
        table.setAccessibleName(accessible)
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        metrics = table.fontMetrics()
        for column, sample in enumerate(widths):
            table.setColumnWidth(column, metrics.horizontalAdvance(sample) + 24)
        return table

    # ------------------------------------------------------------------ the Pane protocol

    def on_profile_changed(self, profile: Profile) -> None:
        """Forget the last profile's destinations; load the new one's when the room is shown
        (a user who never opens it costs no request)."""
        self.profile = profile
        self.hub.profile_name = profile.name
        self.catalog = None
        self.destinations.set_items([])
        self._generation += 1
        self._loaded = False
        if self.isVisible():
            self._reload()
        self._update_actions()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._loaded:
            self._reload()

    def _reload(self) -> None:
        if self.profile is not None:
            self._loaded = True
            self._tasks.spawn(self._load(self._generation, self.profile))

    def shutdown(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()
        self._tasks.cancel_all()

    # ------------------------------------------------------------------ destinations

    def _sender(self) -> str | None:
        if self.compose is not None and self.compose.sender_id:
            return self.compose.sender_id
        return self.profile.default_sender if self.profile else None

    async def _load(self, generation: int, profile: Profile) -> None:
        self.destinations_note.setText(tr("Loading the webhooks of %1…").replace("%1", str(profile.name)))
        try:
            client = await self.desk.services.clients.client_for(profile)
            catalog = await client.webhook_events(self._sender())
            hooks = await client.list_webhooks(self._sender())
        except Whats91Error as err:
            if generation == self._generation:
                self.destinations_note.setText(
                    tr("Could not load the webhooks: %1").replace("%1", str(explain_webhook_error(err)))
                )
            return
        if generation != self._generation:
            return  # another profile is shown now
        self.catalog = catalog
        self.hub.know_destinations(hooks)
        self.destinations.set_items(hooks)
        count = f"{len(hooks)} destination{'s' if len(hooks) != 1 else ''}"
        self.destinations_note.setText(
            tr("%1 · %2 events in the catalog")
            .replace("%1", str(count))
            .replace("%2", str(len(catalog.event_keys)))
        )
        self._update_actions()

    def selected_hook(self) -> Webhook | None:
        rows = self.table.selectionModel().selectedRows()
        return self.destinations.item_at(rows[0].row()) if rows else None

    def select_hook(self, uid: str) -> None:
        row = self.destinations.row_of(uid)
        if row is not None:
            self.table.selectRow(row)

    def _on_destination_selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_actions()

    def _update_actions(self) -> None:
        hook = self.selected_hook()
        ready = self.profile is not None
        self.new_button.setEnabled(ready)
        self.refresh_button.setEnabled(ready)
        for button in (self.edit_button, self.toggle_button, self.reveal_button):
            button.setEnabled(hook is not None)
        self.clear_token_button.setEnabled(hook is not None and hook.has_verification_token)
        self.toggle_button.setText(
            tr("Reactivate") if hook is not None and not hook.active else tr("Deactivate")
        )
        self.test_button.setEnabled(bool(self.destinations.items()))
        selected_delivery = self.selected_delivery()
        self.replay_store_button.setEnabled(selected_delivery is not None)
        self.replay_forward_button.setEnabled(selected_delivery is not None and bool(self.hub.forward_url))

    def _on_refresh_clicked(self) -> None:
        self._generation += 1
        self._reload()

    def _on_new_clicked(self) -> None:
        self._open_form(None)

    def _on_edit_clicked(self) -> None:
        hook = self.selected_hook()
        if hook is not None:
            self._open_form(hook)

    def _open_form(self, hook: Webhook | None) -> None:
        form = WebhookForm(self.catalog, webhook=hook, local_url=self.hub.receiver.local_url, parent=self)
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.submitted.connect(lambda draft, f=form, h=hook: self._tasks.spawn(self._save(f, h, draft)))
        form.finished.connect(lambda _r, f=form: self._forget_dialog("form", f))
        self.form = form
        form.open()

    def _forget_dialog(self, attribute: str, dialog: QDialog) -> None:
        """A dialog closed: the pane stops pointing at it (it is deleted soon after)."""
        if getattr(self, attribute) is dialog:
            setattr(self, attribute, None)

    async def _save(self, form: WebhookForm, hook: Webhook | None, draft: WebhookDraft) -> None:
        profile = self.profile
        if profile is None:
            return
        try:
            client = await self.desk.services.clients.client_for(profile)
            if hook is None:
                created = await client.create_webhook(draft, self._sender())
                saved = created.webhook
            else:
                created = None
                saved = await client.update_webhook(hook.uid, draft, self._sender())
        except Whats91Error as err:
            form.show_error(explain_webhook_error(err))
            return
        form.finish()
        self.destinations.replace(saved)
        self.hub.know_destinations([saved])
        self.select_hook(saved.uid)
        await self._keep_secrets(profile, saved, draft, created)
        self.bridge.report_info(
            tr("Webhook “%1” %2 (%3).")
            .replace("%1", str(saved.name))
            .replace("%2", str("created" if hook is None else "saved"))
            .replace("%3", str(saved.uid))
        )

    async def _keep_secrets(
        self, profile: Profile, hook: Webhook, draft: WebhookDraft, created: CreatedWebhook | None
    ) -> None:
        """The new signing secret (then shown once) and a new or cleared verification token."""
        secrets = self.hub.secrets
        if secrets is None:
            return
        try:
            await secrets.keep(profile, hook.uid, draft, created.signing_secret if created else None)
        except Whats91Error as err:
            self.bridge.report_warning(
                tr("The secret could not be stored on this computer: %1").replace("%1", str(err))
            )
        if created is not None:
            if created.signing_secret:
                self._show_secret(hook, created.signing_secret, secrets.where(profile), first_time=True)
            else:
                self.bridge.report_warning(
                    tr("Whats91 returned no signing secret: deliveries cannot be verified.")
                )

    def _show_secret(self, hook: Webhook, secret: str, where: str, *, first_time: bool) -> None:
        dialog = SecretDialog(
            webhook_name=hook.name, secret=secret, where=where, first_time=first_time, parent=self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r, d=dialog: self._forget_dialog("secret_dialog", d))
        self.secret_dialog = dialog
        dialog.open()

    def _on_toggle_clicked(self) -> None:
        hook = self.selected_hook()
        if hook is not None:
            status: WebhookStatus = "ACTIVE" if not hook.active else "INACTIVE"
            self._tasks.spawn(self._update(hook, WebhookDraft(status=status)))

    def _on_clear_token_clicked(self) -> None:
        hook = self.selected_hook()
        if hook is None:
            return
        answer = QMessageBox.question(
            self,
            tr("Clear the verification token"),
            tr("Whats91 will stop sending %1 with deliveries to “%2”. Clear it?")
            .replace("%1", str(hook.verification_header_key or "the header"))
            .replace("%2", str(hook.name)),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._tasks.spawn(self._update(hook, WebhookDraft(clear_verification_token=True)))

    async def _update(self, hook: Webhook, draft: WebhookDraft) -> None:
        profile = self.profile
        if profile is None:
            return
        self.bridge.busy.emit(True)
        try:
            client = await self.desk.services.clients.client_for(profile)
            saved = await client.update_webhook(hook.uid, draft, self._sender())
        except Whats91Error as err:
            self.bridge.report_error(
                tr("“%1” was not changed: %2")
                .replace("%1", str(hook.name))
                .replace("%2", str(explain_webhook_error(err)))
            )
            return
        finally:
            self.bridge.busy.emit(False)
        self.destinations.replace(saved)
        self.hub.know_destinations([saved])
        await self._keep_secrets(profile, saved, draft, None)
        self._update_actions()
        what = "cleared its verification token" if draft.clear_verification_token else f"is {saved.status}"
        self.bridge.report_info(
            tr("Webhook “%1” %2.").replace("%1", str(saved.name)).replace("%2", str(what))
        )

    @qasync.asyncSlot()
    async def _on_reveal_clicked(self) -> None:
        hook = self.selected_hook()
        secrets = self.hub.secrets
        if hook is None or secrets is None or self.profile is None:
            return
        try:
            secret = await secrets.get(hook.uid)
        except Whats91Error as err:
            self.bridge.report_error(tr("The secret could not be read: %1").replace("%1", str(err)))
            return
        if not secret:
            self.bridge.report_warning(
                tr(
                    "No signing secret of “%1” is stored on this computer: Whats91 showed it once, when"
                    " the webhook was created (elsewhere?). Create a new webhook to get a new secret."
                ).replace("%1", str(hook.name))
            )
            return
        self._show_secret(hook, secret, secrets.where(self.profile), first_time=False)

    # ------------------------------------------------------------------ test events

    def _signer(self) -> Webhook | None:
        return self.selected_hook() or next(iter(self.destinations.items()), None)

    def _default_target(self) -> str:
        return self.hub.forward_url or self.hub.receiver.local_url() or ""

    def _on_quick_sample(self, event: str) -> None:
        target = self._default_target()
        if not target:
            self.bridge.report_warning(
                tr("Start the receiver or set a forward URL first: test events need a target.")
            )
            return
        self._tasks.spawn(self._send_sample(event, target, "", self.bad_signature_action.isChecked()))

    def _on_sample_dialog_requested(self) -> None:
        signer = self._signer()
        name = f"“{signer.name}”" if signer else "the selected destination"
        dialog = SampleDialog(target=self._default_target(), signer=name, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.send_requested.connect(
            lambda event, url, mid, bad: self._tasks.spawn(self._send_sample(event, url, mid, bad))
        )
        dialog.finished.connect(lambda _r, d=dialog: self._forget_dialog("sample_dialog", d))
        self.sample_dialog = dialog
        self._tasks.spawn(self._fill_message_ids(dialog))
        dialog.open()

    async def _fill_message_ids(self, dialog: SampleDialog) -> None:
        try:
            rows = await self.desk.store.page(LogQuery(), 0, 50)
        except Whats91Error:
            return
        choices = [
            (r.message_id, f"{r.message_id} · to {r.recipient} · {r.display_status}")
            for r in rows
            if r.message_id
        ]
        if self.sample_dialog is dialog:
            dialog.set_message_ids(choices)

    async def _send_sample(self, event: str, url: str, message_id: str, bad: bool) -> None:
        signer = self._signer()
        secrets = self.hub.secrets
        secret = await secrets.get(signer.uid) if signer is not None and secrets is not None else None
        dialog = self.sample_dialog
        if signer is None or not secret:
            text = (
                "Test events are signed with a destination's secret: select one whose secret is stored here."
            )
            self.bridge.report_warning(text)
            if dialog is not None:
                dialog.show_result(None, text)
            return
        contact = await self._contact_of(message_id)
        try:
            sample = build_sample(
                event,
                secret=secret,
                bad_signature=bad,
                webhook_uid=signer.uid,
                sender_id=signer.phone_number or self._sender() or "",
                message_id=message_id or None,
                contact=contact,
            )
            sent = await send_sample(url, sample, secrets=(secret,))
        except (ConfigError, Whats91Error) as err:
            self.bridge.report_error(tr("The test event was not sent: %1").replace("%1", str(err)))
            if dialog is not None:
                dialog.show_result(None, str(err))
            return
        badly = " (badly signed)" if bad else ""
        self.bridge.report_info(
            tr("Test event %1%2 → %3: %4")
            .replace("%1", str(event))
            .replace("%2", str(badly))
            .replace("%3", str(url))
            .replace("%4", str(sent.result.summary()))
        )
        if self.sample_dialog is not None:
            self.sample_dialog.show_result(sent.result)

    async def _contact_of(self, message_id: str) -> str | None:
        if not message_id:
            return None
        try:
            entry = await self.desk.store.find(message_id=message_id)
        except Whats91Error:
            return None
        return entry.recipient if entry is not None else None

    # ------------------------------------------------------------------ the receiver

    @qasync.asyncSlot()
    async def _on_start_clicked(self) -> None:
        self.start_button.setEnabled(False)
        try:
            if self.hub.receiver.running:
                await self.hub.stop()
                self.bridge.report_info(tr("The webhook receiver stopped."))
            else:
                exposed = self.all_interfaces_check.isChecked()
                host = "0.0.0.0" if exposed else "127.0.0.1"
                await self.hub.start(
                    host,
                    self.port_spin.value(),
                    allow_network=exposed,
                    profile=self.profile.name if self.profile else "",
                )
                self.bridge.report_info(
                    tr("The webhook receiver listens at %1.").replace(
                        "%1", str(self.hub.receiver.local_url())
                    )
                )
                if exposed:
                    self.bridge.report_warning(EXPOSED_TEXT)
        except ConfigError as err:
            self.bridge.report_error(tr("The receiver could not start: %1").replace("%1", str(err)))
        finally:
            self.start_button.setEnabled(True)
            self._update_receiver()

    def _update_receiver(self, *_args: object) -> None:
        receiver = self.hub.receiver
        running = receiver.running
        if running and receiver.port is not None:
            self.port_spin.setValue(receiver.port)  # what it really listens on (0 picks a port)
        self.start_button.setText(tr("Stop receiver") if running else tr("Start receiver"))
        self.port_spin.setEnabled(not running)
        self.all_interfaces_check.setEnabled(not running)
        self.copy_url_button.setEnabled(running)
        local = receiver.local_url()
        if running and local is not None:
            self.url_label.setText(tr("Listening. Endpoint URL to paste: %1").replace("%1", str(local)))
            self.reach_label.setText(REACH_TEXT.format(local=local.rsplit("/", 2)[0], port=receiver.port))
        else:
            self.url_label.setText(
                tr("Not listening. Start the receiver to test deliveries on this computer.")
            )
            self.reach_label.setText("")
        self.exposed_label.setVisible(self.all_interfaces_check.isChecked())
        self.counters_label.setText(self.hub.counters.summary())

    def _on_copy_url_clicked(self) -> None:
        url = self.hub.receiver.local_url()
        if url:
            QGuiApplication.clipboard().setText(url)
            self.bridge.report_info(tr("Copied %1").replace("%1", str(url)))

    def _on_forward_changed(self, *_args: object) -> None:
        url = self.forward_edit.text().strip() if self.forward_check.isChecked() else ""
        try:
            self.hub.set_forward(url or None)
        except ConfigError as err:
            self.forward_note.setText(str(err))
            themed_style(self.forward_note, "color: $caution;")
            self.hub.set_forward(None)
        else:
            self.forward_note.setText(
                tr("Each delivery is relayed to %1 as it arrives.").replace("%1", str(url)) if url else ""
            )
            themed_style(self.forward_note, "")
        self._update_actions()

    # ------------------------------------------------------------------ deliveries

    def _on_delivery_added(self, record: DeliveryRecord) -> None:
        self.deliveries.add(record)
        self.counters_label.setText(self.hub.counters.summary())
        if not self.deliveries_table.selectionModel().hasSelection():
            self.deliveries_table.scrollToBottom()

    def _on_delivery_changed(self, record: DeliveryRecord) -> None:
        self.deliveries.refresh(record)
        self.counters_label.setText(self.hub.counters.summary())
        if self.selected_delivery() is record:
            self.detail.setPlainText(detail_text(record))

    def _on_template_update(self, delivery: Delivery) -> None:
        self.bridge.report_info(
            tr("Template %1 is now %2 (webhook).")
            .replace("%1", str(delivery.template_name or "?"))
            .replace("%2", str(delivery.status or "?"))
        )
        compose = self.compose
        if compose is not None and compose.template_tab.templates_loaded():
            compose.templates_wanted.emit()

    def selected_delivery(self) -> DeliveryRecord | None:
        rows = self.deliveries_table.selectionModel().selectedRows()
        return self.deliveries.item_at(rows[0].row()) if rows else None

    def _on_delivery_selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        record = self.selected_delivery()
        self.detail.setPlainText(detail_text(record) if record is not None else "")
        self._update_actions()

    @qasync.asyncSlot()
    async def _on_replay_store_clicked(self) -> None:
        record = self.selected_delivery()
        if record is None:
            return
        again = await self.hub.replay_to_store(record)
        self.bridge.report_info(
            tr("Replayed to the log: %1").replace("%1", str(again.problem or again.outcome))
        )

    @qasync.asyncSlot()
    async def _on_replay_forward_clicked(self) -> None:
        record = self.selected_delivery()
        if record is None:
            return
        try:
            result = await self.hub.replay_to_forward(record)
        except ConfigError as err:
            self.bridge.report_error(str(err))
            return
        self.bridge.report_info(
            tr("Replayed to %1: %2").replace("%1", str(result.url)).replace("%2", str(result.summary()))
        )
