"""Message-log timings on a large database.

    .venv/bin/python benchmarks/bench_store.py [--rows 1000000] [--db benchmarks/out/bench.sqlite3]

Builds the database once (reused on later runs with the same row count), then times the
queries the log view makes: count + first page, a text search, status and date filters.
"""

from __future__ import annotations

import argparse
import random
import statistics
import string
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from _fill import fill_log  # benchmarks/_fill.py: a script's own folder is first on sys.path

from whats91_desktop.core.models import TextMessage
from whats91_desktop.core.serialize import message_to_json
from whats91_desktop.core.store import LogQuery, MessageStore

WORDS = [
    "invoice",
    "payment",
    "reminder",
    "order",
    "shipped",
    "delivered",
    "hello",
    "thanks",
    "offer",
    "today",
    "tomorrow",
    "your",
    "code",
]
SENDER = "919999999999"
STATES = ["accepted"] * 80 + ["queued"] * 5 + ["rejected"] * 8 + ["unknown"] * 2 + ["unreachable"] * 5
STATUSES = ["read"] * 50 + ["delivered"] * 25 + ["sent"] * 10 + ["failed"] * 10 + [None] * 5


def fake_rows(n: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    rnd = random.Random(seed)
    start = time.time() - 365 * 86400
    step = 365 * 86400 / n
    alphabet = string.ascii_letters + string.digits
    for i in range(n):
        state = rnd.choice(STATES)
        ok = state in ("accepted", "queued")
        error = None if ok or rnd.random() < 0.3 else rnd.choice(["131026", "SENDER_NOT_ALLOWED", "131047"])
        profile = "Production" if rnd.random() < 0.9 else "Test"
        recipient = "91" + "".join(rnd.choice(string.digits) for _ in range(10))
        preview = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(3, 12)))
        yield {
            "created_at": start + i * step,
            "profile": profile,
            "sender_id": SENDER,
            "recipient": recipient,
            "kind": "text",
            "preview": preview,
            "message_json": message_to_json(TextMessage(to=recipient, text=preview, sender_id=SENDER)),
            "state": state,
            "outcome": state,
            "status": rnd.choice(STATUSES) if ok else None,
            "message_id": "wamid." + "".join(rnd.choice(alphabet) for _ in range(40)) if ok else None,
            "request_id": "req_" + "".join(rnd.choice("0123456789abcdef") for _ in range(16)),
            "error_code": error,
            "error_message": "Message undeliverable" if error else None,
            "http_status": 200 if ok else 400,
        }


def timed(label: str, fn: Callable[[], object], repeat: int = 5) -> float:
    fn()  # warm the page cache
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0) * 1000)
    best, median = min(runs), statistics.median(runs)
    print(f"{label:<58} best {best:8.1f} ms   median {median:8.1f} ms")
    return median


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=Path(__file__).parent / "out" / "bench.sqlite3")
    args = parser.parse_args()
    args.db.parent.mkdir(parents=True, exist_ok=True)

    store = MessageStore(args.db)
    newest = store.page(LogQuery(), 0, 1)
    if store.count() != args.rows or not newest or newest[0].message_json is None:
        # Also rebuilt when it predates message_json (schema v1): rows carry the composed message now.
        store.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(args.db) + suffix).unlink(missing_ok=True)
        store = MessageStore(args.db)
        t0 = time.perf_counter()
        fill_log(args.db, fake_rows(args.rows))
        print(f"inserted {args.rows:,} rows in {time.perf_counter() - t0:.1f} s")
    print(f"SQLite {__import__('sqlite3').sqlite_version}, trigram={store.trigram}, rows={store.count():,}")
    probe = store.page(LogQuery(), 5000, 1)[0]
    fragment = probe.recipient[4:10]
    empty = LogQuery()

    def count_and_page(query: LogQuery) -> Callable[[], object]:
        return lambda: (store.count(query), store.page(query, 0, 200))

    timed("count + first page of 200 (no filter)", count_and_page(empty))
    timed("first page of 200 only", lambda: store.page(empty, 0, 200))
    timed("page at offset 500,000", lambda: store.page(empty, 500_000, 200))
    timed(f"search recipient fragment {fragment!r}: count + page", count_and_page(LogQuery(text=fragment)))
    timed(
        f"search full number {probe.recipient}: count + page", count_and_page(LogQuery(text=probe.recipient))
    )
    if probe.message_id:
        mid = probe.message_id[10:30]
        timed(f"search message-id fragment {mid!r}: count + page", count_and_page(LogQuery(text=mid)))
    timed(
        "search 'undeliverable' (~4% of rows): count + page", count_and_page(LogQuery(text="undeliverable"))
    )
    timed("search 'invoice' (common word): count + page", count_and_page(LogQuery(text="invoice")))
    timed("search '91' (short: LIKE fallback): count + page", count_and_page(LogQuery(text="91")))
    timed("status filter failed: count + page", count_and_page(LogQuery(statuses=frozenset({"failed"}))))
    two = frozenset({"unknown", "unreachable"})
    timed("status filter unknown|unreachable: count + page", count_and_page(LogQuery(statuses=two)))
    now = time.time()
    timed("date range last 7 days: count + page", count_and_page(LogQuery(date_from=now - 7 * 86400)))
    old = LogQuery(date_from=now - 200 * 86400, date_to=now - 100 * 86400)
    timed("date range 200..100 days ago: count + page", count_and_page(old))
    timed(
        "date range 200..100 days ago + 'invoice': count + page",
        count_and_page(LogQuery(text="invoice", date_from=old.date_from, date_to=old.date_to)),
    )
    timed(
        "'invoice' + status failed: count + page",
        count_and_page(LogQuery(text="invoice", statuses=frozenset({"failed"}))),
    )
    timed(
        "profile Test + status read: count + page",
        count_and_page(LogQuery(profile="Test", statuses=frozenset({"read"}))),
    )
    before = store.page(empty, 600_000, 1)[0].id
    timed("keyset page of 200 before row ~600,000 down", lambda: store.page(empty, 0, 200, before_id=before))
    timed("followups(since=now - 60 min)", lambda: store.followups(since=now - 3600))
    timed("recent_recipients()", store.recent_recipients)
    store.close()


if __name__ == "__main__":
    main()
