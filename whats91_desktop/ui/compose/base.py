"""What every compose tab provides to the pane, plus small layout helpers.

A tab turns its widgets into an :data:`OutgoingMessage` (``build``), shows the problems
the pane found under the fields the user has edited (``show_problems``), focuses the
widget behind a problem, and clears its body after a send. Validation itself stays in
the pane, which owns the debounce and the Send button; a tab only reports problems that
exist before there is a message at all (unparsable JSON, say).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from whats91_desktop.core.models import OutgoingMessage, Problem
from whats91_desktop.ui.compose.problems import ProblemLabel, ProblemRouter


class ComposeTab(QWidget):
    """Base of the six tabs. Subclasses fill ``self.body`` (a vertical layout)."""

    changed = Signal()
    """Any edit; the pane re-validates after a short debounce."""

    kind = ""
    title = ""

    def __init__(self, parent: QWidget | None = None, *, scroll: bool = True) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        content = QWidget()
        self.body = QVBoxLayout(content)
        self.body.setContentsMargins(10, 8, 10, 6)
        self.body.setSpacing(4)
        if scroll:
            area = QScrollArea(self)
            area.setWidgetResizable(True)
            area.setFrameShape(QFrame.Shape.NoFrame)
            area.setWidget(content)
            outer.addWidget(area, 1)
        else:
            outer.addWidget(content, 1)
        self.summary = ProblemLabel(self, reserve=False)  # at the tab's foot: appearing moves no field
        self.summary.setObjectName(f"{self.kind}ProblemSummary")
        self.summary.setAccessibleName("Other problems")
        self.summary.setContentsMargins(10, 2, 10, 4)
        outer.addWidget(self.summary)
        self.router = ProblemRouter(self.summary)

    # ------------------------------------------------------------------ the tab protocol

    def build(self, to: str) -> tuple[OutgoingMessage | None, list[Problem]]:
        """The message as composed (not yet checked), and problems found before that."""
        raise NotImplementedError

    def extra_problems(self, message: OutgoingMessage, default_region: str) -> list[Problem]:
        """Checks beyond ``check_message`` that only this tab knows how to make."""
        return []

    def tidy_problems(self, problems: list[Problem]) -> list[Problem]:
        """The problems as this tab's fields see them (a tab may drop one that repeats another)."""
        return problems

    def show_problems(self, problems: Sequence[Problem], *, reveal: bool = False) -> list[Problem]:
        """Show the problems of the fields the user edited (all of them with ``reveal``, after a
        send attempt); returns the ones shown, for the line beside Send."""
        return self.router.show(problems, reveal=reveal)

    def focus_problem(self, problem: Problem) -> bool:
        """Focus (and scroll to) the widget behind ``problem``; False if there is none."""
        return self.focus_widget(self.router.focus_widget(problem))

    def focus_widget(self, widget: QWidget | None) -> bool:
        if widget is None or not widget.isEnabled() or not widget.isVisibleTo(self):
            return False
        parent = widget.parentWidget()
        while parent is not None and parent is not self:
            if isinstance(parent, QScrollArea):
                parent.ensureWidgetVisible(widget)
                break
            parent = parent.parentWidget()
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def clear_body(self) -> None:
        """After a send: empty the body (one undo step), which then counts as untouched, so the
        emptied form does not complain about being empty."""
        self._clear_body()
        self.router.forget_edits()

    def _clear_body(self) -> None:
        raise NotImplementedError

    def files(self) -> tuple[Path, ...]:
        """Local files the message would upload (their checks are cached by the pane)."""
        return ()

    def handles_recipient_problems(self) -> bool:
        """True when ``to`` lives inside the tab (Meta JSON), not in the recipient field."""
        return False

    # ------------------------------------------------------------------ helpers for subclasses

    def problem_label(
        self, path: str, focus: QWidget | None, name: str | None = None, *, lines: int = 1
    ) -> ProblemLabel:
        """A label in a space reserved under ``focus`` for the problems at ``path``."""
        label = ProblemLabel(self, lines=lines)
        if name:
            label.setObjectName(name)
        self.router.register(path, label, focus)
        return label


def section_label(text: str, parent: QWidget | None = None) -> QLabel:
    """A small bold caption above a group of fields."""
    label = QLabel(text, parent)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def field_label(text: str, buddy: QWidget, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setBuddy(buddy)
    return label


def clear_undoably(edit: QPlainTextEdit) -> None:
    """Empty ``edit`` as one undo step (``QPlainTextEdit.clear`` also wipes the undo history)."""
    if not edit.document().isEmpty():
        cursor = edit.textCursor()
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.removeSelectedText()
        cursor.endEditBlock()


def strip_or_none(text: str) -> str | None:
    """Optional text fields: empty means "not given"."""
    text = text.strip()
    return text or None
