"""The built-in Whats91 v2 emulator: an ASGI app, its state, an httpx transport and a loopback server.

It stands alone: no Qt, no UI, nothing from ``whats91_desktop.core``. See ``docs/CONTRACTS.md``
for the tokens, senders and scenario recipients.
"""

from whats91_desktop.sandbox.app import DropConnection, SandboxApp, create_app
from whats91_desktop.sandbox.constants import (
    SANDBOX_BASE_URL,
    SANDBOX_EXPIRED_TOKEN,
    SANDBOX_SCOPED_TOKEN,
    SANDBOX_SENDERS,
    SANDBOX_TOKEN,
    SCENARIOS,
    Scenario,
)
from whats91_desktop.sandbox.server import SandboxServer, run_forever, serve, serve_in_thread
from whats91_desktop.sandbox.state import RecordedRequest, SandboxMessage, SandboxState
from whats91_desktop.sandbox.transport import sandbox_transport

__all__ = [
    "SANDBOX_BASE_URL",
    "SANDBOX_EXPIRED_TOKEN",
    "SANDBOX_SCOPED_TOKEN",
    "SANDBOX_SENDERS",
    "SANDBOX_TOKEN",
    "SCENARIOS",
    "DropConnection",
    "RecordedRequest",
    "SandboxApp",
    "SandboxMessage",
    "SandboxServer",
    "SandboxState",
    "Scenario",
    "create_app",
    "run_forever",
    "sandbox_transport",
    "serve",
    "serve_in_thread",
]
