"""A file this process cannot open, for the tests of "validate refuses what send cannot read"."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from whats91_desktop.core import validation


def make_unreadable(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Mode 000; as root (who reads it anyway) the open that validation and send share is
    refused instead, with the same ``PermissionError`` the kernel would give."""
    if not (hasattr(os, "geteuid") and os.geteuid() == 0):
        path.chmod(0)
        return
    real_open = validation.os.open

    def refuse(name: Any, *args: Any, **kwargs: Any) -> int:
        if Path(name) == path:
            raise PermissionError(13, "Permission denied")
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr(validation.os, "open", refuse)
