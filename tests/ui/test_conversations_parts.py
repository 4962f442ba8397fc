"""The Conversations room's parts on their own: bubble words, the list's filters and windows,
the backoff, the compose guard's wording, and the thread model growing by rows."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt

from whats91_desktop.core.conversations import Conversation, ThreadMessage
from whats91_desktop.core.models import MetaMessage, TemplateMessage, TextMessage
from whats91_desktop.core.service_window import ServiceWindow
from whats91_desktop.ui.compose.window_guard import closed_question, is_free_form
from whats91_desktop.ui.conversations.backoff import Backoff
from whats91_desktop.ui.conversations.bubbles import body_text, failure_text, ticks
from whats91_desktop.ui.conversations.list_model import ConversationListModel, InboxFilter
from whats91_desktop.ui.conversations.thread_view import ThreadModel
from whats91_desktop.ui.conversations.window_badge import WindowState, state_of

NOW = dt.datetime(2026, 6, 5, 12, 0, tzinfo=dt.UTC)


def message(
    direction: str = "inbound", kind: str = "text", text: str | None = "hi", **extra: Any
) -> ThreadMessage:
    return ThreadMessage("wamid.1", direction, kind, text, extra.pop("status", "read"), NOW, **extra)  # type: ignore[arg-type]


def conversation(phone: str, **extra: Any) -> Conversation:
    values: dict[str, Any] = {
        "conversation_id": 1,
        "contact_phone": phone,
        "contact_name": "Asha Verma",
        "last_message_id": None,
        "last_message_content": "Is my order shipped yet?",
        "last_message_type": "text",
        "last_message_at": NOW - dt.timedelta(hours=4),
        "last_message_direction": "inbound",
        "unread_count": 0,
        "total_messages": 2,
        "status": "active",
        "is_archived": False,
        "is_blocked": False,
        "labels": (),
    }
    values.update(extra)
    return Conversation(**values)


@pytest.mark.parametrize(
    ("msg", "text"),
    [
        (
            message(kind="image", text="My prescription", media_url="u", media_filename="rx.jpg"),
            "[Image · rx.jpg] My prescription",
        ),
        (message(kind="document", text=None, media_url="u"), "[Document]"),
        (message(kind="button", text="Yes", interactive=True), "[Button reply] Yes"),
        (message(kind="location", text=None), "[Location]"),
        (message(kind="text", text="<b>bold</b>"), "<b>bold</b>"),
        (message(kind="unsupported", text=None), "[unsupported]"),
    ],
)
def test_bubbles_label_media_and_interactive_messages(msg: ThreadMessage, text: str) -> None:
    assert body_text(msg) == text


def test_ticks_are_for_our_messages_and_say_the_status() -> None:
    assert ticks(message("outbound", status="delivered")) == "✓✓ delivered"
    assert ticks(message("inbound", status="read")) == ""


def test_a_failure_gets_the_logs_hint_for_its_code() -> None:
    failed = message("outbound", status="failed", error_message="(#131026) Message undeliverable")
    text = failure_text(failed)
    assert text is not None
    assert text.startswith("Not delivered: (#131026) Message undeliverable. Undeliverable:")
    assert failure_text(message("outbound", status="failed")) == "Not delivered: no reason given."
    assert failure_text(message("outbound", status="read")) is None


def test_the_list_filters_by_search_unread_and_status() -> None:
    rows = [
        conversation("918000000101"),
        conversation("918000000104", contact_name="Karan Shah", unread_count=3),
        conversation("918000000109", contact_name=None, is_archived=True, status="closed"),
    ]
    model = ConversationListModel()
    model.set_conversations(rows, NOW)
    model.set_filter(InboxFilter(search="KARAN"))
    assert [c.contact_phone for c in model.conversations()] == ["918000000104"]
    model.set_filter(InboxFilter(search="+91 80000 00109"))
    assert [c.contact_phone for c in model.conversations()] == ["918000000109"]
    model.set_filter(InboxFilter(unread_only=True))
    assert [c.contact_phone for c in model.conversations()] == ["918000000104"]
    model.set_filter(InboxFilter(status="archived"))
    assert [c.contact_phone for c in model.conversations()] == ["918000000109"]
    model.set_filter(InboxFilter(status="closed"))
    assert [c.contact_phone for c in model.conversations()] == ["918000000109"]


def test_a_thread_read_replaces_the_lists_unknown_window() -> None:
    ours_last = conversation("918000000102", last_message_direction="outbound")
    model = ConversationListModel()
    model.set_conversations([ours_last], NOW)
    assert "window unknown" in model.index(0).data()
    model.set_known_windows({"918000000102": ServiceWindow(False, NOW - dt.timedelta(hours=3))})
    assert "window closed 3 h ago" in model.index(0).data()
    assert "window closed 3 h ago" in model.index(0).data(Qt.ItemDataRole.AccessibleTextRole)


def test_window_states_for_the_icon() -> None:
    assert state_of(ServiceWindow(True, NOW + dt.timedelta(hours=5)), NOW) is WindowState.OPEN
    assert state_of(ServiceWindow(True, NOW + dt.timedelta(minutes=9)), NOW) is WindowState.CLOSING
    assert state_of(ServiceWindow(False, NOW - dt.timedelta(hours=3)), NOW) is WindowState.CLOSED
    assert state_of(ServiceWindow(None, None), NOW) is WindowState.UNKNOWN


def test_the_backoff_doubles_while_nothing_changes_and_drops_back_on_a_change() -> None:
    backoff = Backoff(first=5, longest=30)
    assert [backoff.after_read(changed=False) for _ in range(4)] == [10, 20, 30, 30]
    assert backoff.after_read(changed=True) == 5
    backoff.after_read(changed=False)
    assert backoff.reset() == 5


def test_the_compose_question_and_which_messages_are_free_form() -> None:
    closed = ServiceWindow(False, NOW - dt.timedelta(hours=3))
    assert closed_question(closed, NOW) == (
        "The 24-hour window closed 3 h ago; free-form messages will fail (131047). Send a template instead?"
    )
    assert is_free_form(TextMessage("918000000103", "hi"))
    assert not is_free_form(TemplateMessage("918000000103", "order_update"))
    assert not is_free_form(MetaMessage({"to": "918000000103", "type": "template"}))
    assert is_free_form(MetaMessage({"to": "918000000103", "type": "text"}))


def test_the_thread_model_grows_by_inserted_rows(qtbot: Any) -> None:
    model = ThreadModel()
    first = [message(text="one"), dataclasses.replace(message(text="two"), message_id="wamid.2")]
    assert model.set_messages(first, NOW)
    with qtbot.waitSignal(model.rowsInserted, timeout=1000) as inserted:
        assert model.set_messages(
            [*first, dataclasses.replace(message(text="three"), message_id="wamid.3")], NOW
        )
    assert inserted.args[1:] == [2, 2]
    assert not model.set_messages(model.messages, NOW)
