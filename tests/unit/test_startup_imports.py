"""The start-up budget: what is imported before the window shows, and what is left for later.

``app.run_gui`` shows the bare ``MainWindow()`` frame first and loads the rest on a worker
thread (``benchmarks/startup.py`` measures it against a bare Qt window). One module-level import
in the wrong place undoes that silently, so these tests import the frame's modules in a fresh
interpreter and list what came with them.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import child_env
from whats91_desktop.cli import _window_args, build_parser

HEAVY = (
    "httpx",  # ~0.25 s: the HTTP client's
    "keyring",  # ~0.1 s: the token store's, resolved on a worker thread
    "phonenumbers",  # the compose pane's and the log's
    "whats91_desktop.sandbox.app",  # the in-process sandbox, built with the first sandbox client
    "whats91_desktop.core.client",
    "whats91_desktop.core.validation",  # the Meta schema, phone numbers
    "whats91_desktop.core.store",  # SQLite
    "whats91_desktop.core.models",  # ~40 ms of dataclasses
)


def _loaded_after(code: str, home: Path) -> list[str]:
    """The modules of ``HEAVY`` loaded once ``code`` ran in a fresh interpreter."""
    probe = code + f"\nimport json, sys\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    done = subprocess.run(
        [sys.executable, "-c", probe], env=child_env(home), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    loaded: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return loaded


def test_the_window_frame_imports_nothing_heavy(tmp_path: Path) -> None:
    code = "import whats91_desktop.app, whats91_desktop.ui.main_window"
    assert _loaded_after(code, tmp_path) == []


def test_the_console_entry_point_imports_nothing_heavy(tmp_path: Path) -> None:
    """``whats91-desktop`` with no command opens the window through ``cli.main``."""
    code = "import whats91_desktop.cli"
    assert _loaded_after(code, tmp_path) == []


@pytest.mark.parametrize(
    "words",
    [
        [],
        ["--sandbox"],
        ["--debug", "--profile", "Work"],
        ["--profile=Work", "--sandbox"],
        ["--prof", "send"],  # an abbreviation, and a profile named like a command
        ["--sand"],
    ],
)
def test_a_command_line_without_a_command_reads_as_the_full_parser_reads_it(words: list[str]) -> None:
    window = _window_args(words)
    assert window is not None
    assert vars(window) == vars(build_parser().parse_args(words))


@pytest.mark.parametrize(
    "words",
    [
        ["send", "--to", "1", "--text", "x"],
        ["--debug", "wallet", "--sandbox"],
        ["-h"],
        ["--he"],
        ["--profile"],
        ["--sandbox", "--json"],
        ["--debug=yes"],
        ["bogus"],
        ["--"],
    ],
)
def test_anything_else_is_left_to_the_full_parser(words: list[str]) -> None:
    assert _window_args(words) is None


def test_import_ui_modules_loads_everything_attach_needs(tmp_path: Path) -> None:
    """``run_gui`` imports the ui on a worker thread before ``attach``; a module that
    ``MainWindow.attach`` brings in beyond those (and the services') would load on the GUI thread."""
    code = textwrap.dedent(
        """
        import asyncio, json, sys
        import qasync
        from PySide6.QtWidgets import QApplication
        import whats91_desktop.ui.main_window  # run_gui imports it to show the frame
        from whats91_desktop import app as composition
        from whats91_desktop.services.executors import Executors

        qt = QApplication([])

        async def main() -> list[str]:
            executors = Executors.create()
            asyncio.get_running_loop().set_default_executor(executors.io)
            desk = await composition.open_desktop_services(executors=executors)
            composition.import_ui_modules()
            before = set(sys.modules)
            window = composition.create_window(desk, sandbox=True)
            late = sorted(m for m in set(sys.modules) - before if m.startswith("whats91_desktop"))
            window.close()
            await window.shutdown()
            executors.shutdown()
            return late

        print(json.dumps(qasync.run(main())))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=child_env(tmp_path), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
