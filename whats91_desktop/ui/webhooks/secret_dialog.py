"""The signing secret, shown in full only here: once after create, and on an explicit "Reveal".

Whats91 returns the secret once; the dialog says where it was kept (the keychain, or the 0600
file where there is none) so the user knows it can be revealed again from this computer, and
offers Copy for pasting it into their own handler's configuration. The clipboard is cleared
when the dialog closes if it still holds the secret.
"""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from whats91_desktop.ui.i18n import tr


class SecretDialog(QDialog):
    def __init__(
        self, *, webhook_name: str, secret: str, where: str, first_time: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("webhookSecretDialog")
        self.setWindowTitle(tr("Signing secret"))
        self._secret = secret
        intro = (
            f"Whats91 shows the signing secret of “{webhook_name}” only this once. It is {where}, "
            "so this app can check each delivery's X-Whats91-Signature; copy it into your own "
            "webhook handler now."
            if first_time
            else f"The signing secret of “{webhook_name}”, {where}."
        )
        text = QLabel(intro, self)
        text.setObjectName("secretIntro")
        text.setWordWrap(True)
        self.secret_edit = QLineEdit(secret, self)
        self.secret_edit.setObjectName("secretEdit")
        self.secret_edit.setReadOnly(True)
        self.secret_edit.setAccessibleName(tr("Signing secret"))
        self.copy_button = QPushButton(tr("Copy"), self)
        self.copy_button.setObjectName("copySecretButton")
        self.copied_label = QLabel("", self)
        self.copied_label.setObjectName("secretCopied")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.secret_edit)
        layout.addWidget(self.copy_button)
        layout.addWidget(self.copied_label)
        layout.addWidget(buttons)
        self.copy_button.clicked.connect(self._on_copy_clicked)
        buttons.accepted.connect(self.accept)
        self.finished.connect(self._on_finished)
        self.resize(520, 200)

    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self._secret)
        self.copied_label.setText(tr("Copied. The clipboard is cleared when you close this window."))

    def _on_finished(self, _result: int) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard.text() == self._secret:
            clipboard.clear()
        self.secret_edit.clear()
        self._secret = ""
