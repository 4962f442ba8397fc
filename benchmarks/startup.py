"""Cold start to the main window, ours against a bare PySide6 window: time and peak memory.

    .venv/bin/python benchmarks/startup.py [--runs 5] [--warmup 1] [--output benchmarks/results/startup.json]

Each run is a fresh process (``benchmarks/_startup_child.py``) of one of two programs:

- ``bare``: a ``QMainWindow`` shown from a qasync loop, nothing else;
- ``app``: ``whats91_desktop.app.run_gui(argv, sandbox=True)`` with a fresh, throw-away
  ``WHATS91_HOME`` (a new temporary directory per run, so every run is a first start).

Both run offscreen (``QT_QPA_PLATFORM=offscreen``) and are interleaved, alternating which goes
first in each round, so that load from other work on the machine hits both alike. Medians of the
same run give the ratios (ours / bare); absolute numbers vary with the machine, ratios much less.

What is measured, per run:

- *shown*: from just before the parent spawns the child to the first ``Show`` event of a
  ``QMainWindow`` in it (both ends read ``CLOCK_MONOTONIC``); interpreter start-up and imports
  included. *painted* is the same up to the window's first ``Paint`` event.
- *peak RSS*: ``VmHWM`` of the child read from ``/proc/self/status`` in that Show event, that is
  the peak resident set up to the moment the window is shown (Linux only).

``--warmup`` rounds run first and are not counted (they fill the OS file cache, which a real
start after a reboot would not have; the two programs share most files, Python and Qt).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from _results import loadavg, tree  # benchmarks/_results.py: this script's folder is on sys.path

ROOT = Path(__file__).resolve().parents[1]
CHILD = Path(__file__).resolve().with_name("_startup_child.py")
DEFAULT_OUTPUT = ROOT / "benchmarks" / "results" / "startup.json"
RESULT_PREFIX = "STARTUP-RESULT "
PROGRAMS = ("bare", "app")
LABELS = {"bare": "bare QMainWindow + qasync", "app": "Whats91 Desktop (sandbox)"}


@dataclass(frozen=True)
class Run:
    shown_s: float
    painted_s: float | None
    peak_rss_mib: float
    modules: int
    exit_s: float


def run_once(program: str, *, timeout: float) -> Run:
    """One cold start of ``program`` in a fresh process (and, for the app, a fresh home)."""
    with tempfile.TemporaryDirectory(prefix="whats91-startup-") as home:
        env = {
            **os.environ,
            "WHATS91_HOME": home,
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p),
        }
        start = time.monotonic_ns()
        proc = subprocess.run(
            [sys.executable, str(CHILD), program],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        end = time.monotonic_ns()
    lines = [line for line in proc.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(
            f"{program} child failed (exit {proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
        )
    result: dict[str, Any] = json.loads(lines[-1][len(RESULT_PREFIX) :])
    painted = result["painted_ns"]
    return Run(
        shown_s=(result["shown_ns"] - start) / 1e9,
        painted_s=(painted - start) / 1e9 if painted is not None else None,
        peak_rss_mib=result["hwm_kib"] / 1024,
        modules=int(result["modules"]),
        exit_s=(end - start) / 1e9,
    )


def _median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def medians(runs: list[Run]) -> dict[str, float | None]:
    return {
        "shown_s": _median([r.shown_s for r in runs]),
        "painted_s": _median([r.painted_s for r in runs]),
        "peak_rss_mib": _median([r.peak_rss_mib for r in runs]),
        "modules": _median([float(r.modules) for r in runs]),
        "exit_s": _median([r.exit_s for r in runs]),
    }


def _ratio(ours: float | None, bare: float | None) -> float | None:
    return ours / bare if ours is not None and bare else None


def _fmt(value: float | None, unit: str, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}{unit}"


def _pyside_version() -> str:
    try:
        import PySide6
    except ImportError:
        return "?"
    return str(PySide6.__version__)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--runs", type=int, default=5, help="counted cold starts of each program (5)")
    parser.add_argument("--warmup", type=int, default=1, help="uncounted rounds first (1)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds one start may take (120)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where the JSON goes")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be at least 1 and --warmup not negative")

    runs: dict[str, list[Run]] = {program: [] for program in PROGRAMS}
    load_before = loadavg()
    for index in range(args.warmup + args.runs):
        counted = index >= args.warmup
        order = PROGRAMS if index % 2 == 0 else PROGRAMS[::-1]
        for program in order:
            run = run_once(program, timeout=args.timeout)
            tag = f"run {index - args.warmup + 1}" if counted else "warm-up"
            print(
                f"{tag:>8} {program:<4}  shown {run.shown_s:6.3f} s"
                f"  painted {_fmt(run.painted_s, ' s', 3):>8}"
                f"  peak RSS {run.peak_rss_mib:6.1f} MiB  {run.modules} modules",
                flush=True,
            )
            if counted:
                runs[program].append(run)

    summary = {program: medians(runs[program]) for program in PROGRAMS}
    bare, ours = summary["bare"], summary["app"]
    ratios = {
        "shown": _ratio(ours["shown_s"], bare["shown_s"]),
        "painted": _ratio(ours["painted_s"], bare["painted_s"]),
        "peak_rss": _ratio(ours["peak_rss_mib"], bare["peak_rss_mib"]),
    }

    print()
    print(f"Medians of {args.runs} interleaved cold runs each (offscreen):")
    print(f"  {'':<28} {'shown':>8} {'painted':>8} {'peak RSS':>11} {'modules':>8}")
    for program in PROGRAMS:
        m = summary[program]
        print(
            f"  {LABELS[program]:<28} {_fmt(m['shown_s'], ' s'):>8} {_fmt(m['painted_s'], ' s'):>8}"
            f" {_fmt(m['peak_rss_mib'], ' MiB', 1):>11} {_fmt(m['modules'], '', 0):>8}"
        )
    print(
        f"  {'ratio ours / bare':<28} {_fmt(ratios['shown'], '×'):>8} {_fmt(ratios['painted'], '×'):>8}"
        f" {_fmt(ratios['peak_rss'], '×'):>11}"
    )
    print(f"Start-up ratio {_fmt(ratios['shown'], '×')}, peak RSS ratio {_fmt(ratios['peak_rss'], '×')}")

    document = {
        "benchmark": "startup",
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "pyside6": _pyside_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "loadavg_before": load_before,
            "loadavg_after": loadavg(),
        },
        "tree": tree(),
        "runs": args.runs,
        "warmup": args.warmup,
        "method": {
            "shown_s": "spawn of a fresh process to the first Show event of a QMainWindow (CLOCK_MONOTONIC)",
            "painted_s": "spawn to the window's first Paint event",
            "peak_rss_mib": "VmHWM of the child from /proc/self/status, read in that Show event",
            "app": "whats91_desktop.app.run_gui(argv, sandbox=True), fresh WHATS91_HOME, offscreen",
            "bare": "QMainWindow shown from qasync.run(), offscreen",
        },
        "medians": summary,
        "ratios": ratios,
        "samples": {program: [asdict(r) for r in runs[program]] for program in PROGRAMS},
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
