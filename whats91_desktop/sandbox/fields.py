"""Field look-up and validation for the sandbox's send and report routes.

Each check raises :class:`Fail` with the documented error code (or ``VALIDATION_FAILED``) and a
message that names the field; ``details.field`` carries its dotted path (``buttons[1].title``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from whats91_desktop.sandbox.constants import ALLOWED_UPLOAD_EXTENSIONS, MAX_UPLOAD_BYTES
from whats91_desktop.sandbox.parsing import FilePart
from whats91_desktop.sandbox.state import digits

MAX_TEXT_LENGTH = 4096  # Meta's limit; Whats91 documents none
MAX_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_BUTTON_ID = 256
MAX_LIST_ROWS = 10
MAX_PAGE_LIMIT = 200
DEFAULT_PAGE_LIMIT = 50

TO_ALIASES = ("to", "receiverId", "receiver_id", "receiver")
TEXT_ALIASES = ("text", "messageText", "message_text", "body", "message")
TOKEN_FIELDS = ("authToken", "auth_token", "token")
CHAT_MEDIA_URL = ("mediaUrl", "media_url")
SEND_MEDIA_URL = ("mediaUrl", "media_url", "mediaurl")
MEDIA_ID = ("mediaId", "media_id")
MEDIA_FILE = ("mediaFile", "media_file", "uploadFile", "upload_file")
TEMPLATE_NAME = ("templateName", "template_name")
BUTTON_PARAMETERS = ("buttonParameters", "button_parameters")
MEDIA_TYPES = ("image", "video", "audio", "document")
BUTTON_TYPES = ("interactive", "button", "buttons")
LIST_TYPES = ("list", "interactive_list")
META_TYPES = (
    "text", "image", "video", "audio", "document", "sticker",
    "location", "contacts", "template", "interactive", "reaction",
)  # fmt: skip

_PHONE = re.compile(r"^\d{8,15}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Fail(Exception):
    """An API error; rendered in the envelope of the route's family."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = dict(details) if details is not None else None
        self.headers = dict(headers or {})


def invalid(message: str, **details: Any) -> Fail:
    return Fail(400, "VALIDATION_FAILED", message, details or None)


def first(fields: Mapping[str, Any], names: tuple[str, ...]) -> Any:
    """The first alias present with a non-empty value (None when none is)."""
    for name in names:
        value = fields.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        return value
    return None


def first_string(fields: Mapping[str, Any], names: tuple[str, ...], label: str) -> str | None:
    value = first(fields, names)
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise invalid(f"{label} must be a string", field=label)
    return value.strip()


def phone(value: Any, label: str) -> str:
    number = digits(value)
    if not _PHONE.match(number):
        raise invalid(f"{label} must be a phone number in international format (8 to 15 digits)", field=label)
    return number


def recipient(fields: Mapping[str, Any], aliases: tuple[str, ...]) -> str:
    value = first(fields, aliases)
    if value is None:
        raise invalid("to is required (or receiverId, receiver_id, receiver)", field="to")
    return phone(value, "to")


def required_text(fields: Mapping[str, Any]) -> str:
    value = first(fields, TEXT_ALIASES)
    if value is None:
        raise Fail(
            400, "MISSING_TEXT", "Text message requires text (or messageText, message_text, body, message)"
        )
    if not isinstance(value, str):
        raise invalid("text must be a string", field="text")
    if len(value) > MAX_TEXT_LENGTH:
        raise invalid(f"text must be at most {MAX_TEXT_LENGTH} characters", field="text", max=MAX_TEXT_LENGTH)
    return value


def has_media_input(fields: Mapping[str, Any], files: Mapping[str, FilePart]) -> bool:
    return first(fields, CHAT_MEDIA_URL + MEDIA_ID + MEDIA_FILE) is not None or any(
        name in files for name in MEDIA_FILE
    )


def chat_kind(fields: Mapping[str, Any], files: Mapping[str, FilePart]) -> tuple[str, str]:
    """(kind, type): kind is text, media, buttons or list."""
    raw = fields.get("type")
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if fields.get("buttons") is not None:
            return "buttons", "buttons"
        if fields.get("sections") is not None or isinstance(fields.get("list"), dict):
            return "list", "list"
        if has_media_input(fields, files):
            raise invalid(
                "type is required for media messages: image, video, audio or document", field="type"
            )
        return "text", "text"
    kind = raw.strip().lower() if isinstance(raw, str) else ""
    if kind == "text":
        return "text", "text"
    if kind in MEDIA_TYPES:
        return "media", kind
    if kind in BUTTON_TYPES:
        if fields.get("buttons") is None and fields.get("sections") is not None:
            return "list", kind
        return "buttons", kind
    if kind in LIST_TYPES:
        return "list", kind
    raise Fail(
        400,
        "UNSUPPORTED_CHAT_MESSAGE_TYPE",
        f"Unsupported chat message type: {raw}",
        {"type": raw, "supportedTypes": ["text", *MEDIA_TYPES, *BUTTON_TYPES, *LIST_TYPES]},
    )


