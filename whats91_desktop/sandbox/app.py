"""The Whats91 v2 emulator as a plain ASGI 3 application (no framework).

Routes, aliases, envelopes and error codes follow the API reference; where the real API is
undocumented the sandbox picks a shape and says so (codes listed in
``constants.INVENTED_ERROR_CODES``). Every response carries ``metadata.requestId`` and an
``X-Request-Id`` header, and every request is recorded in ``state.requests`` before it is handled.

The dropped-connection scenario is signalled by raising :class:`DropConnection` out of the app:
the in-process transport turns it into ``httpx.RemoteProtocolError``, the loopback server closes
the socket without a response.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qsl

from whats91_desktop.sandbox.constants import (
    Scenario,
    scenario_for,
)
from whats91_desktop.sandbox.fields import (
    BUTTON_PARAMETERS,
    META_TYPES,
    SEND_MEDIA_URL,
    TEMPLATE_NAME,
    TO_ALIASES,
    TOKEN_FIELDS,
    Fail,
    chat_buttons,
    chat_kind,
    chat_list,
    chat_media,
    first,
    first_string,
    invalid,
    media_source,
    page_and_limit,
    pagination_json,
    phone,
    query_date,
    recipient,
    reported_type,
    required_text,
    string_list,
)
from whats91_desktop.sandbox.parsing import (
    BodyError,
    FilePart,
    is_json,
    is_multipart,
    media_type,
    parse_json_object,
    parse_multipart,
)
from whats91_desktop.sandbox.state import (
    REDACTED,
    SEND_ROUTES,
    RecordedRequest,
    SandboxMessage,
    SandboxSender,
    SandboxState,
    SandboxToken,
    UploadedFile,
    digits,
    iso,
)
from whats91_desktop.sandbox.templates import (
    TemplateDict,
    body_variable_count,
    button_variable_count,
    header_type,
    is_carousel,
    needs_media,
)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Family = Literal["native", "meta", "billing"]

MAX_BODY_BYTES = 64 * 1024 * 1024
_SENSITIVE_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization", "x-api-key"})

SERVER_ERROR_HTML = (
    b"<!DOCTYPE html>\n<html>\n<head><title>500 Internal Server Error</title></head>\n<body>\n"
    b"<center><h1>500 Internal Server Error</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n"
)


class DropConnection(Exception):
    """Raised by the app when the connection must close without any response."""


@dataclass
class _Response:
    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class _Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    content_type: str | None
    body: bytes
    request_id: str
    record: RecordedRequest
    fields: dict[str, Any] = field(default_factory=dict)
    files: dict[str, FilePart] = field(default_factory=dict)


Handler = Callable[["SandboxApp", _Request, str], Awaitable[_Response]]


@dataclass(frozen=True)
class _Route:
    name: str
    method: str
    family: Family
    handler: Handler
    body: Literal["none", "json", "json_or_multipart"] = "none"


class SandboxApp:
    """ASGI 3 callable: ``await app(scope, receive, send)``."""

    def __init__(self, state: SandboxState | None = None) -> None:
        self.state = state if state is not None else SandboxState()

    # ------------------------------------------------------------------ ASGI plumbing

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        body, too_large = await self._read_body(receive)
        response = await self.handle(scope, body, too_large=too_large)
        headers = [
            (b"content-type", response.content_type.encode("latin-1")),
            (b"content-length", str(len(response.body)).encode("latin-1")),
            *((k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in response.headers.items()),
        ]
        await send({"type": "http.response.start", "status": response.status, "headers": headers})
        await send({"type": "http.response.body", "body": response.body, "more_body": False})

    @staticmethod
    async def _lifespan(receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return

    @staticmethod
    async def _read_body(receive: Receive) -> tuple[bytes, bool]:
        chunks: list[bytes] = []
        size = 0
        too_large = False
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                too_large = True
            elif chunk:
                chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks), too_large

    # ------------------------------------------------------------------ dispatch

    async def handle(self, scope: Scope, body: bytes, *, too_large: bool = False) -> _Response:
        """Record the request, route it, and render the answer (raises DropConnection to drop)."""
        state = self.state
        request_id = state.new_uuid()
        method = str(scope["method"]).upper()
        path = str(scope["path"])
        raw_query = scope.get("query_string", b"")
        query_text = raw_query.decode("latin-1") if isinstance(raw_query, bytes) else str(raw_query)
        query = dict(parse_qsl(query_text, keep_blank_values=True))
        headers: dict[str, str] = {}
        for key, value in scope.get("headers", []):
            headers[key.decode("latin-1").lower()] = value.decode("latin-1")
        content_type = headers.get("content-type")
        record = RecordedRequest(
            method=method,
            path=path,
            query={k: (REDACTED if k in TOKEN_FIELDS else v) for k, v in query.items()},
            content_type=content_type,
            fields={},
            headers=_redact_headers(headers),
            time=state.now(),
            request_id=request_id,
        )
        state.requests.append(record)
        request = _Request(method, path, query, headers, content_type, body, request_id, record)
        route, param = _match(method, path)
        family: Family = route.family if route else "native"
        if route is not None:
            record.route = route.name
        try:
            if route is None:
                raise Fail(404, "NOT_FOUND", f"Route not found: {method} {path}")
            if too_large:
                raise Fail(413, "PAYLOAD_TOO_LARGE", "Request body exceeds the sandbox limit of 64 MB")
            self._parse_body(request, route)
            response = await route.handler(self, request, param)
        except Fail as fail:
            record.error_code = fail.code
            response = _error_response(family, fail, request_id)
        response.headers.setdefault("X-Request-Id", request_id)
        record.status_code = response.status
        return response

    def _parse_body(self, request: _Request, route: _Route) -> None:
        record = request.record
        if route.body == "none":
            return
        if route.body == "json":
            if not is_json(request.content_type):
                raise Fail(
                    415,
                    "UNSUPPORTED_CONTENT_TYPE",
                    "Content-Type must be application/json",
                    {"contentType": media_type(request.content_type) or None},
                )
            fields, files = _parse_or_fail(lambda: (parse_json_object(request.body), {}))
        elif is_json(request.content_type):
            fields, files = _parse_or_fail(lambda: (parse_json_object(request.body), {}))
        elif is_multipart(request.content_type):
            content_type = request.content_type or ""
            fields, files = _parse_or_fail(lambda: parse_multipart(content_type, request.body))
        else:
            raise Fail(
                415,
                "UNSUPPORTED_CONTENT_TYPE",
                "Content-Type must be application/json or multipart/form-data",
                {"contentType": media_type(request.content_type) or None},
            )
        request.fields = fields
        request.files = files
        record.fields = {k: (REDACTED if k in TOKEN_FIELDS else v) for k, v in fields.items()}
        record.files = [
            UploadedFile(f.field_name, f.filename, f.content_type, f.size, f.sha256) for f in files.values()
        ]
        if route.name in SEND_ROUTES:
            to = first(fields, ("to",) if route.family == "meta" else TO_ALIASES)
            record.recipient = digits(to) or None
            record.is_send = not _is_read_receipt(route, fields)

    # ------------------------------------------------------------------ auth and senders

    def _authenticate(self, request: _Request, family: Family) -> SandboxToken:
        """Bearer header first, then body fields (POST) or query string (GET)."""
        value: str | None = None
        source: Literal["header", "body", "query"] | None = None
        authorization = request.headers.get("authorization", "")
        scheme, _, credentials = authorization.strip().partition(" ")
        if scheme.lower() == "bearer" and credentials.strip():
            value, source = credentials.strip(), "header"
        else:
            pool: Mapping[str, Any] = request.fields if request.method == "POST" else request.query
            candidate = first(pool, TOKEN_FIELDS)
            if isinstance(candidate, str):
                value, source = candidate.strip(), "body" if request.method == "POST" else "query"
        request.record.auth_source = source
        if value is None:
            if family == "meta":
                raise Fail(401, "MISSING_BEARER_TOKEN", "Missing bearer token")
            raise Fail(401, "MISSING_AUTH_TOKEN", "Missing authorization token")
        token = self.state.token(value)
        if token is None or token.expired:
            if family == "meta":
                raise Fail(401, "INVALID_PUBLIC_API_TOKEN", "Invalid, expired or revoked public API token")
            raise Fail(401, "INVALID_AUTH_TOKEN", "Invalid, expired or revoked API token")
        return token

    def _sender(self, token: SandboxToken, requested: Any) -> SandboxSender:
        """The sender for a send or a per-sender read: ``senderId`` if given, else the token's default."""
        wanted = (digits(requested) or str(requested)) if requested not in (None, "") else ""
        if token.scope != "global":
            bound = self.state.sender_by_id(token.sender_id or "")
            if bound is None:
                raise Fail(400, "WHATSAPP_SETUP_INCOMPLETE", "The token's sender is not connected")
            if wanted and wanted != bound.sender_id:
                raise _sender_not_allowed(wanted)
            return bound
        if wanted:
            sender = self.state.sender_by_id(wanted)
            if sender is None:
                raise _sender_not_allowed(wanted)
            return sender
        return self.state.default_sender

    def _sender_filter(self, token: SandboxToken, requested: Any) -> SandboxSender | None:
        """For reports: a global token without ``senderId`` sees every sender (None)."""
        if token.scope == "global" and requested in (None, ""):
            return None
        return self._sender(token, requested)

    def _path_sender(self, token: SandboxToken, phone_number_id: str) -> SandboxSender:
        sender = self.state.sender_by_phone_number_id(phone_number_id)
        if sender is None:
            raise Fail(
                404,
                "PHONE_NUMBER_NOT_FOUND",
                f"Phone number id {phone_number_id} is not connected to this account",
                {"phoneNumberId": phone_number_id},
            )
        if token.scope != "global" and sender.sender_id != token.sender_id:
            raise _sender_not_allowed(sender.sender_id)
        return sender

    # ------------------------------------------------------------------ send routes

    async def chat(self, request: _Request, _param: str) -> _Response:
        token = self._authenticate(request, "native")
        fields = request.fields
        sender = self._sender(token, fields.get("senderId"))
        receiver = recipient(fields, TO_ALIASES)
        kind, message_type = chat_kind(fields, request.files)
        payload: dict[str, Any]
        if kind == "text":
            payload = {"text": required_text(fields)}
        elif kind == "media":
            payload = chat_media(fields, request.files, message_type)
        elif kind == "buttons":
            payload = chat_buttons(fields)
        else:
            payload = chat_list(fields)
        payload["type"] = message_type
        return await self._deliver(
            request, "native", sender, receiver, reported_type(message_type), None, payload, _native_success
        )

    async def send(self, request: _Request, _param: str) -> _Response:
        token = self._authenticate(request, "native")
        fields = request.fields
        sender = self._sender(token, fields.get("senderId"))
        receiver = recipient(fields, TO_ALIASES)
        name = first_string(fields, TEMPLATE_NAME, "templateName")
        if not name:
            raise invalid("templateName is required", field="templateName")
        template = next((t for t in self.state.templates if t.get("templateName") == name), None)
        if template is None:
            raise Fail(
                404,
                "TEMPLATE_NOT_FOUND",
                f"No approved template named {name!r} for sender {sender.sender_id}",
                {"templateName": name, "senderId": sender.sender_id, "sandboxInventedCode": True},
            )
        if is_carousel(template):
            raise Fail(
                400,
                "CAROUSEL_TEMPLATE_NOT_SUPPORTED_IN_V2_SEND",
                f"Template {name!r} is a carousel template; carousel templates cannot be sent with /send",
                {"templateName": name},
            )
        parameters = string_list(fields, ("parameters",), "parameters")
        button_parameters = string_list(fields, BUTTON_PARAMETERS, "buttonParameters")
        for label, given, expected in (
            ("parameters", parameters, body_variable_count(template)),
            ("buttonParameters", button_parameters, button_variable_count(template)),
        ):
            if len(given) != expected:
                raise invalid(
                    f"Template {name!r} expects {expected} {label} value(s), got {len(given)}",
                    field=label,
                    expected=expected,
                    received=len(given),
                )
        media = media_source(fields, request.files, SEND_MEDIA_URL, ())
        if needs_media(template) and media is None:
            raise Fail(
                400,
                "MISSING_MEDIA",
                f"Template {name!r} has a {header_type(template)} header: send mediaUrl or mediaFile",
                {
                    "templateName": name,
                    "headerType": header_type(template),
                    "acceptedInputs": ["mediaUrl", "mediaFile"],
                },
            )
        payload: dict[str, Any] = {
            "templateName": name,
            "parameters": parameters,
            "buttonParameters": button_parameters,
        }
        if media is not None:
            payload["media"] = media
        return await self._deliver(
            request, "native", sender, receiver, "template", name, payload, _native_success
        )

    async def meta_messages(self, request: _Request, phone_number_id: str) -> _Response:
        token = self._authenticate(request, "meta")
        fields = request.fields
        if phone_number_id:
            sender = self._path_sender(token, phone_number_id)  # any body senderId is ignored
        else:
            sender = self._sender(token, fields.get("senderId"))
        if _is_read_receipt(None, fields):
            return _json_response(200, {"success": True, "metadata": _metadata(request.request_id)})
        product = fields.get("messaging_product")
        if product is not None and product != "whatsapp":
            raise invalid('messaging_product must be "whatsapp"', field="messaging_product")
        to = fields.get("to")
        if to is None or (isinstance(to, str) and not to.strip()):
            raise Fail(400, "MISSING_TO", "Missing required parameter: to")
        receiver = phone(to, "to")
        message_type = fields.get("type", "text")
        if not isinstance(message_type, str) or message_type not in META_TYPES:
            raise Fail(
                400,
                "UNSUPPORTED_MESSAGE_TYPE",
                f"Unsupported message type: {message_type}",
                {"supportedTypes": list(META_TYPES)},
            )
        body = fields.get(message_type)
        expected = list if message_type == "contacts" else dict  # Meta's contacts is an array
        if not isinstance(body, expected) or not body:
            raise Fail(400, "MISSING_TYPE_OBJECT", f"Missing required parameter: {message_type}")
        template_name: str | None = None
        if message_type == "template" and isinstance(body, dict):
            template_name = body.get("name") if isinstance(body.get("name"), str) else None
            language = body.get("language")
            if not template_name:
                raise invalid("template.name is required", field="template.name")
            if not (
                isinstance(language, dict) and isinstance(language.get("code"), str) and language["code"]
            ):
                raise invalid("template.language.code is required", field="template.language.code")
            if self.state.template(template_name) is None:
                raise Fail(
                    404,
                    "TEMPLATE_NOT_FOUND",
                    f"No approved template named {template_name!r} for sender {sender.sender_id}",
                    {"templateName": template_name, "sandboxInventedCode": True},
                )
        payload = {"type": message_type, message_type: body}

        def render(message: SandboxMessage, request_id: str) -> _Response:
            return _meta_success(message, request_id, to)

        return await self._deliver(
            request, "meta", sender, receiver, message_type, template_name, payload, render
        )

    async def _deliver(
        self,
        request: _Request,
        family: Family,
        sender: SandboxSender,
        receiver: str,
        message_type: str,
        template_name: str | None,
        payload: dict[str, Any],
        render: Callable[[SandboxMessage, str], _Response],
    ) -> _Response:
        """Apply the recipient's scenario to a valid send."""
        state = self.state
        scenario = scenario_for(receiver)
        attempt = state.count_attempt(receiver)
        odd = attempt % 2 == 1
        if state.throttled_sends > 0:
            state.throttled_sends -= 1
            wait = f"{state.throttle_retry_after:g}"
            raise Fail(
                429,
                "RATE_LIMITED",
                f"Too many requests; retry after {wait} seconds",
                {"retryAfterSeconds": state.throttle_retry_after, "sandboxInventedCode": True},
                {"Retry-After": wait},
            )
        if scenario is Scenario.BLACKLISTED:
            raise Fail(
                400,
                "SANDBOX_RECIPIENT_BLACKLISTED",
                f"Recipient {receiver} is blacklisted for sender {sender.sender_id}; nothing was sent",
                {"receiver": receiver, "senderId": sender.sender_id, "sandboxInventedCode": True},
            )
        if scenario is Scenario.RATE_LIMITED_ALWAYS or (scenario is Scenario.RATE_LIMITED_ODD and odd):
            raise Fail(
                429,
                "RATE_LIMITED",
                "Too many requests; retry after 1 second",
                {"retryAfterSeconds": 1, "sandboxInventedCode": True},
                {"Retry-After": "1"},
            )
        if scenario is Scenario.UNAVAILABLE_ODD and odd:
            raise Fail(
                503,
                "SERVICE_UNAVAILABLE",
                "Service temporarily unavailable; retry after 1 second",
                {"retryAfterSeconds": 1, "sandboxInventedCode": True},
                {"Retry-After": "1"},
            )
        if scenario is Scenario.SERVER_ERROR_HTML:
            return _Response(500, SERVER_ERROR_HTML, "text/html; charset=utf-8")
        message = state.add_message(
            sender=sender,
            receiver=receiver,
            message_type=message_type,
            scenario=scenario,
            route=request.record.route or "",
            request_id=request.request_id,
            template_name=template_name,
            payload=payload,
        )
        response = render(message, request.request_id)
        if scenario is Scenario.SLOW:
            await state.sleep(state.slow_seconds)
        if scenario is Scenario.DROPPED:
            raise DropConnection(f"sandbox scenario: dropped connection for {receiver}")
        return response

    # ------------------------------------------------------------------ templates

    async def list_templates(self, request: _Request, _param: str) -> _Response:
        token = self._authenticate(request, "native")
        sender = self._sender(token, request.query.get("senderId"))
        page, limit = page_and_limit(request.query)
        wanted_category = request.query.get("category", "").upper()
        wanted_status = request.query.get("status", "").upper()
        templates = [
            t
            for t in self.state.templates
            if not is_carousel(t)
            and (not wanted_category or t.get("category") == wanted_category)
            and (not wanted_status or t.get("status") == wanted_status)
        ]
        chunk = templates[(page - 1) * limit : page * limit]
        data = {
            "senderId": sender.sender_id,
            "phoneNumberId": sender.phone_number_id,
            "templates": chunk,
            "pagination": {
                "page": page,
                "limit": limit,
                "total": len(templates),
                "hasMore": page * limit < len(templates),
            },
        }
        return _success("Templates retrieved", data, request.request_id)

    async def get_template(self, request: _Request, identifier: str) -> _Response:
        token = self._authenticate(request, "native")
        sender = self._sender(token, request.query.get("senderId"))
        template = self.state.template(identifier)
        if template is None or is_carousel(template):
            raise Fail(
                404,
                "TEMPLATE_NOT_FOUND",
                f"No standard template {identifier!r} for sender {sender.sender_id}",
                {"identifier": identifier, "sandboxInventedCode": True},
            )
        data = {"senderId": sender.sender_id, "phoneNumberId": sender.phone_number_id, "template": template}
        return _success("Template retrieved", data, request.request_id)

    # ------------------------------------------------------------------ reports

    def _visible_messages(self, sender: SandboxSender | None, token: SandboxToken) -> list[SandboxMessage]:
        messages = self.state.messages
        if sender is not None:
            return [m for m in messages if m.sender_id == sender.sender_id]
        if token.scope != "global":
            return [m for m in messages if m.sender_id == token.sender_id]
        return list(messages)

    async def message_status(self, request: _Request, _param: str) -> _Response:
        token = self._authenticate(request, "native")
        sender = self._sender_filter(token, request.query.get("senderId"))
        identifier = request.query.get("messageId", "").strip()
        if not identifier:
            raise invalid("messageId is required", field="messageId")
        now = self.state.now()
        message = next((m for m in self._visible_messages(sender, token) if m.matches(identifier, now)), None)
        if message is None:
            raise Fail(404, "MESSAGE_NOT_FOUND", "Message not found", {"messageId": identifier})
        events: list[dict[str, Any]] = []
        for step in message.events_at(now):
            event: dict[str, Any] = {"eventType": "status", "status": step.status, "occurredAt": iso(step.at)}
            if step.error_code is not None:
                event["error"] = {"code": step.error_code, "message": step.error_message}
                if step.error_details:
                    event["error"]["details"] = step.error_details
            events.append(event)
        data = {
            "message": {
                "reportUid": message.report_uid,
                "messageId": message.message_id_at(now),
                "queueUid": message.queue_uid,
                "receiver": message.receiver,
                "latestStatus": message.latest_status_at(now),
                "senderId": message.sender_id,
                "phoneNumberId": message.phone_number_id,
                "messageType": message.message_type,
                "templateName": message.template_name,
            },
            "events": events,
        }
        return _success("Message status retrieved", data, request.request_id)

    async def message_reports(self, request: _Request, _param: str) -> _Response:
        token = self._authenticate(request, "native")
        query = request.query
        sender = self._sender_filter(token, query.get("senderId"))
        page, limit = page_and_limit(query)
        messages = self._filtered(self._visible_messages(sender, token), query)
        receiver = digits(query.get("receiver", ""))
        if receiver:
            messages = [m for m in messages if m.receiver == receiver]
        for key, attribute in (("messageType", "message_type"), ("templateName", "template_name")):
            if query.get(key):
                messages = [m for m in messages if getattr(m, attribute) == query[key]]
        reports, pagination = self._page(messages, page, limit)
        data = {
            "senderId": sender.sender_id if sender else None,
            "phoneNumberId": sender.phone_number_id if sender else None,
            "reports": reports,
            "pagination": pagination,
        }
        return _success("Message reports retrieved", data, request.request_id)

    async def message_history(self, request: _Request, _param: str) -> _Response:
        token = self._authenticate(request, "native")
        query = request.query
        sender = self._sender_filter(token, query.get("senderId"))
        mobile = digits(query.get("mobileNumber", ""))
        if not mobile:
            raise invalid("mobileNumber is required", field="mobileNumber")
        page, limit = page_and_limit(query)
        messages = [
            m for m in self._filtered(self._visible_messages(sender, token), query) if m.receiver == mobile
        ]
        reports, pagination = self._page(messages, page, limit)
        data = {
            "mobileNumber": mobile,
            "senderId": sender.sender_id if sender else None,
            "phoneNumberId": sender.phone_number_id if sender else None,
            "reports": reports,
            "pagination": pagination,
        }
        return _success("Message history retrieved", data, request.request_id)

    def _filtered(self, messages: list[SandboxMessage], query: Mapping[str, str]) -> list[SandboxMessage]:
        now = self.state.now()
        date_from = query_date(query, "dateFrom")
        date_to = query_date(query, "dateTo")
        if date_from and date_to and date_from > date_to:
            raise invalid("dateFrom must not be after dateTo", field="dateFrom")
        status = query.get("status", "").strip().lower()
        result = []
        for message in messages:
            day = dt.datetime.fromtimestamp(message.created_at, tz=dt.UTC).date()
            if (date_from and day < date_from) or (date_to and day > date_to):
                continue
            if status and status != "all" and message.latest_status_at(now) != status:
                continue
            result.append(message)
        result.sort(key=lambda m: m.created_at, reverse=True)
        return result

    def _page(
        self, messages: list[SandboxMessage], page: int, limit: int
    ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        now = self.state.now()
        chunk = messages[(page - 1) * limit : page * limit]
        reports = [_report_row(m, now) for m in chunk]
        return reports, pagination_json(page, limit, len(messages), len(reports))

    # ------------------------------------------------------------------ billing

    async def wallet(self, request: _Request, _param: str) -> _Response:
        token = self._authenticate(request, "billing")
        if request.query.get("senderId"):
            self._sender(token, request.query["senderId"])  # only to refuse a foreign sender
        return _success("Wallet retrieved", {"wallet": self.state.wallet_json()}, request.request_id)

    # ------------------------------------------------------------------ contact books, blacklist

    async def contact_books(self, request: _Request, _param: str) -> _Response:
        books = self.state.contact_books
        books.check_scope(self._authenticate(request, "billing"))
        return _success("Contact books retrieved", books.books_json(request.query), request.request_id)

    async def contact_book_contacts(self, request: _Request, uid: str) -> _Response:
        books = self.state.contact_books
        books.check_scope(self._authenticate(request, "billing"))
        return _success("Contacts retrieved", books.contacts_json(uid, request.query), request.request_id)

    async def message_blacklist(self, request: _Request, _param: str) -> _Response:
        token = self._authenticate(request, "native")
        sender = self._sender(token, request.query.get("senderId"))
        data = self.state.contact_books.blacklist_json(sender, request.query)
        return _success("Blacklist retrieved", data, request.request_id)

    # ------------------------------------------------------------------ webhooks (§4.1)

    def _webhook_sender(self, request: _Request) -> SandboxSender:
        token = self._authenticate(request, "native")
        if not token.webhooks:
            raise Fail(403, "FEATURE_NOT_AVAILABLE", "Webhooks v2 is not available on your subscription")
        pool: Mapping[str, Any] = request.fields if request.method == "POST" else request.query
        return self._sender(token, pool.get("senderId"))

    async def webhook_events(self, request: _Request, _param: str) -> _Response:
        self._webhook_sender(request)
        catalog = self.state.webhooks.catalog_json()
        return _success("Webhook event catalog retrieved", catalog, request.request_id)

    async def list_webhooks(self, request: _Request, _param: str) -> _Response:
        sender = self._webhook_sender(request)
        page, limit = page_and_limit(request.query)
        hooks = self.state.webhooks.listed(sender, request.query)[(page - 1) * limit : page * limit]
        data = [hook.to_json() for hook in hooks]
        return _json_response(
            200,
            {
                "success": True,
                "message": "Webhooks retrieved",
                "data": data,
                "metadata": _metadata(request.request_id),
            },
        )

    async def get_webhook(self, request: _Request, uid: str) -> _Response:
        hook = self.state.webhooks.get(self._webhook_sender(request), uid)
        return _success("Webhook retrieved", hook.to_json(), request.request_id)

    async def create_webhook(self, request: _Request, _param: str) -> _Response:
        _redact_webhook_token(request.record)
        hook = self.state.webhooks.create(self._webhook_sender(request), request.fields)
        payload = {
            "success": True,
            "message": "Webhook created",
            "data": hook.to_json(),
            "signingSecret": hook.signing_secret,
            "metadata": _metadata(request.request_id),
        }
        return _json_response(200, payload)

    async def update_webhook(self, request: _Request, uid: str) -> _Response:
        _redact_webhook_token(request.record)
        hook = self.state.webhooks.update(self._webhook_sender(request), uid, request.fields)
        return _success("Webhook updated", hook.to_json(), request.request_id)

    # ------------------------------------------------------------------ conversations (§2.6)
    # The data is built in sandbox/conversations.py; these only authenticate and wrap it.

    def _conversation_sender(self, request: _Request) -> SandboxSender:
        return self._sender(self._authenticate(request, "native"), request.query.get("senderId"))

    async def list_conversations(self, request: _Request, _param: str) -> _Response:
        data = self.state.conversations.list_json(self._conversation_sender(request), request.query)
        return _success("Conversation reports retrieved", data, request.request_id)

    async def conversation_summary(self, request: _Request, _param: str) -> _Response:
        data = self.state.conversations.summary_json(self._conversation_sender(request), request.query)
        return _success("Conversation summary retrieved", data, request.request_id)

    async def conversations_by_mobile(self, request: _Request, mobile: str) -> _Response:
        sender = self._conversation_sender(request)
        data = self.state.conversations.by_mobile_json(sender, mobile, request.query)
        return _success("Conversation reports retrieved", data, request.request_id)

    async def conversation(self, request: _Request, conversation_id: str) -> _Response:
        sender = self._conversation_sender(request)
        data = self.state.conversations.conversation_json(sender, conversation_id)
        return _success("Conversation retrieved", data, request.request_id)

    async def conversation_messages(self, request: _Request, conversation_id: str) -> _Response:
        sender = self._conversation_sender(request)
        data = self.state.conversations.messages_json(sender, conversation_id, request.query)
        return _success("Conversation messages retrieved", data, request.request_id)


# ---------------------------------------------------------------------- routing

_ROUTES: dict[str, _Route] = {
    "chat": _Route("chat", "POST", "native", SandboxApp.chat, "json_or_multipart"),
    "send": _Route("send", "POST", "native", SandboxApp.send, "json_or_multipart"),
    "messages": _Route("messages", "POST", "meta", SandboxApp.meta_messages, "json"),
    "phone_messages": _Route("phone_messages", "POST", "meta", SandboxApp.meta_messages, "json"),
    "templates": _Route("templates", "GET", "native", SandboxApp.list_templates),
    "template": _Route("template", "GET", "native", SandboxApp.get_template),
    "status": _Route("status", "GET", "native", SandboxApp.message_status),
    "reports": _Route("reports", "GET", "native", SandboxApp.message_reports),
    "history": _Route("history", "GET", "native", SandboxApp.message_history),
    "wallet": _Route("wallet", "GET", "billing", SandboxApp.wallet),
    "webhook_events": _Route("webhook_events", "GET", "native", SandboxApp.webhook_events),
    "contact_books": _Route("contact_books", "GET", "billing", SandboxApp.contact_books),
    "contact_book_contacts": _Route(
        "contact_book_contacts", "GET", "billing", SandboxApp.contact_book_contacts
    ),
    "message_blacklist": _Route("message_blacklist", "GET", "native", SandboxApp.message_blacklist),
    "webhooks": _Route("webhooks", "GET", "native", SandboxApp.list_webhooks),
    "webhook_create": _Route("webhook_create", "POST", "native", SandboxApp.create_webhook, "json"),
    "webhook": _Route("webhook", "GET", "native", SandboxApp.get_webhook),
    "webhook_update": _Route("webhook_update", "POST", "native", SandboxApp.update_webhook, "json"),
    "conversations": _Route("conversations", "GET", "native", SandboxApp.list_conversations),
    "conversation_summary": _Route("conversation_summary", "GET", "native", SandboxApp.conversation_summary),
    "conversations_by_mobile": _Route(
        "conversations_by_mobile", "GET", "native", SandboxApp.conversations_by_mobile
    ),
    "conversation": _Route("conversation", "GET", "native", SandboxApp.conversation),
    "conversation_messages": _Route(
        "conversation_messages", "GET", "native", SandboxApp.conversation_messages
    ),
}
_FIXED_PATHS = {
    "/chat": "chat",
    "/send": "send",
    "/messages": "messages",
    "/templates": "templates",
    "/reports/messages/status": "status",
    "/reports/messages/history": "history",
    "/reports/messages": "reports",
    "/billing/wallet": "wallet",
    "/webhooks/events": "webhook_events",
    "/webhooks": "webhooks",
    "/reports/conversations": "conversations",
    "/reports/conversations/summary": "conversation_summary",
    "/contact-books": "contact_books",
    "/message-blacklist": "message_blacklist",
}
_POST_ROUTES = {"webhooks": "webhook_create", "webhook": "webhook_update"}
"""Paths with both a GET and a POST route: the POST's route name."""
_V2_TWIN_ROUTES = frozenset({"chat", "send", "messages", "phone_messages"})
_PHONE_MESSAGES = re.compile(r"^/(\d+)/messages$")
_TEMPLATE = re.compile(r"^/templates/([^/]+)$")
_WEBHOOK = re.compile(r"^/webhooks/([^/]+)$")
_BOOK_CONTACTS = re.compile(r"^/contact-books/([^/]+)/contacts$")
_CONVERSATION_PATHS = (
    (re.compile(r"^/reports/conversations/by-mobile/([^/]+)$"), "conversations_by_mobile"),
    (re.compile(r"^/reports/conversations/([^/]+)/messages$"), "conversation_messages"),
    (re.compile(r"^/reports/conversations/([^/]+)$"), "conversation"),
)


def _match(method: str, path: str) -> tuple[_Route | None, str]:
    """The route and its path parameter; /v2 mounts only the send, chat and messages twins."""
    if path.startswith("/api/v2/"):
        rest, twin = path[len("/api/v2") :], False
    elif path.startswith("/v2/"):
        rest, twin = path[len("/v2") :], True
    else:
        return None, ""
    rest = rest.rstrip("/") or "/"
    name = _FIXED_PATHS.get(rest)
    param = ""
    if name is None:
        if match := _PHONE_MESSAGES.match(rest):
            name, param = "phone_messages", match.group(1)
        elif match := _TEMPLATE.match(rest):
            name, param = "template", match.group(1)
        elif match := _WEBHOOK.match(rest):
            name, param = "webhook", match.group(1)
        elif match := _BOOK_CONTACTS.match(rest):
            name, param = "contact_book_contacts", match.group(1)
        else:
            name, param = _conversation_route(rest)
    if name is None or (twin and name not in _V2_TWIN_ROUTES):
        return None, ""
    if method == "POST":
        name = _POST_ROUTES.get(name, name)
    route = _ROUTES[name]
    if route.method != method:
        return None, ""
    return route, param


def _conversation_route(rest: str) -> tuple[str | None, str]:
    for pattern, route_name in _CONVERSATION_PATHS:
        if match := pattern.match(rest):
            return route_name, match.group(1)
    return None, ""


# ---------------------------------------------------------------------- responses


def _metadata(request_id: str) -> dict[str, Any]:
    return {"apiVersion": "v2", "requestId": request_id}


def _json_response(
    status: int, payload: Mapping[str, Any], headers: Mapping[str, str] | None = None
) -> _Response:
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    try:
        body = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate a client sent as "\udXXX", echoed back
        body = json.dumps(payload, separators=(",", ":")).encode("ascii")
    return _Response(status, body, headers=dict(headers or {}))


def _success(message: str, data: Mapping[str, Any], request_id: str) -> _Response:
    return _json_response(
        200, {"success": True, "message": message, "data": data, "metadata": _metadata(request_id)}
    )


def _error_response(family: Family, fail: Fail, request_id: str) -> _Response:
    """Envelope shape 1 (native), 2 (billing) or 3 (Meta-compatible)."""
    payload: dict[str, Any]
    if family == "meta":
        error: dict[str, Any] = {
            "message": fail.message,
            "type": "Whats91PublicApiException",
            "code": fail.code,
        }
        if fail.details:
            error["details"] = fail.details
        payload = {"error": error, "metadata": _metadata(request_id)}
    elif family == "billing":
        nested: dict[str, Any] = {"code": fail.code, "message": fail.message}
        if fail.details:
            nested["details"] = [{"field": k, "message": str(v)} for k, v in fail.details.items()]
        payload = {
            "success": False,
            "message": fail.message,
            "error": nested,
            "metadata": _metadata(request_id),
        }
    else:
        payload = {"success": False, "message": fail.message, "error_code": fail.code}
        if fail.details is not None:  # an explicit {} is shown, as in the documented samples
            payload["details"] = fail.details
        payload["metadata"] = _metadata(request_id)
    return _json_response(fail.status, payload, fail.headers)


def _meta_api_response(message: SandboxMessage) -> dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "contacts": [{"input": message.receiver, "wa_id": message.receiver}],
        "messages": [{"id": message.wamid, "message_status": "accepted"}],
    }


