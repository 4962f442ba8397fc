"""The Conversations room on the in-process sandbox: the inbox, a thread, replying in and out of
the window, the compose pane's window warning, and the offline copy.

The sandbox seeds five contacts relative to its clock (918000000101 open ~20 h left, …102
closing in ~10 min, …103 closed 3 h ago with a 131047 failure, …104 unread, …105 media and a
button reply). Modal questions are patched, never exec()'d.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QLineEdit, QMessageBox, QPushButton

from tests.helpers.sandbox_fixtures import FakeClock
from tests.ui.conftest import run_on_loop
from tests.ui.test_main_window import compose, send
from whats91_desktop.sandbox.constants import REPLIES_RECIPIENT
from whats91_desktop.sandbox.transport import SandboxTransport
from whats91_desktop.sandbox.webhooks import REPLY_TEXT
from whats91_desktop.ui.conversations.backoff import Backoff
from whats91_desktop.ui.conversations.pane import ConversationsPane
from whats91_desktop.ui.conversations.thread_view import FailureRole, MetaRole, OutboundRole
from whats91_desktop.ui.main_window import MainWindow

OPEN = "918000000101"
CLOSING = "918000000102"
CLOSED = "918000000103"
UNREAD = "918000000104"
MEDIA = "918000000105"


def open_room(qtbot: Any, window: MainWindow) -> ConversationsPane:
    pane = window.findChild(ConversationsPane, "conversationsPane")
    window.panes.show_pane(pane.pane_title)
    qtbot.waitUntil(lambda: pane.model.total >= 5, timeout=5000)
    return pane


def row_text(pane: ConversationsPane, digits: str) -> str:
    row = pane.model.row_of(digits)
    assert row >= 0, f"{digits} is not listed"
    return str(pane.model.index(row).data())


def open_thread(qtbot: Any, pane: ConversationsPane, digits: str) -> None:
    assert pane.select_contact(digits)
    qtbot.waitUntil(
        lambda: (
            pane.thread_view.thread_model.rowCount() > 0
            and "saved copy" not in pane.thread_updated_label.text()
        )
    )


def cell(pane: ConversationsPane, row: int, role: int) -> Any:
    model = pane.thread_view.thread_model
    return model.index(row if row >= 0 else model.rowCount() + row).data(role)


def test_the_list_shows_each_contact_with_its_window_as_words(qtbot: Any, window: MainWindow) -> None:
    pane = open_room(qtbot, window)
    asha = row_text(pane, OPEN)
    assert asha.startswith("Asha Verma · ")
    assert "Is my order shipped yet?" in asha
    assert "window open · 19 h 59 min left" in asha or "window open · 20 h left" in asha
    assert "3 unread" in row_text(pane, UNREAD)
    # The list alone cannot know a window whose last message is ours: never a guessed "closed".
    assert "window unknown" in row_text(pane, CLOSING)
    assert "Last updated " in pane.updated_label.text()


def test_search_unread_and_status_filter_the_list(qtbot: Any, window: MainWindow) -> None:
    pane = open_room(qtbot, window)
    pane.search_edit.setText("priya")
    assert [c.contact_phone for c in pane.model.conversations()] == [CLOSED]
    pane.search_edit.setText("")
    pane.unread_check.setChecked(True)
    assert UNREAD in [c.contact_phone for c in pane.model.conversations()]
    assert OPEN not in [c.contact_phone for c in pane.model.conversations()]
    pane.unread_check.setChecked(False)
    pane.status_combo.setCurrentIndex(pane.status_combo.findData("blocked"))
    assert pane.model.conversations() == []
    assert "0 of" in pane.count_label.text()


def test_a_thread_shows_bubbles_placeholders_ticks_and_the_window(qtbot: Any, window: MainWindow) -> None:
    pane = open_room(qtbot, window)
    open_thread(qtbot, pane, MEDIA)
    texts = pane.thread_view.texts()
    assert texts == [
        "[Buttons] Confirm your appointment for Friday?",
        "[Button reply] Yes",
        "[Image · prescription.jpg] My prescription",
    ]
    assert cell(pane, 0, OutboundRole) is True
    assert "✓✓ read" in cell(pane, 0, MetaRole)
    assert cell(pane, 1, OutboundRole) is False
    assert "✓" not in cell(pane, 1, MetaRole)  # the contact's messages carry no ticks
    assert pane.thread_window_label.text().startswith("24-hour window: open · 22 h")
    assert not pane.reply.closed


def test_a_failed_message_says_why_with_the_logs_hint(qtbot: Any, window: MainWindow) -> None:
    pane = open_room(qtbot, window)
    open_thread(qtbot, pane, CLOSED)
    failure = cell(pane, -1, FailureRole)
    assert "131047: Re-engagement message" in failure
    assert "Send an approved template instead." in failure


def test_a_reply_within_the_window_is_sent_once_and_logged_once(
    qtbot: Any, window: MainWindow, context: Any
) -> None:
    sandbox = context.services.sandbox.state
    pane = open_room(qtbot, window)
    open_thread(qtbot, pane, OPEN)
    pane.reply.edit.setPlainText("It ships today.")
    with qtbot.waitSignal(window.send_finished, timeout=5000) as finished:
        qtbot.mouseClick(pane.reply.send_button, Qt.MouseButton.LeftButton)
        pane.reply.trigger_send()  # a second press while the first is under way
        pane.reply.trigger_send()
    row_id, result = finished.args
    assert result.outcome.is_success
    qtbot.wait(300)
    sends = [r for r in sandbox.requests_to("chat") if r.fields.get("to") == OPEN]
    assert len(sends) == 1
    entries = run_on_loop(qtbot, context.store.sent_to(OPEN, since=0))
    assert [e.id for e in entries] == [row_id]
    assert pane.reply.edit.toPlainText() == ""
    qtbot.waitUntil(lambda: pane.thread_view.texts()[-1] == "It ships today.")


def test_ctrl_enter_in_the_reply_box_sends_the_reply_not_the_compose_message(
    qtbot: Any, window: MainWindow, context: Any
) -> None:
    # The window's own Ctrl+Enter (compose) must step aside here: two live shortcuts for one
    # key are ambiguous, and Qt then runs neither.
    sandbox = context.services.sandbox.state
    pane = open_room(qtbot, window)
    open_thread(qtbot, pane, OPEN)
    window.activateWindow()
    pane.reply.edit.setFocus()
    qtbot.waitUntil(lambda: QGuiApplication.focusObject() is pane.reply.edit)
    pane.reply.edit.setPlainText("Sent with the keyboard.")
    with qtbot.waitSignal(window.send_finished, timeout=5000):
        qtbot.keyClick(pane.reply.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    sends = [r for r in sandbox.requests_to("chat") if r.fields.get("to") == OPEN]
    assert len(sends) == 1


def test_bad_reply_input_is_said_under_the_field_and_sends_nothing(
    qtbot: Any, window: MainWindow, context: Any
) -> None:
    pane = open_room(qtbot, window)
    open_thread(qtbot, pane, OPEN)
    before = len(context.services.sandbox.state.requests_to("chat"))
    pane.reply.edit.setPlainText("   ")
    qtbot.mouseClick(pane.reply.send_button, Qt.MouseButton.LeftButton)
    assert pane.reply.problem.text() == "Write the reply first."
    pane.reply.edit.setPlainText("x" * 5000)
    qtbot.mouseClick(pane.reply.send_button, Qt.MouseButton.LeftButton)
    assert "4096" in pane.reply.problem.text()
    assert pane.reply.edit.toPlainText() == "x" * 5000
    assert len(context.services.sandbox.state.requests_to("chat")) == before


def test_a_closed_window_offers_a_template_for_this_contact(qtbot: Any, window: MainWindow) -> None:
    pane = open_room(qtbot, window)
    open_thread(qtbot, pane, CLOSED)
    assert pane.reply.closed
    assert pane.reply.closed_label.text().startswith(
        "The 24-hour window closed 3 h ago; free-form messages will fail (131047)."
    )
    assert "window closed 3 h ago" in row_text(pane, CLOSED)  # the thread taught the list
    pane.reply.templates_wanted.emit()
    qtbot.waitUntil(lambda: pane.reply.template_list.count() > 0, timeout=5000)
    name = pane.reply.chosen_template()
    qtbot.mouseClick(pane.reply.use_template_button, Qt.MouseButton.LeftButton)
    assert window.panes.stack.currentWidget() is window.messages
    assert window.compose.tabs.currentWidget() is window.compose.template_tab
    assert window.compose.template_tab.name_edit.text() == name
    assert window.findChild(QLineEdit, "recipientEdit").text().replace(" ", "") == "+918000000103"


def test_compose_shows_the_window_and_asks_before_free_form_to_a_closed_one(
    qtbot: Any, window: MainWindow, context: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    pane = open_room(qtbot, window)
    open_thread(qtbot, pane, CLOSED)
    window.panes.show_pane("Messages")
    asked: list[str] = []

    def exec_(box: QMessageBox) -> int:
        asked.append(box.text())
        template = next(b for b in box.buttons() if b.text() == "Open the Template tab")
        template.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    before = len(context.services.sandbox.state.requests_to("chat"))
    button: QPushButton = compose(qtbot, window, CLOSED, "Are you there?")
    label = window.findChild(QLabel, "recipientWindowLabel")
    qtbot.waitUntil(label.isVisible)
    assert label.text() == "⊘ 24-hour window: closed 3 h ago"
    qtbot.waitUntil(button.isEnabled)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert asked == [
        "The 24-hour window closed 3 h ago; free-form messages will fail (131047). Send a template instead?"
    ]
    assert window.compose.tabs.currentWidget() is window.compose.template_tab
    qtbot.wait(200)
    assert len(context.services.sandbox.state.requests_to("chat")) == before


def test_compose_does_not_ask_when_the_window_is_open(
    qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_room(qtbot, window)
    window.panes.show_pane("Messages")
    monkeypatch.setattr(QMessageBox, "exec", lambda _box: pytest.fail("asked for an open window"))
    button = compose(qtbot, window, OPEN, "Shipped!")
    label = window.findChild(QLabel, "recipientWindowLabel")
    qtbot.waitUntil(label.isVisible)
    assert label.text().startswith("● 24-hour window: open · ")
    qtbot.waitUntil(button.isEnabled)
    with qtbot.waitSignal(window.send_finished, timeout=5000) as finished:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert finished.args[1].outcome.is_success


def test_the_saved_copy_opens_offline_with_when_it_was_read(
    qtbot: Any, window: MainWindow, context: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    pane = open_room(qtbot, window)
    assert pane.profile is not None
    open_thread(qtbot, pane, OPEN)
    fetched = pane.updated_label.text().removeprefix("Last updated ")

    async def offline(_self: SandboxTransport, request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("network is unreachable", request=request)

    monkeypatch.setattr(SandboxTransport, "handle_async_request", offline)
    pane.on_profile_changed(pane.profile)  # forget what is shown: it comes back from the copy only
    qtbot.waitUntil(lambda: "Could not refresh" in pane.updated_label.text(), timeout=10_000)
    assert pane.model.total >= 5
    assert f"showing the copy from {fetched}" in pane.updated_label.text()
    assert pane.select_contact(OPEN)
    qtbot.waitUntil(
        lambda: "Could not refresh this thread" in pane.thread_updated_label.text(), timeout=10_000
    )
    assert pane.thread_view.texts()[-1] == "Is my order shipped yet?"


def test_an_inbound_webhook_reads_the_thread_at_once(qtbot: Any, window: MainWindow, context: Any) -> None:
    pane = open_room(qtbot, window)
    open_thread(qtbot, pane, OPEN)
    pane._poll.stop()
    reads = len(context.services.sandbox.state.requests_to("conversation_messages"))
    record = type("Record", (), {"delivery": type("Delivery", (), {"kind": "inbound"})()})()
    context.webhooks.added.publish(record)
    qtbot.waitUntil(
        lambda: len(context.services.sandbox.state.requests_to("conversation_messages")) > reads, timeout=5000
    )


def test_while_visible_the_inbox_is_polled_and_a_reply_brings_an_unread_count(
    qtbot: Any, window: MainWindow, context: Any, clock: FakeClock
) -> None:
    send(qtbot, window, REPLIES_RECIPIENT, "Your order shipped")
    pane = open_room(qtbot, window)
    qtbot.waitUntil(lambda: pane.model.row_of(REPLIES_RECIPIENT) >= 0, timeout=5000)
    assert "unread" not in row_text(pane, REPLIES_RECIPIENT)
    pane.backoff = Backoff(first=0.1, longest=0.2)
    pane.refresh_now()
    clock.advance(120)  # read by now, and answered 5 s after
    qtbot.waitUntil(lambda: "1 unread" in row_text(pane, REPLIES_RECIPIENT), timeout=5000)
    assert REPLY_TEXT in row_text(pane, REPLIES_RECIPIENT)
    window.panes.show_pane("Messages")  # hidden: no more reads
    qtbot.wait(100)
    reads = len(context.services.sandbox.state.requests_to("conversations"))
    qtbot.wait(500)
    assert len(context.services.sandbox.state.requests_to("conversations")) == reads


def test_a_reply_typed_stays_with_its_contact(qtbot: Any, window: MainWindow) -> None:
    pane = open_room(qtbot, window)
    open_thread(qtbot, pane, OPEN)
    pane.reply.edit.setPlainText("Half-written answer for Asha")
    assert pane.select_contact(UNREAD)
    assert pane.reply.edit.toPlainText() == ""
    assert pane.select_contact(OPEN)
    assert pane.reply.edit.toPlainText() == "Half-written answer for Asha"


def test_the_reply_follows_new_template_lists_not_every_edit_of_the_template_tab(
    qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    pane = open_room(qtbot, window)
    open_thread(qtbot, pane, CLOSED)
    pane.reply.templates_wanted.emit()  # asks through the Template tab, which says it is loading
    assert window.compose.template_tab.load_error() is None
    qtbot.waitUntil(lambda: pane.reply.template_list.count() > 0, timeout=5000)
    lists: list[object] = []
    monkeypatch.setattr(pane.reply, "set_templates", lists.append)
    window.compose.template_tab.name_edit.setText("order_ship")
    window.compose.template_tab.name_edit.setText("order_shipped")
    assert lists == []
    window.compose.set_templates(window.compose.template_tab.templates()[:1])
    assert len(lists) == 1
