"""``whats91-desktop diagnostics --output FILE.zip``: the Help menu's diagnostic bundle, for a
support person at a terminal (or a machine without a display). The same zip, from the same
function (``services.diagnostics.save_bundle``): no token, no webhook secret, no message text."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from whats91_desktop.cli import EXIT_OK
from whats91_desktop.cli import _emit as emit


def add_parsers(sub: Any) -> None:
    parser = sub.add_parser("diagnostics", help="save a diagnostic bundle (zip) for support; no secrets")
    parser.add_argument("--output", "-o", type=Path, required=True, help="the zip to write")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


async def cmd_diagnostics(args: argparse.Namespace, out: TextIO, _err: TextIO) -> int:
    """OSError (a folder that does not exist, a full disk) is the caller's: exit 1, one line."""
    from whats91_desktop.app import open_desktop_services
    from whats91_desktop.services.diagnostics import save_bundle
    from whats91_desktop.services.executors import Executors

    executors = Executors.create()
    try:
        desk = await open_desktop_services(executors=executors)
        try:
            summary = await save_bundle(args.output.expanduser(), desk)
        finally:
            await desk.aclose()
    finally:
        executors.shutdown()
    if args.json:
        emit(out, {"path": str(summary.path), "rows": summary.rows, "log_files": summary.log_files})
    else:
        files = f"{summary.rows} log rows, {summary.log_files} log files"
        out.write(f"wrote {summary.path}: {files}, no secrets\n")
    return EXIT_OK
