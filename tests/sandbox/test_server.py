"""The real loopback server (asyncio + h11), driven by a plain httpx client and raw sockets."""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

from tests.helpers.sandbox_fixtures import FakeClock, bearer, run
from whats91_desktop.core.urls import check_base_url
from whats91_desktop.sandbox.constants import (
    DROPPED_RECIPIENT,
    QUEUED_RECIPIENT,
    RATE_LIMITED_ODD_RECIPIENT,
    SANDBOX_TOKEN,
    SERVER_ERROR_RECIPIENT,
    SLOW_RECIPIENT,
)
from whats91_desktop.sandbox.server import banner, serve, serve_in_thread
from whats91_desktop.sandbox.state import SandboxState

TO = "918888888888"


async def _raw_exchange(port: int, payload: bytes, *, until: bytes, count: int = 1) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(payload)
    await writer.drain()
    data = b""
    while data.count(until) < count:
        chunk = await asyncio.wait_for(reader.read(65536), timeout=5)
        if not chunk:
            break
        data += chunk
    writer.close()
    await writer.wait_closed()
    return data


def test_serves_the_api_on_loopback(state: SandboxState) -> None:
    async def go() -> None:
        async with serve(state) as server:
            assert server.base_url == f"http://127.0.0.1:{server.port}/api/v2"
            assert server.state is state
            async with httpx.AsyncClient(base_url=server.base_url, headers=bearer()) as client:
                chat = await client.post("/chat", json={"to": TO, "text": "hi"})
                assert chat.status_code == 200
                assert chat.headers["x-request-id"] == chat.json()["metadata"]["requestId"]
                wamid = chat.json()["data"]["messageId"]
                status = await client.get("/reports/messages/status", params={"messageId": wamid})
                assert status.json()["data"]["message"]["messageId"] == wamid
                templates = await client.get(
                    "/templates", headers={"Authorization": ""}, params={"token": SANDBOX_TOKEN}
                )
                assert templates.status_code == 200
                twin = await client.post(
                    f"{server.root_url}/v2/send", json={"to": TO, "templateName": "welcome_message"}
                )
                assert twin.status_code == 200
                missing = await client.get("/nope")
                assert missing.status_code == 404

    run(go())
    assert [r.route for r in state.requests] == ["chat", "status", "templates", "send", None]


def test_multipart_upload_with_repeated_parameters(state: SandboxState) -> None:
    blob = bytes(range(256)) * 40

    async def go() -> httpx.Response:
        async with serve(state) as server, httpx.AsyncClient(base_url=server.base_url) as client:
            return await client.post(
                "/send",
                data={
                    "authToken": SANDBOX_TOKEN,
                    "to": TO,
                    "templateName": "delivery_receipt",
                    "parameters[]": ["Devendar", "ORD-4431"],
                },
                files={"mediaFile": ("receipt.pdf", blob, "application/pdf")},
            )

    response = run(go())
    assert response.status_code == 200, response.text
    record = state.requests[-1]
    assert record.auth_source == "body"
    assert record.fields["parameters"] == ["Devendar", "ORD-4431"]
    assert record.files[0].size == len(blob)


def test_error_statuses_and_html_over_the_socket(state: SandboxState) -> None:
    async def go() -> list[httpx.Response]:
        async with serve(state) as server, httpx.AsyncClient(base_url=server.base_url) as client:
            return [
                await client.post("/chat", json={"to": TO, "text": "hi"}),
                await client.post(
                    "/chat", headers=bearer(), json={"to": RATE_LIMITED_ODD_RECIPIENT, "text": "x"}
                ),
                await client.post(
                    "/chat", headers=bearer(), json={"to": SERVER_ERROR_RECIPIENT, "text": "x"}
                ),
                await client.post(
                    "/messages", headers={**bearer(), "Content-Type": "text/plain"}, content=b"x"
                ),
            ]

    unauthorized, limited, html, unsupported = run(go())
    assert (unauthorized.status_code, unauthorized.json()["error_code"]) == (401, "MISSING_AUTH_TOKEN")
    assert (limited.status_code, limited.headers["retry-after"]) == (429, "1")
    assert html.status_code == 500
    assert html.headers["content-type"].startswith("text/html")
    assert (unsupported.status_code, unsupported.json()["error"]["code"]) == (415, "UNSUPPORTED_CONTENT_TYPE")


def test_dropped_connection_really_closes_the_socket(state: SandboxState) -> None:
    async def go() -> None:
        async with (
            serve(state) as server,
            httpx.AsyncClient(base_url=server.base_url, headers=bearer()) as client,
        ):
            with pytest.raises(
                httpx.RemoteProtocolError, match="Server disconnected without sending a response"
            ):
                await client.post("/chat", json={"to": DROPPED_RECIPIENT, "text": "hi"})
            # The client recovers on a new connection.
            assert (await client.post("/chat", json={"to": TO, "text": "hi"})).status_code == 200

    run(go())
    assert len(state.sends_to(DROPPED_RECIPIENT)) == 1
    assert len(state.messages_to(DROPPED_RECIPIENT)) == 1


