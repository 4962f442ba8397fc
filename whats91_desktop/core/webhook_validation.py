"""Local checks of a destination before it is created or changed: nothing is sent until they pass.

What the API documents (§4.1): a non-empty event list whose keys are in the catalog, an https
endpoint in production, and a custom header name. The header name must be an HTTP token, or
Whats91 could not send it. Two things are allowed but warned about, because they only work in
a particular set-up: plain http to this computer (only the built-in sandbox can reach it),
and a tunnel URL (it works only while the tunnel runs).

The allowed ranges of the timeout and the retries are undocumented, so only nonsense is
refused (zero, negative) and unusual values are warned about.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from urllib.parse import urlsplit

from whats91_desktop.core.models import Problem
from whats91_desktop.core.urls import is_loopback_host
from whats91_desktop.core.webhooks import SIGNATURE_HEADER, EventCatalog, WebhookDraft

MAX_NAME_CHARS = 120
LONG_TIMEOUT_MS = 30_000
MANY_RETRIES = 10
TUNNEL_SUFFIXES = (
    ".ngrok.io",
    ".ngrok-free.app",
    ".ngrok.app",
    ".trycloudflare.com",
    ".loca.lt",
    ".localtunnel.me",
    ".serveo.net",
    ".localhost.run",
    ".lhr.life",
    ".devtunnels.ms",
    ".tunnelmole.net",
)
"""Hosts of the common tunnelling services (reachable only while the tunnel runs)."""
_TOKEN_CHARS = frozenset(string.ascii_letters + string.digits + "!#$%&'*+-.^_`|~")
_RESERVED_HEADERS = frozenset(
    name.lower()
    for name in (
        SIGNATURE_HEADER,
        "Content-Type",
        "Content-Length",
        "Host",
        "Transfer-Encoding",
        "Connection",
    )
)


@dataclass(frozen=True)
class DraftCheck:
    """``problems`` block the request; ``warnings`` are shown and the user may go on."""

    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


def check_draft(draft: WebhookDraft, catalog: EventCatalog | None, *, creating: bool) -> DraftCheck:
    """Check a create (every required field) or an update (only the fields it changes)."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    if creating or draft.name is not None:
        name = (draft.name or "").strip()
        if not name:
            problems.append(Problem("name", "a destination needs a name"))
        elif len(name) > MAX_NAME_CHARS:
            problems.append(Problem("name", f"at most {MAX_NAME_CHARS} characters"))
    if creating or draft.endpoint_url is not None:
        _check_endpoint(draft.endpoint_url or "", problems, warnings)
    if creating or draft.events is not None:
        _check_events(draft.events or (), catalog, problems)
    if draft.timeout_ms is not None:
        if draft.timeout_ms <= 0:
            problems.append(Problem("timeoutMs", "must be a positive number of milliseconds"))
        elif draft.timeout_ms > LONG_TIMEOUT_MS:
            warnings.append(
                Problem("timeoutMs", "over 30 s: a slow endpoint holds Whats91's delivery that long")
            )
    if draft.retry_max_attempts is not None:
        if draft.retry_max_attempts < 0:
            problems.append(Problem("retryMaxAttempts", "must be zero or more"))
        elif draft.retry_max_attempts > MANY_RETRIES:
            warnings.append(Problem("retryMaxAttempts", "more than 10 attempts; Whats91 documents no limit"))
    _check_verification(draft, problems, warnings, creating=creating)
    return DraftCheck(tuple(problems), tuple(warnings))


def header_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a custom verification header, or None when it can."""
    if not name:
        return "the header needs a name"
    if not set(name) <= _TOKEN_CHARS:
        return "only letters, digits and ! # $ % & ' * + - . ^ _ ` | ~ (no spaces or colons)"
    if name.lower() in _RESERVED_HEADERS:
        return f"{name} is set by Whats91 itself; choose another name, e.g. X-CRM-Webhook-Token"
    return None


def is_tunnel_host(host: str) -> bool:
    host = host.lower().rstrip(".")
    return any(host.endswith(suffix) or host == suffix[1:] for suffix in TUNNEL_SUFFIXES)


def _check_endpoint(url: str, problems: list[Problem], warnings: list[Problem]) -> None:
    text = url.strip()
    if not text:
        problems.append(Problem("endpointUrl", "the endpoint URL is required"))
        return
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
        port = parts.port
    except ValueError as err:
        problems.append(Problem("endpointUrl", f"not a valid URL: {err}"))
        return
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not host:
        problems.append(
            Problem("endpointUrl", "must be a full URL such as https://example.com/webhooks/whats91")
        )
        return
    if parts.username is not None or parts.password is not None:
        problems.append(Problem("endpointUrl", "must not contain a user name or password"))
        return
    if port == 0:
        problems.append(Problem("endpointUrl", "port 0 is not a port an endpoint can listen on"))
        return
    if is_loopback_host(host):
        warnings.append(
            Problem(
                "endpointUrl",
                "this is your own computer: only the built-in sandbox can deliver here; Whats91 needs "
                "a tunnel or a public https address",
            )
        )
    elif scheme != "https":
        problems.append(Problem("endpointUrl", "must use https (plain http only to this computer)"))
    elif is_tunnel_host(host):
        warnings.append(Problem("endpointUrl", "a tunnel URL: deliveries arrive only while the tunnel runs"))


def _check_events(events: tuple[str, ...], catalog: EventCatalog | None, problems: list[Problem]) -> None:
    if not events:
        problems.append(Problem("events", "choose at least one event"))
        return
    if catalog is None:
        problems.append(
            Problem("events", "the event catalog is not loaded yet, so the events cannot be checked")
        )
        return
    unknown = [key for key in events if key not in catalog]
    if unknown:
        problems.append(Problem("events", f"not in the event catalog: {', '.join(unknown)}"))


def _check_verification(
    draft: WebhookDraft, problems: list[Problem], warnings: list[Problem], *, creating: bool
) -> None:
    header = draft.verification_header_key
    token = draft.verification_token
    if header is not None:
        problem = header_name_problem(header.strip())
        if problem:
            problems.append(Problem("verificationHeaderKey", problem))
    if token is not None:
        if not token or not token.isascii() or any(ch.isspace() or not ch.isprintable() for ch in token):
            problems.append(
                Problem(
                    "verificationToken", "must be printable ASCII without spaces (it is sent as a header)"
                )
            )
        elif creating and not header:
            problems.append(Problem("verificationToken", "also give the header name it is sent in"))
    if draft.clear_verification_token and token:
        problems.append(Problem("verificationToken", "either set a new token or clear it, not both"))
    if creating and header and not token:
        warnings.append(
            Problem("verificationToken", "no token: the header is configured but nothing is sent in it")
        )


def target_problem(url: str) -> str | None:
    """Why test events and forwarded deliveries cannot go to ``url`` (None: they can).

    Any https address, or plain http to this computer, where an integrator's handler runs.
    """
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError when the port is not a number in range
    except ValueError as err:
        return f"not a valid URL: {err}"
    if parts.scheme not in ("http", "https") or not host:
        return "give a full URL such as http://127.0.0.1:3000/webhooks"
    if parts.scheme == "http" and not is_loopback_host(host):
        return "plain http only to this computer (127.0.0.1, localhost); use https for anything else"
    return None
