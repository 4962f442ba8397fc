"""Guards against a Qt binding that corrupts reference counts (PySide6 6.12.0 on Python 3.11).

That release dropped one reference to ``True``/``None`` per signal delivery; after a few
thousand signals the interpreter aborted ("bool_dealloc"). pyproject.toml excludes it; this
test fails loudly if such a build comes back.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    flag = Signal(bool)
    thing = Signal(object)


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="True is immortal from Python 3.12 on")
def test_bool_signal_keeps_references() -> None:
    emitter = _Emitter()
    received: list[bool] = []
    emitter.flag.connect(received.append)
    before = sys.getrefcount(True)
    for _ in range(200):
        emitter.flag.emit(True)
    assert len(received) == 200
    assert sys.getrefcount(True) - before >= 200  # the buggy binding gave about 0


def test_object_signal_keeps_references() -> None:
    emitter = _Emitter()
    sentinel = object()
    received: list[object] = []
    emitter.thing.connect(received.append)
    before = sys.getrefcount(sentinel)
    for _ in range(200):
        emitter.thing.emit(sentinel)
    assert sys.getrefcount(sentinel) - before == 200
