"""Webhooks v2 destinations as plain data: what the management routes answer and are sent.

A destination is an event endpoint Whats91 POSTs to (reference §4.1). Its signing secret is
returned once, by the create call, and lives only in :class:`CreatedWebhook` until the caller
has put it in the keychain: it is never a field of :class:`Webhook`, so a list, a table row or
an export of destinations cannot carry it. The verification token is never returned at all
(``has_verification_token`` says whether one is set).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

WebhookStatus: TypeAlias = Literal["ACTIVE", "INACTIVE"]
WEBHOOK_STATUSES: tuple[WebhookStatus, ...] = ("ACTIVE", "INACTIVE")
SIGNATURE_HEADER = "X-Whats91-Signature"
"""Lowercase hex HMAC-SHA256 of the raw body, keyed with the signing secret (§4.3)."""


@dataclass(frozen=True)
class EventGroup:
    """One group of the catalog. Its shape is undocumented: a label and the keys it lists."""

    label: str
    event_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class EventCatalog:
    """``GET /webhooks/events``: the keys a destination may subscribe to (never hard-coded)."""

    event_keys: tuple[str, ...]
    groups: tuple[EventGroup, ...] = ()
    request_id: str | None = None

    def __contains__(self, key: object) -> bool:
        return key in self.event_keys


@dataclass(frozen=True)
class Webhook:
    """One destination as list, get, create and update return it (never with a secret)."""

    uid: str
    name: str
    endpoint_url: str
    events: tuple[str, ...]
    status: str = "ACTIVE"
    timeout_ms: int | None = None
    retry_enabled: bool | None = None
    retry_max_attempts: int | None = None
    verification_header_key: str | None = None
    has_verification_token: bool = False
    phone_number: str | None = None
    phone_number_id: str | None = None

    @property
    def active(self) -> bool:
        return self.status.upper() == "ACTIVE"

    def to_json(self) -> dict[str, Any]:
        """The CLI's ``--json`` object for a destination (the API's own field names)."""
        return {
            "webhookUid": self.uid,
            "name": self.name,
            "endpointUrl": self.endpoint_url,
            "events": list(self.events),
            "status": self.status,
            "timeoutMs": self.timeout_ms,
            "retryEnabled": self.retry_enabled,
            "retryMaxAttempts": self.retry_max_attempts,
            "verificationHeaderKey": self.verification_header_key,
            "hasVerificationToken": self.has_verification_token,
            "phoneNumber": self.phone_number,
            "phoneNumberId": self.phone_number_id,
        }


@dataclass(frozen=True)
class CreatedWebhook:
    """What create answered: the destination and its signing secret, shown this once.

    ``repr`` leaves the secret out, so a log line or a traceback that shows this object
    cannot leak it.
    """

    webhook: Webhook
    signing_secret: str | None = field(repr=False)
    request_id: str | None = None


@dataclass(frozen=True)
class WebhookDraft:
    """The fields to create a destination with, or to change on one (None: leave as is).

    ``verification_token`` is the shared token Whats91 sends in ``verification_header_key``;
    ``clear_verification_token`` removes it (update only). Neither the token nor the draft is
    ever stored: the token goes to the keychain beside the signing secret.
    """

    name: str | None = None
    endpoint_url: str | None = None
    events: tuple[str, ...] | None = None
    status: WebhookStatus | None = None
    timeout_ms: int | None = None
    retry_enabled: bool | None = None
    retry_max_attempts: int | None = None
    verification_header_key: str | None = None
    verification_token: str | None = field(default=None, repr=False)
    clear_verification_token: bool = False

    def is_empty(self) -> bool:
        """True when an update would change nothing (the API wants at least one field)."""
        return self.body() == {}

    def body(self) -> dict[str, Any]:
        """The ``webhook`` object of a create or update request: only the fields given."""
        fields: dict[str, Any] = {
            "name": self.name,
            "endpointUrl": self.endpoint_url,
            "events": list(self.events) if self.events is not None else None,
            "status": self.status,
            "timeoutMs": self.timeout_ms,
            "retryEnabled": self.retry_enabled,
            "retryMaxAttempts": self.retry_max_attempts,
            "verificationHeaderKey": self.verification_header_key,
            "verificationToken": self.verification_token,
        }
        body = {key: value for key, value in fields.items() if value is not None}
        if self.clear_verification_token:
            body["clearVerificationToken"] = True
        return body
