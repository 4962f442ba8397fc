"""A small HTTP/1.1 server (asyncio + h11) that runs the sandbox on loopback.

Unlike the in-process transport, this is a real socket: the dropped-connection scenario closes
it without a response, the slow scenario really delays, keep-alive works. Only loopback hosts
are accepted, so the sandbox is never exposed to a network.

``async with serve() as server`` for async code; ``with serve_in_thread() as server`` for
synchronous callers (a CLI run in-process, a Qt test) that cannot share the event loop;
``run_forever(port)`` for ``whats91-desktop sandbox --port 8091``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import signal
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import h11

from whats91_desktop.core.urls import bare_host, is_loopback_host
from whats91_desktop.sandbox.app import MAX_BODY_BYTES, DropConnection, Message, SandboxApp
from whats91_desktop.sandbox.constants import (
    NORMAL_DESCRIPTION,
    SANDBOX_EXPIRED_TOKEN,
    SANDBOX_SCOPED_TOKEN,
    SANDBOX_TOKEN,
    SCENARIOS,
)
from whats91_desktop.sandbox.state import SandboxState

log = logging.getLogger(__name__)

READ_CHUNK = 64 * 1024
SERVER_HEADER = b"whats91-sandbox"


@dataclass(frozen=True)
class SandboxServer:
    state: SandboxState
    host: str
    port: int

    @property
    def root_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>/api/v2``, to use as a profile's base URL."""
        return f"{self.root_url}/api/v2"


@contextlib.asynccontextmanager
async def serve(
    state: SandboxState | None = None, host: str = "127.0.0.1", port: int = 0
) -> AsyncIterator[SandboxServer]:
    """Listen on ``host:port`` (port 0 picks a free one) until the block exits.

    ``host`` is a loopback host by the client's own rule (``core.urls``), so any address the
    client may use over plain http, ``[::1]`` and ``LOCALHOST`` included, is one we can serve.
    """
    if not is_loopback_host(host):
        raise ValueError(f"the sandbox only listens on loopback, not {host!r}")
    host = bare_host(host)
    state = state if state is not None else SandboxState()
    app = SandboxApp(state)
    connections: set[asyncio.Task[Any]] = set()

    async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            connections.add(task)
        try:
            await _serve_connection(app, reader, writer)
        except asyncio.CancelledError:
            pass  # shutting down; asyncio would log a cancelled client_connected_cb task as an error
        finally:
            if task is not None:
                connections.discard(task)

    listener = await asyncio.start_server(on_connect, host, port)
    bound_port = int(listener.sockets[0].getsockname()[1])
    try:
        yield SandboxServer(state, host, bound_port)
    finally:
        listener.close()
        for task in list(connections):
            task.cancel()
        await asyncio.gather(*connections, return_exceptions=True)
        await listener.wait_closed()


async def _next_event(conn: h11.Connection, reader: asyncio.StreamReader) -> Any:
    while True:
        event = conn.next_event()
        if event is h11.NEED_DATA:
            conn.receive_data(await reader.read(READ_CHUNK))
            continue
        return event


async def _serve_connection(
    app: SandboxApp, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    conn = h11.Connection(h11.SERVER)
    try:
        while True:
            event = await _next_event(conn, reader)
            if not isinstance(event, h11.Request):
                break  # ConnectionClosed, or the client gave up between requests
            if conn.they_are_waiting_for_100_continue:
                writer.write(conn.send(h11.InformationalResponse(status_code=100, headers=[])) or b"")
            body = bytearray()
            while True:
                part = await _next_event(conn, reader)
                if isinstance(part, h11.Data):
                    body += part.data
                    if len(body) > MAX_BODY_BYTES:
                        await _plain_response(conn, writer, 413, b"Request body too large\n")
                        return
                elif isinstance(part, h11.EndOfMessage):
                    break
                else:
                    return  # the client closed mid-request
            if not await _run_app(app, conn, writer, event, bytes(body)):
                return  # dropped connection: close without a response
            if conn.our_state is h11.MUST_CLOSE or conn.their_state is not h11.DONE:
                return
            conn.start_next_cycle()
    except h11.RemoteProtocolError as err:
        if conn.our_state in (h11.IDLE, h11.SEND_RESPONSE):
            with contextlib.suppress(Exception):
                await _plain_response(conn, writer, err.error_status_hint, b"Bad request\n")
    except (ConnectionError, asyncio.IncompleteReadError, h11.LocalProtocolError):
        pass
    finally:
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()


async def _plain_response(
    conn: h11.Connection, writer: asyncio.StreamWriter, status: int, text: bytes
) -> None:
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(text)).encode()),
        (b"connection", b"close"),
        (b"server", SERVER_HEADER),
    ]
    writer.write(conn.send(h11.Response(status_code=status, headers=headers)) or b"")
    writer.write(conn.send(h11.Data(data=text)) or b"")
    writer.write(conn.send(h11.EndOfMessage()) or b"")
    await writer.drain()


