"""Child programs for the GUI end-to-end tests: ``python -m tests.e2e.gui_child send|run-gui``.

Each runs in its own process with its own QApplication and qasync loop (the UI tests own the
session's loop) and prints one ``RESULT <json>`` line for the test to read.
"""

from __future__ import annotations

import asyncio
import gc
import json
import sys
from typing import Any

import qasync
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QTableView, QWidget

from tests.helpers.desk import make_desk
from whats91_desktop.app import create_window, run_gui
from whats91_desktop.core.models import Profile
from whats91_desktop.sandbox.constants import SANDBOX_TOKEN
from whats91_desktop.sandbox.server import SandboxServer, serve_in_thread


def send_over_loopback() -> dict[str, Any]:
    """A production profile on the loopback sandbox: confirm, send once, see it in the log."""
    asked: list[str] = []

    def answer_yes(*args: Any, **_kwargs: Any) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.Yes

    QMessageBox.question = staticmethod(answer_yes)  # type: ignore[method-assign,assignment]
    app = QApplication([])
    app.setQuitOnLastWindowClosed(False)

    async def main(server: SandboxServer) -> dict[str, Any]:
        desk = make_desk()
        await desk.services.profiles.save(Profile(name="Loop", base_url=server.base_url), SANDBOX_TOKEN)
        window = create_window(desk, profile="Loop")
        window.show()
        await asyncio.sleep(0.3)
        done: asyncio.Future[tuple[int, Any]] = asyncio.get_running_loop().create_future()
        window.send_finished.connect(lambda row, result: done.done() or done.set_result((row, result)))
        window.compose.recipient.edit.setText("+91 88888 88888")
        window.compose.text_tab.message_edit.setPlainText("over loopback")
        await asyncio.sleep(0.5)
        window.compose.trigger_send()
        row_id, result = await asyncio.wait_for(done, 20)
        await asyncio.sleep(0.5)
        view = window.findChild(QTableView, "messageLog")
        assert view is not None
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
        return dict(qasync.run(main(server)))


def run_gui_and_close() -> dict[str, Any]:
    """``run_gui`` on the sandbox, closed as a user would once every room is built (and the
    start-up heap frozen, see ``app.freeze_startup_heap``)."""
    QApplication([])
    seen: list[str] = []

    def close_main_window() -> None:
        for widget in QApplication.topLevelWidgets():
            ready = widget.findChild(QWidget, "messagesPane") is not None and gc.get_freeze_count() > 0
            if widget.objectName() == "mainWindow" and widget.isVisible() and ready:
                seen.append(widget.windowTitle())
                widget.close()
                return
        QTimer.singleShot(100, close_main_window)

    QTimer.singleShot(300, close_main_window)
    code = run_gui(["whats91-desktop", "--sandbox"])
    return {"code": code, "seen": seen}


if __name__ == "__main__":
    programs = {"send": send_over_loopback, "run-gui": run_gui_and_close}
    print("RESULT " + json.dumps(programs[sys.argv[1]]()))
