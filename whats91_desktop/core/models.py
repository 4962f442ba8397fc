"""Plain, frozen data: what the user composes, what the API answers, what we store.

No I/O and no Qt here. Every other core module and the UI speak in these types.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeAlias

from whats91_desktop import __version__

# --------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class Problem:
    """One thing the user must fix. ``field`` is a dotted path (``buttons[1].title``)."""

    field: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


# --------------------------------------------------------------------------- outgoing messages

MediaType: TypeAlias = Literal["image", "video", "audio", "document"]
MEDIA_TYPES: tuple[MediaType, ...] = ("image", "video", "audio", "document")


@dataclass(frozen=True)
class TextMessage:
    """``POST /chat`` type text."""

    to: str
    text: str
    sender_id: str | None = None

    kind: Literal["text"] = field(default="text", init=False)


@dataclass(frozen=True)
class MediaMessage:
    """``POST /chat`` media: exactly one of ``url``, ``media_id`` or ``file_path``."""

    to: str
    media_type: MediaType
    url: str | None = None
    media_id: str | None = None
    file_path: Path | None = None
    caption: str | None = None
    filename: str | None = None
    sender_id: str | None = None

    kind: Literal["media"] = field(default="media", init=False)


@dataclass(frozen=True)
class Button:
    id: str
    title: str


@dataclass(frozen=True)
class ButtonsMessage:
    """``POST /chat`` type buttons: up to 3 quick-reply buttons."""

    to: str
    text: str
    buttons: tuple[Button, ...]
    sender_id: str | None = None

    kind: Literal["buttons"] = field(default="buttons", init=False)


@dataclass(frozen=True)
class ListRow:
    id: str
    title: str
    description: str | None = None


@dataclass(frozen=True)
class ListSection:
    title: str
    rows: tuple[ListRow, ...]


@dataclass(frozen=True)
class ListMessage:
    """``POST /chat`` type list."""

    to: str
    text: str
    button_text: str
    sections: tuple[ListSection, ...]
    header_text: str | None = None
    footer_text: str | None = None
    sender_id: str | None = None

    kind: Literal["list"] = field(default="list", init=False)


@dataclass(frozen=True)
class TemplateMessage:
    """``POST /send``: an approved template with body and button variables."""

    to: str
    template_name: str
    parameters: tuple[str, ...] = ()
    button_parameters: tuple[str, ...] = ()
    media_url: str | None = None
    media_file: Path | None = None
    sender_id: str | None = None

    kind: Literal["template"] = field(default="template", init=False)


@dataclass(frozen=True)
class MetaMessage:
    """Raw Meta Cloud API JSON: ``POST /messages``, or ``POST /{phone_number_id}/messages``.

    ``payload`` is the JSON object as the user wrote it. With ``phone_number_id`` set the
    path selects the sender and any ``senderId`` in the body is ignored by Whats91.
    """

    payload: Mapping[str, Any]
    phone_number_id: str | None = None
    sender_id: str | None = None

    kind: Literal["meta"] = field(default="meta", init=False)

    @property
    def to(self) -> str:
        value = self.payload.get("to")
        return value if isinstance(value, str) else ""


OutgoingMessage: TypeAlias = (
    TextMessage | MediaMessage | ButtonsMessage | ListMessage | TemplateMessage | MetaMessage
)


# --------------------------------------------------------------------------- results


class Outcome(enum.StrEnum):
    """What became of a send, from the client's point of view."""

    ACCEPTED = "accepted"  # the API took it (data.status accepted/sent)
    QUEUED = "queued"  # accepted but queued (queued: true / waiting_reconnect)
    REJECTED = "rejected"  # the API answered with an error; it was not sent
    UNKNOWN = "unknown"  # may have reached the server; reconcile, never resend blindly
    UNREACHABLE = "unreachable"  # surely never arrived (connect errors)
    INVALID = "invalid"  # local validation failed; nothing was sent

    @property
    def is_success(self) -> bool:
        return self in (Outcome.ACCEPTED, Outcome.QUEUED)


@dataclass(frozen=True)
class RetryNotice:
    """Told to the caller before each automatic retry, so the wait is visible."""

    attempt: int  # the attempt that just failed (1-based)
    delay: float  # seconds we will wait before the next attempt
    reason: str  # e.g. "HTTP 429 (Retry-After 2s)" or "connect error: refused"
    http_status: int | None = None  # the answer that asked for the wait (429, 503); None: no answer


@dataclass(frozen=True)
class ResponseHead:
    """The reply to a send as it came over the wire, for the log's Response tab.

    ``headers`` are redacted. ``connect_seconds`` is how long opening a new connection took
    (None when no new one was opened: a pooled connection, or the in-process sandbox);
    ``total_seconds`` is the last attempt from the request leaving to the reply being read.
    """

    status_line: str  # e.g. "HTTP/1.1 200 OK"
    headers: tuple[tuple[str, str], ...] = ()
    connect_seconds: float | None = None
    total_seconds: float | None = None


