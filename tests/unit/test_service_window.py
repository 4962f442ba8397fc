"""The 24-hour window at its edges: open strictly under 24 h after the latest inbound message."""

from __future__ import annotations

import datetime as dt

import pytest

from whats91_desktop.core.conversations import Conversation, ThreadMessage
from whats91_desktop.core.service_window import (
    UNKNOWN,
    ServiceWindow,
    server_now,
    window_after,
    window_from_list,
    window_from_thread,
    window_text,
)

NOW = dt.datetime(2026, 6, 5, 12, 0, tzinfo=dt.UTC)


def _message(direction: str, ago: dt.timedelta) -> ThreadMessage:
    return ThreadMessage("wamid.x", direction, "text", "hi", "read", NOW - ago)  # type: ignore[arg-type]


def _row(direction: str | None, ago: dt.timedelta) -> Conversation:
    return Conversation(
        conversation_id=1,
        contact_phone="918888888888",
        contact_name=None,
        last_message_id=None,
        last_message_content="hi",
        last_message_type="text",
        last_message_at=NOW - ago,
        last_message_direction=direction,  # type: ignore[arg-type]
        unread_count=0,
        total_messages=1,
        status="active",
        is_archived=False,
        is_blocked=False,
        labels=(),
    )


def test_open_at_23_h_59_min() -> None:
    window = window_after(NOW - dt.timedelta(hours=23, minutes=59), NOW)
    assert window == ServiceWindow(True, NOW + dt.timedelta(minutes=1))


def test_closed_at_exactly_24_h() -> None:
    window = window_after(NOW - dt.timedelta(hours=24), NOW)
    assert window == ServiceWindow(False, NOW)


def test_no_inbound_message_is_closed_without_a_time() -> None:
    window = window_from_thread([_message("outbound", dt.timedelta(minutes=5))], NOW)
    assert window == ServiceWindow(False, None)


def test_latest_inbound_decides_whatever_came_after() -> None:
    thread = [
        _message("inbound", dt.timedelta(hours=30)),
        _message("inbound", dt.timedelta(hours=2)),
        _message("outbound", dt.timedelta(minutes=1)),
    ]
    assert window_from_thread(thread, NOW).closes_at == NOW + dt.timedelta(hours=22)


def test_list_row_ending_outbound_is_unknown_never_closed() -> None:
    assert window_from_list(_row("outbound", dt.timedelta(hours=30)), NOW) == UNKNOWN


def test_list_row_ending_inbound_is_known() -> None:
    assert window_from_list(_row("inbound", dt.timedelta(hours=1)), NOW).open is True


@pytest.mark.parametrize(
    ("window", "text"),
    [
        (ServiceWindow(True, NOW + dt.timedelta(hours=5, minutes=12, seconds=40)), "open · 5 h 12 min left"),
        (ServiceWindow(True, NOW + dt.timedelta(minutes=9, seconds=59)), "closes in 9 min"),
        (ServiceWindow(False, NOW - dt.timedelta(hours=3, minutes=20)), "closed 3 h ago"),
        (ServiceWindow(False, NOW - dt.timedelta(days=3)), "closed 3 d ago"),
        (ServiceWindow(False, None), "closed"),
        (UNKNOWN, "unknown"),
    ],
)
def test_window_text(window: ServiceWindow, text: str) -> None:
    assert window_text(window, NOW) == text


def test_now_is_never_earlier_than_the_newest_server_time() -> None:
    behind = NOW - dt.timedelta(minutes=3)
    assert server_now(behind, [None, NOW - dt.timedelta(hours=1), NOW]) == NOW
    assert server_now(NOW, [NOW - dt.timedelta(hours=1), None]) == NOW
    assert server_now(NOW, []) == NOW


def test_a_window_judged_later_closes_once_its_time_has_come() -> None:
    window = window_after(NOW - dt.timedelta(hours=23, minutes=50), NOW)
    assert window.open is True
    later = window.at(NOW + dt.timedelta(minutes=10))
    assert later == ServiceWindow(False, window.closes_at)
    assert UNKNOWN.at(NOW) is UNKNOWN
