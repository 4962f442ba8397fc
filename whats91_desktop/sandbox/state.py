"""Everything the sandbox remembers: tokens, senders, templates, wallet, messages, requests.

Time comes from an injectable ``clock`` and waits go through an injectable ``sleep``, so tests
drive status progressions and the slow scenario without real waiting. Status histories are not
stored: they are computed from a message's acceptance time and the clock on every read.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import string
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from whats91_desktop.sandbox.constants import (
    RATE_PER_MESSAGE,
    SANDBOX_EXPIRED_TOKEN,
    SANDBOX_NO_WEBHOOKS_TOKEN,
    SANDBOX_SCOPED_TOKEN,
    SANDBOX_SENDERS,
    SANDBOX_TOKEN,
    SANDBOX_WABA_ID,
    WALLET_CURRENCY,
    WALLET_START_BALANCE,
    Scenario,
)
from whats91_desktop.sandbox.templates import TemplateDict, all_templates

if TYPE_CHECKING:
    from whats91_desktop.sandbox.contact_books import SandboxContactBooks
    from whats91_desktop.sandbox.conversations import SandboxConversations
    from whats91_desktop.sandbox.webhooks import SandboxWebhooks

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[object]]

REDACTED = "[REDACTED]"

# Offsets (seconds after acceptance) of the status steps.
SENT_AFTER = 1.0
DELIVERED_AFTER = 2.0
READ_AFTER = 4.0
FAILED_AFTER = 3.0
RECONNECT_AFTER = 5.0
"""A queued message leaves the queue (and gets its wamid) this long after it was queued."""

SEND_ROUTES = frozenset({"chat", "send", "messages", "phone_messages"})

_META_FAILURES: dict[Scenario, tuple[str, str, str]] = {
    Scenario.FAILED_UNDELIVERABLE: (
        "131026",
        "Message undeliverable",
        "Message failed to send because the recipient could not be reached.",
    ),
    Scenario.FAILED_REENGAGEMENT: (
        "131047",
        "Re-engagement message",
        "More than 24 hours have passed since the recipient last replied to the sender number.",
    ),
}


def iso(timestamp: float) -> str:
    """``2026-06-05T08:00:00.000Z`` (UTC, milliseconds), the documented timestamp format."""
    moment = dt.datetime.fromtimestamp(timestamp, tz=dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def digits(value: object) -> str:
    """Phone-number digits only (``+91 88888-88888`` -> ``918888888888``); '' for non-strings."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return ""
    return "".join(ch for ch in value if ch.isdigit())


@dataclass(frozen=True)
class SandboxSender:
    sender_id: str
    phone_number_id: str
    waba_id: str = SANDBOX_WABA_ID


@dataclass(frozen=True)
class SandboxToken:
    """``scope`` is ``global`` or ``specific_number``; a number-scoped token has ``sender_id``."""

    value: str
    scope: Literal["global", "specific_number"] = "global"
    sender_id: str | None = None
    expired: bool = False
    webhooks: bool = True
    """The customer's plan includes Webhooks v2 (else: 403 FEATURE_NOT_AVAILABLE)."""


@dataclass(frozen=True)
class UploadedFile:
    """A multipart file part. Only its fingerprint is kept, not the bytes."""

    field_name: str
    filename: str
    content_type: str | None
    size: int
    sha256: str


@dataclass
class RecordedRequest:
    """One request as the sandbox received it; every secret is replaced by ``[REDACTED]``."""

    method: str
    path: str
    query: dict[str, str]
    content_type: str | None
    fields: dict[str, Any]
    headers: dict[str, str]
    time: float
    request_id: str
    files: list[UploadedFile] = field(default_factory=list)
    route: str | None = None
    """``chat``, ``send``, ``messages``, ``phone_messages``, ``templates``, ``template``, ``status``,
    ``reports``, ``history``, ``wallet``; None for an unknown route."""
    recipient: str | None = None
    """Digits of the ``to`` field (any alias) on send routes."""
    is_send: bool = False
    """True for every request to a send route except a Meta read receipt, whatever its outcome."""
    auth_source: Literal["header", "body", "query"] | None = None
    status_code: int | None = None
    """The HTTP status answered; None while pending, for a dropped connection, and when the
    client gave up first (a read timeout on the slow scenario)."""
    error_code: str | None = None


@dataclass(frozen=True)
class StatusStep:
    status: str
    at: float
    error_code: str | None = None
    error_message: str | None = None
    error_details: str | None = None


