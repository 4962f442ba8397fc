"""``--self-check``'s send through the window: what it reports when the message is delivered,
fails later, or is refused. The whole command (start-up, throw-away home, exit code) is
tested in ``tests/e2e/test_packaging_self_check.py``."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.helpers.sandbox_fixtures import FakeClock
from tests.ui.conftest import run_on_loop
from whats91_desktop.sandbox.constants import BLACKLISTED_RECIPIENT, FAILED_UNDELIVERABLE_RECIPIENT
from whats91_desktop.services.container import DesktopServices
from whats91_desktop.ui.main_window import MainWindow
from whats91_desktop.ui.self_check import SELF_CHECK_TEXT, send_one_message


def advance_after_send(window: MainWindow, clock: FakeClock, seconds: float) -> None:
    """Move the sandbox's clock once the send is back, so the follower's first poll sees it."""
    window.send_finished.connect(lambda *_: clock.advance(seconds))


def test_delivered_message_passes_with_one_line(
    qtbot: Any, window: MainWindow, context: DesktopServices, clock: FakeClock
) -> None:
    advance_after_send(window, clock, 3.0)  # past "delivered" (+2 s), before "read" (+4 s)
    result = run_on_loop(qtbot, send_one_message(window, context.store), timeout=15)
    assert result.ok, result.summary
    assert result.summary.startswith("self-check passed: message to +91 88888 88888")
    assert "delivered after" in result.summary
    assert "\n" not in result.summary


def test_the_message_sent_once_is_the_one_typed_into_the_window(
    qtbot: Any, window: MainWindow, context: DesktopServices
) -> None:
    # No clock move: the check then waits for "delivered", which is not what this test is about.
    window.send_finished.connect(lambda *_: task.cancel())
    task = asyncio.ensure_future(send_one_message(window, context.store))
    qtbot.waitUntil(task.done, timeout=10_000)
    (send,) = context.services.sandbox.state.sends_to("918888888888")
    assert SELF_CHECK_TEXT in send.fields.values()


def test_message_that_fails_later_fails_the_check(
    qtbot: Any, window: MainWindow, context: DesktopServices, clock: FakeClock
) -> None:
    advance_after_send(window, clock, 5.0)  # this scenario fails 3 s after acceptance
    result = run_on_loop(
        qtbot, send_one_message(window, context.store, recipient=FAILED_UNDELIVERABLE_RECIPIENT), timeout=15
    )
    assert not result.ok
    assert result.summary.startswith("self-check failed: the message failed")


def test_refused_send_fails_the_check_with_the_apis_reason(
    qtbot: Any, window: MainWindow, context: DesktopServices
) -> None:
    result = run_on_loop(qtbot, send_one_message(window, context.store, recipient=BLACKLISTED_RECIPIENT))
    assert not result.ok
    assert "SANDBOX_RECIPIENT_BLACKLISTED" in result.summary
