"""The bulk engine's throughput against a bare httpx loop sending the same requests.

    .venv/bin/python benchmarks/bulk.py [--rows 10000] [--concurrency 8] [--profile]

The sandbox runs in a separate process (as in ``client_overhead.py``). One job of ``--rows``
text messages to distinct recipients is planned (dry run + plan, timed: "plan time") and sent
at an unlimited rate through ``BulkService`` — every row claimed in the job file, logged by the
outbox before its request leaves, its result committed in the log and the job file. The
baseline posts the very same JSON bodies with a bare ``httpx.AsyncClient`` from the same number
of concurrent tasks, awaiting each answer and nothing else. A third loop sends them through
``Outbox.send`` alone (a log row committed before each request, its result after, as every bulk
row must): the floor under the engine, so the engine's own cost (claims, pacing, the job file) is
``engine_over_outbox``. A fourth run sends the job through the engine over a transport that
answers each request at once in this process (``httpx.MockTransport``: no socket, no server, no
HTTP parsing): its rate over the bare loop's is the ceiling of the ratio, what the engine's own
work (validation, the log rows before and after, the job file's claims and records, pacing)
allows whatever the network costs. The loops alternate round by round (``--rounds``) in this one process,
so load from elsewhere on the machine hits them alike; each figure is the best of its rounds,
messages per second in wall time, and the ratio is engine / bare (target: at least 0.8×), with
the CPU time per message of this process beside it, and for the engine that time split by
thread (``loop``: the event loop's, where httpx runs; ``store``: the log's writer; ``bulk``: the
job file's; ``build``: request building). Peak RSS is this process's high-water mark
(it holds the audience, the report and the job's rows). ``--home`` puts the files elsewhere
(``/dev/shm`` takes the disk's fsync out of the figures). ``--profile`` runs pyinstrument over an
extra engine run and prints where the time went.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import resource
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
from _results import RESULTS_DIR, loadavg, write_result
from client_overhead import bare_http, sandbox_process

from whats91_desktop.core.bulk.audience import from_pasted
from whats91_desktop.core.bulk.models import BulkSpec, RowState
from whats91_desktop.core.client import Whats91Client
from whats91_desktop.core.models import TextMessage
from whats91_desktop.core.outbox import Outbox
from whats91_desktop.core.requests import text_request
from whats91_desktop.core.store import AsyncMessageStore, MessageStore
from whats91_desktop.sandbox.constants import SANDBOX_TOKEN
from whats91_desktop.services.bulk.service import BulkService
from whats91_desktop.services.follower import StatusFollower
from whats91_desktop.services.sandbox_profile import SANDBOX_PROFILE

TARGET_RATIO = 0.8
TEXT = "Your order {phone} has shipped"


def thread_cpu() -> dict[str, float]:
    """CPU seconds so far of this thread (the event loop's) and of each worker pool's threads,
    by pool name (``store_0`` counts as ``store``): where a run's CPU goes, beyond its total."""
    times = {"loop": time.thread_time()}
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and thread.ident is not None:
            role = thread.name.rsplit("_", 1)[0]
            clock = time.pthread_getcpuclockid(thread.ident)
            times[role] = times.get(role, 0.0) + time.clock_gettime(clock)
    return times


def cpu_breakdown(before: dict[str, float], after: dict[str, float], rows: int) -> dict[str, float]:
    """Milliseconds of CPU per message by thread between two :func:`thread_cpu` readings."""
    return {role: round((spent - before.get(role, 0.0)) / rows * 1000, 2) for role, spent in after.items()}


def _split(by_thread: dict[str, float]) -> str:
    return ", ".join(f"{role} {ms:.2f}" for role, ms in by_thread.items())


def recipients(count: int, round_: int) -> list[str]:
    return [f"9198{round_}{index:07d}" for index in range(count)]


async def bare_run(
    base_url: str, numbers: list[str], concurrency: int, client: Whats91Client
) -> tuple[float, float]:
    """Seconds (wall, CPU of this process) for the bare loop to send one request per number,
    ``concurrency`` at a time."""
    headers = {"Authorization": f"Bearer {SANDBOX_TOKEN}", "Content-Type": "application/json"}
    bodies = [dict(text_request(TextMessage(to=n, text=TEXT.format(phone=n))).body) for n in numbers]
    queue = iter(bodies)
    async with bare_http(client) as http:

        async def worker() -> None:
            for body in queue:
                response = await http.post(base_url + "/chat", json=body, headers=headers)
                if response.status_code != 200 or not response.json().get("success"):
                    raise RuntimeError(f"bare send failed: HTTP {response.status_code}")

        started, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.perf_counter() - started, time.process_time() - cpu


async def outbox_run(
    base_url: str, numbers: list[str], concurrency: int, home: Path
) -> tuple[float, dict[str, float]]:
    """(seconds, CPU ms per message by thread) of the same sends through ``Outbox.send`` alone
    (its log row before, its result after), from ``concurrency`` tasks: what every bulk row must
    cost at least, whatever the engine does."""
    home.mkdir(parents=True)  # noqa: ASYNC240 - before the timed part, nothing else runs
    store_pool, builder = (ThreadPoolExecutor(1, thread_name_prefix=n) for n in ("store", "build"))
    client = Whats91Client(base_url, SANDBOX_TOKEN)
    store = AsyncMessageStore(MessageStore(home / "messages.sqlite3"), executor=store_pool)
    outbox = Outbox(store, executor=builder)
    queue = iter(numbers)

    async def worker() -> None:
        for number in queue:
            await outbox.send(client, TextMessage(to=number, text=TEXT.format(phone=number)), profile="bench")

    try:
        started, threads = time.perf_counter(), thread_cpu()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.perf_counter() - started, cpu_breakdown(threads, thread_cpu(), len(numbers))
    finally:
        await store.aclose()
        await client.aclose()
        store_pool.shutdown()
        builder.shutdown()


def answered_here() -> httpx.MockTransport:
    """A transport that answers every send at once, in this process, as the sandbox would
    (accepted, a fresh message id): the engine with no network and no server at all."""
    ids = itertools.count()

    def answer(_request: httpx.Request) -> httpx.Response:
        body = {"success": True, "data": {"messageId": f"wamid.here{next(ids)}", "status": "accepted"}}
        return httpx.Response(200, json=body)

    return httpx.MockTransport(answer)


async def engine_run(
    base_url: str,
    numbers: list[str],
    concurrency: int,
    home: Path,
    profile_it: bool = False,
    transport: httpx.AsyncBaseTransport | None = None,
) -> tuple[float, float, float, dict[str, float]]:
    """(plan seconds, send seconds, send CPU seconds, send CPU ms per message by thread) of one
    job through the engine, on fresh files (over ``transport`` when given)."""
    home.mkdir(parents=True)  # noqa: ASYNC240 - before the timed part, nothing else runs
    store_pool, builder, jobs_pool = (
        ThreadPoolExecutor(1, thread_name_prefix=n) for n in ("store", "build", "bulk")
    )
    client = Whats91Client(base_url, SANDBOX_TOKEN, transport=transport)
    store = AsyncMessageStore(MessageStore(home / "messages.sqlite3"), executor=store_pool)
    profile = SANDBOX_PROFILE

    async def client_for(_profile: Any) -> Whats91Client:
        return client

    service = BulkService(
        store=store,
        outbox=Outbox(store, executor=builder),
        follower=StatusFollower(store, lambda _name: client, on_update=lambda _row: None),
        client_for=client_for,
        jobs_path=home / "bulk.sqlite3",
        executor=jobs_pool,
        follow_limit=0,
    )
    try:
        started = time.perf_counter()
        report = await service.dry_run(
            profile, from_pasted("\n".join(numbers)), BulkSpec("phone", text=TEXT, rate=None)
        )
        summary = await service.plan(profile, report)
        planned = time.perf_counter() - started
        profiler = None
        if profile_it:
            from pyinstrument import Profiler

            profiler = Profiler(async_mode="enabled")
            profiler.start()
        started, cpu, threads = time.perf_counter(), time.process_time(), thread_cpu()
        runner = await service.start(summary.job_id, profile, concurrency=concurrency)
        final = await runner.wait()
        sent, sent_cpu = time.perf_counter() - started, time.process_time() - cpu
        by_thread = cpu_breakdown(threads, thread_cpu(), len(numbers))
        if profiler is not None:
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=False))
        if final.counts[RowState.ACCEPTED] != len(numbers):
            raise RuntimeError(f"the engine did not accept every row: {dict(final.counts)}")
        return planned, sent, sent_cpu, by_thread
    finally:
        await service.aclose()
        await store.aclose()
        await client.aclose()
        for pool in (store_pool, builder, jobs_pool):
            pool.shutdown()


