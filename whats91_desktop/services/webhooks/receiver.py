"""The local webhook listener: answers each delivery at once, processes it afterwards.

Whats91's advice (§4.3) is to answer 200 quickly and process asynchronously; so the HTTP
handler only reads the body (at most :data:`MAX_BODY_BYTES`; more gets 413), puts the
delivery on a bounded queue and answers. One worker takes the queue in arrival order, a burst
at a time: whatever arrived while the last burst was processed (at most :data:`MAX_BURST`)
goes to ``process`` together, so a busy sender costs one log transaction per burst, not one
per delivery, and the answer never waits for the log. When the queue is full the answer waits
for room, up to :data:`ROOM_WAIT_SECONDS`: a sender faster than the worker is slowed down (each
of its connections waits for its answer) rather than turned away. Only if no room comes is the
delivery refused with 503 and ``Retry-After`` (Whats91 retries when the destination has retries
on), never silently lost. Nothing a sender does (garbage, oversized bodies, a handler bug)
stops the listener.

It listens on 127.0.0.1 unless the caller explicitly allows the network; Whats91 itself can
only reach it through a tunnel or a public address the user provides.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from whats91_desktop.core.errors import ConfigError
from whats91_desktop.core.http_server import HttpRequest, HttpResponse, serve_http
from whats91_desktop.core.urls import bare_host, is_loopback_host
from whats91_desktop.services.webhooks.records import header_pairs

log = logging.getLogger(__name__)

DEFAULT_PORT = 8092
DEFAULT_HOST = "127.0.0.1"
MAX_BODY_BYTES = 1024 * 1024
QUEUE_SIZE = 1000
MAX_BURST = 100
DRAIN_SECONDS = 2.0
ROOM_WAIT_SECONDS = 1.0
"""How long a delivery that finds the queue full waits for room before its 503. A burst of
1,500 from eight keep-alive connections at 3,500/s outran the worker by some 300 deliveries;
waiting lets the worker take them (a burst at a time) while the sender waits for its answers."""
SUGGESTED_PATH = "/webhooks/whats91"
SERVER_HEADER = b"whats91-desktop-receiver"
_JSON = ((b"content-type", b"application/json"),)
_BUSY = b'{"received":false,"error":"busy"}'


@dataclass(frozen=True)
class RawDelivery:
    """A request as it arrived, before anything was checked."""

    received_at: float
    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    size: int
    refused: str | None = None
    """Why it was answered with an error and not processed (too large, queue full)."""


class WebhookReceiver:
    def __init__(
        self,
        process: Callable[[Sequence[RawDelivery]], Awaitable[object]],
        *,
        clock: Callable[[], float] = time.time,
        queue_size: int = QUEUE_SIZE,
        room_wait: float = ROOM_WAIT_SECONDS,
    ) -> None:
        self._process = process
        self._clock = clock
        self._queue_size = queue_size
        self._room_wait = room_wait
        self._queue: asyncio.Queue[RawDelivery] = asyncio.Queue(maxsize=queue_size)
        self._stack: contextlib.AsyncExitStack | None = None
        self._worker: asyncio.Task[None] | None = None
        self.host: str | None = None
        self.port: int | None = None

    @property
    def running(self) -> bool:
        return self._stack is not None

    @property
    def exposed(self) -> bool:
        """Listening beyond this computer (all interfaces, or a network address)."""
        return self.host is not None and not is_loopback_host(self.host)

    def local_url(self) -> str | None:
        """What to paste as the endpoint when the sender runs on this computer (the sandbox)."""
        if self.port is None or self.host is None:
            return None
        host = "127.0.0.1" if not is_loopback_host(self.host) else self.host
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}{SUGGESTED_PATH}"

    async def start(
        self, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *, allow_network: bool = False
    ) -> None:
        """Listen on ``host:port`` (0: any free port). ``ConfigError`` when the address is taken,
        or is not this computer's and ``allow_network`` was not given."""
        if self.running:
            raise ConfigError(f"the receiver already listens on port {self.port}")
        if not is_loopback_host(host) and not allow_network:
            raise ConfigError(
                f"{host} is not this computer: listening there needs the explicit network option"
            )
        self._queue = asyncio.Queue(maxsize=self._queue_size)  # bound to this loop
        stack = contextlib.AsyncExitStack()
        try:
            bound = await stack.enter_async_context(
                serve_http(
                    self._on_request,
                    bare_host(host),
                    port,
                    max_body=MAX_BODY_BYTES,
                    server_header=SERVER_HEADER,
                )
            )
        except OSError as err:
            await stack.aclose()
            raise ConfigError(f"cannot listen on {host}:{port}: {err.strerror or err}") from None
        self._stack = stack
        self.host, self.port = bare_host(host), bound.port
        self._worker = asyncio.ensure_future(self._work())
        log.info("webhook receiver listening on %s:%s", self.host, self.port)

    async def stop(self) -> None:
        """Stop listening; what is queued is processed first (for a couple of seconds at most)."""
        stack, self._stack = self._stack, None
        if stack is None:
            return
        await stack.aclose()
        worker, self._worker = self._worker, None
        if worker is not None:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(DRAIN_SECONDS):
                    await self._queue.join()
            worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await worker
        log.info("webhook receiver on port %s stopped", self.port)
        self.host = self.port = None

    async def _on_request(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD"):
            text = b"Whats91 Desktop webhook receiver: POST deliveries here.\n"
            return HttpResponse(200, text if request.method == "GET" else b"")
        if request.method != "POST":
            return HttpResponse(405, b"Only POST\n", ((b"allow", b"POST, GET, HEAD"),))
        declared = request.header("content-length")
        size = len(request.body) if not request.too_large else int(declared or MAX_BODY_BYTES + 1)
        raw = RawDelivery(
            self._clock(), request.method, request.path, header_pairs(request.headers), request.body, size
        )
        if request.too_large:
            self._queue_refused(raw, f"body over {MAX_BODY_BYTES // 1024 // 1024} MB: answered 413")
            return HttpResponse(413, b'{"received":false,"error":"body over 1 MB"}', _JSON)
        try:
            self._queue.put_nowait(raw)
        except asyncio.QueueFull:
            try:
                async with asyncio.timeout(self._room_wait):
                    await self._queue.put(raw)
            except TimeoutError:
                self._queue_refused(raw, "processing queue full: answered 503 (Whats91 retries)")
                return HttpResponse(503, _BUSY, (*_JSON, (b"retry-after", b"5")))
        return HttpResponse(200, b'{"received":true}', _JSON)

    def _queue_refused(self, raw: RawDelivery, why: str) -> None:
        """Shown and counted like any delivery, without its body (there is none, or no room)."""
        refused = RawDelivery(raw.received_at, raw.method, raw.path, raw.headers, b"", raw.size, why)
        with contextlib.suppress(asyncio.QueueFull):
            self._queue.put_nowait(refused)

    async def _work(self) -> None:
        queue = self._queue
        while True:
            burst = [await queue.get()]
            while len(burst) < MAX_BURST and not queue.empty():
                burst.append(queue.get_nowait())
            try:
                await self._process(burst)
            except Exception:
                log.exception("%d webhook deliveries could not be processed", len(burst))
            finally:
                for _ in burst:
                    queue.task_done()
