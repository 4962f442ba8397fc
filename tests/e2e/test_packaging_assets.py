"""The one set of assets in ``resources/``: the PNGs are the SVG's current renderings, the
desktop entry and the AppStream metainfo agree with each other and with the app, and the
bundle's list of Qt modules covers every module the code imports."""

from __future__ import annotations

import ast
import configparser
import importlib.util
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage

from whats91_desktop.core.assets import APP_ID, ICON_SIZES, icon_png, icon_svg, resources_dir
from whats91_desktop.ui.app_icon import app_icon

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "resources"


def build_icons_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_icons", ROOT / "scripts" / "build_icons.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_checkout_reads_the_top_level_resources() -> None:
    assert resources_dir() == RESOURCES
    assert icon_svg().is_file()


@pytest.mark.parametrize("size", ICON_SIZES)
def test_each_png_is_the_current_rendering_of_the_svg(qapp: Any, size: int) -> None:
    """Fails when the SVG changed and ``scripts/build_icons.py`` was not run."""
    committed = QImage(str(icon_png(size))).convertToFormat(QImage.Format.Format_ARGB32)
    assert committed.size() == QSize(size, size)
    rendered = build_icons_script().render(icon_svg(), size)
    assert rendered.format() == committed.format()
    worst = max(
        abs(a - b) for a, b in zip(bytes(committed.constBits()), bytes(rendered.constBits()), strict=True)
    )
    assert worst <= 8, f"{icon_png(size)} differs from the SVG by {worst}: run scripts/build_icons.py"


def test_the_window_icon_has_every_size(qapp: Any) -> None:
    icon = app_icon()
    assert sorted(s.width() for s in icon.availableSizes()) == sorted(ICON_SIZES)


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(RESOURCES / f"{APP_ID}.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry_starts_the_installed_command_with_the_app_icon() -> None:
    entry = desktop_entry()
    scripts = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(rf'^{entry["Exec"]} = "whats91_desktop.cli:main"$', scripts, re.MULTILINE)
    assert entry["Icon"] == APP_ID
    assert entry["Type"] == "Application"


def test_metainfo_names_the_desktop_entry_icon_and_version() -> None:
    component = ET.parse(RESOURCES / f"{APP_ID}.metainfo.xml").getroot()
    from whats91_desktop import __version__

    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable") == f"{APP_ID}.desktop"
    assert component.findtext("icon") == APP_ID
    releases = component.find("releases")
    assert releases is not None
    assert releases[0].get("version") == __version__


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils not installed")
def test_desktop_entry_is_valid() -> None:
    done = subprocess.run(
        ["desktop-file-validate", str(RESOURCES / f"{APP_ID}.desktop")], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstream not installed")
def test_metainfo_is_valid() -> None:
    done = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(RESOURCES / f"{APP_ID}.metainfo.xml")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def qt_modules_in_spec() -> set[str]:
    tree = ast.parse((ROOT / "packaging" / "whats91-desktop.spec").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "QT_MODULES" for t in node.targets):
            return set(ast.literal_eval(node.value))
    raise AssertionError("no QT_MODULES in the spec")


def test_bundle_keeps_every_qt_module_the_code_imports() -> None:
    """A module left out of the spec's list is excluded from the bundle: it would fail there only."""
    imported = set()
    for path in (ROOT / "whats91_desktop").rglob("*.py"):
        imported |= set(re.findall(r"\bPySide6\.(Qt\w+)", path.read_text(encoding="utf-8")))
        imported |= {
            name.strip()
            for names in re.findall(
                r"^\s*from PySide6 import ([\w, ]+)", path.read_text(encoding="utf-8"), re.M
            )
            for name in names.split(",")
        }
    assert imported
    assert imported <= qt_modules_in_spec()
