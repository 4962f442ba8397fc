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

from whats91_desktop.core.http_server import HttpRequest, HttpResponse, serve_http
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

    async def handle(request: HttpRequest) -> HttpResponse | None:
        if request.too_large:
            return HttpResponse(413, b"Request body too large\n")
        return await _run_app(app, request)

    async with serve_http(handle, host, port, max_body=MAX_BODY_BYTES, server_header=SERVER_HEADER) as bound:
        yield SandboxServer(state, host, bound.port)


async def _run_app(app: SandboxApp, request: HttpRequest) -> HttpResponse | None:
    """Run one request through the ASGI app; None when the connection must be dropped."""
    raw_path, _, query = request.target.partition(b"?")
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": request.http_version,
        "method": request.method,
        "scheme": "http",
        "path": unquote(raw_path.decode("latin-1")),
        "raw_path": raw_path,
        "query_string": query,
        "root_path": "",
        "headers": [(name.lower(), value) for name, value in request.headers],
        "client": request.peer,
        "server": request.local,
    }
    delivered = False
    status = 500
    headers: list[tuple[bytes, bytes]] = []
    body = bytearray()

    async def receive() -> Message:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": request.body, "more_body": False}
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(message["status"])
            pairs = ((bytes(k), bytes(v)) for k, v in message.get("headers", []))
            headers.extend((k, v) for k, v in pairs if k.lower() != b"content-length")
        elif message["type"] == "http.response.body":
            body.extend(message.get("body", b""))

    try:
        await app(scope, receive, send)
    except DropConnection:
        return None
    except Exception:
        log.exception("sandbox app failed on %s %s", scope["method"], scope["path"])
        return HttpResponse(500, b"Sandbox internal error\n")
    return HttpResponse(status, bytes(body), tuple(headers))


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
