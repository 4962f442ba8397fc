"""Stopping a CLI child process with a signal once its request is known to have arrived."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable


def signal_once_arrived(
    child: subprocess.Popen[str], arrived: Callable[[], bool], signum: int, *, wait: float = 30
) -> tuple[str, str]:
    """Wait (at most ``wait`` s) until ``arrived()``, send ``signum`` to ``child`` and return its
    stdout and stderr; the child is killed if it is still running at the end."""
    try:
        deadline = time.monotonic() + wait
        while not arrived() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert arrived(), "the request never arrived"
        child.send_signal(signum)
        return child.communicate(timeout=20)
    finally:
        if child.poll() is None:
            child.kill()
