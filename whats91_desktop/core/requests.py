"""What each endpoint is asked: one builder per message kind and per read, no network.

A builder turns a message (or a read's arguments) into a plain description, a path with a JSON
body, an upload or a query, and the client turns that into an ``httpx.Request`` carrying its
headers and timeouts. Builders raise ``ValidationError`` for what cannot be sent at all, before
any I/O; the bytes of an upload are read when the request is built (:func:`read_upload`), once,
so a retry resends the same bytes.

A new endpoint is a builder here, a parser in ``responses.py`` and a handler in the sandbox.
"""

from __future__ import annotations

import json
import mimetypes
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeAlias, assert_never
from urllib.parse import quote

from whats91_desktop.core.errors import ValidationError
from whats91_desktop.core.models import (
    ButtonsMessage,
    ListMessage,
    MediaMessage,
    MetaMessage,
    OutgoingMessage,
    Problem,
    TemplateMessage,
    TextMessage,
)
from whats91_desktop.core.validation import UPLOAD_MAX_BYTES, UnusableUpload, open_upload


@dataclass(frozen=True)
class JsonPost:
    """A POST with a JSON body."""

    path: str
    body: Mapping[str, Any]


@dataclass(frozen=True)
class UploadPost:
    """A multipart POST: form fields plus one file, whose read problems name ``problem_field``."""

    path: str
    fields: Mapping[str, str | list[str]]
    file_field: str
    file_path: Path
    problem_field: str


SendRequest: TypeAlias = JsonPost | UploadPost


@dataclass(frozen=True)
class ReadRequest:
    """A GET: the query holds only the parameters that were given, as text."""

    path: str
    query: Mapping[str, str]
    data_may_be_list: bool = False
    """The endpoint may answer with ``data`` as an array (the templates list)."""


# --------------------------------------------------------------------------- sends


def message_request(message: OutgoingMessage) -> SendRequest:
    """The request that sends ``message``; ``ValidationError`` for anything but a message."""
    # Callers beyond mypy's reach (a script, a test feeding odd input) must get a
    # ValidationError, not the AssertionError of assert_never below.
    if not isinstance(message, OutgoingMessage):
        raise ValidationError([Problem("kind", f"unsupported message type {type(message).__name__}")])
    match message:
        case TextMessage():
            return text_request(message)
        case MediaMessage():
            return media_request(message)
        case ButtonsMessage():
            return buttons_request(message)
        case ListMessage():
            return list_request(message)
        case TemplateMessage():
            return template_request(message)
        case MetaMessage():
            return meta_request(message)
        case _:
            assert_never(message)


def text_request(message: TextMessage) -> JsonPost:
    return JsonPost(
        "/chat", _with_sender(message.sender_id, {"to": message.to, "type": "text", "text": message.text})
    )


def media_request(message: MediaMessage) -> SendRequest:
    body = _with_sender(
        message.sender_id,
        {
            "to": message.to,
            "type": message.media_type,
            "mediaUrl": message.url,
            "mediaId": message.media_id,
            "caption": message.caption,
            "filename": message.filename,
        },
    )
    if message.file_path is not None:
        return UploadPost("/chat", _form_fields(body), "mediaFile", Path(message.file_path), "file_path")
    return JsonPost("/chat", body)


def buttons_request(message: ButtonsMessage) -> JsonPost:
    body = _with_sender(
        message.sender_id,
        {
            "to": message.to,
            "type": "buttons",
            "text": message.text,
            "buttons": [{"id": b.id, "title": b.title} for b in message.buttons],
        },
    )
    return JsonPost("/chat", body)


def list_request(message: ListMessage) -> JsonPost:
    sections = []
    for section in message.sections:
        rows = []
        for row in section.rows:
            item = {"id": row.id, "title": row.title}
            if row.description:
                item["description"] = row.description
            rows.append(item)
        sections.append({"title": section.title, "rows": rows})
    body = _with_sender(
        message.sender_id,
        {
            "to": message.to,
            "type": "list",
            "headerText": message.header_text or None,
            "text": message.text,
            "footerText": message.footer_text or None,
            "buttonText": message.button_text,
            "sections": sections,
        },
    )
    return JsonPost("/chat", body)


def template_request(message: TemplateMessage) -> SendRequest:
    parameters = [str(p) for p in message.parameters]
    button_parameters = [str(p) for p in message.button_parameters]
    if message.media_file is not None:
        fields = _form_fields(
            _with_sender(
                message.sender_id,
                {"to": message.to, "templateName": message.template_name, "mediaUrl": message.media_url},
            )
        )
        if parameters:
            fields["parameters[]"] = parameters
        if button_parameters:
            fields["buttonParameters[]"] = button_parameters
        return UploadPost("/send", fields, "mediaFile", Path(message.media_file), "media_file")
    body = _with_sender(
        message.sender_id,
        {
            "to": message.to,
            "templateName": message.template_name,
            "parameters": parameters or None,
            "buttonParameters": button_parameters or None,
            "mediaUrl": message.media_url,
        },
    )
    return JsonPost("/send", body)


