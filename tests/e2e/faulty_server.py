"""A loopback HTTP server that misbehaves on purpose, for the CLI's fault tests.

Each test hands it a *behaviour*: a function that gets the parsed request and the raw socket
and writes whatever it likes (a trickle, a gzip bomb, a redirect, a 5xx page, a reply that
echoes the token), or does something first (lock the message log, fill the disk). The server
records every request, so a test can say "exactly one request arrived".
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


Behaviour = Callable[[Request, socket.socket], None]


@dataclass
class FaultyServer:
    behaviour: Behaviour
    port: int = 0
    requests: list[Request] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v2"

    def sends(self) -> list[Request]:
        return [r for r in self.requests if r.method == "POST"]


@contextlib.contextmanager
def serving(behaviour: Behaviour) -> Iterator[FaultyServer]:
    listener = socket.create_server(("127.0.0.1", 0))
    server = FaultyServer(behaviour, listener.getsockname()[1])
    stop = threading.Event()

    def handle(conn: socket.socket) -> None:
        with conn:
            try:
                request = _read_request(conn)
            except OSError:
                return
            if request is None:
                return
            server.requests.append(request)
            with contextlib.suppress(OSError):
                server.behaviour(request, conn)

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


def _read_request(conn: socket.socket) -> Request | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return Request(method, path, headers, body)


# --------------------------------------------------------------------------- answers


def head(status: int, headers: dict[str, str] | None = None, *, reason: str = "X") -> bytes:
    lines = [
        f"HTTP/1.1 {status} {reason}",
        "Connection: close",
        *(f"{k}: {v}" for k, v in (headers or {}).items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def respond(
    status: int, body: bytes | str | dict[str, Any], headers: dict[str, str] | None = None
) -> Behaviour:
    if isinstance(body, dict):
        raw = json.dumps(body).encode()
        kind = "application/json"
    else:
        raw = body.encode() if isinstance(body, str) else body
        kind = "text/html; charset=utf-8"
    all_headers = {"Content-Type": kind, "Content-Length": str(len(raw)), **(headers or {})}

    def behaviour(request: Request, conn: socket.socket) -> None:
        conn.sendall(head(status, all_headers) + raw)

    return behaviour


def accepted(
    message_id: str = "wamid.FAULTY", request_id: str = "req-faulty", pad: int = 0
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "success": True,
        "data": {"messageId": message_id, "status": "accepted"},
        "metadata": {"requestId": request_id},
    }
    if pad:
        body["pad"] = "x" * pad
    return body


def trickle(every: float = 0.2) -> Behaviour:
    """A valid start, then one byte of body every ``every`` seconds, for ever."""

    def behaviour(request: Request, conn: socket.socket) -> None:
        conn.sendall(head(200, {"Content-Type": "application/json", "Content-Length": "100000000"}))
        while True:
            conn.sendall(b" ")
            time.sleep(every)

    return behaviour


def gzip_bomb(decoded_mb: int = 300) -> Behaviour:
    """A small gzip body that decodes to ``decoded_mb`` MB of zeros."""
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)  # gzip, built a megabyte at a time
    zeros = b"\0" * (1024 * 1024)
    packed = b"".join(packer.compress(zeros) for _ in range(decoded_mb)) + packer.flush()

    def behaviour(request: Request, conn: socket.socket) -> None:
        headers = {
            "Content-Type": "application/json",
            "Content-Encoding": "gzip",
            "Content-Length": str(len(packed)),
        }
        conn.sendall(head(200, headers) + packed)

    return behaviour


def after(first: Callable[[], None], then: Behaviour) -> Behaviour:
    """Do ``first`` once the request has arrived (lock the log, fill the disk), then answer."""

    def behaviour(request: Request, conn: socket.socket) -> None:
        first()
        then(request, conn)

    return behaviour
