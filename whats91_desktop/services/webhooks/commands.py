"""What the ``webhooks …`` and ``listen`` commands do, ready for the CLI to wire.

Each function takes what it needs (a client, the webhook secrets, the output streams) rather
than parsed arguments, so the command-line layer only parses flags and calls it. Each returns
0 or raises a ``Whats91Error`` (a ``ConfigError`` or ``ValidationError`` for bad input before
anything is sent, an ``ApiError`` for a refusal, a transport error), which the CLI maps to its
documented exit codes. With ``as_json`` each management command prints exactly one JSON
object; ``listen`` prints one JSON line per delivery (``DeliveryRecord.to_json``).

A signing secret is never printed: create stores it (keychain, or the 0600 file) and says
where; the window's "Reveal" shows it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from whats91_desktop.core.client import Whats91Client
from whats91_desktop.core.errors import ConfigError, ValidationError
from whats91_desktop.core.models import Profile
from whats91_desktop.core.webhook_validation import check_draft
from whats91_desktop.core.webhooks import Webhook, WebhookDraft, WebhookStatus
from whats91_desktop.services.webhooks.hub import WebhookHub
from whats91_desktop.services.webhooks.records import DeliveryRecord
from whats91_desktop.services.webhooks.secrets import WebhookSecrets
from whats91_desktop.services.webhooks.trigger import build_sample, send_sample


def _emit(out: TextIO, data: dict[str, Any]) -> None:
    out.write(json.dumps(data, ensure_ascii=False) + "\n")
    out.flush()


def _print_hook(out: TextIO, hook: Webhook) -> None:
    out.write(f"{hook.uid}  {hook.status:<8}  {hook.name}\n  {hook.endpoint_url}\n")
    out.write(f"  events: {', '.join(hook.events)}\n")


def _show(out: TextIO, hook: Webhook, *, as_json: bool) -> int:
    if as_json:
        _emit(out, hook.to_json())
    else:
        _print_hook(out, hook)
    return 0


# --------------------------------------------------------------------------- management


async def webhooks_events(client: Whats91Client, *, sender_id: str | None, as_json: bool, out: TextIO) -> int:
    catalog = await client.webhook_events(sender_id)
    if as_json:
        groups = [{"label": g.label, "eventKeys": list(g.event_keys)} for g in catalog.groups]
        _emit(out, {"eventKeys": list(catalog.event_keys), "groups": groups})
    else:
        out.writelines(f"{key}\n" for key in catalog.event_keys)
    return 0


async def webhooks_list(
    client: Whats91Client,
    *,
    sender_id: str | None,
    status: WebhookStatus | None = None,
    event: str | None = None,
    as_json: bool,
    out: TextIO,
) -> int:
    hooks = await client.list_webhooks(sender_id, status=status, event=event)
    if as_json:
        _emit(out, {"webhooks": [hook.to_json() for hook in hooks]})
    else:
        for hook in hooks:
            _print_hook(out, hook)
    return 0


async def webhooks_show(
    client: Whats91Client, webhook_uid: str, *, sender_id: str | None, as_json: bool, out: TextIO
) -> int:
    return _show(out, await client.get_webhook(webhook_uid, sender_id), as_json=as_json)


async def webhooks_create(
    client: Whats91Client,
    draft: WebhookDraft,
    *,
    profile: Profile,
    secrets: WebhookSecrets,
    sender_id: str | None,
    as_json: bool,
    out: TextIO,
    err: TextIO,
) -> int:
    """Check the draft against the catalog, create, keep the secret (and token); print the rest."""
    check = check_draft(draft, await client.webhook_events(sender_id), creating=True)
    if not check.ok:
        raise ValidationError(check.problems)
    for warning in check.warnings:
        err.write(f"warning: {warning.field}: {warning.message}\n")
    created = await client.create_webhook(draft, sender_id)
    hook = created.webhook
    where = secrets.where(profile)
    await secrets.keep(profile, hook.uid, draft, created.signing_secret)
    if not created.signing_secret:
        err.write("warning: Whats91 returned no signing secret: deliveries cannot be verified\n")
    if as_json:
        _emit(out, {**hook.to_json(), "signingSecretStored": bool(created.signing_secret), "storedIn": where})
    else:
        _print_hook(out, hook)
        if created.signing_secret:
            out.write(f"  signing secret: {where} (shown once by Whats91; reveal it in the window)\n")
    return 0


async def webhooks_update(
    client: Whats91Client,
    webhook_uid: str,
    draft: WebhookDraft,
    *,
    profile: Profile,
    secrets: WebhookSecrets,
    sender_id: str | None,
    as_json: bool,
    out: TextIO,
) -> int:
    """A partial update (``status="INACTIVE"`` is ``deactivate``); a new token is kept here too."""
    catalog = await client.webhook_events(sender_id) if draft.events is not None else None
    check = check_draft(draft, catalog, creating=False)
    if not check.ok:
        raise ValidationError(check.problems)
    hook = await client.update_webhook(webhook_uid, draft, sender_id)
    await secrets.keep(profile, hook.uid, draft)
    return _show(out, hook, as_json=as_json)


# --------------------------------------------------------------------------- trigger and listen


async def signing_secret(
    secret_env: str | None, webhook_uid: str | None, secrets: WebhookSecrets | None
) -> str:
    """The secret named by ``--secret-env VAR`` or stored for ``--webhook UID`` (exactly one)."""
    if (secret_env is None) == (webhook_uid is None):
        raise ConfigError("give exactly one of --secret-env VAR and --webhook UID")
    if secret_env is not None:
        value = os.environ.get(secret_env, "").strip()
        if not value:
            raise ConfigError(
                f"the environment variable {secret_env} is not set (it must hold the signing secret)"
            )
        return value
    assert webhook_uid is not None
    stored = await secrets.get(webhook_uid) if secrets is not None else None
    if not stored:
        raise ConfigError(
            f"no signing secret of {webhook_uid} is stored on this computer (it is kept at create)"
        )
    return stored


async def webhooks_trigger(
    event: str,
    url: str,
    *,
    secret: str,
    bad_signature: bool = False,
    webhook_uid: str | None = None,
    message_id: str | None = None,
    contact: str | None = None,
    as_json: bool,
    out: TextIO,
) -> int:
    """Send one signed sample; the endpoint's answer is printed (its status is not our exit code)."""
    sample = build_sample(
        event,
        secret=secret,
        bad_signature=bad_signature,
        webhook_uid=webhook_uid or "wh_abc",
        message_id=message_id,
        contact=contact,
    )
    sent = await send_sample(url, sample, secrets=(secret,))
    result = sent.result
    if as_json:
        _emit(
            out,
            {
                "event": event,
                "url": url,
                "badSignature": bad_signature,
                "statusCode": result.status_code,
                "latencyMs": round(result.latency_ms, 1),
                "body": result.body,
                "error": result.error,
            },
        )
    else:
        out.write(f"{event} → {url}: {result.summary()}\n")
        if result.body:
            out.write(result.body + "\n")
    return 0


