"""How long the GUI thread stalls while the window sends, against the same window idle.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/responsiveness.py [--sends 1000] [--rounds 5]

The real ``MainWindow`` (built by ``app.create_window`` on the built-in sandbox, which runs
in-process on the same qasync loop, as it does in the app) is shown offscreen. A heartbeat,
a precise 5 ms ``QTimer`` on the GUI thread, notes when each tick arrives. A tick that comes
late means the event loop was busy that long: no repaint, no key press handled. The *stall*
of a tick is how much later than its interval it came (the timer's drift).

The run alternates, ``--rounds`` times, an idle phase (the window shown, nothing asked of it)
and a sending phase: ``--sends / --rounds`` text messages, each typed into the compose pane
and sent through the send flow (``ComposePane.trigger_send`` → ``SendFlow`` → ``Outbox`` →
client → sandbox, the row written to a real SQLite log and painted in the log pane), the
next one as soon as the window reports the last one finished. The status follower runs as in
the app and polls the sandbox for the delivery statuses meanwhile. The figures are the p99
and the maximum stall over all ticks of each kind of phase, the idle ones being the baseline.

``--why`` times every event Qt delivers while sending and lists the kinds of event that took
over 16 ms, and which widgets' painting the time went to (see :class:`EventProbe`). Every run
also times Python's garbage collections while sending (:class:`GcPauses`): a full collection
holds the GIL and so stalls the GUI thread, whichever thread started it.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import gc
import itertools
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync
from _results import RESULTS_DIR, loadavg, write_result
from keyring.backends import fail
from PySide6.QtCore import QEvent, QMessageLogContext, QObject, Qt, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from whats91_desktop.app import build_desktop_services, create_window, freeze_startup_heap
from whats91_desktop.core.models import Outcome
from whats91_desktop.core.paths import AppPaths
from whats91_desktop.services.executors import Executors
from whats91_desktop.ui.main_window import MainWindow

TICK_MS = 5
TARGET_P99_MS = 16.0
TARGET_MAX_MS = 50.0
RECIPIENT = "+91 98123 45678"  # an ordinary number: accepted, then sent, delivered, read
PHASES = ("idle", "sending")
SEND_TIMEOUT = 30.0
LONG_EVENT_MS = 16.0


class Heartbeat:
    """A precise ``TICK_MS`` timer on the GUI thread that keeps the arrival time of every tick."""

    def __init__(self) -> None:
        self.ticks: list[float] = []
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._on_timer_timeout)

    def _on_timer_timeout(self) -> None:
        self.ticks.append(time.perf_counter())

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def mark(self) -> int:
        return len(self.ticks)

    def stalls_ms(self, start: int, end: int) -> list[float]:
        """How late each tick between marks ``start`` and ``end`` came, in ms (never negative)."""
        moments = self.ticks[start:end]
        return [max(0.0, (b - a) * 1000 - TICK_MS) for a, b in itertools.pairwise(moments)]


class EventProbe(QApplication):
    """The application, timing every event it delivers (``--why`` only: it slows every event).

    A stall is one event the loop could not return from: a repaint, a queued call, one of
    qasync's timers (which run the asyncio callbacks). Each top-level event that took longer
    than ``LONG_EVENT_MS`` is charged to its kind and receiver, with the GUI thread's own CPU
    time beside the wall time (the gap is time the thread waited: for a CPU, or for the GIL).
    Paint events inside it are charged to the widget painted, children's paints subtracted.
    """

    def __init__(self, argv: list[str]) -> None:
        super().__init__(argv)
        self.probing = False
        self._depth = 0
        self._paints: list[float] = []
        self._current: collections.defaultdict[str, float] | None = None
        self.long_events: collections.defaultdict[str, float] = collections.defaultdict(float)
        self.long_cpu: collections.defaultdict[str, float] = collections.defaultdict(float)
        self.long_count: collections.Counter[str] = collections.Counter()
        self.paint_in_long: collections.defaultdict[str, float] = collections.defaultdict(float)

    def notify(self, receiver: QObject, event: QEvent) -> bool:
        if not self.probing:
            return super().notify(receiver, event)
        kind = event.type()
        label = f"{kind.name} → {_describe(receiver)}"
        top = self._depth == 0
        paint = kind == QEvent.Type.Paint
        if top:
            self._current = collections.defaultdict(float)
        if paint:
            self._paints.append(0.0)
        wall, cpu = time.perf_counter(), time.thread_time()
        self._depth += 1
        try:
            return super().notify(receiver, event)
        finally:
            self._depth -= 1
            took = (time.perf_counter() - wall) * 1000
            if paint:
                children = self._paints.pop()
                if self._paints:
                    self._paints[-1] += took
                if self._current is not None:
                    self._current[_describe(receiver)] += took - children
            if top and took > LONG_EVENT_MS:
                self.long_events[label] += took
                self.long_cpu[label] += (time.thread_time() - cpu) * 1000
                self.long_count[label] += 1
                for widget, ms in (self._current or {}).items():
                    self.paint_in_long[widget] += ms

    def report(self, top: int) -> dict[str, Any]:
        return {
            "long_event_ms_over": LONG_EVENT_MS,
            "long_events": {
                label: {
                    "count": self.long_count[label],
                    "wall_ms": round(ms, 1),
                    "gui_thread_cpu_ms": round(self.long_cpu[label], 1),
                }
                for label, ms in _largest(self.long_events, top)
            },
            "paint_ms_by_widget_in_long_events": {
                widget: round(ms, 1) for widget, ms in _largest(self.paint_in_long, top)
            },
        }


def _largest(values: dict[str, float], count: int) -> list[tuple[str, float]]:
    return sorted(values.items(), key=lambda item: item[1], reverse=True)[:count]


def _describe(receiver: QObject) -> str:
    """``Class(objectName)``; Qt's own parts (a scroll area's viewport) named after their owner."""
    if not isinstance(receiver, QObject):
        return type(receiver).__name__
    name = receiver.objectName()
    text = f"{type(receiver).__name__}({name})" if name else type(receiver).__name__
    owner = receiver.parent()
    if (not name or name.startswith("qt_")) and owner is not None and owner.objectName():
        text += f" of {type(owner).__name__}({owner.objectName()})"
    return text


class GcPauses:
    """How long each of Python's garbage collections took while sending, by generation.

    A collection holds the GIL, whichever thread runs it, so the GUI thread waits it out: a
    full (generation 2) collection of a big heap is a stall no profile of our code shows."""

    def __init__(self) -> None:
        self.active = False
        self.pauses: dict[int, list[float]] = {0: [], 1: [], 2: []}
        self._started = 0.0

    def __enter__(self) -> GcPauses:
        gc.callbacks.append(self._on_gc)
        return self

    def __exit__(self, *_exc: object) -> None:
        gc.callbacks.remove(self._on_gc)

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        elif self.active:
            self.pauses[info["generation"]].append((time.perf_counter() - self._started) * 1000)

    def report(self) -> dict[str, dict[str, float]]:
        return {
            f"generation {gen}": {
                "count": float(len(values)),
                "max_ms": max(values, default=0.0),
                "total_ms": sum(values),
            }
            for gen, values in self.pauses.items()
        }


class SendDriver:
    """Types and sends one message after another through the window, each once the last ended."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.outcomes: dict[str, int] = {}
        self.errors: list[str] = []
        self._remaining = 0
        self._sent = 0
        self._requested = 0
        self._done: asyncio.Future[None] | None = None
        window.compose.send_requested.connect(self._on_compose_send_requested)
        window.send_finished.connect(self._on_window_send_finished)
        window.bridge.error.connect(self._on_bridge_error)

    async def send(self, count: int) -> None:
        self.window.compose.recipient.set_text(RECIPIENT)
        self._remaining = count
        self._done = asyncio.get_running_loop().create_future()
        QTimer.singleShot(0, self._next)
        done = self._done
        while not done.done():
            before = self._remaining
            await asyncio.wait({done}, timeout=SEND_TIMEOUT)
            if not done.done() and self._remaining == before:
                raise RuntimeError(f"no send finished for {SEND_TIMEOUT:g} s (see any error above)")
        done.result()

    def _next(self) -> None:
        compose = self.window.compose
        self._sent += 1
        compose.text_tab.message_edit.setPlainText(f"Responsiveness check {self._sent}: your order shipped")
        compose.trigger_send()
        if self._requested != self._sent:
            self._fail(f"send {self._sent} did not start: {compose.current_problems()}")

    def _on_compose_send_requested(self, _message: object) -> None:
        self._requested += 1

    def _on_window_send_finished(self, _row_id: int, result: Any) -> None:
        outcome = result.outcome.value if isinstance(result.outcome, Outcome) else str(result.outcome)
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1
        self._remaining -= 1
        if self._remaining > 0:
            QTimer.singleShot(0, self._next)
        elif self._done is not None and not self._done.done():
            self._done.set_result(None)

    def _on_bridge_error(self, text: str) -> None:
        self.errors.append(text)
        self._fail(f"the window reported an error: {text}")

    def _fail(self, reason: str) -> None:
        if self._done is not None and not self._done.done():
            self._done.set_exception(RuntimeError(reason))


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (p99 of 1,000 values is the 990th smallest)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summary(stalls: Sequence[float]) -> dict[str, float]:
    return {
        "ticks": float(len(stalls)),
        "median_ms": statistics.median(stalls) if stalls else 0.0,
        "p99_ms": percentile(stalls, 0.99),
        "max_ms": max(stalls, default=0.0),
    }


