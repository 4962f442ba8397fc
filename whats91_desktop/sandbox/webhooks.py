"""The sandbox's Webhooks v2: destinations, their validation, and the deliveries they are owed.

Management follows §4.1: create returns ``signingSecret`` once, list/get/update never return
it nor the verification token, there is no delete (``status: INACTIVE``), an event outside the
catalog is ``VALIDATION_FAILED`` ("Unsupported webhook event: …"). Plain http is accepted for
this computer only (the "local development URLs … where validation allows" of the reference);
anything else must be https, and the sandbox only ever *delivers* to this computer.

Deliveries: when a message is accepted, each active destination of its sender that subscribes
to ``message.status.<step>`` is owed one signed delivery per step of the message's simulated
timeline, due at the step's time on the injectable clock; the ``replies`` scenario adds an
inbound reply, the ``bad_signature`` scenario signs its ``delivered`` event with a wrong
secret. :meth:`SandboxWebhooks.deliver_due` sends what is due now (tests await it); on a
running loop a dispatcher task does the same a few times a second while anything is pending,
reading the clock each time, so a fake clock advanced by a test is honoured.

Retries (undocumented upstream, the sandbox's choice): a failed attempt (connection error,
timeout, non-2xx) is tried again after 5 s, 10 s, 20 s… when ``retryEnabled``, up to
``retryMaxAttempts`` attempts in all.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from whats91_desktop.core.urls import is_loopback_host
from whats91_desktop.sandbox.constants import REPLIES_RECIPIENT, WEBHOOK_EVENT_GROUPS, Scenario, scenario_for
from whats91_desktop.sandbox.fields import Fail, invalid
from whats91_desktop.sandbox.webhook_payloads import inbound_text_payload, status_payload, template_payload

if TYPE_CHECKING:
    from whats91_desktop.sandbox.state import SandboxMessage, SandboxSender, SandboxState

EVENT_KEYS: tuple[str, ...] = tuple(key for _, _, keys in WEBHOOK_EVENT_GROUPS for key in keys)
REPLY_AFTER_READ = 5.0
REPLY_TEXT = "Thanks, got it!"
RETRY_BASE_SECONDS = 5.0
DISPATCH_TICK = 0.05
"""Real seconds between two looks at the (possibly fake) clock while deliveries are pending."""
DEFAULT_TIMEOUT_MS = 5000
MAX_ATTEMPTS_KEPT = 1000
_HEADER_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$")


@dataclass
class SandboxWebhook:
    uid: str
    sender_id: str
    phone_number_id: str
    name: str
    endpoint_url: str
    events: list[str]
    signing_secret: str = field(repr=False)
    status: str = "ACTIVE"
    timeout_ms: int = DEFAULT_TIMEOUT_MS
    retry_enabled: bool = True
    retry_max_attempts: int = 3
    verification_header_key: str | None = None
    verification_token: str | None = field(default=None, repr=False)

    def to_json(self) -> dict[str, Any]:
        """What create, list, get and update show: never the secret, never the token."""
        return {
            "webhookUid": self.uid,
            "uid": self.uid,
            "name": self.name,
            "endpointUrl": self.endpoint_url,
            "phoneNumber": self.sender_id,
            "phoneNumberId": self.phone_number_id,
            "events": list(self.events),
            "status": self.status,
            "timeoutMs": self.timeout_ms,
            "retryEnabled": self.retry_enabled,
            "retryMaxAttempts": self.retry_max_attempts,
            "verificationHeaderKey": self.verification_header_key,
            "hasVerificationToken": bool(self.verification_token),
        }


@dataclass(frozen=True)
class PendingDelivery:
    due: float
    webhook_uid: str
    event: str
    payload: dict[str, Any]
    attempt: int = 1
    bad_signature: bool = False


@dataclass(frozen=True)
class DeliveryAttempt:
    """One POST the sandbox made (or refused to make) to a destination."""

    webhook_uid: str
    event: str
    url: str
    at: float
    attempt: int
    body: bytes
    status_code: int | None = None
    error: str | None = None
    bad_signature: bool = False

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class SandboxWebhooks:
    """The destinations of one sandbox state and the deliveries they are owed."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state
        self.hooks: list[SandboxWebhook] = []
        self.pending: list[PendingDelivery] = []
        self.attempts: list[DeliveryAttempt] = []
        self._dispatcher: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self.auto_dispatch = True
        """False: deliveries wait for :meth:`deliver_due` (tests that drive each step)."""

    # ------------------------------------------------------------------ management

    def catalog_json(self) -> dict[str, Any]:
        groups = [
            {"key": key, "label": label, "eventKeys": list(keys)} for key, label, keys in WEBHOOK_EVENT_GROUPS
        ]
        return {"groups": groups, "eventKeys": list(EVENT_KEYS)}

    def create(self, sender: SandboxSender, fields: Mapping[str, Any]) -> SandboxWebhook:
        spec = _webhook_object(fields)
        for required in ("name", "endpointUrl", "events"):
            if spec.get(required) in (None, "", []):
                raise invalid(f"webhook.{required} is required", field=f"webhook.{required}")
        if spec.get("clearVerificationToken"):
            raise invalid(
                "clearVerificationToken is only for updates", field="webhook.clearVerificationToken"
            )
        hook = SandboxWebhook(
            uid="wh_" + self.state.new_uuid().replace("-", "")[:16],
            sender_id=sender.sender_id,
            phone_number_id=sender.phone_number_id,
            name="",
            endpoint_url="",
            events=[],
            signing_secret="whsec_" + self.state.new_uuid().replace("-", ""),
        )
        _apply(hook, spec)
        self.hooks.append(hook)
        return hook

    def update(self, sender: SandboxSender, uid: str, fields: Mapping[str, Any]) -> SandboxWebhook:
        hook = self.get(sender, uid)
        spec = _webhook_object(fields)
        if not spec:
            raise invalid("Provide at least one webhook field to update", field="webhook")
        _apply(hook, spec)
        return hook

    def get(self, sender: SandboxSender, uid: str) -> SandboxWebhook:
        hook = next((h for h in self.hooks if h.uid == uid and h.sender_id == sender.sender_id), None)
        if hook is None:
            raise Fail(404, "WEBHOOK_NOT_FOUND", "Webhook not found", {"webhookUid": uid})
        return hook

    def listed(self, sender: SandboxSender, query: Mapping[str, str]) -> list[SandboxWebhook]:
        status = query.get("status", "").strip().upper()
        event = query.get("event", "").strip()
        if status and status not in ("ACTIVE", "INACTIVE"):
            raise invalid("status must be ACTIVE or INACTIVE", field="status")
        return [
            h
            for h in self.hooks
            if h.sender_id == sender.sender_id
            and (not status or h.status == status)
            and (not event or event in h.events)
        ]

    # ------------------------------------------------------------------ what is owed

    def message_added(self, message: SandboxMessage) -> None:
        """Schedule the status deliveries of a new message (and the reply of its scenario)."""
        scenario = scenario_for(message.receiver)
        steps = message.timeline()
        for step in steps:
            event = f"message.status.{step.status}"
            error = (step.error_code, step.error_message or "") if step.error_code else None
            for hook in self._subscribed(message.sender_id, event):
                payload = status_payload(
                    step.status,
                    webhook_uid=hook.uid,
                    sender_id=message.sender_id,
                    message_id=message.wamid,
                    recipient=message.receiver,
                    timestamp=_iso(step.at),
                    error=error,
                )
                bad = scenario is Scenario.BAD_SIGNATURE and step.status == "delivered"
                self._owe(PendingDelivery(step.at, hook.uid, event, payload, bad_signature=bad))
        if message.receiver == REPLIES_RECIPIENT:
            at = steps[-1].at + REPLY_AFTER_READ
            for hook in self._subscribed(message.sender_id, "message.inbound.text"):
                payload = inbound_text_payload(
                    webhook_uid=hook.uid,
                    sender_id=message.sender_id,
                    contact=message.receiver,
                    message_id=self.state.new_wamid(),
                    text=REPLY_TEXT,
                    timestamp=_iso(at),
                )
                self._owe(PendingDelivery(at, hook.uid, "message.inbound.text", payload))

    def template_reviewed(self, sender_id: str, name: str, status: str) -> None:
        """A template's review finished (tests and demos call this): owed at once."""
        for hook in self._subscribed(sender_id, "template.status_update"):
            payload = template_payload(webhook_uid=hook.uid, sender_id=sender_id, name=name, status=status)
            self._owe(PendingDelivery(self.state.now(), hook.uid, "template.status_update", payload))

    def _subscribed(self, sender_id: str, event: str) -> list[SandboxWebhook]:
        return [
            h for h in self.hooks if h.sender_id == sender_id and h.status == "ACTIVE" and event in h.events
        ]

    def _owe(self, delivery: PendingDelivery) -> None:
        self.pending.append(delivery)
        self.pending.sort(key=lambda d: d.due)
        self._wake.set()
        self.ensure_dispatching()

    # ------------------------------------------------------------------ delivering

    async def deliver_due(self) -> list[DeliveryAttempt]:
        """Send every delivery due by the clock now, in order; returns the attempts made."""
        from whats91_desktop.sandbox.webhook_dispatch import deliver

        now = self.state.now()
        made: list[DeliveryAttempt] = []
        while self.pending and self.pending[0].due <= now:
            delivery = self.pending.pop(0)
            hook = next((h for h in self.hooks if h.uid == delivery.webhook_uid), None)
            if hook is None or hook.status != "ACTIVE":
                continue  # deactivated meanwhile: Whats91 would not deliver either
            try:
                attempt = await deliver(hook, delivery, self.state.now())
            except asyncio.CancelledError:
                self.pending.insert(0, delivery)  # still owed: the next dispatcher sends it
                raise
            made.append(attempt)
            self.attempts.append(attempt)
            if not attempt.ok and attempt.error != LOOPBACK_ONLY and _may_retry(hook, delivery):
                again = PendingDelivery(
                    self.state.now() + RETRY_BASE_SECONDS * 2 ** (delivery.attempt - 1),
                    delivery.webhook_uid,
                    delivery.event,
                    delivery.payload,
                    delivery.attempt + 1,
                    delivery.bad_signature,
                )
                self._owe(again)
        del self.attempts[:-MAX_ATTEMPTS_KEPT]
        return made

    def ensure_dispatching(self) -> None:
        """Start the dispatcher task on the running loop, if there is one and it is not running."""
        if not self.auto_dispatch or not self.pending:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        task = self._dispatcher
        if task is not None and not task.done() and task.get_loop() is loop:
            return
        self._wake = asyncio.Event()
        self._dispatcher = loop.create_task(self._dispatch(), name="whats91-sandbox-webhooks")

    async def _dispatch(self) -> None:
        while self.pending:
            await self.deliver_due()
            if self.pending:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), DISPATCH_TICK)

    async def aclose(self) -> None:
        """Stop the dispatcher (the app is closing); what is still pending is dropped."""
        task, self._dispatcher = self._dispatcher, None
        self.pending.clear()
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


