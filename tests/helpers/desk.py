"""The desktop services for UI tests, built as ``app.py`` builds them (blocking, in-test).

All tests share one set of worker threads (made on first use, stopped at exit): a set per
test would leave hundreds of idle threads behind.
"""

from __future__ import annotations

import atexit
from typing import Any

from whats91_desktop.app import build_desktop_services, open_desktop_services
from whats91_desktop.services.container import DesktopServices
from whats91_desktop.services.executors import Executors

_shared: list[Executors] = []


def shared_executors() -> Executors:
    if not _shared:
        _shared.append(Executors.create())
        atexit.register(_shared[0].shutdown)
    return _shared[0]


def make_desk(**kwargs: Any) -> DesktopServices:
    return build_desktop_services(executors=shared_executors(), **kwargs)


async def open_desk(**kwargs: Any) -> DesktopServices:
    return await open_desktop_services(executors=shared_executors(), **kwargs)
