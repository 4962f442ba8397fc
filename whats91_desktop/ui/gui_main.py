"""The desktop app's start-up: QApplication, the qasync loop, our excepthook, the window.

On quit the window's clients and the message store are closed on the loop: closing the window
schedules ``window.shutdown()``, and the main coroutine (what ``qasync.run`` waits for) ends
only after it.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence

import qasync
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from whats91_desktop import APP_NAME, __version__


def run_gui(argv: Sequence[str] | None = None, *, sandbox: bool = False, profile: str | None = None) -> int:
    """Run the window until it is closed; returns the process exit code."""
    from whats91_desktop.app import build_context, create_window
    from whats91_desktop.ui.excepthook import install_excepthook

    args = list(argv) if argv is not None else sys.argv[:1]
    if "--sandbox" in args[1:]:
        sandbox = True
    app = QApplication.instance() or QApplication(args)
    assert isinstance(app, QApplication)
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    app.setApplicationDisplayName("Whats91 Desktop")
    app.setWindowIcon(QIcon.fromTheme("mail-send"))

    async def main() -> int:
        context = build_context()
        reporter = install_excepthook(
            context.paths.log_dir,
            parent=QApplication.activeWindow,
            secrets=context.secret_store.known_tokens,
        )
        window = create_window(sandbox=sandbox, profile=profile, context=context)
        finished = asyncio.get_running_loop().create_future()

        async def shut_down() -> None:
            try:
                await window.shutdown()
            finally:
                if not finished.done():
                    finished.set_result(None)

        shutting_down: list[asyncio.Future[None]] = []

        def on_quit_requested() -> None:
            if not shutting_down:
                shutting_down.append(asyncio.ensure_future(shut_down()))

        # The loop must outlive the window so that clients and the store close cleanly: quit
        # only after shut_down() (closing the window, or a session logout, starts it).
        app.setQuitOnLastWindowClosed(False)
        window.closed.connect(on_quit_requested)
        app.aboutToQuit.connect(on_quit_requested)
        window.show()
        try:
            await finished
        finally:
            reporter.uninstall()
        return 0

    try:
        return int(qasync.run(main()) or 0)
    except KeyboardInterrupt:
        return 130
    except RuntimeError as err:  # the loop was stopped from outside (the session ended)
        if "Event loop stopped" in str(err):
            return 0
        raise
