"""The sandbox's contact books (§2.9) and message blacklist (§2.8), in the documented shapes.

Seeded: the book ``grp_customers`` ("Customers", :data:`CUSTOMER_COUNT` contacts, more than
one page, each with ``customFields`` ``city`` and ``order``) and ``grp_vip`` ("VIP", three
contacts, one of them the blacklisted scenario number). The blacklist of every sender holds
the blacklisted scenario number and :data:`BLACKLISTED_EXTRA` as ACTIVE entries, and one
INACTIVE entry that must not count. Tests add books and entries with :meth:`add_book` and
:meth:`blacklist`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from whats91_desktop.sandbox.constants import BLACKLISTED_RECIPIENT
from whats91_desktop.sandbox.fields import Fail, page_and_limit, pagination_json
from whats91_desktop.sandbox.state import digits, iso

if TYPE_CHECKING:
    from whats91_desktop.sandbox.state import SandboxSender, SandboxState, SandboxToken

CUSTOMER_COUNT = 120
BLACKLISTED_EXTRA = "918888000003"
INACTIVE_ENTRY = "918888000004"


@dataclass
class SandboxContact:
    phone: str
    display_name: str
    custom_fields: dict[str, str] = field(default_factory=dict)
    email: str | None = None
    company_name: str | None = None


@dataclass
class SandboxBook:
    uid: str
    name: str
    contacts: list[SandboxContact]
    description: str = ""
    status: str = "ACTIVE"


@dataclass
class BlacklistRow:
    phone: str
    reason: str
    status: str = "ACTIVE"


class SandboxContactBooks:
    def __init__(self, state: SandboxState) -> None:
        self._state = state
        self.created_at = iso(state.now())
        customers = [
            SandboxContact(
                phone=f"9198765{index:05d}",
                display_name=f"Customer {index}",
                custom_fields={"city": ("Pune", "Delhi", "Chennai")[index % 3], "order": f"A-{1000 + index}"},
                email=f"customer{index}@example.com",
            )
            for index in range(1, CUSTOMER_COUNT + 1)
        ]
        vip = [
            SandboxContact("918888888888", "Asha", {"tier": "gold"}, company_name="Asha Traders"),
            SandboxContact(BLACKLISTED_RECIPIENT, "Blocked Bob", {"tier": "silver"}),
            SandboxContact("918888800001", "Ravi", {"tier": "gold"}),
        ]
        self.books: list[SandboxBook] = [
            SandboxBook("grp_customers", "Customers", customers, "Everyone who ordered"),
            SandboxBook("grp_vip", "VIP", vip, "Gold and silver tiers"),
        ]
        self.entries: list[BlacklistRow] = [
            BlacklistRow(BLACKLISTED_RECIPIENT, "Asked to stop"),
            BlacklistRow(BLACKLISTED_EXTRA, "Complaint"),
            BlacklistRow(INACTIVE_ENTRY, "Resolved", status="INACTIVE"),
        ]

    def add_book(self, uid: str, name: str, contacts: list[SandboxContact]) -> SandboxBook:
        book = SandboxBook(uid, name, contacts)
        self.books.append(book)
        return book

    def blacklist(self, phone: str, reason: str = "", status: str = "ACTIVE") -> None:
        self.entries.append(BlacklistRow(digits(phone), reason, status))

    # ------------------------------------------------------------------ answers

    @staticmethod
    def check_scope(token: SandboxToken) -> None:
        if token.scope != "global":
            raise Fail(
                403,
                "TOKEN_SCOPE_NOT_ALLOWED",
                "This endpoint requires a global API token; number-scoped tokens are not allowed",
            )

    def books_json(self, query: Mapping[str, str]) -> dict[str, Any]:
        page, limit = page_and_limit(query)
        status = query.get("status", "").upper()
        books = [b for b in self.books if not status or b.status == status]
        chosen = books[(page - 1) * limit : page * limit]
        items = [self._book_json(b) for b in chosen]
        return {
            "contactBooks": items,
            "items": items,
            "pagination": pagination_json(page, limit, len(books), len(items)),
        }

    def contacts_json(self, uid: str, query: Mapping[str, str]) -> dict[str, Any]:
        book = next((b for b in self.books if b.uid == uid), None)
        if book is None:
            raise Fail(404, "CONTACT_BOOK_NOT_FOUND", f"Contact book {uid} not found")
        page, limit = page_and_limit(query)
        search = query.get("search", "").lower()
        found = [c for c in book.contacts if not search or search in (c.display_name + c.phone).lower()]
        chosen = found[(page - 1) * limit : page * limit]
        items = [
            self._contact_json(book, c, index) for index, c in enumerate(chosen, start=(page - 1) * limit)
        ]
        return {
            "contactBook": self._book_json(book),
            "contacts": items,
            "items": items,
            "pagination": pagination_json(page, limit, len(found), len(items)),
        }

    def blacklist_json(self, sender: SandboxSender, query: Mapping[str, str]) -> dict[str, Any]:
        page, limit = page_and_limit(query)
        status = (query.get("status") or "ACTIVE").upper()
        if status not in ("ACTIVE", "INACTIVE", "ALL"):
            raise Fail(400, "VALIDATION_FAILED", "status must be ACTIVE, INACTIVE, or ALL")
        rows = [e for e in self.entries if status == "ALL" or e.status == status]
        chosen = rows[(page - 1) * limit : page * limit]
        items = [
            self._entry_json(sender, e, index) for index, e in enumerate(chosen, start=(page - 1) * limit)
        ]
        return {
            "senderId": sender.sender_id,
            "phoneNumberId": sender.phone_number_id,
            "wabaId": sender.waba_id,
            "blacklistEntries": items,
            "items": items,
            "pagination": pagination_json(page, limit, len(rows), len(items)),
        }

    def _book_json(self, book: SandboxBook) -> dict[str, Any]:
        return {
            "contactBookUid": book.uid,
            "uid": book.uid,
            "name": book.name,
            "description": book.description,
            "color": "#25D366",
            "status": book.status,
            "contactCount": len(book.contacts),
            "createdAt": self.created_at,
            "updatedAt": self.created_at,
        }

    def _contact_json(self, book: SandboxBook, contact: SandboxContact, index: int) -> dict[str, Any]:
        uid = f"ct_{book.uid}_{index}"
        return {
            "contactUid": uid,
            "uid": uid,
            "phone": contact.phone,
            "phoneE164": "+" + contact.phone,
            "displayName": contact.display_name,
            "email": contact.email,
            "companyName": contact.company_name,
            "status": "ACTIVE",
            "groups": [{"uid": book.uid, "name": book.name, "status": book.status}],
            "customFields": dict(contact.custom_fields),
        }

    def _entry_json(self, sender: SandboxSender, entry: BlacklistRow, index: int) -> dict[str, Any]:
        uid = f"bl_{index + 1:04d}"
        return {
            "blacklistUid": uid,
            "uid": uid,
            "phoneNumberId": sender.phone_number_id,
            "senderPhoneNumber": sender.sender_id,
            "normalizedPhone": entry.phone,
            "displayPhone": "+" + entry.phone,
            "source": "MANUAL",
            "reason": entry.reason,
            "status": entry.status,
            "createdAt": self.created_at,
            "updatedAt": self.created_at,
            "deactivatedAt": self.created_at if entry.status == "INACTIVE" else None,
        }
