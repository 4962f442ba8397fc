"""What the Webhooks v2 management routes answered, as the models of ``core/webhooks.py``.

Read defensively, like ``responses.py``: the get and update shapes are undocumented (taken to
be create's ``data`` object, possibly wrapped as ``data.webhook``), the catalog's ``groups``
too. A destination without a uid is skipped in a list and an error for a single answer, a
``ServerError`` that keeps the raw answer for the user, never a crash.

The create answer carries the signing secret at the top level, beside ``data``. It is read
into :class:`CreatedWebhook` and nowhere else; the raw text of that answer is not kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from whats91_desktop.core.envelope import Envelope, as_text
from whats91_desktop.core.errors import ServerError
from whats91_desktop.core.webhooks import CreatedWebhook, EventCatalog, EventGroup, Webhook


def parse_catalog(envelope: Envelope) -> EventCatalog:
    """``GET /webhooks/events``: ``data.eventKeys``, with the keys of any groups folded in."""
    keys = _strings(envelope.data.get("eventKeys"))
    groups = tuple(g for g in (_group(item) for item in _list(envelope.data.get("groups"))) if g is not None)
    if keys is None and not groups:
        raise _unreadable(envelope, "the event catalog has no eventKeys list")
    ordered = list(keys or ())
    for group in groups:
        ordered.extend(k for k in group.event_keys if k not in ordered)
    return EventCatalog(tuple(ordered), groups, envelope.request_id)


def parse_webhook_list(envelope: Envelope) -> list[Webhook]:
    """``GET /webhooks``: ``data`` is a plain array (``data.items``/``data.webhooks`` accepted)."""
    items: Any = envelope.data_list
    if items is None:
        items = envelope.data.get("items", envelope.data.get("webhooks"))
    if not isinstance(items, list | tuple):
        raise _unreadable(envelope, "the webhooks list has no array of destinations")
    return [hook for hook in (parse_webhook_object(item) for item in items) if hook is not None]


def parse_webhook(envelope: Envelope) -> Webhook:
    """Get and update: the destination as ``data`` (or ``data.webhook``)."""
    hook = parse_webhook_object(envelope.data.get("webhook", envelope.data))
    if hook is None:
        raise _unreadable(envelope, "the answer has no webhook with a webhookUid")
    return hook


def parse_created(envelope: Envelope) -> CreatedWebhook:
    """Create: the destination, and ``signingSecret`` from the top level (or, tolerated, data)."""
    hook = parse_webhook(envelope)
    secret = as_text(envelope.body.get("signingSecret")) or as_text(envelope.data.get("signingSecret"))
    return CreatedWebhook(hook, secret, envelope.request_id)


def parse_webhook_object(obj: Any) -> Webhook | None:
    if not isinstance(obj, Mapping):
        return None
    uid = as_text(obj.get("webhookUid")) or as_text(obj.get("uid"))
    if uid is None:
        return None
    return Webhook(
        uid=uid,
        name=as_text(obj.get("name")) or "",
        endpoint_url=as_text(obj.get("endpointUrl")) or "",
        events=_strings(obj.get("events")) or (),
        status=(as_text(obj.get("status")) or "ACTIVE").upper(),
        timeout_ms=_whole(obj.get("timeoutMs")),
        retry_enabled=obj.get("retryEnabled") if isinstance(obj.get("retryEnabled"), bool) else None,
        retry_max_attempts=_whole(obj.get("retryMaxAttempts")),
        verification_header_key=as_text(obj.get("verificationHeaderKey")),
        has_verification_token=obj.get("hasVerificationToken") is True,
        phone_number=as_text(obj.get("phoneNumber")),
        phone_number_id=as_text(obj.get("phoneNumberId")),
    )


def _group(obj: Any) -> EventGroup | None:
    """A catalog group: a label and its keys under ``eventKeys``/``events`` (strings or ``{key}``)."""
    if not isinstance(obj, Mapping):
        return None
    label = as_text(obj.get("label")) or as_text(obj.get("name")) or as_text(obj.get("key")) or ""
    raw = obj.get("eventKeys", obj.get("events"))
    keys: list[str] = []
    for item in _list(raw):
        key = as_text(item.get("key")) if isinstance(item, Mapping) else as_text(item)
        if key is not None and key not in keys:
            keys.append(key)
    return EventGroup(label, tuple(keys))


def _strings(value: Any) -> tuple[str, ...] | None:
    if not isinstance(value, list):
        return None
    return tuple(dict.fromkeys(text for text in (as_text(v) for v in value) if text is not None))


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _unreadable(envelope: Envelope, what: str) -> ServerError:
    """A 2xx we cannot use. The raw answer is kept for the user, except for a create: its body
    holds the signing secret, which must not travel on in an error."""
    raw = None if "signingSecret" in envelope.body else envelope.raw_text
    return ServerError(
        what, http_status=envelope.http_status, request_id=envelope.request_id, raw_response=raw
    )
