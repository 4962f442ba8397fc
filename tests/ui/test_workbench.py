"""The integrator's workbench in the window, on the in-process sandbox: saved requests round-trip
(save, reopen, edit, send once, duplicate, rename, delete, per profile), ``{{variables}}`` resolve
in the preview and at send, code is copied with the token only when asked, and a log row opens
in the composer. No modal dialog is ever exec()'d: QInputDialog and QMessageBox are patched."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QPushButton, QWidget

from tests.ui.conftest import MessageRecorder, run_on_loop
from whats91_desktop.core.models import (
    Button,
    ButtonsMessage,
    ListMessage,
    ListRow,
    ListSection,
    MediaMessage,
    MetaMessage,
    OutgoingMessage,
    Profile,
    SendResult,
    TemplateMessage,
    TextMessage,
)
from whats91_desktop.core.serialize import message_from_json
from whats91_desktop.sandbox.constants import SANDBOX_BASE_URL, SANDBOX_SENDERS, SANDBOX_TOKEN
from whats91_desktop.services.container import DesktopServices
from whats91_desktop.services.profiles import ProfilesService
from whats91_desktop.services.sandbox_profile import SANDBOX_PROFILE_NAME
from whats91_desktop.ui.compose.problems import ProblemLabel
from whats91_desktop.ui.main_window import MainWindow
from whats91_desktop.ui.workbench import Workbench
from whats91_desktop.ui.workbench.code import LOCAL_SANDBOX_URL
from whats91_desktop.ui.workbench.loader import load_message

NORMAL = "918888888888"
PRETTY = "+91 88888 88888"  # how the To field shows a number given as digits
SENDER = SANDBOX_SENDERS[0][0]


class Answers:
    """Stands in for the modal questions; records what was asked."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.names: list[str] = []
        self.replies: list[bool] = []
        self.asked: list[str] = []
        self.prompts: list[str] = []
        monkeypatch.setattr(QInputDialog, "getText", self._get_text)
        monkeypatch.setattr(QMessageBox, "question", self._question)

    def _get_text(self, _parent: Any, _title: str, label: str, _mode: Any, text: str) -> tuple[str, bool]:
        self.prompts.append(label)
        if not self.names:
            raise AssertionError(f"a name was asked unexpectedly: {label!r} (proposed {text!r})")
        name = self.names.pop(0)
        return (text, True) if name == "<proposed>" else (name, name != "<cancel>")

    def _question(self, _parent: Any, title: str, *_args: Any) -> QMessageBox.StandardButton:
        self.asked.append(title)
        if not self.replies:
            raise AssertionError(f"an unexpected question: {title!r}")
        return QMessageBox.StandardButton.Yes if self.replies.pop(0) else QMessageBox.StandardButton.No


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    return Answers(monkeypatch)


def bench(win: MainWindow) -> Workbench:
    return win.messages.workbench


def type_text(qtbot: Any, win: MainWindow, to: str, text: str) -> None:
    recipient = win.findChild(QLineEdit, "recipientEdit")
    recipient.clear()
    qtbot.keyClicks(recipient, to)
    body = win.findChild(QWidget, "messageEdit")
    body.clear()
    body.setFocus()
    qtbot.keyClicks(body, text)


def saved_names(win: MainWindow) -> list[str]:
    return [s.name for s in bench(win).panel.requests()]


def wait_names(qtbot: Any, win: MainWindow, names: list[str]) -> None:
    qtbot.waitUntil(lambda: saved_names(win) == names, timeout=5000)


def select_saved(win: MainWindow, name: str) -> None:
    panel = bench(win).panel
    saved = next(s for s in panel.requests() if s.name == name)
    panel.select(saved.id)
    assert panel.current() == saved


def send_now(qtbot: Any, win: MainWindow) -> tuple[int, SendResult]:
    button = win.findChild(QPushButton, "sendButton")
    qtbot.waitUntil(button.isEnabled, timeout=3000)
    with qtbot.waitSignal(win.send_finished, timeout=15_000) as blocker:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    row_id, result = blocker.args
    return row_id, result


def sent_texts(context: DesktopServices) -> list[str]:
    return [r.fields.get("text", "") for r in context.services.sandbox.state.sends_to(NORMAL)]


def add_profile(qtbot: Any, context: DesktopServices, name: str) -> Profile:
    profile = Profile(name, base_url=SANDBOX_BASE_URL, sandbox=True, default_sender=SENDER)
    run_on_loop(qtbot, context.services.profiles.save(profile, None))
    return profile


# --------------------------------------------------------------------------- saved requests


