# ruff: noqa: ASYNC109 - the `timeout` parameters are httpcore's interface, not ours to change
"""httpcore's network layer on asyncio's own transports, in place of anyio's streams.

httpcore reaches the network through anyio when it runs under asyncio, and anyio costs on
every socket operation: a cancel scope with a loop timer for each read and write, an exception
map, a checkpoint on every send, pause/resume of reading around every receive, and a
``poll()`` syscall each time the pool asks whether an idle connection is still open (for every
idle connection, on every request). Profiled on a bare loop of sends, that was a third of
the CPU of a request (httpx's own tracker: encode/httpx#3215). A send's CPU is spent on the
GUI thread in the window and is the bulk engine's ceiling, so :class:`AsyncioTransport`
gives the client this backend instead; HTTP itself (h11, the pool, keep-alive) stays httpcore's.

What it keeps exactly: the exceptions. Every failure is raised as the same httpcore type
anyio's backend raises (``ConnectError`` only before a request byte can have left: connect
and TLS handshake; ``ReadError``/``WriteError``/timeouts after), because ``core/retry.py``
decides from that type whether a request may have reached the server.

How it reads: the protocol keeps reading while a connection is idle (up to ``HIGH_WATER``
bytes, then pauses the transport), so "has the server closed this idle connection?" is
answered from state, with no syscall. A read returns what is buffered, or waits on one future
with one ``call_later`` timer.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

HIGH_WATER = 256 * 1024
"""Bytes buffered unread before the transport stops reading (resumes below ``LOW_WATER``)."""
LOW_WATER = 64 * 1024

DEFAULT_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=5.0)
"""httpx's own defaults, kept: the pool behaves as it did on anyio."""

_SocketOption = tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]


