"""When to retry a request, and how long to wait first. Pure functions, no I/O.

The API has no idempotency key, so the first question is always "could the request have
reached the server?". A send is retried only when it surely did not (a connect failure)
or when the server itself asked us to come back (429/503 with ``Retry-After``). A GET is
idempotent, so it may also be retried after a read timeout. Everything else stops at the
first failure; the caller reports it and the user decides.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Literal, TypeAlias

import httpx

from whats91_desktop.core.reply_body import ReplyTooLarge

FailureKind: TypeAlias = Literal[
    "connect", "not_sent", "read_timeout", "deadline", "too_large", "interrupted", "http"
]
"""How an attempt failed.

* ``connect``: the request surely never left (refused, DNS, connect or pool timeout); retryable.
* ``not_sent``: it never left and trying again cannot help (unsupported scheme, proxy refusal).
* ``read_timeout``: it was sent, no answer in time; it may have been processed.
* ``deadline``: the answer was still incomplete when the attempt's overall deadline passed
  (a server trickling bytes resets every read timeout); it may have been processed. Not
  retried even when idempotent: the same server would trickle again.
* ``too_large``: the answer grew past the size limit and was abandoned; it may have been
  processed. Not retried: the same request gets the same answer.
* ``interrupted``: it may have been (partly) sent: dropped connection, protocol error,
  write timeout, undecodable answer.
* ``http``: the server answered with a status (see ``RETRY_AFTER_STATUSES``).
"""

RETRY_AFTER_STATUSES = frozenset({429, 503})
"""Statuses retried, and only when they carry a usable ``Retry-After``."""

_DELTA_SECONDS = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class RetryPolicy:
    """Bounds for automatic retries.

    ``max_attempts`` counts the first try. ``max_total_seconds`` is the budget from the first
    attempt's start: a wait that would end past it is not taken. ``max_delay`` caps any single
    wait; a server asking for more than that is not waited for. ``connect_backoff[i]`` is the
    wait after the (i+1)-th connect failure (the last value repeats), spread by ±``jitter``
    (a fraction) so that many clients do not come back in step.
    """

    max_attempts: int = 3
    max_total_seconds: float = 30.0
    max_delay: float = 20.0
    connect_backoff: tuple[float, ...] = (0.5, 1.0, 2.0)
    jitter: float = 0.1


@dataclass(frozen=True)
class RetryDecision:
    """``retry`` with ``delay`` seconds to wait first; ``reason`` says why (or why not)."""

    retry: bool
    delay: float
    reason: str


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value: delta-seconds or an HTTP date.

    A value in the past or negative gives 0. Anything unreadable gives None, which callers
    treat as "no Retry-After" (so no retry).
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    match = _DELTA_SECONDS.match(text)
    if match:
        seconds = float(match.group(1))
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    reference = now if now is not None else datetime.now(UTC)
    if reference.tzinfo is None:
        reference = reference.replace(tzinfo=UTC)
    seconds = (when - reference).total_seconds()
    return max(0.0, seconds) if math.isfinite(seconds) else None


def classify_exception(exc: BaseException) -> FailureKind:
    """Map an httpx exception to what it tells us about the request's arrival.

    ``TimeoutError`` is the attempt's overall deadline (``asyncio.timeout``), ``ReplyTooLarge``
    the size limit. Unknown exception types fall to ``interrupted``: when in doubt, assume it
    may have arrived.
    """
    if isinstance(exc, TimeoutError):
        return "deadline"
    if isinstance(exc, ReplyTooLarge):
        return "too_large"
    if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
        return "connect"
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.ProxyError):
        return "not_sent"
    if isinstance(exc, httpx.ReadTimeout):
        return "read_timeout"
    return "interrupted"


def may_have_arrived(kind: FailureKind) -> bool:
    """True when the server may have received (and acted on) the request."""
    return kind in ("read_timeout", "deadline", "too_large", "interrupted", "http")


def should_retry(
    kind: FailureKind,
    *,
    idempotent: bool,
    status: int | None = None,
    retry_after: float | None = None,
) -> bool:
    """Whether this failure may be retried at all, before looking at attempts and budget."""
    if kind == "connect":
        return True
    if kind == "read_timeout":
        return idempotent
    if kind == "http":
        return status in RETRY_AFTER_STATUSES and retry_after is not None
    return False


def delay_for(
    policy: RetryPolicy,
    *,
    attempt: int,
    retry_after: float | None = None,
    jitter_sample: float = 0.5,
) -> float:
    """Seconds to wait after failed attempt number ``attempt`` (1-based).

    A server's ``Retry-After`` is used as given: waiting less would only earn another 429.
    Otherwise the connect backoff applies, jittered: ``jitter_sample`` in [0, 1) maps to a
    factor in [1 - jitter, 1 + jitter) (0.5 means no jitter), and the result is capped.
    """
    if retry_after is not None:
        return max(0.0, retry_after)
    schedule = policy.connect_backoff or (0.0,)
    base = schedule[min(max(attempt, 1), len(schedule)) - 1]
    factor = 1.0 + policy.jitter * (2.0 * jitter_sample - 1.0)
    return min(policy.max_delay, max(0.0, base * factor))


def decide(
    policy: RetryPolicy,
    *,
    kind: FailureKind,
    attempt: int,
    elapsed: float,
    idempotent: bool,
    status: int | None = None,
    retry_after: float | None = None,
    jitter_sample: float = 0.5,
) -> RetryDecision:
    """The whole decision after attempt ``attempt`` failed, ``elapsed`` seconds after the first began."""
    if not should_retry(kind, idempotent=idempotent, status=status, retry_after=retry_after):
        return RetryDecision(False, 0.0, _why_not(kind, status))
    if attempt >= policy.max_attempts:
        return RetryDecision(False, 0.0, f"gave up after {attempt} attempt{'s' if attempt != 1 else ''}")
    delay = delay_for(policy, attempt=attempt, retry_after=retry_after, jitter_sample=jitter_sample)
    if retry_after is not None and retry_after > policy.max_delay:
        return RetryDecision(
            False, 0.0, f"Retry-After {_fmt(retry_after)}s exceeds the {_fmt(policy.max_delay)}s wait limit"
        )
    left = policy.max_total_seconds - elapsed
    if delay > left:
        return RetryDecision(
            False,
            0.0,
            f"waiting {_fmt(delay)}s would exceed the {_fmt(policy.max_total_seconds)}s retry budget "
            f"({_fmt(max(0.0, left))}s left)",
        )
    return RetryDecision(True, delay, _why(kind, status, retry_after))


def _why(kind: FailureKind, status: int | None, retry_after: float | None) -> str:
    if kind == "http":
        return f"HTTP {status} (Retry-After {_fmt(retry_after or 0.0)}s)"
    if kind == "read_timeout":
        return "read timeout (safe to repeat: read-only request)"
    return "connect error (the request was not sent)"


def _why_not(kind: FailureKind, status: int | None) -> str:
    if kind == "http":
        if status in RETRY_AFTER_STATUSES:
            return f"HTTP {status} without a usable Retry-After: not retried"
        return f"HTTP {status} is not retried"
    if kind == "not_sent":
        return "not retried: trying again cannot help"
    return "not retried: the request may have reached the server"


def _fmt(seconds: float) -> str:
    if not math.isfinite(seconds) or seconds == round(seconds):
        return f"{seconds:.0f}"
    return f"{seconds:.1f}"
