from __future__ import annotations

import logging
from pathlib import Path

from whats91_desktop.core.logsetup import LOG_FILE_NAME, configure_logging

TOKEN = "w91_live_abcdefghijklmnopqrstuvwxyz012345"


def test_log_file_never_contains_the_token(tmp_path: Path) -> None:
    log_file = configure_logging(tmp_path, secrets_provider=lambda: [TOKEN])
    log = logging.getLogger("whats91_desktop.core.client")
    log.warning("request failed with Authorization: Bearer %s", TOKEN)
    try:
        raise RuntimeError(f"token was {TOKEN}")
    except RuntimeError:
        log.exception("boom")
    for handler in logging.getLogger("whats91_desktop").handlers:
        handler.flush()
    assert log_file == tmp_path / LOG_FILE_NAME
    text = log_file.read_text("utf-8")
    assert "request failed" in text
    assert "boom" in text
    assert TOKEN not in text


def test_configure_is_idempotent(tmp_path: Path) -> None:
    configure_logging(tmp_path)
    configure_logging(tmp_path)
    ours = [h for h in logging.getLogger("whats91_desktop").handlers if getattr(h, "_whats91_handler", False)]
    assert len(ours) == 1
    configure_logging(None)
    handlers = logging.getLogger("whats91_desktop").handlers
    assert not [h for h in handlers if getattr(h, "_whats91_handler", False)]


def test_log_files_are_private_when_created_and_after_a_rollover(tmp_path: Path) -> None:
    import os
    import stat

    if os.name != "posix":
        return
    log_file = configure_logging(tmp_path)
    assert log_file is not None
    try:
        logging.getLogger("whats91_desktop.test").warning("first line")
        handler = next(h for h in logging.getLogger("whats91_desktop").handlers if hasattr(h, "doRollover"))
        handler.doRollover()
        logging.getLogger("whats91_desktop.test").warning("after the rollover")
        handler.flush()
    finally:
        configure_logging(None)
    files = sorted(tmp_path.iterdir())
    assert [f.name for f in files] == [LOG_FILE_NAME, LOG_FILE_NAME + ".1"]
    for f in files:
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
