from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest

from whats91_desktop.core.paths import AppPaths, app_paths


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WHATS91_HOME", raising=False)
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / "xdg" / var.lower()))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


def test_whats91_home_puts_everything_under_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WHATS91_HOME", str(tmp_path / "portable"))
    paths = app_paths()
    home = tmp_path / "portable"
    for p in (paths.config_dir, paths.data_dir, paths.log_dir, paths.settings_file, paths.log_db):
        assert p.is_relative_to(home)
    assert paths.settings_file == paths.config_dir / "settings.json"
    assert paths.log_db.parent == paths.data_dir
    assert paths.secrets_file == paths.data_dir / "secrets.json"
    assert paths.config_dir.is_dir()
    assert paths.data_dir.is_dir()
    assert paths.log_dir.is_dir()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_directories_are_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WHATS91_HOME", str(tmp_path / "p"))
    paths = app_paths()
    for d in (paths.config_dir, paths.data_dir, paths.log_dir):
        assert stat.S_IMODE(d.stat().st_mode) == 0o700


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_existing_loose_directory_is_tightened(tmp_path: Path) -> None:
    paths = AppPaths.under(tmp_path / "p")
    paths.data_dir.mkdir(parents=True, mode=0o755)
    paths.data_dir.chmod(0o755)
    paths.ensure()
    assert stat.S_IMODE(paths.data_dir.stat().st_mode) == 0o700


def test_platform_dirs_without_home(tmp_path: Path) -> None:
    paths = app_paths(create=False)
    assert "whats91-desktop" in str(paths.config_dir)
    if sys.platform.startswith("linux"):
        assert paths.config_dir == tmp_path / "xdg" / "xdg_config_home" / "whats91-desktop"
        assert paths.data_dir == tmp_path / "xdg" / "xdg_data_home" / "whats91-desktop"
    assert not paths.config_dir.exists()


def test_blank_home_is_ignored(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WHATS91_HOME", "  ")
    assert app_paths(create=False).config_dir.name == "whats91-desktop"


def test_explicit_environ_mapping(tmp_path: Path) -> None:
    paths = app_paths(create=False, environ={"WHATS91_HOME": str(tmp_path / "x")})
    assert paths.config_dir == tmp_path / "x" / "config"
