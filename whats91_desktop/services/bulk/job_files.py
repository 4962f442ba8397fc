"""The job file's calls as awaitables on its own worker thread (the GUI thread never waits on it).

One line per :class:`JobStore` method (:func:`~whats91_desktop.core.offload.offloaded`), with its
signature, as the message log's :class:`~whats91_desktop.core.store.async_store.AsyncMessageStore`.

The file is opened on first use, on that thread, so building the services at start-up costs
nothing. The executor must have one worker: calls then run in the order they were made, so a
row's claim is on disk before its send starts and its result before the next claim.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from whats91_desktop.core.bulk.job_store import JobStore
from whats91_desktop.core.offload import offloaded

R = TypeVar("R")


class AsyncJobStore:
    def __init__(
        self, path: Path | str, *, executor: concurrent.futures.Executor, log_path: Path | None
    ) -> None:
        self._path = path
        self._log_path = log_path
        self._executor = executor
        self._store: JobStore | None = None

    def _target(self) -> JobStore:
        """The open job file (opened here, on the worker thread, on first use)."""
        if self._store is None:
            self._store = JobStore(self._path, log_path=self._log_path)
        return self._store

    async def _run(self, call: Callable[[], R]) -> R:
        return await asyncio.get_running_loop().run_in_executor(self._executor, call)

    create_job = offloaded(JobStore.create_job)
    take_lease = offloaded(JobStore.take_lease)
    renew_lease = offloaded(JobStore.renew_lease)
    release_lease = offloaded(JobStore.release_lease)
    claim = offloaded(JobStore.claim)
    record = offloaded(JobStore.record)
    release = offloaded(JobStore.release)
    mark_interrupted = offloaded(JobStore.mark_interrupted)
    rows = offloaded(JobStore.rows)
    is_linked = offloaded(JobStore.is_linked)
    retryable_count = offloaded(JobStore.retryable_count)
    replan_retryable = offloaded(JobStore.replan_retryable)
    cancel_rest = offloaded(JobStore.cancel_rest)
    set_state = offloaded(JobStore.set_state)
    set_run_state = offloaded(JobStore.set_run_state)
    counts = offloaded(JobStore.counts)
    spec = offloaded(JobStore.spec)
    summary = offloaded(JobStore.summary)
    summaries = offloaded(JobStore.summaries)
    rollup = offloaded(JobStore.rollup)
    export_csv = offloaded(JobStore.export_csv)

    async def aclose(self) -> None:
        if self._store is not None:
            store, self._store = self._store, None
            await asyncio.get_running_loop().run_in_executor(self._executor, store.close)