@dataclass
class SandboxMessage:
    """A message the sandbox accepted (or queued). Its status history follows from the clock."""

    report_uid: str
    wamid: str
    sender_id: str
    phone_number_id: str
    receiver: str
    message_type: str
    created_at: float
    scenario: Scenario
    route: str
    request_id: str
    template_name: str | None = None
    queue_uid: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)

    @property
    def queued(self) -> bool:
        return self.queue_uid is not None

    def timeline(self) -> list[StatusStep]:
        """Every planned step, in order, including those still in the future."""
        t0 = self.created_at
        if self.queued:
            start = t0 + RECONNECT_AFTER
            return [
                StatusStep("waiting_reconnect", t0),
                StatusStep("accepted", start),
                StatusStep("sent", start + SENT_AFTER),
                StatusStep("delivered", start + DELIVERED_AFTER),
            ]
        failure = _META_FAILURES.get(self.scenario)
        if failure is not None:
            code, message, details = failure
            return [
                StatusStep("accepted", t0),
                StatusStep("sent", t0 + SENT_AFTER),
                StatusStep("failed", t0 + FAILED_AFTER, code, message, details),
            ]
        return [
            StatusStep("accepted", t0),
            StatusStep("sent", t0 + SENT_AFTER),
            StatusStep("delivered", t0 + DELIVERED_AFTER),
            StatusStep("read", t0 + READ_AFTER),
        ]

    def events_at(self, now: float) -> list[StatusStep]:
        return [step for step in self.timeline() if step.at <= now]

    def latest_status_at(self, now: float) -> str:
        events = self.events_at(now)
        return events[-1].status if events else self.timeline()[0].status

    def latest_step_at(self, now: float) -> StatusStep:
        events = self.events_at(now)
        return events[-1] if events else self.timeline()[0]

    def message_id_at(self, now: float) -> str | None:
        """The wamid, or None while the message waits in the reconnect queue."""
        if self.queued and now < self.created_at + RECONNECT_AFTER:
            return None
        return self.wamid

    def matches(self, identifier: str, now: float) -> bool:
        if identifier in (self.report_uid, self.queue_uid):
            return True
        return identifier == self.message_id_at(now)


def default_senders() -> list[SandboxSender]:
    return [SandboxSender(sender_id, phone_number_id) for sender_id, phone_number_id in SANDBOX_SENDERS]


def default_tokens() -> dict[str, SandboxToken]:
    tokens = [
        SandboxToken(SANDBOX_TOKEN, "global"),
        SandboxToken(SANDBOX_SCOPED_TOKEN, "specific_number", SANDBOX_SENDERS[0][0]),
        SandboxToken(SANDBOX_EXPIRED_TOKEN, "global", expired=True),
        SandboxToken(SANDBOX_NO_WEBHOOKS_TOKEN, "global", webhooks=False),
    ]
    return {t.value: t for t in tokens}


