"""What the services want the user to read: a severity and a sentence, published on a Topic.

The window relays these to its MessageBridge (status bar and notification area); the CLI
prints them to stderr.
"""

from __future__ import annotations

from dataclasses import dataclass

from whats91_desktop.core.outcome_text import Severity
from whats91_desktop.services.topic import Topic


@dataclass(frozen=True)
class UserMessage:
    severity: Severity
    text: str


class UserMessages(Topic[UserMessage]):
    """The services' channel to the user (one per process, built by the composition root)."""

    def info(self, text: str) -> None:
        self.publish(UserMessage(Severity.INFO, text))

    def warning(self, text: str) -> None:
        self.publish(UserMessage(Severity.WARNING, text))

    def error(self, text: str) -> None:
        self.publish(UserMessage(Severity.ERROR, text))
