"""A heartbeat on the GUI thread: how long the event loop went without turning.

The garbage of every earlier test in the session lives in this one process (half a million
objects by the end of the suite), and a full collection of it holds the GIL for 0.5–1.3 s: a
pause that says nothing about the code under test. So a heartbeat collects first and freezes
what survives (``gc.freeze``) while it watches; collections then scan only what the watched
code made, and the frozen objects go back to the collector afterwards.
"""

from __future__ import annotations

import gc
import itertools
import time

from PySide6.QtCore import QTimer

MAX_PAUSE = 0.25
"""Longest allowed gap between heartbeats while a 0.5 s call runs off the GUI thread (half of it)."""


class Heartbeat:
    """A 20 ms QTimer on the GUI thread; ``longest_pause`` is the worst gap between its ticks."""

    def __init__(self, interval_ms: int = 20) -> None:
        self.ticks: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(lambda: self.ticks.append(time.monotonic()))

    def __enter__(self) -> Heartbeat:
        gc.collect()
        gc.freeze()
        self.started = time.monotonic()
        self.timer.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.timer.stop()
        self.stopped = time.monotonic()
        gc.unfreeze()

    @property
    def longest_pause(self) -> float:
        moments = [self.started, *self.ticks, self.stopped]
        return max(b - a for a, b in itertools.pairwise(moments))
