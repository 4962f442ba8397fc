"""The message log as awaitables, so the GUI thread (qasync's loop) never waits on the disk.

Each method of :class:`AsyncMessageStore` is generated from the :class:`MessageStore` method of
the same name by :func:`~whats91_desktop.core.offload.offloaded`: one line per method, with the
sync signature (checked by mypy), so the two cannot drift apart. A new store method needs one
more line here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Executor
from pathlib import Path
from typing import TypeVar

from whats91_desktop.core.offload import offloaded
from whats91_desktop.core.store.sqlite_store import MessageStore

R = TypeVar("R")


class AsyncMessageStore:
    """Every :class:`MessageStore` call on one worker thread, as an awaitable.

    The executor belongs to the caller (the composition root makes every pool, and stops them
    at exit); it must have a single worker, so calls run in submission order: a send's row is
    committed before its result is written, and a read sees every write awaited before it.
    """

    def __init__(self, store: MessageStore, *, executor: Executor) -> None:
        self.store = store
        self._executor = executor

    @classmethod
    async def open(cls, path: Path | str, *, executor: Executor) -> AsyncMessageStore:
        """Open (and migrate, or move aside) the database on the worker thread itself."""
        store = await asyncio.get_running_loop().run_in_executor(executor, MessageStore, path)
        return cls(store, executor=executor)

    @property
    def notice(self) -> str | None:
        return self.store.notice

    def _target(self) -> MessageStore:
        return self.store

    async def _run(self, call: Callable[[], R]) -> R:
        return await asyncio.get_running_loop().run_in_executor(self._executor, call)

    def submit(self, call: Callable[[], object]) -> None:
        """Queue ``call`` on the store's thread, not waiting for it (a group commit's drain,
        which hands its results over itself)."""
        self._executor.submit(call)

    create_sending = offloaded(MessageStore.create_sending)
    complete = offloaded(MessageStore.complete)
    mark_outcome = offloaded(MessageStore.mark_outcome)
    mark_interrupted = offloaded(MessageStore.mark_interrupted)
    add_events = offloaded(MessageStore.add_events)
    set_message_id = offloaded(MessageStore.set_message_id)
    claim_report = offloaded(MessageStore.claim_report)
    delete = offloaded(MessageStore.delete)
    get = offloaded(MessageStore.get)
    events = offloaded(MessageStore.events)
    count = offloaded(MessageStore.count)
    page = offloaded(MessageStore.page)
    ids_for = offloaded(MessageStore.ids_for)
    followups = offloaded(MessageStore.followups)
    unknown_rows = offloaded(MessageStore.unknown_rows)
    sent_to = offloaded(MessageStore.sent_to)
    recent_recipients = offloaded(MessageStore.recent_recipients)
    find = offloaded(MessageStore.find)
    export_csv = offloaded(MessageStore.export_csv)
    export_json = offloaded(MessageStore.export_json)
    save_request = offloaded(MessageStore.save_request)
    update_request = offloaded(MessageStore.update_request)
    rename_request = offloaded(MessageStore.rename_request)
    duplicate_request = offloaded(MessageStore.duplicate_request)
    delete_request = offloaded(MessageStore.delete_request)
    saved_request = offloaded(MessageStore.saved_request)
    saved_requests = offloaded(MessageStore.saved_requests)
    move_requests = offloaded(MessageStore.move_requests)
    apply_webhook_status = offloaded(MessageStore.apply_webhook_status)
    apply_webhook_statuses = offloaded(MessageStore.apply_webhook_statuses)
    adopt_webhook_statuses = offloaded(MessageStore.adopt_webhook_statuses)
    webhook_statuses = offloaded(MessageStore.webhook_statuses)
    record_inbound = offloaded(MessageStore.record_inbound)
    note_delivery = offloaded(MessageStore.note_delivery)
    conversation = offloaded(MessageStore.conversation)
    service_window_ends = offloaded(MessageStore.service_window_ends)
    cache_inbox = offloaded(MessageStore.cache_inbox)
    cached_inbox = offloaded(MessageStore.cached_inbox)
    cache_thread = offloaded(MessageStore.cache_thread)
    cached_thread = offloaded(MessageStore.cached_thread)

    async def aclose(self) -> None:
        """Close the database on its thread. The thread stays: its executor is the caller's."""
        await self._run(self.store.close)
