"""Create or edit a destination: events from the loaded catalog, problems next to their field.

The dialog checks as the user types (``core.webhook_validation``) and keeps Save disabled while
anything blocks; warnings (a loopback or tunnel URL) are shown and do not block. Saving is the
pane's business: the dialog emits :attr:`WebhookForm.submitted` with the draft and stays open
until the pane calls :meth:`WebhookForm.finish`, or shows the server's refusal with
:meth:`WebhookForm.show_error`, so nothing typed is lost when Whats91 says no.

Editing sends only what changed (the update is partial). The verification token is never
shown or pre-filled: it is not returned by the API, and the stored copy stays in the keychain.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from whats91_desktop.core.models import Problem
from whats91_desktop.core.webhook_validation import check_draft
from whats91_desktop.core.webhooks import EventCatalog, Webhook, WebhookDraft
from whats91_desktop.ui.i18n import tr
from whats91_desktop.ui.palette import themed_style

DEFAULT_TIMEOUT_MS = 5000
DEFAULT_ATTEMPTS = 3
_FIELDS = (
    "name",
    "endpointUrl",
    "events",
    "timeoutMs",
    "retryMaxAttempts",
    "verificationHeaderKey",
    "verificationToken",
)


def _note(parent: QWidget, name: str, role: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    themed_style(label, f"color: ${role};")
    label.hide()
    return label


class WebhookForm(QDialog):
    submitted = Signal(object)
    """The ``WebhookDraft`` to create, or the changes to send for the destination edited."""

    def __init__(
        self,
        catalog: EventCatalog | None,
        *,
        webhook: Webhook | None = None,
        local_url: Callable[[], str | None] = lambda: None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("webhookForm")
        self.webhook = webhook
        self.catalog = catalog
        self._local_url = local_url
        creating = webhook is None
        self.setWindowTitle(
            tr("New webhook destination")
            if creating
            else tr("Edit “%1”").replace("%1", str(webhook.name if webhook else ""))
        )

        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("webhookNameEdit")
        self.name_edit.setPlaceholderText(tr("e.g. CRM delivery hook"))
        self.url_edit = QLineEdit(self)
        self.url_edit.setObjectName("webhookUrlEdit")
        self.url_edit.setPlaceholderText("https://example.com/webhooks/whats91")
        self.use_local = QPushButton(tr("Use the local receiver"), self)
        self.use_local.setObjectName("useLocalReceiverButton")
        self.use_local.setToolTip(tr("Fill in the URL of this app's receiver (start it first)"))
        self.events_list = QListWidget(self)
        self.events_list.setObjectName("webhookEventsList")
        self.events_list.setMinimumHeight(140)
        self.timeout_spin = QSpinBox(self)
        self.timeout_spin.setObjectName("webhookTimeoutSpin")
        self.timeout_spin.setRange(100, 120_000)
        self.timeout_spin.setSingleStep(500)
        self.timeout_spin.setSuffix(" ms")
        self.retry_check = QCheckBox(tr("Retry failed deliveries"), self)
        self.retry_check.setObjectName("webhookRetryCheck")
        self.attempts_spin = QSpinBox(self)
        self.attempts_spin.setObjectName("webhookAttemptsSpin")
        self.attempts_spin.setRange(0, 20)
        self.attempts_spin.setPrefix(tr("at most "))
        self.attempts_spin.setSuffix(" attempts")
        self.header_edit = QLineEdit(self)
        self.header_edit.setObjectName("webhookHeaderEdit")
        self.header_edit.setPlaceholderText(tr("optional, e.g. X-CRM-Webhook-Token"))
        self.token_edit = QLineEdit(self)
        self.token_edit.setObjectName("webhookTokenEdit")
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setPlaceholderText(
            tr("the shared token Whats91 sends in that header")
            if creating
            else tr("leave empty to keep the current token")
        )
        self.clear_token_check = QCheckBox(tr("Remove the verification token"), self)
        self.clear_token_check.setObjectName("webhookClearTokenCheck")
        self.clear_token_check.setVisible(not creating and bool(webhook and webhook.has_verification_token))
        self.active_check = QCheckBox(tr("Active (deliveries start at once)"), self)
        self.active_check.setObjectName("webhookActiveCheck")
        self.active_check.setChecked(True)
        self.active_check.setVisible(creating)

        self.problem_labels = {name: _note(self, f"{name}Problem", "problem") for name in _FIELDS}
        self.other_problems = _note(self, "webhookProblems", "problem")
        self.warnings_label = _note(self, "webhookWarnings", "caution")
        self.error_label = _note(self, "webhookServerError", "problem")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.addButton(
            "Create" if creating else "Save changes", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setObjectName("webhookSaveButton")
        self._build_layout()
        self._fill(webhook)

        for edit in (self.name_edit, self.url_edit, self.header_edit, self.token_edit):
            edit.textChanged.connect(self._on_field_changed)
        for spin in (self.timeout_spin, self.attempts_spin):
            spin.valueChanged.connect(self._on_field_changed)
        for check in (self.retry_check, self.clear_token_check, self.active_check):
            check.toggled.connect(self._on_field_changed)
        self.events_list.itemChanged.connect(self._on_field_changed)
        self.use_local.clicked.connect(self._on_use_local_clicked)
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)
        self._on_field_changed()

    # ------------------------------------------------------------------ building

    def _build_layout(self) -> None:
        form = QFormLayout()

        def row(label: str, widget: QWidget, name: str | None) -> None:
            holder = QWidget(self)
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(widget)
            if name is not None:
                column.addWidget(self.problem_labels[name])
            form.addRow(label, holder)

        url_row = QWidget(self)
        url_layout = QHBoxLayout(url_row)
        url_layout.setContentsMargins(0, 0, 0, 0)
        url_layout.addWidget(self.url_edit, 1)
        url_layout.addWidget(self.use_local)
        retry_row = QWidget(self)
        retry_layout = QHBoxLayout(retry_row)
        retry_layout.setContentsMargins(0, 0, 0, 0)
        retry_layout.addWidget(self.retry_check)
        retry_layout.addWidget(self.attempts_spin)
        retry_layout.addStretch(1)
        token_column = QWidget(self)
        token_layout = QVBoxLayout(token_column)
        token_layout.setContentsMargins(0, 0, 0, 0)
        token_layout.addWidget(self.token_edit)
        token_layout.addWidget(self.clear_token_check)
        row("Name", self.name_edit, "name")
        row("Endpoint URL", url_row, "endpointUrl")
        row("Events", self.events_list, "events")
        row("Timeout", self.timeout_spin, "timeoutMs")
        row("Retries", retry_row, "retryMaxAttempts")
        row("Verification header", self.header_edit, "verificationHeaderKey")
        row("Verification token", token_column, "verificationToken")
        form.addRow("", self.active_check)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.other_problems)
        layout.addWidget(self.warnings_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.resize(620, 640)

    def _fill(self, webhook: Webhook | None) -> None:
        chosen = set(webhook.events) if webhook else set()
        keys = list(self.catalog.event_keys) if self.catalog else []
        keys += [k for k in sorted(chosen) if k not in keys]  # subscribed, but gone from the catalog
        for key in keys:
            item = QListWidgetItem(key, self.events_list)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if key in chosen else Qt.CheckState.Unchecked)
        self.name_edit.setText(webhook.name if webhook else "")
        self.url_edit.setText(webhook.endpoint_url if webhook else "")
        self.timeout_spin.setValue(
            webhook.timeout_ms if webhook and webhook.timeout_ms else DEFAULT_TIMEOUT_MS
        )
        self.retry_check.setChecked(webhook.retry_enabled is not False if webhook else True)
        attempts = webhook.retry_max_attempts if webhook else None
        self.attempts_spin.setValue(attempts if attempts is not None else DEFAULT_ATTEMPTS)
        self.header_edit.setText(webhook.verification_header_key or "" if webhook else "")

    # ------------------------------------------------------------------ reading

    def chosen_events(self) -> tuple[str, ...]:
        items = (self.events_list.item(i) for i in range(self.events_list.count()))
        return tuple(item.text() for item in items if item.checkState() == Qt.CheckState.Checked)

    def full_draft(self) -> WebhookDraft:
        """Every field as the form shows it (what a create sends)."""
        header = self.header_edit.text().strip()
        return WebhookDraft(
            name=self.name_edit.text().strip(),
            endpoint_url=self.url_edit.text().strip(),
            events=self.chosen_events(),
            status="ACTIVE" if self.active_check.isChecked() else "INACTIVE",
            timeout_ms=self.timeout_spin.value(),
            retry_enabled=self.retry_check.isChecked(),
            retry_max_attempts=self.attempts_spin.value() if self.retry_check.isChecked() else None,
            verification_header_key=header or None,
            verification_token=self.token_edit.text() or None,
        )

    def draft(self) -> WebhookDraft:
        """A create's fields, or only what an edit changes."""
        full = self.full_draft()
        old = self.webhook
        if old is None:
            return full
        return WebhookDraft(
            name=full.name if full.name != old.name else None,
            endpoint_url=full.endpoint_url if full.endpoint_url != old.endpoint_url else None,
            events=full.events if set(full.events or ()) != set(old.events) else None,
            timeout_ms=full.timeout_ms if full.timeout_ms != old.timeout_ms else None,
            retry_enabled=full.retry_enabled
            if full.retry_enabled != (old.retry_enabled is not False)
            else None,
            retry_max_attempts=full.retry_max_attempts
            if full.retry_max_attempts is not None and full.retry_max_attempts != old.retry_max_attempts
            else None,
            verification_header_key=full.verification_header_key
            if full.verification_header_key and full.verification_header_key != old.verification_header_key
            else None,
            verification_token=full.verification_token,
            clear_verification_token=self.clear_token_check.isChecked(),
        )

    # ------------------------------------------------------------------ reacting

    def _on_field_changed(self, *_args: object) -> None:
        self.attempts_spin.setEnabled(self.retry_check.isChecked())
        self.token_edit.setEnabled(not self.clear_token_check.isChecked())
        self.error_label.hide()
        draft = self.draft()
        check = check_draft(draft, self.catalog, creating=self.webhook is None)
        self._show_problems(check.problems)
        warnings = [p.message for p in check.warnings]
        self.warnings_label.setText("\n".join(f"⚠ {text}" for text in warnings))
        self.warnings_label.setVisible(bool(warnings))
        unchanged = self.webhook is not None and draft.is_empty()
        self.save_button.setEnabled(check.ok and not unchanged)
        self.save_button.setToolTip(tr("Nothing changed yet") if unchanged else "")

    def _show_problems(self, problems: tuple[Problem, ...]) -> None:
        by_field: dict[str, list[str]] = {}
        for problem in problems:
            if problem.field in self.problem_labels:
                by_field.setdefault(problem.field, []).append(problem.message)
            else:  # a field this form does not show: said under the form, never dropped
                by_field.setdefault("", []).append(f"{problem.field}: {problem.message}")
        for name, label in (*self.problem_labels.items(), ("", self.other_problems)):
            texts = by_field.get(name, [])
            label.setText("; ".join(texts))
            label.setVisible(bool(texts))

    def _on_use_local_clicked(self) -> None:
        url = self._local_url()
        if url is None:
            self.show_error("Start the local receiver first (in the Webhooks pane), then use its URL.")
            return
        self.url_edit.setText(url)

    def _on_save_clicked(self) -> None:
        if not self.save_button.isEnabled():
            return
        self.set_busy(True)
        self.submitted.emit(self.draft())

    # ------------------------------------------------------------------ what the pane calls

    def set_busy(self, busy: bool) -> None:
        self.save_button.setEnabled(not busy)
        self.save_button.setText(
            tr("Saving…") if busy else (tr("Create") if self.webhook is None else tr("Save changes"))
        )

    def show_error(self, text: str) -> None:
        """The server's refusal (or any failure) under the form; everything typed stays."""
        self.set_busy(False)
        self.error_label.setText(text)
        self.error_label.show()

    def finish(self) -> None:
        self.accept()
