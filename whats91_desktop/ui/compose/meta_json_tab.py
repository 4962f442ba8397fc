"""Meta JSON tab: a raw Meta Cloud API message body, checked against Meta's schema as you type.

``metaExampleButton`` offers all of Meta's request examples (grouped in submenus); an
inserted example is addressed to the current recipient when it is valid, and otherwise
keeps Meta's ``{{Recipient-Phone-Number}}`` placeholder so it never reaches a stranger.
Insertion and **Format** are single undo steps. With ``metaPhoneNumberIdEdit`` empty the
message goes to ``POST /messages``; with an ID, to ``POST /{id}/messages``.

Here the recipient lives in the JSON (``payload.to``): the pane's recipient field only feeds
"Insert example". A problem whose path names a key moves the cursor to that key; a
placeholder left from an example (``<BUTTON_TEXT>``) is selected, so typing replaces it.

The JSON stays after a send: integrators send a payload, adjust it and send it again.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QAction, QFontDatabase, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

from whats91_desktop.core.meta_schema import example_with_recipient, meta_example, meta_example_names
from whats91_desktop.core.models import MetaMessage, OutgoingMessage, Problem
from whats91_desktop.core.placeholders import find_placeholders
from whats91_desktop.ui.compose.base import ComposeTab, strip_or_none
from whats91_desktop.ui.compose.problems import parent_paths
from whats91_desktop.ui.palette import themed_style

EXAMPLE_GROUPS = ("Text", "Media", "Interactive", "Templates", "Replies", "Other")


def example_group(name: str) -> str:
    """Which submenu an example goes in, from its name."""
    lowered = name.lower()
    if "reply to" in lowered or "reaction" in lowered:
        return "Replies"
    if "template" in lowered:
        return "Templates"
    if any(word in lowered for word in ("audio", "document", "image", "video", "sticker")):
        return "Media"
    if any(word in lowered for word in ("flow", "list", "button", "catalog", "product", "order")):
        return "Interactive"
    if "text" in lowered:
        return "Text"
    return "Other"


def parse_payload(text: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The JSON object in ``text``, or the problem that stops it being one."""
    if not text.strip():
        return None, [Problem("payload", "Write a Meta message JSON, or insert an example.")]
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        return None, [
            Problem("payload", f"Not valid JSON: {err.msg} (line {err.lineno}, column {err.colno}).")
        ]
    except ValueError:  # a number beyond Python's int-string limit
        too_long = "Not valid JSON: a number in it is too long to read (over 4300 digits)."
        return None, [Problem("payload", too_long)]
    except RecursionError:
        return None, [Problem("payload", "The JSON is nested too deeply to be a Meta message.")]
    if not isinstance(value, dict):
        return None, [Problem("payload", "The payload must be a JSON object ({…}).")]
    return value, []


