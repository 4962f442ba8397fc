"""The Whats91 HTTP client: one long-lived ``httpx.AsyncClient``, sends and reads.

Two rules shape this module.

* A send is never repeated once it may have reached the server. Whats91 has no idempotency
  key, so after a read timeout or a dropped connection the honest answer is ``unknown``;
  the user reconciles through the reports. Only failures that surely did not arrive
  (connect errors) and answers that ask for it (429/503 with ``Retry-After``) are retried,
  within ``RetryPolicy``'s bounds, and each wait is announced through ``on_retry`` first.
* ``send`` reports every API or transport problem in its ``SendResult``; read methods raise
  the error tree of ``errors.py`` and wrap every httpx exception.

The token lives in one attribute and in the ``Authorization`` header of each request; it is
kept out of ``repr``, results, exceptions and logs (see ``redact.py``). That includes what a
server echoes back: ``raw_response`` (shown in the UI, stored in the log) and error messages
are scrubbed of the token in every encoding ``redact_text`` knows, so they are not byte-exact.
Redirects are never followed, and plain http (loopback only) ignores proxy settings, so the
bearer token never travels to another host.
"""

from __future__ import annotations

import asyncio
import dataclasses
import ipaddress
import json
import logging
import math
import mimetypes
import os
import random
import re
import stat
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self, TypeAlias
from urllib.parse import quote

import httpx

from whats91_desktop import __version__
from whats91_desktop.core.envelope import Envelope, parse_response
from whats91_desktop.core.envelope import as_text as _text
from whats91_desktop.core.errors import (
    ApiError,
    AuthError,
    ConfigError,
    ConnectError,
    ForbiddenError,
    OutcomeUnknown,
    ServerError,
    ValidationError,
)
from whats91_desktop.core.models import (
    ButtonsMessage,
    ListMessage,
    MediaMessage,
    MessageReport,
    MessageStatus,
    MetaMessage,
    Outcome,
    OutgoingMessage,
    Problem,
    ReportPage,
    RetryNotice,
    SendResult,
    StatusEvent,
    TemplateButton,
    TemplateInfo,
    TemplateMessage,
    TextMessage,
    Wallet,
)
from whats91_desktop.core.redact import FILE_PATHS_EXTENSION, format_request, redact_text
from whats91_desktop.core.retry import (
    RETRY_AFTER_STATUSES,
    FailureKind,
    RetryPolicy,
    classify_exception,
    decide,
    parse_retry_after,
)
from whats91_desktop.core.validation import UPLOAD_MAX_BYTES

log = logging.getLogger(__name__)

DEFAULT_USER_AGENT = f"whats91-desktop/{__version__} (+python-httpx)"
AMBIGUOUS_STATUSES = frozenset({303, 502, 504, 524})
"""Answers after which the API may have acted: a gateway's "the upstream failed or timed out",
and 303 See Other, which answers a POST that was processed. Redirects are never followed (the
bearer token must not travel to another host), so any other 3xx means "not processed here"."""
MAX_RAW_RESPONSE_CHARS = 100_000
MAX_TEMPLATE_PAGES = 10
_PLACEHOLDER = re.compile(r"\{\{\s*\d+\s*\}\}")

TokenVerdict: TypeAlias = Literal["valid", "invalid", "forbidden", "unreachable", "unknown"]


@dataclass(frozen=True)
class TokenCheck:
    """The answer to "does this token work (for this sender)?" from one cheap read."""

    verdict: TokenVerdict
    http_status: int | None = None
    request_id: str | None = None
    message: str | None = None

    @property
    def ok(self) -> bool:
        return self.verdict == "valid"


def check_base_url(url: str) -> str:
    """The base URL without a trailing slash. Refuses anything but https, except plain http
    to a loopback host (127.0.0.0/8, ::1, localhost) for local test servers."""
    text = url.strip() if isinstance(url, str) else ""
    if not text:
        raise ConfigError("the base URL is empty")
    try:
        parsed = httpx.URL(text)
    except (httpx.InvalidURL, TypeError, ValueError) as err:
        raise ConfigError(f"the base URL is not a valid URL: {err}") from None
    scheme = parsed.scheme.lower()
    host = parsed.host
    if not host:
        raise ConfigError(f"the base URL has no host: {text!r}")
    if parsed.userinfo:
        raise ConfigError("the base URL must not contain a user name or password")
    if parsed.query or parsed.fragment:
        raise ConfigError("the base URL must not contain a query or a fragment")
    if parsed.port is not None and not 0 < parsed.port < 65536:
        raise ConfigError(f"the base URL's port {parsed.port} is not between 1 and 65535")
    if scheme == "http":
        if not _is_loopback(host):
            raise ConfigError(f"refusing plain http to {host}: use https (http is allowed only to loopback)")
    elif scheme != "https":
        raise ConfigError(f"unsupported scheme {scheme or '(none)'!r}: use https")
    return str(parsed).rstrip("/")


