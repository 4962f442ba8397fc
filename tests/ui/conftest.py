"""Qt test set-up: one session-wide qasync loop, installed as the running asyncio loop.

Known qasync pitfalls, respected here: one session-scoped ``QEventLoop(app,
already_running=True)``; never ``loop.stop()`` in a test; never ``qtbot.waitUntil`` or a
modal dialog inside a coroutine. Drive coroutines with :func:`run_on_loop` from plain
(synchronous) test functions.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import time
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

import pytest
import qasync
from PySide6.QtWidgets import QApplication

from tests.helpers.memory_keyring import MemoryKeyring
from tests.helpers.sandbox_fixtures import FakeClock
from whats91_desktop.app import build_context, create_window
from whats91_desktop.sandbox.state import SandboxState
from whats91_desktop.ui.context import AppContext
from whats91_desktop.ui.main_window import MainWindow

T = TypeVar("T")


@pytest.fixture(scope="session")
def qloop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    loop = qasync.QEventLoop(qapp, already_running=True)
    # As the app does (gui_main): Python threads, not qasync's QThread pool, for executor work
    # such as httpx's host name lookups; QThreads still running at exit abort the process.
    executor = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="whats91-default")
    loop.set_default_executor(executor)
    asyncio.set_event_loop(loop)
    yield loop
    executor.shutdown(wait=True)


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
def context(clock: FakeClock, keyring: MemoryKeyring) -> AppContext:
    return build_context(keyring_backend=keyring, sandbox_state=SandboxState(clock=clock))


def open_window(qtbot: Any, context: AppContext, **kwargs: Any) -> MainWindow:
    """Shown, not handed to qtbot.addWidget (that deletes it before our teardown can shut down)."""
    win = create_window(context=context, **kwargs)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def window(qtbot: Any, context: AppContext) -> Iterator[MainWindow]:
    win = open_window(qtbot, context, sandbox=True)
    yield win
    win.close()
    run_on_loop(qtbot, win.shutdown())
