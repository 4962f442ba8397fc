"""What the app's client and outbox cost per send, against a bare ``httpx.AsyncClient``.

    .venv/bin/python benchmarks/client_overhead.py [--sends 2000] [--rounds 20] [--profile]

The sandbox runs in a separate process (``python -m whats91_desktop sandbox --port 0``), so the
server's work does not share this interpreter with the code under test. Four loops send the
same text message to it, one after another, each send awaited before the next:

- ``bare``: ``httpx.AsyncClient.post`` of the same JSON body (built by ``core.requests``, so it
  is byte for byte what the client sends), with the same headers and timeouts, then
  ``response.json()``: the least an integrator's script would do;
- ``bare_asyncio``: the same bare loop on the client's network layer
  (``core/asyncio_network.py``, asyncio transports in place of anyio's streams), so that
  ``client`` over it is what our own layers cost, apart from the network layer they bring;
- ``client``: ``Whats91Client.send`` (request building, redaction of the logged request, the
  retry loop, the envelope reader, the typed result);
- ``outbox``: ``Outbox.send`` through the client with a real SQLite ``AsyncMessageStore``: the
  request built on a worker, the row committed before the request leaves and updated after.

``--sends`` is per loop, split into ``--rounds`` rounds; the loops take turns round by round
(the order rotates), so load from other work on the machine hits all three alike. Each round
gives seconds per send, in wall time (the target's measure) and in CPU time of this process
(steadier on a shared machine: time the machine gave to other work does not count); the
figures are the medians over rounds, and the ratios are taken of those medians. ``--profile``
adds one cProfile'd round of the client and of the bare loop after the measured ones and says
where the client's extra time goes: our functions by cumulative time, the functions whose own
time grew against the bare loop, and the imports httpx's stack attempts on every request.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from _results import RESULTS_DIR, ROOT, loadavg, write_result

from whats91_desktop.core.asyncio_network import AsyncioTransport
from whats91_desktop.core.client import Whats91Client
from whats91_desktop.core.models import DEFAULT_USER_AGENT, Outcome, TextMessage
from whats91_desktop.core.outbox import Outbox
from whats91_desktop.core.requests import text_request
from whats91_desktop.core.store import AsyncMessageStore, MessageStore
from whats91_desktop.sandbox.constants import SANDBOX_TOKEN

TARGET_CLIENT_RATIO = 1.15
SANDBOX_BANNER = "Whats91 sandbox listening on "
RECIPIENT = "919812345678"  # an ordinary number: accepted at once (no scenario)
SENDER = "919999999999"
LOOPS = ("bare", "bare_asyncio", "client", "outbox")

SendOnce = Callable[[int], Awaitable[None]]


@dataclass(frozen=True)
class SandboxProcess:
    base_url: str
    pid: int


@contextlib.contextmanager
def sandbox_process(timeout: float = 30.0) -> Iterator[SandboxProcess]:
    """``whats91-desktop sandbox --port 0`` as a child; yields its base URL, stops it after."""
    with tempfile.TemporaryDirectory(prefix="w91-bench-sandbox-") as home:
        env = {
            **os.environ,
            "WHATS91_HOME": home,
            "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p),
        }
        errors = Path(home) / "stderr.txt"
        with errors.open("w", encoding="utf-8") as stderr:
            proc = subprocess.Popen(
                [sys.executable, "-m", "whats91_desktop", "sandbox", "--port", "0"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
            )
        try:
            base_url = _read_base_url(proc, timeout)
            if base_url is None:
                raise RuntimeError(f"the sandbox did not start: {errors.read_text(encoding='utf-8')[-2000:]}")
            yield SandboxProcess(base_url, proc.pid)
        finally:
            proc.terminate()  # SIGTERM: the sandbox stops its loop and exits
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()


def _read_base_url(proc: subprocess.Popen[str], timeout: float) -> str | None:
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            return None  # it exited
        if line.startswith(SANDBOX_BANNER):
            return line[len(SANDBOX_BANNER) :].strip()
    return None


def message(index: int) -> TextMessage:
    return TextMessage(
        to=RECIPIENT, text=f"Benchmark message {index}: your order has shipped", sender_id=SENDER
    )


def bare_http(client: Whats91Client, transport: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncClient:
    """A plain ``AsyncClient`` with the client's timeouts and the same fixed headers (on httpx's
    own transport unless ``transport`` is given)."""
    return httpx.AsyncClient(
        transport=transport,
        timeout=httpx.Timeout(
            connect=client.connect_timeout,
            read=client.read_timeout,
            write=client.read_timeout,
            pool=client.connect_timeout,
        ),
        headers={"User-Agent": DEFAULT_USER_AGENT, "Accept": "application/json"},
        follow_redirects=False,
        trust_env=False,
    )


def bare_sender(http: httpx.AsyncClient, base_url: str) -> SendOnce:
    headers = {"Authorization": f"Bearer {SANDBOX_TOKEN}", "Content-Type": "application/json"}

    async def send(index: int) -> None:
        spec = text_request(message(index))
        response = await http.post(base_url + spec.path, json=dict(spec.body), headers=headers)
        if response.status_code != 200 or not response.json().get("success"):
            raise RuntimeError(f"bare send failed: HTTP {response.status_code} {response.text[:200]}")

    return send


def client_sender(client: Whats91Client) -> SendOnce:
    async def send(index: int) -> None:
        result = await client.send(message(index))
        if result.outcome is not Outcome.ACCEPTED:
            raise RuntimeError(f"client send failed: {result.outcome.value} {result.error_message}")

    return send


def outbox_sender(outbox: Outbox, client: Whats91Client) -> SendOnce:
    async def send(index: int) -> None:
        _row, result = await outbox.send(client, message(index), profile="benchmark")
        if result.outcome is not Outcome.ACCEPTED:
            raise RuntimeError(f"outbox send failed: {result.outcome.value} {result.error_message}")

    return send


async def timed_round(send: SendOnce, count: int, first: int) -> tuple[float, float]:
    """Seconds per send over ``count`` sequential sends: wall time, and CPU time of this process.

    The CPU time (all our threads, the server's process not included) does not count the time
    the machine gave to other work, so it varies far less than the wall time on a busy machine.
    """
    started, cpu = time.perf_counter(), time.process_time()
    for index in range(first, first + count):
        await send(index)
    return (time.perf_counter() - started) / count, (time.process_time() - cpu) / count


async def profiled_round(send: SendOnce, count: int) -> pstats.Stats:
    profiler = cProfile.Profile()
    profiler.enable()
    await timed_round(send, count, 0)
    profiler.disable()
    return pstats.Stats(profiler)


def _label(key: tuple[str, int, str]) -> str:
    filename, line, name = key
    for marker in ("site-packages/", "whats91_desktop/", "lib/python3"):
        if marker in filename:
            filename = filename[filename.index(marker) :].removeprefix("site-packages/")
            break
    return f"{filename}:{line}({name})" if line else name


def _own_and_cumulative(stats: pstats.Stats) -> tuple[dict[str, float], dict[str, float]]:
    raw: dict[tuple[str, int, str], tuple[Any, ...]] = stats.stats  # type: ignore[attr-defined]
    own = {_label(key): row[2] for key, row in raw.items()}
    cumulative = {_label(key): row[3] for key, row in raw.items()}
    return own, cumulative


def profile_report(client: pstats.Stats, bare: pstats.Stats, sends: int, top: int) -> str:
    """Where a client send spends the time a bare send does not, in ms per send (under cProfile)."""
    client_own, client_cum = _own_and_cumulative(client)
    bare_own, bare_cum = _own_and_cumulative(bare)
    per_send = 1000 / sends
    total_client: float = client.total_tt  # type: ignore[attr-defined]
    total_bare: float = bare.total_tt  # type: ignore[attr-defined]
    lines = [
        f"Profile of one round each ({sends} sends; cProfile slows everything, compare within it):",
        f"  per send: client {total_client * per_send:.2f} ms, bare {total_bare * per_send:.2f} ms,"
        f" difference {(total_client - total_bare) * per_send:.2f} ms",
        "",
        f"Our code, cumulative ms per send (top {top}):",
    ]
    ours = sorted(
        ((ms, name) for name, ms in client_cum.items() if name.startswith("whats91_desktop/")), reverse=True
    )
    lines += [f"  {ms * per_send:7.3f}  {name}" for ms, name in ours[:top]]
    lines += ["", f"Own time the client spends beyond the bare loop, ms per send (top {top}):"]
    extra = sorted(
        ((client_own.get(n, 0.0) - bare_own.get(n, 0.0), n) for n in client_own.keys() | bare_own.keys()),
        reverse=True,
    )
    lines += [f"  {ms * per_send:7.3f}  {name}" for ms, name in extra[:top] if ms > 0]
    imports = "<frozen importlib._bootstrap>:1165(_find_and_load)"
    lines += [
        "",
        "Imports attempted on every request (a module that is not installed is searched for each time):",
        f"  client {client_cum.get(imports, 0.0) * per_send:.3f} ms/send,"
        f" bare {bare_cum.get(imports, 0.0) * per_send:.3f} ms/send",
    ]
    return "\n".join(lines) + "\n"


async def measure(args: argparse.Namespace, base_url: str) -> dict[str, Any]:
    per_round = max(1, args.sends // args.rounds)
    with tempfile.TemporaryDirectory(prefix="w91-bench-outbox-") as tmp:
        store_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="whats91-store")
        build_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="whats91-builder")
        store = AsyncMessageStore(MessageStore(Path(tmp) / "log.sqlite3"), executor=store_pool)
        outbox = Outbox(store, executor=build_pool)
        client = Whats91Client(base_url, SANDBOX_TOKEN)
        http = bare_http(client)
        http_asyncio = bare_http(client, AsyncioTransport(trust_env=False))
        senders = {
            "bare": bare_sender(http, base_url),
            "bare_asyncio": bare_sender(http_asyncio, base_url),
            "client": client_sender(client),
            "outbox": outbox_sender(outbox, client),
        }
        try:
            for loop in LOOPS:  # warm-up: connections, imports, caches, SQLite pages
                await timed_round(senders[loop], args.warmup, 0)
            samples: dict[str, list[float]] = {loop: [] for loop in LOOPS}
            cpu_samples: dict[str, list[float]] = {loop: [] for loop in LOOPS}
            for index in range(args.rounds):
                shift = index % len(LOOPS)
                for loop in LOOPS[shift:] + LOOPS[:shift]:
                    wall, cpu = await timed_round(senders[loop], per_round, index * per_round)
                    samples[loop].append(wall)
                    cpu_samples[loop].append(cpu)
                print(
                    f"round {index + 1:>2}/{args.rounds}: "
                    + "  ".join(f"{loop} {samples[loop][-1] * 1e3:6.3f} ms" for loop in LOOPS),
                    flush=True,
                )
            profile = None
            if args.profile:
                client_stats = await profiled_round(senders["client"], per_round)
                bare_stats = await profiled_round(senders["bare"], per_round)
                profile = profile_report(client_stats, bare_stats, per_round, args.top)
        finally:
            await http.aclose()
            await http_asyncio.aclose()
            await client.aclose()
            store.store.close()
            store_pool.shutdown()
            build_pool.shutdown()
    medians = {loop: statistics.median(values) for loop, values in samples.items()}
    cpu_medians = {loop: statistics.median(values) for loop, values in cpu_samples.items()}
    paired = [c / b for c, b in zip(samples["client"], samples["bare"], strict=True)]
    return {
        "sends_per_loop": per_round * args.rounds,
        "rounds": args.rounds,
        "seconds_per_send": medians,
        "sends_per_second": {loop: 1.0 / value for loop, value in medians.items()},
        "cpu_seconds_per_send": cpu_medians,
        "ratios": {
            "client_time_over_bare": medians["client"] / medians["bare"],
            "client_time_over_bare_paired_median": statistics.median(paired),
            "client_cpu_over_bare": cpu_medians["client"] / cpu_medians["bare"],
            "client_time_over_bare_asyncio": medians["client"] / medians["bare_asyncio"],
            "outbox_throughput_over_bare": medians["bare"] / medians["outbox"],
        },
        "target": {"client_time_over_bare_max": TARGET_CLIENT_RATIO},
        "samples_seconds_per_send": samples,
        "samples_cpu_seconds_per_send": cpu_samples,
        "profile": profile,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--sends", type=int, default=2000, help="sends per loop (2000)")
    parser.add_argument("--rounds", type=int, default=20, help="interleaved rounds (20)")
    parser.add_argument("--warmup", type=int, default=50, help="uncounted sends per loop first (50)")
    parser.add_argument("--profile", action="store_true", help="cProfile a round of client and bare after")
    parser.add_argument("--top", type=int, default=15, help="rows of each profile table (15)")
    parser.add_argument("--output", type=Path, default=RESULTS_DIR / "client_overhead.json")
    args = parser.parse_args(argv)
    if args.sends < 1 or not 1 <= args.rounds <= args.sends or args.warmup < 0:
        parser.error("--sends and --rounds must be positive, --rounds at most --sends")

    load_before = loadavg()
    with sandbox_process() as sandbox:
        print(f"sandbox (pid {sandbox.pid}) at {sandbox.base_url}", flush=True)
        figures = asyncio.run(measure(args, sandbox.base_url))

    per_send, cpu = figures["seconds_per_send"], figures["cpu_seconds_per_send"]
    rates, ratios = figures["sends_per_second"], figures["ratios"]
    print()
    print(f"Medians of {args.rounds} interleaved rounds, {figures['sends_per_loop']} sends per loop:")
    for loop in LOOPS:
        print(
            f"  {loop:<12} {per_send[loop] * 1e3:7.3f} ms/send  {rates[loop]:7.0f} sends/s"
            f"  (CPU here {cpu[loop] * 1e3:6.3f} ms/send)"
        )
    verdict = "meets" if ratios["client_time_over_bare"] <= TARGET_CLIENT_RATIO else "misses"
    print(
        f"Client overhead {ratios['client_time_over_bare']:.2f}× bare"
        f" (paired {ratios['client_time_over_bare_paired_median']:.2f}×; target ≤ {TARGET_CLIENT_RATIO}×:"
        f" {verdict}); CPU in this process {ratios['client_cpu_over_bare']:.2f}× bare"
    )
    print(
        f"Our layers alone (client against a bare loop on the client's own asyncio network layer):"
        f" {ratios['client_time_over_bare_asyncio']:.2f}×"
    )
    print(f"Outbox throughput {ratios['outbox_throughput_over_bare']:.2f}× bare")
    if figures["profile"]:
        print()
        print(figures["profile"])
    written = write_result("client_overhead", figures, load_before=load_before, output=args.output)
    print(f"Wrote {written}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
