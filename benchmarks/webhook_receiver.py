"""How fast the local webhook receiver takes deliveries, against a bare server in the same run.

    .venv/bin/python benchmarks/webhook_receiver.py [--deliveries 1500] [--rounds 5] [--connections 8]

Ours: the desktop's receiver (``WebhookHub``) on loopback, every delivery signed, verified and
applied to a message log on disk (a status for a logged message: its timeline changes), the
log's writes as durable as in the app (``synchronous=FULL``). Baseline: the same HTTP/1.1 server
(``core.http_server``) answering 200 to each POST and doing nothing else.

The load comes from another process (``benchmarks/_load.py``: raw keep-alive sockets, requests
signed in advance, ``--connections`` of them at once), so the sender's own work neither shares
this interpreter nor hides the server's cost. Figures:

- deliveries/s at full speed (each connection sends its next delivery as soon as the last is
  answered): for ours, from the first request sent until the last delivery is verified and
  applied to the log (not merely answered); for the baseline, until the last answer;
- the time to the 200 at the target rate (``--rate``, 1,000/s: deliveries due at an even pace;
  one the sender could only write late, because the answer before it came after it was due,
  counts from when it was due, so a server that falls behind is charged for the wait it
  caused): p50, p99, max. This is the target's figure. At full speed the time to
  the 200 is printed too, but it is not a server's latency: with the sender's connections
  always busy it is about connections ÷ rate (Little's law), the rate figure again.

The receiver queues at most 1,000 deliveries (``receiver.QUEUE_SIZE``; past that it answers 503
and Whats91 retries): a round sends 1,500, so a receiver that processes slower than the sender
sends is refused some, and the round fails saying so rather than reporting a rate.

Rounds alternate ours and the baseline (the order flips each round), each at full speed and
then at the target rate, on a fresh log; the figures are medians over rounds. Targets (issue 10):
≥ 1,000 deliveries/s and p99 < 10 ms on loopback.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _load import write_requests  # benchmarks/_load.py: a script's own folder is first on sys.path
from _results import RESULTS_DIR, ROOT, loadavg, write_result

from whats91_desktop.core.http_server import HttpRequest, HttpResponse, serve_http
from whats91_desktop.core.models import Outcome, SendResult
from whats91_desktop.core.secrets import SecretStore
from whats91_desktop.core.store import AsyncMessageStore, MessageStore
from whats91_desktop.core.webhook_deliveries import iso_time
from whats91_desktop.core.webhook_signing import signature_for
from whats91_desktop.core.webhooks import SIGNATURE_HEADER
from whats91_desktop.sandbox.webhook_payloads import encode, status_payload
from whats91_desktop.services.tokens import TokenCache
from whats91_desktop.services.webhooks.hub import WebhookHub
from whats91_desktop.services.webhooks.receiver import SUGGESTED_PATH
from whats91_desktop.services.webhooks.secrets import WebhookSecrets

SECRET = "whsec_benchmark_secret"
UID = "wh_bench"
STATUSES = ("sent", "delivered", "read")
TARGET_PER_S = 1000.0
TARGET_P99_MS = 10.0
SIDES = ("ours", "baseline")
PACES = ("full", "paced")


def bodies(count: int) -> list[bytes]:
    """Distinct status deliveries for ``count // 3`` logged messages (message ids ``wamid.bN``)."""
    now = time.time() + 10
    return [
        encode(
            status_payload(
                STATUSES[i % 3],
                webhook_uid=UID,
                sender_id="919999999999",
                message_id=f"wamid.b{i // 3}",
                recipient="918888888888",
                timestamp=iso_time(now + i),
            )
        )
        for i in range(count)
    ]


