"""Send one test delivery to an integrator's handler, signed as Whats91 signs (the Stripe CLI's
``trigger``).

The body is a documented sample (§4.2, ``sandbox.webhook_payloads``) or a status event of the
same shape for a message id from the log, and its ``X-Whats91-Signature`` is computed with the
destination's signing secret over exactly the bytes sent. The bad-signature variant signs with
another key, so a handler can prove it rejects it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from whats91_desktop.core.errors import ConfigError, ValidationError
from whats91_desktop.core.models import Problem
from whats91_desktop.core.webhook_deliveries import iso_time
from whats91_desktop.core.webhook_signing import signature_for
from whats91_desktop.core.webhook_validation import target_problem
from whats91_desktop.core.webhooks import SIGNATURE_HEADER
from whats91_desktop.sandbox.webhook_payloads import (
    SAMPLE_EVENTS,
    SAMPLE_SENDER,
    SAMPLE_WEBHOOK_UID,
    encode,
    sample_payload,
)
from whats91_desktop.services.webhooks.records import ForwardResult
from whats91_desktop.services.webhooks.relay import post_bytes

USER_AGENT = "Whats91-Desktop-Test-Event"
SAMPLE_CHOICES: tuple[str, ...] = (*SAMPLE_EVENTS, "message.status.sent", "message.status.read")
"""What "Send test event" offers: every documented sample, and the inferred status steps."""


@dataclass(frozen=True)
class SampleDelivery:
    event: str
    body: bytes
    headers: tuple[tuple[str, str], ...]
    bad_signature: bool


@dataclass(frozen=True)
class SampleSent:
    sample: SampleDelivery
    result: ForwardResult


def build_sample(
    event: str,
    *,
    secret: str,
    bad_signature: bool = False,
    webhook_uid: str = SAMPLE_WEBHOOK_UID,
    sender_id: str = SAMPLE_SENDER,
    message_id: str | None = None,
    contact: str | None = None,
    verification: tuple[str, str] | None = None,
    clock: Callable[[], float] = time.time,
) -> SampleDelivery:
    """The delivery to send; ``ValidationError`` for an event with no documented shape."""
    if not secret:
        raise ConfigError("a test event needs the signing secret to sign it with")
    try:
        payload = sample_payload(
            event,
            webhook_uid=webhook_uid,
            sender_id=sender_id,
            message_id=message_id,
            contact=contact,
            timestamp=iso_time(clock()),
        )
    except ValueError as err:
        raise ValidationError([Problem("event", str(err))]) from None
    body = encode(payload)
    key = f"not-{secret}" if bad_signature else secret
    headers = [
        ("Content-Type", "application/json"),
        ("User-Agent", USER_AGENT),
        (SIGNATURE_HEADER, signature_for(body, key)),
    ]
    if verification is not None:
        headers.append(verification)
    return SampleDelivery(event, body, tuple(headers), bad_signature)


async def send_sample(url: str, sample: SampleDelivery, *, secrets: tuple[str, ...] = ()) -> SampleSent:
    """POST ``sample`` to ``url`` (https, or http to this computer); ``ConfigError`` for another URL."""
    problem = target_problem(url)
    if problem:
        raise ConfigError(f"cannot send a test event to {url}: {problem}")
    return SampleSent(sample, await post_bytes(url, sample.body, sample.headers, secrets=secrets))
