"""How fast the local webhook receiver takes deliveries, against a bare server in the same run.

Ours: the desktop's receiver (``WebhookHub``) on loopback, every delivery signed, verified and
applied to a message log on disk (a status for a logged message: its timeline changes). Baseline:
the same HTTP/1.1 server (``core.http_server``) answering 200 to each POST and doing nothing
else. One keep-alive client sends N deliveries one after another; the figure is deliveries per
second until the last one is processed (ours) or answered (baseline). Medians of interleaved
rounds; compare the ratio between runs, not the absolute rates (the machines are shared).

    .venv/bin/python benchmarks/webhook_receiver.py [--deliveries 500] [--rounds 3] [--json FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from whats91_desktop.core.http_server import HttpRequest, HttpResponse, serve_http  # noqa: E402
from whats91_desktop.core.models import Outcome, SendResult  # noqa: E402
from whats91_desktop.core.secrets import SecretStore  # noqa: E402
from whats91_desktop.core.store import AsyncMessageStore, MessageStore  # noqa: E402
from whats91_desktop.core.webhook_deliveries import iso_time  # noqa: E402
from whats91_desktop.core.webhook_signing import signature_for  # noqa: E402
from whats91_desktop.sandbox.webhook_payloads import encode, status_payload  # noqa: E402
from whats91_desktop.services.tokens import TokenCache  # noqa: E402
from whats91_desktop.services.webhooks.hub import WebhookHub  # noqa: E402
from whats91_desktop.services.webhooks.secrets import WebhookSecrets  # noqa: E402

SECRET = "whsec_benchmark_secret"
UID = "wh_bench"
STATUSES = ("sent", "delivered", "read")


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


async def post_all(url: str, payloads: list[bytes]) -> None:
    import httpx

    async with httpx.AsyncClient(trust_env=False, timeout=30) as client:
        for body in payloads:
            headers = {"Content-Type": "application/json", "X-Whats91-Signature": signature_for(body, SECRET)}
            response = await client.post(url, content=body, headers=headers)
            response.raise_for_status()


async def ours(payloads: list[bytes], home: Path) -> float:
    secret_store = SecretStore(home / "data", keyring_backend=None)
    secret_store.set_webhook_secret(UID, SECRET)
    executor = ThreadPoolExecutor(max_workers=1)
    store = AsyncMessageStore(MessageStore(home / "log.sqlite3"), executor=executor)
    for n in range((len(payloads) + 2) // 3):
        row = await store.create_sending(
            profile="B", sender_id=None, recipient="918888888888", kind="text", preview="", request_text=""
        )
        await store.complete(row, SendResult(Outcome.ACCEPTED, message_id=f"wamid.b{n}", status="accepted"))
    hub = WebhookHub(secrets=WebhookSecrets(TokenCache(secret_store, executor=executor)), store=store)
    all_in = asyncio.Event()
    hub.added.subscribe(lambda _r: all_in.set() if len(hub.records) >= len(payloads) else None)
    await hub.start(port=0)
    url = hub.receiver.local_url()
    assert url is not None
    started = time.perf_counter()
    await post_all(url, payloads)
    await all_in.wait()
    elapsed = time.perf_counter() - started
    assert all(r.trusted for r in hub.records), "every delivery must verify"
    await hub.aclose()
    await store.aclose()
    executor.shutdown()
    return len(payloads) / elapsed


async def baseline(payloads: list[bytes]) -> float:
    async def answer(_request: HttpRequest) -> HttpResponse:
        return HttpResponse(200, b'{"received":true}')

    async with serve_http(answer, "127.0.0.1", 0, max_body=1024 * 1024, server_header=b"bare") as bound:
        started = time.perf_counter()
        await post_all(f"http://127.0.0.1:{bound.port}/webhooks/whats91", payloads)
        return len(payloads) / (time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    payloads = bodies(args.deliveries)
    ours_rates, base_rates = [], []
    for _ in range(args.rounds):
        base_rates.append(asyncio.run(baseline(payloads)))
        with tempfile.TemporaryDirectory() as home:
            ours_rates.append(asyncio.run(ours(payloads, Path(home))))
    mine, base = statistics.median(ours_rates), statistics.median(base_rates)
    print(f"receiver: {mine:,.0f} deliveries/s verified and applied to the log")
    print(f"baseline: {base:,.0f} deliveries/s answered by the bare server")
    print(f"ratio:    {mine / base:.2f}× (ours / baseline)")
    if args.json:
        figures = {
            "deliveries": args.deliveries,
            "ours_per_s": mine,
            "baseline_per_s": base,
            "ratio": mine / base,
        }
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
