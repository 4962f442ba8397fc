"""What a send looked like on the wire: timed while it happens, kept in the log as JSON.

The Response tab shows more than the body: the status line, the (redacted) headers, how long
connecting and answering took, and every wait the client made first (429/503 with
``Retry-After``, or a connect error retried). :class:`ConnectTimer` measures the connection
as httpcore reports it; :func:`exchange_json` and :func:`read_exchange` are the log's format
for the rest (one JSON column, ``messages.exchange_json``, schema v6).

Pure data and parsing: no I/O, no Qt.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from whats91_desktop.core.models import ResponseHead, RetryNotice, SendResult

_CONNECT_STEPS = ("connection.connect_tcp", "connection.start_tls")


class ConnectTimer:
    """An httpcore ``trace`` extension: how long opening a new connection took (TCP + TLS).

    Stays None when the request went over a pooled connection, or through a transport that
    does not trace (the in-process sandbox, test transports).
    """

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._started: dict[str, float] = {}
        self.connect_seconds: float | None = None

    async def trace(self, name: str, _info: dict[str, Any]) -> None:
        step, _, phase = name.rpartition(".")
        if step not in _CONNECT_STEPS:
            return
        if phase == "started":
            self._started[step] = self._clock()
        elif phase == "complete" and step in self._started:
            took = self._clock() - self._started.pop(step)
            self.connect_seconds = (self.connect_seconds or 0.0) + took


@dataclass(frozen=True)
class ExchangeRecord:
    """A logged send's exchange, read back from the log."""

    head: ResponseHead | None
    retries: tuple[RetryNotice, ...] = ()


def exchange_json(result: SendResult) -> str | None:
    """The log's JSON for ``result``'s exchange; None when there is nothing to keep."""
    if result.response_head is None and not result.retries:
        return None
    head = result.response_head
    record: dict[str, Any] = {
        "retries": [
            {"attempt": n.attempt, "delay": n.delay, "reason": n.reason, "httpStatus": n.http_status}
            for n in result.retries
        ]
    }
    if head is not None:
        record["head"] = {
            "statusLine": head.status_line,
            "headers": [list(pair) for pair in head.headers],
            "connectSeconds": head.connect_seconds,
            "totalSeconds": head.total_seconds,
        }
    return json.dumps(record, ensure_ascii=False)


def read_exchange(text: str | None) -> ExchangeRecord | None:
    """What :func:`exchange_json` wrote; None for no record or one that cannot be read."""
    if not text:
        return None
    try:
        record = json.loads(text)
        head_json = record.get("head")
        head = (
            ResponseHead(
                status_line=str(head_json["statusLine"]),
                headers=tuple((str(name), str(value)) for name, value in head_json.get("headers", [])),
                connect_seconds=_seconds(head_json.get("connectSeconds")),
                total_seconds=_seconds(head_json.get("totalSeconds")),
            )
            if isinstance(head_json, dict)
            else None
        )
        retries = tuple(
            RetryNotice(
                attempt=int(item["attempt"]),
                delay=float(item["delay"]),
                reason=str(item["reason"]),
                http_status=int(item["httpStatus"]) if item.get("httpStatus") is not None else None,
            )
            for item in record.get("retries", [])
        )
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    return ExchangeRecord(head, retries)


def _seconds(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None
