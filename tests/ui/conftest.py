"""Qt test set-up: one session-wide qasync loop, installed as the running asyncio loop.

Known qasync pitfalls, respected here: one session-scoped ``QEventLoop(app,
already_running=True)``; never ``loop.stop()`` in a test; never ``qtbot.waitUntil`` or a
modal dialog inside a coroutine. Drive coroutines with :func:`run_on_loop` from plain
(synchronous) test functions.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

import pytest
import qasync
from PySide6.QtWidgets import QApplication

T = TypeVar("T")


@pytest.fixture(scope="session")
def qloop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    yield loop


@pytest.fixture(autouse=True)
def _qloop_for_every_ui_test(qloop: qasync.QEventLoop) -> qasync.QEventLoop:
    return qloop


def run_on_loop(qtbot: Any, coro: Coroutine[Any, Any, T], timeout: float = 10.0) -> T:
    """Run ``coro`` on the qasync loop from a synchronous test, processing Qt events meanwhile."""
    task = asyncio.ensure_future(coro)
    qtbot.waitUntil(task.done, timeout=int(timeout * 1000))
    return task.result()
