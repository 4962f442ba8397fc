"""Every benchmark in one command, one table of same-run ratios, and the README's copy of it.

    .venv/bin/python benchmarks/run_all.py            # full run (about 10 minutes), refreshes README.md
    .venv/bin/python benchmarks/run_all.py --quick    # a couple of minutes, smaller runs; README untouched
    .venv/bin/python benchmarks/run_all.py --only client_overhead responsiveness
    .venv/bin/python benchmarks/run_all.py --table    # no run: the table from the results on disk

Each benchmark runs in its own fresh interpreter (offscreen Qt), writes its figures as JSON to
``benchmarks/results/<name>.json`` (``results/quick/`` for ``--quick``, so a quick look never
replaces the figures of a full run), and this script builds the table from those files. Every
figure is ours against a baseline measured in the same run, from medians of interleaved runs
(see each script's docstring for how). A full run rewrites the table in README.md between the
two ``benchmarks`` marker comments; nothing else in the README is touched.

A benchmark that has not landed yet is a row that says so, with its issue, rather than being
left out (``GAPS``; none is missing now).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _results import RESULTS_DIR, ROOT

README = ROOT / "README.md"
BEGIN_MARKER = "<!-- benchmarks:begin (written by benchmarks/run_all.py; edit there, not here) -->"
END_MARKER = "<!-- benchmarks:end -->"
BENCHMARKS_DIR = Path(__file__).resolve().parent

Json = dict[str, Any]


@dataclass(frozen=True)
class Row:
    benchmark: str
    figure: str
    ours: str
    baseline: str
    ratio: str
    target: str = "—"
    verdict: str = "—"


@dataclass(frozen=True)
class Benchmark:
    name: str
    """The script is ``benchmarks/<name>.py`` and its results ``results/<name>.json``."""
    full: tuple[str, ...]
    quick: tuple[str, ...]
    rows: Callable[[Json], list[Row]]


@dataclass(frozen=True)
class Gap:
    benchmark: str
    figure: str
    target: str
    issue: int


# --------------------------------------------------------------------------- formatting


def seconds(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def millis(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} ms"


def times(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}×"


def verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("meets" if ok else "misses")


def _ratio(ours: float | None, base: float | None) -> float | None:
    return ours / base if ours is not None and base else None


# --------------------------------------------------------------------------- one reader per benchmark


def startup_rows(doc: Json) -> list[Row]:
    bare, app = doc["medians"]["bare"], doc["medians"]["app"]
    ratios = doc["ratios"]
    runs = f"{doc['runs']} cold starts each"
    return [
        Row(
            "Start-up",
            f"window shown ({runs})",
            seconds(app["shown_s"]),
            f"{seconds(bare['shown_s'])} bare QMainWindow + qasync",
            times(ratios["shown"]),
            "≤ 1.5×",
            verdict(ratios["shown"] <= 1.5 if ratios["shown"] is not None else None),
        ),
        Row(
            "Start-up",
            "first paint",
            seconds(app["painted_s"]),
            seconds(bare["painted_s"]),
            times(ratios["painted"]),
        ),
        Row(
            "Start-up",
            "peak RSS when shown",
            f"{app['peak_rss_mib']:.0f} MiB",
            f"{bare['peak_rss_mib']:.0f} MiB",
            times(ratios["peak_rss"]),
            "≤ 1.5×",
            verdict(ratios["peak_rss"] <= 1.5 if ratios["peak_rss"] is not None else None),
        ),
    ]


def client_rows(doc: Json) -> list[Row]:
    per_send, rate, ratios = doc["seconds_per_send"], doc["sends_per_second"], doc["ratios"]
    target = doc["target"]["client_time_over_bare_max"]
    sends = f"{doc['sends_per_loop']:,} text sends, sandbox in another process"
    client = ratios["client_time_over_bare"]
    return [
        Row(
            "Client overhead",
            f"time per send ({sends})",
            f"{per_send['client'] * 1000:.2f} ms",
            f"{per_send['bare'] * 1000:.2f} ms bare httpx.AsyncClient",
            times(client),
            f"≤ {target:g}×",
            verdict(client <= target),
        ),
        *(
            [
                Row(
                    "Client overhead",
                    "our layers alone: against a bare loop on the client's own network layer",
                    f"{per_send['client'] * 1000:.2f} ms",
                    f"{per_send['bare_asyncio'] * 1000:.2f} ms bare httpx.AsyncClient on asyncio transports",
                    times(ratios["client_time_over_bare_asyncio"]),
                )
            ]
            if "bare_asyncio" in per_send
            else []
        ),
        Row(
            "Client overhead",
            "CPU per send in the sending process",
            f"{doc['cpu_seconds_per_send']['client'] * 1000:.2f} ms",
            f"{doc['cpu_seconds_per_send']['bare'] * 1000:.2f} ms",
            times(ratios["client_cpu_over_bare"]),
        ),
        Row(
            "Outbox",
            "sends/s, row written before and updated after",
            f"{rate['outbox']:.0f}/s",
            f"{rate['bare']:.0f}/s bare loop",
            times(ratios["outbox_throughput_over_bare"]),
        ),
    ]


def responsiveness_rows(doc: Json) -> list[Row]:
    idle, sending = doc["stall"]["idle"], doc["stall"]["sending"]
    target = doc["target"]
    what = f"while {doc['sends']:,} sends run through the window"
    return [
        Row(
            "Responsiveness",
            f"event-loop stall p99 ({what})",
            millis(sending["p99_ms"]),
            f"{millis(idle['p99_ms'])} idle window",
            times(_ratio(sending["p99_ms"], idle["p99_ms"])),
            f"< {target['p99_ms_max']:g} ms",
            verdict(sending["p99_ms"] < target["p99_ms_max"]),
        ),
        Row(
            "Responsiveness",
            "event-loop stall max",
            millis(sending["max_ms"]),
            f"{millis(idle['max_ms'])} idle window",
            times(_ratio(sending["max_ms"], idle["max_ms"])),
            f"< {target['max_ms_max']:g} ms",
            verdict(sending["max_ms"] < target["max_ms_max"]),
        ),
    ]


def webhook_rows(doc: Json) -> list[Row]:
    ours, base, target = doc["medians"]["ours"], doc["medians"]["baseline"], doc["target"]
    load = f"{doc['deliveries']:,} signed deliveries over {doc['connections']} connections"
    rows = [
        Row(
            "Webhook receiver",
            f"deliveries/s verified and stored, full speed ({load})",
            f"{ours['per_s']:,.0f}/s",
            f"{base['per_s']:,.0f}/s bare HTTP server answering 200",
            times(doc["ratios"]["rate_over_baseline"]),
            f"≥ {target['per_s_min']:,.0f}/s",
            verdict(ours["per_s"] >= target["per_s_min"]),
        ),
    ]
    if "paced" not in doc:  # written before the receiver's time to the 200 was measured at a set rate
        return [*rows, Row("Webhook receiver", "p99 time to the 200", "not measured at a set rate", "—", "—")]
    paced = doc["paced"]["medians"]
    return [
        *rows,
        Row(
            "Webhook receiver",
            f"p99 time to the 200, deliveries at {doc['paced']['rate']:,.0f}/s",
            millis(paced["ours"]["p99_ms"]),
            f"{millis(paced['baseline']['p99_ms'])} bare server",
            times(doc["ratios"]["p99_over_baseline"]),
            f"< {target['p99_ms_max']:g} ms",
            verdict(paced["ours"]["p99_ms"] < target["p99_ms_max"]),
        ),
    ]


def bulk_rows(doc: Json) -> list[Row]:
    rows, target, cpu = doc["rows"], doc["target"]["ratio_min"], doc["cpu_ms_per_msg"]
    what = f"{rows:,} rows, unlimited rate, {doc['concurrency']} in flight, sandbox in another process"
    return [
        Row(
            "Bulk",
            f"engine msgs/s ({what})",
            f"{doc['engine_msgs_per_s']:,.0f}/s",
            f"{doc['bare_msgs_per_s']:,.0f}/s bare httpx loop, same requests",
            times(doc["ratio"]),
            f"≥ {target:g}×",
            verdict(doc["ratio"] >= target),
        ),
        Row(
            "Bulk",
            "CPU per message in the sending process",
            f"{cpu['engine']:.2f} ms",
            f"{cpu['bare']:.2f} ms",
            times(_ratio(cpu["engine"], cpu["bare"])),
        ),
        *(
            [
                Row(
                    "Bulk",
                    "engine msgs/s with no network (answers made in-process): the ratio's ceiling",
                    f"{doc['engine_no_network_msgs_per_s']:,.0f}/s",
                    f"{doc['bare_msgs_per_s']:,.0f}/s bare httpx loop",
                    times(doc["ceiling_ratio"]),
                )
            ]
            if "ceiling_ratio" in doc
            else []
        ),
        Row("Bulk", f"plan time (dry run + plan of {rows:,} rows)", seconds(doc["plan_seconds"]), "—", "—"),
        Row("Bulk", "peak RSS of the sending process", f"{doc['peak_rss_mib']:.0f} MiB", "—", "—"),
    ]


LOG_TARGETS = (("first paint", 1.0), ("search", 0.1), ("scroll", 0.1))
"""Targets by the start of an operation's name in ``log_1m.py``: seconds."""


