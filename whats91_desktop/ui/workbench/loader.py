"""Put a composed message back into the composer: the right tab, every field, editable.

Used by "Open" on a saved request and "Open in composer" on a log row. Each field is replaced
as one undo step (``QLineEdit.insert`` over a selection, a cursor edit block in a text box),
so Ctrl+Z in a field brings back what it held; the caller still asks before replacing a tab
that holds something typed (:func:`holds_typed_text`). The recipient is replaced too, the
sender is the caller's to choose (it lives in the top bar).
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from whats91_desktop.core.models import (
    MEDIA_TYPES,
    ButtonsMessage,
    ListMessage,
    MediaMessage,
    MetaMessage,
    OutgoingMessage,
    TemplateMessage,
    TextMessage,
)
from whats91_desktop.core.phone import readable_number
from whats91_desktop.core.serialize import message_to_dict
from whats91_desktop.ui.compose.buttons_tab import ButtonsTab
from whats91_desktop.ui.compose.list_tab import ListTab
from whats91_desktop.ui.compose.media_tab import MediaTab
from whats91_desktop.ui.compose.meta_json_tab import MetaJsonTab
from whats91_desktop.ui.compose.pane import ComposePane
from whats91_desktop.ui.compose.template_tab import TemplateTab
from whats91_desktop.ui.compose.text_tab import TextTab

# Text a tab fills in by itself (row and button ids) or that is a choice, not typing.
_NOT_TYPED = frozenset({"kind", "to", "sender_id", "media_type", "id"})


def holds_typed_text(compose: ComposePane, message: OutgoingMessage) -> bool:
    """Whether loading ``message`` would replace something the user typed in its tab.

    False for a tab that is empty, or that already holds exactly this message.
    """
    tab = compose.tab_by_kind[message.kind]
    built, _problems = tab.build(message.to)
    if built is None:  # unparsable Meta JSON: text, certainly typed
        return isinstance(tab, MetaJsonTab) and bool(tab.json_edit.toPlainText().strip())
    if dataclasses.replace(built, sender_id=message.sender_id) == message:
        return False
    return _has_text(message_to_dict(built))


def _has_text(value: Any, key: str = "") -> bool:
    if isinstance(value, str):
        return key not in _NOT_TYPED and bool(value.strip())
    if isinstance(value, dict):
        return any(_has_text(item, str(k)) for k, item in value.items())
    if isinstance(value, list | tuple):
        return any(_has_text(item, key) for item in value)
    return False


def load_message(compose: ComposePane, message: OutgoingMessage) -> None:
    """Show ``message`` in its tab (made current) and its recipient in the To field."""
    tab = compose.select_tab(message.kind)
    if not isinstance(message, MetaMessage):  # a Meta payload carries its own "to"
        to = message.to
        replace_line(compose.recipient.edit, readable_number(to))
    match message:
        case TextMessage():
            assert isinstance(tab, TextTab)
            replace_text(tab.message_edit, message.text)
        case MediaMessage():
            assert isinstance(tab, MediaTab)
            _load_media(tab, message)
        case ButtonsMessage():
            assert isinstance(tab, ButtonsTab)
            _load_buttons(tab, message)
        case ListMessage():
            assert isinstance(tab, ListTab)
            _load_list(tab, message)
        case TemplateMessage():
            assert isinstance(tab, TemplateTab)
            _load_template(tab, message)
        case MetaMessage():
            assert isinstance(tab, MetaJsonTab)
            replace_text(tab.json_edit, json.dumps(dict(message.payload), indent=2, ensure_ascii=False))
            replace_line(tab.phone_number_id_edit, message.phone_number_id or "")


def replace_line(edit: QLineEdit, text: str) -> None:
    """Replace the field's text as one undo step (``setText`` would wipe the undo history)."""
    if edit.text() != text:
        edit.selectAll()
        edit.insert(text)


def replace_text(edit: QPlainTextEdit, text: str) -> None:
    """Replace the text box's text as one undo step."""
    if edit.toPlainText() == text:
        return
    cursor = edit.textCursor()
    cursor.beginEditBlock()
    cursor.select(QTextCursor.SelectionType.Document)
    cursor.insertText(text)
    cursor.endEditBlock()


def _load_media(tab: MediaTab, message: MediaMessage) -> None:
    tab.type_combo.setCurrentIndex(MEDIA_TYPES.index(message.media_type))
    if message.file_path is not None:
        tab.set_source("file")
        replace_line(tab.file_edit, str(message.file_path))
    elif message.media_id is not None:
        tab.set_source("id")
        replace_line(tab.id_edit, message.media_id)
    else:
        tab.set_source("url")
        replace_line(tab.url_edit, message.url or "")
    replace_text(tab.caption_edit, message.caption or "")
    replace_line(tab.filename_edit, message.filename or "")


def _load_buttons(tab: ButtonsTab, message: ButtonsMessage) -> None:
    replace_text(tab.body_edit, message.text)
    while len(tab.rows) > len(message.buttons):
        tab.remove_row(len(tab.rows) - 1)
    while len(tab.rows) < len(message.buttons) and tab.add_row():
        pass  # stops at the limit of buttons
    for row, button in zip(tab.rows, message.buttons, strict=False):
        replace_line(row.id_edit, button.id)
        replace_line(row.title_edit, button.title)


def _load_list(tab: ListTab, message: ListMessage) -> None:
    replace_line(tab.header_edit, message.header_text or "")
    replace_text(tab.body_edit, message.text)
    replace_line(tab.footer_edit, message.footer_text or "")
    replace_line(tab.button_text_edit, message.button_text)
    wanted = message.sections
    # Fewer first, so the rows still to come never meet the limit of rows in the whole list.
    while len(tab.sections) > len(wanted):
        tab.remove_section(len(tab.sections) - 1)
    for section, target in zip(tab.sections, wanted, strict=False):
        while len(section.rows) > len(target.rows):
            tab.remove_row(section, section.rows[-1])
    while len(tab.sections) < len(wanted) and tab.add_section() is not None:
        pass
    for index, (section, target) in enumerate(zip(tab.sections, wanted, strict=False)):
        while len(section.rows) > len(target.rows):  # a new section comes with one row
            tab.remove_row(section, section.rows[-1])
        while len(section.rows) < len(target.rows) and tab.add_row(index) is not None:
            pass  # stops at the limit of rows
        replace_line(section.title_edit, target.title)
        for row, wanted_row in zip(section.rows, target.rows, strict=False):
            replace_line(row.id_edit, wanted_row.id)
            replace_line(row.title_edit, wanted_row.title)
            replace_line(row.description_edit, wanted_row.description or "")


def _load_template(tab: TemplateTab, message: TemplateMessage) -> None:
    replace_line(tab.name_edit, message.template_name)
    if tab.info() is None:  # not in the loaded list (or no list yet): say how many variables
        tab.var_count_spin.setValue(len(message.parameters))
        tab.button_var_count_spin.setValue(len(message.button_parameters))
    for edit, value in zip(tab.param_edits, message.parameters, strict=False):
        replace_line(edit, value)
    for edit, value in zip(tab.button_param_edits, message.button_parameters, strict=False):
        replace_line(edit, value)
    replace_line(tab.media_url_edit, message.media_url or "")
    replace_line(tab.media_file_edit, str(message.media_file) if message.media_file else "")
