"""The local end of Webhooks v2: every delivery checked, shown, counted, and (if trusted) applied.

A delivery is *trusted* when its ``X-Whats91-Signature`` matches the destination's signing
secret, or, where no secret is known, when its custom verification header carries the
destination's token; a configured header with a wrong token is never trusted. Only trusted
deliveries change the message log: statuses join the row's timeline (``core.store.webhook_log``
keeps them in order and applies each delivery once), inbound messages are stored per contact,
template reviews are announced on :attr:`WebhookHub.template_updates`. Everything else is shown
with the reason and counted, never applied, never fatal.

The secret for a delivery is found by its ``webhookUid`` in the keychain (``secrets``), or is
the one the caller fixed (``override_secret``: the CLI's ``--secret-env``).

Forwarding relays each delivery, byte for byte, to the integrator's own endpoint in the
background: its answer is shown beside the delivery and never changes what Whats91 got.
"""

from __future__ import annotations

import asyncio
import collections
import hashlib
import json
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Literal

from whats91_desktop.core.errors import ConfigError
from whats91_desktop.core.store import AsyncMessageStore, StoreError
from whats91_desktop.core.store.webhook_log import InboundMessage, StatusApplied, WebhookStatusUpdate
from whats91_desktop.core.webhook_deliveries import Delivery, iso_time, parse_delivery
from whats91_desktop.core.webhook_signing import signature_valid, token_valid
from whats91_desktop.core.webhook_validation import target_problem
from whats91_desktop.core.webhooks import SIGNATURE_HEADER, Webhook
from whats91_desktop.services.topic import Topic
from whats91_desktop.services.webhooks.receiver import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    RawDelivery,
    WebhookReceiver,
)
from whats91_desktop.services.webhooks.records import Counters, DeliveryRecord, ForwardResult
from whats91_desktop.services.webhooks.relay import post_bytes
from whats91_desktop.services.webhooks.secrets import WebhookSecrets

MAX_RECORDS = 2000
MAX_PARALLEL_FORWARDS = 4
CHECKS_PER_TURN = 10


