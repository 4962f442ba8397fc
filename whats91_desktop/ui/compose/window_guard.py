"""The recipient's 24-hour window in the compose pane: shown beside "To", asked about before a send.

Free-form messages (text, media, buttons, list, and Meta JSON that is not a template) to a
contact whose window is known to be closed are accepted and then fail with 131047. The pane
says the window under the recipient when it is known ("24-hour window: closed 3 h ago"), and
a send of such a message asks first, offering the Template tab. What is known comes from a
lookup the Conversations pane provides (its inbox and the threads read); without one, or for
a number it has never seen, nothing is shown and nothing is asked: unknown is never "closed".
The question is asked from the Send click itself, never inside a coroutine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from whats91_desktop.core.models import MetaMessage, OutgoingMessage, TemplateMessage
from whats91_desktop.core.service_window import ServiceWindow, window_text
from whats91_desktop.ui.i18n import tr
from whats91_desktop.ui.palette import themed_style

WindowLookup = Callable[[str], tuple[ServiceWindow, dt.datetime] | None]
"""Digits → the contact's window and the "now" it was judged against, or None when unknown."""


def is_free_form(message: OutgoingMessage) -> bool:
    if isinstance(message, TemplateMessage):
        return False
    if isinstance(message, MetaMessage):
        return message.payload.get("type") != "template"
    return True


def closed_sentence(window: ServiceWindow, now: dt.datetime) -> str:
    """ "The 24-hour window closed 3 h ago; free-form messages will fail (131047)." """
    state = window_text(window, now).removeprefix("closed").strip()
    if not state:
        return tr(
            "The 24-hour window is closed: the contact has not written yet; free-form messages will fail "
            "(131047)."
        )
    return tr("The 24-hour window closed %1; free-form messages will fail (131047).").replace("%1", state)


def closed_question(window: ServiceWindow, now: dt.datetime) -> str:
    return f"{closed_sentence(window, now)} Send a template instead?"


class WindowGuard:
    def __init__(self, parent: QWidget) -> None:
        self._parent = parent
        self._lookup: WindowLookup | None = None
        self._digits: str | None = None
        self.label = QLabel(parent)
        self.label.setObjectName("recipientWindowLabel")
        self.label.setWordWrap(True)
        self.label.hide()

    def set_lookup(self, lookup: WindowLookup | None) -> None:
        self._lookup = lookup
        self.show_for(self._digits)

    def known(self, digits: str | None) -> tuple[ServiceWindow, dt.datetime] | None:
        if not digits or self._lookup is None:
            return None
        found = self._lookup(digits)
        return found if found is not None and found[0].open is not None else None

    def refresh(self) -> None:
        """What the lookup knows changed (a thread was read): say the recipient's window again."""
        self.show_for(self._digits)

    def show_for(self, digits: str | None) -> None:
        """Say the window of ``digits`` (the recipient as normalised), or hide the line."""
        self._digits = digits
        found = self.known(digits)
        if found is None:
            self.label.hide()
            return
        window, now = found
        mark = "●" if window.open else "⊘"  # a shape as well as the words: never colour alone
        self.label.setText(f"{mark} 24-hour window: {window_text(window, now)}")
        themed_style(self.label, "" if window.open else "color: $problem;")
        self.label.show()

    def allows(self, message: OutgoingMessage, open_templates: Callable[[], object]) -> bool:
        """True to send; False when the user chose the Template tab (opened) or Cancel."""
        found = self.known(message.to)
        if found is None or found[0].open or not is_free_form(message):
            return True
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "The 24-hour window is closed",
            closed_question(*found),
            QMessageBox.StandardButton.Cancel,
            self._parent,
        )
        template = box.addButton("Open the Template tab", QMessageBox.ButtonRole.AcceptRole)
        anyway = box.addButton("Send anyway", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(template)
        box.exec()
        clicked = box.clickedButton()
        if clicked is template:
            open_templates()
        return clicked is anyway
