"""Background work from Qt slots: fire-and-forget coroutines, and blocking calls on a worker.

asyncio only keeps weak references to tasks, so a widget that starts one must hold it
(:class:`TaskSet`). A bug inside the coroutine goes to ``sys.excepthook`` (our own, installed by
the app), as qasync does for its async slots; cancellation is silent.

:func:`run_blocking` runs a blocking call (a file read, an image decode) on the loop's default
executor and awaits it. ``app.py`` installs a pool of plain Python threads there
(``Executors.io``), as the tests' loop fixture does: qasync's own default is a ``QThread``
pool, whose threads Qt reports (or aborts on) when they are still alive at exit.
"""

from __future__ import annotations

import asyncio
import functools
import sys
from collections.abc import Callable, Coroutine
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

async def run_blocking(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``fn(*args, **kwargs)`` on a worker thread; the GUI thread keeps running meanwhile."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, functools.partial(fn, *args, **kwargs))


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

    def adopt(self, task: asyncio.Future[Any]) -> None:
        """Hold a task someone else started (an ``asyncSlot``'s, which reports its own errors)."""
        self._tasks.add(task)  # type: ignore[arg-type]
        task.add_done_callback(self._tasks.discard)

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    async def cancel_and_wait(self) -> None:
        """Cancel every task and wait until all have finished."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
