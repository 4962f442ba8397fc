"""The desktop app's start-up: QApplication, the qasync loop, logging, our excepthook, the window.

On quit the window's clients and the message store are closed on the loop: closing the window
schedules ``window.shutdown()``, and the main coroutine (what ``qasync.run`` waits for) ends
only after it (pending settings writes included).

The log file is written by a background thread: records pass through a queue, so a log line
never makes the GUI thread wait on the disk (or on a rotation).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import logging.handlers
import queue
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import qasync
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from whats91_desktop import APP_NAME, __version__

log = logging.getLogger(__name__)


class BackgroundLogging:
    """``configure_logging``'s handlers, fed through a queue by a listener thread."""

    def __init__(self, log_dir: Path, secrets_provider: Callable[[], Iterable[str]]) -> None:
        from whats91_desktop.core.logsetup import configure_logging

        self.log_file = configure_logging(log_dir, secrets_provider=secrets_provider)
        self._logger = logging.getLogger("whats91_desktop")
        self._handlers = list(self._logger.handlers)
        records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
        self._queue_handler = logging.handlers.QueueHandler(records)
        for handler in self._handlers:
            self._logger.removeHandler(handler)
        self._logger.addHandler(self._queue_handler)
        # The handlers keep their redacting filter: records are scrubbed on the listener thread.
        self._listener = logging.handlers.QueueListener(records, *self._handlers, respect_handler_level=True)
        self._listener.start()

    def stop(self) -> None:
        """Write what is queued, then put the handlers back (and close them)."""
        self._listener.stop()
        self._logger.removeHandler(self._queue_handler)
        for handler in self._handlers:
            handler.close()


def run_gui(argv: Sequence[str] | None = None, *, sandbox: bool = False, profile: str | None = None) -> int:
    """Run the window until it is closed; returns the process exit code."""
    from whats91_desktop.app import build_context_async, create_window
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
        # Plain Python threads for run_in_executor(None, …) (httpx resolves host names there):
        # qasync's default is a QThread pool, and QThreads still alive at exit abort the process.
        asyncio.get_running_loop().set_default_executor(
            concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="whats91-default")
        )
        context = await build_context_async()
        logs = BackgroundLogging(context.paths.log_dir, secrets_provider=context.secret_store.known_tokens)
        log.info(
            "Whats91 Desktop %s starting; settings %s, log %s, keychain %s",
            __version__,
            context.paths.settings_file,
            context.paths.log_db,
            context.secret_store.backend_name,
        )
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
            log.info("Whats91 Desktop stopped")
            logs.stop()
        return 0

    try:
        return int(qasync.run(main()) or 0)
    except KeyboardInterrupt:
        return 130
    except RuntimeError as err:  # the loop was stopped from outside (the session ended)
        if "Event loop stopped" in str(err):
            return 0
        raise
