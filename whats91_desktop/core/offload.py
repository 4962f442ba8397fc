"""Async twins of a blocking object's methods, each call run on that object's worker thread.

The message log (:class:`~whats91_desktop.core.store.async_store.AsyncMessageStore`) and the
bulk job file (:class:`~whats91_desktop.services.bulk.job_files.AsyncJobStore`) are each used
from the event loop (the GUI thread in the app) through one line per method:
``count = offloaded(MessageStore.count)``. The twin has the blocking method's signature, checked
by mypy, so the two cannot drift apart.

The owner provides ``_target()``, the blocking object (called on the worker thread, so it may
open the file there on first use), and ``_run(call)``, which runs ``call`` on that thread.
The method is looked up on the target when the call is made, so it reaches what the object
itself would run (a subclass's override, a test's spy).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any, Concatenate, ParamSpec, TypeVar

S = TypeVar("S")
P = ParamSpec("P")
R = TypeVar("R")


def offloaded(
    method: Callable[Concatenate[S, P], R],
) -> Callable[Concatenate[Any, P], Coroutine[Any, Any, R]]:
    """An async method that runs ``method`` on the owner's worker thread (see the module)."""
    name = method.__name__

    async def call_on_worker(self: Any, /, *args: P.args, **kwargs: P.kwargs) -> R:
        result: R = await self._run(lambda: getattr(self._target(), name)(*args, **kwargs))
        return result

    call_on_worker.__name__ = name
    call_on_worker.__qualname__ = f"{method.__qualname__} (offloaded)"
    call_on_worker.__doc__ = method.__doc__
    return call_on_worker
