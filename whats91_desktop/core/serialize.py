"""Outgoing messages to and from plain JSON, so the log can keep what was composed.

The log stores this next to the redacted request so that "Send again" and "Copy as
curl" can rebuild the exact message later. It never contains a token: messages have none.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, assert_never

from whats91_desktop.core.models import (
    Button,
    ButtonsMessage,
    ListMessage,
    ListRow,
    ListSection,
    MediaMessage,
    MetaMessage,
    OutgoingMessage,
    TemplateMessage,
    TextMessage,
)


def message_to_dict(message: OutgoingMessage) -> dict[str, Any]:
    """A JSON-safe dict with a ``kind`` key; paths become strings."""
    body: dict[str, Any]
    match message:
        case TextMessage():
            body = {"to": message.to, "text": message.text}
        case MediaMessage():
            body = {
                "to": message.to,
                "media_type": message.media_type,
                "url": message.url,
                "media_id": message.media_id,
                "file_path": str(message.file_path) if message.file_path else None,
                "caption": message.caption,
                "filename": message.filename,
            }
        case ButtonsMessage():
            body = {
                "to": message.to,
                "text": message.text,
                "buttons": [{"id": b.id, "title": b.title} for b in message.buttons],
            }
        case ListMessage():
            body = {
                "to": message.to,
                "text": message.text,
                "button_text": message.button_text,
                "header_text": message.header_text,
                "footer_text": message.footer_text,
                "sections": [
                    {
                        "title": s.title,
                        "rows": [
                            {"id": r.id, "title": r.title, "description": r.description} for r in s.rows
                        ],
                    }
                    for s in message.sections
                ],
            }
        case TemplateMessage():
            body = {
                "to": message.to,
                "template_name": message.template_name,
                "parameters": list(message.parameters),
                "button_parameters": list(message.button_parameters),
                "media_url": message.media_url,
                "media_file": str(message.media_file) if message.media_file else None,
            }
        case MetaMessage():
            body = {"payload": dict(message.payload), "phone_number_id": message.phone_number_id}
        case _:
            assert_never(message)
    return {"kind": message.kind, "sender_id": message.sender_id, **body}


def message_from_dict(data: dict[str, Any]) -> OutgoingMessage:
    """Inverse of :func:`message_to_dict`; raises ``ValueError`` on an unknown kind."""
    kind = data.get("kind")
    sender = data.get("sender_id")
    if kind == "text":
        return TextMessage(to=data["to"], text=data["text"], sender_id=sender)
    if kind == "media":
        return MediaMessage(
            to=data["to"],
            media_type=data["media_type"],
            url=data.get("url"),
            media_id=data.get("media_id"),
            file_path=Path(data["file_path"]) if data.get("file_path") else None,
            caption=data.get("caption"),
            filename=data.get("filename"),
            sender_id=sender,
        )
    if kind == "buttons":
        return ButtonsMessage(
            to=data["to"],
            text=data["text"],
            buttons=tuple(Button(id=b["id"], title=b["title"]) for b in data.get("buttons", [])),
            sender_id=sender,
        )
    if kind == "list":
        return ListMessage(
            to=data["to"],
            text=data["text"],
            button_text=data["button_text"],
            header_text=data.get("header_text"),
            footer_text=data.get("footer_text"),
            sections=tuple(
                ListSection(
                    title=s.get("title", ""),
                    rows=tuple(
                        ListRow(id=r["id"], title=r["title"], description=r.get("description"))
                        for r in s.get("rows", [])
                    ),
                )
                for s in data.get("sections", [])
            ),
            sender_id=sender,
        )
    if kind == "template":
        return TemplateMessage(
            to=data["to"],
            template_name=data["template_name"],
            parameters=tuple(data.get("parameters", [])),
            button_parameters=tuple(data.get("button_parameters", [])),
            media_url=data.get("media_url"),
            media_file=Path(data["media_file"]) if data.get("media_file") else None,
            sender_id=sender,
        )
    if kind == "meta":
        return MetaMessage(
            payload=dict(data["payload"]), phone_number_id=data.get("phone_number_id"), sender_id=sender
        )
    raise ValueError(f"unknown message kind: {kind!r}")


def message_to_json(message: OutgoingMessage) -> str:
    return json.dumps(message_to_dict(message), ensure_ascii=False, sort_keys=True)


def message_from_json(text: str) -> OutgoingMessage:
    return message_from_dict(json.loads(text))