def test_saved_request_round_trip(
    qtbot: Any, window: MainWindow, context: DesktopServices, answers: Answers, messages: MessageRecorder
) -> None:
    type_text(qtbot, window, "+91 88888 88888", "Your order has shipped")
    answers.names = ["Shipped"]
    qtbot.mouseClick(window.findChild(QPushButton, "saveRequestButton"), Qt.MouseButton.LeftButton)
    wait_names(qtbot, window, ["Shipped"])
    assert bench(window).panel.isVisible()  # shown, so the user sees where it went
    [stored] = run_on_loop(qtbot, context.store.saved_requests(SANDBOX_PROFILE_NAME))
    assert stored.message() == TextMessage(
        to="+91 88888 88888", text="Your order has shipped", sender_id=SENDER
    )
    assert "Saved “Shipped” in Sandbox's requests" in messages.texts("info")

    # Something else is typed: reopening asks first, and "No" keeps it.
    type_text(qtbot, window, "+91 88888 88888", "a draft I am writing")
    select_saved(window, "Shipped")
    answers.replies = [False]
    bench(window).panel.open_action.trigger()
    assert answers.asked == ["Replace the Text tab?"]
    assert window.compose.text_tab.message_edit.toPlainText() == "a draft I am writing"
    answers.replies = [True]
    bench(window).panel.open_action.trigger()
    assert window.compose.text_tab.message_edit.toPlainText() == "Your order has shipped"
    assert window.compose.tabs.currentWidget() is window.compose.text_tab

    # Edit it and send it: once.
    edit = window.compose.text_tab.message_edit
    edit.moveCursor(edit.textCursor().MoveOperation.End)
    qtbot.keyClicks(edit, " today")
    _row, result = send_now(qtbot, window)
    assert result.outcome.is_success
    assert sent_texts(context) == ["Your order has shipped today"]

    # Ctrl+S after reopening updates the request it came from, asking no name.
    answers.replies = []
    bench(window).open_saved(bench(window).panel.requests()[0])
    qtbot.keyClicks(window.compose.text_tab.message_edit, "!")
    bench(window).save_request()
    qtbot.waitUntil(
        lambda: bench(window).panel.requests()[0].message().text == "Your order has shipped!",
        timeout=5000,  # type: ignore[union-attr]
    )

    # Duplicate, rename, delete.
    select_saved(window, "Shipped")
    bench(window).panel.duplicate_action.trigger()
    wait_names(qtbot, window, ["Shipped", "Shipped (copy)"])
    select_saved(window, "Shipped (copy)")
    answers.names = ["shipped"]  # taken (ignoring case): refused, nothing renamed
    bench(window).panel.rename_action.trigger()
    qtbot.waitUntil(lambda: any("already exists" in t for t in messages.texts("error")), timeout=5000)
    answers.names = ["Reminder"]
    bench(window).panel.rename_action.trigger()
    wait_names(qtbot, window, ["Reminder", "Shipped"])
    select_saved(window, "Reminder")
    answers.replies = [False]
    bench(window).panel.delete_action.trigger()
    assert saved_names(window) == ["Reminder", "Shipped"]
    answers.replies = [True]
    bench(window).panel.delete_action.trigger()
    wait_names(qtbot, window, ["Shipped"])
    assert sent_texts(context) == ["Your order has shipped today"]  # none of this sent anything


def test_saved_requests_are_per_profile(
    qtbot: Any, window: MainWindow, context: DesktopServices, answers: Answers
) -> None:
    type_text(qtbot, window, NORMAL, "for the sandbox")
    answers.names = ["Sandbox one"]
    bench(window).save_request()
    wait_names(qtbot, window, ["Sandbox one"])

    add_profile(qtbot, context, "Staging")
    window.switch_profile("Staging")
    wait_names(qtbot, window, [])
    assert bench(window).panel.empty_label.isVisibleTo(bench(window).panel)
    type_text(qtbot, window, NORMAL, "for staging")
    answers.names = ["Sandbox one"]  # the same name in another profile is fine
    bench(window).save_request()
    wait_names(qtbot, window, ["Sandbox one"])
    assert bench(window).panel.requests()[0].profile == "Staging"

    window.switch_profile(SANDBOX_PROFILE_NAME)
    qtbot.waitUntil(lambda: [s.profile for s in bench(window).panel.requests()] == [SANDBOX_PROFILE_NAME])