class SandboxState:
    """Mutable state shared by the ASGI app, the transport, the loopback server and the tests."""

    def __init__(
        self,
        *,
        clock: Clock = time.time,
        sleep: Sleep = asyncio.sleep,
        seed: int | None = None,
        slow_seconds: float = 40.0,
    ) -> None:
        self.clock = clock
        self.sleep = sleep
        self._seed = seed
        self._initial_slow_seconds = slow_seconds
        self.slow_seconds = slow_seconds
        self.currency = WALLET_CURRENCY
        self.rate_per_message = Decimal(RATE_PER_MESSAGE)
        self.reset()

    def reset(self) -> None:
        """Back to the state just after construction (the clock and sleep stay injected)."""
        old_webhooks: SandboxWebhooks | None = getattr(self, "_webhooks", None)
        if old_webhooks is not None:
            old_webhooks.pending.clear()  # its dispatcher stops: nothing the old state owed is sent
        self._random = random.Random(self._seed)
        self.slow_seconds = self._initial_slow_seconds
        self.senders: list[SandboxSender] = default_senders()
        self.tokens: dict[str, SandboxToken] = default_tokens()
        self.templates: list[TemplateDict] = all_templates()
        self.wallet_balance = Decimal(WALLET_START_BALANCE)
        self.wallet_status = "ACTIVE"
        self.messages: list[SandboxMessage] = []
        self.requests: list[RecordedRequest] = []
        self.attempts: dict[str, int] = {}
        self._webhooks: SandboxWebhooks | None = None
        self._conversations: SandboxConversations | None = None
        self._contact_books: SandboxContactBooks | None = None
        self.throttled_sends = 0
        """The next this many valid sends are answered 429 with ``Retry-After`` (see :meth:`throttle`)."""
        self.throttle_retry_after = 1.0

    @property
    def webhooks(self) -> SandboxWebhooks:
        """Webhook destinations and their deliveries, loaded on first use (not at start-up)."""
        if self._webhooks is None:
            from whats91_desktop.sandbox.webhooks import SandboxWebhooks

            self._webhooks = SandboxWebhooks(self)
        return self._webhooks

    @property
    def conversations(self) -> SandboxConversations:
        """The conversations (§2.6), seeded relative to the clock when first asked for."""
        if self._conversations is None:
            from whats91_desktop.sandbox.conversations import SandboxConversations

            self._conversations = SandboxConversations(self)
        return self._conversations

    @property
    def contact_books(self) -> SandboxContactBooks:
        """Contact books and the blacklist (§2.8, §2.9), seeded when first asked for."""
        if self._contact_books is None:
            from whats91_desktop.sandbox.contact_books import SandboxContactBooks

            self._contact_books = SandboxContactBooks(self)
        return self._contact_books

    def throttle(self, sends: int, retry_after: float = 1.0) -> None:
        """Answer the next ``sends`` valid sends with 429 ``RATE_LIMITED`` and this
        ``Retry-After`` (seconds), whatever their recipient: a rate limit for tests to meet."""
        self.throttled_sends = sends
        self.throttle_retry_after = retry_after

    async def stop_webhooks(self) -> None:
        """Stop delivering webhooks (the app is closing); nothing is loaded if none were made."""
        if self._webhooks is not None:
            await self._webhooks.aclose()

    # ------------------------------------------------------------------ time and ids

    def now(self) -> float:
        return float(self.clock())

    def new_uuid(self) -> str:
        return str(uuid.UUID(int=self._random.getrandbits(128), version=4))

    def _token(self, length: int, alphabet: str = string.ascii_letters + string.digits) -> str:
        return "".join(self._random.choice(alphabet) for _ in range(length))

    def new_wamid(self) -> str:
        return "wamid.HBgM" + self._token(40)

    def new_report_uid(self) -> str:
        return "rpt_" + self._token(20, string.ascii_lowercase + string.digits)

    def new_queue_uid(self) -> str:
        return "que_" + self._token(20, string.ascii_lowercase + string.digits)

    # ------------------------------------------------------------------ look-ups

    @property
    def default_sender(self) -> SandboxSender:
        return self.senders[0]

    def sender_by_id(self, sender_id: str) -> SandboxSender | None:
        return next((s for s in self.senders if s.sender_id == sender_id), None)

    def sender_by_phone_number_id(self, phone_number_id: str) -> SandboxSender | None:
        return next((s for s in self.senders if s.phone_number_id == phone_number_id), None)

    def token(self, value: str) -> SandboxToken | None:
        return self.tokens.get(value)

    def template(self, identifier: str) -> TemplateDict | None:
        """By templateName, templateUid or templateId."""
        for template in self.templates:
            if identifier in (
                template.get("templateName"),
                template.get("templateUid"),
                template.get("templateId"),
            ):
                return template
        return None

    # ------------------------------------------------------------------ helpers for tests

    def sends_to(self, recipient: str) -> list[RecordedRequest]:
        """Every request to a send route addressed to ``recipient``, whatever its outcome."""
        wanted = digits(recipient)
        return [r for r in self.requests if r.is_send and r.recipient == wanted]

    def messages_to(self, recipient: str) -> list[SandboxMessage]:
        """Messages accepted or queued for ``recipient`` (so charged and given a status history)."""
        wanted = digits(recipient)
        return [m for m in self.messages if m.receiver == wanted]

    def requests_to(self, route: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.route == route]

    # ------------------------------------------------------------------ mutations used by the app

    def count_attempt(self, recipient: str) -> int:
        """1-based number of this send attempt to ``recipient`` (drives the odd/even scenarios)."""
        self.attempts[recipient] = self.attempts.get(recipient, 0) + 1
        return self.attempts[recipient]

    def add_message(
        self,
        *,
        sender: SandboxSender,
        receiver: str,
        message_type: str,
        scenario: Scenario,
        route: str,
        request_id: str,
        template_name: str | None = None,
        payload: dict[str, Any] | None = None,
    ) -> SandboxMessage:
        """Store an accepted (or, for the queued scenario, queued) message and charge the wallet."""
        message = SandboxMessage(
            report_uid=self.new_report_uid(),
            wamid=self.new_wamid(),
            sender_id=sender.sender_id,
            phone_number_id=sender.phone_number_id,
            receiver=receiver,
            message_type=message_type,
            created_at=self.now(),
            scenario=scenario,
            route=route,
            request_id=request_id,
            template_name=template_name,
            queue_uid=self.new_queue_uid() if scenario is Scenario.QUEUED else None,
            payload=payload or {},
        )
        self.messages.append(message)
        self.wallet_balance -= self.rate_per_message
        if self._webhooks is not None:  # none exist until the webhook routes are first used
            self._webhooks.message_added(message)
        return message

    def wallet_json(self) -> dict[str, Any]:
        return {
            "balance": float(self.wallet_balance),
            "currency": self.currency,
            "status": self.wallet_status,
        }
