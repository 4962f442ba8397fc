"""The one in-process sandbox of a process: its state lives as long as the app.

The sandbox's ASGI app and its httpx transport are imported and built on first use, so a
window on a real profile never pays for them, and a client built on a worker thread can ask
for the transport safely (a lock guards the one-time creation).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from whats91_desktop.sandbox.state import SandboxState

if TYPE_CHECKING:
    import httpx

    from whats91_desktop.sandbox.app import SandboxApp


class SandboxRuntime:
    def __init__(self, state: SandboxState | None = None) -> None:
        self.state = state if state is not None else SandboxState()
        self._app: SandboxApp | None = None
        self._lock = threading.Lock()

    @property
    def app(self) -> SandboxApp:
        with self._lock:
            if self._app is None:
                from whats91_desktop.sandbox.app import create_app

                self._app = create_app(self.state)
            return self._app

    def transport(self) -> httpx.AsyncBaseTransport:
        """A transport to this sandbox (one per client; they share the sandbox's state)."""
        from whats91_desktop.sandbox.transport import sandbox_transport

        return sandbox_transport(self.app)
