"""Reading a reply's body within a size limit that counts the bytes *after* decoding.

httpx decodes gzip and deflate for us, but a decompressor that is fed a whole network chunk
returns all of its output at once: a few hundred kilobytes of gzip may be a gigabyte of zeros.
Here the raw bytes are decoded with a bound on each step's output, so no more than the limit
(plus one byte, to notice the excess) is ever held in memory, whatever the compression ratio.

Only the encodings the client asks for (``ACCEPT_ENCODING``) are decoded; any other is refused
as undecodable, which the caller treats like a reply that broke off (it may have been processed).
"""

from __future__ import annotations

import zlib
from typing import Protocol

import httpx

MAX_REPLY_BYTES = 4 * 1024 * 1024
"""The largest decoded body read. No documented reply comes near it (a templates page is a few
tens of kilobytes); past it the reply is abandoned, not parsed."""

ACCEPT_ENCODING = "gzip, deflate"
"""Sent explicitly: httpx would add ``br``/``zstd`` when their packages happen to be installed."""


class ReplyTooLarge(Exception):
    """The decoded body grew past the limit; it was not read to its end."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the answer is larger than the {limit // (1024 * 1024)} MB limit")
        self.limit = limit


class _Decoder(Protocol):
    def feed(self, data: bytes, max_out: int) -> bytes: ...

    def flush(self) -> bytes: ...


class _Identity:
    def feed(self, data: bytes, max_out: int) -> bytes:
        return data[:max_out]

    def flush(self) -> bytes:
        return b""


class _Zlib:
    """gzip (``wbits`` 16+15) or deflate; deflate may come with or without its zlib wrapper
    (servers differ), so a wrapper error on the first bytes switches to raw deflate."""

    def __init__(self, wbits: int, *, raw_fallback: bool) -> None:
        self._inflate = zlib.decompressobj(wbits)
        self._raw_fallback = raw_fallback
        self._started = False

    def feed(self, data: bytes, max_out: int) -> bytes:
        try:
            out = self._inflate.decompress(data, max_out)
        except zlib.error:
            if not self._raw_fallback or self._started:
                raise
            self._inflate = zlib.decompressobj(-zlib.MAX_WBITS)
            out = self._inflate.decompress(data, max_out)
        self._started = True
        return out

    def flush(self) -> bytes:
        return self._inflate.flush()


def _decoder_for(content_encoding: str | None) -> _Decoder:
    codings = [c.strip().lower() for c in (content_encoding or "").split(",")]
    codings = [c for c in codings if c and c != "identity"]
    if not codings:
        return _Identity()
    if codings in (["gzip"], ["x-gzip"]):
        return _Zlib(zlib.MAX_WBITS | 16, raw_fallback=False)
    if codings == ["deflate"]:
        return _Zlib(zlib.MAX_WBITS, raw_fallback=True)
    raise httpx.DecodingError(f"the answer uses an encoding that was not asked for: {content_encoding}")


async def read_body(response: httpx.Response, limit: int = MAX_REPLY_BYTES) -> bytes:
    """The decoded body of a streamed ``response``; :class:`ReplyTooLarge` past ``limit`` bytes,
    ``httpx.DecodingError`` for a body that does not decode. The caller closes the response.

    A transport may hand over a response that is already read (``httpx.MockTransport`` builds
    it from bytes in memory); its body is only measured.
    """
    try:
        content = response.content
    except httpx.ResponseNotRead:
        pass
    else:
        if len(content) > limit:
            raise ReplyTooLarge(limit)
        return content
    decoder = _decoder_for(response.headers.get("content-encoding"))
    body = bytearray()
    try:
        async for chunk in response.aiter_raw():
            # One byte more than the room left: getting it means the body is too large.
            body += decoder.feed(chunk, limit - len(body) + 1)
            if len(body) > limit:
                raise ReplyTooLarge(limit)
        body += decoder.flush()
    except zlib.error as err:
        raise httpx.DecodingError(f"the answer could not be decoded ({err})") from err
    if len(body) > limit:
        raise ReplyTooLarge(limit)
    return bytes(body)
