"""The message log as awaitables, so the GUI thread (qasync's loop) never waits on the disk.

Each method of :class:`AsyncMessageStore` is generated from the :class:`MessageStore` method of
the same name by :func:`_offloaded`: one line per method, with the sync signature (checked by
mypy), so the two cannot drift apart. A new store method needs one more line here.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from concurrent.futures import Executor
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from whats91_desktop.core.store.sqlite_store import MessageStore

P = ParamSpec("P")
R = TypeVar("R")


def _offloaded(
    method: Callable[Concatenate[MessageStore, P], R],
) -> Callable[Concatenate[AsyncMessageStore, P], Coroutine[Any, Any, R]]:
    """An async method that runs ``method`` on the async store's worker thread.

    The call goes to the wrapped store's attribute of the same name, looked up when it is made,
    so it reaches what the store itself would run (a subclass's override, a test's spy).
    """
    name = method.__name__

    async def offloaded(self: AsyncMessageStore, /, *args: P.args, **kwargs: P.kwargs) -> R:
        bound: Callable[P, R] = getattr(self.store, name)
        return await self._run(functools.partial(bound, *args, **kwargs))

    offloaded.__name__ = name
    offloaded.__qualname__ = f"AsyncMessageStore.{name}"
    offloaded.__doc__ = method.__doc__
    return offloaded


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

    async def _run(self, call: Callable[[], R]) -> R:
        return await asyncio.get_running_loop().run_in_executor(self._executor, call)

    def submit(self, call: Callable[[], object]) -> None:
        """Queue ``call`` on the store's thread, not waiting for it (a group commit's drain,
        which hands its results over itself)."""
        self._executor.submit(call)

    create_sending = _offloaded(MessageStore.create_sending)
    complete = _offloaded(MessageStore.complete)
    mark_outcome = _offloaded(MessageStore.mark_outcome)
    mark_interrupted = _offloaded(MessageStore.mark_interrupted)
    add_events = _offloaded(MessageStore.add_events)
    set_message_id = _offloaded(MessageStore.set_message_id)
    claim_report = _offloaded(MessageStore.claim_report)
    delete = _offloaded(MessageStore.delete)
    get = _offloaded(MessageStore.get)
    events = _offloaded(MessageStore.events)
    count = _offloaded(MessageStore.count)
    page = _offloaded(MessageStore.page)
    ids_for = _offloaded(MessageStore.ids_for)
    followups = _offloaded(MessageStore.followups)
    unknown_rows = _offloaded(MessageStore.unknown_rows)
    sent_to = _offloaded(MessageStore.sent_to)
    recent_recipients = _offloaded(MessageStore.recent_recipients)
    find = _offloaded(MessageStore.find)
    export_csv = _offloaded(MessageStore.export_csv)
    export_json = _offloaded(MessageStore.export_json)
    save_request = _offloaded(MessageStore.save_request)
    update_request = _offloaded(MessageStore.update_request)
    rename_request = _offloaded(MessageStore.rename_request)
    duplicate_request = _offloaded(MessageStore.duplicate_request)
    delete_request = _offloaded(MessageStore.delete_request)
    saved_request = _offloaded(MessageStore.saved_request)
    saved_requests = _offloaded(MessageStore.saved_requests)
    move_requests = _offloaded(MessageStore.move_requests)
    apply_webhook_status = _offloaded(MessageStore.apply_webhook_status)
    apply_webhook_statuses = _offloaded(MessageStore.apply_webhook_statuses)
    adopt_webhook_statuses = _offloaded(MessageStore.adopt_webhook_statuses)
    webhook_statuses = _offloaded(MessageStore.webhook_statuses)
    record_inbound = _offloaded(MessageStore.record_inbound)
    note_delivery = _offloaded(MessageStore.note_delivery)
    conversation = _offloaded(MessageStore.conversation)
    service_window_ends = _offloaded(MessageStore.service_window_ends)
    cache_inbox = _offloaded(MessageStore.cache_inbox)
    cached_inbox = _offloaded(MessageStore.cached_inbox)
    cache_thread = _offloaded(MessageStore.cache_thread)
    cached_thread = _offloaded(MessageStore.cached_thread)

    async def aclose(self) -> None:
        """Close the database on its thread. The thread stays: its executor is the caller's."""
        await self._run(self.store.close)