def meta_request(message: MetaMessage) -> JsonPost:
    """``POST /{phone_number_id}/messages`` when the id is given (the path picks the sender),
    else ``POST /messages`` with the sender in the body unless the payload names one."""
    if not isinstance(message.payload, Mapping):
        raise ValidationError([Problem("payload", "must be a JSON object")])
    payload = dict(message.payload)
    phone_number_id = (message.phone_number_id or "").strip()
    if phone_number_id:
        return JsonPost(f"/{quote(phone_number_id, safe='')}/messages", payload)
    if message.sender_id and "senderId" not in payload:
        payload = {"senderId": message.sender_id, **payload}
    return JsonPost("/messages", payload)


# --------------------------------------------------------------------------- reads


def templates_request(
    sender_id: str | None = None, *, page: int | None = None, limit: int | None = None
) -> ReadRequest:
    return _read("/templates", {"senderId": sender_id, "page": page, "limit": limit}, data_may_be_list=True)


def template_detail_request(identifier: str, sender_id: str | None = None) -> ReadRequest:
    """One template by name, templateUid or templateId."""
    _check_encodable(identifier=identifier)
    return _read(f"/templates/{quote(str(identifier), safe='')}", {"senderId": sender_id})


def message_status_request(message_id: str, sender_id: str | None = None) -> ReadRequest:
    return _read("/reports/messages/status", {"messageId": message_id, "senderId": sender_id})


def reports_request(
    *,
    receiver: str | None,
    status: str | None,
    sender_id: str | None,
    page: int,
    limit: int,
    date_from: date | str | None,
    date_to: date | str | None,
) -> ReadRequest:
    return _read(
        "/reports/messages",
        {
            "receiver": receiver,
            "status": status,
            "senderId": sender_id,
            "page": page,
            "limit": limit,
            "dateFrom": date_from.isoformat() if isinstance(date_from, date) else date_from,
            "dateTo": date_to.isoformat() if isinstance(date_to, date) else date_to,
        },
    )


def wallet_request(sender_id: str | None = None) -> ReadRequest:
    return _read("/billing/wallet", {"senderId": sender_id})


def _read(
    path: str, params: Mapping[str, str | int | None], *, data_may_be_list: bool = False
) -> ReadRequest:
    query = {key: str(value) for key, value in params.items() if value is not None and value != ""}
    _check_encodable(**query)
    return ReadRequest(path, query, data_may_be_list)


# --------------------------------------------------------------------------- bodies


def json_content(body: Mapping[str, Any]) -> bytes:
    """The body as compact UTF-8 JSON; ``ValidationError`` when it has no JSON form (NaN, an
    object that is not data, nesting too deep)."""
    try:
        return json.dumps(
            body, ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=_json_default
        ).encode("utf-8")
    except (TypeError, ValueError, RecursionError) as err:
        raise ValidationError([Problem("payload", f"cannot be encoded as JSON: {err}")]) from None


def upload_file(upload: UploadPost) -> tuple[str, bytes, str]:
    """``(file name, bytes, MIME type)`` of the upload, as httpx's ``files=`` wants them."""
    content = _read_upload(upload.file_path, upload.problem_field)
    mime = mimetypes.guess_type(upload.file_path.name)[0] or "application/octet-stream"
    # A file name in no UTF-8 (undecodable bytes on disk) is sent with U+FFFD in their place.
    filename = os.fsencode(upload.file_path.name).decode("utf-8", "replace")
    return filename, content, mime


def _read_upload(path: Path, field_name: str) -> bytes:
    """The file's bytes, read once (a retry resends these same bytes), after the same checks as
    validation (:func:`~whats91_desktop.core.validation.open_upload`) made again now: the file
    may have changed since. Never blocks on a FIFO or device, never reads more than the limit."""
    try:
        with open_upload(path, limit=UPLOAD_MAX_BYTES) as file:
            content = file.read(UPLOAD_MAX_BYTES + 1)
    except UnusableUpload as err:
        raise ValidationError([Problem(field_name, str(err))]) from None
    except OSError as err:
        reason = f"Cannot read the file: {err.strerror or type(err).__name__}"
        raise ValidationError([Problem(field_name, reason)]) from None
    if len(content) > UPLOAD_MAX_BYTES:  # it grew while we read it
        reason = f"The file grew past the {UPLOAD_MAX_BYTES / (1024 * 1024):g} MB limit while it was read."
        raise ValidationError([Problem(field_name, reason)])
    if not content:
        raise ValidationError([Problem(field_name, "The file is empty.")])
    return content


def _check_encodable(**values: str) -> None:
    """``ValidationError`` (before any I/O) for text with no UTF-8 form: lone surrogates, as
    Python makes from undecodable command-line bytes. httpx would raise a UnicodeEncodeError."""
    for name, value in values.items():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationError([Problem(name, "contains characters that are not valid text")]) from None


def _with_sender(sender_id: str | None, fields: Mapping[str, Any]) -> dict[str, Any]:
    """``senderId`` first (when set), then the fields that are not None."""
    body: dict[str, Any] = {"senderId": sender_id} if sender_id else {}
    body.update({key: value for key, value in fields.items() if value is not None})
    return body


def _form_fields(body: Mapping[str, Any]) -> dict[str, str | list[str]]:
    return {key: str(value) for key, value in body.items() if value is not None}


def _json_default(value: Any) -> Any:
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    raise TypeError(f"{type(value).__name__} is not JSON-serialisable")
