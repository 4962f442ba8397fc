"""What the Conversations family (reference §2.6) is about, as plain values: no I/O.

A conversation is one contact's thread with one sender; its messages carry a direction, which
is what the 24-hour service window (``service_window.py``) is computed from. Times are
timezone-aware UTC ``datetime`` values (the server's clock), never the local clock's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

ConversationStatus = Literal["active", "closed", "blocked", "all"]
Direction = Literal["inbound", "outbound"]
ConversationSort = Literal["last_message_at", "updated_at", "created_at", "total_messages", "unread_count"]
MessageSort = Literal["timestamp", "created_at", "updated_at"]
MessageStatusFilter = Literal["pending", "sent", "delivered", "read", "failed", "all"]
SortOrder = Literal["ASC", "DESC"]

MAX_PAGE_SIZE = 200
"""The documented ceiling of ``limit`` for every list of the family."""


@dataclass(frozen=True)
class ConversationQuery:
    """The documented filters of the list and the summary; ``None`` leaves one out."""

    search: str | None = None
    status: ConversationStatus | None = None
    unread_only: bool | None = None
    archived: bool | None = None
    last_direction: Direction | None = None
    mobile_number: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    label_uid: str | None = None
    sort_by: ConversationSort | None = None
    sort_order: SortOrder | None = None


@dataclass(frozen=True)
class MessageQuery:
    """The filters of a conversation's messages."""

    direction: Direction | None = None
    message_type: str | None = None
    status: MessageStatusFilter | None = None
    search: str | None = None
    sort_by: MessageSort | None = None
    sort_order: SortOrder | None = None


@dataclass(frozen=True)
class Pagination:
    page: int
    limit: int
    total: int | None
    has_more: bool


@dataclass(frozen=True)
class Conversation:
    conversation_id: int
    contact_phone: str
    contact_name: str | None
    last_message_id: str | None
    last_message_content: str | None
    last_message_type: str | None
    last_message_at: dt.datetime | None
    last_message_direction: Direction | None
    unread_count: int
    total_messages: int | None
    status: str | None
    is_archived: bool
    is_blocked: bool
    labels: tuple[str, ...]
    sender_phone_number: str | None = None
    phone_number_id: str | None = None


@dataclass(frozen=True)
class ConversationPage:
    conversations: tuple[Conversation, ...]
    pagination: Pagination
    sender_id: str | None
    request_id: str | None


@dataclass(frozen=True)
class ConversationSummary:
    total: int
    unread: int
    archived: int
    active: int
    inbound_last: int
    outbound_last: int
    request_id: str | None


@dataclass(frozen=True)
class ThreadMessage:
    """One message of a conversation; ``text`` is the content, or a media message's caption."""

    message_id: str | None
    direction: Direction | None
    message_type: str
    text: str | None
    status: str | None
    timestamp: dt.datetime | None
    from_phone: str | None = None
    to_phone: str | None = None
    media_url: str | None = None
    media_mime_type: str | None = None
    media_filename: str | None = None
    error_message: str | None = None
    interactive: bool = False


@dataclass(frozen=True)
class ThreadPage:
    conversation_id: int
    messages: tuple[ThreadMessage, ...]
    pagination: Pagination
    request_id: str | None