def signed_request(body: bytes) -> bytes:
    """The whole HTTP/1.1 request Whats91 would send for ``body``, signed with the secret."""
    head = (
        f"POST {SUGGESTED_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"{SIGNATURE_HEADER}: {signature_for(body, SECRET)}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("ascii") + body


@dataclass(frozen=True)
class Round:
    per_s: float
    p50_ms: float
    p99_ms: float
    max_ms: float


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def load(
    port: int, requests: Path, connections: int, done: Callable[[], Awaitable[None]], rate: float | None
) -> Round:
    """Run ``_load.py`` against ``port`` (at ``rate`` deliveries/s, or as fast as answered);
    the rate counts until ``done`` returns."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH")))),
    }
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        str(Path(__file__).with_name("_load.py")),
        "--port",
        str(port),
        "--requests",
        str(requests),
        "--connections",
        str(connections),
        *(("--rate", str(rate)) if rate is not None else ()),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        env=env,
    )
    assert child.stdin is not None
    assert child.stdout is not None
    if (await child.stdout.readline()).strip() != b"ready":
        raise RuntimeError("the load generator did not start")
    started = time.perf_counter()
    child.stdin.write(b"go\n")
    await child.stdin.drain()
    finished = asyncio.ensure_future(done())
    report = asyncio.ensure_future(child.stdout.readline())
    await asyncio.wait({finished, report}, return_when=asyncio.FIRST_COMPLETED)
    if not finished.done():
        figures = json.loads(await report)
        if figures["statuses"]:  # a refused delivery (503: the queue was full) is never processed
            finished.cancel()
            await child.wait()
            raise RuntimeError(f"answers other than 200: {figures['statuses']}")
        async with asyncio.timeout(60):
            await finished
    elapsed = time.perf_counter() - started
    figures = json.loads(await report)
    await child.wait()
    if figures["statuses"]:
        raise RuntimeError(f"answers other than 200: {figures['statuses']}")
    latencies: list[float] = figures["latencies_ms"]
    elapsed = max(elapsed, figures["elapsed_s"])  # ours ends when applied, never before the last answer
    return Round(
        per_s=len(latencies) / elapsed,
        p50_ms=percentile(latencies, 0.50),
        p99_ms=percentile(latencies, 0.99),
        max_ms=max(latencies),
    )


@contextlib.asynccontextmanager
async def logged_store(
    home: Path, messages: int
) -> AsyncIterator[tuple[AsyncMessageStore, ThreadPoolExecutor]]:
    """A fresh log on disk holding ``messages`` accepted sends (``wamid.b0`` …)."""
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="whats91-store")
    store = AsyncMessageStore(MessageStore(home / "log.sqlite3"), executor=executor)
    try:
        for n in range(messages):
            row = await store.create_sending(
                profile="B",
                sender_id=None,
                recipient="918888888888",
                kind="text",
                preview="",
                request_text="",
            )
            await store.complete(
                row, SendResult(Outcome.ACCEPTED, message_id=f"wamid.b{n}", status="accepted")
            )
        yield store, executor
    finally:
        await store.aclose()
        executor.shutdown()


async def ours(requests: Path, count: int, connections: int, rate: float | None) -> Round:
    with tempfile.TemporaryDirectory(prefix="w91-bench-webhooks-") as tmp:
        home = Path(tmp)
        secret_store = SecretStore(home / "data", keyring_backend=None)
        secret_store.set_webhook_secret(UID, SECRET)
        async with logged_store(home, (count + 2) // 3) as (store, executor):
            hub = WebhookHub(secrets=WebhookSecrets(TokenCache(secret_store, executor=executor)), store=store)
            all_in = asyncio.Event()
            hub.added.subscribe(lambda _r: all_in.set() if len(hub.records) >= count else None)
            await hub.start(port=0)
            assert hub.receiver.port is not None
            try:
                result = await load(hub.receiver.port, requests, connections, all_in.wait, rate)
            finally:
                await hub.aclose()
            if not all(r.trusted and r.outcome.startswith("timeline") for r in hub.records):
                raise RuntimeError("every delivery must verify and join its row's timeline")
            return result


async def baseline(requests: Path, count: int, connections: int, rate: float | None) -> Round:
    answered = 0
    all_in = asyncio.Event()

    async def answer(_request: HttpRequest) -> HttpResponse:
        nonlocal answered
        answered += 1
        if answered >= count:
            all_in.set()
        return HttpResponse(200, b'{"received":true}')

    async with serve_http(answer, "127.0.0.1", 0, max_body=1024 * 1024, server_header=b"bare") as bound:
        return await load(bound.port, requests, connections, all_in.wait, rate)


def median_round(rounds: list[Round]) -> dict[str, float]:
    return {
        name: statistics.median(getattr(r, name) for r in rounds)
        for name in ("per_s", "p50_ms", "p99_ms", "max_ms")
    }


def measure(args: argparse.Namespace, requests: Path) -> dict[str, Any]:
    sides: dict[str, Callable[[float | None], Awaitable[Round]]] = {
        "ours": lambda rate: ours(requests, args.deliveries, args.connections, rate),
        "baseline": lambda rate: baseline(requests, args.deliveries, args.connections, rate),
    }
    rates = {"full": None, "paced": args.rate}
    samples: dict[str, dict[str, list[Round]]] = {pace: {side: [] for side in SIDES} for pace in PACES}
    for index in range(args.rounds):
        for side in SIDES if index % 2 == 0 else SIDES[::-1]:
            for pace in PACES:
                samples[pace][side].append(asyncio.run(sides[side](rates[pace])))
        print(
            f"round {index + 1}/{args.rounds}: "
            + "  ".join(
                f"{side} {samples['full'][side][-1].per_s:6.0f}/s,"
                f" p99 at {args.rate:,.0f}/s {samples['paced'][side][-1].p99_ms:5.1f} ms"
                for side in SIDES
            ),
            flush=True,
        )
    medians = {side: median_round(samples["full"][side]) for side in SIDES}
    paced = {side: median_round(samples["paced"][side]) for side in SIDES}
    return {
        "deliveries": args.deliveries,
        "connections": args.connections,
        "rounds": args.rounds,
        "medians": medians,
        "paced": {"rate": args.rate, "medians": paced},
        "ratios": {
            "rate_over_baseline": medians["ours"]["per_s"] / medians["baseline"]["per_s"],
            "p99_over_baseline": paced["ours"]["p99_ms"] / paced["baseline"]["p99_ms"],
        },
        "target": {"per_s_min": TARGET_PER_S, "p99_ms_max": TARGET_P99_MS},
        "samples": {pace: {side: [vars(r) for r in samples[pace][side]] for side in SIDES} for pace in PACES},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--deliveries", type=int, default=1500, help="deliveries per round (1500)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (5)")
    parser.add_argument("--connections", type=int, default=8, help="the sender's parallel connections (8)")
    parser.add_argument(
        "--rate", type=float, default=TARGET_PER_S, help="deliveries/s of the paced rounds (1000)"
    )
    parser.add_argument("--output", type=Path, default=RESULTS_DIR / "webhook_receiver.json")
    args = parser.parse_args(argv)
    if args.deliveries < 3 or args.rounds < 1 or args.connections < 1 or not args.rate > 0:
        parser.error("--deliveries must be at least 3, --rounds, --connections and --rate positive")

    load_before = loadavg()
    with tempfile.TemporaryDirectory(prefix="w91-bench-load-") as tmp:
        requests = Path(tmp) / "requests.bin"
        write_requests(requests, map(signed_request, bodies(args.deliveries)))
        figures = measure(args, requests)

    mine, paced = figures["medians"]["ours"], figures["paced"]["medians"]
    print()
    print(
        f"Medians of {args.rounds} interleaved rounds,"
        f" {args.deliveries:,} deliveries over {args.connections} connections:"
    )
    for side, what in (
        ("ours", "verified and applied to the log"),
        ("baseline", "answered by the bare server"),
    ):
        m, p = figures["medians"][side], paced[side]
        print(
            f"  {side:<8} full speed {m['per_s']:7.0f}/s {what} (to the 200: p99 {m['p99_ms']:.2f} ms);"
            f" at {args.rate:,.0f}/s, to the 200: p50 {p['p50_ms']:.2f} ms, p99 {p['p99_ms']:.2f} ms,"
            f" max {p['max_ms']:.1f} ms"
        )
    rate_ok, p99_ok = mine["per_s"] >= TARGET_PER_S, paced["ours"]["p99_ms"] < TARGET_P99_MS
    print(
        f"Receiver {figures['ratios']['rate_over_baseline']:.2f}× the bare server's rate"
        f" (target ≥ {TARGET_PER_S:,.0f}/s: {'meets' if rate_ok else 'misses'});"
        f" p99 at {args.rate:,.0f}/s {paced['ours']['p99_ms']:.2f} ms vs {paced['baseline']['p99_ms']:.2f} ms"
        f" (target < {TARGET_P99_MS:g} ms: {'meets' if p99_ok else 'misses'})"
    )
    written = write_result("webhook_receiver", figures, load_before=load_before, output=args.output)
    print(f"Wrote {written}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