def _is_loopback(host: str) -> bool:
    # Exactly "localhost": "localhost." (a fully qualified name) skips the hosts file on some
    # resolvers and goes to DNS, which may answer with any address.
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass
class _Exchange:
    """What the retry loop ended with: a response, or the last exception."""

    response: httpx.Response | None
    error: httpx.HTTPError | None
    kind: FailureKind | None
    attempts: int
    waits: list[float] = field(default_factory=list)
    stop_reason: str | None = None


class Whats91Client:
    """One connection profile's client. Create once, ``await aclose()`` on quit."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        connect_timeout: float = 10.0,
        read_timeout: float = 30.0,
        retry_policy: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        user_agent: str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._base_url = check_base_url(base_url)
        self._token = _check_token(token)
        if not all(math.isfinite(t) and t > 0 for t in (connect_timeout, read_timeout)):
            raise ConfigError("timeouts must be positive numbers of seconds")
        self._connect_timeout = float(connect_timeout)
        self._read_timeout = float(read_timeout)
        self._policy = retry_policy if retry_policy is not None else RetryPolicy()
        self._sleep = sleep
        self._clock = clock
        self._random = random.random
        self._http = httpx.AsyncClient(
            transport=transport,
            timeout=httpx.Timeout(
                connect=self._connect_timeout,
                read=self._read_timeout,
                write=self._read_timeout,
                pool=self._connect_timeout,
            ),
            headers={"User-Agent": user_agent or DEFAULT_USER_AGENT, "Accept": "application/json"},
            follow_redirects=False,
            # Plain http is allowed only to this machine: an HTTP_PROXY from the environment
            # would carry the bearer token, unencrypted, to another host.
            trust_env=httpx.URL(self._base_url).scheme == "https",
        )

    @property
    def base_url(self) -> str:
        return self._base_url

    def __repr__(self) -> str:
        return f"Whats91Client(base_url={self._base_url!r}, token=<redacted>)"

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    # ----------------------------------------------------------------------- sending

    def build_request(self, message: OutgoingMessage) -> httpx.Request:
        """The exact request ``send`` would make. No network; reads an attached file.

        Raises ``ValidationError`` only when the request cannot be built at all (an unreadable
        file, a payload that is not JSON-serialisable, text with no UTF-8 form, an unknown
        message type).
        """
        try:
            return self._build_request(message)
        except UnicodeEncodeError:
            problem = Problem("message", "contains characters that are not valid text (no UTF-8 form)")
            raise ValidationError([problem]) from None

    def _build_request(self, message: OutgoingMessage) -> httpx.Request:
        if isinstance(message, TextMessage):
            body = _with_sender(message.sender_id, {"to": message.to, "type": "text", "text": message.text})
            return self._json_request("/chat", body)
        if isinstance(message, MediaMessage):
            return self._media_request(message)
        if isinstance(message, ButtonsMessage):
            body = _with_sender(
                message.sender_id,
                {
                    "to": message.to,
                    "type": "buttons",
                    "text": message.text,
                    "buttons": [{"id": b.id, "title": b.title} for b in message.buttons],
                },
            )
            return self._json_request("/chat", body)
        if isinstance(message, ListMessage):
            return self._json_request("/chat", _list_body(message))
        if isinstance(message, TemplateMessage):
            return self._template_request(message)
        if isinstance(message, MetaMessage):
            return self._meta_request(message)
        raise ValidationError([Problem("kind", f"unsupported message type {type(message).__name__}")])

    async def send(
        self,
        message: OutgoingMessage,
        *,
        on_retry: Callable[[RetryNotice], None] | None = None,
        request: httpx.Request | None = None,
    ) -> SendResult:
        """Send once (plus the safe retries) and say what became of it. Never raises for API or
        transport problems. Cancelling the task mid-request leaves the outcome unknown.

        ``request`` is what ``build_request(message)`` returned, when the caller already built
        it (the outbox does, off the event loop, so a 16 MB upload is read once and never on
        the GUI thread).
        """
        if request is None:
            try:
                request = self.build_request(message)
            except ValidationError as err:
                return SendResult(outcome=Outcome.INVALID, error_message=str(err), problems=err.problems)
        raw_request = self._redact(format_request(request))
        log.debug("send request:\n%s", raw_request)
        exchange = await self._exchange(request, idempotent=False, on_retry=on_retry)
        common: dict[str, Any] = {
            "raw_request": raw_request,
            "attempts": exchange.attempts,
            "retry_waits": tuple(exchange.waits),
        }
        response = exchange.response
        if response is None:
            return self._transport_failure_result(exchange, common)

        raw_response = self._raw_text(response)
        status_code = response.status_code
        try:
            envelope = parse_response(status_code, response.headers, response.content)
        except ApiError as raw_error:
            error = self._scrubbed(raw_error)
            # A 2xx we cannot read, or a gateway's 502/504: the API may have taken the message.
            unreadable_success = 200 <= status_code < 300 and isinstance(error, ServerError)
            ambiguous = unreadable_success or status_code in AMBIGUOUS_STATUSES
            message_text = error.message
            if ambiguous:
                message_text += (
                    " — the message may have been accepted; nothing was resent, check the reports"
                    " before sending again"
                )
            elif exchange.kind == "http" and exchange.stop_reason:
                message_text += f" ({exchange.stop_reason})"
            log.info("send finished: HTTP %s %s", status_code, "unknown" if ambiguous else "rejected")
            return SendResult(
                outcome=Outcome.UNKNOWN if ambiguous else Outcome.REJECTED,
                http_status=status_code,
                request_id=error.request_id,
                error_code=error.code,
                error_message=message_text,
                raw_response=raw_response,
                **common,
            )
        outcome = Outcome.QUEUED if envelope.queued else Outcome.ACCEPTED
        log.info("send finished: HTTP %s %s", status_code, outcome.value)
        return SendResult(
            outcome=outcome,
            http_status=status_code,
            message_id=envelope.message_id,
            status=envelope.status,
            sender_id=envelope.sender_id,
            phone_number_id=envelope.phone_number_id,
            request_id=envelope.request_id,
            queue_uid=envelope.queue_uid,
            report_uid=envelope.report_uid,
            raw_response=raw_response,
            **common,
        )

    def _transport_failure_result(self, exchange: _Exchange, common: dict[str, Any]) -> SendResult:
        detail = self._error_detail(exchange.error)
        tries = f" after {exchange.attempts} attempts" if exchange.attempts > 1 else ""
        if exchange.kind in ("connect", "not_sent"):
            log.info("send finished: unreachable (%s)", detail)
            return SendResult(
                outcome=Outcome.UNREACHABLE,
                error_message=f"could not reach {self._host()}{tries}: {detail} (the message was not sent)",
                **common,
            )
        if exchange.kind == "read_timeout":
            what = f"no answer within {self._read_timeout:g}s"
        else:
            what = f"the connection failed before a complete answer ({detail})"
        log.warning("send finished: outcome unknown (%s)", what)
        return SendResult(
            outcome=Outcome.UNKNOWN,
            error_message=(
                f"{what}: the message may have reached Whats91. It was not resent; check the"
                " message reports before sending again"
            ),
            **common,
        )

    # ----------------------------------------------------------------------- reading

    async def list_templates(self, sender_id: str | None = None) -> list[TemplateInfo]:
        """Every template the sender can use (follows ``hasMore`` for a few pages)."""
        templates: list[TemplateInfo] = []
        seen: set[tuple[str, str | None]] = set()
        page = 1
        while True:
            envelope = await self._get(
                "/templates", {"senderId": sender_id, "page": page}, data_may_be_list=True
            )
            items = _template_items(envelope)
            if items is None:
                raise _shape_error(envelope, "the templates response has no templates list")
            added = 0
            for item in items:
                info = parse_template(item)
                if info is not None and (info.name, info.language) not in seen:
                    seen.add((info.name, info.language))
                    templates.append(info)
                    added += 1
            pagination = envelope.data.get("pagination")
            has_more = isinstance(pagination, dict) and pagination.get("hasMore") is True
            if not has_more or added == 0 or page >= MAX_TEMPLATE_PAGES:
                return templates
            page += 1

    async def get_template(self, identifier: str, sender_id: str | None = None) -> TemplateInfo:
        """One template by name, templateUid or templateId."""
        _check_encodable(identifier=identifier)
        envelope = await self._get(f"/templates/{quote(str(identifier), safe='')}", {"senderId": sender_id})
        candidate = envelope.data.get("template", envelope.data)
        info = parse_template(candidate)
        if info is None:
            raise _shape_error(envelope, "the template response has no template")
        return info

    async def fetch_status(self, message_id: str, sender_id: str | None = None) -> MessageStatus:
        """Status history of one message (wamid, reportUid or queueUid)."""
        envelope = await self._get(
            "/reports/messages/status", {"messageId": message_id, "senderId": sender_id}
        )
        return parse_message_status(envelope.data, request_id=envelope.request_id)

    async def list_reports(
        self,
        *,
        receiver: str | None = None,
        status: str | None = None,
        sender_id: str | None = None,
        page: int = 1,
        limit: int = 50,
        date_from: date | str | None = None,
        date_to: date | str | None = None,
    ) -> ReportPage:
        envelope = await self._get(
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
        return parse_report_page(envelope.data, page=page, limit=limit, request_id=envelope.request_id)

    async def fetch_wallet(self, sender_id: str | None = None) -> Wallet:
        envelope = await self._get("/billing/wallet", {"senderId": sender_id})
        wallet = envelope.data.get("wallet", envelope.data)
        if not isinstance(wallet, dict):
            raise _shape_error(envelope, "the wallet response has no wallet object")
        return Wallet(
            balance=_number(wallet.get("balance")),
            currency=_text(wallet.get("currency")),
            status=_text(wallet.get("status")),
            request_id=envelope.request_id,
        )

    async def check_token(self, sender_id: str | None = None) -> TokenCheck:
        """Try the token with one cheap read (``GET /templates?limit=1``). Never raises for
        API or transport problems."""
        try:
            envelope = await self._get(
                "/templates", {"senderId": sender_id, "limit": 1}, data_may_be_list=True
            )
        except AuthError as err:
            return TokenCheck("invalid", err.http_status, err.request_id, err.message)
        except ForbiddenError as err:
            return TokenCheck("forbidden", err.http_status, err.request_id, err.message)
        except ApiError as err:
            return TokenCheck("unknown", err.http_status, err.request_id, err.message)
        except ConnectError as err:
            return TokenCheck("unreachable", None, None, str(err))
        except OutcomeUnknown as err:
            return TokenCheck("unknown", None, None, str(err))
        return TokenCheck("valid", envelope.http_status, envelope.request_id, envelope.message)

    # ----------------------------------------------------------------------- plumbing

    async def _get(
        self, path: str, params: Mapping[str, str | int | None], *, data_may_be_list: bool = False
    ) -> Envelope:
        query = {key: str(value) for key, value in params.items() if value is not None and value != ""}
        _check_encodable(**query)
        request = self._http.build_request(
            "GET", self._base_url + path, params=query, headers=self._auth_headers()
        )
        log.debug("read request:\n%s", self._redact(format_request(request)))
        exchange = await self._exchange(request, idempotent=True, on_retry=None)
        response = exchange.response
        if response is None:
            detail = self._error_detail(exchange.error)
            if exchange.kind in ("connect", "not_sent"):
                tries = f" after {exchange.attempts} attempts" if exchange.attempts > 1 else ""
                raise ConnectError(f"could not reach {self._host()}{tries}: {detail}") from exchange.error
            raise OutcomeUnknown(f"GET {path} failed: {detail}") from exchange.error
        try:
            envelope = parse_response(
                response.status_code, response.headers, response.content, data_may_be_list=data_may_be_list
            )
        except ApiError as err:
            raise self._scrubbed(err) from None
        return dataclasses.replace(envelope, raw_text=self._redact(envelope.raw_text))

    async def _exchange(
        self,
        request: httpx.Request,
        *,
        idempotent: bool,
        on_retry: Callable[[RetryNotice], None] | None,
    ) -> _Exchange:
        """Send ``request`` until it succeeds or ``decide`` says stop. Never raises httpx errors."""
        started = self._clock()
        waits: list[float] = []
        attempt = 0
        while True:
            attempt += 1
            response: httpx.Response | None = None
            error: httpx.HTTPError | None = None
            retry_after: float | None = None
            try:
                response = await self._http.send(request)
            except httpx.HTTPError as err:
                error = err
                kind = classify_exception(err)
            else:
                if response.status_code not in RETRY_AFTER_STATUSES:
                    return _Exchange(response, None, None, attempt, waits)
                kind = "http"
                retry_after = parse_retry_after(response.headers.get("retry-after"))
            decision = decide(
                self._policy,
                kind=kind,
                attempt=attempt,
                elapsed=self._clock() - started,
                idempotent=idempotent,
                status=response.status_code if response is not None else None,
                retry_after=retry_after,
                jitter_sample=self._random(),
            )
            if not decision.retry:
                return _Exchange(response, error, kind, attempt, waits, decision.reason)
            reason = decision.reason if error is None else f"{decision.reason}: {self._error_detail(error)}"
            notice = RetryNotice(attempt=attempt, delay=decision.delay, reason=reason)
            log.info(
                "%s %s: attempt %d failed (%s); retrying in %.1fs",
                request.method,
                request.url.path,
                attempt,
                reason,
                decision.delay,
            )
            if on_retry is not None:
                on_retry(notice)
            waits.append(decision.delay)
            await self._sleep(decision.delay)

    def _auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"}

    def _json_request(self, path: str, body: Mapping[str, Any]) -> httpx.Request:
        try:
            content = json.dumps(
                body, ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=_json_default
            ).encode("utf-8")
        except (TypeError, ValueError, RecursionError) as err:
            raise ValidationError([Problem("payload", f"cannot be encoded as JSON: {err}")]) from None
        headers = {**self._auth_headers(), "Content-Type": "application/json"}
        return self._http.build_request("POST", self._base_url + path, content=content, headers=headers)

    def _multipart_request(
        self,
        path: str,
        data: Mapping[str, str | list[str]],
        file_field: str,
        file_path: Path,
        field_name: str,
    ) -> httpx.Request:
        content = _read_upload(file_path, field_name)
        mime = mimetypes.guess_type(file_path.name)[0] or "application/octet-stream"
        # A file name in no UTF-8 (undecodable bytes on disk) is sent with U+FFFD in their place.
        filename = os.fsencode(file_path.name).decode("utf-8", "replace")
        return self._http.build_request(
            "POST",
            self._base_url + path,
            data=dict(data),
            files={file_field: (filename, content, mime)},
            headers=self._auth_headers(),
            extensions={FILE_PATHS_EXTENSION: {file_field: str(file_path)}},
        )

    def _media_request(self, message: MediaMessage) -> httpx.Request:
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
            return self._multipart_request(
                "/chat", _form_fields(body), "mediaFile", Path(message.file_path), "file_path"
            )
        return self._json_request("/chat", body)

    def _template_request(self, message: TemplateMessage) -> httpx.Request:
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
            return self._multipart_request(
                "/send", fields, "mediaFile", Path(message.media_file), "media_file"
            )
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
        return self._json_request("/send", body)

    def _meta_request(self, message: MetaMessage) -> httpx.Request:
        if not isinstance(message.payload, Mapping):
            raise ValidationError([Problem("payload", "must be a JSON object")])
        payload = dict(message.payload)
        phone_number_id = (message.phone_number_id or "").strip()
        if phone_number_id:
            return self._json_request(f"/{quote(phone_number_id, safe='')}/messages", payload)
        if message.sender_id and "senderId" not in payload:
            payload = {"senderId": message.sender_id, **payload}
        return self._json_request("/messages", payload)

    def _redact(self, text: str) -> str:
        return redact_text(text, (self._token,))

    def _scrubbed(self, err: ApiError) -> ApiError:
        """``err`` with our token scrubbed from everything a person may see: a server may echo
        the token it was sent (in a message, a code or the body we keep as ``raw_response``)."""
        err.message = self._redact(err.message)
        err.code = self._redact(err.code) if err.code is not None else None
        err.request_id = self._redact(err.request_id) if err.request_id is not None else None
        if err.raw_response is not None:
            err.raw_response = self._redact(err.raw_response)
        err.args = tuple(self._redact(str(arg)) for arg in err.args)
        return err

    def _raw_text(self, response: httpx.Response) -> str:
        text = self._redact(response.text)
        if len(text) > MAX_RAW_RESPONSE_CHARS:
            text = (
                text[:MAX_RAW_RESPONSE_CHARS] + f"\n… ({len(text) - MAX_RAW_RESPONSE_CHARS} more characters)"
            )
        return text

    def _error_detail(self, error: BaseException | None) -> str:
        if error is None:
            return "no error"
        text = str(error).strip()
        name = type(error).__name__
        return self._redact(f"{name}: {text}" if text else name)

    def _host(self) -> str:
        return httpx.URL(self._base_url).host


# --------------------------------------------------------------------------- body builders


def _check_encodable(**values: str) -> None:
    """``ValidationError`` (before any I/O) for text with no UTF-8 form: lone surrogates, as
    Python makes from undecodable command-line bytes. httpx would raise a UnicodeEncodeError."""
    for name, value in values.items():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationError([Problem(name, "contains characters that are not valid text")]) from None


def _read_upload(path: Path, field_name: str) -> bytes:
    """The file's bytes, read once (a retry resends these same bytes), and checked again now:
    it may have changed since validation. Never blocks on a FIFO or device, never reads more
    than the upload limit."""

    def problem(text: str) -> ValidationError:
        return ValidationError([Problem(field_name, f"{path.name}: {text}")])

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as err:
        raise problem(f"cannot read it: {err.strerror or type(err).__name__}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise problem("not a regular file")
        with os.fdopen(fd, "rb") as file:
            content = file.read(UPLOAD_MAX_BYTES + 1)
    except OSError as err:
        raise problem(f"cannot read it: {err.strerror or type(err).__name__}") from None
    if len(content) > UPLOAD_MAX_BYTES:
        raise problem(f"larger than the {UPLOAD_MAX_BYTES // 1024 // 1024} MB upload limit")
    if not content:
        raise problem("the file is empty")
    return content


def _check_token(token: str) -> str:
    if not isinstance(token, str) or not token.strip():
        raise ConfigError("no API token is set")
    value = token.strip()
    if not value.isascii() or any(ch.isspace() or not ch.isprintable() for ch in value):
        raise ConfigError("the API token contains spaces, control or non-ASCII characters")
    return value


def _with_sender(sender_id: str | None, fields: Mapping[str, Any]) -> dict[str, Any]:
    """``senderId`` first (when set), then the fields that are not None."""
    body: dict[str, Any] = {"senderId": sender_id} if sender_id else {}
    body.update({key: value for key, value in fields.items() if value is not None})
    return body


def _form_fields(body: Mapping[str, Any]) -> dict[str, str | list[str]]:
    return {key: str(value) for key, value in body.items() if value is not None}


def _list_body(message: ListMessage) -> dict[str, Any]:
    sections = []
    for section in message.sections:
        rows = []
        for row in section.rows:
            item = {"id": row.id, "title": row.title}
            if row.description:
                item["description"] = row.description
            rows.append(item)
        sections.append({"title": section.title, "rows": rows})
    return _with_sender(
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


def _json_default(value: Any) -> Any:
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    raise TypeError(f"{type(value).__name__} is not JSON-serialisable")


# --------------------------------------------------------------------------- response parsers


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


def _parse_button(obj: Any) -> TemplateButton | None:
    if not isinstance(obj, dict):
        return None
    kind = (_text(obj.get("type")) or "").upper()
    url = _text(obj.get("url"))
    has_variable = kind in ("COPY_CODE", "OTP") or (url is not None and _has_placeholder(url))
    return TemplateButton(
        type=kind or "UNKNOWN",
        text=_text(obj.get("text")) or _text(obj.get("title")) or "",
        url=url,
        has_variable=has_variable,
    )


def _has_placeholder(text: str) -> bool:
    return _PLACEHOLDER.search(text) is not None


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


def parse_message_status(data: Mapping[str, Any], *, request_id: str | None = None) -> MessageStatus:
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
        request_id=request_id,
    )


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


def parse_report_page(
    data: Mapping[str, Any], *, page: int = 1, limit: int = 50, request_id: str | None = None
) -> ReportPage:
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
        request_id=request_id,
    )


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
