"""What the Conversations routes are asked (reference §2.6): builders, no network.

Beside ``requests.py`` and ``webhook_requests.py``; every route is a read (``ReadRequest``).
Bad input (a non-numeric id, a page size over 200, dates the wrong way round) is a
``ValidationError`` before anything is sent.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from whats91_desktop.core.conversations import MAX_PAGE_SIZE, ConversationQuery, MessageQuery
from whats91_desktop.core.errors import ValidationError
from whats91_desktop.core.models import Problem
from whats91_desktop.core.requests import ReadRequest
from whats91_desktop.core.webhook_requests import _query as text_query

CONVERSATIONS_PATH = "/reports/conversations"


def list_request(
    query: ConversationQuery | None = None, sender_id: str | None = None, *, page: int = 1, limit: int = 50
) -> ReadRequest:
    return ReadRequest(CONVERSATIONS_PATH, _filters(query or ConversationQuery(), sender_id, page, limit))


def summary_request(query: ConversationQuery | None = None, sender_id: str | None = None) -> ReadRequest:
    params = _filters(query or ConversationQuery(), sender_id, None, None)
    return ReadRequest(f"{CONVERSATIONS_PATH}/summary", params)


def by_mobile_request(
    mobile_number: str,
    sender_id: str | None = None,
    *,
    page: int = 1,
    limit: int = 50,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> ReadRequest:
    number = "".join(ch for ch in mobile_number if ch.isdigit()) if isinstance(mobile_number, str) else ""
    if not number:
        raise ValidationError([Problem("mobileNumber", "is not a phone number")])
    query = ConversationQuery(date_from=date_from, date_to=date_to)
    return ReadRequest(f"{CONVERSATIONS_PATH}/by-mobile/{number}", _filters(query, sender_id, page, limit))


def conversation_request(conversation_id: int | str, sender_id: str | None = None) -> ReadRequest:
    return ReadRequest(_conversation_path(conversation_id), text_query({"senderId": sender_id}))


def messages_request(
    conversation_id: int | str,
    query: MessageQuery | None = None,
    sender_id: str | None = None,
    *,
    page: int = 1,
    limit: int = 50,
) -> ReadRequest:
    q = query or MessageQuery()
    _check_page(page, limit)
    params = text_query(
        {
            "senderId": sender_id,
            "direction": q.direction,
            "messageType": q.message_type,
            "status": q.status,
            "search": q.search,
            "sortBy": q.sort_by,
            "sortOrder": q.sort_order,
            "page": page,
            "limit": limit,
        }
    )
    return ReadRequest(_conversation_path(conversation_id) + "/messages", params)


def _conversation_path(conversation_id: int | str) -> str:
    """The id is numeric (§2.6): anything else is refused here rather than sent as a 404."""
    text = str(conversation_id).strip() if isinstance(conversation_id, int | str) else ""
    if isinstance(conversation_id, bool) or not text.isascii() or not text.isdigit():
        raise ValidationError([Problem("conversationId", "must be a number (the conversation's numeric id)")])
    return f"{CONVERSATIONS_PATH}/{quote(text)}"


def _check_page(page: int | None, limit: int | None) -> None:
    if page is not None and page < 1:
        raise ValidationError([Problem("page", "must be 1 or more")])
    if limit is not None and not 1 <= limit <= MAX_PAGE_SIZE:
        raise ValidationError([Problem("limit", f"must be between 1 and {MAX_PAGE_SIZE}")])


def _filters(
    q: ConversationQuery, sender_id: str | None, page: int | None, limit: int | None
) -> dict[str, str]:
    _check_page(page, limit)
    if q.date_from and q.date_to and q.date_from > q.date_to:
        raise ValidationError([Problem("dateFrom", "must not be after dateTo")])
    return text_query(
        {
            "senderId": sender_id,
            "search": q.search,
            "status": q.status,
            "unreadOnly": _flag(q.unread_only),
            "archived": _flag(q.archived),
            "lastDirection": q.last_direction,
            "mobileNumber": q.mobile_number,
            "dateFrom": q.date_from.isoformat() if q.date_from else None,
            "dateTo": q.date_to.isoformat() if q.date_to else None,
            "labelUid": q.label_uid,
            "sortBy": q.sort_by,
            "sortOrder": q.sort_order,
            "page": page,
            "limit": limit,
        }
    )


def _flag(value: bool | None) -> str | None:
    return None if value is None else ("true" if value else "false")
