"""One delivery as the receiver saw it, and the receiver's counters.

A record keeps the delivery byte for byte (headers as sent, raw body), because forwarding and
replay must resend exactly that. What a person sees goes through :meth:`DeliveryRecord.shown_headers`
and :meth:`DeliveryRecord.shown_body`, which replace credentials, the verification token and
any known secret by ``[REDACTED]``.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Any, Literal

from whats91_desktop.core.redact import REDACTED, redact_header_value, redact_json_body, redact_text
from whats91_desktop.core.webhook_deliveries import Delivery, iso_time

Source = Literal["received", "replay"]
SHOWN_BODY_CHARS = 200_000


@dataclass(frozen=True)
class ForwardResult:
    """What the integrator's endpoint answered to a relayed delivery."""

    url: str
    status_code: int | None
    latency_ms: float
    body: str = ""
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    def summary(self) -> str:
        if self.status_code is None:
            return f"failed after {self.latency_ms:.0f} ms: {self.error}"
        return f"HTTP {self.status_code} in {self.latency_ms:.0f} ms"


@dataclass
class DeliveryRecord:
    """One delivery: what arrived, what it said, whether it was trusted, what it changed."""

    id: int
    received_at: float
    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    """As sent, in order (Latin-1 text, which round-trips the bytes)."""
    body: bytes
    size: int
    delivery: Delivery
    signature_valid: bool | None = None
    """None: no signing secret is known for this webhook, so it could not be checked."""
    verification_token_valid: bool | None = None
    """None: no verification header is configured (or its token is unknown)."""
    trusted: bool = False
    problem: str | None = None
    outcome: str = ""
    """What it changed, in words: "timeline of row 12 updated", "duplicate: nothing new"…"""
    source: Source = "received"
    forward: ForwardResult | None = None
    verification_header: str | None = None
    secrets: tuple[str, ...] = field(default=(), repr=False)
    """Known secrets to scrub from what is shown (never shown, never stored)."""

    @property
    def event(self) -> str | None:
        return self.delivery.event

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)

    def shown_headers(self) -> list[tuple[str, str]]:
        redacted = []
        for name, value in self.headers:
            if self.verification_header and name.lower() == self.verification_header.lower():
                shown = REDACTED
            else:
                shown = redact_text(redact_header_value(name, value), self.secrets)
            redacted.append((name, shown))
        return redacted

    def shown_body(self) -> str:
        """The body as text, pretty when it is JSON, with secrets and token fields redacted."""
        text = self.body.decode("utf-8", "replace")
        with contextlib.suppress(ValueError, RecursionError):
            text = json.dumps(redact_json_body(json.loads(text)), indent=2, ensure_ascii=False)
        text = redact_text(text, self.secrets)
        if len(text) > SHOWN_BODY_CHARS:
            text = text[:SHOWN_BODY_CHARS] + f"\n… ({len(text) - SHOWN_BODY_CHARS} more characters)"
        return text

    def to_json(self) -> dict[str, Any]:
        """The ``listen`` command's line for this delivery (keys fixed by the CLI contract)."""
        data = self.delivery
        return {
            "receivedAt": iso_time(self.received_at),
            "event": data.event,
            "signatureValid": bool(self.signature_valid),
            "verificationTokenValid": self.verification_token_valid,
            "messageId": data.message_id,
            "status": data.status,
            "from": data.contact if data.kind == "inbound" else None,
            "bytes": self.size,
            "problem": self.problem,
        }


@dataclass
class Counters:
    """How many deliveries of each kind arrived since the receiver started."""

    received: int = 0
    trusted: int = 0
    bad_signature: int = 0
    missing_signature: int = 0
    bad_token: int = 0
    not_json: int = 0
    unknown_event: int = 0
    too_large: int = 0
    dropped: int = 0
    """Refused with 503 because the processing queue was full."""
    duplicates: int = 0
    forward_failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def summary(self) -> str:
        parts = [f"{self.received} received", f"{self.trusted} trusted"]
        labels = {
            "bad_signature": "bad signature",
            "missing_signature": "no signature",
            "bad_token": "wrong token",
            "not_json": "not JSON",
            "unknown_event": "unknown event",
            "too_large": "over 1 MB",
            "dropped": "dropped (queue full)",
            "duplicates": "duplicate",
            "forward_failed": "forward failed",
        }
        parts += [f"{getattr(self, name)} {label}" for name, label in labels.items() if getattr(self, name)]
        return " · ".join(parts)


def header_pairs(raw: Iterable[tuple[bytes, bytes]]) -> tuple[tuple[str, str], ...]:
    return tuple((k.decode("latin-1"), v.decode("latin-1")) for k, v in raw)
