"""``whats91-desktop --self-check`` as a user (or CI, on the bundle) runs it: a child process,
one line on stdout, exit 0, and nothing written to the user's home."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import child_env

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_self_check_sends_through_the_window_and_exits_0(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {**child_env(home), "QT_QPA_PLATFORM": "xcb"}  # it must choose offscreen itself
    proc = subprocess.run(
        [sys.executable, "-m", "whats91_desktop", "--self-check"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = proc.stdout.splitlines()
    assert len(lines) == 1, proc.stdout
    assert lines[0].startswith("self-check passed: message to +91 88888 88888 sent through the window")
    assert "delivered after" in lines[0]
    # A throw-away home: the user's (here WHATS91_HOME) gets no settings, log or tokens.
    assert not home.exists() or not any(home.rglob("*"))
