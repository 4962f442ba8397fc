"""The kill test: a CLI bulk run of 500 rows SIGKILLed at random points and resumed each time.

The sandbox runs in this process on real loopback HTTP and records every request, so it is the
witness: each row the job calls accepted reached it exactly once, each ``unknown`` row at most
once, no row is left planned or sending, and no recipient got two messages.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import child_env
from whats91_desktop.core.bulk.job_store import JobStore
from whats91_desktop.core.bulk.models import RowState
from whats91_desktop.sandbox.constants import SANDBOX_TOKEN
from whats91_desktop.sandbox.server import SandboxServer, serve_in_thread
from whats91_desktop.sandbox.state import SandboxState

ROWS = 500
KILLS = 4


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    with serve_in_thread(SandboxState()) as srv:
        yield srv


def _numbers() -> list[str]:
    return [f"91981{index:07d}" for index in range(ROWS)]


def _start(home: Path, server: SandboxServer, *argv: str) -> subprocess.Popen[str]:
    env = {**child_env(home), "WHATS91_TOKEN": SANDBOX_TOKEN}
    command = [
        sys.executable,
        "-m",
        "whats91_desktop",
        "bulk",
        "--base-url",
        server.base_url,
        "--json",
        *argv,
    ]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _job_id_of(child: subprocess.Popen[str]) -> str:
    assert child.stderr is not None
    for line in child.stderr:
        if line.startswith("job id: "):
            return line.removeprefix("job id: ").strip()
    raise AssertionError(f"no job id line; exit {child.wait()}")


def _sends_so_far(server: SandboxServer) -> int:
    return sum(1 for r in list(server.state.requests) if r.is_send)


def _kill_after_some_sends(child: subprocess.Popen[str], server: SandboxServer, rng: random.Random) -> None:
    """SIGKILL once the run has sent a random number more messages (or its time is up)."""
    target = _sends_so_far(server) + rng.randint(5, 90)
    deadline = time.monotonic() + 10
    while _sends_so_far(server) < target and time.monotonic() < deadline and child.poll() is None:
        time.sleep(rng.uniform(0.001, 0.02))
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=10)


@pytest.mark.slow
def test_killed_bulk_run_sends_every_row_once_or_reports_unknown(
    server: SandboxServer, tmp_path: Path
) -> None:
    rng = random.Random(int(os.environ.get("BULK_KILL_SEED", "14")))
    home = tmp_path / "home"
    csv_path = tmp_path / "audience.csv"
    numbers = _numbers()
    csv_path.write_text(
        "phone,name\n" + "".join(f"{n},Customer {i}\n" for i, n in enumerate(numbers)), encoding="utf-8"
    )
    first = _start(
        home, server, str(csv_path), "--text", "Hi {name}", "--to-column", "phone", "--rate", "80", "--yes"
    )
    job_id = _job_id_of(first)
    _kill_after_some_sends(first, server, rng)
    for _ in range(KILLS - 1):
        child = _start(home, server, "--resume", job_id)
        assert _job_id_of(child) == job_id
        _kill_after_some_sends(child, server, rng)
    final = _start(home, server, "--resume", job_id)
    out, err = final.communicate(timeout=60)
    assert final.returncode in (0, 4), err
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["jobId"] == job_id
    assert summary["planned"] == 0

    store = JobStore(home / "data" / "bulk.sqlite3")
    rows = store.rows(job_id, limit=ROWS * 2)
    store.close()
    assert len(rows) == ROWS, "a row was lost"
    sends = {n: len(server.state.sends_to(n)) for n in numbers}
    by_state: dict[RowState, list[str]] = {}
    for row in rows:
        by_state.setdefault(row.state, []).append(row.recipient)
    assert set(by_state) <= {RowState.ACCEPTED, RowState.UNKNOWN}, by_state.keys()
    assert all(sends[r] == 1 for r in by_state.get(RowState.ACCEPTED, [])), (
        "an accepted row was sent twice or never"
    )
    assert all(sends[r] <= 1 for r in by_state.get(RowState.UNKNOWN, [])), "an unknown row was resent"
    assert max(sends.values()) == 1
    assert summary["accepted"] == len(by_state.get(RowState.ACCEPTED, []))
