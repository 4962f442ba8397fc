"""Cold start of the PyInstaller bundle against ``python -m whats91_desktop``, to the window shown.

    scripts/package --bundle     # first: builds dist/whats91-desktop/
    xvfb-run -a -s "-screen 0 1280x800x24 -noreset" .venv/bin/python benchmarks/bundle_startup.py [--runs 7]

The bundle cannot load ``_startup_child.py``'s in-process probe (it runs only its own code), so
both programs are timed the same way from outside, on a real X server (Xvfb): from just before
the spawn to the moment ``xdotool`` finds a viewable window titled "Whats91 Desktop" (polled
every few milliseconds; the poll's own latency is in both figures alike). Each run gets a fresh
``WHATS91_HOME`` and ``--sandbox``, and is killed once its window is shown. Runs alternate which
program goes first; the figures are medians, and the ratio is bundle / python.

It also records the sizes of the bundle and, when ``scripts/package`` built it, the .deb.
``-noreset`` keeps Xvfb from resetting between runs (while it resets, a new client cannot connect).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _results import RESULTS_DIR, loadavg, tree  # benchmarks/_results.py: this folder is on sys.path

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "dist" / "whats91-desktop"
COMMANDS = {
    "bundle": [str(BUNDLE / "whats91-desktop"), "--sandbox"],
    "python": [sys.executable, "-m", "whats91_desktop", "--sandbox"],
}
POLL_SECONDS = 0.005


def window_shown() -> bool:
    found = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", "^Whats91 Desktop"],
        capture_output=True,
        check=False,
    )
    return found.returncode == 0


def cold_start(command: list[str], *, timeout: float) -> float:
    """Seconds from spawn to the window shown, for one fresh process on a fresh home."""
    if window_shown():
        raise RuntimeError("a Whats91 Desktop window is already open on this display")
    with tempfile.TemporaryDirectory(prefix="whats91-bundle-startup-") as home:
        env = {**os.environ, "WHATS91_HOME": home, "QT_QPA_PLATFORM": "xcb"}
        start = time.monotonic()
        proc = subprocess.Popen(command, env=env, cwd=home, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            while not window_shown():
                if proc.poll() is not None:
                    raise RuntimeError(
                        f"{command[0]} exited {proc.returncode}: {proc.stderr.read()[-2000:]!r}"
                    )
                if time.monotonic() - start > timeout:
                    raise RuntimeError(f"{command[0]}: no window within {timeout:g} s")
                time.sleep(POLL_SECONDS)
            return time.monotonic() - start
        finally:
            proc.kill()
            proc.wait()
            while window_shown():  # gone before the next run looks for its own
                time.sleep(POLL_SECONDS)


def size_mib(path: Path) -> float | None:
    if path.is_file():
        return path.stat().st_size / 2**20
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink()) / 2**20
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--runs", type=int, default=7, help="counted cold starts of each (7)")
    parser.add_argument("--warmup", type=int, default=1, help="uncounted rounds first (1)")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--output", type=Path, default=RESULTS_DIR / "bundle_startup.json")
    args = parser.parse_args(argv)
    if not (BUNDLE / "whats91-desktop").is_file():
        parser.error("no dist/whats91-desktop/: run scripts/package --bundle first")
    if not os.environ.get("DISPLAY") or shutil.which("xdotool") is None:
        parser.error('needs an X display and xdotool: xvfb-run -a -s "-screen 0 1280x800x24 -noreset" …')

    samples: dict[str, list[float]] = {name: [] for name in COMMANDS}
    load_before = loadavg()
    names = list(COMMANDS)
    for index in range(args.warmup + args.runs):
        for name in names if index % 2 == 0 else names[::-1]:
            seconds = cold_start(COMMANDS[name], timeout=args.timeout)
            counted = index >= args.warmup
            tag = f"run {index - args.warmup + 1}" if counted else "warm-up"
            print(f"{tag:>8} {name:<6} {seconds:6.3f} s", flush=True)
            if counted:
                samples[name].append(seconds)

    medians = {name: statistics.median(values) for name, values in samples.items()}
    ratio = medians["bundle"] / medians["python"]
    debs = sorted((ROOT / "dist").glob("whats91-desktop_*.deb"))
    sizes = {"bundle_mib": size_mib(BUNDLE), "deb_mib": size_mib(debs[-1]) if debs else None}
    print(f"\nMedians of {args.runs} interleaved cold starts to the window shown (Xvfb):")
    print(f"  bundle   {medians['bundle']:.3f} s")
    print(f"  python   {medians['python']:.3f} s   (python -m whats91_desktop, the project venv)")
    print(f"  ratio bundle / python {ratio:.2f}×")
    deb = f"{sizes['deb_mib']:.1f} MiB" if sizes["deb_mib"] is not None else "not built"
    print(f"  bundle size {sizes['bundle_mib']:.1f} MiB, .deb {deb}")

    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps(
            {
                "benchmark": "bundle_startup",
                "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                "machine": {
                    "cpus": os.cpu_count(),
                    "loadavg_before": load_before,
                    "loadavg_after": loadavg(),
                },
                "tree": tree(),
                "runs": args.runs,
                "method": "spawn to a viewable X window titled 'Whats91 Desktop' (xdotool, Xvfb), fresh home",
                "medians_s": medians,
                "ratio_bundle_over_python": ratio,
                "sizes": sizes,
                "samples_s": samples,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
