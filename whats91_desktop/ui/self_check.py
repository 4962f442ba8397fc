"""``whats91-desktop --self-check``: one sandbox message sent through the window as a user sends it.

An installed app (the bundle, the .deb, a wheel) proves with it that Qt starts, the panes
build, validation, the send flow, the message log and the status follower work together:
it types into ``recipientEdit`` and ``messageEdit``, clicks ``sendButton`` once it is
enabled, and waits until the log row's status reaches ``delivered``. ``app.run_self_check``
builds the app around it (offscreen, a throw-away home, no keychain).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QPushButton

from whats91_desktop.core.models import Outcome
from whats91_desktop.core.outcome_text import describe_outcome
from whats91_desktop.core.phone import format_number
from whats91_desktop.sandbox.constants import NORMAL_RECIPIENT

if TYPE_CHECKING:
    from whats91_desktop.core.store import AsyncMessageStore
    from whats91_desktop.ui.main_window import MainWindow

REACHED = frozenset({"delivered", "read"})
"""Statuses at or past ``delivered`` (the follower may first see the row once it is read)."""

FAILED = frozenset({"failed"})
SELF_CHECK_TEXT = "Whats91 Desktop self-check"
POLL_SECONDS = 0.1
ENABLE_SECONDS = 5.0
"""How long the Send button may stay disabled after the fields are filled (validation)."""


@dataclass(frozen=True)
class SelfCheckResult:
    ok: bool
    summary: str
    """One line: what was sent and how long each step took, or why it failed."""


class SelfCheckFailed(Exception):
    """A step that did not happen; its text is the reason printed."""


async def send_one_message(
    window: MainWindow, store: AsyncMessageStore, *, recipient: str = NORMAL_RECIPIENT
) -> SelfCheckResult:
    """Send one text to ``recipient`` (the sandbox's normal one) and follow it to ``delivered``.

    No timeout of its own: the caller bounds the whole run (start-up included).
    """
    try:
        return await _send_and_follow(window, store, recipient)
    except SelfCheckFailed as failure:
        return SelfCheckResult(False, f"self-check failed: {failure}")


async def _send_and_follow(window: MainWindow, store: AsyncMessageStore, digits: str) -> SelfCheckResult:
    recipient = _child(window, QLineEdit, "recipientEdit")
    message = _child(window, QPlainTextEdit, "messageEdit")
    button = _child(window, QPushButton, "sendButton")
    finished: asyncio.Future[tuple[int, Any]] = asyncio.get_running_loop().create_future()

    def on_finished(row_id: int, result: object) -> None:
        if not finished.done():
            finished.set_result((row_id, result))

    window.send_finished.connect(on_finished)
    number = format_number(digits)
    recipient.setText(number)
    message.setPlainText(SELF_CHECK_TEXT)
    started = time.monotonic()
    while not button.isEnabled():  # validation is debounced
        if time.monotonic() - started > ENABLE_SECONDS:
            raise SelfCheckFailed(
                f"the Send button stayed disabled ({button.toolTip() or 'no reason shown'})"
            )
        await asyncio.sleep(POLL_SECONDS)
    button.click()
    clicked = time.monotonic()
    row_id, result = await finished
    answered_after = time.monotonic() - clicked
    if result.outcome not in (Outcome.ACCEPTED, Outcome.QUEUED):
        raise SelfCheckFailed(describe_outcome(result, number).text)
    status = await _wait_for_status(store, row_id)
    return SelfCheckResult(
        True,
        f"self-check passed: message to {number} sent through the window (row {row_id}), "
        f"answered {answered_after:.2f} s after the click, {status} after {time.monotonic() - clicked:.1f} s",
    )


async def _wait_for_status(store: AsyncMessageStore, row_id: int) -> str:
    """The row's status once it reaches ``delivered`` (written by the status follower)."""
    while True:
        row = await store.get(row_id)
        if row is None:
            raise SelfCheckFailed(f"log row {row_id} disappeared")
        if row.display_status in REACHED:
            return row.display_status
        if row.display_status in FAILED:
            raise SelfCheckFailed(f"the message failed: {row.error_message or 'no reason given'}")
        await asyncio.sleep(POLL_SECONDS)


def _child(window: MainWindow, kind: type[Any], name: str) -> Any:
    widget = window.findChild(kind, name)
    if widget is None:
        raise SelfCheckFailed(f"the window has no {name}")
    return widget
