"""What one message of a thread says, as plain text: its body, placeholders, ticks and failure.

Kept apart from the widgets so the words are tested without drawing. Media and interactive
messages are labelled placeholders ("[Image · prescription.jpg] My prescription"): the pane
never downloads what a customer sent. Our messages carry WhatsApp's ticks with the status in
words beside them (a tick alone is a shape a screen reader cannot say). A failed message says
why with the same hints as the message log (``core.meta_errors.hint_for``).
"""

from __future__ import annotations

import re

from whats91_desktop.core.conversations import ThreadMessage
from whats91_desktop.core.meta_errors import hint_for
from whats91_desktop.ui.i18n import tr

_MEDIA = {
    "image": "Image",
    "video": "Video",
    "audio": "Audio",
    "voice": "Voice message",
    "document": "Document",
    "sticker": "Sticker",
}
_INTERACTIVE = {
    "interactive": "Buttons",
    "button": "Button reply",
    "list": "List",
    "list_reply": "List reply",
    "location": "Location",
    "contacts": "Contact card",
    "reaction": "Reaction",
}
_TICKS = {
    "pending": "🕓 pending",
    "queued": "🕓 queued",
    "accepted": "✓ accepted",
    "sent": "✓ sent",
    "delivered": "✓✓ delivered",
    "read": "✓✓ read",
    "failed": "⚠ failed",
}
_LEADING_CODE = re.compile(r"^\s*\(?#?(\d{3,6})\)?\s*[:\-–]?\s*")


def body_text(message: ThreadMessage) -> str:
    """The text shown in the bubble: a media or interactive message's placeholder, then its words."""
    kind = message.message_type
    label = _MEDIA.get(kind) if message.media_url or kind in _MEDIA else None
    if label is not None:
        name = f" · {message.media_filename}" if message.media_filename else ""
        return f"[{label}{name}]" + (f" {message.text}" if message.text else "")
    if kind in _INTERACTIVE or message.interactive:
        label = _INTERACTIVE.get(kind, "Interactive")
        return f"[{label}]" + (f" {message.text}" if message.text else "")
    if kind == "template":
        return message.text or "[Template]"
    return message.text if message.text else f"[{kind or 'message'}]"


def ticks(message: ThreadMessage) -> str:
    """Our message's ticks and status in words; nothing for the contact's own."""
    if message.direction != "outbound" or not message.status:
        return ""
    return _TICKS.get(message.status, message.status)


def failure_text(message: ThreadMessage) -> str | None:
    """Why a failed message failed, with the log's hint for its code ("131047: …. Send a template…")."""
    if message.status != "failed" and not message.error_message:
        return None
    error = (message.error_message or "").strip()
    match = _LEADING_CODE.match(error)
    hint = hint_for(match.group(1)) if match else None
    reason = error or tr("no reason given")
    return tr("Not delivered: %1.").replace("%1", reason) + (f" {hint}" if hint else "")
