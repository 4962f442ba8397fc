"""One cold start, measured from inside: ``_startup_child.py bare|app`` (run by ``startup.py``).

``bare`` is a plain ``QMainWindow`` shown from a qasync loop; ``app`` is ``whats91_desktop.app.run_gui``
on the sandbox. Both create the ``QApplication`` first and install an event filter on it, so the
product code is not touched: the filter sees the first ``Show`` event of a ``QMainWindow``
(delivered from inside ``window.show()``), notes the time and the peak RSS so far, and closes the
window soon after, which ends the program the way a user's close would.

The child prints one line, ``STARTUP-RESULT {json}``, with:

- ``shown_ns``: ``time.monotonic_ns()`` at that Show event. It is ``CLOCK_MONOTONIC``, the same
  clock in every process, so the parent subtracts the time it took just before spawning us.
- ``painted_ns``: the same clock at the first ``Paint`` of the window (or of a widget in it) after
  the Show, or null when none arrives before the window closes.
- ``hwm_kib``: ``VmHWM`` from ``/proc/self/status`` read in the Show event: the peak resident set
  of this process up to the moment the window is shown (what shutting down allocates not included).
- ``modules``: how many modules were imported by then.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

RESULT_PREFIX = "STARTUP-RESULT "
# Let the window finish what it starts right after it is shown (MainWindow queues its background
# start-up from showEvent) before closing it, so the app takes its ordinary shutdown path.
CLOSE_AFTER_MS = 150


def _vm_hwm_kib() -> int:
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


class FirstShowProbe(QObject):
    """Application-wide event filter: records the first Show (and Paint) of a ``QMainWindow``."""

    def __init__(self) -> None:
        super().__init__()
        self.window: QMainWindow | None = None
        self.shown_ns: int | None = None
        self.painted_ns: int | None = None
        self.hwm_kib: int | None = None
        self.modules = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if self.window is None:
            if kind == QEvent.Type.Show and isinstance(watched, QMainWindow):
                self.shown_ns = time.monotonic_ns()
                self.hwm_kib = _vm_hwm_kib()
                self.modules = len(sys.modules)
                self.window = watched
                QTimer.singleShot(CLOSE_AFTER_MS, watched.close)
        elif (
            self.painted_ns is None
            and kind == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and (watched is self.window or self.window.isAncestorOf(watched))
        ):
            self.painted_ns = time.monotonic_ns()
        return False

    def report(self) -> str:
        if self.shown_ns is None:
            raise RuntimeError("no QMainWindow was shown")
        result = {
            "shown_ns": self.shown_ns,
            "painted_ns": self.painted_ns,
            "hwm_kib": self.hwm_kib,
            "modules": self.modules,
        }
        return RESULT_PREFIX + json.dumps(result)


def _bare(app: QApplication) -> int:
    import qasync

    async def main() -> int:
        window = QMainWindow()
        window.setWindowTitle("bare")
        window.resize(1280, 820)  # MainWindow's first-run size
        closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def on_closed() -> None:
            if not closed.done():
                closed.set_result(None)

        app.lastWindowClosed.connect(on_closed)
        window.show()
        await closed
        return 0

    return int(qasync.run(main()) or 0)


def _app(argv: list[str]) -> int:
    from whats91_desktop.app import run_gui

    return run_gui(argv, sandbox=True)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[1] not in ("bare", "app"):
        print("usage: _startup_child.py bare|app", file=sys.stderr)
        return 2
    app_argv = [argv[0]]
    app = QApplication(app_argv)
    probe = FirstShowProbe()
    app.installEventFilter(probe)
    code = _bare(app) if argv[1] == "bare" else _app(app_argv)
    app.removeEventFilter(probe)
    print(probe.report(), flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
