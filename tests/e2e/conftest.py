"""The loopback sandbox the CLI end-to-end tests run against.

``server`` is one real sandbox on a loopback port per test module: starting one costs a thread,
a loop and a socket, so its tests share it. A module opts in to a clean start for every test
with ``pytestmark = pytest.mark.usefixtures("sandbox_session")``; one that needs another kind of
sandbox (slow, with other tokens, one per test) defines its own ``server``, which replaces this one.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from whats91_desktop.sandbox.constants import SANDBOX_TOKEN
from whats91_desktop.sandbox.server import SandboxServer, serve_in_thread
from whats91_desktop.sandbox.state import SandboxState


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with serve_in_thread(SandboxState()) as srv:
        yield srv


@pytest.fixture
def sandbox_session(monkeypatch: pytest.MonkeyPatch, server: SandboxServer) -> SandboxServer:
    """The sandbox's token in ``WHATS91_TOKEN`` and its state as it starts (the seeded
    conversations and templates, no earlier test's sends), so no test depends on another."""
    monkeypatch.setenv("WHATS91_TOKEN", SANDBOX_TOKEN)
    server.state.reset()
    return server
