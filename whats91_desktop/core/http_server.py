"""A small HTTP/1.1 server on asyncio + h11: one awaited handler per request, a body cap.

Shared by the sandbox's loopback server and the local webhook receiver, which differ only in
what they answer. The handler gets the whole request (headers as sent, body as raw bytes) and
returns the response, or None to close the connection without one (the sandbox's
dropped-connection scenario). Keep-alive and ``Expect: 100-continue`` work.

A body over ``max_body`` is not read into memory: the handler is called with ``too_large``
set and an empty body, its answer (a 413) is sent, and the rest of the body is read and
thrown away (up to :data:`DRAIN_LIMIT`, for :data:`DRAIN_SECONDS`) before the connection
closes, so that a client still writing its request gets to read that answer instead of a
reset connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import h11

log = logging.getLogger(__name__)

READ_CHUNK = 64 * 1024
DRAIN_LIMIT = 64 * 1024 * 1024
DRAIN_SECONDS = 10.0
_NO_BODY = frozenset({204, 304})
"""Statuses whose answer has no body (RFC 9110): a handler's body for them is not sent."""


@dataclass(frozen=True)
class HttpRequest:
    method: str
    target: bytes
    """The request target as sent: the path and the query string, still percent-encoded."""
    headers: tuple[tuple[bytes, bytes], ...]
    """Every header as sent, names in their original case, in order."""
    body: bytes
    http_version: str = "1.1"
    peer: tuple[Any, ...] | None = None
    local: tuple[Any, ...] | None = None
    too_large: bool = False
    """The body was over the cap; ``body`` is empty and the connection closes after the answer."""

    def header(self, name: str) -> str | None:
        """The first header called ``name`` (any case), decoded as Latin-1; None when absent."""
        wanted = name.lower().encode("latin-1")
        for key, value in self.headers:
            if key.lower() == wanted:
                return value.decode("latin-1")
        return None

    @property
    def path(self) -> str:
        return self.target.partition(b"?")[0].decode("latin-1")


@dataclass(frozen=True)
class HttpResponse:
    status: int
    body: bytes = b""
    headers: tuple[tuple[bytes, bytes], ...] = ((b"content-type", b"text/plain; charset=utf-8"),)
    """Without content-length, which is added (a 204 or 304 has no body: ``body`` is not sent)."""


Handler = Callable[[HttpRequest], Awaitable[HttpResponse | None]]


@dataclass(frozen=True)
class BoundServer:
    host: str
    port: int


@contextlib.asynccontextmanager
async def serve_http(
    handler: Handler, host: str, port: int = 0, *, max_body: int, server_header: bytes
) -> AsyncIterator[BoundServer]:
    """Listen on ``host:port`` (port 0 picks a free one) until the block exits.

    Exiting closes the listener and every open connection; a handler still running is
    cancelled. ``OSError`` when the address is taken or cannot be bound.
    """
    connections: set[asyncio.Task[Any]] = set()

    async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            connections.add(task)
        try:
            await _Connection(handler, reader, writer, max_body, server_header).serve()
        except asyncio.CancelledError:
            pass  # shutting down; asyncio would log a cancelled client_connected_cb task as an error
        finally:
            if task is not None:
                connections.discard(task)

    listener = await asyncio.start_server(on_connect, host, port)
    bound_port = int(listener.sockets[0].getsockname()[1])
    try:
        yield BoundServer(host, bound_port)
    finally:
        listener.close()
        for task in list(connections):
            task.cancel()
        await asyncio.gather(*connections, return_exceptions=True)
        await listener.wait_closed()


