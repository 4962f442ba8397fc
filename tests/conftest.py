"""Shared test set-up: a private home for every test, no real keychain, no network but loopback."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Never the user's keychain: keyring's fail backend, unless a test injects its own.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
os.environ.pop("WHATS91_TOKEN", None)

_real_connect = socket.socket.connect


def _loopback_only_connect(self: socket.socket, address: object) -> object:
    """Refuse any connection that would leave this machine (tests use loopback only)."""
    if isinstance(address, tuple) and address and isinstance(address[0], str):
        host = address[0]
        try:
            if not ipaddress.ip_address(host).is_loopback:
                raise ConnectionRefusedError(f"tests may not connect to {host}")
        except ValueError:
            if host not in ("localhost",):
                raise ConnectionRefusedError(f"tests may not connect to {host}") from None
    return _real_connect(self, address)  # type: ignore[arg-type]


socket.socket.connect = _loopback_only_connect  # type: ignore[method-assign]


def child_env(home: Path) -> dict[str, str]:
    """The same isolation for a child process (the e2e tests run the app in one)."""
    return {
        **os.environ,
        "WHATS91_HOME": str(home),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
    }


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Redirect every platformdirs/XDG path and WHATS91_HOME to a fresh temp dir: the one
    isolation fixture of the suite (no test module needs its own)."""
    home = tmp_path_factory.mktemp("home")
    for var, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("WHATS91_HOME", str(home / "whats91"))
    monkeypatch.delenv("WHATS91_TOKEN", raising=False)
    return str(home)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the Qt tests last: their qasync loop stays installed as the running loop."""
    items.sort(key=lambda item: "/tests/ui/" in str(item.fspath).replace(os.sep, "/"))
