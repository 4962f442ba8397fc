"""The message log's worker pool, for tests that build an ``AsyncMessageStore`` themselves."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor


def store_executor() -> ThreadPoolExecutor:
    """One worker, named like the app's (``services.executors``), so the store's calls run in
    order. Nothing needs to shut it down: once the store is gone, the pool is collected and its
    idle thread ends."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="whats91-store")
