"""Inline problem labels, keyed by the field paths of ``core.validation``.

A tab registers one :class:`ProblemLabel` (and the widget to focus) per field path it
shows — ``text``, ``buttons[1].title``, ``sections[0].rows[2].description`` — and a
:class:`ProblemRouter` puts every :class:`Problem` under the most specific registered
path: the exact path, else its nearest registered ancestor (``sections[0].rows[2]``,
``sections[0]``, ``sections``). Whatever matches nothing lands in the tab's summary
label, prefixed with a readable field name, so no problem is ever silently dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from whats91_desktop.core.models import Problem
from whats91_desktop.ui.elided_label import ElidedLabel
from whats91_desktop.ui.palette import colour

_SEGMENT = re.compile(r"^(?P<name>[^\[\]]*)(?P<indexes>(\[\d+\])*)$")

_NAMES = {
    "to": "Recipient",
    "text": "Message",
    "body": "Body",
    "caption": "Caption",
    "filename": "File name",
    "media": "Media",
    "file": "file",
    "url": "URL",
    "id": "ID",
    "media_id": "Media ID",
    "media_url": "Header media URL",
    "media_file": "Header media file",
    "media_type": "Media type",
    "buttons": "Button",
    "title": "title",
    "description": "description",
    "sections": "Section",
    "rows": "row",
    "button_text": "List button text",
    "header_text": "Header",
    "footer_text": "Footer",
    "template_name": "Template",
    "parameters": "Variable",
    "button_parameters": "Button variable",
    "payload": "JSON",
    "phone_number_id": "Phone number ID",
    "sender_id": "Sender",
}


def describe_field(path: str) -> str:
    """``buttons[1].title`` -> ``Button 2 title``; ``parameters[0]`` -> ``Variable {{1}}``."""
    if not path:
        return "Message"
    if path == "payload":
        return "JSON"
    if path.startswith("payload."):
        return "JSON " + path.removeprefix("payload.")
    words: list[str] = []
    for segment in path.split("."):
        match = _SEGMENT.match(segment)
        if match is None:
            words.append(segment)
            continue
        name = match.group("name")
        indexes = [int(i) for i in re.findall(r"\[(\d+)\]", match.group("indexes"))]
        label = _NAMES.get(name, name.replace("_", " "))
        if name == "parameters" and indexes:
            words.append(f"Variable {{{{{indexes[0] + 1}}}}}")
            continue
        words.append(label + "".join(f" {i + 1}" for i in indexes))
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def parent_paths(path: str) -> list[str]:
    """``a[0].b[2].c`` -> ``[a[0].b[2].c, a[0].b[2], a[0].b, a[0], a]`` (most specific first)."""
    found = [path]
    current = path
    while current:
        if current.endswith("]"):
            current = current[: current.rfind("[")]
        elif "." in current:
            current = current[: current.rfind(".")]
        else:
            break
        if current:
            found.append(current)
    return found


class ProblemLabel(ElidedLabel):
    """Small red text under a field, in a space reserved for it, so that fields never move.

    Each problem starts a line; what does not fit in ``lines`` lines is elided, and the tooltip
    lists them all. With ``reserve=False`` the label takes no room while it has nothing to
    say: for places where appearing shifts nothing (the foot of a tab).
    """

    def __init__(self, parent: QWidget | None = None, *, lines: int = 1, reserve: bool = True) -> None:
        super().__init__(parent, lines=lines)
        self._reserve = reserve
        self._paint_red()
        font = self.font()
        font.setPointSizeF(max(font.pointSizeF() - 1.0, 7.0))
        self.setFont(font)
        self.setAccessibleName("Problem")
        self._messages: list[str] = []
        self.set_messages(())

    def _paint_red(self) -> None:
        palette = self.palette()  # not a style sheet: a pane has dozens of these, each one costs
        palette.setColor(QPalette.ColorRole.WindowText, QColor(colour("problem")))
        self.setPalette(palette)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # Light ↔ dark; our own setPalette arrives here too, and is then already right.
        if event.type() == QEvent.Type.PaletteChange:
            shown = self.palette().color(QPalette.ColorRole.WindowText)
            if shown != QColor(colour("problem")):
                self._paint_red()

    def set_messages(self, messages: Iterable[str]) -> None:
        unique = list(dict.fromkeys(m for m in messages if m))
        self._messages = unique
        self.set_full_text("\n".join(unique))
        if not self._reserve:
            self.setVisible(bool(unique))

    def messages(self) -> list[str]:
        """What the label currently says (one entry per problem), shown or not."""
        return list(self._messages)


@dataclass
class _Target:
    label: ProblemLabel
    focus: QWidget | None


class ProblemRouter:
    """Maps field paths to labels; unmatched problems go to ``summary``.

    It also knows which fields the user has edited: a text field changed since it was
    registered (or since :meth:`forget_edits`). A problem shows under an edited field; under a
    label with no text field of its own (``buttons``, a section's rows) once anything in the
    tab was edited; and everywhere with ``reveal`` (a send attempt).
    """

    def __init__(self, summary: ProblemLabel) -> None:
        self.summary = summary
        self._targets: dict[str, _Target] = {}
        self._fields: set[QWidget] = set()  # the text fields watched for edits
        self._edited: set[QWidget] = set()

    def register(self, path: str, label: ProblemLabel, focus: QWidget | None = None) -> None:
        self._targets[path] = _Target(label, focus)
        if isinstance(focus, QLineEdit | QPlainTextEdit) and focus not in self._fields:
            self._fields.add(focus)
            focus.textChanged.connect(lambda *_text, field=focus: self._edited.add(field))

    def unregister_prefix(self, prefix: str) -> None:
        """Forget ``prefix`` and everything below it (a removed row or section)."""
        for path in list(self._targets):
            if path == prefix or path.startswith((prefix + ".", prefix + "[")):
                del self._targets[path]

    def unregister_startswith(self, start: str) -> None:
        """Forget every path that starts with ``start`` (``"buttons["``: all rows at once)."""
        for path in [p for p in self._targets if p.startswith(start)]:
            del self._targets[path]

    def forget_edits(self) -> None:
        """Every field counts as untouched again (the body was just sent and cleared)."""
        self._edited.clear()

    def edited(self) -> bool:
        """True once the user has changed any field of the tab still on screen."""
        live = {t.focus for t in self._targets.values()}
        self._fields &= live  # rows removed since
        self._edited &= live
        return bool(self._edited)

    def target_path(self, problem: Problem) -> str | None:
        for candidate in parent_paths(problem.field):
            if candidate in self._targets:
                return candidate
        return None

    def show(self, problems: Sequence[Problem], *, reveal: bool = False) -> list[Problem]:
        """Put each visible problem under its label (see the class); returns those shown."""
        any_edit = self.edited()
        by_label: dict[int, list[str]] = {}
        unmatched: list[str] = []
        shown: list[Problem] = []
        for problem in problems:
            path = self.target_path(problem)
            target = self._targets[path] if path is not None else None
            field = target.focus if target is not None and target.focus in self._fields else None
            if not (reveal or (field in self._edited if field is not None else any_edit)):
                continue
            shown.append(problem)
            if target is None:
                unmatched.append(f"{describe_field(problem.field)}: {problem.message}")
                continue
            message = problem.message
            if path != problem.field:
                message = f"{describe_field(problem.field)}: {message}"
            by_label.setdefault(id(target.label), []).append(message)
        seen: set[int] = set()
        for target in self._targets.values():
            key = id(target.label)
            if key in seen:
                continue
            seen.add(key)
            target.label.set_messages(by_label.get(key, ()))
        self.summary.set_messages(unmatched)
        return shown

    def focus_widget(self, problem: Problem) -> QWidget | None:
        path = self.target_path(problem)
        return self._targets[path].focus if path is not None else None
