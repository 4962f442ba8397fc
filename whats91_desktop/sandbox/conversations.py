"""The sandbox's conversations (reference §2.6): built from its own traffic, plus a seeded inbox.

Every message the sandbox accepted is an outbound message of its contact's conversation, with
the status its timeline has reached on the sandbox clock. The replies recipient
(``919000000011``) answers with an inbound text a few seconds after it read ours, at the same
moment its ``message.inbound.text`` webhook is owed. Five seeded contacts show each state of
the 24-hour window, relative to the clock when the conversations were first asked for: about
20 h left, closing in about 10 min, closed 3 h ago, unread inbound messages, and a thread with
media and a button reply. Everything follows from the clock, so tests move time, not tasks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from whats91_desktop.sandbox.constants import REPLIES_RECIPIENT
from whats91_desktop.sandbox.fields import Fail, invalid, page_and_limit, pagination_json, query_date
from whats91_desktop.sandbox.state import SandboxMessage, SandboxSender, digits, iso
from whats91_desktop.sandbox.webhooks import REPLY_AFTER_READ, REPLY_TEXT

if TYPE_CHECKING:
    from whats91_desktop.sandbox.state import SandboxState

FIRST_CONVERSATION_ID = 194977
HOUR = 3600.0
MINUTE = 60.0

_SORTS = {"last_message_at", "updated_at", "created_at", "total_messages", "unread_count"}
_MESSAGE_SORTS = {"timestamp", "created_at", "updated_at"}


@dataclass(frozen=True)
class Entry:
    """One message of a thread, in or out."""

    contact: str
    sender_id: str
    direction: str
    message_type: str
    text: str | None
    at: float
    message_id: str
    status: str = "read"
    unread: bool = False
    media_url: str | None = None
    media_mime_type: str | None = None
    media_filename: str | None = None
    interactive: Mapping[str, Any] | None = None
    error: str | None = None

    def to_json(self, sender_phone: str) -> dict[str, Any]:
        inbound = self.direction == "inbound"
        media = self.media_url is not None
        return {
            "messageId": self.message_id,
            "fromPhone": self.contact if inbound else sender_phone,
            "toPhone": sender_phone if inbound else self.contact,
            "direction": self.direction,
            "messageType": self.message_type,
            "messageContent": None if media else self.text,
            "mediaUrl": self.media_url,
            "mediaMimeType": self.media_mime_type,
            "mediaFilename": self.media_filename,
            "mediaCaption": self.text if media else None,
            "status": self.status,
            "isRead": not self.unread,
            "isPinned": False,
            "isStarred": False,
            "timestamp": iso(self.at),
            "errorMessage": self.error,
            "interactiveData": dict(self.interactive) if self.interactive else None,
            "locationData": None,
            "contactData": None,
        }


_NAMES = {
    "918000000101": "Asha Verma",
    "918000000102": "Rahul Mehta",
    "918000000103": "Priya Nair",
    "918000000104": "Karan Shah",
    "918000000105": "Meera Iyer",
    REPLIES_RECIPIENT: "Sandbox replies",
}


class SandboxConversations:
    """The conversations of every sender, as the routes of §2.6 answer them."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state
        self._ids: dict[tuple[str, str], int] = {}
        self.seeded: list[Entry] = _seed(state.default_sender.sender_id, state.now(), state.new_wamid)
        self._replies: dict[str, str] = {}
        for entry in self.seeded:
            self._id_for(entry.sender_id, entry.contact)

    # ------------------------------------------------------------------ threads

    def entries(self, sender_id: str) -> list[Entry]:
        """Every message of ``sender_id``'s conversations that exists by now, oldest first."""
        now = self.state.now()
        found = [e for e in self.seeded if e.sender_id == sender_id and e.at <= now]
        for message in self.state.messages:
            if message.sender_id != sender_id:
                continue
            found.append(_outbound(message, now))
            reply = self._reply_to(message, now)
            if reply is not None:
                found.append(reply)
        found.sort(key=lambda e: e.at)
        return found

    def _reply_to(self, message: SandboxMessage, now: float) -> Entry | None:
        if message.receiver != REPLIES_RECIPIENT:
            return None
        at = message.timeline()[-1].at + REPLY_AFTER_READ
        if at > now:
            return None
        wamid = self._replies.setdefault(message.wamid, self.state.new_wamid())
        return Entry(
            message.receiver, message.sender_id, "inbound", "text", REPLY_TEXT, at, wamid, unread=True
        )

    def _id_for(self, sender_id: str, contact: str) -> int:
        return self._ids.setdefault((sender_id, contact), FIRST_CONVERSATION_ID + len(self._ids))

    def conversations(self, sender: SandboxSender) -> list[dict[str, Any]]:
        by_contact: dict[str, list[Entry]] = {}
        for entry in self.entries(sender.sender_id):
            by_contact.setdefault(entry.contact, []).append(entry)
        return [self._row(sender, contact, thread) for contact, thread in by_contact.items()]

    def _row(self, sender: SandboxSender, contact: str, thread: list[Entry]) -> dict[str, Any]:
        last = thread[-1]
        return {
            "conversationId": self._id_for(sender.sender_id, contact),
            "contactPhone": contact,
            "contactName": _NAMES.get(contact),
            "senderPhoneNumber": sender.sender_id,
            "phoneNumberId": sender.phone_number_id,
            "lastMessageId": last.message_id,
            "lastMessageContent": last.text,
            "lastMessageType": last.message_type,
            "lastMessageAt": iso(last.at),
            "lastMessageDirection": last.direction,
            "unreadCount": sum(1 for e in thread if e.unread),
            "totalMessages": len(thread),
            "isArchived": False,
            "isPinned": False,
            "isMuted": False,
            "isBlocked": False,
            "status": "active",
            "labels": [{"uid": "lbl_support", "labelName": "Support"}]
            if any(e.unread for e in thread)
            else [],
            "createdAt": iso(thread[0].at),
            "updatedAt": iso(last.at),
        }

    # ------------------------------------------------------------------ the routes' data

    def list_json(self, sender: SandboxSender, query: Mapping[str, str]) -> dict[str, Any]:
        page, limit = page_and_limit(query)
        chunk, pagination = _paged(self._filtered(self.conversations(sender), query), page, limit)
        return {
            "senderId": sender.sender_id,
            "phoneNumberId": sender.phone_number_id,
            "conversations": chunk,
            "pagination": pagination,
        }

    def summary_json(self, sender: SandboxSender, query: Mapping[str, str]) -> dict[str, Any]:
        rows = self._filtered(self.conversations(sender), query)
        summary = {
            "totalConversations": len(rows),
            "unreadConversations": sum(1 for r in rows if r["unreadCount"]),
            "archivedConversations": sum(1 for r in rows if r["isArchived"]),
            "activeConversations": sum(1 for r in rows if r["status"] == "active"),
            "inboundLastCount": sum(1 for r in rows if r["lastMessageDirection"] == "inbound"),
            "outboundLastCount": sum(1 for r in rows if r["lastMessageDirection"] == "outbound"),
        }
        return {"senderId": sender.sender_id, "summary": summary}

    def by_mobile_json(self, sender: SandboxSender, mobile: str, query: Mapping[str, str]) -> dict[str, Any]:
        number = digits(mobile)
        if not number:
            raise invalid("mobileNumber must be a phone number", field="mobileNumber")
        page, limit = page_and_limit(query)
        rows = [r for r in self._filtered(self.conversations(sender), query) if r["contactPhone"] == number]
        chunk, pagination = _paged(rows, page, limit)
        data = {"mobileNumber": number, "senderId": sender.sender_id}
        return {**data, "conversations": chunk, "pagination": pagination}

    def conversation_json(self, sender: SandboxSender, raw_id: str) -> dict[str, Any]:
        return {"conversation": self._find(sender, raw_id)}

    def messages_json(self, sender: SandboxSender, raw_id: str, query: Mapping[str, str]) -> dict[str, Any]:
        row = self._find(sender, raw_id)
        page, limit = page_and_limit(query)
        thread = [e for e in self.entries(sender.sender_id) if e.contact == row["contactPhone"]]
        for key, attribute in (
            ("direction", "direction"),
            ("messageType", "message_type"),
            ("status", "status"),
        ):
            wanted = query.get(key, "").strip().lower()
            if wanted and wanted != "all":
                thread = [e for e in thread if getattr(e, attribute) == wanted]
        search = query.get("search", "").strip().lower()
        if search:
            thread = [e for e in thread if search in (e.text or "").lower()]
        sort_by = query.get("sortBy", "timestamp")
        if sort_by not in _MESSAGE_SORTS:
            raise invalid("sortBy is not supported for conversation messages", field="sortBy")
        if _descending(query, default=True):
            thread.reverse()
        rows = [e.to_json(sender.sender_id) for e in thread]
        chunk, pagination = _paged(rows, page, limit)
        return {"conversationId": row["conversationId"], "messages": chunk, "pagination": pagination}

    def _find(self, sender: SandboxSender, raw_id: str) -> dict[str, Any]:
        if not raw_id.isascii() or not raw_id.isdigit():
            raise invalid("conversationId must be a numeric id", field="conversationId")
        wanted = int(raw_id)
        row = next((r for r in self.conversations(sender) if r["conversationId"] == wanted), None)
        if row is None:
            raise Fail(404, "CONVERSATION_NOT_FOUND", "Conversation not found", {"conversationId": wanted})
        return row

    def _filtered(self, rows: list[dict[str, Any]], query: Mapping[str, str]) -> list[dict[str, Any]]:
        date_from, date_to = query_date(query, "dateFrom"), query_date(query, "dateTo")
        if date_from and date_to and date_from > date_to:
            raise invalid("dateFrom must not be after dateTo", field="dateFrom")
        status = query.get("status", "").strip().lower()
        if status and status not in ("active", "closed", "blocked", "all"):
            raise invalid("status must be active, closed, blocked or all", field="status")
        direction = query.get("lastDirection", "").strip().lower()
        if direction and direction not in ("inbound", "outbound"):
            raise invalid("lastDirection must be inbound or outbound", field="lastDirection")
        mobile = digits(query.get("mobileNumber") or query.get("contactPhone") or "")
        search = query.get("search", "").strip().lower()
        kept = []
        for row in rows:
            day = dt.date.fromisoformat(row["lastMessageAt"][:10])
            text = " ".join(str(row[k] or "") for k in ("contactName", "contactPhone", "lastMessageContent"))
            if (
                (date_from and day < date_from)
                or (date_to and day > date_to)
                or (status and status != "all" and row["status"] != status)
                or (direction and row["lastMessageDirection"] != direction)
                or (mobile and row["contactPhone"] != mobile)
                or (search and search not in text.lower())
                or (_flag(query, "unreadOnly") and not row["unreadCount"])
                or (_flag(query, "archived") is not None and row["isArchived"] != _flag(query, "archived"))
            ):
                continue
            kept.append(row)
        sort_by = query.get("sortBy", "last_message_at")
        if sort_by not in _SORTS:
            raise invalid("sortBy is not supported for conversations", field="sortBy")
        key = {"last_message_at": "lastMessageAt", "updated_at": "updatedAt", "created_at": "createdAt"}
        kept.sort(
            key=lambda r: r[key.get(sort_by, _camel(sort_by))], reverse=_descending(query, default=True)
        )
        return kept


