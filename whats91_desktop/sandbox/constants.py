"""Fixed values of the built-in Whats91 emulator: tokens, senders and scenario recipients.

Other layers (the CLI, the UI's "sandbox" profile, the tests) import these names instead of
repeating the literals. The values are fixed by the README (its "The sandbox" section).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType

SANDBOX_BASE_URL = "https://sandbox.whats91.invalid/api/v2"
"""Base URL for the in-process transport only; ``.invalid`` never resolves, so nothing leaks out."""

SANDBOX_TOKEN = "w91_live_sandbox00000000000000000000000"
"""Global scope: may use both sandbox senders."""

SANDBOX_SCOPED_TOKEN = "w91_live_sandboxscoped00000000000000000"
"""Number-scoped (``specific_number``) to ``SANDBOX_SENDERS[0]``."""

SANDBOX_EXPIRED_TOKEN = "w91_live_sandboxexpired0000000000000000"
"""Always answered with 401."""

SANDBOX_NO_WEBHOOKS_TOKEN = "w91_live_sandboxnowebhooks0000000000000"
"""Global scope, on a plan without Webhooks v2: the webhook routes answer 403 FEATURE_NOT_AVAILABLE."""

SANDBOX_SENDERS: tuple[tuple[str, str], ...] = (
    ("919999999999", "100000000000001"),
    ("918888800000", "100000000000002"),
)
"""``(senderId, phoneNumberId)`` pairs. The first one is the default sender."""

SANDBOX_WABA_ID = "200000000000001"

WALLET_CURRENCY = "INR"
WALLET_START_BALANCE = "1250.75"
"""Decimal string; the wallet is account-wide, as in the real API."""
RATE_PER_MESSAGE = "0.115"
"""Decimal string charged for each message the sandbox accepts (queued ones included)."""

MAX_UPLOAD_BYTES = 16 * 1024 * 1024
ALLOWED_UPLOAD_EXTENSIONS: tuple[str, ...] = (
    "pdf", "txt", "doc", "docx", "xls", "xlsx", "csv",
    "jpg", "jpeg", "png", "gif", "mp3", "mp4", "3gp", "3gpp",
)  # fmt: skip


class Scenario(enum.StrEnum):
    """What the sandbox does with a message to a given recipient."""

    NORMAL = "normal"
    QUEUED = "queued"
    FAILED_UNDELIVERABLE = "failed_131026"
    RATE_LIMITED_ODD = "rate_limited_odd"
    RATE_LIMITED_ALWAYS = "rate_limited_always"
    UNAVAILABLE_ODD = "unavailable_odd"
    SERVER_ERROR_HTML = "server_error_html"
    SLOW = "slow"
    DROPPED = "dropped"
    BLACKLISTED = "blacklisted"
    FAILED_REENGAGEMENT = "failed_131047"
    REPLIES = "replies"
    BAD_SIGNATURE = "bad_signature"


QUEUED_RECIPIENT = "919000000001"
FAILED_UNDELIVERABLE_RECIPIENT = "919000000002"
RATE_LIMITED_ODD_RECIPIENT = "919000000003"
RATE_LIMITED_ALWAYS_RECIPIENT = "919000000004"
UNAVAILABLE_ODD_RECIPIENT = "919000000005"
SERVER_ERROR_RECIPIENT = "919000000006"
SLOW_RECIPIENT = "919000000007"
DROPPED_RECIPIENT = "919000000008"
BLACKLISTED_RECIPIENT = "919000000009"
FAILED_REENGAGEMENT_RECIPIENT = "919000000010"
REPLIES_RECIPIENT = "919000000011"
BAD_SIGNATURE_RECIPIENT = "919000000012"

NORMAL_RECIPIENT = "918888888888"
"""Any other valid number behaves like this one; it is the documentation's example recipient."""

