"""The sandbox's outgoing side of Webhooks v2: one signed POST to a destination.

Imported on the first delivery only (it loads httpx). The sandbox delivers to this computer
only: a destination elsewhere (an https address it accepted, as Whats91 would) gets an attempt
recorded as not delivered, never a request. Proxies from the environment are ignored, and a
redirect is not followed: it is the destination's answer.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx

from whats91_desktop.core.urls import is_loopback_host
from whats91_desktop.sandbox.webhook_payloads import SIGNATURE_HEADER, encode, sign
from whats91_desktop.sandbox.webhooks import LOOPBACK_ONLY, DeliveryAttempt, PendingDelivery, SandboxWebhook

WRONG_SECRET = "whsec_this_is_not_the_signing_secret"
USER_AGENT = "Whats91-Webhooks/2 (sandbox)"


async def deliver(hook: SandboxWebhook, delivery: PendingDelivery, now: float) -> DeliveryAttempt:
    body = encode(delivery.payload)
    common = {
        "webhook_uid": hook.uid,
        "event": delivery.event,
        "url": hook.endpoint_url,
        "at": now,
        "attempt": delivery.attempt,
        "body": body,
        "bad_signature": delivery.bad_signature,
    }
    if not is_loopback_host(urlsplit(hook.endpoint_url).hostname or ""):
        return DeliveryAttempt(error=LOOPBACK_ONLY, **common)  # type: ignore[arg-type]
    secret = WRONG_SECRET if delivery.bad_signature else hook.signing_secret
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: sign(body, secret),
    }
    if hook.verification_header_key and hook.verification_token:
        headers[hook.verification_header_key] = hook.verification_token
    try:
        async with httpx.AsyncClient(trust_env=False, timeout=hook.timeout_ms / 1000) as client:
            response = await client.post(hook.endpoint_url, content=body, headers=headers)
    except httpx.HTTPError as err:
        return DeliveryAttempt(error=f"{type(err).__name__}: {err}".rstrip(": "), **common)  # type: ignore[arg-type]
    return DeliveryAttempt(status_code=response.status_code, **common)  # type: ignore[arg-type]