def _flag(query: Mapping[str, str], name: str) -> bool | None:
    raw = query.get(name, "").strip().lower()
    if not raw:
        return None
    if raw not in ("true", "false", "1", "0"):
        raise invalid(f"{name} must be true or false", field=name)
    return raw in ("true", "1")


def _descending(query: Mapping[str, str], *, default: bool) -> bool:
    order = query.get("sortOrder", "").strip().upper()
    if order and order not in ("ASC", "DESC"):
        raise invalid("sortOrder must be ASC or DESC", field="sortOrder")
    return default if not order else order == "DESC"


def _camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(part.title() for part in rest)


def _paged(rows: list[dict[str, Any]], page: int, limit: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    chunk = rows[(page - 1) * limit : page * limit]
    return chunk, pagination_json(page, limit, len(rows), len(chunk))


def _outbound(message: SandboxMessage, now: float) -> Entry:
    step = message.latest_step_at(now)
    payload = message.payload
    kind = str(payload.get("type") or message.message_type)
    body = payload.get(kind)
    text = (
        payload.get("text")
        or payload.get("caption")
        or (body.get("body") if isinstance(body, Mapping) else None)
    )
    if text is None and message.template_name:
        text = f"Template: {message.template_name}"
    error = f"{step.error_code}: {step.error_message}" if step.error_code else None
    return Entry(
        message.receiver,
        message.sender_id,
        "outbound",
        message.message_type,
        str(text) if text is not None else None,
        message.created_at,
        message.message_id_at(now) or message.report_uid,
        status=step.status,
        error=error,
    )


def _seed(sender_id: str, now: float, new_id: Any) -> list[Entry]:
    """The seeded inbox, relative to ``now``: one contact per window state worth seeing."""

    def entry(contact: str, direction: str, ago: float, text: str | None, **extra: Any) -> Entry:
        kind = extra.pop("message_type", "text")
        return Entry(contact, sender_id, direction, kind, text, now - ago, new_id(), **extra)

    return [
        # About 20 h left: the customer wrote 4 h ago.
        entry("918000000101", "outbound", 5 * HOUR, "Template: order_update", message_type="template"),
        entry("918000000101", "inbound", 4 * HOUR, "Is my order shipped yet?"),
        # Closing in about 10 min; our answer came last, so the list alone cannot tell.
        entry("918000000102", "inbound", 24 * HOUR - 10 * MINUTE, "Can you send the invoice again?"),
        entry("918000000102", "outbound", 23 * HOUR, "Sure, here it is.", status="read"),
        # Closed 3 h ago; free-form text sent after it failed with 131047.
        entry("918000000103", "inbound", 27 * HOUR, "Please call me tomorrow."),
        entry(
            "918000000103",
            "outbound",
            1 * HOUR,
            "Hi Priya, are you free now?",
            status="failed",
            error="131047: Re-engagement message",
        ),
        # Unread inbound messages.
        entry("918000000104", "inbound", 50 * MINUTE, "Hello?", unread=True),
        entry("918000000104", "inbound", 45 * MINUTE, "I was charged twice.", unread=True),
        entry("918000000104", "inbound", 40 * MINUTE, "Order #5521", unread=True),
        # Media and a button reply.
        entry(
            "918000000105",
            "outbound",
            2 * HOUR,
            "Confirm your appointment for Friday?",
            message_type="interactive",
            interactive={
                "type": "button",
                "buttons": [{"id": "yes", "title": "Yes"}, {"id": "no", "title": "No"}],
            },
        ),
        entry(
            "918000000105",
            "inbound",
            2 * HOUR - 5 * MINUTE,
            "Yes",
            message_type="button",
            interactive={"type": "button_reply", "button_reply": {"id": "yes", "title": "Yes"}},
        ),
        entry(
            "918000000105",
            "inbound",
            2 * HOUR - 7 * MINUTE,
            "My prescription",
            message_type="image",
            media_url="https://sandbox.whats91.invalid/media/prescription.jpg",
            media_mime_type="image/jpeg",
            media_filename="prescription.jpg",
        ),
    ]
