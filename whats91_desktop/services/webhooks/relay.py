"""One POST of a delivery's exact bytes to an endpoint, timed: forwarding, replay, test events.

The body goes out byte for byte with the headers it came with, minus the hop-by-hop ones (and
``Host``/``Content-Length``, which belong to the new connection), so the integrator's handler
computes the same signature Whats91's did. Redirects are the endpoint's answer, not followed;
environment proxies are used for https only (a proxy on plain http would see the delivery).
"""

from __future__ import annotations

import time
from collections.abc import Iterable

import httpx

from whats91_desktop.core.redact import redact_text
from whats91_desktop.services.webhooks.records import ForwardResult

RESPONSE_BODY_LIMIT = 64 * 1024
DEFAULT_TIMEOUT = 10.0
_NOT_RELAYED = frozenset(
    {
        "host",
        "content-length",
        "connection",
        "keep-alive",
        "proxy-connection",
        "transfer-encoding",
        "te",
        "trailer",
        "upgrade",
        "expect",
    }
)


async def post_bytes(
    url: str,
    body: bytes,
    headers: Iterable[tuple[str, str]],
    *,
    timeout_seconds: float = DEFAULT_TIMEOUT,
    secrets: Iterable[str] = (),
) -> ForwardResult:
    """POST ``body`` to ``url``; never raises for transport problems (they are the result)."""
    relayed = [(name, value) for name, value in headers if name.lower() not in _NOT_RELAYED]
    started = time.perf_counter()
    try:
        async with (
            httpx.AsyncClient(
                trust_env=httpx.URL(url).scheme == "https", timeout=timeout_seconds, follow_redirects=False
            ) as client,
            client.stream("POST", url, content=body, headers=relayed) as response,
        ):
            received = bytearray()
            async for chunk in response.aiter_bytes():
                received += chunk
                if len(received) > RESPONSE_BODY_LIMIT:
                    break
    except (httpx.HTTPError, httpx.InvalidURL) as err:
        elapsed = (time.perf_counter() - started) * 1000
        detail = f"{type(err).__name__}: {err}".rstrip(": ")
        return ForwardResult(url, None, elapsed, error=redact_text(detail, secrets))
    elapsed = (time.perf_counter() - started) * 1000
    text = bytes(received[:RESPONSE_BODY_LIMIT]).decode("utf-8", "replace")
    if len(received) > RESPONSE_BODY_LIMIT:
        text += "\n… (cut at 64 KB)"
    return ForwardResult(url, response.status_code, elapsed, redact_text(text, secrets))
