"""A TLS failure against a local HTTPS server with a self-signed certificate: nothing is sent.

The handshake fails before a byte of the request leaves, so the outcome is ``unreachable``
(exit 5) — safe to try again once the certificate is sorted out — and the server sees no request.
"""

from __future__ import annotations

import io
import json
import socket
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.certificates import self_signed
from whats91_desktop.cli import main

TOKEN = "w91_live_tlstest000000000000000000000"


class TlsServer:
    """Accepts TLS connections and records any HTTP bytes that get through the handshake."""

    def __init__(self, cert: Path, key: Path) -> None:
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(cert, key)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.port = int(self.sock.getsockname()[1])
        self.handshakes_failed = 0
        self.requests: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _addr = self.sock.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(5)
                try:
                    with self.context.wrap_socket(conn, server_side=True) as tls:
                        data = tls.recv(65536)
                        if data:
                            self.requests.append(data)
                except (ssl.SSLError, OSError):
                    self.handshakes_failed += 1

    def __enter__(self) -> TlsServer:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[TlsServer]:
    with TlsServer(*self_signed(tmp_path)) as srv:
        yield srv


def test_a_self_signed_certificate_is_refused_and_nothing_is_sent(
    server: TlsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WHATS91_TOKEN", TOKEN)
    out, err = io.StringIO(), io.StringIO()
    code = main(
        [
            "send",
            "--base-url",
            f"https://127.0.0.1:{server.port}/api/v2",
            "--to",
            "+91 88888 88888",
            "--text",
            "hello",
            "--json",
            "--timeout",
            "5",
        ],
        out=out,
        err=err,
    )
    result = json.loads(out.getvalue())
    assert code == 5, result
    assert result["outcome"] == "unreachable"
    assert server.requests == []
    assert server.handshakes_failed >= 1
    assert TOKEN not in out.getvalue() + err.getvalue()
