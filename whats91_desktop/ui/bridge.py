"""The one object through which logic reports to the user (qutebrowser's MessageBridge).

Widgets subscribe to its signals (the status bar shows them); nothing below the UI layer
knows about it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from whats91_desktop.core.outcome_text import Severity
from whats91_desktop.services.messages import UserMessage


class MessageBridge(QObject):
    info = Signal(str)
    warning = Signal(str)
    error = Signal(str)
    busy = Signal(bool)
    """True while a network call the user started is in flight."""

    def report_info(self, text: str) -> None:
        self.info.emit(text)

    def report_warning(self, text: str) -> None:
        self.warning.emit(text)

    def report_error(self, text: str) -> None:
        self.error.emit(text)

    def report(self, severity: Severity, text: str) -> None:
        {Severity.INFO: self.info, Severity.WARNING: self.warning, Severity.ERROR: self.error}[
            severity
        ].emit(text)

    def relay(self, message: UserMessage) -> None:
        """What the services publish (``Services.messages``) reaches the user like our own."""
        self.report(message.severity, message.text)
