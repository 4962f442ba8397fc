"""A small HTTP/1.1 load generator, run as a child process by ``webhook_receiver.py``.

    python benchmarks/_load.py --port 8092 --requests FILE [--connections 8] [--rate N]

It sends ready-made requests (``FILE``: each one a 4-byte big-endian length and the request's
bytes, headers and body, as written by :func:`write_requests`) over ``--connections`` keep-alive
connections, each connection sending its next request once the previous answer is in (and,
with ``--rate``, not before its turn: request ``i`` is due ``i / rate`` seconds after the start;
one written late because the previous answer came after it was due counts from when it was
due, so a server that falls behind is charged for the wait it caused). It is a
separate process so that its own work does not share an interpreter (and a GIL) with the server
being measured, and it parses nothing but the status line and ``Content-Length``, so it costs
far less per request than an HTTP client library: the server is what the figures measure.

It connects first and prints ``ready``; on a line from stdin it starts, and at the end prints
one JSON object: ``elapsed_s`` (the first request written to the last answer read), the
``latencies_ms`` of every request (written to answer read), and any non-200 ``statuses``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import struct
import sys
import time
from collections.abc import Iterable
from pathlib import Path

_LENGTH = struct.Struct(">I")


def write_requests(path: Path, requests: Iterable[bytes]) -> None:
    """Write ``requests`` (each a whole HTTP/1.1 request) in the format this script reads."""
    with path.open("wb") as out:
        for request in requests:
            out.write(_LENGTH.pack(len(request)))
            out.write(request)


def read_requests(path: Path) -> list[bytes]:
    data = path.read_bytes()
    requests, offset = [], 0
    while offset < len(data):
        (size,) = _LENGTH.unpack_from(data, offset)
        offset += _LENGTH.size
        requests.append(data[offset : offset + size])
        offset += size
    return requests


async def _answer(reader: asyncio.StreamReader) -> int:
    """Read one response; its status code."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    if length:
        await reader.readexactly(length)
    return status


async def _connection(
    streams: tuple[asyncio.StreamReader, asyncio.StreamWriter],
    requests: list[bytes],
    latencies: list[float],
    statuses: dict[int, int],
    due: list[float] | None,
) -> None:
    reader, writer = streams
    for index, request in enumerate(requests):
        started = time.perf_counter()
        if due is not None:
            if due[index] > started:  # early: wait for the turn, and time from the write
                await asyncio.sleep(due[index] - started)
                started = time.perf_counter()
            else:  # late, because the last answer came after this one was due: the server's wait
                started = due[index]
        writer.write(request)
        status = await _answer(reader)
        latencies.append((time.perf_counter() - started) * 1000)
        if status != 200:
            statuses[status] = statuses.get(status, 0) + 1
    writer.close()


async def run(
    host: str, port: int, requests: list[bytes], connections: int, rate: float | None = None
) -> dict[str, object]:
    streams = [await asyncio.open_connection(host, port) for _ in range(connections)]
    print("ready", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    started = time.perf_counter()
    due = None if rate is None else [started + i / rate for i in range(len(requests))]
    await asyncio.gather(
        *(
            _connection(
                pair,
                requests[index::connections],
                latencies,
                statuses,
                None if due is None else due[index::connections],
            )
            for index, pair in enumerate(streams)
        )
    )
    elapsed = time.perf_counter() - started
    return {"elapsed_s": elapsed, "latencies_ms": latencies, "statuses": statuses}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--requests", type=Path, required=True)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rate", type=float, default=None, help="requests/s in all (default: as answered)")
    args = parser.parse_args()
    figures = asyncio.run(
        run(args.host, args.port, read_requests(args.requests), args.connections, args.rate)
    )
    print(json.dumps(figures), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
