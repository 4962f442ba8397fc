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

Every attempt has a deadline, :meth:`Whats91Client.attempt_deadline`: connect timeout + 2 ×
read timeout, plus one second per 100 kB uploaded. httpx's timeouts bound each network read, so
a server that trickles a byte a second would never trip them; past the deadline the attempt is
abandoned (a send's outcome is then ``unknown``). Retries start within the retry budget
(``RetryPolicy.max_total_seconds``), so a whole exchange ends within the deadline plus that
budget. A reply is read up to ``reply_body.MAX_REPLY_BYTES``, counted after decompression.

This module is the exchange and the retry loop. What each endpoint is sent is built in
``requests.py``, what it answers is read by ``envelope.py`` and ``responses.py``, and which
base URLs are allowed is decided in ``urls.py``.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import math
import random
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from types import TracebackType
from typing import Any, Literal, Self, TypeAlias, assert_never

import httpx

from whats91_desktop.core import (
    conversation_requests,
    conversation_responses,
    conversations,
    webhook_requests,
    webhook_responses,
    webhooks,
)
from whats91_desktop.core.asyncio_network import AsyncioTransport
from whats91_desktop.core.bulk import contact_books
from whats91_desktop.core.envelope import Envelope, parse_response
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
from whats91_desktop.core.exchange_record import ConnectTimer
from whats91_desktop.core.models import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_READ_TIMEOUT,
    DEFAULT_USER_AGENT,
    MessageStatus,
    Outcome,
    OutgoingMessage,
    Problem,
    ReportPage,
    ResponseHead,
    RetryNotice,
    SendResult,
    TemplateInfo,
    Wallet,
)
from whats91_desktop.core.redact import (
    FILE_PATHS_EXTENSION,
    REDACTED,
    format_request,
    formatted_request,
    redact_headers,
    redact_json_strings,
    redact_text,
)
from whats91_desktop.core.reply_body import ACCEPT_ENCODING, ReplyTooLarge, read_body
from whats91_desktop.core.requests import (
    JsonPost,
    ReadRequest,
    SendRequest,
    UploadPost,
    json_content,
    message_request,
    message_status_request,
    reports_request,
    template_detail_request,
    templates_request,
    upload_file,
    wallet_request,
)
from whats91_desktop.core.responses import (
    parse_message_status,
    parse_report_page,
    parse_template_detail,
    parse_template_page,
    parse_wallet,
)
from whats91_desktop.core.retry import (
    RETRY_AFTER_STATUSES,
    FailureKind,
    RetryPolicy,
    classify_exception,
    decide,
    parse_retry_after,
)
from whats91_desktop.core.urls import check_base_url

log = logging.getLogger(__name__)

AMBIGUOUS_STATUSES = frozenset({303, 502, 504, 524})
"""Answers after which the API may have acted: a gateway's "the upstream failed or timed out",
and 303 See Other, which answers a POST that was processed. Redirects are never followed (the
bearer token must not travel to another host), so any other 3xx means "not processed here"."""
MAX_RAW_RESPONSE_CHARS = 100_000
_ENVELOPE_VALUES = (
    "message",
    "request_id",
    "message_id",
    "status",
    "queue_uid",
    "report_uid",
    "sender_id",
    "phone_number_id",
    "wa_id",
)
"""The envelope's text fields that hold the server's values (and so may echo a token)."""
UPLOAD_BYTES_PER_SECOND = 100_000
"""The slowest upload the attempt deadline allows for: 16 MB get 160 s more."""
MAX_TEMPLATE_PAGES = 10

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


