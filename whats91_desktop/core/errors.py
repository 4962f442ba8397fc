"""The one error tree of the core.

Every httpx exception and every bad response is wrapped into one of these before it
leaves the core (``raise ConnectError(...) from err``), so the UI and the CLI catch
``Whats91Error`` and nothing else. Messages never contain a token: build them from
redacted data only.

Send calls do not raise these for API or transport failures: they return a
``SendResult`` whose ``outcome`` says what happened (see ``client.py``). Read calls
(templates, reports, wallet) raise them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only in signatures: catching these must not load the models (the CLI's start)
    from whats91_desktop.core.models import Problem


class Whats91Error(Exception):
    """Base of every error the core raises on purpose."""


class ConfigError(Whats91Error):
    """Bad configuration: a refused base URL, a missing token, an unknown profile."""


class ValidationError(Whats91Error):
    """Input failed local validation; nothing was sent."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        summary = "; ".join(f"{p.field}: {p.message}" for p in self.problems[:3])
        more = f" (+{len(self.problems) - 3} more)" if len(self.problems) > 3 else ""
        super().__init__(f"invalid input: {summary}{more}")


class ApiError(Whats91Error):
    """The API answered, and the answer is an error (or not understandable)."""

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        http_status: int | None = None,
        request_id: str | None = None,
        raw_response: str | None = None,
    ) -> None:
        self.code = code
        self.message = message
        self.http_status = http_status
        self.request_id = request_id
        self.raw_response = raw_response
        parts = [f"HTTP {http_status}" if http_status is not None else None, code, message]
        super().__init__(" · ".join(p for p in parts if p))


class AuthError(ApiError):
    """401: missing, invalid, expired, revoked or inactive token."""


class ForbiddenError(ApiError):
    """403: e.g. SENDER_NOT_ALLOWED for a number-scoped token asking for another sender."""


class NotFoundError(ApiError):
    """404: e.g. MESSAGE_NOT_FOUND, PHONE_NUMBER_NOT_FOUND."""


class RateLimitError(ApiError):
    """429 (or 503 with Retry-After) after the bounded retries were used up."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: object) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        self.retry_after = retry_after


class ServerError(ApiError):
    """5xx, or a body that is not the JSON the API documents (an HTML 502 page, say)."""


class TransportError(Whats91Error):
    """No usable HTTP answer."""


class ConnectError(TransportError):
    """The request surely did not reach the server (DNS, refused, connect timeout)."""


class OutcomeUnknown(TransportError):
    """The request may have reached the server (read timeout, dropped connection).

    Never resend automatically after this: reconcile through the reports endpoint.
    """
