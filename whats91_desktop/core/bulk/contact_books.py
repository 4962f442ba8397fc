"""Contact books (§2.9) and the message blacklist (§2.8): models, request builders, parsers.

Both are read-only here: a bulk job reads a book's contacts as its audience and the sender's
ACTIVE blacklist entries to skip the numbers Whats91 would block anyway. Parsers read
defensively, like ``core.responses``: unknown fields are ignored and a missing list is a
``ServerError`` that keeps the raw answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from whats91_desktop.core.envelope import Envelope
from whats91_desktop.core.envelope import as_text as _text
from whats91_desktop.core.errors import ApiError, ForbiddenError, ServerError
from whats91_desktop.core.requests import ReadRequest

PAGE_LIMIT = 100
T = TypeVar("T")
SCOPE_EXPLANATION = (
    "Contact books belong to the whole account, so Whats91 only shows them to a global token. "
    "This profile's token is limited to one number: create a token with the global scope in the "
    "dashboard (Developer → API Tokens) to use contact books, or use a CSV file instead."
)


@dataclass(frozen=True)
class ContactBook:
    uid: str
    name: str
    description: str | None = None
    status: str | None = None
    contact_count: int | None = None


@dataclass(frozen=True)
class Contact:
    uid: str | None
    phone: str
    phone_e164: str | None = None
    display_name: str | None = None
    email: str | None = None
    company_name: str | None = None
    status: str | None = None
    custom_fields: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    has_more: bool


def books_request(*, page: int = 1, limit: int = PAGE_LIMIT, status: str | None = "ACTIVE") -> ReadRequest:
    return _read("/contact-books", {"page": page, "limit": limit, "status": status})


def contacts_request(book_uid: str, *, page: int = 1, limit: int = PAGE_LIMIT) -> ReadRequest:
    from urllib.parse import quote

    return _read(f"/contact-books/{quote(book_uid, safe='')}/contacts", {"page": page, "limit": limit})


def blacklist_request(
    sender_id: str | None, *, page: int = 1, limit: int = PAGE_LIMIT, status: str = "ACTIVE"
) -> ReadRequest:
    return _read(
        "/message-blacklist", {"senderId": sender_id, "status": status, "page": page, "limit": limit}
    )


def _read(path: str, params: Mapping[str, str | int | None]) -> ReadRequest:
    return ReadRequest(path, {k: str(v) for k, v in params.items() if v is not None and v != ""})


def parse_books(envelope: Envelope) -> Page[ContactBook]:
    items = _list(envelope, "contactBooks", "the contact books answer has no contactBooks list")
    books = []
    for item in items:
        uid = _text(item.get("contactBookUid")) or _text(item.get("uid"))
        if uid:
            count = item.get("contactCount")
            books.append(
                ContactBook(
                    uid=uid,
                    name=_text(item.get("name")) or uid,
                    description=_text(item.get("description")),
                    status=_text(item.get("status")),
                    contact_count=count if isinstance(count, int) and not isinstance(count, bool) else None,
                )
            )
    return Page(tuple(books), _has_more(envelope))


def parse_contacts(envelope: Envelope) -> Page[Contact]:
    items = _list(envelope, "contacts", "the contacts answer has no contacts list")
    contacts = []
    for item in items:
        phone = _text(item.get("phone")) or _text(item.get("phoneE164"))
        if not phone:
            continue
        raw_custom = item.get("customFields")
        custom = (
            {str(k): _cell(v) for k, v in raw_custom.items() if isinstance(k, str)}
            if isinstance(raw_custom, Mapping)
            else {}
        )
        contacts.append(
            Contact(
                uid=_text(item.get("contactUid")) or _text(item.get("uid")),
                phone=phone,
                phone_e164=_text(item.get("phoneE164")),
                display_name=_text(item.get("displayName")),
                email=_text(item.get("email")),
                company_name=_text(item.get("companyName")),
                status=_text(item.get("status")),
                custom_fields=custom,
            )
        )
    return Page(tuple(contacts), _has_more(envelope))


@dataclass(frozen=True)
class BlacklistEntry:
    phone: str
    """The normalised number (digits), as ``normalizedPhone`` gives it."""
    status: str | None
    reason: str | None


def parse_blacklist(envelope: Envelope) -> Page[BlacklistEntry]:
    items = _list(envelope, "blacklistEntries", "the blacklist answer has no blacklistEntries list")
    entries = []
    for item in items:
        phone = _text(item.get("normalizedPhone")) or _text(item.get("displayPhone"))
        digits = "".join(ch for ch in phone or "" if ch.isdigit())
        if digits:
            entries.append(BlacklistEntry(digits, _text(item.get("status")), _text(item.get("reason"))))
    return Page(tuple(entries), _has_more(envelope))


def explain_scope(err: ApiError) -> ApiError:
    """``TOKEN_SCOPE_NOT_ALLOWED`` in plain words (other errors unchanged)."""
    if err.code != "TOKEN_SCOPE_NOT_ALLOWED":
        return err
    return ForbiddenError(
        SCOPE_EXPLANATION, code=err.code, http_status=err.http_status, request_id=err.request_id
    )


def _list(envelope: Envelope, key: str, problem: str) -> list[Mapping[str, Any]]:
    items = envelope.data.get(key)
    if not isinstance(items, list):
        items = envelope.data.get("items")
    if not isinstance(items, list):
        raise ServerError(
            problem,
            http_status=envelope.http_status,
            request_id=envelope.request_id,
            raw_response=envelope.raw_text,
        )
    return [item for item in items if isinstance(item, Mapping)]


def _has_more(envelope: Envelope) -> bool:
    pagination = envelope.data.get("pagination")
    return isinstance(pagination, Mapping) and pagination.get("hasMore") is True


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