async def _run_app(
    app: SandboxApp, conn: h11.Connection, writer: asyncio.StreamWriter, request: h11.Request, body: bytes
) -> bool:
    """Run one request through the ASGI app; False when the connection must be dropped."""
    target = bytes(request.target)
    raw_path, _, query = target.partition(b"?")
    peer = writer.get_extra_info("peername")
    sock = writer.get_extra_info("sockname")
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": request.http_version.decode("ascii"),
        "method": request.method.decode("ascii"),
        "scheme": "http",
        "path": unquote(raw_path.decode("latin-1")),
        "raw_path": raw_path,
        "query_string": query,
        "root_path": "",
        "headers": [(bytes(name).lower(), bytes(value)) for name, value in request.headers],
        "client": tuple(peer[:2]) if peer else None,
        "server": tuple(sock[:2]) if sock else None,
    }
    delivered = False

    async def receive() -> Message:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [(bytes(k), bytes(v)) for k, v in message.get("headers", [])]
            headers.append((b"server", SERVER_HEADER))
            writer.write(conn.send(h11.Response(status_code=message["status"], headers=headers)) or b"")
        elif message["type"] == "http.response.body":
            data = message.get("body", b"")
            if data:
                writer.write(conn.send(h11.Data(data=data)) or b"")
            if not message.get("more_body", False):
                writer.write(conn.send(h11.EndOfMessage()) or b"")
            await writer.drain()

    try:
        await app(scope, receive, send)
    except DropConnection:
        return False
    except ConnectionError:
        return False  # the client went away (e.g. it timed out on the slow scenario)
    except Exception:
        log.exception("sandbox app failed on %s %s", scope["method"], scope["path"])
        if conn.our_state is h11.SEND_RESPONSE:
            await _plain_response(conn, writer, 500, b"Sandbox internal error\n")
        return False
    return True


@contextlib.contextmanager
def serve_in_thread(
    state: SandboxState | None = None, host: str = "127.0.0.1", port: int = 0
) -> Iterator[SandboxServer]:
    """Run :func:`serve` on its own event loop in a daemon thread, for synchronous callers.

    The state is shared with the caller's thread; read it after the requests have completed.
    """
    started: concurrent.futures.Future[tuple[SandboxServer, asyncio.AbstractEventLoop, asyncio.Event]]
    started = concurrent.futures.Future()

    async def main() -> None:
        stop = asyncio.Event()
        try:
            async with serve(state, host, port) as server:
                started.set_result((server, asyncio.get_running_loop(), stop))
                await stop.wait()
        except BaseException as err:
            if not started.done():
                started.set_exception(err)
            raise

    def run() -> None:
        with contextlib.suppress(BaseException):
            asyncio.run(main())

    thread = threading.Thread(target=run, name="whats91-sandbox", daemon=True)
    thread.start()
    server, loop, stop = started.result(timeout=10)
    try:
        yield server
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=10)


def banner(server: SandboxServer) -> str:
    """What ``whats91-desktop sandbox`` prints on start."""
    lines = [
        f"Whats91 sandbox listening on {server.base_url}",
        f"  token (global):        {SANDBOX_TOKEN}",
        f"  token (number-scoped): {SANDBOX_SCOPED_TOKEN}",
        f"  token (expired, 401):  {SANDBOX_EXPIRED_TOKEN}",
        "  senders: "
        + ", ".join(f"{s.sender_id} (phoneNumberId {s.phone_number_id})" for s in server.state.senders),
        "  scenario recipients:",
        *(f"    {number}  {description}" for number, description in SCENARIOS.items()),
        f"    any other  {NORMAL_DESCRIPTION}",
        "Press Ctrl+C to stop.",
    ]
    return "\n".join(lines)


def run_forever(port: int, host: str = "127.0.0.1") -> None:
    """Blocking entry point for ``whats91-desktop sandbox --port 8091``; Ctrl+C stops it."""

    async def main() -> None:
        stop = asyncio.Event()
        with contextlib.suppress(NotImplementedError, RuntimeError, AttributeError):  # not on Windows
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
        async with serve(host=host, port=port) as server:
            print(banner(server), flush=True)
            await stop.wait()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())
    print("Sandbox stopped.", flush=True)