def test_slow_really_delays_and_times_out(caplog: pytest.LogCaptureFixture) -> None:
    state = SandboxState(slow_seconds=0.3)

    async def go() -> None:
        async with serve(state) as server:
            async with httpx.AsyncClient(
                base_url=server.base_url, headers=bearer(), timeout=httpx.Timeout(5.0, read=0.05)
            ) as client:
                started = time.monotonic()
                with pytest.raises(httpx.ReadTimeout):
                    await client.post("/chat", json={"to": SLOW_RECIPIENT, "text": "hi"})
                assert time.monotonic() - started < 0.3
            async with httpx.AsyncClient(base_url=server.base_url, headers=bearer(), timeout=5.0) as client:
                started = time.monotonic()
                response = await client.post("/chat", json={"to": SLOW_RECIPIENT, "text": "again"})
                assert response.status_code == 200
                assert time.monotonic() - started >= 0.3

    with caplog.at_level(logging.WARNING):
        run(go())
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert len(state.sends_to(SLOW_RECIPIENT)) == 2
    assert len(state.messages_to(SLOW_RECIPIENT)) == 2


def test_keep_alive_serves_several_requests_on_one_connection(state: SandboxState) -> None:
    request = (
        b"GET /api/v2/billing/wallet HTTP/1.1\r\nHost: localhost\r\n"
        b"Authorization: Bearer " + SANDBOX_TOKEN.encode() + b"\r\n\r\n"
    )

    async def go() -> bytes:
        async with serve(state) as server:
            return await _raw_exchange(server.port, request * 3, until=b"HTTP/1.1 200", count=3)

    data = run(go())
    assert data.count(b"HTTP/1.1 200") == 3
    assert len(state.requests) == 3


def test_connection_close_and_expect_continue(state: SandboxState) -> None:
    body = b'{"to": "918888888888", "text": "hi"}'
    request = (
        b"POST /api/v2/chat HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nExpect: 100-continue\r\n"
        b"Content-Type: application/json\r\nAuthorization: Bearer " + SANDBOX_TOKEN.encode() + b"\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    )

    async def go() -> bytes:
        async with serve(state) as server:
            return await _raw_exchange(server.port, request, until=b"\x00never")

    data = run(go())
    assert data.startswith(b"HTTP/1.1 100 ")
    assert b"HTTP/1.1 200 " in data
    assert b'"status":"accepted"' in data


def test_malformed_request_gets_400(state: SandboxState) -> None:
    async def go() -> bytes:
        async with serve(state) as server:
            return await _raw_exchange(server.port, b"NOT HTTP AT ALL\r\n\r\n", until=b"\x00never")

    assert run(go()).startswith(b"HTTP/1.1 400 ")


def test_closes_cleanly_on_exit(state: SandboxState) -> None:
    async def go() -> int:
        async with serve(state) as server:
            reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
            writer.write(
                b"GET /api/v2/billing/wallet?token="
                + SANDBOX_TOKEN.encode()
                + b" HTTP/1.1\r\nHost: x\r\n\r\n"
            )
            head = await reader.readuntil(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 200")
            length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
            await reader.readexactly(length)  # the connection now idles (keep-alive)
            port = server.port
        assert await asyncio.wait_for(reader.read(), timeout=2) == b""
        writer.close()
        return port

    port = run(go())
    with socket.socket() as sock, pytest.raises(ConnectionRefusedError):
        sock.connect(("127.0.0.1", port))


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.com", "::"])
def test_refuses_non_loopback_hosts(host: str) -> None:
    async def go() -> None:
        async with serve(host=host):
            pass

    with pytest.raises(ValueError, match="loopback"):
        run(go())


@pytest.mark.parametrize(("host", "bound"), [("LOCALHOST", "LOCALHOST"), ("[::1]", "::1")])
def test_serves_every_loopback_host_the_client_accepts(host: str, bound: str) -> None:
    """One loopback rule (``core.urls``): a host the client may use over http is one the
    sandbox listens on, so a profile pointing at it connects."""

    async def go() -> int:
        async with serve(host=host) as server:
            assert server.host == bound
            check_base_url(server.base_url)  # the client would accept this URL
            async with httpx.AsyncClient(base_url=server.base_url, headers=bearer()) as client:
                return (await client.get("/templates")).status_code

    try:
        status = run(go())
    except OSError as err:
        if ":" not in bound:
            raise
        pytest.skip(f"no IPv6 loopback here: {err}")
    assert status == 200


def test_serve_in_thread_for_synchronous_callers(clock: FakeClock) -> None:
    state = SandboxState(clock=clock)
    with serve_in_thread(state) as server, httpx.Client(base_url=server.base_url, headers=bearer()) as client:
        queued = client.post("/chat", json={"to": QUEUED_RECIPIENT, "text": "hi"}).json()["data"]
        assert queued["queued"] is True
        clock.advance(10)
        status = client.get("/reports/messages/status", params={"messageId": queued["queueUid"]}).json()
        assert status["data"]["message"]["latestStatus"] == "delivered"
    assert len(state.requests) == 2


def test_banner_names_url_tokens_and_scenarios(state: SandboxState) -> None:
    async def go() -> str:
        async with serve(state) as server:
            return banner(server) + f"\n{server.base_url}"

    text = run(go())
    lines = text.splitlines()
    assert lines[0].startswith("Whats91 sandbox listening on http://127.0.0.1:")
    assert SANDBOX_TOKEN in text
    for number in ("919000000001", "919000000008", "919000000010"):
        assert number in text


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM stops the process at once on Windows")
def test_run_forever_prints_the_banner_and_stops_on_sigterm() -> None:
    code = "from whats91_desktop.sandbox.server import run_forever; run_forever(0)"
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("Whats91 sandbox listening on http://127.0.0.1:")
        base_url = first.rsplit(" ", 1)[1].strip()
        assert SANDBOX_TOKEN in process.stdout.readline()
        response = httpx.get(f"{base_url}/billing/wallet", headers=bearer())
        assert response.status_code == 200
        process.send_signal(signal.SIGTERM)
        rest, _ = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert rest.rstrip().endswith("Sandbox stopped.")
    assert process.returncode == 0
