"""The message log: a lazy table model over the store, and the pane around it."""

from whats91_desktop.ui.log.model import MessageLogModel
from whats91_desktop.ui.log.pane import LogPane

__all__ = ["LogPane", "MessageLogModel"]