class DeadlinePassed(TimeoutError):
    """An attempt's answer was still incomplete at its deadline (see ``attempt_deadline``)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(
            f"the answer was not complete within the {round(seconds, 1):g}s deadline"
            " (connect + 2 × read timeout; the server sent it too slowly)"
        )


@dataclass
class _Exchange:
    """What the retry loop ended with: a response and its decoded body, or the last exception."""

    response: httpx.Response | None
    error: BaseException | None
    kind: FailureKind | None
    attempts: int
    waits: list[float] = field(default_factory=list)
    stop_reason: str | None = None
    notices: list[RetryNotice] = field(default_factory=list)
    connect_seconds: float | None = None  # of the last attempt (ConnectTimer)
    total_seconds: float | None = None  # of the last attempt, request out to reply read
    body: bytes = b""  # the response's decoded body (read within the size limit)


class Whats91Client:
    """One connection profile's client. Create once, ``await aclose()`` on quit."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        read_timeout: float = DEFAULT_READ_TIMEOUT,
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
        # Plain http is allowed only to this machine: an HTTP_PROXY from the environment
        # would carry the bearer token, unencrypted, to another host.
        trust_env = httpx.URL(self._base_url).scheme == "https"
        self._http = httpx.AsyncClient(
            transport=transport if transport is not None else AsyncioTransport(trust_env=trust_env),
            timeout=httpx.Timeout(
                connect=self._connect_timeout,
                read=self._read_timeout,
                write=self._read_timeout,
                pool=self._connect_timeout,
            ),
            headers={
                "User-Agent": user_agent or DEFAULT_USER_AGENT,
                "Accept": "application/json",
                "Accept-Encoding": ACCEPT_ENCODING,
            },
            follow_redirects=False,
            trust_env=trust_env,
        )

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def connect_timeout(self) -> float:
        return self._connect_timeout

    @property
    def read_timeout(self) -> float:
        """Seconds a reply may take once the request is sent (the profile's, or the default)."""
        return self._read_timeout

    def attempt_deadline(self, request: httpx.Request) -> float:
        """Seconds one attempt of ``request`` may take in all, connecting to the last byte of
        the answer: connect timeout + 2 × read timeout (one for sending, one for the answer),
        plus one second per 100 kB of body to upload."""
        try:
            uploaded = int(request.headers.get("content-length", "0"))
        except ValueError:
            uploaded = 0
        return self._connect_timeout + 2 * self._read_timeout + max(0, uploaded) / UPLOAD_BYTES_PER_SECOND

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
            return self._post(message_request(message))
        except UnicodeEncodeError:
            problem = Problem("message", "contains characters that are not valid text (no UTF-8 form)")
            raise ValidationError([problem]) from None

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
        raw_request = self._redact(formatted_request(request))
        log.debug("send request:\n%s", raw_request)
        exchange = await self._exchange(request, idempotent=False, on_retry=on_retry)
        common: dict[str, Any] = {
            "raw_request": raw_request,
            "attempts": exchange.attempts,
            "retry_waits": tuple(exchange.waits),
            "retries": tuple(exchange.notices),
        }
        response = exchange.response
        if response is None:
            return self._transport_failure_result(exchange, common)
        common["response_head"] = self._response_head(response, exchange)

        raw_text = self._redact(_body_text(response, exchange.body))
        raw_response = _clipped(raw_text)
        status_code = response.status_code
        try:
            envelope = self._parse(response, exchange.body, raw_text)
        except ApiError as error:
            ambiguous = _may_have_been_processed(status_code, error)
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
        detail = self._failure_detail(exchange)
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
        elif exchange.kind == "too_large":
            what = f"{detail}; it was not read"
        elif exchange.kind == "deadline":
            what = detail
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
            found = parse_template_page(await self._get(templates_request(sender_id, page=page)))
            added = 0
            for info in found.templates:
                if (info.name, info.language) not in seen:
                    seen.add((info.name, info.language))
                    templates.append(info)
                    added += 1
            if not found.has_more or added == 0 or page >= MAX_TEMPLATE_PAGES:
                return templates
            page += 1

    async def get_template(self, identifier: str, sender_id: str | None = None) -> TemplateInfo:
        """One template by name, templateUid or templateId."""
        return parse_template_detail(await self._get(template_detail_request(identifier, sender_id)))

    async def fetch_status(self, message_id: str, sender_id: str | None = None) -> MessageStatus:
        """Status history of one message (wamid, reportUid or queueUid)."""
        return parse_message_status(await self._get(message_status_request(message_id, sender_id)))

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
        request = reports_request(
            receiver=receiver,
            status=status,
            sender_id=sender_id,
            page=page,
            limit=limit,
            date_from=date_from,
            date_to=date_to,
        )
        return parse_report_page(await self._get(request), page=page, limit=limit)

    async def fetch_wallet(self, sender_id: str | None = None) -> Wallet:
        return parse_wallet(await self._get(wallet_request(sender_id)))

    async def check_token(self, sender_id: str | None = None) -> TokenCheck:
        """Try the token with one cheap read (``GET /templates?limit=1``). Never raises for
        API or transport problems."""
        try:
            envelope = await self._get(templates_request(sender_id, limit=1))
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

    async def _get(self, read: ReadRequest) -> Envelope:
        request = self._http.build_request(
            "GET", self._base_url + read.path, params=dict(read.query), headers=self._auth_headers()
        )
        if log.isEnabledFor(logging.DEBUG):  # formatting is most of a read's own cost
            log.debug("read request:\n%s", self._redact(format_request(request)))
        exchange = await self._exchange(request, idempotent=True, on_retry=None)
        response = exchange.response
        if response is None:
            detail = self._failure_detail(exchange)
            if exchange.kind in ("connect", "not_sent"):
                tries = f" after {exchange.attempts} attempts" if exchange.attempts > 1 else ""
                raise ConnectError(f"could not reach {self._host()}{tries}: {detail}") from exchange.error
            raise OutcomeUnknown(f"GET {read.path} failed: {detail}") from exchange.error
        raw_text = self._redact(_body_text(response, exchange.body))
        return self._parse(response, exchange.body, raw_text, data_may_be_list=read.data_may_be_list)

    def _parse(
        self, response: httpx.Response, body: bytes, raw_text: str, *, data_may_be_list: bool = False
    ) -> Envelope:
        """The one place an answer becomes values: the envelope, or the ``ApiError``, with our
        token scrubbed from every value that came from the server (ids, statuses, messages,
        nested data), not only from the raw text. ``raw_text`` is the redacted body."""
        try:
            envelope = parse_response(
                response.status_code, response.headers, body, data_may_be_list=data_may_be_list
            )
        except ApiError as err:
            raise self._scrubbed(err) from None
        if REDACTED not in raw_text and "\\" not in raw_text:
            # Nothing was scrubbed from the text (each scrub leaves the marker), and it has no
            # escapes that could hide a token from that: the values parsed from it are clean too.
            # (Most often the envelope's own text is that very text: no copy to make.)
            if envelope.raw_text == raw_text:
                return envelope
            return dataclasses.replace(envelope, raw_text=raw_text)
        secrets = (self._token,)
        text_fields: dict[str, Any] = {
            name: redact_text(value, secrets)
            for name in _ENVELOPE_VALUES
            if isinstance(value := getattr(envelope, name), str)
        }
        return dataclasses.replace(
            envelope,
            **text_fields,
            raw_text=raw_text,
            body=redact_json_strings(envelope.body, secrets),
            data=redact_json_strings(envelope.data, secrets),
            data_list=(
                tuple(redact_json_strings(list(envelope.data_list), secrets))
                if envelope.data_list is not None
                else None
            ),
            headers={k: redact_text(v, secrets) for k, v in envelope.headers.items()},
        )

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
        notices: list[RetryNotice] = []
        attempt = 0
        while True:
            attempt += 1
            response: httpx.Response | None = None
            body = b""
            error: BaseException | None = None
            retry_after: float | None = None
            timer = ConnectTimer(self._clock)
            request.extensions["trace"] = timer.trace
            sent_at = self._clock()
            deadline = self.attempt_deadline(request)
            try:
                async with asyncio.timeout(deadline):
                    response, body = await self._attempt(request)
            except TimeoutError:
                error = DeadlinePassed(deadline)
                kind = classify_exception(error)
            except (httpx.HTTPError, ReplyTooLarge) as err:
                error = err
                kind = classify_exception(err)
            else:
                if response.status_code not in RETRY_AFTER_STATUSES:
                    return _Exchange(
                        response,
                        None,
                        None,
                        attempt,
                        waits,
                        notices=notices,
                        connect_seconds=timer.connect_seconds,
                        total_seconds=self._clock() - sent_at,
                        body=body,
                    )
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
                return _Exchange(
                    response,
                    error,
                    kind,
                    attempt,
                    waits,
                    decision.reason,
                    notices,
                    timer.connect_seconds,
                    self._clock() - sent_at,
                    body,
                )
            reason = decision.reason if error is None else f"{decision.reason}: {self._error_detail(error)}"
            notice = RetryNotice(
                attempt=attempt,
                delay=decision.delay,
                reason=reason,
                http_status=response.status_code if response is not None else None,
            )
            notices.append(notice)
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

    async def _attempt(self, request: httpx.Request) -> tuple[httpx.Response, bytes]:
        """One request and its whole answer, the body read within the size limit."""
        response = await self._http.send(request, stream=True)
        try:
            body = await read_body(response)
        except BaseException:
            # The response was abandoned half read (too large, the deadline, a cancel):
            # close it; only its own exception matters.
            with contextlib.suppress(httpx.HTTPError):
                await response.aclose()
            raise
        await response.aclose()
        return response, body

    def _auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"}

    def _post(self, spec: SendRequest) -> httpx.Request:
        """The httpx request for ``spec``: built by our ``AsyncClient``, so it carries the
        User-Agent and the timeouts too. Encodes the JSON or reads the upload now."""
        url = self._base_url + spec.path
        match spec:
            case JsonPost():
                headers = {**self._auth_headers(), "Content-Type": "application/json"}
                return self._http.build_request("POST", url, content=json_content(spec.body), headers=headers)
            case UploadPost():
                return self._http.build_request(
                    "POST",
                    url,
                    data=dict(spec.fields),
                    files={spec.file_field: upload_file(spec)},
                    headers=self._auth_headers(),
                    extensions={FILE_PATHS_EXTENSION: {spec.file_field: str(spec.file_path)}},
                )
            case _:
                assert_never(spec)

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

    def _response_head(self, response: httpx.Response, exchange: _Exchange) -> ResponseHead:
        """Status line, redacted headers (a server may echo the token) and the last attempt's timing."""
        reason = f" {response.reason_phrase}" if response.reason_phrase else ""
        return ResponseHead(
            status_line=f"{response.http_version} {response.status_code}{reason}",
            headers=tuple((name, self._redact(value)) for name, value in redact_headers(response.headers)),
            connect_seconds=exchange.connect_seconds,
            total_seconds=exchange.total_seconds,
        )

    def _failure_detail(self, exchange: _Exchange) -> str:
        """What went wrong: our own words for the deadline and the size limit, else the
        exception's name and text."""
        if exchange.kind in ("deadline", "too_large"):
            return self._redact(str(exchange.error))
        return self._error_detail(exchange.error)

    def _error_detail(self, error: BaseException | None) -> str:
        if error is None:
            return "no error"
        text = str(error).strip()
        name = type(error).__name__
        return self._redact(f"{name}: {text}" if text else name)

    def _host(self) -> str:
        return httpx.URL(self._base_url).host

    # ----------------------------------------------------------------------- webhooks v2 (§4.1)
    # Builders in webhook_requests.py, parsers in webhook_responses.py. Reads retry like every
    # read; a create or an update is never repeated once it may have arrived (a second create
    # would make a second destination, with a second secret).

    async def webhook_events(self, sender_id: str | None = None) -> webhooks.EventCatalog:
        """The event catalog: the keys a destination may subscribe to."""
        return webhook_responses.parse_catalog(await self._get(webhook_requests.catalog_request(sender_id)))

    async def list_webhooks(
        self,
        sender_id: str | None = None,
        *,
        status: webhooks.WebhookStatus | None = None,
        event: str | None = None,
    ) -> list[webhooks.Webhook]:
        request = webhook_requests.list_request(sender_id, status=status, event=event)
        return webhook_responses.parse_webhook_list(await self._get(request))

    async def get_webhook(self, webhook_uid: str, sender_id: str | None = None) -> webhooks.Webhook:
        request = webhook_requests.get_request(webhook_uid, sender_id)
        return webhook_responses.parse_webhook(await self._get(request))

    async def create_webhook(
        self, draft: webhooks.WebhookDraft, sender_id: str | None = None
    ) -> webhooks.CreatedWebhook:
        """Create a destination. Its ``signing_secret`` is in the result this once only."""
        envelope = await self._manage(webhook_requests.create_request(draft, sender_id))
        return webhook_responses.parse_created(envelope)

    async def update_webhook(
        self, webhook_uid: str, draft: webhooks.WebhookDraft, sender_id: str | None = None
    ) -> webhooks.Webhook:
        """Change the fields ``draft`` gives (``status="INACTIVE"`` deactivates: there is no delete)."""
        envelope = await self._manage(webhook_requests.update_request(webhook_uid, draft, sender_id))
        return webhook_responses.parse_webhook(envelope)

    async def clear_webhook_verification_token(
        self, webhook_uid: str, sender_id: str | None = None
    ) -> webhooks.Webhook:
        draft = webhooks.WebhookDraft(clear_verification_token=True)
        return await self.update_webhook(webhook_uid, draft, sender_id)

    async def _manage(self, spec: JsonPost) -> Envelope:
        """One management POST, never repeated once it may have reached the server."""
        exchange = await self._exchange(self._post(spec), idempotent=False, on_retry=None)
        response = exchange.response
        if response is None:
            detail = self._failure_detail(exchange)
            if exchange.kind in ("connect", "not_sent"):
                raise ConnectError(
                    f"could not reach {self._host()}: {detail}; nothing was changed"
                ) from exchange.error
            raise OutcomeUnknown(
                f"POST {spec.path} failed: {detail}. It may have been applied: list the webhooks before"
                " trying again"
            ) from exchange.error
        return self._parse(response, exchange.body, self._redact(_body_text(response, exchange.body)))

    # ----------------------------------------------------------------------- conversations (§2.6)
    # Builders in conversation_requests.py, parsers in conversation_responses.py; all reads.

    async def list_conversations(
        self,
        query: conversations.ConversationQuery | None = None,
        sender_id: str | None = None,
        *,
        page: int = 1,
        limit: int = 50,
    ) -> conversations.ConversationPage:
        request = conversation_requests.list_request(query, sender_id, page=page, limit=limit)
        envelope = await self._get(request)
        return conversation_responses.parse_conversation_page(envelope, page=page, limit=limit)

    async def conversation_summary(
        self, query: conversations.ConversationQuery | None = None, sender_id: str | None = None
    ) -> conversations.ConversationSummary:
        request = conversation_requests.summary_request(query, sender_id)
        return conversation_responses.parse_summary(await self._get(request))

    async def conversations_by_mobile(
        self, mobile_number: str, sender_id: str | None = None, *, page: int = 1, limit: int = 50
    ) -> conversations.ConversationPage:
        request = conversation_requests.by_mobile_request(mobile_number, sender_id, page=page, limit=limit)
        envelope = await self._get(request)
        return conversation_responses.parse_conversation_page(envelope, page=page, limit=limit)

    async def get_conversation(
        self, conversation_id: int, sender_id: str | None = None
    ) -> conversations.Conversation:
        request = conversation_requests.conversation_request(conversation_id, sender_id)
        return conversation_responses.parse_conversation(await self._get(request))

    async def conversation_messages(
        self,
        conversation_id: int,
        query: conversations.MessageQuery | None = None,
        sender_id: str | None = None,
        *,
        page: int = 1,
        limit: int = 50,
    ) -> conversations.ThreadPage:
        request = conversation_requests.messages_request(
            conversation_id, query, sender_id, page=page, limit=limit
        )
        envelope = await self._get(request)
        return conversation_responses.parse_thread_page(envelope, conversation_id, page=page, limit=limit)

    # ----------------------------------------------------------------------- contact books and blacklist
    # Builders and parsers in bulk/contact_books.py; all reads (the bulk engine's audience).

    async def list_contact_books(self, *, page: int = 1) -> contact_books.Page[contact_books.ContactBook]:
        """One page of ACTIVE contact books; a number-scoped token gets a plain ``ForbiddenError``."""
        try:
            envelope = await self._get(contact_books.books_request(page=page))
        except ApiError as err:
            raise contact_books.explain_scope(err) from err
        return contact_books.parse_books(envelope)

    async def contact_book_contacts(
        self, book_uid: str, *, page: int = 1
    ) -> contact_books.Page[contact_books.Contact]:
        try:
            envelope = await self._get(contact_books.contacts_request(book_uid, page=page))
        except ApiError as err:
            raise contact_books.explain_scope(err) from err
        return contact_books.parse_contacts(envelope)

    async def list_blacklist(
        self, sender_id: str | None = None, *, page: int = 1
    ) -> contact_books.Page[contact_books.BlacklistEntry]:
        """One page of the sender's ACTIVE blacklist entries."""
        envelope = await self._get(contact_books.blacklist_request(sender_id, page=page))
        return contact_books.parse_blacklist(envelope)


