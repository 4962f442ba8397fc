"""Sends in the background: typed text survives, several in flight, Cancel, Send again, waits.

Driven through the real window on the in-process sandbox. The slow scenario (919000000007)
answers after 40 s, so a profile with a short read timeout makes it end ``unknown`` quickly;
the sandbox's request record proves how often each message was really sent. Modal questions
are patched, never exec()'d.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLineEdit, QMessageBox, QPlainTextEdit, QPushButton, QWidget

from tests.ui.conftest import MessageRecorder, run_on_loop
from tests.ui.test_main_window import NORMAL, compose, select_log_row, send, trigger
from whats91_desktop.core.models import Outcome, Profile, Sender
from whats91_desktop.sandbox.constants import (
    RATE_LIMITED_ODD_RECIPIENT,
    SANDBOX_BASE_URL,
    SANDBOX_SENDERS,
    SANDBOX_TOKEN,
    SERVER_ERROR_RECIPIENT,
    SLOW_RECIPIENT,
)
from whats91_desktop.ui.main_window import MainWindow


def use_slow_profile(qtbot: Any, window: MainWindow, context: Any, read_timeout: float) -> None:
    """A sandbox profile whose reads time out after ``read_timeout`` seconds (the slow number
    answers after 40)."""
    senders = tuple(Sender(s, p) for s, p in SANDBOX_SENDERS)
    profile = Profile(
        name="Quick timeout",
        base_url=SANDBOX_BASE_URL,
        senders=senders,
        sandbox=True,
        read_timeout=read_timeout,
    )
    run_on_loop(qtbot, context.services.profiles.save(profile, SANDBOX_TOKEN))
    window.switch_profile("Quick timeout")


def click_send(qtbot: Any, window: MainWindow, to: str, text: str) -> None:
    message_edit(window).clear()  # what an earlier send left there (still in flight)
    button = compose(qtbot, window, to, text)
    qtbot.waitUntil(button.isEnabled, timeout=3000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def message_edit(window: MainWindow) -> QPlainTextEdit:
    return window.findChild(QPlainTextEdit, "messageEdit")


def test_text_typed_during_a_slow_send_survives_it(qtbot: Any, window: MainWindow, context: Any) -> None:
    use_slow_profile(qtbot, window, context, read_timeout=1.0)
    click_send(qtbot, window, SLOW_RECIPIENT, "the slow one")
    # The composer is free as soon as the row is written: write the next message meanwhile.
    qtbot.waitUntil(
        lambda: window.send_flow.in_flight == 1 and bool(window.log_pane.model.in_flight_rows()), timeout=3000
    )
    with qtbot.waitSignal(window.send_finished, timeout=10_000) as finished:
        message_edit(window).clear()  # the user replaces the text still there
        compose(qtbot, window, NORMAL, "typed while it was sending")
    assert finished.args[1].outcome is Outcome.UNKNOWN
    assert message_edit(window).toPlainText() == "typed while it was sending"
    assert window.findChild(QLineEdit, "recipientEdit").text() == NORMAL


def test_an_unchanged_message_is_cleared_when_its_send_ends(
    qtbot: Any, window: MainWindow, context: Any
) -> None:
    use_slow_profile(qtbot, window, context, read_timeout=1.0)
    with qtbot.waitSignal(window.send_finished, timeout=10_000) as finished:
        click_send(qtbot, window, SLOW_RECIPIENT, "left alone")
    assert finished.args[1].outcome is Outcome.UNKNOWN
    assert message_edit(window).toPlainText() == ""


def test_two_sends_in_flight_at_once_each_sent_exactly_once(
    qtbot: Any, window: MainWindow, context: Any
) -> None:
    use_slow_profile(qtbot, window, context, read_timeout=2.0)
    sandbox = context.services.sandbox.state
    click_send(qtbot, window, SLOW_RECIPIENT, "first")
    qtbot.waitUntil(lambda: window.send_flow.in_flight == 1 and not window.compose._sending, timeout=3000)
    # The same content again while it is in flight: claimed once, so nothing happens.
    button = window.findChild(QPushButton, "sendButton")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    window.compose.trigger_send()
    assert window.send_flow.in_flight == 1
    assert button.text() == "Sending…"

    finished: list[Any] = []
    window.send_finished.connect(lambda row, result: finished.append((row, result)))
    click_send(qtbot, window, SLOW_RECIPIENT, "second")
    qtbot.waitUntil(lambda: window.send_flow.in_flight == 2, timeout=3000)
    qtbot.waitUntil(lambda: len(sandbox.sends_to(SLOW_RECIPIENT)) == 2, timeout=3000)
    assert len(window.log_pane.model.in_flight_rows()) == 2
    qtbot.waitUntil(lambda: len(finished) == 2, timeout=10_000)
    assert [result.outcome for _row, result in finished] == [Outcome.UNKNOWN, Outcome.UNKNOWN]
    assert len({row for row, _result in finished}) == 2
    assert sorted(r.fields.get("text") for r in sandbox.sends_to(SLOW_RECIPIENT)) == ["first", "second"]
    assert len(sandbox.sends_to(SLOW_RECIPIENT)) == 2  # each exactly once
    assert window.send_flow.in_flight == 0


def test_cancel_ends_the_row_unknown_never_not_sent(
    qtbot: Any, window: MainWindow, context: Any, messages: MessageRecorder
) -> None:
    use_slow_profile(qtbot, window, context, read_timeout=30.0)
    click_send(qtbot, window, SLOW_RECIPIENT, "cancel me")
    qtbot.waitUntil(lambda: bool(window.log_pane.model.in_flight_rows()), timeout=3000)
    (row_id,) = window.log_pane.model.in_flight_rows()
    cancel = window.findChild(QAction, "cancelSendAction")
    qtbot.waitUntil(lambda: window.log_pane.current_row_id() == row_id and cancel.isEnabled(), timeout=3000)
    bar = window.findChild(QWidget, "inFlightBar")
    assert bar.isVisible()
    assert "of 30 s" in window.log_pane.flight_label.text()
    with qtbot.waitSignal(window.log_pane.detail_loaded, timeout=5000):
        trigger(window, "cancelSendAction")
    qtbot.waitUntil(lambda: window.send_flow.in_flight == 0, timeout=3000)
    entry = run_on_loop(qtbot, context.store.get(row_id))
    assert entry is not None
    assert entry.state == "unknown"
    assert entry.outcome == "unknown"
    assert any(
        t.startswith("Cancelled: the message to +91 90000 00007 may have reached Whats91")
        for t in messages.texts()
    )
    assert not any("not sent" in t.lower() for t in messages.texts())
    assert not cancel.isEnabled()
    qtbot.waitUntil(lambda: not bar.isVisible(), timeout=3000)
    qtbot.waitUntil(
        lambda: "You cancelled the send before the answer arrived" in window.log_pane.summary_text(),
        timeout=3000,
    )


@pytest.mark.parametrize("answer", [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
def test_send_again_on_a_read_row_asks_first(
    qtbot: Any, window: MainWindow, context: Any, clock: Any, monkeypatch: Any, answer: Any
) -> None:
    row_id, _result = send(qtbot, window, NORMAL, "read already")
    clock.advance(8)
    run_on_loop(qtbot, context.follower.poll_once(row_id))
    asked: list[tuple[str, Any]] = []

    def question(_parent: Any, title: str, text: str, _buttons: Any, default: Any) -> Any:
        asked.append((text, default))
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    select_log_row(qtbot, window, NORMAL)
    qtbot.waitUntil(lambda: "Read" in window.log_pane.summary_text(), timeout=5000)
    finished: list[Any] = []
    window.send_finished.connect(lambda row, result: finished.append(row))
    trigger(window, "resendAction")
    assert len(asked) == 1
    text, default = asked[0]
    assert text.startswith("Already read at ")
    assert "send a second copy?" in text
    assert default == QMessageBox.StandardButton.No
    sandbox = context.services.sandbox.state
    if answer == QMessageBox.StandardButton.No:
        qtbot.wait(300)
        assert finished == []
        assert len(sandbox.sends_to(NORMAL)) == 1
    else:
        qtbot.waitUntil(lambda: len(finished) == 1, timeout=10_000)
        assert len(sandbox.sends_to(NORMAL)) == 2


def test_a_rate_limit_wait_is_recorded_on_the_row(qtbot: Any, window: MainWindow) -> None:
    _row, result = send(qtbot, window, RATE_LIMITED_ODD_RECIPIENT, "after a wait")
    assert result.outcome is Outcome.ACCEPTED
    assert "waited 1 s for the rate limit (HTTP 429), then accepted" in window.status.message_text
    select_log_row(qtbot, window, RATE_LIMITED_ODD_RECIPIENT)
    qtbot.waitUntil(
        lambda: "Waited 1 s for the rate limit (HTTP 429), then accepted." in window.log_pane.summary_text(),
        timeout=5000,
    )
    response = window.findChild(QPlainTextEdit, "detailResponse").toPlainText()
    assert "attempt 1: HTTP 429 (Retry-After 1s) — waited 1 s, then tried again" in response


def test_the_response_tab_shows_status_line_headers_and_timing(qtbot: Any, window: MainWindow) -> None:
    _row, result = send(qtbot, window, NORMAL, "show me the wire")
    select_log_row(qtbot, window, NORMAL)
    view = window.findChild(QPlainTextEdit, "detailResponse")
    qtbot.waitUntil(lambda: view.toPlainText().startswith("HTTP/1.1 200 OK"), timeout=5000)
    text = view.toPlainText()
    assert "Content-Type: application/json" in text
    assert f"X-Request-Id: {result.request_id}" in text
    assert "Timing: connect no new connection · total " in text
    assert '"success": true' in text  # the body, pretty-printed


def test_what_was_sent_is_in_the_summary(qtbot: Any, window: MainWindow) -> None:
    button = compose(qtbot, window, NORMAL, "Line one")
    message_edit(window).appendPlainText("Line two")
    qtbot.waitUntil(button.isEnabled, timeout=3000)
    with qtbot.waitSignal(window.send_finished, timeout=10_000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    select_log_row(qtbot, window, NORMAL)
    qtbot.waitUntil(lambda: "What was sent" in window.log_pane.summary_text(), timeout=5000)
    assert "Line one\nLine two" in window.log_pane.summary_text()


def test_a_500_with_an_html_page_says_plainly_not_to_resend_blindly(qtbot: Any, window: MainWindow) -> None:
    _row, result = send(qtbot, window, SERVER_ERROR_RECIPIENT)
    assert result.outcome is Outcome.UNKNOWN  # an HTML 500 may come from a crash after it left
    text = window.status.message_text
    assert "may have reached Whats91 (HTTP 500 with an HTML error page instead of an answer" in text
    assert "Nothing was resent — use “Check before resending” on the row before sending it again." in text
    select_log_row(qtbot, window, SERVER_ERROR_RECIPIENT)
    qtbot.waitUntil(lambda: "HTML error page" in window.log_pane.summary_text(), timeout=5000)
    assert "<html" not in window.log_pane.summary_text().lower()
    assert "<html" in window.findChild(QPlainTextEdit, "detailResponse").toPlainText().lower()


def test_the_wallet_is_read_again_once_a_burst_of_sends_pauses(
    qtbot: Any, window: MainWindow, context: Any
) -> None:
    sandbox = context.services.sandbox.state
    qtbot.waitUntil(lambda: len(sandbox.requests_to("wallet")) == 1, timeout=5000)  # on switching
    # Long enough that a busy machine (CI builds the bundle beside the tests) still sends the
    # three within one quiet period: the test is about the burst, not the machine's speed.
    window.switcher._wallet_timer.setInterval(2000)
    for text in ("one", "two", "three"):
        send(qtbot, window, NORMAL, text)
    assert len(sandbox.requests_to("wallet")) == 1
    qtbot.waitUntil(lambda: len(sandbox.requests_to("wallet")) == 2, timeout=6000)
    qtbot.wait(500)
    assert len(sandbox.requests_to("wallet")) == 2
