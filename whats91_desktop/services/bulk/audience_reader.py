"""Contact books, their contacts and the blacklist, read page by page (bounded)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from whats91_desktop.core.bulk.contact_books import Contact, ContactBook, Page
from whats91_desktop.core.errors import ServerError
from whats91_desktop.services.bulk.client import BulkClient

T = TypeVar("T")
MAX_PAGES = 1000
"""100 000 contacts at 100 a page; a server that always says "more" must not loop forever."""


async def _all_pages(read: Callable[[int], Awaitable[Page[T]]]) -> list[T]:
    items: list[T] = []
    for page in range(1, MAX_PAGES + 1):
        found = await read(page)
        items.extend(found.items)
        if not found.has_more or not found.items:
            return items
    raise ServerError(f"the list did not end after {MAX_PAGES} pages; it was not used")


async def all_contact_books(client: BulkClient) -> list[ContactBook]:
    return await _all_pages(lambda page: client.list_contact_books(page=page))


async def read_contact_book(client: BulkClient, book_uid: str) -> list[Contact]:
    return await _all_pages(lambda page: client.contact_book_contacts(book_uid, page=page))


async def blacklisted_numbers(client: BulkClient, sender_id: str | None) -> dict[str, str | None]:
    """The sender's ACTIVE blacklist: digits → reason."""
    entries = await _all_pages(lambda page: client.list_blacklist(sender_id, page=page))
    return {e.phone: e.reason for e in entries if (e.status or "ACTIVE").upper() == "ACTIVE"}
