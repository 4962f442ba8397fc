"""Services under test, built as ``app.open_services`` builds them, with no QApplication."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.memory_keyring import MemoryKeyring
from whats91_desktop.app import open_services
from whats91_desktop.services.container import Services
from whats91_desktop.services.executors import Executors


@pytest.fixture
def executors() -> Iterator[Executors]:
    made = Executors.create()
    yield made
    made.shutdown()


@pytest.fixture
def keyring() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def services(executors: Executors, keyring: MemoryKeyring) -> Services:
    return open_services(executors=executors, keyring_backend=keyring)