class MetaJsonTab(ComposeTab):
    kind = "meta"
    title = "Meta JSON"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, scroll=False)
        self.recipient_provider: Callable[[], str | None] = lambda: None

        bar = QHBoxLayout()
        self.example_button = QToolButton(self)
        self.example_button.setObjectName("metaExampleButton")
        self.example_button.setText("Insert &example ▾")
        self.example_button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0px; }")
        self.example_button.setAccessibleName("Insert a Meta example")
        self.example_button.setToolTip(
            "Replace the JSON with one of Meta's request examples, addressed to the recipient"
        )
        self.example_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.example_menu = QMenu(self.example_button)
        self.example_menu.setObjectName("metaExampleMenu")
        self.example_button.setMenu(self.example_menu)
        self.example_actions: dict[str, QAction] = {}
        submenus = {group: self.example_menu.addMenu(group) for group in EXAMPLE_GROUPS}
        for name in meta_example_names():
            action = submenus[example_group(name)].addAction(name)
            action.setData(name)
            action.triggered.connect(lambda _checked=False, n=name: self.insert_example(n))
            self.example_actions[name] = action
        for group, submenu in submenus.items():
            if submenu.isEmpty():
                submenu.menuAction().setVisible(False)
            submenu.setTitle(f"{group} ({len(submenu.actions())})")

        self.format_button = QPushButton("F&ormat", self)
        self.format_button.setObjectName("metaFormatButton")
        self.format_button.setAccessibleName("Format JSON")
        self.format_button.setToolTip("Re-indent the JSON (two spaces); only when it parses")

        self.phone_number_id_edit = QLineEdit(self)
        self.phone_number_id_edit.setObjectName("metaPhoneNumberIdEdit")
        self.phone_number_id_edit.setAccessibleName("Phone number ID")
        self.phone_number_id_edit.setPlaceholderText("optional")
        self.phone_number_id_edit.setToolTip(
            "Empty: POST /messages (sender from the body or the token).\n"
            "A Meta phone number ID: POST /{id}/messages, which selects the sender."
        )
        self.phone_number_id_edit.setMaximumWidth(170)
        self.phone_number_id_edit.setMinimumWidth(60)  # the bar must fit a 1024 px window's composer
        self.phone_number_id_edit.setClearButtonEnabled(True)
        id_label = QLabel("&Phone number ID:", self)
        id_label.setBuddy(self.phone_number_id_edit)
        self.endpoint_label = QLabel(self)
        self.endpoint_label.setObjectName("metaEndpointLabel")
        themed_style(self.endpoint_label, "color: $muted; font-family: monospace;")

        bar.addWidget(self.example_button)
        bar.addWidget(self.format_button)
        bar.addStretch(1)
        bar.addWidget(id_label)
        bar.addWidget(self.phone_number_id_edit)
        self.body.addLayout(bar)

        self.json_edit = QPlainTextEdit(self)
        self.json_edit.setObjectName("metaJsonEdit")
        self.json_edit.setAccessibleName("Meta message JSON")
        self.json_edit.setToolTip(
            "The body of a Meta Cloud API /messages request, checked against Meta's schema"
        )
        self.json_edit.setPlaceholderText(
            '{\n  "messaging_product": "whatsapp",\n  "to": "…",\n'
            '  "type": "text",\n  "text": {"body": "Hello"}\n}'
        )
        self.json_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.json_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.json_edit.setTabChangesFocus(True)
        self.body.addWidget(self.json_edit, 1)
        endpoint_row = QHBoxLayout()  # the phone number ID's problem shares the endpoint's line
        endpoint_row.addWidget(self.endpoint_label)
        endpoint_row.addWidget(
            self.problem_label("phone_number_id", self.phone_number_id_edit, "metaPhoneNumberIdProblem"), 1
        )
        self.body.addLayout(endpoint_row)
        json_problem = self.problem_label("payload", self.json_edit, "metaJsonProblem", lines=3)
        self.router.register("to", json_problem, self.json_edit)
        self.body.addWidget(json_problem)

        self.json_edit.textChanged.connect(self.changed)
        self.phone_number_id_edit.textChanged.connect(self._on_phone_number_id_changed)
        self.format_button.clicked.connect(self.format_json)
        self._on_phone_number_id_changed("")

    # ------------------------------------------------------------------ actions

    def example_names(self) -> list[str]:
        return list(self.example_actions)

    def insert_example(self, name: str) -> None:
        """Replace the text with example ``name`` (one undo step), addressed to the recipient."""
        recipient = self.recipient_provider()
        payload = example_with_recipient(name, recipient) if recipient else meta_example(name)
        self._replace_text(json.dumps(payload, indent=2, ensure_ascii=False))  # in Meta's key order
        self.json_edit.setFocus()

    def format_json(self) -> bool:
        payload, _problems = parse_payload(self.json_edit.toPlainText())
        if payload is None:
            return False
        self._replace_text(json.dumps(payload, indent=2, ensure_ascii=False))
        return True

    def _replace_text(self, text: str) -> None:
        cursor = self.json_edit.textCursor()
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)
        cursor.endEditBlock()
        cursor.movePosition(QTextCursor.MoveOperation.Start)
        self.json_edit.setTextCursor(cursor)

    # ------------------------------------------------------------------ the tab protocol

    def build(self, to: str) -> tuple[OutgoingMessage | None, list[Problem]]:
        payload, problems = parse_payload(self.json_edit.toPlainText())
        if payload is None:
            return None, problems
        phone_number_id = strip_or_none(self.phone_number_id_edit.text())
        return MetaMessage(payload=payload, phone_number_id=phone_number_id), []

    def handles_recipient_problems(self) -> bool:
        return True

    def focus_problem(self, problem: Problem) -> bool:
        if not super().focus_problem(problem):
            return False
        if problem.field.startswith("payload.") and not self._select_placeholder(problem.field):
            self._move_cursor_to_key(problem.field)
        return True

    def _select_placeholder(self, path: str) -> bool:
        """Select the placeholder at ``path``, if it is one: the text lists them in the order
        they are found, so the n-th with that token is its n-th occurrence."""
        text = self.json_edit.toPlainText()
        payload, _problems = parse_payload(text)
        found = list(find_placeholders(payload))
        token = next((p.token for p in found if p.path == path), None)
        if token is None:
            return False
        nth = [p.path for p in found if p.token == token].index(path)
        position = -1
        for _ in range(nth + 1):
            position = text.find(token, position + 1)
        if position < 0:
            return False
        cursor = self.json_edit.textCursor()
        cursor.setPosition(position)
        cursor.setPosition(position + len(token), QTextCursor.MoveMode.KeepAnchor)
        self.json_edit.setTextCursor(cursor)
        self.json_edit.ensureCursorVisible()
        return True

    def _move_cursor_to_key(self, path: str) -> None:
        """Put the cursor on the deepest key of ``path`` found in the text."""
        text = self.json_edit.toPlainText()
        for candidate in parent_paths(path):
            key = candidate.rsplit(".", 1)[-1].split("[", 1)[0]
            if candidate == "payload" or not key:
                break
            position = text.find(json.dumps(key))
            if position >= 0:
                cursor = self.json_edit.textCursor()
                cursor.setPosition(position)
                self.json_edit.setTextCursor(cursor)
                self.json_edit.ensureCursorVisible()
                return

    def clear_body(self) -> None:
        """Kept, not cleared (nor forgotten): integrators send a payload, adjust it, send again."""

    # ------------------------------------------------------------------ slots

    def _on_phone_number_id_changed(self, text: str) -> None:
        value = text.strip()
        self.endpoint_label.setText(f"POST /{value}/messages" if value else "POST /messages")
        self.changed.emit()
