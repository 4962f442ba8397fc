"""The job file's calls as awaitables on its own worker thread (the GUI thread never waits on it).

The file is opened on first use, on that thread, so building the services at start-up costs
nothing. The executor must have one worker: calls then run in the order they were made, so a
row's claim is on disk before its send starts and its result before the next claim.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TypeVar

from whats91_desktop.core.bulk.job_store import JobStore, RowResult
from whats91_desktop.core.bulk.models import (
    BulkSpec,
    DryRunReport,
    JobRow,
    JobState,
    JobSummary,
    Rollup,
    RowState,
)

R = TypeVar("R")


class AsyncJobStore:
    def __init__(
        self, path: Path | str, *, executor: concurrent.futures.Executor, log_path: Path | None
    ) -> None:
        self._path = path
        self._log_path = log_path
        self._executor = executor
        self._store: JobStore | None = None

    def _open(self) -> JobStore:
        if self._store is None:
            self._store = JobStore(self._path, log_path=self._log_path)
        return self._store

    async def _run(self, call: Callable[[JobStore], R]) -> R:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, lambda: call(self._open()))

    async def create_job(self, job_id: str, profile: str, report: DryRunReport, *, created_at: float) -> None:
        await self._run(lambda s: s.create_job(job_id, profile, report, created_at=created_at))

    async def take_lease(self, job_id: str) -> bool:
        return await self._run(lambda s: s.take_lease(job_id))

    async def renew_lease(self, job_id: str) -> None:
        await self._run(lambda s: s.renew_lease(job_id))

    async def release_lease(self, job_id: str) -> None:
        await self._run(lambda s: s.release_lease(job_id))

    async def claim(self, job_id: str, limit: int) -> list[JobRow]:
        return await self._run(lambda s: s.claim(job_id, limit))

    async def record(self, job_id: str, results: Sequence[RowResult]) -> None:
        await self._run(lambda s: s.record(job_id, results))

    async def release(self, job_id: str, seqs: Iterable[int]) -> None:
        seqs = tuple(seqs)
        await self._run(lambda s: s.release(job_id, seqs))

    async def mark_interrupted(self, job_id: str) -> int:
        return await self._run(lambda s: s.mark_interrupted(job_id))

    async def rows(
        self, job_id: str, *, states: Sequence[RowState] = (), offset: int = 0, limit: int = 200
    ) -> list[JobRow]:
        return await self._run(lambda s: s.rows(job_id, states=states, offset=offset, limit=limit))

    async def is_linked(self, log_row_id: int) -> bool:
        return await self._run(lambda s: s.is_linked(log_row_id))

    async def retryable_count(self, job_id: str) -> int:
        return await self._run(lambda s: s.retryable_count(job_id))

    async def replan_retryable(self, job_id: str) -> int:
        return await self._run(lambda s: s.replan_retryable(job_id))

    async def cancel_rest(self, job_id: str) -> int:
        return await self._run(lambda s: s.cancel_rest(job_id))

    async def set_state(self, job_id: str, state: JobState, note: str | None = None) -> None:
        await self._run(lambda s: s.set_state(job_id, state, note))

    async def set_run_state(self, job_id: str, state: JobState, note: str | None = None) -> None:
        await self._run(lambda s: s.set_run_state(job_id, state, note))

    async def counts(self, job_id: str) -> dict[RowState, int]:
        return await self._run(lambda s: s.counts(job_id))

    async def spec(self, job_id: str) -> BulkSpec:
        return await self._run(lambda s: s.spec(job_id))

    async def summary(self, job_id: str) -> JobSummary:
        return await self._run(lambda s: s.summary(job_id))

    async def summaries(self, *, limit: int = 100) -> list[JobSummary]:
        return await self._run(lambda s: s.summaries(limit=limit))

    async def rollup(self, job_id: str) -> Rollup:
        return await self._run(lambda s: s.rollup(job_id))

    async def export_csv(self, job_id: str, path: Path) -> int:
        return await self._run(lambda s: s.export_csv(job_id, path))

    async def aclose(self) -> None:
        if self._store is not None:
            store, self._store = self._store, None
            await asyncio.get_running_loop().run_in_executor(self._executor, store.close)
