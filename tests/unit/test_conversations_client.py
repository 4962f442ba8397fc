"""``Whats91Client``'s Conversations calls (§2.6) against the sandbox: every route and error."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import pytest

from tests.helpers.sandbox_fixtures import FakeClock
from whats91_desktop.core.client import Whats91Client
from whats91_desktop.core.conversation_errors import explain_conversation_error
from whats91_desktop.core.conversations import ConversationQuery, MessageQuery
from whats91_desktop.core.errors import ApiError, AuthError, ForbiddenError, NotFoundError
from whats91_desktop.core.models import TextMessage
from whats91_desktop.core.service_window import window_from_list, window_from_thread, window_text
from whats91_desktop.sandbox.app import create_app
from whats91_desktop.sandbox.constants import (
    REPLIES_RECIPIENT,
    SANDBOX_BASE_URL,
    SANDBOX_EXPIRED_TOKEN,
    SANDBOX_SCOPED_TOKEN,
    SANDBOX_TOKEN,
)
from whats91_desktop.sandbox.state import SandboxState
from whats91_desktop.sandbox.transport import sandbox_transport

T = TypeVar("T")


def with_client(
    go: Callable[[Whats91Client, FakeClock], Coroutine[Any, Any, T]], *, token: str = SANDBOX_TOKEN
) -> T:
    clock = FakeClock()

    async def run() -> T:
        state = SandboxState(seed=3, clock=clock)
        client = Whats91Client(
            SANDBOX_BASE_URL,
            token,
            transport=sandbox_transport(create_app(state)),
            sleep=lambda _s: asyncio.sleep(0),
        )
        try:
            return await go(client, clock)
        finally:
            await client.aclose()

    return asyncio.run(run())


def _now(clock: FakeClock) -> dt.datetime:
    return dt.datetime.fromtimestamp(clock(), tz=dt.UTC)


def test_seeded_inbox_shows_each_window_state() -> None:
    async def go(client: Whats91Client, clock: FakeClock) -> dict[str, str]:
        page = await client.list_conversations()
        texts = {}
        for row in page.conversations:
            thread = await client.conversation_messages(row.conversation_id, limit=200)
            texts[row.contact_phone] = (
                window_text(window_from_list(row, _now(clock)), _now(clock)),
                window_text(window_from_thread(thread.messages, _now(clock)), _now(clock)),
            )
        return texts

    texts = with_client(go)
    assert texts["918000000101"] == ("open · 20 h left", "open · 20 h left")
    assert texts["918000000102"] == ("unknown", "closes in 10 min")
    assert texts["918000000103"] == ("unknown", "closed 3 h ago")


def test_filters_summary_and_pagination() -> None:
    async def go(client: Whats91Client, _clock: FakeClock) -> tuple[Any, ...]:
        unread = await client.list_conversations(ConversationQuery(unread_only=True))
        search = await client.list_conversations(ConversationQuery(search="priya"))
        first = await client.list_conversations(limit=2)
        summary = await client.conversation_summary()
        outbound = await client.list_conversations(ConversationQuery(last_direction="outbound"))
        return unread, search, first, summary, outbound

    unread, search, first, summary, outbound = with_client(go)
    assert [(c.contact_phone, c.unread_count) for c in unread.conversations] == [("918000000104", 3)]
    assert [c.contact_name for c in search.conversations] == ["Priya Nair"]
    assert len(first.conversations) == 2
    assert first.pagination.has_more is True
    assert (summary.total, summary.unread) == (5, 1)
    assert {c.contact_phone for c in outbound.conversations} == {"918000000102", "918000000103"}


def test_media_and_button_reply_in_a_thread() -> None:
    async def go(client: Whats91Client, _clock: FakeClock) -> Any:
        [row] = (await client.conversations_by_mobile("918000000105")).conversations
        return await client.conversation_messages(row.conversation_id, MessageQuery(direction="inbound"))

    page = with_client(go)
    kinds = {m.message_type: m for m in page.messages}
    assert kinds["image"].media_filename == "prescription.jpg"
    assert kinds["image"].text == "My prescription"
    assert kinds["button"].interactive is True


def test_our_own_traffic_and_the_simulated_reply() -> None:
    async def go(client: Whats91Client, clock: FakeClock) -> tuple[Any, Any]:
        await client.send(TextMessage(to=REPLIES_RECIPIENT, text="Your order shipped"))
        [row] = (await client.conversations_by_mobile(REPLIES_RECIPIENT)).conversations
        before = await client.conversation_messages(row.conversation_id)
        clock.advance(120)
        after = await client.conversation_messages(row.conversation_id, MessageQuery(sort_order="ASC"))
        return before, after

    before, after = with_client(go)
    assert [m.direction for m in before.messages] == ["outbound"]
    assert [(m.direction, m.text) for m in after.messages] == [
        ("outbound", "Your order shipped"),
        ("inbound", "Thanks, got it!"),
    ]


def test_one_conversation_and_not_found() -> None:
    async def go(client: Whats91Client, _clock: FakeClock) -> tuple[Any, NotFoundError]:
        row = (await client.list_conversations()).conversations[0]
        one = await client.get_conversation(row.conversation_id)
        with pytest.raises(NotFoundError) as caught:
            await client.get_conversation(1)
        return (one, row), caught.value

    (one, row), err = with_client(go)
    assert one == row
    assert err.code == "CONVERSATION_NOT_FOUND"
    assert "No conversation with that id" in explain_conversation_error(err)


def test_unsupported_sort_is_validation_failed() -> None:
    async def go(client: Whats91Client, _clock: FakeClock) -> ApiError:
        with pytest.raises(ApiError) as caught:
            await client.list_conversations(ConversationQuery(sort_by="bogus"))  # type: ignore[arg-type]
        return caught.value

    err = with_client(go)
    assert err.code == "VALIDATION_FAILED"
    assert err.http_status == 400


def test_refused_token_and_foreign_sender() -> None:
    async def expired(client: Whats91Client, _clock: FakeClock) -> None:
        await client.list_conversations()

    async def foreign(client: Whats91Client, _clock: FakeClock) -> None:
        await client.list_conversations(sender_id="919999999998")

    with pytest.raises(AuthError):
        with_client(expired, token=SANDBOX_EXPIRED_TOKEN)
    with pytest.raises(ForbiddenError) as caught:
        with_client(foreign, token=SANDBOX_SCOPED_TOKEN)
    assert "another sender" in explain_conversation_error(caught.value)