async def measure(args: argparse.Namespace, base_url: str) -> dict[str, Any]:
    rows, concurrency = args.rows, args.concurrency
    bare_times, engine_times, plan_times, bare_cpu, engine_cpu, outbox_times = [], [], [], [], [], []
    engine_threads: list[dict[str, float]] = []
    here_times: list[float] = []
    here_cpu: list[float] = []
    probe = Whats91Client(base_url, SANDBOX_TOKEN)
    with tempfile.TemporaryDirectory(prefix="w91-bench-bulk-", dir=args.home) as tmp:
        for round_ in range(args.rounds):
            bare, cpu = await bare_run(base_url, recipients(rows, 2 * round_), concurrency, probe)
            bare_times.append(bare)
            bare_cpu.append(cpu)
            print(
                f"round {round_ + 1}: bare {rows / bare:,.0f} msgs/s, {cpu / rows * 1000:.2f} ms CPU each",
                flush=True,
            )
            outbox, by_thread = await outbox_run(
                base_url, recipients(rows, 6 + round_), concurrency, Path(tmp) / f"o{round_}"
            )
            outbox_times.append(outbox)
            print(
                f"round {round_ + 1}: outbox alone {rows / outbox:,.0f} msgs/s,"
                f" {sum(by_thread.values()):.2f} ms CPU each ({_split(by_thread)})",
                flush=True,
            )
            home = Path(tmp) / str(round_)
            planned, sent, cpu, by_thread = await engine_run(
                base_url, recipients(rows, 2 * round_ + 1), concurrency, home
            )
            engine_times.append(sent)
            engine_cpu.append(cpu)
            engine_threads.append(by_thread)
            plan_times.append(planned)
            print(
                f"round {round_ + 1}: engine {rows / sent:,.0f} msgs/s, {cpu / rows * 1000:.2f} ms CPU each"
                f" ({_split(by_thread)}; plan {planned:.2f} s)",
                flush=True,
            )
            _planned, sent, cpu, by_thread = await engine_run(
                base_url,
                recipients(rows, 9),  # 9: no other run uses it, and runs are far over 6 s apart
                concurrency,
                Path(tmp) / f"h{round_}",
                transport=answered_here(),
            )
            here_times.append(sent)
            here_cpu.append(cpu)
            print(
                f"round {round_ + 1}: engine with no network {rows / sent:,.0f} msgs/s,"
                f" {cpu / rows * 1000:.2f} ms CPU each ({_split(by_thread)})",
                flush=True,
            )
        if args.profile:
            await engine_run(
                base_url, recipients(rows, 8), concurrency, Path(tmp) / "profiled", profile_it=True
            )
    await probe.aclose()
    engine_rate, bare_rate, outbox_rate = (
        rows / min(engine_times),
        rows / min(bare_times),
        rows / min(outbox_times),
    )
    here_rate = rows / min(here_times)
    return {
        "rows": rows,
        "concurrency": concurrency,
        "engine_no_network_msgs_per_s": round(here_rate, 1),
        "ceiling_ratio": round(here_rate / bare_rate, 3),
        "engine_msgs_per_s": round(engine_rate, 1),
        "bare_msgs_per_s": round(bare_rate, 1),
        "ratio": round(engine_rate / bare_rate, 3),
        "outbox_msgs_per_s": round(outbox_rate, 1),
        "engine_over_outbox": round(engine_rate / outbox_rate, 3),
        "plan_seconds": round(min(plan_times), 3),
        "cpu_ms_per_msg": {
            "engine": round(min(engine_cpu) / rows * 1000, 3),
            "engine_no_network": round(min(here_cpu) / rows * 1000, 3),
            "bare": round(min(bare_cpu) / rows * 1000, 3),
            "engine_by_thread": engine_threads[engine_cpu.index(min(engine_cpu))],
        },
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "runs": {
            "engine_s": engine_times,
            "bare_s": bare_times,
            "plan_s": plan_times,
            "engine_cpu_s": engine_cpu,
            "bare_cpu_s": bare_cpu,
            "outbox_s": outbox_times,
            "engine_no_network_s": here_times,
        },
        "target": {"ratio_min": TARGET_RATIO},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--rows", type=int, default=10_000, help="rows of the job (10000)")
    parser.add_argument("--concurrency", type=int, default=8, help="requests in flight, both loops (8)")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds of each loop (2)")
    parser.add_argument("--profile", action="store_true", help="pyinstrument an extra engine run")
    parser.add_argument(
        "--home", type=Path, default=None, help="where the job file and the log go (a temp dir)"
    )
    parser.add_argument("--output", type=Path, default=RESULTS_DIR / "bulk.json")
    args = parser.parse_args(argv)
    load_before = loadavg()
    with sandbox_process() as sandbox:
        figures = asyncio.run(measure(args, sandbox.base_url))
    write_result("bulk", figures, load_before=load_before, output=args.output)
    print(
        f"engine {figures['engine_msgs_per_s']:,.0f} msgs/s"
        f" · bare httpx loop {figures['bare_msgs_per_s']:,.0f} msgs/s"
        f" · ratio {figures['ratio']:.2f}× (target ≥ {TARGET_RATIO}×)"
        f" · outbox alone {figures['outbox_msgs_per_s']:,.0f} msgs/s"
        f" (engine {figures['engine_over_outbox']:.2f}× of it)"
        f" · plan {figures['plan_seconds']:.2f} s"
        f" for {figures['rows']:,} rows · peak RSS {figures['peak_rss_mib']:.0f} MiB"
    )
    print(
        "engine with no network at all (each answer made in this process): "
        f"{figures['engine_no_network_msgs_per_s']:,.0f} msgs/s,"
        f" {figures['ceiling_ratio']:.2f}× the bare loop:"
        " the ceiling of the ratio for any HTTP client, since the engine's own work alone takes that long"
    )
    cpu = figures["cpu_ms_per_msg"]
    print(
        f"CPU per message: engine {cpu['engine']:.2f} ms ({_split(cpu['engine_by_thread'])})"
        f" · bare {cpu['bare']:.2f} ms"
    )
    return 0  # a missed target is the table's verdict; a non-zero exit means nothing was measured


if __name__ == "__main__":
    sys.exit(main())
