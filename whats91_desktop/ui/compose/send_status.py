"""The line beside Send: what stops this message from being sent, readable without hovering.

A disabled button's tooltip is hard to reach (and invisible to a keyboard user), so the
reasons are written out here too. Problems count only once the user can see them next to
their fields — the recipient once typed in, the tab once edited, everything after a send
attempt — so an untouched form says what is still to fill in, in grey, not "2 problems".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from whats91_desktop.core.models import Problem
from whats91_desktop.ui.compose.problems import describe_field
from whats91_desktop.ui.elided_label import ElidedLabel
from whats91_desktop.ui.palette import themed_style

TOOLTIP_PROBLEMS_MAX = 8


@dataclass(frozen=True)
class SendStatus:
    line: str
    """The one line beside Send (elided on screen)."""
    reason: str
    """The same, in full: Send's tooltip and ``validity_changed``'s reason."""
    is_problem: bool


def _described(problem: Problem) -> str:
    return f"{describe_field(problem.field)}: {problem.message}"


def send_status(shown: Sequence[Problem], hidden: Sequence[Problem], *, has_message: bool) -> SendStatus:
    """Why Send is disabled (``line`` empty when it is not): the shown problems, else what is left."""
    if shown:
        listed = [f"• {_described(p)}" for p in shown[:TOOLTIP_PROBLEMS_MAX]]
        if len(shown) > TOOLTIP_PROBLEMS_MAX:
            listed.append(f"… and {len(shown) - TOOLTIP_PROBLEMS_MAX} more")
        if len(shown) == 1:
            line = _described(shown[0])
        else:
            line = f"{len(shown)} problems: " + " · ".join(_described(p) for p in shown)
        return SendStatus(line, "Fix before sending:\n" + "\n".join(listed), is_problem=True)
    if hidden:
        fields = ", ".join(dict.fromkeys(describe_field(p.field) for p in hidden))
        line = f"To send, fill in: {fields}"
        return SendStatus(line, line, is_problem=False)
    if not has_message:
        return SendStatus("Nothing to send yet.", "Nothing to send yet.", is_problem=False)
    return SendStatus("", "", is_problem=False)


class SendStatusLine(ElidedLabel):
    """``composeStatusLabel``: one reserved line, red for problems, grey for what is left to do."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composeStatusLabel")
        self.setAccessibleName("Why Send is disabled")
        self.show_status(SendStatus("", "", is_problem=False))

    def show_status(self, status: SendStatus) -> None:
        themed_style(self, "color: $problem;" if status.is_problem else "color: $muted;")
        self.set_full_text(status.line, status.reason)
