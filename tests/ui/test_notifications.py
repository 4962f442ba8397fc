"""Nothing that happens later goes unseen: late failures, unknown outcomes, the Messages popover.

The sandbox fails 919000000002 (131026) and 919000000010 (131047) a few seconds after
accepting them; the test advances the sandbox clock and polls, as the follower would.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QPushButton, QSystemTrayIcon, QWidget

from tests.ui.conftest import MessageRecorder, run_on_loop
from tests.ui.test_main_window import NORMAL, select_log_row, send
from tests.ui.test_send_flow import click_send, use_slow_profile
from whats91_desktop.core.outcome_text import Severity
from whats91_desktop.sandbox.constants import (
    FAILED_REENGAGEMENT_RECIPIENT,
    FAILED_UNDELIVERABLE_RECIPIENT,
    SLOW_RECIPIENT,
)
from whats91_desktop.ui.main_window import MainWindow


def banner(window: MainWindow) -> QWidget:
    return window.findChild(QWidget, "notificationBanner")


def fail_later(qtbot: Any, window: MainWindow, context: Any, clock: Any, recipient: str) -> int:
    """Send to a number that fails after acceptance, send another (now selected), then let it fail."""
    row_id, _ = send(qtbot, window, recipient, "will fail")
    on_screen, _ = send(qtbot, window, NORMAL, "the one on screen")
    qtbot.waitUntil(lambda: window.log_pane.current_row_id() == on_screen, timeout=3000)
    clock.advance(5)
    run_on_loop(qtbot, context.follower.poll_once(row_id))
    return row_id


def test_a_late_failure_raises_a_banner_with_show_and_counts_as_unseen(
    qtbot: Any, window: MainWindow, context: Any, clock: Any, messages: MessageRecorder
) -> None:
    row_id = fail_later(qtbot, window, context, clock, FAILED_UNDELIVERABLE_RECIPIENT)
    qtbot.waitUntil(lambda: banner(window).isVisible(), timeout=5000)
    text = window.findChild(QWidget, "notificationText").text()
    assert text.startswith("Failed after it was accepted: the message to +91 90000 00002 was not delivered")
    assert "131026" in text
    # Not only a red dot: the status bar, the history and the log's count say it too.
    assert window.status.message_text == text
    assert messages.texts("error")[-1] == text
    assert window.status.messages_button.text() == "Messages (1)"
    unseen = window.findChild(QWidget, "logUnseenButton")
    assert unseen.isVisible()
    assert unseen.text() == "⚠ 1 unseen"

    qtbot.mouseClick(window.findChild(QPushButton, "notificationShowButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.log_pane.current_row_id() == row_id, timeout=5000)
    assert not banner(window).isVisible()
    qtbot.waitUntil(lambda: not unseen.isVisible(), timeout=3000)
    assert window.status.messages_button.text() == "Messages"


def test_a_late_failure_while_the_window_is_inactive_also_goes_to_the_desktop(
    qtbot: Any, window: MainWindow, context: Any, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    monkeypatch.setattr(QSystemTrayIcon, "show", lambda _self: None)
    monkeypatch.setattr(
        QSystemTrayIcon, "showMessage", lambda _self, title, text, *_a: shown.append((title, text))
    )
    monkeypatch.setattr(window, "isActiveWindow", lambda: False)
    fail_later(qtbot, window, context, clock, FAILED_REENGAGEMENT_RECIPIENT)
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    title, text = shown[0]
    assert title == "Whats91 Desktop"
    assert "131047" in text
    assert banner(window).isVisible()  # in the window too, for when the user comes back


def test_an_unknown_outcome_while_another_row_is_selected_raises_a_banner(
    qtbot: Any, window: MainWindow, context: Any
) -> None:
    use_slow_profile(qtbot, window, context, read_timeout=1.0)
    earlier, _ = send(qtbot, window, NORMAL, "an earlier one")
    click_send(qtbot, window, SLOW_RECIPIENT, "slow")
    qtbot.waitUntil(lambda: bool(window.log_pane.model.in_flight_rows()), timeout=3000)
    (slow_row,) = window.log_pane.model.in_flight_rows()
    qtbot.waitUntil(lambda: window.log_pane.current_row_id() == slow_row, timeout=3000)
    select_log_row(qtbot, window, NORMAL)  # the user looks at something else
    qtbot.waitUntil(lambda: window.log_pane.current_row_id() == earlier, timeout=3000)
    qtbot.waitUntil(lambda: banner(window).isVisible(), timeout=10_000)
    text = window.findChild(QWidget, "notificationText").text()
    assert text.startswith("Outcome unknown: the message to +91 90000 00007 may have reached Whats91")
    assert window.log_pane.unseen() == [slow_row]


def test_a_failure_on_the_row_being_looked_at_is_reported_without_a_banner(
    qtbot: Any, window: MainWindow, context: Any, clock: Any, messages: MessageRecorder
) -> None:
    window.activateWindow()
    row_id, _ = send(qtbot, window, FAILED_UNDELIVERABLE_RECIPIENT)
    qtbot.waitUntil(lambda: window.log_pane.current_row_id() == row_id, timeout=3000)
    if not window.isActiveWindow():
        pytest.skip("this platform does not activate windows")
    clock.advance(5)
    run_on_loop(qtbot, context.follower.poll_once(row_id))
    qtbot.waitUntil(lambda: any("131026" in t for t in messages.texts("error")), timeout=5000)
    assert not banner(window).isVisible()
    assert window.log_pane.unseen() == []
    assert window.bridge.history[-1].row_id == row_id  # still kept in the Messages popover


def test_the_messages_popover_keeps_every_message_until_dismissed(qtbot: Any, window: MainWindow) -> None:
    window.bridge.report(Severity.WARNING, "The keychain is locked: tokens are kept in a file for now.")
    window.bridge.report_info("Profile: Sandbox")
    assert window.status.messages_button.text() == "Messages (1)"
    popover = window.status.open_messages()
    qtbot.waitUntil(popover.isVisible, timeout=3000)
    items = popover.findChild(QListWidget, "messagesList")
    texts = [items.item(i).text() for i in range(items.count())]
    assert texts[0].endswith("Profile: Sandbox")  # newest first, each in full
    assert texts[1].endswith("The keychain is locked: tokens are kept in a file for now.")
    assert items.item(1).font().bold()  # pending until dismissed
    items.setCurrentRow(1)
    qtbot.mouseClick(popover.findChild(QPushButton, "messagesDismissButton"), Qt.MouseButton.LeftButton)
    assert window.status.messages_button.text() == "Messages"
    assert not items.item(1).font().bold()
    assert items.count() == len(texts)  # dismissed, not forgotten
    popover.hide()


def test_a_long_message_is_elided_before_the_wallet_not_cut_off(qtbot: Any, window: MainWindow) -> None:
    wallet = window.status.wallet_label
    qtbot.waitUntil(wallet.isVisible, timeout=5000)
    window.resize(1024, 640)
    long = "Rejected (HTTP 400 SOMETHING_LONG): " + "a very long explanation " * 30
    window.bridge.report_error(long)
    label = window.status.message_label
    qtbot.waitUntil(label.is_elided, timeout=3000)
    assert label.geometry().right() < wallet.geometry().left()
    assert window.status.message_text == long  # whole, in the popover and for screen readers
