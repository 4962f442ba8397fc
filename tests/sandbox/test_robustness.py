"""Hostile clients: the sandbox answers like a server (4xx/5xx), never crashes, never raises into
the client through the in-process transport."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from tests.helpers.sandbox_fixtures import bearer, post, run
from whats91_desktop.sandbox.app import create_app
from whats91_desktop.sandbox.constants import SANDBOX_BASE_URL
from whats91_desktop.sandbox.server import serve
from whats91_desktop.sandbox.state import SandboxState
from whats91_desktop.sandbox.transport import sandbox_transport

TO = "918888888888"
DEEP = b'{"to":"918888888888","templateName":"payment_reminder","parameters":' + b"[" * 50_000 + b"]" * 50_000
DEEP += b"}"


def test_deeply_nested_json_is_a_400(state: SandboxState) -> None:
    response = post(state, "/send", content=DEEP, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error_code"] == "VALIDATION_FAILED"


def test_a_lone_surrogate_echoed_back_is_still_a_json_answer(state: SandboxState) -> None:
    body = b'{"to":"918888888888","templateName":"no_such_\\udc00"}'
    response = post(state, "/send", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 404
    assert response.json()["details"]["templateName"] == "no_such_\udc00"


def test_an_emulator_bug_is_a_500_from_the_in_process_transport(
    state: SandboxState, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(state)

    async def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("emulator bug")

    app.handle = broken  # type: ignore[method-assign,assignment]

    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=sandbox_transport(app), base_url=SANDBOX_BASE_URL) as client:
            return await client.post("/chat", json={"to": TO, "text": "hi"}, headers=bearer())

    with caplog.at_level("ERROR"):
        response = run(go())
    assert response.status_code == 500
    assert response.text == "Sandbox internal error\n"
    assert "emulator bug" in caplog.text


def test_the_loopback_server_survives_garbage_and_concurrency(state: SandboxState) -> None:
    garbage = [
        b"GARBAGE\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",  # a TLS client hello
        b"GET /api/v2/templates HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        b"GET / HTTP/1.1\r\n\r\n",  # no Host
        b"POST /api/v2/chat HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{",  # then hangs up
        b"POST /api/v2/send HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
        + str(len(DEEP)).encode()
        + b"\r\n\r\n"
        + DEEP,
    ]

    async def hostile(port: int, payload: bytes) -> bytes:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(payload)
        await writer.drain()
        writer.write_eof()
        data = await asyncio.wait_for(reader.read(), timeout=5)
        writer.close()
        return data

    async def go() -> tuple[list[int], list[bytes]]:
        async with (
            serve(state) as server,
            httpx.AsyncClient(base_url=server.base_url, headers=bearer()) as client,
        ):
            sends = [client.post("/chat", json={"to": TO, "text": f"m{i}"}) for i in range(60)]
            attacks = [hostile(server.port, g) for g in garbage]
            results = await asyncio.gather(*sends, *attacks)
            after = await client.get("/templates")
            assert after.status_code == 200
        responses = [r for r in results if isinstance(r, httpx.Response)]
        return [r.status_code for r in responses], [r for r in results if isinstance(r, bytes)]

    statuses, raw = run(go())
    assert statuses == [200] * 60
    status_lines = [r.split(b"\r\n", 1)[0] for r in raw]
    assert all(not line.startswith(b"HTTP/1.1 5") for line in status_lines), status_lines
    assert status_lines[-1].startswith(b"HTTP/1.1 400")
