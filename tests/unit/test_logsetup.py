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
    assert "request failed" in text and "boom" in text
    assert TOKEN not in text


def test_configure_is_idempotent(tmp_path: Path) -> None:
    configure_logging(tmp_path)
    configure_logging(tmp_path)
    ours = [h for h in logging.getLogger("whats91_desktop").handlers if getattr(h, "_whats91_handler", False)]
    assert len(ours) == 1
    configure_logging(None)
    handlers = logging.getLogger("whats91_desktop").handlers
    assert not [h for h in handlers if getattr(h, "_whats91_handler", False)]