def reported_type(chat_type: str) -> str:
    if chat_type in BUTTON_TYPES or chat_type in LIST_TYPES:
        return "interactive"
    return chat_type


def check_file(part: FilePart) -> dict[str, Any]:
    if part.size > MAX_UPLOAD_BYTES:
        raise invalid(
            f"{part.field_name} is {part.size} bytes; uploads are limited to 16 MB "
            f"({MAX_UPLOAD_BYTES} bytes)",
            field=part.field_name,
            maxBytes=MAX_UPLOAD_BYTES,
            size=part.size,
        )
    if part.extension not in ALLOWED_UPLOAD_EXTENSIONS:
        shown = f".{part.extension}" if part.extension else "without an extension"
        raise invalid(
            f"File type {shown} is not allowed for {part.field_name}; "
            f"allowed: {', '.join(ALLOWED_UPLOAD_EXTENSIONS)}",
            field=part.field_name,
            filename=part.filename,
            allowedExtensions=list(ALLOWED_UPLOAD_EXTENSIONS),
        )
    return {
        "filename": part.filename,
        "contentType": part.content_type,
        "size": part.size,
        "sha256": part.sha256,
    }


def media_source(
    fields: Mapping[str, Any],
    files: Mapping[str, FilePart],
    url_aliases: tuple[str, ...],
    id_aliases: tuple[str, ...],
) -> dict[str, Any] | None:
    """The validated media input (file, URL or id, in that order), or None when there is none."""
    part = next((files[name] for name in MEDIA_FILE if name in files), None)
    if part is not None:
        return {"file": check_file(part)}
    if first(fields, MEDIA_FILE) is not None:
        raise invalid("mediaFile must be uploaded as a multipart/form-data file", field="mediaFile")
    url = first_string(fields, url_aliases, "mediaUrl")
    if url:
        if not re.match(r"^https?://[^\s/]+", url, re.IGNORECASE):
            raise invalid("mediaUrl must be an http(s) URL", field="mediaUrl")
        return {"url": url}
    media_id = first_string(fields, id_aliases, "mediaId") if id_aliases else None
    if media_id:
        return {"id": media_id}
    return None


def chat_media(fields: Mapping[str, Any], files: Mapping[str, FilePart], media_kind: str) -> dict[str, Any]:
    media = media_source(fields, files, CHAT_MEDIA_URL, MEDIA_ID)
    if media is None:
        raise Fail(
            400,
            "MISSING_MEDIA",
            f"A {media_kind} message requires mediaUrl, mediaId or mediaFile",
            {"type": media_kind, "acceptedInputs": ["mediaUrl", "mediaId", "mediaFile"]},
        )
    payload: dict[str, Any] = {"media": media}
    for key in ("caption", "filename"):
        value = fields.get(key)
        if value is not None and not isinstance(value, str):
            raise invalid(f"{key} must be a string", field=key)
        if value:
            payload[key] = value
    return payload


def chat_buttons(fields: Mapping[str, Any]) -> dict[str, Any]:
    text = required_text(fields)
    buttons = fields.get("buttons")
    if not isinstance(buttons, list) or not buttons:
        raise invalid("buttons must be a non-empty array of {id, title}", field="buttons")
    if len(buttons) > MAX_BUTTONS:
        raise invalid(
            f"At most {MAX_BUTTONS} buttons are allowed, got {len(buttons)}",
            field="buttons",
            max=MAX_BUTTONS,
            received=len(buttons),
        )
    cleaned: list[dict[str, str]] = []
    for index, raw in enumerate(buttons):
        button = raw.get("reply") if isinstance(raw, dict) and isinstance(raw.get("reply"), dict) else raw
        where = f"buttons[{index}]"
        if not isinstance(button, dict):
            raise invalid(f"{where} must be an object with id and title", field=where)
        button_id, title = button.get("id"), button.get("title")
        if not isinstance(button_id, str) or not button_id.strip():
            raise invalid(f"{where}.id is required", field=f"{where}.id")
        if len(button_id) > MAX_BUTTON_ID:
            raise invalid(
                f"{where}.id must be at most {MAX_BUTTON_ID} characters",
                field=f"{where}.id",
                max=MAX_BUTTON_ID,
            )
        if not isinstance(title, str) or not title.strip():
            raise invalid(f"{where}.title is required", field=f"{where}.title")
        if len(title) > MAX_BUTTON_TITLE:
            raise invalid(
                f"{where}.title must be at most {MAX_BUTTON_TITLE} characters",
                field=f"{where}.title",
                max=MAX_BUTTON_TITLE,
            )
        if any(b["id"] == button_id for b in cleaned):
            raise invalid(f"{where}.id duplicates another button id", field=f"{where}.id")
        cleaned.append({"id": button_id, "title": title})
    return {"text": text, "buttons": cleaned}


