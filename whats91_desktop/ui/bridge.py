"""The one object through which logic reports to the user (qutebrowser's MessageBridge).

Widgets subscribe to its signals (the status bar shows the latest message, the notification
area keeps them); nothing below the UI layer knows about it. Every message is recorded in
:attr:`MessageBridge.history`, newest last, so nothing the user was told is lost when the
status bar moves on: warnings and errors stay *pending* there until dismissed.

An :meth:`~MessageBridge.alert` is a message about one log row that the user must not miss
(a late failure, a send that ended unknown while they looked elsewhere): it is recorded and
shown like any other, and also raises the in-app banner with "Show".
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from whats91_desktop.core.outcome_text import Severity
from whats91_desktop.services.messages import UserMessage

HISTORY_LIMIT = 500


@dataclass
class Notice:
    """One message shown to the user. ``row_id``: the log row it is about, if any."""

    id: int
    severity: Severity
    text: str
    at: float
    row_id: int | None = None
    alert: bool = False
    dismissed: bool = False

    @property
    def pending(self) -> bool:
        """A warning or error the user has not dismissed yet."""
        return not self.dismissed and self.severity is not Severity.INFO


class MessageBridge(QObject):
    info = Signal(str)
    warning = Signal(str)
    error = Signal(str)
    busy = Signal(bool)
    """True while a network call the user started is in flight."""
    posted = Signal(object)
    """Every :class:`Notice`, as it is recorded."""
    alerted = Signal(object)
    """A :class:`Notice` the user must not miss (see :meth:`alert`)."""
    history_changed = Signal()
    """A notice was added or dismissed."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.history: list[Notice] = []
        self._ids = itertools.count(1)

    def report_info(self, text: str) -> None:
        self.report(Severity.INFO, text)

    def report_warning(self, text: str) -> None:
        self.report(Severity.WARNING, text)

    def report_error(self, text: str) -> None:
        self.report(Severity.ERROR, text)

    def report(self, severity: Severity, text: str, *, row_id: int | None = None) -> Notice:
        return self._record(Notice(next(self._ids), severity, text, time.time(), row_id))

    def _record(self, notice: Notice) -> Notice:
        self.history.append(notice)
        del self.history[:-HISTORY_LIMIT]
        {Severity.INFO: self.info, Severity.WARNING: self.warning, Severity.ERROR: self.error}[
            notice.severity
        ].emit(notice.text)
        self.posted.emit(notice)
        self.history_changed.emit()
        return notice

    def alert(self, severity: Severity, text: str, *, row_id: int) -> Notice:
        """Report ``text`` about log row ``row_id`` and raise the banner (and, when the window is
        not active, a desktop notification)."""
        notice = self._record(Notice(next(self._ids), severity, text, time.time(), row_id, alert=True))
        self.alerted.emit(notice)
        return notice

    def relay(self, message: UserMessage) -> None:
        """What the services publish (``Services.messages``) reaches the user like our own."""
        self.report(message.severity, message.text)

    # ------------------------------------------------------------------ the notification area

    def pending(self) -> list[Notice]:
        """Warnings and errors not dismissed yet, oldest first."""
        return [n for n in self.history if n.pending]

    def dismiss(self, notice_id: int) -> None:
        for notice in self.history:
            if notice.id == notice_id and not notice.dismissed:
                notice.dismissed = True
                self.history_changed.emit()
                return

    def dismiss_all(self) -> None:
        changed = False
        for notice in self.history:
            if not notice.dismissed:
                notice.dismissed = True
                changed = True
        if changed:
            self.history_changed.emit()
