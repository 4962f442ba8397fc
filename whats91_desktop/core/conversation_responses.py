"""What the Conversations routes answered, as the models of ``core/conversations.py``.

Read defensively, like ``webhook_responses.py``: a row without its key (a conversation
without a numeric id, a contact without a phone) is skipped in a list and a ``ServerError`` for
a single answer, which keeps the raw text for the user. Timestamps are read as UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from whats91_desktop.core.conversations import (
    Conversation,
    ConversationPage,
    ConversationSummary,
    Direction,
    Pagination,
    ThreadMessage,
    ThreadPage,
)
from whats91_desktop.core.envelope import Envelope, as_text
from whats91_desktop.core.errors import ServerError
from whats91_desktop.core.webhook_responses import _whole


def parse_conversation_page(envelope: Envelope, *, page: int, limit: int) -> ConversationPage:
    """The list and ``by-mobile``: ``data.conversations`` and ``data.pagination``."""
    rows = envelope.data.get("conversations")
    if not isinstance(rows, list):
        raise _unreadable(envelope, "the answer has no conversations list")
    found = tuple(c for c in (parse_conversation_object(row) for row in rows) if c is not None)
    return ConversationPage(
        found,
        _pagination(envelope.data.get("pagination"), page, limit, len(rows)),
        as_text(envelope.data.get("senderId")),
        envelope.request_id,
    )


def parse_conversation(envelope: Envelope) -> Conversation:
    conversation = parse_conversation_object(envelope.data.get("conversation", envelope.data))
    if conversation is None:
        raise _unreadable(envelope, "the answer has no conversation with a numeric conversationId")
    return conversation


def parse_summary(envelope: Envelope) -> ConversationSummary:
    raw = envelope.data.get("summary")
    if not isinstance(raw, Mapping):
        raise _unreadable(envelope, "the answer has no summary")
    return ConversationSummary(
        total=_count(raw.get("totalConversations")),
        unread=_count(raw.get("unreadConversations")),
        archived=_count(raw.get("archivedConversations")),
        active=_count(raw.get("activeConversations")),
        inbound_last=_count(raw.get("inboundLastCount")),
        outbound_last=_count(raw.get("outboundLastCount")),
        request_id=envelope.request_id,
    )


def parse_thread_page(envelope: Envelope, conversation_id: int, *, page: int, limit: int) -> ThreadPage:
    rows = envelope.data.get("messages")
    if not isinstance(rows, list):
        raise _unreadable(envelope, "the answer has no messages list")
    messages = tuple(m for m in (parse_message_object(row) for row in rows) if m is not None)
    return ThreadPage(
        _whole(envelope.data.get("conversationId")) or conversation_id,
        messages,
        _pagination(envelope.data.get("pagination"), page, limit, len(rows)),
        envelope.request_id,
    )


def parse_conversation_object(obj: Any) -> Conversation | None:
    if not isinstance(obj, Mapping):
        return None
    conversation_id = _whole(obj.get("conversationId"))
    phone = as_text(obj.get("contactPhone"))
    if conversation_id is None or phone is None:
        return None
    labels = obj.get("labels")
    return Conversation(
        conversation_id=conversation_id,
        contact_phone=phone,
        contact_name=as_text(obj.get("contactName")),
        last_message_id=as_text(obj.get("lastMessageId")),
        last_message_content=as_text(obj.get("lastMessageContent")),
        last_message_type=as_text(obj.get("lastMessageType")),
        last_message_at=parse_utc(obj.get("lastMessageAt")),
        last_message_direction=_direction(obj.get("lastMessageDirection")),
        unread_count=_count(obj.get("unreadCount")),
        total_messages=_whole(obj.get("totalMessages")),
        status=as_text(obj.get("status")),
        is_archived=obj.get("isArchived") is True,
        is_blocked=obj.get("isBlocked") is True,
        labels=tuple(
            name
            for name in (as_text(lb.get("labelName")) for lb in labels if isinstance(lb, Mapping))
            if name is not None
        )
        if isinstance(labels, list)
        else (),
        sender_phone_number=as_text(obj.get("senderPhoneNumber")),
        phone_number_id=as_text(obj.get("phoneNumberId")),
    )


def parse_message_object(obj: Any) -> ThreadMessage | None:
    if not isinstance(obj, Mapping):
        return None
    kind = as_text(obj.get("messageType")) or "text"
    return ThreadMessage(
        message_id=as_text(obj.get("messageId")),
        direction=_direction(obj.get("direction")),
        message_type=kind,
        text=as_text(obj.get("messageContent")) or as_text(obj.get("mediaCaption")),
        status=as_text(obj.get("status")),
        timestamp=parse_utc(obj.get("timestamp")),
        from_phone=as_text(obj.get("fromPhone")),
        to_phone=as_text(obj.get("toPhone")),
        media_url=as_text(obj.get("mediaUrl")),
        media_mime_type=as_text(obj.get("mediaMimeType")),
        media_filename=as_text(obj.get("mediaFilename")),
        error_message=as_text(obj.get("errorMessage")),
        interactive=bool(obj.get("interactiveData")),
    )


def parse_utc(value: Any) -> dt.datetime | None:
    """An ISO-8601 time as aware UTC; one without an offset is taken as UTC (the server's)."""
    text = as_text(value)
    if text is None:
        return None
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def _direction(value: Any) -> Direction | None:
    text = (as_text(value) or "").lower()
    if text == "inbound":
        return "inbound"
    if text == "outbound":
        return "outbound"
    return None


def _pagination(raw: Any, page: int, limit: int, count: int) -> Pagination:
    if not isinstance(raw, Mapping):
        return Pagination(page, limit, None, False)
    return Pagination(
        _whole(raw.get("page")) or page,
        _whole(raw.get("limit")) or limit,
        _whole(raw.get("total")),
        raw.get("hasMore") is True,
    )


def _count(value: Any) -> int:
    return max(_whole(value) or 0, 0)


def _unreadable(envelope: Envelope, what: str) -> ServerError:
    return ServerError(
        what, http_status=envelope.http_status, request_id=envelope.request_id, raw_response=envelope.raw_text
    )
