"""What each read endpoint answered, as plain models: one parser per endpoint.

``envelope.parse_response`` has already turned the answer into an ``Envelope`` or an error;
these read the endpoint's ``data``. The shapes are undocumented or loosely documented, so every
parser reads defensively: unknown fields are ignored, a missing optional one becomes None, and
only a missing core object (no templates list, no wallet) is an error, a ``ServerError`` that
keeps the raw answer for the user to see.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from whats91_desktop.core.envelope import Envelope
from whats91_desktop.core.envelope import as_text as _text
from whats91_desktop.core.errors import ServerError
from whats91_desktop.core.models import (
    MessageReport,
    MessageStatus,
    ReportPage,
    StatusEvent,
    TemplateButton,
    TemplateInfo,
    Wallet,
)

_PLACEHOLDER = re.compile(r"\{\{\s*\d+\s*\}\}")


@dataclass(frozen=True)
class TemplatePage:
    """One page of ``GET /templates``: the named templates on it, and whether more follow."""

    templates: tuple[TemplateInfo, ...]
    has_more: bool


def parse_template_page(envelope: Envelope) -> TemplatePage:
    items = _template_items(envelope)
    if items is None:
        raise _shape_error(envelope, "the templates response has no templates list")
    pagination = envelope.data.get("pagination")
    return TemplatePage(
        templates=tuple(info for info in (parse_template(item) for item in items) if info is not None),
        has_more=isinstance(pagination, dict) and pagination.get("hasMore") is True,
    )


def parse_template_detail(envelope: Envelope) -> TemplateInfo:
    """``GET /templates/{identifier}``: ``data.template``, or the template as ``data`` itself."""
    info = parse_template(envelope.data.get("template", envelope.data))
    if info is None:
        raise _shape_error(envelope, "the template response has no template")
    return info


def parse_template(obj: Any) -> TemplateInfo | None:
    """A ``TemplateInfo`` from the sandbox shape (header/body/footer/buttons objects) or a
    Meta-style ``components`` array; None when there is no name."""
    if not isinstance(obj, dict):
        return None
    name = _text(obj.get("templateName")) or _text(obj.get("name")) or _text(obj.get("template_name"))
    if name is None:
        return None
    header: Any = obj.get("header")
    body: Any = obj.get("body")
    footer: Any = obj.get("footer")
    buttons: Any = obj.get("buttons")
    components = obj.get("components")
    if isinstance(components, list):
        for component in components:
            if not isinstance(component, dict):
                continue
            kind = (_text(component.get("type")) or "").upper()
            if kind == "HEADER" and header is None:
                header = component
            elif kind == "BODY" and body is None:
                body = component
            elif kind == "FOOTER" and footer is None:
                footer = component
            elif kind == "BUTTONS" and buttons is None:
                buttons = component.get("buttons")

    header_type: str | None = None
    header_text: str | None = None
    if isinstance(header, dict):
        declared = _text(header.get("format")) or _text(header.get("type"))
        if declared and declared.upper() != "HEADER":
            header_type = declared.upper()
        header_text = _text(header.get("text"))
        if header_type is None and header_text is not None:
            header_type = "TEXT"
    elif isinstance(header, str) and header.strip():
        header_type, header_text = "TEXT", header

    language = obj.get("language")
    if isinstance(language, dict):
        language = language.get("code")
    return TemplateInfo(
        name=name,
        language=_text(language),
        category=_text(obj.get("category")),
        status=_text(obj.get("status")),
        body_text=_component_text(body) or "",
        header_type=header_type,
        header_text=header_text,
        footer_text=_component_text(footer),
        buttons=tuple(b for b in (_parse_button(x) for x in _as_list(buttons)) if b is not None),
        template_id=_text(obj.get("templateId")) or _text(obj.get("id")),
        template_uid=_text(obj.get("templateUid")) or _text(obj.get("uid")),
    )


def parse_message_status(envelope: Envelope) -> MessageStatus:
    """``GET /reports/messages/status``: the message (or ``data`` itself) and its events."""
    data = envelope.data
    message = data.get("message")
    info: Mapping[str, Any] = message if isinstance(message, dict) else data
    events: list[StatusEvent] = []
    for item in _as_list(data.get("events")):
        if not isinstance(item, dict):
            continue
        code, text = _event_error(item)
        events.append(
            StatusEvent(
                status=_text(item.get("status")) or _text(item.get("eventType")) or "unknown",
                occurred_at=_text(item.get("occurredAt")) or _text(item.get("timestamp")),
                event_type=_text(item.get("eventType")) or "status",
                error_code=code,
                error_message=text,
            )
        )
    latest = _text(info.get("latestStatus")) or _text(info.get("status"))
    if latest is None and events:
        latest = events[-1].status
    return MessageStatus(
        message_id=_text(info.get("messageId")) or _text(info.get("message_id")),
        report_uid=_text(info.get("reportUid")),
        receiver=_text(info.get("receiver")),
        latest_status=latest,
        events=tuple(events),
        request_id=envelope.request_id,
    )


def parse_report_page(envelope: Envelope, *, page: int = 1, limit: int = 50) -> ReportPage:
    """``GET /reports/messages``; ``page`` and ``limit`` (what was asked) stand in for a
    missing pagination object."""
    data = envelope.data
    rows = data.get("reports")
    if not isinstance(rows, list):
        rows = data.get("items")
    reports = tuple(
        MessageReport(
            message_id=_text(row.get("messageId")),
            report_uid=_text(row.get("reportUid")),
            receiver=_text(row.get("receiver")),
            status=_text(row.get("status")),
            latest_status=_text(row.get("latestStatus")),
            message_type=_text(row.get("messageType")),
            template_name=_text(row.get("templateName")),
            occurred_at=_text(row.get("occurredAt")),
            source_type=_text(row.get("sourceType")),
            queue_uid=_text(row.get("queueUid")),
        )
        for row in _as_list(rows)
        if isinstance(row, dict)
    )
    pagination = data.get("pagination")
    pag: Mapping[str, Any] = pagination if isinstance(pagination, dict) else {}
    return ReportPage(
        reports=reports,
        page=_integer(pag.get("page")) or page,
        limit=_integer(pag.get("limit")) or limit,
        total=_integer(pag.get("total")),
        has_more=pag.get("hasMore") is True,
        sender_id=_text(data.get("senderId")),
        phone_number_id=_text(data.get("phoneNumberId")),
        request_id=envelope.request_id,
    )


def parse_wallet(envelope: Envelope) -> Wallet:
    """``GET /billing/wallet``: ``data.wallet``, or the wallet as ``data`` itself."""
    wallet = envelope.data.get("wallet", envelope.data)
    if not isinstance(wallet, dict):
        raise _shape_error(envelope, "the wallet response has no wallet object")
    return Wallet(
        balance=_number(wallet.get("balance")),
        currency=_text(wallet.get("currency")),
        status=_text(wallet.get("status")),
        request_id=envelope.request_id,
    )


# --------------------------------------------------------------------------- helpers


def _parse_button(obj: Any) -> TemplateButton | None:
    if not isinstance(obj, dict):
        return None
    kind = (_text(obj.get("type")) or "").upper()
    url = _text(obj.get("url"))
    has_variable = kind in ("COPY_CODE", "OTP") or (url is not None and _PLACEHOLDER.search(url) is not None)
    return TemplateButton(
        type=kind or "UNKNOWN",
        text=_text(obj.get("text")) or _text(obj.get("title")) or "",
        url=url,
        has_variable=has_variable,
    )


def _component_text(value: Any) -> str | None:
    if isinstance(value, dict):
        return _text(value.get("text"))
    return _text(value)


def _template_items(envelope: Envelope) -> Sequence[Any] | None:
    if envelope.data_list is not None:
        return envelope.data_list
    for key in ("templates", "items"):
        value = envelope.data.get(key)
        if isinstance(value, list):
            return value
    return None


def _event_error(item: Mapping[str, Any]) -> tuple[str | None, str | None]:
    error = item.get("error")
    code = _text(item.get("errorCode")) or _text(item.get("error_code"))
    text = _text(item.get("errorMessage")) or _text(item.get("error_message"))
    if isinstance(error, dict):
        code = code or _text(error.get("code"))
        text = text or _text(error.get("message")) or _text(error.get("title"))
    elif isinstance(error, str) and error.strip():
        text = text or error.strip()
    return code, text


def _shape_error(envelope: Envelope, message: str) -> ServerError:
    return ServerError(
        message,
        http_status=envelope.http_status,
        request_id=envelope.request_id,
        raw_response=envelope.raw_text,
    )


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _integer(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None
