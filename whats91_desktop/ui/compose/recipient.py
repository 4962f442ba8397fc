"""The recipient row: a number field that normalises as you type.

``recipientEdit`` takes whatever people paste (``+91 88888-88888``, ``0091…``, a bare
national number read in the region from :meth:`RecipientField.set_region`);
``recipientStatus`` says what it becomes (``+91 88888 88888 ✓``) or why it cannot be a
recipient, on one line beside it that never grows (the whole reason is in its tooltip,
and on the line beside Send). Recent recipients complete by substring, so ``8888`` finds ``918888888888``.

The completer's list is a popup, and a Qt popup swallows the click that closes it: the
user would click into the message box and find the cursor still in the number field.
:class:`ClickThrough` hands that click on to the widget under the pointer.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QStringListModel, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QCompleter, QHBoxLayout, QLabel, QLineEdit, QWidget

from whats91_desktop.core.phone import InvalidNumber, NormalizedNumber, country_name, normalize_number
from whats91_desktop.ui.elided_label import ElidedLabel
from whats91_desktop.ui.i18n import tr
from whats91_desktop.ui.palette import themed_style

PLACEHOLDER = "Phone number, e.g. +91 98765 43210"


class ClickThrough(QObject):
    """Closes ``popup`` on a press outside it and delivers that press where it landed.

    Installed after the completer's own filter, so it runs first (Qt calls the newest filter
    first). ``WA_NoMouseReplay`` keeps platforms that replay such a press themselves from
    delivering it twice.
    """

    def __init__(self, popup: QWidget) -> None:
        super().__init__(popup)
        self._popup = popup
        popup.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self._popup or event.type() != QEvent.Type.MouseButtonPress:
            return False
        if not isinstance(event, QMouseEvent):
            return False
        where = event.globalPosition()
        if self._popup.rect().contains(self._popup.mapFromGlobal(where).toPoint()):
            return False  # a pick in the list: the completer's business
        self._popup.setAttribute(Qt.WidgetAttribute.WA_NoMouseReplay)
        self._popup.hide()
        target = QApplication.widgetAt(where.toPoint())
        window = target.window().windowHandle() if target is not None else None
        modal = QApplication.activeModalWidget()
        if window is not None and target is not None and (modal is None or modal.isAncestorOf(target)):
            local = window.mapFromGlobal(where)
            kind = QEvent.Type.MouseButtonPress
            press = QMouseEvent(kind, local, local, where, event.button(), event.buttons(), event.modifiers())
            QCoreApplication.sendEvent(window, press)
        return True


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
        label = QLabel(tr("&To:"), self)
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
        popup = completer.popup()  # made on this first call, with the completer's own filter
        if popup is not None:
            ClickThrough(popup)  # owned by the popup

        self.status = ElidedLabel(self)
        self.status.setObjectName("recipientStatus")
        self.status.setAccessibleName("Recipient check")

        layout.addWidget(label)
        layout.addWidget(self.edit, 3)
        layout.addWidget(self.status, 2)
        self.edit.setMinimumWidth(self.edit.fontMetrics().horizontalAdvance(PLACEHOLDER) + 40)
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
        self.edit.setPlaceholderText(PLACEHOLDER)
        where = country_name(self._region) or self._region
        self.edit.setToolTip(
            "The recipient's WhatsApp number. Spaces, dashes and 00 prefixes are fine;\n"
            f"a number without + and country code is read as a number in {where}."
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
            self._set_status(f"{self._normalized.formatted} ✓", "ok")
        elif self._error is not None:
            self._set_status(f"✗ {self._error}", "problem")
        elif self._problem:
            self._set_status(f"✗ {self._problem}", "problem")
        else:
            self._set_status("", "hint")

    def _set_status(self, text: str, role: str) -> None:
        """``role`` is a ``ui.palette`` colour; the ✓ and ✗ say the same without colour."""
        self.status.set_full_text(text)
        themed_style(self.status, f"color: ${role};")
