"""An in-process httpx transport for the sandbox that fails the way a real socket would.

``httpx.ASGITransport`` ignores timeouts and re-raises whatever the app raises. This wrapper
enforces the request's read timeout (``httpx.ReadTimeout``) and turns the dropped-connection
scenario into ``httpx.RemoteProtocolError``, the exception httpx raises when a server closes
the connection without answering.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx

from whats91_desktop.sandbox.app import DropConnection, SandboxApp, create_app

DISCONNECTED = "Server disconnected without sending a response."
INTERNAL_ERROR = b"Sandbox internal error\n"

log = logging.getLogger(__name__)


class SandboxTransport(httpx.AsyncBaseTransport):
    def __init__(self, app: SandboxApp) -> None:
        self.app = app
        self._inner = httpx.ASGITransport(app=app)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        timeouts: dict[str, Any] = request.extensions.get("timeout") or {}
        read_timeout = timeouts.get("read")
        try:
            if read_timeout is None:
                return await self._inner.handle_async_request(request)
            return await asyncio.wait_for(self._inner.handle_async_request(request), timeout=read_timeout)
        except TimeoutError:
            raise httpx.ReadTimeout("The read operation timed out", request=request) from None
        except DropConnection:
            raise httpx.RemoteProtocolError(DISCONNECTED, request=request) from None
        except Exception:
            # What the loopback server answers too: a bug in the emulator is the server's 500,
            # never an exception out of the client's transport.
            log.exception("sandbox app failed on %s %s", request.method, request.url.path)
            return httpx.Response(
                500, content=INTERNAL_ERROR, headers={"content-type": "text/plain; charset=utf-8"}
            )

    async def aclose(self) -> None:
        await self._inner.aclose()


def sandbox_transport(app: SandboxApp | None = None) -> httpx.AsyncBaseTransport:
    """The transport to give ``httpx.AsyncClient(transport=..., base_url=SANDBOX_BASE_URL)``."""
    return SandboxTransport(app if app is not None else create_app())
