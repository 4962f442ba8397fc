"""The bodies Whats91 POSTs to a webhook destination (reference §4.2), and how they are signed.

One source for every sender of sample deliveries: the sandbox's own dispatcher, and the
desktop's "Send test event" / ``webhooks trigger``, which must send exactly what Whats91
would. The shapes follow the documented samples to the letter, quirks included: the failed
status has no ``timestamp`` and its error code is a string.

The signature (§4.3) is the lowercase hex HMAC-SHA256 of the body bytes with the signing
secret; there is no timestamp and no ``sha256=`` prefix.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

SIGNATURE_HEADER = "X-Whats91-Signature"

SAMPLE_EVENTS: tuple[str, ...] = (
    "message.inbound.text",
    "message.status.delivered",
    "message.status.failed",
    "template.status_update",
)
"""The events the reference shows a sample of."""

SAMPLE_WEBHOOK_UID = "wh_abc"
SAMPLE_SENDER = "916268662275"
SAMPLE_CONTACT = "919888888888"
SAMPLE_MESSAGE_ID = "wamid.HBgMOTE5ODg4ODg4ODg4FQIAERgSQzVGNkQ3RTNBMjlCNjg0RjQA"
SAMPLE_TIMESTAMP = "2026-06-05T10:31:00.000Z"
SAMPLE_FAILURE = ("131026", "Message undeliverable")


def envelope(event: str, webhook_uid: str, sender_id: str, data: Mapping[str, Any]) -> dict[str, Any]:
    return {"event": event, "webhookUid": webhook_uid, "senderId": sender_id, "data": dict(data)}


def status_payload(
    status: str,
    *,
    webhook_uid: str,
    sender_id: str,
    message_id: str,
    recipient: str,
    timestamp: str | None,
    error: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """``message.status.<status>``; a failed one carries ``error`` and, as documented, no time."""
    data: dict[str, Any] = {"messageId": message_id, "recipient": recipient, "status": status}
    if status == "failed":
        code, message = error or SAMPLE_FAILURE
        data["error"] = {"code": code, "message": message}
    elif timestamp is not None:
        data["timestamp"] = timestamp
    return envelope(f"message.status.{status}", webhook_uid, sender_id, data)


def inbound_text_payload(
    *, webhook_uid: str, sender_id: str, contact: str, message_id: str, text: str, timestamp: str
) -> dict[str, Any]:
    data = {"from": contact, "messageId": message_id, "text": text, "timestamp": timestamp}
    return envelope("message.inbound.text", webhook_uid, sender_id, data)


def template_payload(
    *,
    webhook_uid: str,
    sender_id: str,
    name: str,
    status: str,
    category: str = "UTILITY",
    language: str = "en",
) -> dict[str, Any]:
    data = {"templateName": name, "category": category, "language": language, "status": status}
    return envelope("template.status_update", webhook_uid, sender_id, data)


def sample_payload(
    event: str,
    *,
    webhook_uid: str = SAMPLE_WEBHOOK_UID,
    sender_id: str = SAMPLE_SENDER,
    message_id: str | None = None,
    contact: str | None = None,
    timestamp: str = SAMPLE_TIMESTAMP,
) -> dict[str, Any]:
    """The reference's sample of ``event``, or a status event of the same shape for any
    ``message.status.<status>`` (a message id from the log makes it match a real row).

    ``ValueError`` for an event with no documented shape.
    """
    contact = contact or SAMPLE_CONTACT
    if event.startswith("message.status.") and len(event) > len("message.status."):
        return status_payload(
            event.removeprefix("message.status."),
            webhook_uid=webhook_uid,
            sender_id=sender_id,
            message_id=message_id or SAMPLE_MESSAGE_ID,
            recipient=contact,
            timestamp=timestamp,
        )
    if event == "message.inbound.text":
        return inbound_text_payload(
            webhook_uid=webhook_uid,
            sender_id=sender_id,
            contact=contact,
            message_id=message_id or SAMPLE_MESSAGE_ID,
            text="I need help with my order",
            timestamp=timestamp,
        )
    if event == "template.status_update":
        return template_payload(
            webhook_uid=webhook_uid, sender_id=sender_id, name="payment_reminder_v1", status="APPROVED"
        )
    raise ValueError(
        f"no sample for {event!r}: use one of {', '.join(SAMPLE_EVENTS)} or message.status.<status>"
    )


def encode(payload: Mapping[str, Any]) -> bytes:
    """The body bytes as sent (compact UTF-8 JSON); the signature is computed over exactly these."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sign(body: bytes, secret: str) -> str:
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
