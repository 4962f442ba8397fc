"""Turn one HTTP answer into a parsed result or a typed error: the only place that reads shapes.

The API documents three error envelopes (reference §1.5) and two success shapes (native
``{success, data, metadata}`` and Meta's ``{messages, contacts}``); proxies add HTML pages and
empty bodies. ``parse_response`` accepts all of them and never lets a parsing exception out:
it returns an ``Envelope`` or raises an ``ApiError`` subclass, nothing else.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

from whats91_desktop.core.errors import (
    ApiError,
    AuthError,
    ForbiddenError,
    NotFoundError,
    RateLimitError,
    ServerError,
)
from whats91_desktop.core.retry import parse_retry_after

REQUEST_ID_HEADERS = ("x-request-id", "x-whats91-request-id")
SNIPPET_CHARS = 200

_AUTH_CODES = frozenset(
    {"MISSING_AUTH_TOKEN", "INVALID_AUTH_TOKEN", "MISSING_BEARER_TOKEN", "INVALID_PUBLIC_API_TOKEN"}
)
_FORBIDDEN_CODES = frozenset({"SENDER_NOT_ALLOWED", "TOKEN_SCOPE_NOT_ALLOWED", "FEATURE_NOT_AVAILABLE"})


@dataclass(frozen=True)
class Envelope:
    """A successful answer.

    ``data`` is the ``data`` object (empty when absent; for the Meta shape, empty too: read
    ``body``). When the caller allowed it and ``data`` is an array, it is in ``data_list``.
    The send-receipt fields are filled when present, wherever the documented shapes put them.
    """

    http_status: int
    shape: Literal["native", "meta"]
    body: Mapping[str, Any]
    data: Mapping[str, Any]
    raw_text: str
    data_list: tuple[Any, ...] | None = None
    message: str | None = None
    request_id: str | None = None
    message_id: str | None = None
    status: str | None = None
    queued: bool = False
    queue_uid: str | None = None
    report_uid: str | None = None
    sender_id: str | None = None
    phone_number_id: str | None = None
    wa_id: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)


def parse_response(
    status_code: int,
    headers: Mapping[str, str] | httpx.Headers,
    body: bytes | str,
    *,
    data_may_be_list: bool = False,
) -> Envelope:
    """Parse one answer. Raises an ``ApiError`` subclass for every error, including
    a 2xx with ``success: false`` and a 2xx whose body is not a shape the API documents.
    """
    hdrs = httpx.Headers(headers)
    raw_text = _decode(body)
    header_request_id = _first_header(hdrs, REQUEST_ID_HEADERS)
    parsed, parse_problem = _load_json(raw_text)

    if 300 <= status_code < 400:
        # Whatever the body says, the one thing to know is that it was not followed.
        code, message = _error_fields(parsed) if isinstance(parsed, dict) else (None, None)
        redirect = _status_text(status_code, hdrs)
        raise _error_for(
            status_code,
            hdrs,
            f"{redirect}: {message}" if message else redirect,
            code=code,
            request_id=(_request_id(parsed) if isinstance(parsed, dict) else None) or header_request_id,
            raw=raw_text,
        )
    if parse_problem is not None:
        raise _error_for(
            status_code,
            hdrs,
            _non_json_message(status_code, hdrs, raw_text, parse_problem),
            code=None,
            request_id=header_request_id,
            raw=raw_text,
            shape_problem=True,
        )
    if not isinstance(parsed, dict):
        raise _error_for(
            status_code,
            hdrs,
            f"HTTP {status_code} with JSON of an unexpected shape ({_json_type(parsed)}, expected an object)",
            code=None,
            request_id=header_request_id,
            raw=raw_text,
            shape_problem=True,
        )

    body_obj: dict[str, Any] = parsed
    request_id = _request_id(body_obj) or header_request_id
    code, message = _error_fields(body_obj)

    if not 200 <= status_code < 300:
        if message is None:
            message = _status_text(status_code, hdrs)
        raise _error_for(status_code, hdrs, message, code=code, request_id=request_id, raw=raw_text)

    success = body_obj.get("success")
    meta_id = _meta_message_id(body_obj)
    if "success" in body_obj:
        if success is not True:
            # Only the boolean false is a refusal. A 2xx whose flag is "true", 1 or null is a
            # shape we do not understand: the message may well have been taken, so it must not
            # read as "rejected" (which invites a resend).
            unreadable = success is not False
            flag = f"HTTP {status_code} with success: {json.dumps(success)}"
            raise _error_for(
                status_code,
                hdrs,
                f"{flag} (expected true or false)" if unreadable else message or flag,
                code=code,
                request_id=request_id,
                raw=raw_text,
                shape_problem=unreadable,
            )
        shape: Literal["native", "meta"] = "native"
    elif isinstance(body_obj.get("error"), dict | str):
        raise _error_for(
            status_code, hdrs, message or "error", code=code, request_id=request_id, raw=raw_text
        )
    elif meta_id is not None:
        shape = "meta"
    else:
        raise _error_for(
            status_code,
            hdrs,
            f"HTTP {status_code} with JSON the API does not document (no success flag, no messages[0].id)",
            code=None,
            request_id=request_id,
            raw=raw_text,
            shape_problem=True,
        )

    raw_data = body_obj.get("data")
    data: Mapping[str, Any] = {}
    data_list: tuple[Any, ...] | None = None
    if isinstance(raw_data, dict):
        data = raw_data
    elif isinstance(raw_data, list) and data_may_be_list:
        data_list = tuple(raw_data)
    elif raw_data is not None:
        raise _error_for(
            status_code,
            hdrs,
            f"HTTP {status_code}: `data` is {_json_type(raw_data)}, expected an object",
            code=None,
            request_id=request_id,
            raw=raw_text,
            shape_problem=True,
        )

    status_value = as_text(data.get("status")) or as_text(body_obj.get("status"))
    queued_flag = data.get("queued", body_obj.get("queued"))
    return Envelope(
        http_status=status_code,
        shape=shape,
        body=body_obj,
        data=data,
        raw_text=raw_text,
        data_list=data_list,
        message=as_text(body_obj.get("message")),
        request_id=request_id,
        message_id=as_text(data.get("messageId")) or as_text(data.get("message_id")) or meta_id,
        status=status_value,
        queued=queued_flag is True or status_value == "waiting_reconnect",
        queue_uid=_pick(data, body_obj, "queueUid", "queue_uid"),
        report_uid=_pick(data, body_obj, "reportUid", "report_uid"),
        sender_id=_pick(data, body_obj, "senderId", "sender_id"),
        phone_number_id=_pick(data, body_obj, "phoneNumberId", "phone_number_id"),
        wa_id=_meta_wa_id(body_obj),
        headers=dict(hdrs.items()),
    )


def html_to_text(markup: str, limit: int = SNIPPET_CHARS) -> str:
    """Readable text from an HTML error page: tags, scripts and styles dropped, spaces collapsed."""
    text = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", " ", markup)
    text = re.sub(r"(?s)<!--.*?-->", " ", text)
    text = re.sub(r"(?s)<[^>]*>", " ", text)
    text = " ".join(html.unescape(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --------------------------------------------------------------------------- helpers


def _decode(body: bytes | str) -> str:
    if isinstance(body, str):
        return body
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("latin-1")


def _load_json(text: str) -> tuple[Any, str | None]:
    if not text.strip():
        return None, "empty"
    try:
        return json.loads(text), None
    except (ValueError, RecursionError):
        return None, "non-JSON"


def _non_json_message(status: int, headers: httpx.Headers, text: str, problem: str) -> str:
    if problem == "empty":
        return f"HTTP {status} with an empty body"
    content_type = headers.get("content-type", "").split(";", 1)[0].strip() or "no content type"
    snippet = html_to_text(text)
    head = f"HTTP {status} with a non-JSON body ({content_type})"
    return f"{head}: {snippet}" if snippet else head


def _status_text(status: int, headers: httpx.Headers) -> str:
    if 300 <= status < 400:
        location = headers.get("location")
        where = f" to {location}" if location else ""
        return f"HTTP {status} redirect{where} (redirects are not followed; check the base URL)"
    reason = httpx.codes.get_reason_phrase(status)
    return f"HTTP {status} {reason}".rstrip()


def _error_fields(body: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """``(code, message)`` from any of the three documented error envelopes."""
    error = body.get("error")
    error_obj: Mapping[str, Any] = error if isinstance(error, dict) else {}
    code = as_text(body.get("error_code")) or as_text(body.get("errorCode")) or as_text(error_obj.get("code"))
    message = as_text(body.get("message")) or as_text(error_obj.get("message"))
    if message is None and isinstance(error, str) and error.strip():
        message = error.strip()
    details = error_obj.get("details")
    if isinstance(details, list):
        notes = [
            f"{d.get('field')}: {d.get('message')}" if d.get("field") else str(d.get("message"))
            for d in details
            if isinstance(d, dict) and as_text(d.get("message"))
        ]
        if notes:
            message = f"{message or 'invalid request'} ({'; '.join(notes[:5])})"
    return code, message


def _error_for(
    status: int,
    headers: httpx.Headers,
    message: str,
    *,
    code: str | None,
    request_id: str | None,
    raw: str,
    shape_problem: bool = False,
) -> ApiError:
    kwargs: dict[str, Any] = {
        "code": code,
        "http_status": status,
        "request_id": request_id,
        "raw_response": raw,
    }
    retry_after = parse_retry_after(headers.get("retry-after"))
    if status == 429 or (status == 503 and retry_after is not None):
        return RateLimitError(message, retry_after=retry_after, **kwargs)
    if status == 401 or (not _is_http_error(status) and code in _AUTH_CODES):
        return AuthError(message, **kwargs)
    if status == 403 or (not _is_http_error(status) and code in _FORBIDDEN_CODES):
        return ForbiddenError(message, **kwargs)
    if status == 404:
        return NotFoundError(message, **kwargs)
    if status >= 500 or (shape_problem and 200 <= status < 300):
        return ServerError(message, **kwargs)
    return ApiError(message, **kwargs)


def _is_http_error(status: int) -> bool:
    """A status that already names the error class (so a body code must not override it)."""
    return status in (401, 403, 404, 429) or status >= 500


def _request_id(body: Mapping[str, Any]) -> str | None:
    metadata = body.get("metadata")
    if isinstance(metadata, dict):
        return as_text(metadata.get("requestId")) or as_text(metadata.get("request_id"))
    return None


def _first_header(headers: httpx.Headers, names: tuple[str, ...]) -> str | None:
    for name in names:
        value = headers.get(name)
        if value and value.strip():
            return value.strip()
    return None


def _meta_message_id(body: Mapping[str, Any]) -> str | None:
    messages = body.get("messages")
    if isinstance(messages, list) and messages and isinstance(messages[0], dict):
        return as_text(messages[0].get("id"))
    return None


def _meta_wa_id(body: Mapping[str, Any]) -> str | None:
    contacts = body.get("contacts")
    if isinstance(contacts, list) and contacts and isinstance(contacts[0], dict):
        return as_text(contacts[0].get("wa_id"))
    return None


def _pick(data: Mapping[str, Any], body: Mapping[str, Any], *names: str) -> str | None:
    for source in (data, body):
        for name in names:
            value = as_text(source.get(name))
            if value is not None:
                return value
    return None


def as_text(value: Any) -> str | None:
    """A non-empty string from a string or a number; None for anything else (bools included)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, int | float):
        return str(value)
    return None


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    return "a number"