def test_a_renamed_profile_keeps_its_saved_requests(
    qtbot: Any, window: MainWindow, context: DesktopServices, answers: Answers
) -> None:
    profile = add_profile(qtbot, context, "Old name")
    window.switch_profile("Old name")
    type_text(qtbot, window, NORMAL, "kept across a rename")
    answers.names = ["Kept"]
    bench(window).save_request()
    wait_names(qtbot, window, ["Kept"])
    run_on_loop(
        qtbot,
        context.services.profiles.save(replace(profile, name="New name"), None, original_name="Old name"),
    )
    window.switch_profile("New name")
    wait_names(qtbot, window, ["Kept"])


@pytest.mark.parametrize(
    "message",
    [
        TextMessage(to="+91 88888 88888", text="Hello\nthere", sender_id=SENDER),
        MediaMessage(
            to=PRETTY,
            media_type="document",
            url="https://example.com/a.pdf",
            caption="c",
            filename="A.pdf",
            sender_id=SENDER,
        ),
        MediaMessage(to=PRETTY, media_type="image", media_id="1234567890", caption="by id", sender_id=SENDER),
        ButtonsMessage(
            to=PRETTY,
            text="Pick one",
            buttons=(Button("b1", "Yes"), Button("b2", "No"), Button("b3", "Later")),
            sender_id=SENDER,
        ),
        ListMessage(
            to=PRETTY,
            text="Menu",
            button_text="Choose",
            header_text="Head",
            footer_text="Foot",
            sections=(
                ListSection("Drinks", (ListRow("r1", "Tea", "hot"), ListRow("r2", "Juice"))),
                ListSection("Food", (ListRow("r3", "Cake"),)),
            ),
            sender_id=SENDER,
        ),
        TemplateMessage(
            to=PRETTY,
            template_name="my_unlisted_template",
            parameters=("{{customer}}", "B"),
            sender_id=SENDER,
        ),
        MetaMessage(
            payload={"messaging_product": "whatsapp", "to": NORMAL, "type": "text", "text": {"body": "hi"}},
            sender_id=SENDER,
        ),
    ],
    ids=["text", "media-url", "media-id", "buttons", "list", "template", "meta"],
)
def test_every_tab_reopens_exactly(qtbot: Any, window: MainWindow, message: OutgoingMessage) -> None:
    """Each tab gives back exactly the message put in (the To field shows numbers formatted)."""
    load_message(window.compose, message)
    assert window.compose.tabs.currentWidget() is window.compose.tab_by_kind[message.kind]
    assert window.compose.current_draft() == message


def test_a_file_upload_reopens_with_its_file(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    photo = tmp_path / "photo.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    message = MediaMessage(
        to=PRETTY, media_type="image", file_path=photo, caption="A photo", sender_id=SENDER
    )
    load_message(window.compose, message)
    assert window.compose.current_draft() == message


def test_fields_are_replaced_as_undoable_steps(qtbot: Any, window: MainWindow) -> None:
    type_text(qtbot, window, NORMAL, "typed by hand")
    load_message(window.compose, TextMessage(to="919000000001", text="loaded", sender_id=SENDER))
    window.compose.text_tab.message_edit.undo()
    assert window.compose.text_tab.message_edit.toPlainText() == "typed by hand"


# --------------------------------------------------------------------------- variables


def save_variables(qtbot: Any, win: MainWindow, *pairs: tuple[str, str]) -> None:
    dialog = bench(win).edit_variables()
    assert dialog is not None
    while dialog.table.rowCount():
        dialog.table.removeRow(0)
    for name, value in pairs:
        dialog.add_variable(name, value)
    dialog.accept()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)


def test_variables_resolve_in_the_preview_and_at_send(
    qtbot: Any, window: MainWindow, context: DesktopServices, messages: MessageRecorder
) -> None:
    save_variables(qtbot, window, ("customer", "Asha"), ("order", "A-1042"))
    assert context.services.profiles.get(SANDBOX_PROFILE_NAME).variables == (
        ("customer", "Asha"),
        ("order", "A-1042"),
    )
    assert "2 variables saved for “Sandbox”" in messages.texts("info")

    bench(window).show_panel()
    type_text(qtbot, window, NORMAL, "Hello {{customer}}, order {{ order }} has shipped")
    preview = bench(window).panel.preview
    qtbot.waitUntil(lambda: "Hello Asha, order A-1042 has shipped" in preview.toPlainText(), timeout=3000)
    assert "{{customer}} = Asha" in preview.toPlainText()
    assert "POST /chat" in preview.toPlainText()

    row_id, result = send_now(qtbot, window)
    assert result.outcome.is_success
    assert sent_texts(context) == ["Hello Asha, order A-1042 has shipped"]
    entry = run_on_loop(qtbot, context.store.get(row_id))
    assert message_from_json(entry.message_json).text == "Hello Asha, order A-1042 has shipped"  # type: ignore[union-attr]

    # What a saved request keeps is the reference, not the value.
    type_text(qtbot, window, NORMAL, "Dear {{customer}}")
    assert window.compose.current_draft().text == "Dear {{customer}}"  # type: ignore[union-attr]
    assert window.compose.current_message().text == "Dear Asha"  # type: ignore[union-attr]

    # The built-in sandbox is never saved as a profile, yet its values outlive the window.
    services = context.services
    again = ProfilesService(services.settings, services.tokens, services.clients)
    assert again.get(SANDBOX_PROFILE_NAME).variables == (("customer", "Asha"), ("order", "A-1042"))