SCENARIO_RECIPIENTS: Mapping[str, Scenario] = MappingProxyType(
    {
        QUEUED_RECIPIENT: Scenario.QUEUED,
        FAILED_UNDELIVERABLE_RECIPIENT: Scenario.FAILED_UNDELIVERABLE,
        RATE_LIMITED_ODD_RECIPIENT: Scenario.RATE_LIMITED_ODD,
        RATE_LIMITED_ALWAYS_RECIPIENT: Scenario.RATE_LIMITED_ALWAYS,
        UNAVAILABLE_ODD_RECIPIENT: Scenario.UNAVAILABLE_ODD,
        SERVER_ERROR_RECIPIENT: Scenario.SERVER_ERROR_HTML,
        SLOW_RECIPIENT: Scenario.SLOW,
        DROPPED_RECIPIENT: Scenario.DROPPED,
        BLACKLISTED_RECIPIENT: Scenario.BLACKLISTED,
        FAILED_REENGAGEMENT_RECIPIENT: Scenario.FAILED_REENGAGEMENT,
        REPLIES_RECIPIENT: Scenario.REPLIES,
        BAD_SIGNATURE_RECIPIENT: Scenario.BAD_SIGNATURE,
    }
)

SCENARIOS: Mapping[str, str] = MappingProxyType(
    {
        QUEUED_RECIPIENT: "queued: HTTP 200 with queued=true, status waiting_reconnect; "
        "delivered after the sender 'reconnects' 5 s later",
        FAILED_UNDELIVERABLE_RECIPIENT: "accepted, sent after 1 s, then failed after 3 s with Meta 131026 "
        "'Message undeliverable'",
        RATE_LIMITED_ODD_RECIPIENT: "429 Retry-After: 1 on odd-numbered requests to this number, "
        "accepted on even ones (one retry succeeds)",
        RATE_LIMITED_ALWAYS_RECIPIENT: "always 429 Retry-After: 1",
        UNAVAILABLE_ODD_RECIPIENT: "503 Retry-After: 1 on odd-numbered requests to this number, "
        "accepted on even ones",
        SERVER_ERROR_RECIPIENT: "500 with an HTML body",
        SLOW_RECIPIENT: "slow: accepted and recorded, but the reply comes after state.slow_seconds "
        "(default 40 s)",
        DROPPED_RECIPIENT: "dropped connection: accepted and recorded, then the connection closes "
        "with no response",
        BLACKLISTED_RECIPIENT: "blacklisted: 400 SANDBOX_RECIPIENT_BLACKLISTED (an invented code)",
        FAILED_REENGAGEMENT_RECIPIENT: "accepted, sent after 1 s, then failed after 3 s with Meta 131047 "
        "(re-engagement window)",
        REPLIES_RECIPIENT: "like any number, then the recipient replies 'Thanks, got it!' 5 s after it "
        "was read (a message.inbound.text webhook)",
        BAD_SIGNATURE_RECIPIENT: "like any number, but the 'delivered' webhook is signed with the wrong "
        "secret (the receiver shows an invalid signature)",
    }
)
"""Recipient (digits) -> what happens. Any other valid number: accepted -> sent (+1 s) ->
delivered (+2 s) -> read (+4 s)."""

NORMAL_DESCRIPTION = "accepted -> sent (+1 s) -> delivered (+2 s) -> read (+4 s)"

WEBHOOK_EVENT_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("message.inbound", "Inbound messages", ("message.inbound.text",)),
    (
        "message.status",
        "Message statuses",
        (
            "message.status.accepted",
            "message.status.sent",
            "message.status.delivered",
            "message.status.read",
            "message.status.failed",
        ),
    ),
    ("template", "Templates", ("template.status_update",)),
)
"""The sandbox's webhook event catalog as ``(key, label, event keys)`` groups. The real list and
the shape of ``groups`` are undocumented: the keys follow the documented naming pattern."""

# Error codes the real API does not document; the sandbox invents them and says so.
INVENTED_ERROR_CODES: Mapping[str, str] = MappingProxyType(
    {
        "SANDBOX_RECIPIENT_BLACKLISTED": "recipient is on the sender's blacklist (real code undocumented)",
        "TEMPLATE_NOT_FOUND": "no approved template with that name for the sender (real code undocumented)",
        "RATE_LIMITED": "HTTP 429; Whats91 documents no rate-limit error of its own",
        "SERVICE_UNAVAILABLE": "HTTP 503; Whats91 documents no 5xx errors",
    }
)


def scenario_for(recipient: str) -> Scenario:
    """The scenario for a recipient given as digits (``+`` and separators already removed)."""
    return SCENARIO_RECIPIENTS.get(recipient, Scenario.NORMAL)


def is_sandbox_url(base_url: str) -> bool:
    """Whether a profile's base URL names the in-process sandbox (it never resolves on a network)."""
    return base_url.strip().rstrip("/") == SANDBOX_BASE_URL
