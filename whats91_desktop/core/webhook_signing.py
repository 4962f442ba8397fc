"""The ``X-Whats91-Signature`` check (reference §4.3): HMAC-SHA256 of the raw body, lowercase hex.

Computed over the bytes exactly as they arrived, never over re-encoded JSON, and compared in
constant time, so neither a re-serialisation nor the timing of a comparison gives anything away.
There is no timestamp and no ``sha256=`` prefix in the documented scheme.
"""

from __future__ import annotations

import hashlib
import hmac


def signature_for(body: bytes, secret: str) -> str:
    """The header value Whats91 sends with ``body`` for a destination with ``secret``."""
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def signature_valid(body: bytes, secret: str, given: str | None) -> bool:
    """Whether ``given`` (the header as received; None when absent) signs ``body`` with ``secret``."""
    if not given or not secret:
        return False
    expected = signature_for(body, secret).encode("ascii")
    return hmac.compare_digest(expected, given.strip().encode("utf-8", "replace"))


def token_valid(expected: str, given: str | None) -> bool:
    """The custom verification header's value against the configured token, in constant time."""
    if given is None or not expected:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8", "replace"))
