"""First run: try the built-in sandbox, or add a real token. Shown with ``open()``, never ``exec()``."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from whats91_desktop.ui.i18n import tr


class WelcomeDialog(QDialog):
    sandbox_chosen = Signal()
    add_token_chosen = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomeDialog")
        self.setWindowTitle(tr("Welcome to Whats91 Desktop"))
        self.setAccessibleName(tr("Welcome"))
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        title = QLabel(tr("<h2>Welcome to Whats91 Desktop</h2>"), self)
        title.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(title)
        intro = QLabel(
            tr("Send WhatsApp messages through the Whats91 API, follow their delivery and look "
            "up what happened to any of them.\n\n"
            "The sandbox is built in: it behaves like the real API (including its failures) and "
            "nothing leaves this computer. Add a token when you are ready for real messages."),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.sandbox_button = QPushButton(tr("Try the sandbox"), self)
        self.sandbox_button.setObjectName("trySandboxButton")
        self.sandbox_button.setAccessibleName(tr("Try the sandbox"))
        self.sandbox_button.setDefault(True)
        self.sandbox_button.clicked.connect(self._on_sandbox_clicked)
        layout.addWidget(self.sandbox_button)

        self.token_button = QPushButton(tr("Add a Whats91 token…"), self)
        self.token_button.setObjectName("addTokenButton")
        self.token_button.setAccessibleName(tr("Add a Whats91 token"))
        self.token_button.clicked.connect(self._on_token_clicked)
        layout.addWidget(self.token_button)
        self.setMinimumWidth(440)

    def _on_sandbox_clicked(self) -> None:
        self.accept()
        self.sandbox_chosen.emit()

    def _on_token_clicked(self) -> None:
        self.accept()
        self.add_token_chosen.emit()
