"""The client's network layer on asyncio transports: same answers, same exceptions as anyio's.

Each test runs a small asyncio server on loopback in the test's own loop. What matters most is
the exception a failure becomes: ``core/retry.py`` retries a send only after a ``ConnectError``
(nothing left), so a failure after the request was written must never be reported as one.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers.certificates import self_signed
from whats91_desktop.core import asyncio_network
from whats91_desktop.core.asyncio_network import AsyncioBackend, AsyncioTransport
from whats91_desktop.core.client import Whats91Client
from whats91_desktop.core.models import Outcome, TextMessage

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
OK_BODY = b'{"success":true,"data":{"messageId":"wamid.1","status":"accepted"}}'


def reply(body: bytes = OK_BODY, *, close: bool = False) -> bytes:
    headers = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    if close:
        headers += "Connection: close\r\n"
    return headers.encode() + b"\r\n" + body


async def read_request(reader: asyncio.StreamReader) -> bytes:
    """One request's head and body (by Content-Length)."""
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    return head + await reader.readexactly(length)


@asynccontextmanager
async def serving(handler: Handler, ssl_context: ssl.SSLContext | None = None) -> AsyncIterator[int]:
    async def handled(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await handler(reader, writer)
        finally:
            writer.close()  # asyncio leaves a finished handler's connection open

    server = await asyncio.start_server(handled, "127.0.0.1", 0, ssl=ssl_context)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()


def http_client(**kwargs: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=AsyncioTransport(trust_env=kwargs.pop("trust_env", False)), **kwargs)


def test_the_client_sends_through_the_asyncio_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    connects: list[tuple[str, int]] = []
    original = AsyncioBackend.connect_tcp

    async def counted(self: AsyncioBackend, host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        connects.append((host, port))
        return await original(self, host, port, *args, **kwargs)

    monkeypatch.setattr(AsyncioBackend, "connect_tcp", counted)

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            try:
                await read_request(reader)
            except asyncio.IncompleteReadError:
                return
            writer.write(reply())

    async def go() -> list[Outcome]:
        async with serving(answer) as port:
            client = Whats91Client(f"http://127.0.0.1:{port}", "w91_test_token_000000000000")
            try:
                return [
                    (await client.send(TextMessage(to="919812345678", text=f"hello {n}"))).outcome
                    for n in range(3)
                ]
            finally:
                await client.aclose()

    assert asyncio.run(go()) == [Outcome.ACCEPTED] * 3
    assert len(connects) == 1  # one connection, kept alive for the next two sends


def test_an_idle_connection_the_server_closed_is_not_reused() -> None:
    """The server closes after each answer without saying so: the pool must see the close
    from the buffered end of stream and open a new connection, not fail the next request."""
    connections = 0

    async def once(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        await read_request(reader)
        writer.write(reply())
        await writer.drain()
        writer.close()

    async def go() -> list[int]:
        async with serving(once) as port, http_client() as http:
            statuses = []
            for _ in range(3):
                response = await http.post(f"http://127.0.0.1:{port}/", content=b"{}")
                statuses.append(response.status_code)
                await asyncio.sleep(0.05)  # the close arrives while the connection is idle
            return statuses

    assert asyncio.run(go()) == [200, 200, 200]
    assert connections == 3


def test_a_refused_connection_is_a_connect_error() -> None:
    async def go() -> None:
        server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        server.close()
        await server.wait_closed()
        async with http_client() as http:
            await http.get(f"http://127.0.0.1:{port}/")

    with pytest.raises(httpx.ConnectError):
        asyncio.run(go())


def test_a_silent_server_is_a_read_timeout_not_a_connect_error() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        await asyncio.sleep(5)

    async def go() -> None:
        async with serving(silent) as port, http_client(timeout=httpx.Timeout(5.0, read=0.2)) as http:
            await http.post(f"http://127.0.0.1:{port}/", content=b"{}")

    with pytest.raises(httpx.ReadTimeout):
        asyncio.run(go())


def test_a_connection_dropped_before_the_answer_is_not_a_connect_error() -> None:
    async def drop(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.transport.abort()

    async def go() -> None:
        async with serving(drop) as port, http_client() as http:
            await http.post(f"http://127.0.0.1:{port}/", content=b"{}")

    with pytest.raises(httpx.HTTPError) as caught:
        asyncio.run(go())
    assert not isinstance(caught.value, httpx.ConnectError | httpx.ConnectTimeout)


def test_an_answer_larger_than_the_read_buffer_arrives_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the high-water mark the transport stops reading and resumes as the body is read."""
    monkeypatch.setattr(asyncio_network, "HIGH_WATER", 4096)
    monkeypatch.setattr(asyncio_network, "LOW_WATER", 1024)
    body = bytes(range(256)) * 4096  # 1 MiB

    async def big(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(reply(body))
        await writer.drain()

    async def go() -> bytes:
        async with serving(big) as port, http_client() as http:
            return (await http.post(f"http://127.0.0.1:{port}/", content=b"{}")).content

    assert asyncio.run(go()) == body


def test_an_upload_larger_than_the_socket_buffer_is_sent_whole() -> None:
    """A slow reader makes the transport push back; the write waits and then completes."""
    upload = b"x" * (8 * 1024 * 1024)
    received: list[int] = []

    async def slow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(0.2)
        received.append(len(await read_request(reader)))
        writer.write(reply())
        await writer.drain()

    async def go() -> int:
        async with serving(slow) as port, http_client() as http:
            return (await http.post(f"http://127.0.0.1:{port}/", content=upload)).status_code

    assert asyncio.run(go()) == 200
    assert len(received) == 1
    assert received[0] > len(upload)


def test_https_to_a_trusted_certificate_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The handshake runs through ``loop.start_tls``; the context is httpx's, so a CA named by
    ``SSL_CERT_FILE`` is trusted when the environment is (as for an https profile)."""
    cert, key = self_signed(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(reply())
        await writer.drain()

    async def go() -> tuple[int, bytes]:
        async with serving(answer, server_context) as port, http_client(trust_env=True) as http:
            response = await http.post(f"https://127.0.0.1:{port}/", content=b"{}")
            return response.status_code, response.content

    assert asyncio.run(go()) == (200, OK_BODY)


def test_an_untrusted_certificate_is_a_connect_error(tmp_path: Path) -> None:
    """Nothing of the request can have left before the handshake: safe to retry, so ConnectError."""
    cert, key = self_signed(tmp_path)
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)

    async def go() -> None:
        async with serving(answer, server_context) as port, http_client() as http:
            await http.post(f"https://127.0.0.1:{port}/", content=b"{}")

    with pytest.raises(httpx.ConnectError):
        asyncio.run(go())