class WebhookHub:
    def __init__(
        self,
        *,
        secrets: WebhookSecrets | None,
        store: AsyncMessageStore | None,
        row_changes: Topic[int] | None = None,
        clock: Callable[[], float] = time.time,
        max_records: int = MAX_RECORDS,
    ) -> None:
        self.secrets = secrets
        """Where signing secrets and verification tokens are found by webhook uid (None: nowhere)."""
        self._store = store
        self._row_changes = row_changes
        self._clock = clock
        self.receiver = WebhookReceiver(self._on_burst, clock=clock)
        self.records: collections.deque[DeliveryRecord] = collections.deque(maxlen=max_records)
        self.counters = Counters()
        self.added: Topic[DeliveryRecord] = Topic()
        """A delivery was received (or replayed) and examined."""
        self.changed: Topic[DeliveryRecord] = Topic()
        """A shown delivery changed (its forward finished)."""
        self.template_updates: Topic[Delivery] = Topic()
        self.profile_name = ""
        self.forward_url: str | None = None
        self.apply_to_log = True
        self.override_secret: str | None = None
        self._destinations: dict[str, Webhook] = {}
        self._next_id = 1
        self._forwards: set[asyncio.Task[ForwardResult]] = set()
        self._forward_slots = asyncio.Semaphore(MAX_PARALLEL_FORWARDS)

    # ------------------------------------------------------------------ set-up

    async def start(
        self,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        *,
        allow_network: bool = False,
        profile: str = "",
    ) -> None:
        """Listen for deliveries (``ConfigError`` when the address cannot be used)."""
        self.profile_name = profile
        self.counters = Counters()
        await self.receiver.start(host, port, allow_network=allow_network)

    async def stop(self) -> None:
        await self.receiver.stop()

    async def aclose(self) -> None:
        """Stop listening and drop the forwards still running (the app is closing)."""
        await self.receiver.stop()
        for task in list(self._forwards):
            task.cancel()
        await asyncio.gather(*self._forwards, return_exceptions=True)

    def know_destinations(self, hooks: Iterable[Webhook]) -> None:
        """Destinations as the API lists them: which custom header carries each one's token."""
        for hook in hooks:
            self._destinations[hook.uid] = hook

    def set_forward(self, url: str | None) -> None:
        """Relay every delivery to ``url`` from now on (None: stop); ``ConfigError`` for a URL
        deliveries may not go to."""
        if url:
            problem = target_problem(url)
            if problem:
                raise ConfigError(f"cannot forward to {url}: {problem}")
        self.forward_url = url or None

    # ------------------------------------------------------------------ deliveries

    async def _on_burst(self, raws: Sequence[RawDelivery]) -> None:
        """What the receiver queued since the last burst: checked one by one, applied together.

        Checking is CPU work on the loop (JSON, HMAC): every few deliveries the loop is let go,
        so the requests arriving meanwhile get their 200 without waiting for the whole burst."""
        records: list[DeliveryRecord] = []
        for index, raw in enumerate(raws):
            if index and index % CHECKS_PER_TURN == 0:
                await asyncio.sleep(0)
            records.append(await self._checked(raw))
        await self._apply_all(records)
        for raw, record in zip(raws, records, strict=True):
            self._add(record)
            if self.forward_url and raw.refused is None:
                self._spawn_forward(record, self.forward_url)

    def _add(self, record: DeliveryRecord) -> None:
        self.records.append(record)
        self.added.publish(record)

    async def examine(
        self, raw: RawDelivery, *, source: Literal["received", "replay"] = "received"
    ) -> DeliveryRecord:
        """Check a delivery, apply it when trusted, and count it; returns what the list shows."""
        record = await self._checked(raw, source)
        await self._apply_all([record])
        return record

    async def _checked(
        self, raw: RawDelivery, source: Literal["received", "replay"] = "received"
    ) -> DeliveryRecord:
        """The delivery verified and counted, not applied yet."""
        record = DeliveryRecord(
            id=self._next_id,
            received_at=raw.received_at,
            method=raw.method,
            path=raw.path,
            headers=raw.headers,
            body=raw.body,
            size=raw.size,
            delivery=parse_delivery(raw.body) if raw.refused is None else Delivery("invalid"),
            source=source,
        )
        self._next_id += 1
        self.counters.received += 1
        if raw.refused is not None:
            record.problem = raw.refused
            if raw.size > 0 and "413" in raw.refused:
                self.counters.too_large += 1
            else:
                self.counters.dropped += 1
            record.outcome = "refused: not processed"
            return record
        await self._verify(record)
        if record.trusted:
            self.counters.trusted += 1
        else:
            record.outcome = "not applied: not trusted"
        return record

    async def _apply_all(self, records: Sequence[DeliveryRecord]) -> None:
        """Apply the trusted ones: every status in one store transaction, the rest one by one.
        A log that cannot be written is each delivery's outcome; the deliveries are still shown."""
        statuses: list[tuple[DeliveryRecord, WebhookStatusUpdate]] = []
        for record in records:
            if not record.trusted:
                continue
            update = self._status_update(record)
            if update is not None:
                statuses.append((record, update))
                continue
            try:
                await self._apply(record)
            except StoreError as err:
                record.outcome = f"not written to the message log: {err}"
        if not statuses or self._store is None:
            return
        try:
            applied, adopted = await self._store.apply_webhook_statuses([u for _r, u in statuses])
        except StoreError as err:
            for record, _update in statuses:
                record.outcome = f"not written to the message log: {err}"
            return
        for (record, _update), result in zip(statuses, applied, strict=True):
            self._status_outcome(record, result)
        for row_id in adopted:
            self._row_changed(row_id)

    async def _verify(self, record: DeliveryRecord) -> None:
        delivery = record.delivery
        uid = delivery.webhook_uid
        secret = self.override_secret
        if secret is None and uid and self.secrets is not None:
            secret = await self.secrets.get(uid, "signing")
        token = await self.secrets.get(uid, "verification") if uid and self.secrets is not None else None
        destination = self._destinations.get(uid or "")
        header_key = destination.verification_header_key if destination else None
        record.verification_header = header_key
        record.secrets = tuple(
            s for s in (secret, token, *(self.secrets.known() if self.secrets else ())) if s
        )
        given = record.header(SIGNATURE_HEADER)
        if secret is not None:
            record.signature_valid = signature_valid(record.body, secret, given)
        if header_key and token:
            record.verification_token_valid = token_valid(token, record.header(header_key))
        problems: list[str] = []
        if delivery.kind == "invalid":
            self.counters.not_json += 1
            problems.append(delivery.problem or "unreadable body")
        elif delivery.kind == "unknown":
            self.counters.unknown_event += 1
            problems.append(delivery.problem or "unknown event")
        if record.signature_valid is False:
            if given is None:
                self.counters.missing_signature += 1
                problems.append(f"no {SIGNATURE_HEADER} header")
            else:
                self.counters.bad_signature += 1
                problems.append(
                    "the signature does not match the signing secret (a changed body or another secret)"
                )
        elif record.signature_valid is None and record.verification_token_valid is not True:
            problems.append(
                f"no signing secret known for {uid or 'this delivery (it names no webhookUid)'}:"
                " the signature was not checked"
            )
        if record.verification_token_valid is False:
            self.counters.bad_token += 1
            problems.append(f"the {header_key} header does not carry the verification token")
        authentic = record.signature_valid is True or (
            record.signature_valid is None and record.verification_token_valid is True
        )
        record.trusted = (
            authentic and record.verification_token_valid is not False and delivery.kind != "invalid"
        )
        if delivery.kind != "unknown" and not problems and delivery.problem:
            problems.append(delivery.problem)
        record.problem = "; ".join(problems) or None

    async def _apply(self, record: DeliveryRecord) -> None:
        delivery = record.delivery
        if delivery.kind == "template":
            record.outcome = f"template {delivery.template_name or '?'} is now {delivery.status or '?'}"
            if self._store is None or await self._store.note_delivery(
                _digest(record.body), delivery.event or ""
            ):
                self.template_updates.publish(delivery)
            else:
                self._duplicate(record)
            return
        if delivery.kind == "unknown" or delivery.problem:
            record.outcome = "nothing to apply"
            return
        store = self._store
        if not self.apply_to_log or store is None:
            record.outcome = "not written to the message log (logging is off)"
            return
        if delivery.kind == "inbound":
            await self._apply_inbound(store, record, delivery)

    def _status_update(self, record: DeliveryRecord) -> WebhookStatusUpdate | None:
        """What a trusted status delivery writes to the log; None for anything else, or when
        nothing is written (logging off, a problem in the delivery): ``_apply`` says why."""
        delivery = record.delivery
        message_id, status = delivery.message_id, delivery.status
        if delivery.kind != "status" or delivery.problem or not message_id or not status:
            return None
        if not self.apply_to_log or self._store is None:
            return None
        return WebhookStatusUpdate(
            digest=_digest(record.body),
            message_id=message_id,
            status=status,
            occurred_at=delivery.timestamp or iso_time(record.received_at),
            profile=self.profile_name,
            recipient=delivery.contact,
            error_code=delivery.error_code,
            error_message=delivery.error_message,
            webhook_uid=delivery.webhook_uid,
        )

    def _status_outcome(self, record: DeliveryRecord, applied: StatusApplied) -> None:
        if applied.duplicate:
            self._duplicate(record)
        elif applied.row_id is None:
            record.outcome = "kept: no message with this id in the log (yet)"
        else:
            record.outcome = f"timeline of log row {applied.row_id} " + (
                "updated" if applied.changed else "unchanged"
            )
            if applied.changed:
                self._row_changed(applied.row_id)

    async def _apply_inbound(
        self, store: AsyncMessageStore, record: DeliveryRecord, delivery: Delivery
    ) -> None:
        contact = "".join(ch for ch in delivery.contact or "" if ch.isdigit())
        message = InboundMessage(
            digest=_digest(record.body),
            contact=contact,
            kind=delivery.inbound_type or "text",
            text=delivery.text,
            message_id=delivery.message_id,
            occurred_at=delivery.timestamp or iso_time(record.received_at),
            payload_json=json.dumps(dict(delivery.data), ensure_ascii=False),
            profile=self.profile_name,
            sender_id=delivery.sender_id,
            webhook_uid=delivery.webhook_uid,
        )
        kept = await store.record_inbound(message)
        if kept is None:
            self._duplicate(record)
        else:
            record.outcome = f"inbound message from {contact} stored; its 24-hour window is open"

    def _duplicate(self, record: DeliveryRecord) -> None:
        self.counters.duplicates += 1
        record.outcome = "duplicate: applied before, nothing new"

    def _row_changed(self, row_id: int) -> None:
        if self._row_changes is not None:
            self._row_changes.publish(row_id)

    # ------------------------------------------------------------------ forward and replay

    def _spawn_forward(self, record: DeliveryRecord, url: str) -> None:
        task = asyncio.ensure_future(self._forward(record, url))
        self._forwards.add(task)
        task.add_done_callback(self._forwards.discard)

    async def _forward(self, record: DeliveryRecord, url: str) -> ForwardResult:
        async with self._forward_slots:
            result = await post_bytes(url, record.body, record.headers, secrets=record.secrets)
        record.forward = result
        if not result.ok:
            self.counters.forward_failed += 1
        self.changed.publish(record)
        return result

    async def replay_to_store(self, record: DeliveryRecord) -> DeliveryRecord:
        """Examine a shown delivery's exact bytes again, as a new entry (a duplicate changes nothing)."""
        raw = RawDelivery(self._clock(), record.method, record.path, record.headers, record.body, record.size)
        again = await self.examine(raw, source="replay")
        self._add(again)
        return again

    async def replay_to_forward(self, record: DeliveryRecord, url: str | None = None) -> ForwardResult:
        """Relay a shown delivery's exact bytes to ``url`` (default: the forward URL)."""
        target = url or self.forward_url
        if not target:
            raise ConfigError("no forward URL is set")
        problem = target_problem(target)
        if problem:
            raise ConfigError(f"cannot replay to {target}: {problem}")
        return await self._forward(record, target)

    def find(self, record_id: int) -> DeliveryRecord | None:
        return next((r for r in self.records if r.id == record_id), None)


def _digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()
