"""Our ``sys.excepthook``: a bug is logged (tokens scrubbed) and shown, never silently swallowed.

qasync hands exceptions escaping an ``@asyncSlot`` to ``sys.excepthook``, and so does Qt for
plain slots, so this is the one place an unexpected error surfaces. The dialog is non-modal: a
bug must not freeze a console that someone is using to answer customers.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import logging
import sys
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from whats91_desktop.core.redact import redact_text

ERROR_LOG_NAME = "errors.log"


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every token we know of, and everything shaped like one, replaced."""
    return redact_text(text, list(secrets))


ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


class ErrorReporter:
    """Callable installed as ``sys.excepthook``; keeps its open dialogs alive until closed."""

    def __init__(
        self,
        log_dir: Path,
        parent: Callable[[], QWidget | None] | None = None,
        secrets: Callable[[], Iterable[str]] | None = None,
    ) -> None:
        self.log_file = Path(log_dir) / ERROR_LOG_NAME
        self._parent = parent
        self._secrets = secrets
        self._dialogs: list[QMessageBox] = []
        self.previous: ExceptHook = sys.excepthook

    def __call__(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self.previous(exc_type, exc, tb)
            return
        secrets = list(self._secrets()) if self._secrets else []
        text = scrub("".join(traceback.format_exception(exc_type, exc, tb)), secrets)
        logging.getLogger(__name__).error("unexpected error:\n%s", text.rstrip())
        self._write(text)
        with contextlib.suppress(Exception):
            sys.stderr.write(text)
        self._show(scrub(f"{exc_type.__name__}: {exc}", secrets), text)

    def _write(self, text: str) -> None:
        stamp = _dt.datetime.now().astimezone().isoformat(timespec="seconds")
        try:
            self.log_file.parent.mkdir(parents=True, exist_ok=True)
            with self.log_file.open("a", encoding="utf-8") as handle:
                handle.write(f"--- {stamp}\n{text}\n")
        except OSError:
            pass  # the traceback still reaches stderr and the dialog

    def _show(self, summary: str, details: str) -> None:
        if QApplication.instance() is None:
            return
        parent = self._parent() if self._parent else None
        box = QMessageBox(parent)
        box.setObjectName("errorDialog")
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle("Unexpected error")
        box.setText("Something went wrong inside Whats91 Desktop. Your messages and settings are safe.")
        box.setInformativeText(f"{summary}\n\nDetails were written to {self.log_file}")
        box.setDetailedText(details)
        box.setModal(False)
        box.setStandardButtons(QMessageBox.StandardButton.Close)
        box.finished.connect(lambda _result, b=box: self._forget(b))
        self._dialogs.append(box)
        box.show()

    def _forget(self, box: QMessageBox) -> None:
        if box in self._dialogs:
            self._dialogs.remove(box)
        box.deleteLater()

    @property
    def open_dialogs(self) -> list[QMessageBox]:
        return list(self._dialogs)

    def uninstall(self) -> None:
        if sys.excepthook is self:
            sys.excepthook = self.previous


def install_excepthook(
    log_dir: Path,
    parent: Callable[[], QWidget | None] | None = None,
    secrets: Callable[[], Iterable[str]] | None = None,
) -> ErrorReporter:
    reporter = ErrorReporter(log_dir, parent, secrets)
    sys.excepthook = reporter
    return reporter
