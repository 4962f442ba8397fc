"""Qt test set-up: one session-wide qasync loop, installed as the running asyncio loop.

Known qasync pitfalls, respected here: one session-scoped ``QEventLoop(app,
already_running=True)``; never ``loop.stop()`` in a test; never ``qtbot.waitUntil`` or a
modal dialog inside a coroutine. Drive coroutines with :func:`run_on_loop` from plain
(synchronous) test functions.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

import pytest
import qasync
from PySide6.QtWidgets import QApplication

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