LOOPBACK_ONLY = "not delivered: the sandbox delivers only to this computer (loopback addresses)"


def _may_retry(hook: SandboxWebhook, delivery: PendingDelivery) -> bool:
    return hook.retry_enabled and delivery.attempt < max(1, hook.retry_max_attempts)


def _iso(timestamp: float) -> str:
    from whats91_desktop.sandbox.state import iso

    return iso(timestamp)


def _webhook_object(fields: Mapping[str, Any]) -> dict[str, Any]:
    spec = fields.get("webhook")
    if not isinstance(spec, dict):
        raise invalid("The webhook object is required", field="webhook")
    return spec


def _apply(hook: SandboxWebhook, spec: Mapping[str, Any]) -> None:
    """Check every given field first, then change the destination (all or nothing)."""
    changes: dict[str, Any] = {}
    if "name" in spec:
        changes["name"] = _text(spec["name"], "name")
    if "endpointUrl" in spec:
        changes["endpoint_url"] = _endpoint(spec["endpointUrl"])
    if "events" in spec:
        changes["events"] = _events(spec["events"])
    if "status" in spec:
        status = spec["status"]
        if status not in ("ACTIVE", "INACTIVE"):
            raise invalid("webhook.status must be ACTIVE or INACTIVE", field="webhook.status")
        changes["status"] = status
    if "timeoutMs" in spec:
        changes["timeout_ms"] = _whole(spec["timeoutMs"], "timeoutMs", 1, 60_000)
    if "retryEnabled" in spec:
        if not isinstance(spec["retryEnabled"], bool):
            raise invalid("webhook.retryEnabled must be true or false", field="webhook.retryEnabled")
        changes["retry_enabled"] = spec["retryEnabled"]
    if "retryMaxAttempts" in spec:
        changes["retry_max_attempts"] = _whole(spec["retryMaxAttempts"], "retryMaxAttempts", 0, 10)
    if "verificationHeaderKey" in spec:
        header = _text(spec["verificationHeaderKey"], "verificationHeaderKey")
        if not _HEADER_NAME.match(header):
            raise invalid(
                "webhook.verificationHeaderKey is not a valid header name",
                field="webhook.verificationHeaderKey",
            )
        changes["verification_header_key"] = header
    if "verificationToken" in spec:
        changes["verification_token"] = _text(spec["verificationToken"], "verificationToken")
    if spec.get("clearVerificationToken") is True:
        changes["verification_token"] = None
    for name, value in changes.items():
        setattr(hook, name, value)


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise invalid(f"webhook.{name} must be a non-empty string", field=f"webhook.{name}")
    return value.strip()