def test_an_undefined_variable_blocks_send_next_to_the_field(
    qtbot: Any, window: MainWindow, context: DesktopServices
) -> None:
    type_text(qtbot, window, NORMAL, "Hello {{nobody}}")
    button = window.findChild(QPushButton, "sendButton")
    problem = window.findChild(ProblemLabel, "textProblem")
    qtbot.waitUntil(lambda: any("{{nobody}} is not defined" in m for m in problem.messages()), timeout=3000)
    assert not button.isEnabled()
    window.compose.trigger_send()
    qtbot.wait(100)
    assert [r for r in context.services.sandbox.state.requests if r.is_send] == []
    # Defining it frees Send, without retyping anything.
    save_variables(qtbot, window, ("nobody", "Sam"))
    qtbot.waitUntil(button.isEnabled, timeout=3000)
    assert problem.messages() == []


def test_the_template_preview_shows_variables_resolved(qtbot: Any, window: MainWindow) -> None:
    save_variables(qtbot, window, ("customer", "Asha"))
    tab = window.compose.select_tab("template")
    qtbot.waitUntil(lambda: tab.templates_loaded(), timeout=5000)
    tab.select_template("payment_reminder")
    qtbot.waitUntil(lambda: len(tab.param_edits) == 2, timeout=3000)
    tab.param_edits[0].setText("{{customer}}")
    assert "Hi Asha" in tab.preview.body_html()
    assert "{{customer}}" not in tab.preview.body_html()


def test_the_profile_dialog_keeps_the_variables(
    qtbot: Any, window: MainWindow, context: DesktopServices
) -> None:
    from whats91_desktop.ui.profiles.profile_dialog import ProfileDialog

    profile = replace(add_profile(qtbot, context, "Staging"), variables=(("customer", "Asha"),))

    async def saver(*_args: object) -> None:
        return None

    async def no_client(*_args: object) -> Any:
        raise AssertionError("not used")

    dialog = ProfileDialog(saver=saver, client_factory=no_client, profile=profile, parent=window)
    assert dialog.current_profile().variables == (("customer", "Asha"),)


# --------------------------------------------------------------------------- code and the log


def test_copy_as_code_from_the_composer_leaves_the_token_out_unless_asked(
    qtbot: Any, window: MainWindow, messages: MessageRecorder
) -> None:
    type_text(qtbot, window, NORMAL, "copy me")
    clipboard = QGuiApplication.clipboard()
    clipboard.clear()
    python = next(a for a in bench(window).copy_menu.actions() if a.data() == "python")
    python.trigger()
    qtbot.waitUntil(lambda: "httpx.post(" in clipboard.text(), timeout=5000)
    code = clipboard.text()
    assert f"'{LOCAL_SANDBOX_URL}/chat'" in code  # the built-in sandbox, served on loopback
    assert "whats91-desktop sandbox --port 8091" in code
    assert SANDBOX_TOKEN not in code
    assert "'text': 'copy me'" in code

    window.log_pane.include_token_check.setChecked(True)
    javascript = next(a for a in bench(window).copy_menu.actions() if a.data() == "javascript")
    javascript.trigger()
    qtbot.waitUntil(lambda: "await fetch(" in clipboard.text(), timeout=5000)
    assert f"Bearer {SANDBOX_TOKEN}" in clipboard.text()
    assert any("it contains the token" in t for t in messages.texts("info"))


