"""The wheel installs into a fresh virtual environment and runs from there.

Built from this checkout with ``python -m build --no-isolation`` (setuptools and wheel are in
the venv, so no network), installed with ``--no-deps`` into a new venv that borrows the
project venv's third-party packages through a ``.pth`` file (so nothing is downloaded), and
run from outside the checkout, so that only the installed copy can answer.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from whats91_desktop import __version__

ROOT = Path(__file__).resolve().parents[2]
NOT_IN_THE_WHEEL = (
    ".*",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    "tests",
    "benchmarks",
    "docs",
    "packaging",
)


def run(*command: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, f"{command}:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.mark.slow
def test_wheel_installs_into_a_fresh_venv_and_runs(tmp_path: Path) -> None:
    # From a copy: setuptools builds in the source's build/, and a stale build/lib there (or the
    # bundle being built beside the tests) must not end up in, or race with, this wheel.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*NOT_IN_THE_WHEEL))
    dist = tmp_path / "dist"
    run(sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", dist, source, cwd=source)
    (wheel,) = dist.glob("whats91_desktop-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "whats91_desktop/resources/icons/hicolor/scalable/apps/io.whats91.Desktop.svg" in names
    assert not [n for n in names if n.startswith("tests/")]

    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    site = Path(
        run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=tmp_path).strip()
    )
    # The project venv's packages (PySide6, httpx, …) but not its editable whats91_desktop:
    # a .pth only adds the directory; the editable finder's own .pth there is not run.
    (site / "borrowed.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "--no-deps",
        "--no-index",
        "-q",
        wheel,
        cwd=tmp_path,
    )

    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    assert run(venv / "bin" / "whats91-desktop", "--version", cwd=tmp_path, env=env).strip() == (
        f"whats91-desktop {__version__}"
    )
    where = json.loads(
        run(
            python,
            "-c",
            "import json, whats91_desktop.core.assets as a; "
            "print(json.dumps([a.__file__, str(a.icon_png(48)), a.icon_png(48).is_file()]))",
            cwd=tmp_path,
            env=env,
        )
    )
    assert where[0].startswith(str(site))
    assert where[1].startswith(str(site / "whats91_desktop" / "resources"))
    assert where[2] is True
