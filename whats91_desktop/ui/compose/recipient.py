"""The recipient row: a number field that normalises as you type.

``recipientEdit`` takes whatever people paste (``+91 88888-88888``, ``0091…``, a bare
national number read in the region from :meth:`RecipientField.set_region`);
``recipientStatus`` says what it becomes (``+91 88888 88888 ✓``) or why it cannot be a
recipient. Recent recipients complete by substring, so ``8888`` finds ``918888888888``.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import QCompleter, QHBoxLayout, QLabel, QLineEdit, QWidget

from whats91_desktop.core.phone import InvalidNumber, NormalizedNumber, normalize_number
from whats91_desktop.ui.compose.problems import PROBLEM_RED

VALID_COLOUR = "#1e6b3a"
HINT_COLOUR = "#8a8a8a"


class RecipientField(QWidget):
    """``To:`` label, ``recipientEdit`` and ``recipientStatus`` on one line."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._region = "IN"
        self._normalized: NormalizedNumber | None = None
        self._error: str | None = None
        self._problem: str | None = None

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel("&To:", self)
        self.edit = QLineEdit(self)
        self.edit.setObjectName("recipientEdit")
        self.edit.setAccessibleName("Recipient")
        self.edit.setClearButtonEnabled(True)
        label.setBuddy(self.edit)

        self._recent = QStringListModel(self)
        completer = QCompleter(self._recent, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.edit.setCompleter(completer)

        self.status = QLabel(self)
        self.status.setObjectName("recipientStatus")
        self.status.setAccessibleName("Recipient check")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout.addWidget(label)
        layout.addWidget(self.edit, 2)
        layout.addWidget(self.status, 3)
        self.edit.textChanged.connect(self._on_edit_text_changed)
        self._update_placeholder()
        self._refresh()

    # ------------------------------------------------------------------ API

    def text(self) -> str:
        return self.edit.text()

    def set_text(self, text: str) -> None:
        self.edit.setText(text)

    def normalized(self) -> NormalizedNumber | None:
        return self._normalized

    def error(self) -> str | None:
        return self._error

    def status_text(self) -> str:
        return self.status.text()

    def set_region(self, region: str) -> None:
        self._region = (region or "IN").upper()
        self._update_placeholder()
        self._refresh()

    def set_recent(self, numbers: Sequence[str]) -> None:
        self._recent.setStringList(list(dict.fromkeys(n for n in numbers if n)))

    def show_problem(self, message: str | None) -> None:
        """A ``to`` problem from validation, shown when our own check has nothing to say."""
        self._problem = message
        self._render()

    # ------------------------------------------------------------------ internals

    def _update_placeholder(self) -> None:
        self.edit.setPlaceholderText("Phone number, e.g. +91 98765 43210")
        self.edit.setToolTip(
            "The recipient's WhatsApp number. Spaces, dashes and 00 prefixes are fine;\n"
            f"a number without + and country code is read as a {self._region} number."
        )

    def _on_edit_text_changed(self, _text: str) -> None:
        self._refresh()
        self.changed.emit()

    def _refresh(self) -> None:
        text = self.edit.text().strip()
        self._normalized = None
        self._error = None
        if text:
            try:
                self._normalized = normalize_number(text, self._region)
            except InvalidNumber as err:
                self._error = str(err)
        self._render()

    def _render(self) -> None:
        if self._normalized is not None:
            self._set_status(f"{self._normalized.formatted} ✓", VALID_COLOUR)
        elif self._error is not None:
            self._set_status(f"✗ {self._error}", PROBLEM_RED)
        elif self._problem:
            self._set_status(f"✗ {self._problem}", PROBLEM_RED)
        else:
            self._set_status("", HINT_COLOUR)

    def _set_status(self, text: str, colour: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {colour};")
        self.status.setAccessibleDescription(text)