def statistic(doc: Json, name: str) -> str:
    """How ``log_1m.py`` summarised an operation's runs: searches by their p95 (the issue's measure)."""
    searched = name.startswith("search") and "search_statistic" in doc
    return str(doc["search_statistic"] if searched else doc["statistic"])


def log_rows(doc: Json) -> list[Row]:
    """One row per operation ``log_1m.py`` measured (it may add some), the large log against the small."""
    large, small = doc["large"], doc["baseline"]
    rows: list[Row] = []
    for name, value in large.items():
        if name.startswith("(") or not isinstance(value, int | float):
            continue
        base = small.get(name)
        limit = next((t for prefix, t in LOG_TARGETS if name.startswith(prefix)), None)
        rows.append(
            Row(
                "Message log",
                f"{name} ({doc['rows']:,} rows, {statistic(doc, name)} of {doc['repeat']})",
                seconds(value),
                f"{seconds(base)} with {doc['baseline_rows']:,} rows",
                times(_ratio(value, base)),
                f"< {seconds(limit)}" if limit is not None else "—",
                verdict(value < limit if limit is not None else None),
            )
        )
    if "rss_growth_mib" not in doc:  # written before log_1m.py measured it
        rows.append(Row("Message log", "RSS growth", "not measured by this run", "—", "—", target="bounded"))
        return rows
    growth, limit_mib = doc["rss_growth_mib"], doc["target"]["rss_growth_mib_max"]
    rows.append(
        Row(
            "Message log",
            "RSS growth after opening, searching and scrolling",
            f"{growth['large']:.0f} MiB",
            f"{growth['baseline']:.0f} MiB with {doc['baseline_rows']:,} rows",
            f"{growth['large'] - growth['baseline']:+.0f} MiB",
            f"< {limit_mib:g} MiB",
            verdict(growth["large"] < limit_mib),
        )
    )
    return rows


