"""What the bulk engine needs of ``Whats91Client`` (a protocol, so tests can count calls)."""

from __future__ import annotations

from typing import Protocol

from whats91_desktop.core.bulk.contact_books import BlacklistEntry, Contact, ContactBook, Page
from whats91_desktop.core.models import TemplateInfo
from whats91_desktop.core.outbox import SendingClient
from whats91_desktop.services.follower import StatusClient


class BulkClient(SendingClient, StatusClient, Protocol):
    async def list_templates(self, sender_id: str | None = None) -> list[TemplateInfo]: ...

    async def list_contact_books(self, *, page: int = 1) -> Page[ContactBook]: ...

    async def contact_book_contacts(self, book_uid: str, *, page: int = 1) -> Page[Contact]: ...

    async def list_blacklist(
        self, sender_id: str | None = None, *, page: int = 1
    ) -> Page[BlacklistEntry]: ...
