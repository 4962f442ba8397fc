"""How fast a job sends: a global rate, a gap per recipient, and holds for the whole job.

- The global rate spaces the starts of requests ``1/rate`` seconds apart, counted from the
  previous *slot*, not from when a worker woke up, so sleep overshoot never accumulates into a
  slower rate, and an idle spell never turns into a burst.
- Two messages to the same recipient start at least :data:`PAIR_GAP_SECONDS` apart (Meta's
  pair rate); a worker waiting for one recipient holds no slot, so the others keep going.
- :meth:`Pacer.hold` stops every start until a moment (a ``Retry-After`` of a 429/503);
  :meth:`Pacer.slow_down` also halves the rate (Meta's throughput errors 130429 and 131056),
  down to one message a second.

Every wait ends at once on :meth:`Pacer.interrupt` (the job paused or cancelled): a worker
waiting out a pair gap or a ``Retry-After`` hold gives its row back now, not seconds later.

The clock and sleep are injected, so tests run a minute of pacing in no time.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable

from whats91_desktop.core.bulk.models import DEFAULT_RATE, PAIR_GAP_SECONDS

MIN_SLOWED_RATE = 1.0


class Pacer:
    """Grants each send its turn; one per job run, shared by its workers (one event loop)."""

    def __init__(
        self,
        rate: float | None,
        *,
        pair_gap: float = PAIR_GAP_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        last_sent: dict[str, float] | None = None,
    ) -> None:
        """``last_sent`` (recipient → the clock's time of their last send) may be shared by
        every job of a process, so two jobs back to back keep the pair gap too."""
        self._rate = rate if rate and math.isfinite(rate) and rate > 0 else None
        self._pair_gap = pair_gap
        self._clock = clock
        self._sleep = sleep
        self._next_slot = -math.inf
        self._held_until = -math.inf
        self._last = last_sent if last_sent is not None else {}
        self._interrupted = asyncio.Event()

    @property
    def rate(self) -> float | None:
        """Messages per second now (None: unlimited)."""
        return self._rate

    def held_for(self) -> float:
        """Seconds until a hold ends (0 when the job is not held)."""
        return max(0.0, self._held_until - self._clock())

    def hold(self, seconds: float) -> None:
        """No send starts for ``seconds`` (a longer hold already in place stays)."""
        if seconds > 0 and math.isfinite(seconds):
            self._held_until = max(self._held_until, self._clock() + seconds)

    def slow_down(self, seconds: float) -> float | None:
        """Hold for ``seconds`` and halve the rate; returns the new rate (None: unlimited
        becomes the default once slowed, since the server said we are too fast)."""
        self.hold(seconds)
        current = self._rate if self._rate is not None else DEFAULT_RATE * 2
        self._rate = max(MIN_SLOWED_RATE, current / 2)
        return self._rate

    def interrupt(self) -> None:
        """End every wait in :meth:`turn` now (their turns are not taken)."""
        self._interrupted.set()
        self._interrupted = asyncio.Event()

    async def turn(self, recipient: str) -> bool:
        """Wait until ``recipient`` may get a message and a global slot is free; take both.

        False when :meth:`interrupt` ended the wait first: nothing was taken."""
        interrupted = self._interrupted
        while True:
            now = self._clock()
            ready = self._last.get(recipient, -math.inf) + self._pair_gap
            start = max(ready, self._held_until, self._next_slot if self._rate else -math.inf)
            if start > now:
                if not await self._wait(start - now, interrupted):
                    return False
                continue
            if self._rate:
                interval = 1.0 / self._rate
                # A turn granted a little late (sleep overshoot) keeps its slot, so the rate holds;
                # after an idle spell the next slot counts from now (no burst).
                slot = self._next_slot if now - self._next_slot < interval else now
                self._next_slot = slot + interval
            self._last[recipient] = now
            return True

    async def _wait(self, seconds: float, interrupted: asyncio.Event) -> bool:
        """Sleep ``seconds``; False as soon as ``interrupted`` is set."""
        if interrupted.is_set():
            return False
        sleeping = asyncio.ensure_future(self._sleep(seconds))
        woken = asyncio.ensure_future(interrupted.wait())
        try:
            await asyncio.wait({sleeping, woken}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            sleeping.cancel()
            woken.cancel()
        return not interrupted.is_set()

    def cancel_turn(self, recipient: str) -> None:
        """The turn just taken for ``recipient`` was not used (the job paused meanwhile): it does
        not count for the pair gap. Any send before it was a full gap earlier, or the turn
        would have waited."""
        self._last.pop(recipient, None)
