"""Every worker thread of the process, made in one place (``app.py``) and passed down.

Plain Python thread pools, never ``asyncio.to_thread``: on qasync's loop that runs on a
``QThread`` pool, whose threads Qt reports (or aborts on) when they are still alive at exit.
Single-thread pools serialise their jobs, which is the point for the keychain (one D-Bus
conversation at a time), the settings (writes land in the order they were made) and SQLite
(one connection, one thread).
"""

from __future__ import annotations

import concurrent.futures
from dataclasses import dataclass, fields


def _pool(name: str, workers: int = 1) -> concurrent.futures.ThreadPoolExecutor:
    return concurrent.futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"whats91-{name}")


@dataclass(frozen=True)
class Executors:
    keychain: concurrent.futures.ThreadPoolExecutor
    """Keychain reads and writes (D-Bus may block, or ask the user to unlock)."""
    settings: concurrent.futures.ThreadPoolExecutor
    """Settings writes, one after another in the order they were made."""
    store: concurrent.futures.ThreadPoolExecutor
    """The message log's SQLite connection."""
    bulk: concurrent.futures.ThreadPoolExecutor
    """The bulk jobs' SQLite file (its own thread: a running job never queues behind the log)."""
    builder: concurrent.futures.ThreadPoolExecutor
    """Building send requests (reads attachments of up to 16 MB)."""
    io: concurrent.futures.ThreadPoolExecutor
    """Everything else that blocks: the event loop's default executor (DNS, thumbnails, CA bundle)."""

    @classmethod
    def create(cls) -> Executors:
        return cls(
            keychain=_pool("keychain"),
            settings=_pool("settings"),
            store=_pool("store"),
            bulk=_pool("bulk"),
            builder=_pool("build"),
            io=_pool("io", workers=4),
        )

    def shutdown(self) -> None:
        """Stop taking work. Queued keychain calls are dropped: one stuck on an unlock prompt
        must not keep a closing app alive; the other pools finish what they hold."""
        for spec in fields(self):
            pool: concurrent.futures.ThreadPoolExecutor = getattr(self, spec.name)
            pool.shutdown(wait=False, cancel_futures=spec.name == "keychain")
