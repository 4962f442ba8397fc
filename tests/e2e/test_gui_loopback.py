"""The desktop app end to end: a real window talks HTTP to the sandbox served on loopback.

It runs in a child process with its own QApplication and qasync loop (the UI tests own the
session's loop), and checks what a user would: the profile is PRODUCTION, the first send asks
for confirmation, the message arrives at the server once, the log shows it, and the process
exits cleanly (no crash at interpreter exit).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent(
    """
    import asyncio, json, sys
    import qasync
    from PySide6.QtWidgets import QApplication, QMessageBox, QTableView

    from whats91_desktop.app import build_context, create_window
    from whats91_desktop.core.models import Profile
    from whats91_desktop.sandbox.constants import SANDBOX_TOKEN
    from whats91_desktop.sandbox.server import serve_in_thread
    from whats91_desktop.ui.profiles.actions import save_profile

    asked = []
    QMessageBox.question = staticmethod(lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)

    app = QApplication([])
    app.setQuitOnLastWindowClosed(False)

    async def main(server):
        context = build_context()
        await save_profile(context, Profile(name="Loop", base_url=server.base_url), SANDBOX_TOKEN)
        window = create_window(profile="Loop", context=context)
        window.show()
        await asyncio.sleep(0.3)
        done = asyncio.get_running_loop().create_future()
        window.send_finished.connect(lambda row, result: done.done() or done.set_result((row, result)))
        window.compose.recipient.edit.setText("+91 88888 88888")
        window.compose.text_tab.message_edit.setPlainText("over loopback")
        await asyncio.sleep(0.5)
        window.compose.trigger_send()
        row_id, result = await asyncio.wait_for(done, 20)
        await asyncio.sleep(0.5)
        view = window.findChild(QTableView, "messageLog")
        model = view.model()
        statuses = [str(model.data(model.index(r, model.columnCount() - 2))) for r in range(model.rowCount())]
        badge = window.status.badge.text()
        window.close()
        await window.shutdown()
        return {
            "outcome": result.outcome.value,
            "row": row_id,
            "asked": len(asked),
            "badge": badge,
            "sends": len(server.state.sends_to("918888888888")),
            "statuses": statuses,
        }

    with serve_in_thread() as server:
        out = qasync.run(main(server))
    print("RESULT " + json.dumps(out))
    """
)


def test_window_sends_over_loopback_http(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "WHATS91_HOME": str(tmp_path / "home"),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "PYTHONPATH": str(ROOT),
    }
    proc = subprocess.run(
        [sys.executable, "-c", CHILD], env=env, cwd=ROOT, capture_output=True, text=True, timeout=90
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert lines, proc.stderr[-3000:]
    result = json.loads(lines[-1].removeprefix("RESULT "))
    assert result["outcome"] == "accepted"
    assert result["badge"] == "PRODUCTION"
    assert result["asked"] == 1
    assert result["sends"] == 1
    assert any("accepted" in s or "sent" in s for s in result["statuses"]), result


RUN_GUI = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from whats91_desktop.app import run_gui

    app = QApplication([])
    seen = []

    def close_main_window():
        for widget in QApplication.topLevelWidgets():
            if widget.objectName() == "mainWindow" and widget.isVisible():
                seen.append(widget.windowTitle())
                widget.close()
                return
        QTimer.singleShot(100, close_main_window)

    QTimer.singleShot(300, close_main_window)
    code = run_gui(["whats91-desktop", "--sandbox"])
    print("RESULT", code, seen)
    sys.exit(code)
    """
)


def test_run_gui_starts_on_the_sandbox_and_quits_cleanly(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "WHATS91_HOME": str(tmp_path / "home"),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "PYTHONPATH": str(ROOT),
    }
    proc = subprocess.run(
        [sys.executable, "-c", RUN_GUI], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "RESULT 0 ['Whats91 Desktop — Sandbox (sandbox)']" in proc.stdout, (
        proc.stdout + proc.stderr[-2000:]
    )
    settings = json.loads((tmp_path / "home" / "config" / "settings.json").read_text(encoding="utf-8"))
    assert settings["ui_state"]["last_profile"] == "Sandbox"
    # The app writes its own log (through the background writer), start to stop, tokens scrubbed.
    log = (tmp_path / "home" / "logs" / "whats91-desktop.log").read_text(encoding="utf-8")
    assert "Whats91 Desktop 0." in log and "starting" in log and "Whats91 Desktop stopped" in log
    assert "w91_live_" not in log