def _native_success(message: SandboxMessage, request_id: str) -> _Response:
    common: dict[str, Any] = {
        "senderId": message.sender_id,
        "phoneNumberId": message.phone_number_id,
        "receiverId": message.receiver,
        "messageType": message.message_type,
        "templateName": message.template_name,
    }
    data: dict[str, Any]
    if message.queued:
        data = {
            "messageId": None,
            "message_id": None,
            "queued": True,
            "queueUid": message.queue_uid,
            "reportUid": message.report_uid,
            "status": "waiting_reconnect",
            **common,
        }
        return _success("Message queued until WhatsApp reconnects", data, request_id)
    data = {
        "messageId": message.wamid,
        "message_id": message.wamid,
        "queued": False,
        "status": "accepted",
        **common,
        "reportUid": message.report_uid,
        "apiResponse": _meta_api_response(message),
    }
    return _success("Message accepted by Meta", data, request_id)


def _meta_success(message: SandboxMessage, request_id: str, to: Any) -> _Response:
    contacts = [{"input": to if isinstance(to, str) else str(to), "wa_id": message.receiver}]
    if message.queued:
        payload: dict[str, Any] = {
            "messaging_product": "whatsapp",
            "contacts": contacts,
            "messages": [],
            "queued": True,
            "queueUid": message.queue_uid,
            "reportUid": message.report_uid,
            "status": "waiting_reconnect",
            "metadata": _metadata(request_id),
        }
    else:
        payload = {
            "messaging_product": "whatsapp",
            "contacts": contacts,
            "messages": [{"id": message.wamid}],
            "metadata": _metadata(request_id),
        }
    return _json_response(200, payload)


