"""What one webhook delivery says (reference §4.2), read from its raw body without trusting it.

Envelope: ``{event, webhookUid, senderId, data}``. Three families are understood: message
statuses (``message.status.*``), inbound messages (``message.inbound.*``) and template reviews
(``template.status_update``). Anything else is *unknown*: shown and counted by the receiver,
never applied. A body that is not a JSON object, or names no event, is *invalid*, with the
reason in ``problem``.

The documented samples are loose (the failed status has no ``timestamp``, its error code is a
string), so every field is optional here; the receiver fills the gaps it must (a time).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, TypeAlias

from whats91_desktop.core.envelope import as_text

DeliveryKind: TypeAlias = Literal["status", "inbound", "template", "unknown", "invalid"]

STATUS_PREFIX = "message.status."
INBOUND_PREFIX = "message.inbound."
TEMPLATE_EVENT = "template.status_update"


@dataclass(frozen=True)
class Delivery:
    """The readable part of a delivery. ``data`` is the payload's ``data`` object as sent."""

    kind: DeliveryKind
    event: str | None = None
    webhook_uid: str | None = None
    sender_id: str | None = None
    message_id: str | None = None
    status: str | None = None
    contact: str | None = None
    """The other party: ``recipient`` of a status, ``from`` of an inbound message."""
    timestamp: str | None = None
    text: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    template_name: str | None = None
    template_language: str | None = None
    template_category: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    problem: str | None = None

    @property
    def inbound_type(self) -> str | None:
        """``text`` for ``message.inbound.text`` (image, button_reply … by the same pattern)."""
        if self.event and self.event.startswith(INBOUND_PREFIX):
            return self.event[len(INBOUND_PREFIX) :] or None
        return None


def iso_time(timestamp: float) -> str:
    """``2026-06-05T10:31:00.000Z``: the time format of the payloads (UTC, milliseconds)."""
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def parse_delivery(body: bytes) -> Delivery:
    """Read a delivery body. Never raises: what cannot be read is an ``invalid`` delivery."""
    try:
        payload = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        return Delivery("invalid", problem="the body is not UTF-8 text")
    except (ValueError, RecursionError):
        return Delivery("invalid", problem="the body is not JSON")
    if not isinstance(payload, dict):
        return Delivery("invalid", problem="the body is JSON but not an object")
    event = as_text(payload.get("event"))
    raw_data = payload.get("data")
    data: Mapping[str, Any] = raw_data if isinstance(raw_data, dict) else {}
    common: dict[str, Any] = {
        "event": event,
        "webhook_uid": as_text(payload.get("webhookUid")),
        "sender_id": as_text(payload.get("senderId")),
        "data": data,
        "timestamp": as_text(data.get("timestamp")),
        "message_id": as_text(data.get("messageId")) or as_text(data.get("message_id")),
    }
    if event is None:
        return Delivery("invalid", problem="the body names no event", **common)
    if event.startswith(STATUS_PREFIX):
        code, message = _error(data.get("error"))
        status = as_text(data.get("status")) or event[len(STATUS_PREFIX) :]
        return Delivery(
            "status",
            status=status.lower() if status else None,
            contact=as_text(data.get("recipient")),
            error_code=code,
            error_message=message,
            problem=None if common["message_id"] else "the status names no messageId",
            **common,
        )
    if event.startswith(INBOUND_PREFIX):
        return Delivery(
            "inbound",
            contact=as_text(data.get("from")),
            text=_inbound_text(data),
            problem=None if as_text(data.get("from")) else "the inbound message names no sender (from)",
            **common,
        )
    if event == TEMPLATE_EVENT:
        return Delivery(
            "template",
            status=as_text(data.get("status")),
            template_name=as_text(data.get("templateName")),
            template_language=as_text(data.get("language")),
            template_category=as_text(data.get("category")),
            **common,
        )
    return Delivery("unknown", problem=f"unknown event {event}", **common)


def _error(value: Any) -> tuple[str | None, str | None]:
    if isinstance(value, dict):
        return as_text(value.get("code")), as_text(value.get("message")) or as_text(value.get("title"))
    return None, as_text(value)


def _inbound_text(data: Mapping[str, Any]) -> str | None:
    """The text of an inbound message: ``text`` (or ``text.body``), else a caption or a title."""
    text = data.get("text")
    if isinstance(text, dict):
        text = text.get("body")
    for candidate in (text, data.get("caption"), data.get("title"), data.get("body")):
        value = as_text(candidate)
        if value is not None:
            return value
    return None