BENCHMARKS = (
    Benchmark("startup", full=("--runs", "5", "--warmup", "1"), quick=("--runs", "2"), rows=startup_rows),
    Benchmark(
        "client_overhead",
        full=("--sends", "2000", "--rounds", "20"),
        quick=("--sends", "600", "--rounds", "12"),
        rows=client_rows,
    ),
    Benchmark(
        "responsiveness",
        full=("--sends", "1000", "--rounds", "5"),
        quick=("--sends", "200", "--rounds", "4", "--idle", "1"),
        rows=responsiveness_rows,
    ),
    Benchmark(
        "webhook_receiver",
        full=("--deliveries", "1500", "--rounds", "5"),
        quick=("--deliveries", "1500", "--rounds", "3"),
        rows=webhook_rows,
    ),
    Benchmark(
        "log_1m",
        full=("--rows", "1000000", "--repeat", "5"),
        quick=("--rows", "100000", "--repeat", "3"),
        rows=log_rows,
    ),
    Benchmark("bulk", full=("--rows", "10000"), quick=("--rows", "2000", "--rounds", "1"), rows=bulk_rows),
)
GAPS: tuple[Gap, ...] = ()


# --------------------------------------------------------------------------- running


def results_dir(quick: bool) -> Path:
    return RESULTS_DIR / "quick" if quick else RESULTS_DIR


def run_benchmark(bench: Benchmark, *, quick: bool) -> int:
    """Run one benchmark script in a fresh interpreter, its output streamed; returns its exit code."""
    output = results_dir(quick) / f"{bench.name}.json"
    command = [
        sys.executable,
        str(BENCHMARKS_DIR / f"{bench.name}.py"),
        *(bench.quick if quick else bench.full),
        "--output",
        str(output),
    ]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    print(f"\n=== {bench.name}: {' '.join(command[1:])}", flush=True)
    started = time.monotonic()
    code = subprocess.run(command, cwd=ROOT, env=env, check=False).returncode
    print(f"=== {bench.name}: exit {code} after {time.monotonic() - started:.0f} s", flush=True)
    return code


def load(bench: Benchmark, directory: Path) -> Json | None:
    path = directory / f"{bench.name}.json"
    try:
        document: Json = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return document


