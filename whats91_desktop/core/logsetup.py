"""Application logging: a rotating file in the log dir, every record scrubbed of tokens.

The redacting filter sits on the handlers (a logger's own filters never see records that
propagate from child loggers), so nothing reaches disk or the console unscrubbed.
The desktop app writes through :class:`BackgroundLogging`, so a log line never makes the GUI
thread wait on the disk (or on a rotation).
"""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
import queue
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import cast

from whats91_desktop.core.redact import RedactingFilter

LOG_FILE_NAME = "whats91-desktop.log"
_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
_HANDLER_MARK = "_whats91_handler"


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Creates the log file (and each one after a rollover) readable by its owner only: the
    stream is opened lazily, so a chmod at set-up time would miss it."""

    def _open(self) -> io.TextIOWrapper:
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_BINARY", 0)
        fd = os.open(self.baseFilename, flags, 0o600)
        return cast(io.TextIOWrapper, open(fd, self.mode, encoding=self.encoding, errors=self.errors))


def configure_logging(
    log_dir: Path | None,
    *,
    secrets_provider: Callable[[], Iterable[str]] | None = None,
    level: int = logging.INFO,
    console: bool = False,
) -> Path | None:
    """Install our handlers on the ``whats91_desktop`` logger (idempotent); return the log file."""
    logger = logging.getLogger("whats91_desktop")
    for handler in list(logger.handlers):
        if getattr(handler, _HANDLER_MARK, False):
            logger.removeHandler(handler)
            handler.close()
    logger.setLevel(level)
    redactor = RedactingFilter(secrets_provider)
    log_file: Path | None = None
    handlers: list[logging.Handler] = []
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        log_file = log_dir / LOG_FILE_NAME
        file_handler = _PrivateRotatingFileHandler(
            log_file, maxBytes=2_000_000, backupCount=3, encoding="utf-8", delay=True
        )
        handlers.append(file_handler)
    if console:
        handlers.append(logging.StreamHandler())
    for handler in handlers:
        handler.setFormatter(logging.Formatter(_FORMAT))
        handler.addFilter(redactor)
        setattr(handler, _HANDLER_MARK, True)
        logger.addHandler(handler)
    if log_file is not None and log_file.exists():
        os.chmod(log_file, 0o600)
    return log_file


class BackgroundLogging:
    """``configure_logging``'s handlers, fed through a queue by a listener thread."""

    def __init__(self, log_dir: Path, secrets_provider: Callable[[], Iterable[str]]) -> None:
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