class _Connection:
    def __init__(
        self,
        handler: Handler,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        max_body: int,
        server_header: bytes,
    ) -> None:
        self.handler = handler
        self.reader = reader
        self.writer = writer
        self.max_body = max_body
        self.server_header = server_header
        self.conn = h11.Connection(h11.SERVER)

    async def serve(self) -> None:
        conn = self.conn
        try:
            while True:
                event = await self._next_event()
                if not isinstance(event, h11.Request):
                    break  # ConnectionClosed, or the client gave up between requests
                if not await self._one_request(event):
                    return
                if conn.our_state is h11.MUST_CLOSE or conn.their_state is not h11.DONE:
                    return
                conn.start_next_cycle()
        except h11.RemoteProtocolError as err:
            if conn.our_state in (h11.IDLE, h11.SEND_RESPONSE):
                with contextlib.suppress(Exception):
                    await self._respond(HttpResponse(err.error_status_hint, b"Bad request\n"), close=True)
        except (ConnectionError, asyncio.IncompleteReadError, h11.LocalProtocolError):
            pass
        finally:
            self.writer.close()
            with contextlib.suppress(Exception):
                await self.writer.wait_closed()

    async def _one_request(self, event: h11.Request) -> bool:
        """Read the body, run the handler, answer; False when the connection must close now."""
        declared = _content_length(event)
        too_large = declared is not None and declared > self.max_body
        body = bytearray()
        if not too_large:
            if self.conn.they_are_waiting_for_100_continue:
                go_on = h11.InformationalResponse(status_code=100, headers=[])
                self.writer.write(self.conn.send(go_on) or b"")
            while True:
                part = await self._next_event()
                if isinstance(part, h11.Data):
                    body += part.data
                    if len(body) > self.max_body:
                        too_large = True
                        break
                elif isinstance(part, h11.EndOfMessage):
                    break
                else:
                    return False  # the client closed mid-request
        request = HttpRequest(
            method=event.method.decode("ascii", "replace"),
            target=bytes(event.target),
            headers=tuple((bytes(k), bytes(v)) for k, v in event.headers.raw_items()),
            body=b"" if too_large else bytes(body),
            http_version=event.http_version.decode("ascii", "replace"),
            peer=_address(self.writer.get_extra_info("peername")),
            local=_address(self.writer.get_extra_info("sockname")),
            too_large=too_large,
        )
        try:
            response = await self.handler(request)
        except Exception:
            log.exception("HTTP handler failed on %s %s", request.method, request.path)
            response = HttpResponse(500, b"Internal error\n")
        if response is None:
            return False
        await self._respond(response, close=too_large)
        if too_large:
            await self._drain()
            return False
        return True

    async def _next_event(self) -> Any:
        while True:
            event = self.conn.next_event()
            if event is h11.NEED_DATA:
                self.conn.receive_data(await self.reader.read(READ_CHUNK))
                continue
            return event

    async def _respond(self, response: HttpResponse, *, close: bool) -> None:
        body = b"" if response.status in _NO_BODY else response.body
        headers = [*response.headers, (b"server", self.server_header)]
        if response.status not in _NO_BODY:
            headers.append((b"content-length", str(len(body)).encode("ascii")))
        if close:
            headers.append((b"connection", b"close"))
        conn = self.conn
        # One write, so one send(2) per answer: on loopback each system call costs more than
        # all of h11's work for the request.
        parts = [conn.send(h11.Response(status_code=response.status, headers=headers)) or b""]
        if body:
            parts.append(conn.send(h11.Data(data=body)) or b"")
        parts.append(conn.send(h11.EndOfMessage()) or b"")
        self.writer.write(b"".join(parts))
        await self.writer.drain()

    async def _drain(self) -> None:
        """Read and drop what the client still sends of a refused body (bounded in size and time)."""
        with contextlib.suppress(TimeoutError, ConnectionError):
            async with asyncio.timeout(DRAIN_SECONDS):
                dropped = 0
                while dropped < DRAIN_LIMIT:
                    chunk = await self.reader.read(READ_CHUNK)
                    if not chunk:
                        return
                    dropped += len(chunk)


def _content_length(event: h11.Request) -> int | None:
    for name, value in event.headers:
        if name == b"content-length":
            with contextlib.suppress(ValueError):
                return int(value)
    return None


def _address(value: Any) -> tuple[Any, ...] | None:
    return tuple(value[:2]) if value else None
