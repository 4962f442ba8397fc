"""The inbox as a list model: one row per contact, filtered here so it works offline too.

Each row reads as a person scans an inbox: name and number, then the last message, then its
time (local), the unread count and the 24-hour window ("open · 5 h 12 min left") with its icon.
The window comes from the list row alone (known only when the last message is inbound) unless
the contact's thread was read, which always knows it. Search, unread-only and status filter the
rows already read, so the cached inbox filters the same without the network.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from whats91_desktop.core.conversations import Conversation
from whats91_desktop.core.phone import format_number
from whats91_desktop.core.service_window import ServiceWindow, window_from_list, window_text
from whats91_desktop.ui.conversations.window_badge import state_of, window_icon
from whats91_desktop.ui.i18n import tr

ConversationRole = Qt.ItemDataRole.UserRole + 1
WindowRole = Qt.ItemDataRole.UserRole + 2

STATUS_CHOICES = (
    ("all", "All conversations"),
    ("active", "Active"),
    ("closed", "Closed"),
    ("blocked", "Blocked"),
    ("archived", "Archived"),
)

_Index = QModelIndex | QPersistentModelIndex


@dataclasses.dataclass(frozen=True)
class InboxFilter:
    search: str = ""
    unread_only: bool = False
    status: str = "all"

    def accepts(self, conversation: Conversation) -> bool:
        if self.unread_only and conversation.unread_count <= 0:
            return False
        if not _status_matches(self.status, conversation):
            return False
        needle = self.search.strip().casefold()
        if not needle:
            return True
        digits = "".join(ch for ch in needle if ch.isdigit())
        haystack = " ".join(
            part or "" for part in (conversation.contact_name, conversation.last_message_content)
        ).casefold()
        return needle in haystack or (len(digits) >= 3 and digits in conversation.contact_phone)


def _status_matches(status: str, conversation: Conversation) -> bool:
    if status == "all":
        return True
    if status == "archived":
        return conversation.is_archived
    if status == "blocked":
        return conversation.is_blocked or conversation.status == "blocked"
    return conversation.status == status


def local_time(moment: dt.datetime | None, now: dt.datetime) -> str:
    """``14:05`` today, ``5 Jun 14:05`` another day of this year, with the year otherwise."""
    if moment is None:
        return ""
    local, today = moment.astimezone(), now.astimezone()
    if local.date() == today.date():
        return local.strftime("%H:%M")
    if local.year == today.year:
        return f"{local.day} {local.strftime('%b %H:%M')}"
    return f"{local.day} {local.strftime('%b %Y %H:%M')}"


@functools.lru_cache(maxsize=4096)
def _shown_number(digits: str) -> str:
    """Formatting a number parses it (a fraction of a millisecond): once per contact, not per paint."""
    return format_number(digits) or digits


def contact_title(conversation: Conversation) -> str:
    number = _shown_number(conversation.contact_phone)
    return f"{conversation.contact_name} · {number}" if conversation.contact_name else number


class ConversationListModel(QAbstractListModel):
    def __init__(self) -> None:
        super().__init__()
        self._all: tuple[Conversation, ...] = ()
        self._rows: list[Conversation] = []
        self._filter = InboxFilter()
        self._known: dict[str, ServiceWindow] = {}
        self._now = dt.datetime.now(dt.UTC)

    # ------------------------------------------------------------------ feeding

    def set_conversations(self, conversations: Sequence[Conversation], now: dt.datetime) -> None:
        self._all = tuple(conversations)
        self._now = now
        self._refilter()

    def set_filter(self, inbox_filter: InboxFilter) -> None:
        if inbox_filter != self._filter:
            self._filter = inbox_filter
            self._refilter()

    def set_known_windows(self, known: Mapping[str, ServiceWindow]) -> None:
        """Windows learnt from threads read, by contact: they replace the list's guess."""
        self._known = dict(known)
        self._changed_all()

    def set_now(self, now: dt.datetime) -> None:
        """Time moved on: every window text is recomputed ("closes in 9 min" → "8 min")."""
        self._now = now
        self._changed_all()

    # ------------------------------------------------------------------ reading

    @property
    def total(self) -> int:
        return len(self._all)

    def conversations(self) -> list[Conversation]:
        """The rows shown, in order."""
        return list(self._rows)

    def all_conversations(self) -> tuple[Conversation, ...]:
        return self._all

    def row_of(self, contact: str) -> int:
        return next((i for i, c in enumerate(self._rows) if c.contact_phone == contact), -1)

    def window_of(self, conversation: Conversation) -> ServiceWindow:
        known = self._known.get(conversation.contact_phone)
        return known.at(self._now) if known is not None else window_from_list(conversation, self._now)

    def window_text_of(self, conversation: Conversation) -> str:
        return window_text(self.window_of(conversation), self._now)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default argument
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        conversation = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(conversation)
        if role == Qt.ItemDataRole.DecorationRole:
            return window_icon(state_of(self.window_of(conversation), self._now))
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return (
                self._text(conversation).replace("\n", "; ")
                + "; 24-hour window "
                + self.window_text_of(conversation)
            )
        if role == ConversationRole:
            return conversation
        if role == WindowRole:
            return self.window_of(conversation)
        return None

    def _text(self, conversation: Conversation) -> str:
        preview = (
            conversation.last_message_content or f"[{conversation.last_message_type or 'message'}]"
        ).replace("\n", " ")
        arrow = tr("You: ") if conversation.last_message_direction == "outbound" else ""
        facts = [local_time(conversation.last_message_at, self._now)]
        if conversation.unread_count:
            facts.append(tr("%1 unread").replace("%1", str(conversation.unread_count)))
        facts.append(tr("window %1").replace("%1", self.window_text_of(conversation)))
        return f"{contact_title(conversation)}\n{arrow}{preview}\n{' · '.join(f for f in facts if f)}"

    # ------------------------------------------------------------------ internals

    def _refilter(self) -> None:
        self.beginResetModel()
        self._rows = [c for c in self._all if self._filter.accepts(c)]
        self.endResetModel()

    def _changed_all(self) -> None:
        if self._rows:
            self.dataChanged.emit(self.index(0), self.index(len(self._rows) - 1))
