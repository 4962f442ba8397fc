"""The desktop app end to end: a real window talks HTTP to the sandbox served on loopback.

It runs in a child process with its own QApplication and qasync loop (the UI tests own the
session's loop), and checks what a user would: the profile is PRODUCTION, the first send asks
for confirmation, the message arrives at the server once, the log shows it, and the process
exits cleanly (no crash at interpreter exit).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.conftest import child_env

ROOT = Path(__file__).resolve().parents[2]


def run_child(program: str, home: Path, timeout: float) -> dict[str, Any]:
    """Run ``tests.e2e.gui_child PROGRAM`` in a fresh process and return its RESULT."""
    env = child_env(home)
    proc = subprocess.run(
        [sys.executable, "-m", "tests.e2e.gui_child", program],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert lines, proc.stderr[-3000:]
    result: dict[str, Any] = json.loads(lines[-1].removeprefix("RESULT "))
    return result


def test_window_sends_over_loopback_http(tmp_path: Path) -> None:
    result = run_child("send", tmp_path / "home", timeout=90)
    assert result["outcome"] == "accepted"
    assert result["badge"] == "PRODUCTION"
    assert result["asked"] == 1
    assert result["sends"] == 1
    assert any("accepted" in s or "sent" in s for s in result["statuses"]), result


def test_run_gui_starts_on_the_sandbox_and_quits_cleanly(tmp_path: Path) -> None:
    result = run_child("run-gui", tmp_path / "home", timeout=60)
    assert result == {"code": 0, "seen": ["Whats91 Desktop — Sandbox"]}
    settings = json.loads((tmp_path / "home" / "config" / "settings.json").read_text(encoding="utf-8"))
    assert settings["ui_state"]["last_profile"] == "Sandbox"
    # The app writes its own log (through the background writer), start to stop, tokens scrubbed.
    log = (tmp_path / "home" / "logs" / "whats91-desktop.log").read_text(encoding="utf-8")
    assert "Whats91 Desktop 0." in log
    assert "starting" in log
    assert "Whats91 Desktop stopped" in log
    assert "w91_live_" not in log