def chat_list(fields: Mapping[str, Any]) -> dict[str, Any]:
    raw_nested = fields.get("list")
    nested: dict[str, Any] = raw_nested if isinstance(raw_nested, dict) else {}
    source: dict[str, Any] = {**nested, **{k: v for k, v in fields.items() if k != "list"}}
    text = required_text(source)
    button_text = first(source, ("buttonText", "button_text"))
    if not isinstance(button_text, str) or not button_text.strip():
        raise invalid("buttonText is required for a list message", field="buttonText")
    sections = source.get("sections")
    if not isinstance(sections, list) or not sections:
        raise invalid("sections must be a non-empty array", field="sections")
    total = 0
    seen: set[str] = set()
    for s_index, section in enumerate(sections):
        where = f"sections[{s_index}]"
        rows = section.get("rows") if isinstance(section, dict) else None
        if not isinstance(rows, list) or not rows:
            raise invalid(f"{where}.rows must be a non-empty array", field=f"{where}.rows")
        for r_index, row in enumerate(rows):
            row_where = f"{where}.rows[{r_index}]"
            if not isinstance(row, dict):
                raise invalid(f"{row_where} must be an object with id and title", field=row_where)
            for key in ("id", "title"):
                value = row.get(key)
                if not isinstance(value, str) or not value.strip():
                    raise invalid(f"{row_where}.{key} is required", field=f"{row_where}.{key}")
            if row["id"] in seen:
                raise invalid(f"{row_where}.id duplicates another row id", field=f"{row_where}.id")
            seen.add(row["id"])
        total += len(rows)
    if total > MAX_LIST_ROWS:
        raise invalid(
            f"A list message can have at most {MAX_LIST_ROWS} rows in total, got {total}",
            field="sections",
            max=MAX_LIST_ROWS,
            received=total,
        )
    payload: dict[str, Any] = {"text": text, "buttonText": button_text, "sections": sections}
    for key in ("headerText", "footerText"):
        if isinstance(source.get(key), str):
            payload[key] = source[key]
    return payload


def string_list(fields: Mapping[str, Any], aliases: tuple[str, ...], label: str) -> list[str]:
    value = next((fields[name] for name in aliases if fields.get(name) is not None), None)
    if value is None:
        return []
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list):
        raise invalid(f"{label} must be an array of strings", field=label)
    result: list[str] = []
    for index, item in enumerate(value):
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise invalid(f"{label}[{index}] must be a string", field=f"{label}[{index}]")
        text = str(item)
        if not text.strip():
            raise invalid(f"{label}[{index}] must not be empty", field=f"{label}[{index}]")
        result.append(text)
    return result


def page_and_limit(query: Mapping[str, str]) -> tuple[int, int]:
    values = []
    for key, default, high in (("page", 1, None), ("limit", DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT)):
        raw = query.get(key, "").strip()
        if not raw:
            values.append(default)
            continue
        if not raw.isdigit() or int(raw) < 1 or (high is not None and int(raw) > high):
            bound = f"between 1 and {high}" if high else "a positive integer"
            raise invalid(f"{key} must be {bound}", field=key)
        values.append(int(raw))
    return values[0], values[1]


def pagination_json(page: int, limit: int, total: int, count: int) -> dict[str, Any]:
    """The documented ``pagination`` object of every paged list."""
    return {
        "page": page,
        "limit": limit,
        "total": total,
        "totalPages": (total + limit - 1) // limit,
        "count": count,
        "hasMore": page * limit < total,
    }


def query_date(query: Mapping[str, str], key: str) -> dt.date | None:
    raw = query.get(key, "").strip()
    if not raw:
        return None
    try:
        if not _DATE.match(raw):
            raise ValueError(raw)
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise invalid(f"{key} must be a date in YYYY-MM-DD format", field=key) from None
