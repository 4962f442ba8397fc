"""The sender combo: the profile's numbers, or one typed by hand.

A sender is shown as its formatted number, plus "· id 1000…0001" once we have learned its
Meta phoneNumberId from a response echo (support staff compare that id with Meta's
dashboard). A number typed by hand is used as it is and remembered after a successful send.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QWidget

from whats91_desktop.core.models import Sender
from whats91_desktop.core.phone import format_number

_NOT_DIGITS = re.compile(r"\D")


def short_id(phone_number_id: str) -> str:
    """Enough of a long id to tell two apart at a glance: ``1000…0001``."""
    return phone_number_id if len(phone_number_id) <= 10 else f"{phone_number_id[:4]}…{phone_number_id[-4:]}"


def sender_label(sender: Sender, *, is_default: bool = False) -> str:
    parts = [format_number(sender.sender_id)]
    if sender.label:
        parts.append(sender.label)
    if sender.phone_number_id:
        parts.append(f"id {short_id(sender.phone_number_id)}")
    text = " · ".join(parts)
    return f"{text} (default)" if is_default else text


class SenderPicker(QComboBox):
    """Editable combo of sender numbers; :meth:`current_sender_id` is what a send should use."""

    sender_changed = Signal(object)  # str | None: the digits, or None when empty

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("senderCombo")
        self.setAccessibleName("Sender number")
        self.setToolTip("The WhatsApp number the message is sent from. Type another one to use it.")
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setMinimumContentsLength(22)
        line = self.lineEdit()
        if line is not None:
            line.setAccessibleName("Sender number")
            line.setPlaceholderText("Sender number (default)")
        self._last: str | None = None
        self._filling = False
        self.currentIndexChanged.connect(self._on_changed)
        self.editTextChanged.connect(self._on_changed)

    def set_senders(
        self, senders: Sequence[Sender], default: str | None = None, select: str | None = None
    ) -> None:
        """Replace the list; select ``select`` if given and known, else the default, else the first."""
        self._filling = True
        try:
            self.clear()
            for sender in senders:
                self.addItem(sender_label(sender, is_default=sender.sender_id == default), sender.sender_id)
                tip = sender.sender_id
                if sender.phone_number_id:
                    tip += f" · phoneNumberId {sender.phone_number_id}"
                self.setItemData(self.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
            wanted = select or default
            index = self.findData(wanted) if wanted else -1
            if index < 0 and wanted and select and not any(s.sender_id == select for s in senders):
                self.setCurrentIndex(-1)
                self.setEditText(select)
            elif index >= 0:
                self.setCurrentIndex(index)
            elif self.count():
                self.setCurrentIndex(0)
            else:
                self.setCurrentIndex(-1)
                self.setEditText("")
        finally:
            self._filling = False
        self._on_changed()

    def current_sender_id(self) -> str | None:
        """The selected sender's digits; a hand-typed number reduced to digits; None when empty."""
        index = self.currentIndex()
        text = self.currentText()
        if index >= 0 and text == self.itemText(index):
            data = self.itemData(index)
            return str(data) if data else None
        digits = _NOT_DIGITS.sub("", text)
        return digits or None

    def _on_changed(self, *_args: object) -> None:
        if self._filling:
            return
        current = self.current_sender_id()
        if current != self._last:
            self._last = current
            self.sender_changed.emit(current)
