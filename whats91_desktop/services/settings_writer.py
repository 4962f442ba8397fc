"""The settings in use, adopted at once and written in the background, in order.

A change is visible to every reader immediately (``current``), while the write — atomic, with
an fsync — happens on the single settings thread, so writes land in the order they were made
and a slow disk never stalls the GUI thread. ``flush`` waits for the last write: a save on
quit is never lost. After ``close`` (the window is gone) writes happen inline, since nothing
is left to keep responsive.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import sys

from whats91_desktop.core.errors import Whats91Error
from whats91_desktop.core.settings import Settings, SettingsStore
from whats91_desktop.services.messages import UserMessages

log = logging.getLogger(__name__)


class SettingsWriter:
    def __init__(
        self,
        store: SettingsStore,
        settings: Settings,
        *,
        executor: concurrent.futures.Executor,
        messages: UserMessages,
    ) -> None:
        self.store = store
        self._current = settings
        self._executor = executor
        self._messages = messages
        self._saves: set[asyncio.Future[None]] = set()
        self._closed = False

    @property
    def current(self) -> Settings:
        return self._current

    def save(self, settings: Settings, *, report: bool = True) -> asyncio.Future[None]:
        """Adopt ``settings`` now; write them on the settings thread.

        Returns the write as a future: await it to learn of a ``ConfigError`` (invalid
        settings, a token where none may be, a disk error). With ``report`` a failure is also
        told to the user, for callers that do not wait.
        """
        self._current = settings
        loop = asyncio.get_event_loop()
        if self._closed:
            future: asyncio.Future[None] = loop.create_future()
            try:
                self.store.save(settings)
            except Whats91Error as err:
                future.set_exception(err)
            else:
                future.set_result(None)
        else:
            future = loop.run_in_executor(self._executor, self.store.save, settings)
        self._saves.add(future)
        future.add_done_callback(lambda done: self._on_save_done(done, report))
        return future

    def restore(self, settings: Settings, *, unless_changed_from: Settings) -> None:
        """Put ``settings`` back after a failed save, unless something newer was adopted since."""
        if self._current is unless_changed_from:
            self._current = settings

    def _on_save_done(self, future: asyncio.Future[None], report: bool) -> None:
        self._saves.discard(future)
        if future.cancelled():
            return
        error = future.exception()
        if error is None:
            return
        log.warning("settings not saved: %s", error)
        if not report:
            return  # the caller awaits the future and reports
        if isinstance(error, Whats91Error | OSError):
            self._messages.warning(f"Settings could not be saved: {error}")
        else:  # a bug, not a disk or settings problem
            sys.excepthook(type(error), error, error.__traceback__)

    async def flush(self) -> None:
        """Wait until every write made so far has finished (successfully or not)."""
        pending = list(self._saves)
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)

    async def aclose(self) -> None:
        """Finish the pending writes; later saves are written inline."""
        await self.flush()
        self._closed = True