def _whole(value: Any, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise invalid(f"webhook.{name} must be a whole number from {low} to {high}", field=f"webhook.{name}")
    return value


def _endpoint(value: Any) -> str:
    text = value.strip() if isinstance(value, str) else ""
    try:
        parts = urlsplit(text)
        scheme, host, port, netloc = parts.scheme, parts.hostname or "", parts.port, parts.netloc
    except ValueError:  # a bad IPv6 literal, a port out of range
        scheme, host, port, netloc = "", "", None, ""
    if scheme not in ("http", "https") or not host or port == 0 or "@" in netloc:
        raise Fail(400, "WEBHOOK_ENDPOINT_INVALID", "Webhook endpoint URL is invalid", {"endpointUrl": text})
    if scheme == "http" and not is_loopback_host(host):
        raise Fail(
            400,
            "WEBHOOK_ENDPOINT_REQUIRES_HTTPS",
            "Webhook endpoint URL must use HTTPS",
            {"endpointUrl": text},
        )
    return text


def _events(value: Any) -> list[str]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise invalid("webhook.events must be a non-empty array of event keys", field="webhook.events")
    for key in value:
        if key not in EVENT_KEYS:
            raise Fail(400, "VALIDATION_FAILED", f"Unsupported webhook event: {key}", {})
    return list(dict.fromkeys(value))
