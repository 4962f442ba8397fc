from __future__ import annotations

import pytest

from tests.helpers.sandbox_fixtures import FakeClock, RecordingSleep
from whats91_desktop.sandbox.state import SandboxState


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sleeps() -> RecordingSleep:
    return RecordingSleep()


@pytest.fixture
def state(clock: FakeClock) -> SandboxState:
    return SandboxState(clock=clock, seed=7)