@dataclass(frozen=True)
class SendResult:
    outcome: Outcome
    http_status: int | None = None
    message_id: str | None = None
    status: str | None = None
    sender_id: str | None = None
    phone_number_id: str | None = None
    request_id: str | None = None
    queue_uid: str | None = None
    report_uid: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    raw_request: str = ""  # method, URL, headers and body as sent; token redacted
    raw_response: str | None = None  # the response body as text, when there was one
    attempts: int = 0
    retry_waits: tuple[float, ...] = ()
    problems: tuple[Problem, ...] = ()
    retries: tuple[RetryNotice, ...] = ()  # every wait the client made before this outcome
    response_head: ResponseHead | None = None  # status line, headers, timing; None: no reply
    log_warning: str | None = None  # the message log could not record this result (see Outbox.send)

    def to_json(self) -> dict[str, Any]:
        """The CLI's ``--json`` object (keys fixed by the CLI contract)."""
        return {
            "outcome": self.outcome.value,
            "httpStatus": self.http_status,
            "messageId": self.message_id,
            "status": self.status,
            "requestId": self.request_id,
            "errorCode": self.error_code,
            "errorMessage": self.error_message,
            "queueUid": self.queue_uid,
            "reportUid": self.report_uid,
            "problems": [p.to_json() for p in self.problems],
        }


@dataclass(frozen=True)
class TemplateButton:
    type: str  # URL, QUICK_REPLY, PHONE_NUMBER, COPY_CODE, ...
    text: str = ""
    url: str | None = None
    has_variable: bool = False


@dataclass(frozen=True)
class TemplateInfo:
    """A template as listed by ``GET /templates`` (shape undocumented: parsed defensively)."""

    name: str
    language: str | None = None
    category: str | None = None
    status: str | None = None
    body_text: str = ""
    header_type: str | None = None  # TEXT, IMAGE, VIDEO, DOCUMENT or None
    header_text: str | None = None
    footer_text: str | None = None
    buttons: tuple[TemplateButton, ...] = ()
    template_id: str | None = None
    template_uid: str | None = None

    @property
    def body_variable_count(self) -> int:
        """Highest ``{{n}}`` in the body (0 when none)."""
        import re

        found = [int(n) for n in re.findall(r"\{\{\s*(\d+)\s*\}\}", self.body_text)]
        return max(found, default=0)

    @property
    def button_variable_count(self) -> int:
        return sum(1 for b in self.buttons if b.has_variable)

    @property
    def needs_media(self) -> bool:
        return (self.header_type or "").upper() in ("IMAGE", "VIDEO", "DOCUMENT")


@dataclass(frozen=True)
class StatusEvent:
    status: str
    occurred_at: str | None = None  # ISO-8601 as the API gave it
    event_type: str = "status"
    error_code: str | None = None
    error_message: str | None = None


@dataclass(frozen=True)
class MessageStatus:
    """``GET /reports/messages/status``."""

    message_id: str | None
    report_uid: str | None
    receiver: str | None
    latest_status: str | None
    events: tuple[StatusEvent, ...] = ()
    request_id: str | None = None

    @property
    def is_final(self) -> bool:
        return (self.latest_status or "") in FINAL_STATUSES


FINAL_STATUSES = frozenset({"read", "failed"})


@dataclass(frozen=True)
class MessageReport:
    """One row of ``GET /reports/messages``."""

    message_id: str | None
    report_uid: str | None
    receiver: str | None
    status: str | None
    latest_status: str | None
    message_type: str | None = None
    template_name: str | None = None
    occurred_at: str | None = None
    source_type: str | None = None
    queue_uid: str | None = None  # reports of queued messages carry it (sandbox; undocumented upstream)


@dataclass(frozen=True)
class ReportPage:
    reports: tuple[MessageReport, ...]
    page: int = 1
    limit: int = 50
    total: int | None = None
    has_more: bool = False
    sender_id: str | None = None
    phone_number_id: str | None = None
    request_id: str | None = None


@dataclass(frozen=True)
class Wallet:
    balance: float | None
    currency: str | None
    status: str | None
    request_id: str | None = None


# --------------------------------------------------------------------------- profiles


@dataclass(frozen=True)
class Sender:
    """A sender number (digits, international) and, once learned from an echo, its Meta id."""

    sender_id: str
    phone_number_id: str | None = None
    label: str | None = None


DEFAULT_BASE_URL = "https://graph.whats91.com/api/v2"
DEFAULT_CONNECT_TIMEOUT = 10.0
"""Seconds to wait for a connection (and for a free pooled one) when a profile sets none."""
DEFAULT_READ_TIMEOUT = 30.0
"""Seconds to wait for an answer once connected (also the write timeout) when a profile sets none."""
DEFAULT_USER_AGENT = f"whats91-desktop/{__version__} (+python-httpx)"


@dataclass(frozen=True)
class Profile:
    """A named connection. The token is NOT here: it lives in the secret store."""

    name: str
    base_url: str = DEFAULT_BASE_URL
    default_sender: str | None = None
    senders: tuple[Sender, ...] = ()
    default_region: str = "IN"
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    read_timeout: float = DEFAULT_READ_TIMEOUT
    sandbox: bool = False
    variables: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    """``{{name}}`` values for this profile's messages (``core.variables``). Not part of the
    connection, so not compared: changing one keeps the profile's client (and its sends)."""
