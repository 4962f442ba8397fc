"""A sender faster than the receiver's worker waits for room in the queue before it is refused.

Over real loopback sockets, with a worker the test holds: the queue (two places here) fills, the
next delivery's answer waits; room within ``room_wait`` means 200 and the delivery processed,
none means 503 with ``Retry-After``, after the wait and not before.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence

import httpx

from whats91_desktop.services.webhooks.receiver import RawDelivery, WebhookReceiver


class HeldWorker:
    """``process`` for the receiver: records each burst, and holds the first until released."""

    def __init__(self) -> None:
        self.bursts: list[list[bytes]] = []
        self.started = asyncio.Event()
        self.release = asyncio.Event()

    async def __call__(self, burst: Sequence[RawDelivery]) -> None:
        self.bursts.append([raw.body for raw in burst])
        self.started.set()
        await self.release.wait()


async def fill(http: httpx.AsyncClient, url: str, worker: HeldWorker) -> None:
    """One delivery taken by the held worker, then two that fill the queue."""
    assert (await http.post(url, content=b"1")).status_code == 200
    await asyncio.wait_for(worker.started.wait(), 5)
    for body in (b"2", b"3"):
        assert (await http.post(url, content=body)).status_code == 200


async def fourth_delivery(
    worker: HeldWorker, room_wait: float, room_after: float | None = None
) -> tuple[httpx.Response, float]:
    """The answer to the delivery after the queue filled, and how long it took; the held worker
    lets go ``room_after`` seconds after that delivery is sent (never, when None)."""
    receiver = WebhookReceiver(worker, queue_size=2, room_wait=room_wait)
    await receiver.start(port=0)
    url = receiver.local_url()
    assert url is not None
    try:
        async with httpx.AsyncClient(timeout=10) as http:
            await fill(http, url, worker)
            if room_after is not None:
                asyncio.get_running_loop().call_later(room_after, worker.release.set)
            started = time.monotonic()
            answer = await http.post(url, content=b"4")
            return answer, time.monotonic() - started
    finally:
        worker.release.set()
        await receiver.stop()


def test_a_full_queue_makes_the_sender_wait_and_room_in_time_means_200() -> None:
    worker = HeldWorker()

    answer, waited = asyncio.run(fourth_delivery(worker, room_wait=5.0, room_after=0.3))
    assert answer.status_code == 200
    assert 0.29 <= waited < 5.0
    assert [body for burst in worker.bursts for body in burst] == [b"1", b"2", b"3", b"4"]


def test_no_room_within_the_wait_is_a_503_with_retry_after() -> None:
    worker = HeldWorker()
    answer, waited = asyncio.run(fourth_delivery(worker, room_wait=0.3))
    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "5"
    assert answer.json() == {"received": False, "error": "busy"}
    assert waited >= 0.29
    assert b"4" not in [body for burst in worker.bursts for body in burst]
