"""Text tab: one ``messageEdit`` with a counter against ``TEXT_MAX``."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from whats91_desktop.core import validation
from whats91_desktop.core.models import OutgoingMessage, Problem, TextMessage
from whats91_desktop.ui.compose.base import ComposeTab, clear_undoably
from whats91_desktop.ui.compose.counters import CountedTextEdit
from whats91_desktop.ui.i18n import tr


class TextTab(ComposeTab):
    kind = "text"
    title = "Text"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, scroll=False)
        self.message_edit = CountedTextEdit(validation.TEXT_MAX, self)
        self.message_edit.setObjectName("messageEdit")
        self.message_edit.setAccessibleName("Message text")
        self.message_edit.setPlaceholderText(
            tr("Type a message… (*bold*, _italic_, ~strike~; Ctrl+Enter sends)")
        )
        self.message_edit.setToolTip(
            f"Up to {validation.TEXT_MAX} characters. Tab moves on; Ctrl+Enter sends."
        )
        self.body.addWidget(self.message_edit, 1)
        self.body.addWidget(self.problem_label("text", self.message_edit, "textProblem"))
        self.message_edit.textChanged.connect(self.changed)

    def build(self, to: str) -> tuple[OutgoingMessage | None, list[Problem]]:
        return TextMessage(to=to, text=self.message_edit.toPlainText()), []

    def _clear_body(self) -> None:
        clear_undoably(self.message_edit)
