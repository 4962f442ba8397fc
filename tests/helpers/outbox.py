"""The outbox's request-building pool, for tests that build an ``Outbox`` themselves."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor


def build_executor() -> ThreadPoolExecutor:
    """One worker, named like the app's (``services.executors``), so a test can tell that a
    request was built there. Nothing needs to shut it down: once the outbox is gone, the pool
    is collected and its idle thread ends."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="whats91-build")
