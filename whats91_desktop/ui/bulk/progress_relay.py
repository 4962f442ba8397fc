"""Progress of running jobs, from the engine's topic to the GUI at a few updates a second.

The engine publishes :class:`BulkProgress` on ``BulkService.progress`` (already at most four
times a second per job); this relay keeps only the newest event per job and lets it through
at most every :data:`THROTTLE_MS`, so a view never redraws faster than the eye can follow
however many jobs run. A change of the job's state (paused, finished…) goes through at once:
the buttons must follow it. Events reach the relay through a queued signal, so a publisher
on another thread would be safe too.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from whats91_desktop.core.bulk.models import BulkProgress, JobState

THROTTLE_MS = 300


class ProgressRelay(QObject):
    progressed = Signal(object)
    """A :class:`BulkProgress`, on the GUI thread, throttled."""
    _incoming = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: dict[str, BulkProgress] = {}
        self._states: dict[str, JobState] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(THROTTLE_MS)
        self._timer.timeout.connect(self._flush)
        self._incoming.connect(self._on_incoming, Qt.ConnectionType.QueuedConnection)
        self.delivered = 0
        """How many events went out (the tests check the throttle with it)."""

    def push(self, progress: BulkProgress) -> None:
        """Subscribe this to ``BulkService.progress``."""
        self._incoming.emit(progress)

    def _on_incoming(self, progress: BulkProgress) -> None:
        self._pending[progress.job_id] = progress
        if self._states.get(progress.job_id) is not progress.state:
            self._flush()
        elif not self._timer.isActive():
            self._timer.start()

    def _flush(self) -> None:
        pending, self._pending = self._pending, {}
        for progress in pending.values():
            self._states[progress.job_id] = progress.state
            self.delivered += 1
            self.progressed.emit(progress)

    def stop(self) -> None:
        self._timer.stop()
        self._pending.clear()
