"""Sending through the log: a committed row first, then the request, then the result.

The order is the point. If the app dies after the request left, the row is there in
state ``sending``; :meth:`Outbox.recover_interrupted` turns such rows into ``unknown`` at
the next start, so the user checks before resending instead of sending twice.

The row keeps the composed message as JSON next to the redacted request, so "Send again"
and "Copy as curl" can rebuild it in a later session.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, assert_never

from whats91_desktop.core.errors import ConnectError, ValidationError
from whats91_desktop.core.models import (
    ButtonsMessage,
    ListMessage,
    MediaMessage,
    MetaMessage,
    Outcome,
    OutgoingMessage,
    RetryNotice,
    SendResult,
    TemplateMessage,
    TextMessage,
)
from whats91_desktop.core.redact import formatted_request, redact_text
from whats91_desktop.core.serialize import message_to_json
from whats91_desktop.core.store import INTERRUPTED_MESSAGE, AsyncMessageStore, SendingRow, StoreError
from whats91_desktop.core.store.group_commit import GroupCommit

if TYPE_CHECKING:
    import httpx  # only in the client's signatures: the client that builds requests has loaded it

PREVIEW_LENGTH = 120

RetryCallback = Callable[[RetryNotice], None]


class SendingClient(Protocol):
    """What the outbox needs of ``Whats91Client``."""

    def build_request(self, message: OutgoingMessage) -> httpx.Request: ...

    async def send(
        self,
        message: OutgoingMessage,
        *,
        on_retry: RetryCallback | None = None,
        request: httpx.Request | None = None,
    ) -> SendResult: ...


def _build_and_format(client: SendingClient, message: OutgoingMessage) -> tuple[httpx.Request, str]:
    request = client.build_request(message)
    return request, formatted_request(request)  # kept on the request: the client reuses it


class Outbox:
    """Sends messages so that each one is in the log before it leaves.

    Building a request reads an attached file (up to 16 MB), so it runs on ``executor``, never
    on the event loop's thread (the GUI thread in the app). The caller owns the executor and
    shuts it down; in the app it is a plain Python thread pool, not the loop's default
    executor, whose qasync QThreads abort the process when still alive at exit.
    """

    def __init__(self, store: AsyncMessageStore, *, executor: concurrent.futures.Executor) -> None:
        self.store = store
        self._executor = executor
        # Sends in flight together (a bulk job's workers) share the log's transactions.
        self._inserts = GroupCommit[SendingRow, int](self._create_sending_many, store.submit)
        self._completions = GroupCommit[tuple[int, SendResult], None](self._complete_many, store.submit)

    def _create_sending_many(self, rows: list[SendingRow]) -> list[int]:
        return self.store.store.create_sending_many(rows)

    def _complete_many(self, results: list[tuple[int, SendResult]]) -> list[None]:
        self.store.store.complete_many(results)
        return [None] * len(results)

    async def send(
        self,
        client: SendingClient,
        message: OutgoingMessage,
        *,
        profile: str,
        preview: str | None = None,
        parent_id: int | None = None,
        on_retry: RetryCallback | None = None,
        on_created: Callable[[int], None] | None = None,
        job_id: str | None = None,
    ) -> tuple[int, SendResult]:
        """Log, send, record the result; returns ``(row_id, result)``.

        Errors from ``build_request`` (nothing sent, no row) propagate. If the result cannot be
        written to the row, it is returned all the same, with ``log_warning`` saying so. If
        ``client.send`` raises, the row is marked — ``unreachable`` for a ConnectError,
        ``invalid`` for a ValidationError, ``unknown`` for anything else (including
        cancellation) — and the error is re-raised: a row is never left in ``sending``.
        ``job_id`` links the row to the bulk job sending it.
        """
        loop = asyncio.get_running_loop()
        request, request_text = await loop.run_in_executor(self._executor, _build_and_format, client, message)
        row_id = await self._inserts(
            SendingRow(
                profile=profile,
                sender_id=message.sender_id,
                recipient=message.to,
                kind=message.kind,
                preview=preview_of(message) if preview is None else preview,
                request_text=request_text,
                parent_id=parent_id,
                message_json=message_to_json(message),
                body=searchable_text(message),
                job_id=job_id,
            )
        )
        try:
            if on_created is not None:
                on_created(row_id)
            # One turn of the loop between the caller's on_created (in the window: the log, the
            # compose pane) and the request's start (a client's whole exchange with an
            # in-process server runs in one step): neither waits behind the other in one long
            # step. Inside this try: a cancel in that turn is "not sent", never a row in sending.
            await asyncio.sleep(0)
        except BaseException as err:
            reason = f"Not sent: {_describe(err)}"
            await self.store.mark_outcome(row_id, Outcome.UNREACHABLE, error_message=reason)
            raise
        try:
            result = await client.send(message, on_retry=on_retry, request=request)
        except BaseException as err:
            outcome, prefix = _outcome_for(err)
            reason = prefix + _describe(err)
            await asyncio.shield(self.store.mark_outcome(row_id, outcome, error_message=reason))
            raise
        try:
            await asyncio.shield(self._completions((row_id, result)))
        except StoreError as err:
            # The server answered: its result stands, whatever became of the log. Reporting it
            # as an error would invite a resend; the store kept it to write later (or says why not).
            text = str(err)
            warning = (
                f"{text[:1].upper()}{text[1:]}. The outcome shown is the server's answer: "
                "do not resend because of this."
            )
            result = dataclasses.replace(result, log_warning=warning)
        return row_id, result

    async def recover_interrupted(self) -> int:
        """Mark rows left ``sending`` by a previous run as ``unknown``; returns how many.

        Call once at start-up, before any send (a second running instance's in-flight rows
        would be marked too: the app is single-instance).
        """
        return await self.store.mark_interrupted(INTERRUPTED_MESSAGE)


def _outcome_for(err: BaseException) -> tuple[Outcome, str]:
    if isinstance(err, ConnectError):
        return Outcome.UNREACHABLE, "Not sent: "
    if isinstance(err, ValidationError):
        return Outcome.INVALID, "Not sent: "
    if isinstance(err, asyncio.CancelledError):
        return Outcome.UNKNOWN, "Cancelled before the reply arrived; check before resending. "
    return Outcome.UNKNOWN, "Unexpected error before the reply was known; check before resending. "


def _describe(err: BaseException) -> str:
    text = str(err)
    return redact_text(f"{type(err).__name__}: {text}" if text else type(err).__name__)


# --------------------------------------------------------------------------- previews


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _clip(text: str, limit: int = PREVIEW_LENGTH) -> str:
    text = _one_line(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _meta_detail(payload: Mapping[str, Any], kind: str) -> str:
    def text_at(*keys: str) -> str:
        node: Any = payload
        for key in keys:
            if not isinstance(node, Mapping):
                return ""
            node = node.get(key)
        return node if isinstance(node, str) else ""

    if kind == "text":
        return text_at("text", "body")
    if kind == "template":
        return text_at("template", "name")
    if kind in ("image", "video", "audio", "document", "sticker"):
        return text_at(kind, "caption") or text_at(kind, "filename") or text_at(kind, "link")
    if kind == "interactive":
        return text_at("interactive", "body", "text")
    if kind == "reaction":
        return text_at("reaction", "emoji")
    if kind == "location":
        return text_at("location", "name") or text_at("location", "address")
    return ""


def searchable_text(message: OutgoingMessage) -> str:
    """All the text of a message that a search should find (the preview is cut at 120)."""
    parts: list[str | None]
    match message:
        case TextMessage():
            parts = [message.text]
        case MediaMessage():
            parts = [message.media_type, message.caption, message.filename, message.url, message.media_id]
            parts.append(message.file_path.name if message.file_path else None)
        case TemplateMessage():
            parts = [message.template_name, *message.parameters, *message.button_parameters]
        case ListMessage():
            parts = [message.header_text, message.text, message.footer_text, message.button_text]
            for section in message.sections:
                parts.append(section.title)
                parts.extend(t for row in section.rows for t in (row.title, row.description))
        case ButtonsMessage():
            parts = [message.text, *(b.title for b in message.buttons)]
        case MetaMessage():
            parts = [preview_of(message), *_strings_in(message.payload)]
        case _:
            assert_never(message)
    return "\n".join(p for p in parts if p)


def _strings_in(value: Any) -> list[str]:
    """Every string value in a JSON document, depth first (for searching Meta payloads)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [s for v in value.values() for s in _strings_in(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings_in(v)]
    return []


def preview_of(message: OutgoingMessage) -> str:
    """A one-line summary for the log: the text, or ``[kind] detail``, at most 120 characters."""
    match message:
        case TextMessage():
            return _clip(message.text)
        case MediaMessage():
            detail = message.caption or message.filename or ""
            if not detail and message.file_path is not None:
                detail = message.file_path.name
            if not detail:
                detail = message.url or message.media_id or ""
            return _clip(f"[{message.media_type}] {detail}")
        case TemplateMessage():
            params = ", ".join(message.parameters)
            return _clip(f"[template {message.template_name}] {params}")
        case ListMessage():
            return _clip(f"[list] {message.text}")
        case ButtonsMessage():
            return _clip(f"[buttons] {message.text}")
        case MetaMessage():
            kind = message.payload.get("type")
            kind = kind if isinstance(kind, str) and kind else "message"
            return _clip(f"[meta:{kind}] {_meta_detail(message.payload, kind)}")
        case _:
            assert_never(message)
