"""What every benchmark's JSON file says about the run, and where it goes.

A figure means little without the machine it came from and how busy that machine was (the
benchmark machines are shared), so each ``benchmarks/results/<name>.json`` carries the same
``machine`` and ``tree`` blocks beside its own figures. ``run_all.py`` reads them back.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = ROOT / "benchmarks" / "results"


def loadavg() -> list[float]:
    try:
        return [round(v, 2) for v in os.getloadavg()]
    except OSError:
        return []


def machine(load_before: list[float]) -> dict[str, Any]:
    """Python, platform and CPU count, and the load average before and after the run."""
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "loadavg_before": load_before,
        "loadavg_after": loadavg(),
    }


def tree() -> dict[str, Any]:
    """The checkout measured: its commit, and whether it had uncommitted changes."""

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True)
        except (OSError, subprocess.CalledProcessError):
            return None
        return done.stdout.strip()

    status = git("status", "--porcelain", "--untracked-files=no")
    return {"commit": git("rev-parse", "HEAD"), "dirty": bool(status) if status is not None else None}


def write_result(name: str, figures: dict[str, Any], *, load_before: list[float], output: Path) -> Path:
    """Write ``{"benchmark": name, "when", "machine", "tree", **figures}`` to ``output``."""
    document = {
        "benchmark": name,
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(load_before),
        "tree": tree(),
        **figures,
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return output
