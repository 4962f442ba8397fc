"""Whether the process that started a send is still running.

Each ``sending`` row records its process id, so start-up recovery can tell a send that died
with its process from one that another running instance (or a CLI) still has in flight.
"""

from __future__ import annotations

import os
import sys


def process_alive(pid: int) -> bool:
    """Whether a process with this id is running (never signals or disturbs it)."""
    if pid == os.getpid():
        return True
    if pid <= 0:
        return False
    if sys.platform == "win32":  # os.kill would terminate it there
        import ctypes

        kernel32 = getattr(ctypes, "windll").kernel32  # noqa: B009 - absent off Windows
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        try:
            code = ctypes.c_ulong()
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            return bool(code.value == 259)  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, owned by someone else
    return True
