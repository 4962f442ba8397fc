"""The 24-hour customer service window: when free-form messages may go to a contact.

WhatsApp takes free-form messages (text, media, buttons, lists) only within 24 hours of the
contact's latest *inbound* message; after that only an approved template goes, and free-form
text is accepted and then fails with Meta error 131047. Pure functions over server times (UTC):
the caller passes ``now``, since the local clock is not trusted to the second, and every text
is rounded down to whole minutes so a small skew never shows as a wrong minute count flickering.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from whats91_desktop.core.conversations import Conversation, ThreadMessage

WINDOW = dt.timedelta(hours=24)
SOON = dt.timedelta(hours=1)
"""Under this much time left, the text says only how soon it closes."""


@dataclass(frozen=True)
class ServiceWindow:
    """``open`` is ``None`` when it cannot be known (yet); ``closes_at`` is when it closes or
    closed (``None`` when unknown, or closed because the contact never wrote)."""

    open: bool | None
    closes_at: dt.datetime | None

    @property
    def known_closed(self) -> bool:
        return self.open is False

    def at(self, now: dt.datetime) -> ServiceWindow:
        """The same window judged at ``now``: one that was open closes once its time has come."""
        if self.open is None or self.closes_at is None:
            return self
        return ServiceWindow(now < self.closes_at, self.closes_at)


UNKNOWN = ServiceWindow(None, None)
NEVER_OPENED = ServiceWindow(False, None)


def window_after(latest_inbound: dt.datetime | None, now: dt.datetime) -> ServiceWindow:
    """Open exactly while ``now`` is less than 24 h after the latest inbound message."""
    if latest_inbound is None:
        return NEVER_OPENED
    closes_at = latest_inbound + WINDOW
    return ServiceWindow(now < closes_at, closes_at)


def window_from_thread(messages: Iterable[ThreadMessage], now: dt.datetime) -> ServiceWindow:
    """From a thread: its latest inbound message decides, whatever came after it."""
    inbound = [m.timestamp for m in messages if m.direction == "inbound" and m.timestamp is not None]
    return window_after(max(inbound, default=None), now)


def window_from_list(conversation: Conversation, now: dt.datetime) -> ServiceWindow:
    """From a list row alone: known only when its last message is inbound (then it is the
    latest inbound). An outbound last message hides when the contact last wrote: unknown,
    never a guessed "closed"."""
    if conversation.last_message_direction != "inbound" or conversation.last_message_at is None:
        return UNKNOWN
    return window_after(conversation.last_message_at, now)


def window_text(window: ServiceWindow, now: dt.datetime) -> str:
    """ "open · 5 h 12 min left", "closes in 9 min", "closed 3 h ago", "closed", "unknown"."""
    if window.open is None:
        return "unknown"
    if window.closes_at is None:
        return "closed" if not window.open else "open"
    if window.open:
        left = window.closes_at - now
        if left < SOON:
            return f"closes in {_span(left)}"
        return f"open · {_span(left)} left"
    return f"closed {_span(now - window.closes_at, coarse=True)} ago"


def _span(delta: dt.timedelta, *, coarse: bool = False) -> str:
    """Whole minutes, rounded down ("5 h 12 min", "9 min"); ``coarse`` keeps only the largest unit."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    if coarse:
        return f"{hours // 24} d" if hours >= 48 else f"{hours} h"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def server_now(local_now: dt.datetime, seen: Iterable[dt.datetime | None]) -> dt.datetime:
    """The best guess of the server's "now": this computer's clock, but never earlier than the
    newest time the server has already stamped. A clock running behind would otherwise show a
    window longer than the server allows (and messages from the future)."""
    newest = max((moment for moment in seen if moment is not None), default=None)
    return newest if newest is not None and newest > local_now else local_now