async def measure(window: MainWindow, args: argparse.Namespace) -> dict[str, Any]:
    driver = SendDriver(window)
    beat = Heartbeat()
    await asyncio.sleep(args.settle)  # the window's own start-up work (wallet, templates, follower)
    await driver.send(args.warmup)
    per_round = max(1, args.sends // args.rounds)
    stalls: dict[str, list[float]] = {phase: [] for phase in PHASES}
    per_phase: dict[str, list[dict[str, float]]] = {phase: [] for phase in PHASES}
    send_seconds: list[float] = []
    app = QApplication.instance()
    probe = app if isinstance(app, EventProbe) else None
    beat.start()
    with GcPauses() as gc_pauses:
        try:
            for index in range(args.rounds):
                start = beat.mark()
                await asyncio.sleep(args.idle)
                idle = beat.stalls_ms(start, beat.mark())
                start = beat.mark()
                began = time.perf_counter()
                if probe is not None:
                    probe.probing = True
                gc_pauses.active = True
                await driver.send(per_round)
                gc_pauses.active = False
                if probe is not None:
                    probe.probing = False
                send_seconds.append(time.perf_counter() - began)
                sending = beat.stalls_ms(start, beat.mark())
                for phase, values in (("idle", idle), ("sending", sending)):
                    stalls[phase].extend(values)
                    per_phase[phase].append(summary(values))
                print(
                    f"round {index + 1}/{args.rounds}: idle p99 {percentile(idle, 0.99):5.1f} ms"
                    f" max {max(idle, default=0):5.1f} ms | {per_round} sends in {send_seconds[-1]:5.1f} s"
                    f" p99 {percentile(sending, 0.99):5.1f} ms max {max(sending, default=0):5.1f} ms",
                    flush=True,
                )
        finally:
            beat.stop()
    totals = {phase: summary(values) for phase, values in stalls.items()}
    idle_p99 = totals["idle"]["p99_ms"]
    idle_max = totals["idle"]["max_ms"]
    return {
        "sends": per_round * args.rounds,
        "rounds": args.rounds,
        "tick_ms": TICK_MS,
        "idle_seconds_per_round": args.idle,
        "stall": totals,
        "ratios": {
            "p99_sending_over_idle": totals["sending"]["p99_ms"] / idle_p99 if idle_p99 else None,
            "max_sending_over_idle": totals["sending"]["max_ms"] / idle_max if idle_max else None,
        },
        "sends_per_second": per_round * args.rounds / sum(send_seconds),
        "outcomes": driver.outcomes,
        "target": {"p99_ms_max": TARGET_P99_MS, "max_ms_max": TARGET_MAX_MS},
        "rounds_detail": per_phase,
        "why": probe.report(args.top) if probe is not None else None,
        "gc_while_sending": gc_pauses.report(),
    }


def _quiet_offscreen(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    if "propagateSizeHints" not in message:
        sys.stderr.write(message + "\n")


def run(args: argparse.Namespace) -> dict[str, Any]:
    qInstallMessageHandler(_quiet_offscreen)
    app = QApplication.instance() or (EventProbe if args.why else QApplication)(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(False)  # as run_gui does: the loop outlives the window's shutdown
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    executors = Executors.create()
    loop.set_default_executor(executors.io)  # as run_gui does: Python threads, not QThreads
    with tempfile.TemporaryDirectory(prefix="w91-bench-gui-") as home:
        # A private home and a keychain that refuses everything: the real keychain is never touched.
        desk = build_desktop_services(
            AppPaths.under(Path(home)).ensure(), executors=executors, keyring_backend=fail.Keyring()
        )
        window = create_window(desk, sandbox=True)
        window.panes.settled.connect(freeze_startup_heap)  # as run_gui does
        window.resize(1280, 820)
        window.show()

        async def main() -> dict[str, Any]:
            try:
                return await measure(window, args)
            finally:
                window.close()
                await window.shutdown()

        try:
            return loop.run_until_complete(main())
        finally:
            executors.shutdown()
            loop.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--sends", type=int, default=1000, help="sends through the window (1000)")
    parser.add_argument("--rounds", type=int, default=5, help="idle/sending rounds (5)")
    parser.add_argument("--idle", type=float, default=2.0, help="seconds of each idle phase (2)")
    parser.add_argument("--warmup", type=int, default=20, help="uncounted sends first (20)")
    parser.add_argument("--settle", type=float, default=1.0, help="seconds after showing the window (1)")
    parser.add_argument(
        "--why", action="store_true", help="time every event while sending, to say what stalls (slower)"
    )
    parser.add_argument("--top", type=int, default=12, help="rows of each --why table (12)")
    parser.add_argument("--output", type=Path, default=RESULTS_DIR / "responsiveness.json")
    args = parser.parse_args(argv)
    if args.sends < 1 or not 1 <= args.rounds <= args.sends or args.warmup < 0 or args.idle <= 0:
        parser.error("--sends, --rounds and --idle must be positive, --rounds at most --sends")

    load_before = loadavg()
    figures = run(args)
    stall = figures["stall"]
    print()
    print(f"Event-loop stalls ({TICK_MS} ms timer), {figures['sends']} sends in {args.rounds} rounds:")
    for phase in PHASES:
        s = stall[phase]
        print(
            f"  {phase:<8} {int(s['ticks']):>6} ticks  median {s['median_ms']:5.2f} ms"
            f"  p99 {s['p99_ms']:6.2f} ms  max {s['max_ms']:6.2f} ms"
        )
    sending = stall["sending"]
    verdict = "meets" if sending["p99_ms"] < TARGET_P99_MS and sending["max_ms"] < TARGET_MAX_MS else "misses"
    print(
        f"While sending: p99 {sending['p99_ms']:.1f} ms, max {sending['max_ms']:.1f} ms"
        f" (targets < {TARGET_P99_MS:g} / < {TARGET_MAX_MS:g} ms: {verdict});"
        f" {figures['sends_per_second']:.1f} sends/s through the window; outcomes {figures['outcomes']}"
    )
    print(
        "Garbage collections while sending: "
        + ", ".join(
            f"{name} {int(g['count'])}× (max {g['max_ms']:.1f} ms, {g['total_ms']:.0f} ms in all)"
            for name, g in figures["gc_while_sending"].items()
        )
    )
    why = figures["why"]
    if why:
        print(f"Events over {LONG_EVENT_MS:g} ms while sending (--why times every event: all are slower):")
        for label, row in why["long_events"].items():
            print(
                f"  {row['count']:>5} × {label:<52} {row['wall_ms']:8.0f} ms wall"
                f" {row['gui_thread_cpu_ms']:8.0f} ms GUI-thread CPU"
            )
        print("Paint time inside them, by widget painted (own time, children excluded):")
        for widget, ms in why["paint_ms_by_widget_in_long_events"].items():
            print(f"  {ms:8.0f} ms  {widget}")
    written = write_result("responsiveness", figures, load_before=load_before, output=args.output)
    print(f"Wrote {written}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