@dataclass(frozen=True)
class ListenOptions:
    port: int
    host: str = "127.0.0.1"
    allow_network: bool = False
    forward_to: str | None = None
    secret: str | None = None
    """Check every delivery against this secret (else: the one stored for its webhookUid)."""
    write_log: bool = True
    profile: str = ""


async def listen(
    hub: WebhookHub, options: ListenOptions, *, out: TextIO, err: TextIO, stop: asyncio.Event
) -> int:
    """Receive until ``stop`` is set (see :func:`stop_on_signals`), one JSON line per delivery."""
    hub.override_secret = options.secret
    hub.apply_to_log = options.write_log
    hub.set_forward(options.forward_to)

    def on_delivery(record: DeliveryRecord) -> None:
        _emit(out, record.to_json())

    def on_forward(record: DeliveryRecord) -> None:
        forward = record.forward
        if forward is not None:
            err.write(f"forwarded {record.event or 'delivery'} to {forward.url}: {forward.summary()}\n")

    unsubscribe = [hub.added.subscribe(on_delivery), hub.changed.subscribe(on_forward)]
    try:
        await hub.start(
            options.host, options.port, allow_network=options.allow_network, profile=options.profile
        )
        err.write(
            f"listening; endpoint URL on this computer: {hub.receiver.local_url()}\n"
            "Whats91 reaches it only through a tunnel or a public address you provide.\n"
        )
        if hub.receiver.exposed:
            err.write("warning: listening on all network interfaces\n")
        err.flush()
        await stop.wait()
    finally:
        for undo in unsubscribe:
            undo()
        await hub.aclose()
    return 0


def stop_on_signals(
    stop: asyncio.Event, signals: Sequence[signal.Signals] = (signal.SIGINT, signal.SIGTERM)
) -> None:
    """Set ``stop`` on SIGINT/SIGTERM, so ``listen`` ends cleanly with 0 (where the loop can)."""
    loop = asyncio.get_running_loop()
    for number in signals:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(number, stop.set)