def test_open_in_composer_from_a_log_row(
    qtbot: Any, window: MainWindow, context: DesktopServices, answers: Answers, messages: MessageRecorder
) -> None:
    payload = {"messaging_product": "whatsapp", "to": NORMAL, "type": "text", "text": {"body": "From a row"}}
    load_message(window.compose, MetaMessage(payload=payload, sender_id=SENDER))
    row_id, result = send_now(qtbot, window)
    assert result.outcome.is_success
    window.compose.select_tab("text")  # somewhere else meanwhile

    window.log_pane.select_row(row_id)
    actions = bench(window).log_actions
    qtbot.waitUntil(lambda: actions.open_action.isEnabled(), timeout=5000)
    assert actions.open_action in window.log_pane.row_menu_actions
    actions.open_action.trigger()  # the Meta tab still holds this very JSON: nothing to ask
    qtbot.waitUntil(lambda: window.compose.tabs.currentWidget() is window.compose.meta_tab, timeout=5000)
    assert json.loads(window.compose.meta_tab.json_edit.toPlainText()) == payload
    assert any(t.startswith(f"Row {row_id} is in the composer") for t in messages.texts("info"))

    # Editable, and sent as a new message: once more, not twice.
    edited = {**payload, "text": {"body": "From a row, edited"}}
    window.compose.meta_tab.json_edit.setPlainText(json.dumps(edited))
    send_now(qtbot, window)
    bodies = [r.fields["text"]["body"] for r in context.services.sandbox.state.sends_to(NORMAL)]
    assert bodies == ["From a row", "From a row, edited"]

    # Copy the row as Python: the exact message that was sent.
    clipboard = QGuiApplication.clipboard()
    window.log_pane.select_row(row_id)
    qtbot.waitUntil(
        lambda: window.log_pane.current_entry() is not None and window.log_pane.current_entry().id == row_id
    )  # type: ignore[union-attr]
    actions.copy_actions["python"].trigger()
    qtbot.waitUntil(lambda: "'body': 'From a row'" in clipboard.text(), timeout=5000)


def test_the_panel_fits_a_small_window(qtbot: Any, window: MainWindow) -> None:
    bench(window).show_panel()
    window.resize(1024, 640)
    qtbot.wait(50)
    assert window.minimumSizeHint().width() <= 1024
    assert window.width() == 1024
    for name in ("savedRequestsToggle", "composeCopyButton", "saveRequestButton", "sendButton"):
        widget = window.findChild(QWidget, name)
        assert widget.isVisible(), name
        assert widget.width() >= widget.minimumSizeHint().width(), name


def test_ctrl_s_saves_and_ctrl_shift_s_saves_as_new(qtbot: Any, window: MainWindow, answers: Answers) -> None:
    type_text(qtbot, window, NORMAL, "Quick one")
    edit = window.compose.text_tab.message_edit
    answers.names = ["<proposed>"]  # the name proposed is the text's first words
    qtbot.keyClick(edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    wait_names(qtbot, window, ["Quick one"])
    qtbot.keyClicks(edit, " again")
    answers.names = ["<proposed>"]
    qtbot.keyClick(
        edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    wait_names(qtbot, window, ["Quick one", "Quick one again"])
    answers.names = ["<cancel>"]
    bench(window).save_request_as()
    assert answers.prompts[-1].startswith("Save this Text message in “Sandbox” as:")
    assert saved_names(window) == ["Quick one", "Quick one again"]


def test_variables_of_a_saved_profile_are_written_and_keep_its_client(
    qtbot: Any, window: MainWindow, context: DesktopServices
) -> None:
    profile = add_profile(qtbot, context, "Staging")
    window.switch_profile("Staging")
    clients = context.services.clients
    before = run_on_loop(qtbot, clients.client_for(profile))
    save_variables(qtbot, window, ("customer", "Asha"))
    run_on_loop(qtbot, context.services.settings.flush())
    written = json.loads(context.services.settings.store.path.read_text())
    [staging] = [p for p in written["profiles"] if p["name"] == "Staging"]
    assert staging["variables"] == {"customer": "Asha"}
    assert run_on_loop(qtbot, clients.client_for(context.services.profiles.get("Staging"))) is before
    assert "sandbox_variables" not in written["ui_state"]  # only the built-in sandbox keeps them there


def test_a_template_reopened_before_the_list_arrives_keeps_its_values(qtbot: Any, window: MainWindow) -> None:
    tab = window.compose.template_tab
    assert not tab.templates_loaded()
    message = TemplateMessage(
        to=PRETTY, template_name="payment_reminder", parameters=("Asha", "INV-1"), sender_id=SENDER
    )
    load_message(window.compose, message)  # shows the tab, which asks for the list
    qtbot.waitUntil(tab.templates_loaded, timeout=5000)
    assert tab.info() is not None  # now a known template, its fields rebuilt…
    assert [e.text() for e in tab.param_edits] == ["Asha", "INV-1"]  # …with what was put in
