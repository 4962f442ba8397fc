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

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from whats91_desktop.core.models import Problem

PROBLEM_RED = "#c5221f"

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


class ProblemLabel(QLabel):
    """Small red text under a field; hidden while there is nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setStyleSheet(f"color: {PROBLEM_RED};")
        font = self.font()
        font.setPointSizeF(max(font.pointSizeF() - 1.0, 7.0))
        self.setFont(font)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setAccessibleName("Problem")
        self._messages: list[str] = []
        self.set_messages(())

    def set_messages(self, messages: Iterable[str]) -> None:
        unique = list(dict.fromkeys(m for m in messages if m))
        self._messages = unique
        self.setText("\n".join(unique))
        self.setAccessibleDescription(" ".join(unique))
        self.setVisible(bool(unique))

    def messages(self) -> list[str]:
        """What the label currently says (one entry per problem), shown or not."""
        return list(self._messages)


@dataclass
class _Target:
    label: ProblemLabel
    focus: QWidget | None


class ProblemRouter:
    """Maps field paths to labels; unmatched problems go to ``summary``."""

    def __init__(self, summary: ProblemLabel) -> None:
        self.summary = summary
        self._targets: dict[str, _Target] = {}

    def register(self, path: str, label: ProblemLabel, focus: QWidget | None = None) -> None:
        self._targets[path] = _Target(label, focus)

    def unregister_prefix(self, prefix: str) -> None:
        """Forget ``prefix`` and everything below it (a removed row or section)."""
        for path in list(self._targets):
            if path == prefix or path.startswith((prefix + ".", prefix + "[")):
                del self._targets[path]

    def unregister_startswith(self, start: str) -> None:
        """Forget every path that starts with ``start`` (``"buttons["``: all rows at once)."""
        for path in [p for p in self._targets if p.startswith(start)]:
            del self._targets[path]

    def target_path(self, problem: Problem) -> str | None:
        for candidate in parent_paths(problem.field):
            if candidate in self._targets:
                return candidate
        return None

    def show(self, problems: Sequence[Problem]) -> None:
        by_label: dict[int, list[str]] = {}
        unmatched: list[str] = []
        for problem in problems:
            path = self.target_path(problem)
            if path is None:
                unmatched.append(f"{describe_field(problem.field)}: {problem.message}")
                continue
            target = self._targets[path]
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

    def focus_widget(self, problem: Problem) -> QWidget | None:
        path = self.target_path(problem)
        return self._targets[path].focus if path is not None else None
