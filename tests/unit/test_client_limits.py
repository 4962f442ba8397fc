"""The client's hard limits and its scrubbing of server values, through streamed transports.

``httpx.MockTransport`` hands over responses that are already read, so these tests give it
responses with a *stream*: bytes that arrive slowly (the deadline), or compressed bodies that
grow when decoded (the size limit). Each case counts the requests: nothing is ever resent.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import time
import tracemalloc
import zlib
from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from whats91_desktop.core.client import Whats91Client
from whats91_desktop.core.errors import OutcomeUnknown
from whats91_desktop.core.models import Outcome, SendResult, TextMessage
from whats91_desktop.core.reply_body import MAX_REPLY_BYTES
from whats91_desktop.core.retry import RetryPolicy

BASE = "https://sandbox.whats91.invalid/api/v2"
TOKEN = "w91_live_sandbox00000000000000000000000"
SLASHED_TOKEN = "opaque/tok+en/with/slashes=="
"""A token in no known shape, with the characters the two extra encodings differ in."""
TEXT = TextMessage(to="918888888888", text="hi")
ACCEPTED = {
    "success": True,
    "data": {"messageId": "wamid.OK", "status": "accepted"},
    "metadata": {"requestId": "req-1"},
}


class Chunks(httpx.AsyncByteStream):
    """A response body that arrives in ``chunks``, ``delay`` seconds apart."""

    def __init__(self, chunks: list[bytes], delay: float = 0.0) -> None:
        self.chunks = chunks
        self.delay = delay
        self.sent = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            if self.delay:
                await asyncio.sleep(self.delay)
            self.sent += 1
            yield chunk


class Recorder:
    def __init__(self, make: Callable[[httpx.Request], httpx.Response]) -> None:
        self.make = make
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.make(request)


def client_for(handler: Recorder, *, token: str = TOKEN, **kwargs: Any) -> Whats91Client:
    return Whats91Client(
        BASE,
        token,
        transport=httpx.MockTransport(handler),
        retry_policy=RetryPolicy(jitter=0.0),
        sleep=lambda s: asyncio.sleep(0),
        **kwargs,
    )


def send(handler: Recorder, **kwargs: Any) -> SendResult:
    async def go() -> SendResult:
        async with client_for(handler, **kwargs) as client:
            return await client.send(TEXT)

    return asyncio.run(go())


def streamed(
    body: bytes, *, encoding: str | None = None, status: int = 200, delay: float = 0.0, chunk: int = 65536
) -> Callable[[httpx.Request], httpx.Response]:
    headers = {"content-type": "application/json"}
    if encoding:
        headers["content-encoding"] = encoding
    pieces = [body[i : i + chunk] for i in range(0, len(body), chunk)] or [b""]
    return lambda request: httpx.Response(status, headers=headers, stream=Chunks(pieces, delay))


# --------------------------------------------------------------------------- the deadline


def test_attempt_deadline_is_connect_plus_twice_read_plus_upload_time() -> None:
    client = Whats91Client(BASE, TOKEN, connect_timeout=10, read_timeout=2)
    small = client.build_request(TEXT)
    assert client.attempt_deadline(small) == pytest.approx(14 + len(small.content) / 100_000)
    upload = httpx.Request("POST", BASE, content=b"x" * 1_600_000)
    assert client.attempt_deadline(upload) == pytest.approx(14 + 16)
    asyncio.run(client.aclose())


def test_a_trickling_answer_is_cut_at_the_deadline_and_the_send_is_unknown() -> None:
    body = json.dumps(ACCEPTED).encode()
    handler = Recorder(streamed(body, delay=0.05, chunk=1))  # ~4 s in all, each byte in time
    started = time.monotonic()
    result = send(handler, connect_timeout=0.1, read_timeout=0.2)
    took = time.monotonic() - started
    assert result.outcome is Outcome.UNKNOWN
    assert len(handler.requests) == 1
    assert took < 2.0
    assert "deadline" in (result.error_message or "")
    assert "0.5s" in (result.error_message or "")
    assert "may have reached Whats91" in (result.error_message or "")


def test_a_trickling_read_is_not_retried_and_raises_outcome_unknown() -> None:
    body = json.dumps({"success": True, "data": {"wallet": {"balance": 1}}}).encode()
    handler = Recorder(streamed(body, delay=0.05, chunk=1))

    async def go() -> None:
        async with client_for(handler, connect_timeout=0.1, read_timeout=0.2) as client:
            await client.fetch_wallet()

    with pytest.raises(OutcomeUnknown, match="deadline"):
        asyncio.run(go())
    assert len(handler.requests) == 1


def test_an_answer_within_the_deadline_is_read_whole() -> None:
    body = json.dumps(ACCEPTED).encode()
    handler = Recorder(streamed(body, delay=0.01, chunk=16))
    result = send(handler, connect_timeout=1, read_timeout=1)
    assert result.outcome is Outcome.ACCEPTED
    assert result.message_id == "wamid.OK"


# --------------------------------------------------------------------------- the size limit


def _padded_accept(size: int) -> bytes:
    return json.dumps({**ACCEPTED, "pad": "x" * size}).encode()


@pytest.mark.parametrize("encoding", [None, "gzip", "deflate"])
def test_an_answer_over_the_limit_is_abandoned_and_the_send_is_unknown(encoding: str | None) -> None:
    body = _padded_accept(MAX_REPLY_BYTES)
    if encoding == "gzip":
        body = gzip.compress(body)
    elif encoding == "deflate":
        body = zlib.compress(body)
    handler = Recorder(streamed(body, encoding=encoding))
    result = send(handler)
    assert result.outcome is Outcome.UNKNOWN
    assert len(handler.requests) == 1
    assert "larger than the 4 MB limit" in (result.error_message or "")
    assert "may have reached Whats91" in (result.error_message or "")


@pytest.mark.parametrize("encoding", [None, "gzip", "x-gzip", "deflate", "deflate-raw"])
def test_an_answer_under_the_limit_is_decoded_and_read(encoding: str | None) -> None:
    body = _padded_accept(MAX_REPLY_BYTES - 1000)
    header = encoding
    if encoding in ("gzip", "x-gzip"):
        body = gzip.compress(body)
    elif encoding == "deflate":
        body = zlib.compress(body)
    elif encoding == "deflate-raw":  # deflate without its zlib wrapper, as some servers send it
        packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        body = packer.compress(body) + packer.flush()
        header = "deflate"
    result = send(Recorder(streamed(body, encoding=header)))
    assert result.outcome is Outcome.ACCEPTED
    assert result.message_id == "wamid.OK"


def test_a_gzip_bomb_never_inflates_past_the_limit_in_memory() -> None:
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)  # 200 MB of zeros in ~200 KB of gzip
    zeros = b"\0" * (1024 * 1024)
    bomb = b"".join(packer.compress(zeros) for _ in range(200)) + packer.flush()
    handler = Recorder(streamed(bomb, encoding="gzip"))
    tracemalloc.start()
    try:
        result = send(handler)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.outcome is Outcome.UNKNOWN
    assert len(handler.requests) == 1
    assert peak < 3 * MAX_REPLY_BYTES


@pytest.mark.parametrize("encoding", ["br", "zstd", "gzip, br", "compress"])
def test_an_encoding_we_did_not_ask_for_is_unknown(encoding: str) -> None:
    handler = Recorder(streamed(b"\x00garbage", encoding=encoding))
    result = send(handler)
    assert result.outcome is Outcome.UNKNOWN
    assert len(handler.requests) == 1
    assert "not asked for" in (result.error_message or "")


def test_corrupt_gzip_is_unknown_not_a_crash() -> None:
    handler = Recorder(streamed(b"\x1f\x8b\x08\x00garbage-not-gzip", encoding="gzip"))
    result = send(handler)
    assert result.outcome is Outcome.UNKNOWN
    assert len(handler.requests) == 1


def test_only_gzip_and_deflate_are_asked_for() -> None:
    handler = Recorder(lambda r: httpx.Response(200, json=ACCEPTED))
    send(handler)
    assert handler.requests[0].headers["accept-encoding"] == "gzip, deflate"


# --------------------------------------------------------------------------- redirects


@pytest.mark.parametrize(
    "answer",
    [
        lambda r: httpx.Response(307, headers={"Location": "https://evil.example/x"}),
        lambda r: httpx.Response(301, text="<html>Moved</html>", headers={"content-type": "text/html"}),
        lambda r: httpx.Response(302, json={"success": False, "message": "moved"}),
    ],
    ids=["empty", "html", "json"],
)
def test_a_redirect_says_redirects_are_not_followed(
    answer: Callable[[httpx.Request], httpx.Response],
) -> None:
    handler = Recorder(answer)
    result = send(handler)
    assert result.outcome is Outcome.REJECTED
    assert len(handler.requests) == 1
    assert "redirects are not followed" in (result.error_message or "")


# --------------------------------------------------------------------------- scrubbing


def _forms(token: str) -> dict[str, str]:
    return {
        "raw": token,
        "url-encoded": quote(token, safe=""),
        "url-encoded-slash-kept": quote(token, safe="/"),
        "json-escaped-slash": token.replace("/", "\\/"),
    }


def _every_text(result: SendResult) -> str:
    return json.dumps(result.to_json()) + repr(result) + (result.raw_response or "")


@pytest.mark.parametrize("form", list(_forms(SLASHED_TOKEN)))
@pytest.mark.parametrize("where", ["messageId", "requestId", "status", "queueUid"])
def test_a_token_echoed_in_a_successful_reply_is_scrubbed_from_every_value(form: str, where: str) -> None:
    echoed = f"id-{_forms(SLASHED_TOKEN)[form]}-end"
    data: dict[str, Any] = {"messageId": "wamid.OK", "status": "accepted", "queueUid": "q1"}
    metadata = {"requestId": "req-1"}
    if where == "requestId":
        metadata["requestId"] = echoed
    else:
        data[where] = echoed
    raw = json.dumps({"success": True, "data": data, "metadata": metadata}).replace("\\\\/", "\\/")
    handler = Recorder(lambda r: httpx.Response(200, text=raw, headers={"content-type": "application/json"}))
    result = send(handler, token=SLASHED_TOKEN)
    assert result.outcome is Outcome.ACCEPTED
    text = _every_text(result)
    for value in _forms(SLASHED_TOKEN).values():
        assert value not in text
    assert "[REDACTED]" in text


def test_a_token_echoed_in_a_read_reply_is_scrubbed_from_the_parsed_status() -> None:
    payload = {
        "success": True,
        "data": {
            "message": {"messageId": f"wamid.{TOKEN}", "latestStatus": "read"},
            "events": [{"status": "read", "errorMessage": f"echo {quote(TOKEN)}"}],
        },
        "metadata": {"requestId": TOKEN},
    }
    handler = Recorder(lambda r: httpx.Response(200, json=payload))

    async def go() -> Any:
        async with client_for(handler) as client:
            return await client.fetch_status("wamid.X")

    status = asyncio.run(go())
    assert TOKEN not in repr(status)
    assert status.message_id == "wamid.[REDACTED]"
    assert status.request_id == "[REDACTED]"


def test_a_token_echoed_past_the_part_of_the_reply_the_log_keeps_is_scrubbed_too() -> None:
    raw = json.dumps({"pad": "x" * 150_000, "success": True, "data": {"messageId": f"wamid.{TOKEN}"}})
    handler = Recorder(lambda r: httpx.Response(200, text=raw, headers={"content-type": "application/json"}))
    result = send(handler)
    assert result.outcome is Outcome.ACCEPTED
    assert result.message_id == "wamid.[REDACTED]"
    assert TOKEN not in _every_text(result)


def test_a_declared_charset_is_honoured_and_an_unknown_one_falls_back_to_utf8() -> None:
    body = json.dumps({"success": True, "data": {"messageId": "wamid.é"}}, ensure_ascii=False)
    for charset, encoded in (("latin-1", body.encode("latin-1")), ("x-unknown", body.encode("utf-8"))):
        headers = {"content-type": f"application/json; charset={charset}"}
        result = send(Recorder(lambda r, e=encoded, h=headers: httpx.Response(200, content=e, headers=h)))
        assert result.outcome is Outcome.ACCEPTED
        assert result.raw_response is not None
        assert "wamid.é" in result.raw_response
