"""A tiny publish/subscribe channel, so services can tell the UI things without importing Qt.

The window subscribes a Qt signal's ``emit`` (or a slot); tests subscribe a list's ``append``.
Listeners run synchronously in the publisher's thread, which is the event loop's thread for
every publisher in this package.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Topic(Generic[T]):
    """Fan one value out to every current listener, in subscription order."""

    def __init__(self) -> None:
        self._listeners: list[Callable[[T], object]] = []

    def subscribe(self, listener: Callable[[T], object]) -> Callable[[], None]:
        """Add ``listener``; returns the call that removes it again (a closing window uses it)."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def publish(self, value: T) -> None:
        for listener in list(self._listeners):
            listener(value)
