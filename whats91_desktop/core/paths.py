"""Where the app keeps its files.

The platform's conventional places (platformdirs), or everything under ``WHATS91_HOME``
when that is set — for tests and for a portable install on a USB stick.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from platformdirs import PlatformDirs

from whats91_desktop import APP_NAME
from whats91_desktop.core.fsutil import ensure_private_dir

HOME_ENV = "WHATS91_HOME"


@dataclass(frozen=True)
class AppPaths:
    config_dir: Path
    data_dir: Path
    log_dir: Path
    settings_file: Path
    log_db: Path
    secrets_file: Path

    @classmethod
    def under(cls, home: Path) -> AppPaths:
        """Everything below one directory (what ``WHATS91_HOME`` selects)."""
        return cls.from_dirs(home / "config", home / "data", home / "logs")

    @classmethod
    def from_dirs(cls, config_dir: Path, data_dir: Path, log_dir: Path) -> AppPaths:
        return cls(
            config_dir=config_dir,
            data_dir=data_dir,
            log_dir=log_dir,
            settings_file=config_dir / "settings.json",
            log_db=data_dir / "messages.sqlite3",
            secrets_file=data_dir / "secrets.json",
        )

    def ensure(self) -> AppPaths:
        """Create the three directories, private to the user (0700)."""
        for directory in (self.config_dir, self.data_dir, self.log_dir):
            ensure_private_dir(directory)
        return self


def app_paths(*, create: bool = True, environ: Mapping[str, str] | None = None) -> AppPaths:
    """The app's paths; ``WHATS91_HOME`` (if set and not empty) wins over the platform's."""
    env = os.environ if environ is None else environ
    home = env.get(HOME_ENV, "").strip()
    if home:
        paths = AppPaths.under(Path(home).expanduser().absolute())
    else:
        dirs = PlatformDirs(APP_NAME, appauthor=False)
        paths = AppPaths.from_dirs(dirs.user_config_path, dirs.user_data_path, dirs.user_log_path)
    return paths.ensure() if create else paths
