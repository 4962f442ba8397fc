"""Group commit: writes asked for while the log's thread is busy go in together, next.

The log commits with ``synchronous=FULL`` (see :mod:`whats91_desktop.core.store.connection`),
so each transaction pays an fsync and a full-text index flush. A bulk job has several sends in
flight; their "row before request" inserts (and their replies' updates) would queue one
transaction each on the log's single writer thread. :class:`GroupCommit` queues each call's
item and a drain on that thread; the first drain to run writes every item queued by then in
one transaction, later drains find nothing left. The batching happens on the writer thread
itself, so a batch never waits for the event loop (a busy GUI) to hand over the next one.
Each caller still returns only once its own row is committed; a caller cancelled before its
batch started is left out of it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class GroupCommit(Generic[T, R]):
    """``await commit(item)`` writes ``item`` through ``write_many`` with whatever else is waiting.

    ``write_many`` runs on the writer thread (``submit`` queues a call there; it must have one
    worker, so drains never run at once); it gets the items in call order and returns one
    result per item. If it raises, every caller of that batch gets the error (the batch was one
    transaction: none of it happened).
    """

    def __init__(
        self, write_many: Callable[[list[T]], Sequence[R]], submit: Callable[[Callable[[], None]], object]
    ) -> None:
        self._write_many = write_many
        self._submit = submit
        self._lock = threading.Lock()
        self._waiting: list[tuple[T, concurrent.futures.Future[R]]] = []

    async def __call__(self, item: T) -> R:
        future: concurrent.futures.Future[R] = concurrent.futures.Future()
        with self._lock:
            self._waiting.append((item, future))
        self._submit(self._drain)
        return await asyncio.wrap_future(future)

    def _drain(self) -> None:
        with self._lock:
            batch, self._waiting = self._waiting, []
        batch = [(item, future) for item, future in batch if future.set_running_or_notify_cancel()]
        if not batch:
            return
        try:
            results = self._write_many([item for item, _ in batch])
        except Exception as err:  # noqa: BLE001 - handed to each caller, who raises it
            for _, future in batch:
                future.set_exception(err)
            return
        for (_, future), result in zip(batch, results, strict=True):
            future.set_result(result)