class _Protocol(asyncio.Protocol):
    """One connection's bytes and state, filled by the loop, drained by :class:`AsyncioStream`."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.eof = False
        self.lost = False
        self.error: BaseException | None = None
        self.reading_paused = False
        self.writing_paused = False
        self._read_waiter: asyncio.Future[None] | None = None
        self._drain_waiter: asyncio.Future[None] | None = None

    # ----------------------------------------------------------------- loop callbacks

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if len(self.buffer) > HIGH_WATER and self.transport is not None and not self.reading_paused:
            self.reading_paused = True
            self.transport.pause_reading()
        self._wake("_read_waiter")

    def eof_received(self) -> bool:
        self.eof = True
        self._wake("_read_waiter")
        return False  # let the transport close itself

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True
        self.error = exc
        self._wake("_read_waiter")
        self._wake("_drain_waiter")

    def pause_writing(self) -> None:
        self.writing_paused = True

    def resume_writing(self) -> None:
        self.writing_paused = False
        self._wake("_drain_waiter")

    # ----------------------------------------------------------------- for the stream

    def _wake(self, slot: str) -> None:
        """Let the read or the write waiting in ``slot`` (if any) go on."""
        waiter = getattr(self, slot)
        setattr(self, slot, None)
        if waiter is not None and not waiter.done():
            waiter.set_result(None)


    async def wait_readable(self, timeout: float | None) -> None:
        """Wait until there are bytes or an end; ``TimeoutError`` after ``timeout`` seconds."""
        await self._wait("_read_waiter", timeout)

    async def wait_drained(self, timeout: float | None) -> None:
        """Wait until the transport takes writes again; ``TimeoutError`` after ``timeout``."""
        await self._wait("_drain_waiter", timeout)

    async def _wait(self, slot: str, timeout: float | None) -> None:
        waiter: asyncio.Future[None] = self.loop.create_future()
        setattr(self, slot, waiter)
        timer = None if timeout is None else self.loop.call_later(timeout, _time_out, waiter)
        try:
            await waiter
        finally:
            if timer is not None:
                timer.cancel()
            if getattr(self, slot) is waiter:
                setattr(self, slot, None)

    def take(self, max_bytes: int) -> bytes:
        if len(self.buffer) <= max_bytes:  # the usual case: a whole small answer
            data = bytes(self.buffer)
            self.buffer.clear()
        else:
            data = bytes(self.buffer[:max_bytes])
            del self.buffer[:max_bytes]
        if self.reading_paused and len(self.buffer) < LOW_WATER and self.transport is not None:
            self.reading_paused = False
            self.transport.resume_reading()
        return data


def _time_out(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_exception(TimeoutError())


class AsyncioStream(httpcore.AsyncNetworkStream):
    """A connection as httpcore wants it: read, write, start TLS, close, describe."""

    def __init__(self, transport: asyncio.Transport, protocol: _Protocol) -> None:
        self._transport = transport
        self._protocol = protocol

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        protocol = self._protocol
        if not protocol.buffer and not protocol.eof and not protocol.lost:
            try:
                await protocol.wait_readable(timeout)
            except TimeoutError:
                raise httpcore.ReadTimeout("timed out waiting for the answer") from None
        if protocol.buffer:
            return protocol.take(max_bytes)
        if protocol.error is not None:
            raise httpcore.ReadError(str(protocol.error) or type(protocol.error).__name__)
        return b""  # the server closed the connection: httpcore decides what that means

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        protocol = self._protocol
        if protocol.lost or self._transport.is_closing():
            reason = protocol.error
            raise httpcore.WriteError(str(reason) if reason else "the connection is closed")
        self._transport.write(buffer)
        if protocol.writing_paused and not protocol.lost:
            try:
                await protocol.wait_drained(timeout)
            except TimeoutError:
                raise httpcore.WriteTimeout("timed out sending the request") from None
        if protocol.lost and protocol.error is not None:
            raise httpcore.WriteError(str(protocol.error))

    async def aclose(self) -> None:
        self._transport.close()
        await asyncio.sleep(0)  # let the loop run connection_lost: the socket is closed on return

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = self._protocol.loop
        try:
            async with asyncio.timeout(timeout):
                transport = await loop.start_tls(
                    self._transport, self._protocol, ssl_context, server_hostname=server_hostname
                )
        except TimeoutError:
            self._transport.close()
            raise httpcore.ConnectTimeout("timed out in the TLS handshake") from None
        except (OSError, ssl.SSLError, ConnectionError) as err:
            self._transport.close()
            raise httpcore.ConnectError(str(err) or type(err).__name__) from err
        if transport is None:  # the connection closed during the handshake
            raise httpcore.ConnectError("the connection closed during the TLS handshake")
        assert isinstance(transport, asyncio.Transport)
        return AsyncioStream(transport, self._protocol)

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            protocol = self._protocol
            return bool(protocol.buffer) or protocol.eof or protocol.lost
        if info == "ssl_object":
            return self._transport.get_extra_info("ssl_object")
        if info == "client_addr":
            return self._transport.get_extra_info("sockname")
        if info == "server_addr":
            return self._transport.get_extra_info("peername")
        if info == "socket":
            return self._transport.get_extra_info("socket")
        return None


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    """Connections made with ``loop.create_connection`` (TCP) or ``create_unix_connection``."""

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[_SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        local = None if local_address is None else (local_address, 0)
        try:
            async with asyncio.timeout(timeout):
                transport, protocol = await loop.create_connection(
                    lambda: _Protocol(loop), host, port, local_addr=local, happy_eyeballs_delay=0.25
                )
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"timed out connecting to {host}:{port}") from None
        except OSError as err:
            raise httpcore.ConnectError(str(err) or type(err).__name__) from err
        return _opened(transport, protocol, socket_options)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[_SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                transport, protocol = await loop.create_unix_connection(lambda: _Protocol(loop), path)
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"timed out connecting to {path}") from None
        except OSError as err:
            raise httpcore.ConnectError(str(err) or type(err).__name__) from err
        return _opened(transport, protocol, socket_options)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


def _opened(
    transport: asyncio.BaseTransport, protocol: _Protocol, socket_options: Iterable[_SocketOption] | None
) -> AsyncioStream:
    assert isinstance(transport, asyncio.Transport)
    sock: socket.socket | None = transport.get_extra_info("socket")
    for option in socket_options or ():
        if sock is not None:
            sock.setsockopt(*option)
    return AsyncioStream(transport, protocol)


class AsyncioTransport(httpx.AsyncHTTPTransport):
    """httpx's own HTTP transport (same pool, same limits, same TLS context, same exception
    mapping) with :class:`AsyncioBackend` under its pool."""

    def __init__(self, *, trust_env: bool) -> None:
        ssl_context = httpx.create_ssl_context(trust_env=trust_env)
        super().__init__(verify=ssl_context, trust_env=trust_env, limits=DEFAULT_LIMITS)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=DEFAULT_LIMITS.max_connections,
            max_keepalive_connections=DEFAULT_LIMITS.max_keepalive_connections,
            keepalive_expiry=DEFAULT_LIMITS.keepalive_expiry,
            network_backend=AsyncioBackend(),
        )
