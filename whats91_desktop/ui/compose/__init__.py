"""The compose pane (see :mod:`whats91_desktop.ui.compose.pane` for its object names)."""

from whats91_desktop.ui.compose.pane import ComposePane

__all__ = ["ComposePane"]
