"""How long the pane waits before it reads the selected thread and the inbox again.

A thread someone is answering changes every few seconds, a quiet one not for hours: the wait
starts short, doubles after each read that brought nothing new (or failed: the server or the
network is struggling, and asking faster would not help), up to a ceiling, and drops back to
the start as soon as something changed, the user acted, or a webhook said a message arrived.
"""

from __future__ import annotations

FIRST_WAIT = 5.0
LONGEST_WAIT = 120.0


class Backoff:
    def __init__(self, first: float = FIRST_WAIT, longest: float = LONGEST_WAIT) -> None:
        self.first = first
        self.longest = longest
        self.wait = first

    def after_read(self, *, changed: bool) -> float:
        """The next wait (seconds) after a read that did or did not bring something new."""
        self.wait = self.first if changed else min(self.wait * 2, self.longest)
        return self.wait

    def reset(self) -> float:
        self.wait = self.first
        return self.wait
