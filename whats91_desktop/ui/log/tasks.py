"""Fire-and-forget coroutines from Qt slots, kept alive and reported like ``qasync.asyncSlot``.

asyncio only keeps weak references to tasks, so a widget that starts one must hold it. A
bug inside the coroutine goes to ``sys.excepthook`` (our own, installed by the app), as
qasync does for its async slots; cancellation is silent.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Coroutine
from typing import Any


class TaskSet:
    """The tasks one widget started; ``cancel_all`` when the widget goes away."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        error = task.exception()
        if error is not None:
            sys.excepthook(type(error), error, error.__traceback__)

    def __len__(self) -> int:
        return len(self._tasks)

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()