def table_rows(documents: dict[str, Json | None], failed: dict[str, int]) -> list[Row]:
    rows: list[Row] = []
    for bench in BENCHMARKS:
        doc = documents[bench.name]
        if bench.name in failed:
            note = f"failed (exit {failed[bench.name]}): see its output above"
            rows.append(Row(bench.name, "—", note, "—", "—"))
        elif doc is None:
            note = f"no result yet: run benchmarks/run_all.py --only {bench.name}"
            rows.append(Row(bench.name, "—", note, "—", "—"))
        else:
            try:
                rows.extend(bench.rows(doc))
            except (KeyError, TypeError) as err:  # written by an older (or newer) version of the script
                note = f"unreadable result ({type(err).__name__}: {err}): run it again"
                rows.append(Row(bench.name, "—", note, "—", "—"))
    for gap in GAPS:
        missing = f"not measured: lands with issue {gap.issue}"
        rows.append(Row(gap.benchmark, gap.figure, missing, "—", "—", target=gap.target))
    return rows


def provenance(documents: dict[str, Json | None]) -> list[str]:
    """One line per result file: when, which commit, how busy the machine was."""
    lines = []
    for name, doc in documents.items():
        if doc is None:
            continue
        tree, machine = doc.get("tree", {}), doc.get("machine", {})
        commit = (tree.get("commit") or "?")[:7] + (" + uncommitted changes" if tree.get("dirty") else "")
        load = machine.get("loadavg_before") or []
        lines.append(
            f"`{name}`: {doc.get('when', '?')}, commit {commit}, Python {machine.get('python', '?')},"
            f" {machine.get('cpus', '?')} CPUs, load {load[0] if load else '?'} before"
        )
    return lines


HEADER = ("Benchmark", "Figure", "Ours", "Baseline (same run)", "Ratio", "Target", "Verdict")


def cells_of(row: Row) -> tuple[str, ...]:
    return (row.benchmark, row.figure, row.ours, row.baseline, row.ratio, row.target, row.verdict)


def as_text(rows: list[Row]) -> str:
    cells = [HEADER, *map(cells_of, rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(HEADER))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


def as_markdown(rows: list[Row], documents: dict[str, Json | None]) -> str:
    def line(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    out = [
        "## Benchmarks",
        "",
        "```bash",
        ".venv/bin/python benchmarks/run_all.py          # about 10 minutes; --quick for a couple",
        "```",
        "",
        "Each figure is ours against a baseline measured in the same run (medians of interleaved runs;",
        "the machines are shared and noisy, so compare ratios between runs, not absolute times). Each",
        "benchmark writes its figures to `benchmarks/results/<name>.json` and this table is made from",
        "them; `--quick` writes to `benchmarks/results/quick/` and leaves this table alone. To see what",
        "costs the time: `benchmarks/client_overhead.py --profile` and `benchmarks/responsiveness.py --why`.",
        "",
        line(HEADER),
        line(tuple("---" for _ in HEADER)),
        *(line(cells_of(r)) for r in rows),
        "",
        "Measured:",
        "",
        *(f"- {entry}" for entry in provenance(documents)),
    ]
    return "\n".join(out)


def refresh_readme(section: str, readme: Path = README) -> bool:
    """Replace what is between the markers with ``section``; False when the markers are missing."""
    text = readme.read_text(encoding="utf-8")
    begin, end = text.find(BEGIN_MARKER), text.find(END_MARKER)
    if begin < 0 or end < begin:
        return False
    head, tail = text[: begin + len(BEGIN_MARKER)], text[end:]
    readme.write_text(f"{head}\n{section}\n{tail}", encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    names = [bench.name for bench in BENCHMARKS]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="smaller runs (a couple of minutes)")
    parser.add_argument("--only", nargs="+", choices=names, metavar="NAME", help=", ".join(names))
    parser.add_argument("--table", action="store_true", help="run nothing: the table from the results")
    readme = parser.add_mutually_exclusive_group()
    readme.add_argument("--readme", action="store_true", help="refresh README.md even after --quick")
    readme.add_argument("--no-readme", action="store_true", help="leave README.md as it is")
    args = parser.parse_args(argv)

    failed: dict[str, int] = {}
    if not args.table:
        started = time.monotonic()
        for bench in BENCHMARKS:
            if args.only and bench.name not in args.only:
                continue
            code = run_benchmark(bench, quick=args.quick)
            if code != 0:
                failed[bench.name] = code
        print(f"\nAll benchmarks ran in {time.monotonic() - started:.0f} s", flush=True)

    directory = results_dir(args.quick)
    documents = {bench.name: load(bench, directory) for bench in BENCHMARKS}
    rows = table_rows(documents, failed)
    when = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    print(f"\nResults from {directory.relative_to(ROOT)} ({when}):\n")
    print(as_text(rows))
    if args.readme or (not args.quick and not args.no_readme):
        if refresh_readme(as_markdown(rows, documents)):
            print(f"\nRefreshed the benchmark table in {README.relative_to(ROOT)}")
        else:
            print(f"\n{README.name} has no benchmark markers ({BEGIN_MARKER} … {END_MARKER}); not refreshed")
            return 1
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
