"""``whats91-desktop conversations`` and ``thread``: the inbox and one contact's thread (§2.6).

Both print the 24-hour window beside the messages: from the list alone it is known only when
the last message is inbound (``open: null`` otherwise), from a thread always. ``now`` is this
computer's clock; the window is shown to the minute, so a few seconds of skew do not matter.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any, TextIO

from whats91_desktop.cli import EXIT_OK, open_connection
from whats91_desktop.cli import _add_connection_flags as add_connection_flags
from whats91_desktop.cli import _emit as emit
from whats91_desktop.cli import _error_exit as error_exit
from whats91_desktop.core.conversation_errors import explain_conversation_error
from whats91_desktop.core.conversations import ConversationQuery
from whats91_desktop.core.errors import ApiError, ValidationError
from whats91_desktop.core.models import Problem
from whats91_desktop.core.phone import InvalidNumber, normalize_number
from whats91_desktop.core.service_window import (
    ServiceWindow,
    window_from_list,
    window_from_thread,
    window_text,
)
from whats91_desktop.services.conversations import read_conversations, thread_with


def add_parsers(sub: argparse._SubParsersAction[Any]) -> None:
    listing = sub.add_parser("conversations", help="the inbox, with each contact's 24-hour window")
    add_connection_flags(listing)
    listing.add_argument("--sender", metavar="ID")
    listing.add_argument("--search", metavar="TEXT", help="name, phone or last message")
    listing.add_argument("--unread", action="store_true", help="only conversations with unread messages")
    thread = sub.add_parser("thread", help="one contact's messages, oldest first, and the window")
    thread.add_argument("number", metavar="NUMBER", help="the contact, written like any recipient")
    add_connection_flags(thread)
    thread.add_argument("--sender", metavar="ID")


def _utc(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if moment else None


def _window_json(window: ServiceWindow) -> dict[str, Any]:
    return {"open": window.open, "closesAt": _utc(window.closes_at)}


def _local(moment: dt.datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else "-"


async def cmd_conversations(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    query = ConversationQuery(search=args.search or None, unread_only=True if args.unread else None)
    try:
        async with open_connection(args, err) as conn:
            rows = await read_conversations(conn.client, query, args.sender)
    except ApiError as error:
        return _refused(error, args, err)
    now = dt.datetime.now(dt.UTC)
    if args.json:
        listed = [
            {
                "contactPhone": c.contact_phone,
                "contactName": c.contact_name,
                "lastMessageAt": _utc(c.last_message_at),
                "lastMessageDirection": c.last_message_direction,
                "unreadCount": c.unread_count,
                "window": _window_json(window_from_list(c, now)),
            }
            for c in rows
        ]
        emit(out, {"conversations": listed})
        return EXIT_OK
    for c in rows:
        window = window_text(window_from_list(c, now), now)
        unread = f"{c.unread_count} unread" if c.unread_count else ""
        name = c.contact_name or "-"
        out.write(f"{c.contact_phone:<15} {name:<20} {_local(c.last_message_at):<17} {unread:<10} {window}\n")
    return EXIT_OK


async def cmd_thread(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        async with open_connection(args, err) as conn:
            number = normalize_number(args.number, conn.region).digits
            thread = await thread_with(conn.client, number, args.sender)
    except InvalidNumber as invalid:
        raise ValidationError([Problem("NUMBER", str(invalid))]) from None
    except ApiError as error:
        return _refused(error, args, err)
    now = dt.datetime.now(dt.UTC)
    window = window_from_thread(thread.messages, now)
    if args.json:
        messages = [
            {
                "messageId": m.message_id,
                "direction": m.direction,
                "type": m.message_type,
                "text": m.text,
                "status": m.status,
                "timestamp": _utc(m.timestamp),
            }
            for m in thread.messages
        ]
        emit(
            out,
            {
                "contactPhone": thread.conversation.contact_phone,
                "window": _window_json(window),
                "messages": messages,
            },
        )
        return EXIT_OK
    name = thread.conversation.contact_name
    who = thread.conversation.contact_phone + (f" ({name})" if name else "")
    out.write(f"{who} · window {window_text(window, now)}\n")
    for m in thread.messages:
        arrow = "<" if m.direction == "inbound" else ">"
        status = f" [{m.status}]" if m.direction == "outbound" and m.status else ""
        out.write(f"{_local(m.timestamp)} {arrow} {m.text or f'({m.message_type})'}{status}\n")
    return EXIT_OK


COMMANDS = {"conversations": cmd_conversations, "thread": cmd_thread}


def _refused(error: ApiError, args: argparse.Namespace, err: TextIO) -> int:
    """The API's refusal explained; ``--json`` keeps the shared error object (main prints it)."""
    if args.json:
        raise error
    err.write(f"error: {explain_conversation_error(error)}\n")
    return error_exit(error)
