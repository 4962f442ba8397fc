"""Reading whole conversations through the client: every page, newest first, within a cap.

The window and the CLI need a thread's *latest* inbound message, so a thread is read newest
first (a thread longer than the cap loses its oldest messages, never its newest) and handed
back oldest first. Used by the CLI's ``conversations`` and ``thread`` commands, and by the
Conversations pane through :func:`refresh_inbox` and :func:`refresh_thread`, which also keep
what they read in the log's offline copy (``core.store.conversation_cache``).
"""

from __future__ import annotations

from dataclasses import dataclass

from whats91_desktop.core.client import Whats91Client
from whats91_desktop.core.conversations import (
    MAX_PAGE_SIZE,
    Conversation,
    ConversationQuery,
    MessageQuery,
    ThreadMessage,
)
from whats91_desktop.core.errors import NotFoundError
from whats91_desktop.core.store.async_store import AsyncMessageStore
from whats91_desktop.core.store.conversation_cache import Cached

MAX_PAGES = 5
"""At most this many pages of 200 are read for one list or thread (1,000 rows)."""


@dataclass(frozen=True)
class Thread:
    conversation: Conversation
    messages: tuple[ThreadMessage, ...]
    """Oldest first."""


async def read_conversations(
    client: Whats91Client, query: ConversationQuery | None = None, sender_id: str | None = None
) -> list[Conversation]:
    found: list[Conversation] = []
    for page in range(1, MAX_PAGES + 1):
        result = await client.list_conversations(query, sender_id, page=page, limit=MAX_PAGE_SIZE)
        found.extend(result.conversations)
        if not result.pagination.has_more:
            break
    return found


async def read_thread(
    client: Whats91Client, conversation: Conversation, sender_id: str | None = None
) -> Thread:
    newest_first: list[ThreadMessage] = []
    query = MessageQuery(sort_by="timestamp", sort_order="DESC")
    for page in range(1, MAX_PAGES + 1):
        result = await client.conversation_messages(
            conversation.conversation_id, query, sender_id, page=page, limit=MAX_PAGE_SIZE
        )
        newest_first.extend(result.messages)
        if not result.pagination.has_more:
            break
    return Thread(conversation, tuple(reversed(newest_first)))


async def thread_with(client: Whats91Client, number: str, sender_id: str | None = None) -> Thread:
    """The thread with the contact ``number`` (digits); ``NotFoundError`` when there is none."""
    page = await client.conversations_by_mobile(number, sender_id, limit=1)
    if not page.conversations:
        raise NotFoundError(
            f"no conversation with {number} for this sender: the contact has not written and "
            "nothing was sent to them",
            http_status=404,
            request_id=page.request_id,
        )
    return await read_thread(client, page.conversations[0], sender_id)


async def refresh_inbox(
    client: Whats91Client, store: AsyncMessageStore, profile: str, sender_id: str | None
) -> Cached[Conversation]:
    """Read the whole inbox and keep it as the profile and sender's offline copy."""
    rows = await read_conversations(client, None, sender_id)
    fetched_at = await store.cache_inbox(profile, sender_id, rows)
    return Cached(tuple(rows), fetched_at)


async def refresh_thread(
    client: Whats91Client,
    store: AsyncMessageStore,
    profile: str,
    conversation: Conversation,
    sender_id: str | None,
) -> Cached[ThreadMessage]:
    """Read the thread with ``conversation``'s contact and keep it as the offline copy."""
    thread = await read_thread(client, conversation, sender_id)
    fetched_at = await store.cache_thread(profile, sender_id, conversation.contact_phone, thread.messages)
    return Cached(thread.messages, fetched_at)
