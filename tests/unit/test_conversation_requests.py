"""Conversation builders: every documented filter on the wire, bad input refused before I/O."""

from __future__ import annotations

import datetime as dt

import pytest

from whats91_desktop.core import conversation_requests as cr
from whats91_desktop.core.conversation_errors import explain_conversation_error
from whats91_desktop.core.conversations import ConversationQuery, MessageQuery
from whats91_desktop.core.errors import ApiError, NotFoundError, ValidationError


def test_list_carries_every_filter() -> None:
    query = ConversationQuery(
        search="pay",
        status="active",
        unread_only=True,
        archived=False,
        last_direction="inbound",
        mobile_number="918888888888",
        date_from=dt.date(2026, 6, 1),
        date_to=dt.date(2026, 6, 5),
        sort_by="unread_count",
        sort_order="ASC",
    )
    request = cr.list_request(query, "919999999999", page=2, limit=200)
    assert request.path == "/reports/conversations"
    assert dict(request.query) == {
        "senderId": "919999999999",
        "search": "pay",
        "status": "active",
        "unreadOnly": "true",
        "archived": "false",
        "lastDirection": "inbound",
        "mobileNumber": "918888888888",
        "dateFrom": "2026-06-01",
        "dateTo": "2026-06-05",
        "sortBy": "unread_count",
        "sortOrder": "ASC",
        "page": "2",
        "limit": "200",
    }


def test_page_size_over_200_is_refused() -> None:
    with pytest.raises(ValidationError, match="limit"):
        cr.list_request(limit=201)


def test_dates_the_wrong_way_round_are_refused() -> None:
    query = ConversationQuery(date_from=dt.date(2026, 6, 5), date_to=dt.date(2026, 6, 1))
    with pytest.raises(ValidationError, match="dateFrom"):
        cr.summary_request(query)


@pytest.mark.parametrize("bad", ["abc", "12a", "", "١٢"])
def test_conversation_id_must_be_numeric(bad: str) -> None:
    with pytest.raises(ValidationError, match="conversationId"):
        cr.conversation_request(bad)


def test_messages_route_and_filters() -> None:
    request = cr.messages_request(194977, MessageQuery(direction="inbound", status="failed"))
    assert request.path == "/reports/conversations/194977/messages"
    assert request.query["direction"] == "inbound"


def test_by_mobile_keeps_digits_only() -> None:
    assert cr.by_mobile_request("+91 88888 88888").path == "/reports/conversations/by-mobile/918888888888"


def test_not_found_is_explained() -> None:
    err = NotFoundError(
        "Conversation not found", code="CONVERSATION_NOT_FOUND", http_status=404, request_id="r1"
    )
    text = explain_conversation_error(err)
    assert "No conversation with that id" in text
    assert "requestId r1" in text


@pytest.mark.parametrize(
    ("code", "status", "words"),
    [
        ("MISSING_AUTH_TOKEN", 401, "No API token"),
        ("INVALID_AUTH_TOKEN", 401, "token was refused"),
        ("SENDER_NOT_ALLOWED", 403, "another sender"),
        ("FEATURE_NOT_AVAILABLE", 403, "plan does not include"),
        ("WHATSAPP_SETUP_INCOMPLETE", 400, "no usable sender"),
        ("VALIDATION_FAILED", 400, "refused the filters"),
    ],
)
def test_every_documented_code_is_explained(code: str, status: int, words: str) -> None:
    err = ApiError("server words", code=code, http_status=status)
    text = explain_conversation_error(err)
    assert words in text
    assert "server words" in text
