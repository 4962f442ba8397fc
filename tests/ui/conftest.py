"""Qt test set-up: one session-wide qasync loop, installed as the running asyncio loop.

Known qasync pitfalls, respected here: one session-scoped ``QEventLoop(app,
already_running=True)``; never ``loop.stop()`` in a test; never ``qtbot.waitUntil`` or a
modal dialog inside a coroutine. Drive coroutines with :func:`run_on_loop` from plain
(synchronous) test functions.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest
import qasync
from PySide6.QtWidgets import QApplication

from tests.helpers.desk import make_desk, shared_executors
from tests.helpers.memory_keyring import MemoryKeyring
from tests.helpers.sandbox_fixtures import FakeClock
from whats91_desktop.app import create_window
from whats91_desktop.sandbox.state import SandboxState
from whats91_desktop.services.container import DesktopServices
from whats91_desktop.ui.bridge import MessageBridge
from whats91_desktop.ui.main_window import MainWindow

T = TypeVar("T")


@pytest.fixture(scope="session")
def qloop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    loop = qasync.QEventLoop(qapp, already_running=True)
    # As the app does (run_gui): Python threads, not qasync's QThread pool, for executor work
    # such as httpx's host name lookups; QThreads still running at exit abort the process.
    loop.set_default_executor(shared_executors().io)
    asyncio.set_event_loop(loop)
    return loop


@pytest.fixture(autouse=True)
def _qloop_for_every_ui_test(qloop: qasync.QEventLoop) -> qasync.QEventLoop:
    return qloop


def run_on_loop(qtbot: Any, coro: Coroutine[Any, Any, T], timeout: float = 10.0) -> T:
    """Run ``coro`` on the qasync loop from a synchronous test, processing Qt events meanwhile."""
    task = asyncio.ensure_future(coro)
    qtbot.waitUntil(task.done, timeout=int(timeout * 1000))
    return task.result()


# --------------------------------------------------------------------------- the window
# Default fixtures for window tests; a test module overrides any of them by name.


@pytest.fixture
def clock() -> FakeClock:
    """The sandbox's clock: statuses move only when a test advances it."""
    return FakeClock(time.time())


@pytest.fixture
def keyring() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def context(clock: FakeClock, keyring: MemoryKeyring) -> DesktopServices:
    return make_desk(keyring_backend=keyring, sandbox_state=SandboxState(clock=clock))


def open_window(qtbot: Any, context: DesktopServices, **kwargs: Any) -> MainWindow:
    """Shown, not handed to qtbot.addWidget (that deletes it before our teardown can shut down)."""
    win = create_window(context, **kwargs)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def window(qtbot: Any, context: DesktopServices) -> Iterator[MainWindow]:
    win = open_window(qtbot, context, sandbox=True)
    win.panes.panes()  # every room built now, not on a later turn, so tests can find its widgets
    yield win
    win.close()
    run_on_loop(qtbot, win.shutdown())


# --------------------------------------------------------------------------- messages shown


@dataclass(frozen=True)
class Shown:
    level: str
    text: str


class MessageRecorder:
    """Every message the bridge showed, in order (qutebrowser's ``message_mock``): a test
    asserts on all of them, not only on the last one left in the status bar."""

    def __init__(self, bridge: MessageBridge) -> None:
        self.shown: list[Shown] = []
        for level in ("info", "warning", "error"):
            signal = getattr(bridge, level)
            signal.connect(lambda text, level=level: self.shown.append(Shown(level, text)))

    def texts(self, level: str | None = None) -> list[str]:
        return [m.text for m in self.shown if level is None or m.level == level]


@pytest.fixture
def messages(window: MainWindow) -> MessageRecorder:
    return MessageRecorder(window.bridge)