def _may_have_been_processed(status: int, error: ApiError) -> bool:
    """Whether an error answer to a send leaves its outcome unknown rather than refused.

    A 2xx we cannot read and a gateway's 502/504 may follow a message the API took. So may any
    other 5xx, unless it carries a documented Whats91 or Meta error envelope (an error code):
    an HTML page or a bare "Internal Server Error" may come from a crash after the message left.
    """
    if 200 <= status < 300:
        return isinstance(error, ServerError)
    if status in AMBIGUOUS_STATUSES:
        return True
    return status >= 500 and error.code is None


def _clipped(text: str) -> str:
    """The answer as the log keeps it: at most ``MAX_RAW_RESPONSE_CHARS``, and how much more."""
    if len(text) <= MAX_RAW_RESPONSE_CHARS:
        return text
    return text[:MAX_RAW_RESPONSE_CHARS] + f"\n… ({len(text) - MAX_RAW_RESPONSE_CHARS} more characters)"


_CHARSET = re.compile(r"(?i)charset\s*=\s*\"?([\w.:-]+)")


def _body_text(response: httpx.Response, body: bytes) -> str:
    """``body`` as text in the answer's declared charset (UTF-8 when none, or an unknown one)."""
    declared = _CHARSET.search(response.headers.get("content-type", ""))
    encoding = declared.group(1) if declared else "utf-8"
    try:
        return body.decode(encoding, "replace")
    except LookupError:
        return body.decode("utf-8", "replace")


def _check_token(token: str) -> str:
    if not isinstance(token, str) or not token.strip():
        raise ConfigError("no API token is set")
    value = token.strip()
    if not value.isascii() or any(ch.isspace() or not ch.isprintable() for ch in value):
        raise ConfigError("the API token contains spaces, control or non-ASCII characters")
    return value