def _report_row(message: SandboxMessage, now: float) -> dict[str, Any]:
    latest = message.latest_step_at(now)
    return {
        "reportUid": message.report_uid,
        "messageId": message.message_id_at(now),
        "queueUid": message.queue_uid,
        "receiver": message.receiver,
        "sourceType": "PUBLIC_API",
        "campaignUid": None,
        "templateName": message.template_name,
        "messageType": message.message_type,
        "status": latest.status,
        "latestStatus": latest.status,
        "occurredAt": iso(latest.at),
        "createdAt": iso(message.created_at),
    }


def _redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    redacted = {}
    for key, value in headers.items():
        if key in _SENSITIVE_HEADERS:
            scheme, _, rest = value.partition(" ")
            value = f"{scheme} {REDACTED}" if rest and key.endswith("authorization") else REDACTED
        redacted[key] = value
    return redacted


def _redact_webhook_token(record: RecordedRequest) -> None:
    """The recorded copy of a create or update never keeps the verification token it set."""
    spec = record.fields.get("webhook")
    if isinstance(spec, dict) and "verificationToken" in spec:
        record.fields["webhook"] = {**spec, "verificationToken": REDACTED}


def _sender_not_allowed(sender_id: str) -> Fail:
    return Fail(
        403,
        "SENDER_NOT_ALLOWED",
        f"This token may not use sender {sender_id}",
        {"senderId": sender_id},
    )


def _parse_or_fail(
    parse: Callable[[], tuple[dict[str, Any], dict[str, FilePart]]],
) -> tuple[dict[str, Any], dict[str, FilePart]]:
    try:
        return parse()
    except BodyError as err:
        raise invalid(str(err), field="body") from None


def _is_read_receipt(route: _Route | None, fields: Mapping[str, Any]) -> bool:
    if route is not None and route.family != "meta":
        return False
    return fields.get("status") == "read" and bool(fields.get("message_id"))


def create_app(state: SandboxState | None = None) -> SandboxApp:
    """A sandbox app with a fresh state unless one is given."""
    return SandboxApp(state)


__all__ = ["DropConnection", "SandboxApp", "TemplateDict", "create_app", "iso"]
