"""The small HTTP/1.1 server (``core.http_server``) over a real loopback socket."""

from __future__ import annotations

import asyncio

import httpx

from whats91_desktop.core.http_server import HttpRequest, HttpResponse, serve_http


def test_a_204_is_answered_without_its_body_and_the_connection_serves_on() -> None:
    async def answer(request: HttpRequest) -> HttpResponse:
        status = 204 if request.path == "/empty" else 200
        return HttpResponse(status, b'{"ok":true}')

    async def go() -> list[httpx.Response]:
        async with serve_http(answer, "127.0.0.1", 0, max_body=1024, server_header=b"test") as bound:
            base = f"http://127.0.0.1:{bound.port}"
            async with httpx.AsyncClient(trust_env=False, timeout=5) as client:
                return [await client.post(f"{base}{path}", content=b"x") for path in ("/empty", "/full")]

    empty, full = asyncio.run(go())
    assert empty.status_code == 204
    assert empty.content == b""
    assert "content-length" not in empty.headers
    assert full.status_code == 200
    assert full.content == b'{"ok":true}'
    assert full.headers["content-length"] == "11"
