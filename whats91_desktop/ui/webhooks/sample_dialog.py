""" "Send test event…": one signed sample delivery to any handler, with a message id from the log.

The pane fills the message ids (recent rows of the log) and does the sending; the dialog
shows what the handler answered, so an integrator can try event after event without leaving it.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from whats91_desktop.core.webhook_validation import target_problem
from whats91_desktop.services.webhooks.records import ForwardResult
from whats91_desktop.services.webhooks.trigger import SAMPLE_CHOICES
from whats91_desktop.ui.i18n import tr
from whats91_desktop.ui.palette import themed_style


class SampleDialog(QDialog):
    send_requested = Signal(str, str, str, bool)
    """(event, target URL, message id or "", bad signature)."""

    def __init__(self, *, target: str, signer: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sampleDialog")
        self.setWindowTitle(tr("Send test event"))
        self.event_combo = QComboBox(self)
        self.event_combo.setObjectName("sampleEventCombo")
        self.event_combo.addItems(SAMPLE_CHOICES)
        self.message_combo = QComboBox(self)
        self.message_combo.setObjectName("sampleMessageCombo")
        self.message_combo.setEditable(True)
        self.message_combo.setToolTip(tr("A message id from the log, so the status matches a real row"))
        self.target_edit = QLineEdit(target, self)
        self.target_edit.setObjectName("sampleTargetEdit")
        self.target_edit.setPlaceholderText("http://127.0.0.1:3000/webhooks (or any https URL)")
        self.bad_check = QCheckBox(tr("Sign it with the wrong secret (your handler must reject it)"), self)
        self.bad_check.setObjectName("sampleBadSignatureCheck")
        self.problem_label = QLabel("", self)
        themed_style(self.problem_label, "color: $problem;")
        self.result_view = QPlainTextEdit(self)
        self.result_view.setObjectName("sampleResult")
        self.result_view.setReadOnly(True)
        self.result_view.setPlaceholderText(tr("The handler's answer appears here."))
        signed = QLabel(tr("Signed with the signing secret of %1.").replace("%1", str(signer)), self)
        signed.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("Event"), self.event_combo)
        form.addRow(tr("Message id"), self.message_combo)
        form.addRow(tr("Send to"), self.target_edit)
        form.addRow("", self.bad_check)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.send_button = buttons.addButton(tr("Send"), QDialogButtonBox.ButtonRole.ActionRole)
        self.send_button.setObjectName("sampleSendButton")
        layout = QVBoxLayout(self)
        layout.addWidget(signed)
        layout.addLayout(form)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.result_view, 1)
        layout.addWidget(buttons)
        buttons.rejected.connect(self.reject)
        self.send_button.clicked.connect(self._on_send_clicked)
        self.target_edit.textChanged.connect(self._on_target_changed)
        self.event_combo.currentTextChanged.connect(self._on_target_changed)
        self._on_target_changed()
        self.resize(560, 420)

    def set_message_ids(self, choices: list[tuple[str, str]]) -> None:
        """``(message id, label)`` pairs, newest first; the first is chosen."""
        self.message_combo.clear()
        for message_id, label in choices:
            self.message_combo.addItem(label, message_id)

    def message_id(self) -> str:
        index = self.message_combo.currentIndex()
        if index >= 0 and self.message_combo.itemText(index) == self.message_combo.currentText():
            return str(self.message_combo.itemData(index) or "")
        return self.message_combo.currentText().strip()

    def _on_target_changed(self, *_args: object) -> None:
        problem = (
            target_problem(self.target_edit.text()) if self.target_edit.text().strip() else "where to send it"
        )
        self.problem_label.setText(problem or "")
        self.send_button.setEnabled(problem is None)
        self.message_combo.setEnabled(self.event_combo.currentText().startswith("message."))

    def _on_send_clicked(self) -> None:
        self.send_button.setEnabled(False)
        self.result_view.setPlainText("Sending…")
        self.send_requested.emit(
            self.event_combo.currentText(),
            self.target_edit.text().strip(),
            self.message_id(),
            self.bad_check.isChecked(),
        )

    def show_result(self, result: ForwardResult | None, error: str | None = None) -> None:
        self.send_button.setEnabled(True)
        if result is None:
            self.result_view.setPlainText(error or "Not sent.")
            return
        self.result_view.setPlainText(f"{result.summary()}\n\n{result.body}")
