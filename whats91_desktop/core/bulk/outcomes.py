"""What a send's outcome means for a bulk row: its state, whether a retry may help, whether
the whole job must slow down."""

from __future__ import annotations

from whats91_desktop.core.bulk.models import RowState
from whats91_desktop.core.models import Outcome

THROUGHPUT_CODES = frozenset({"130429", "131056"})
"""Meta's "too many messages" (the number's throughput, and the pair rate to one recipient)."""
RETRY_AFTER_STATUSES = frozenset({429, 503})
RETRYABLE_CODES = THROUGHPUT_CODES | frozenset({"RATE_LIMITED", "SERVICE_UNAVAILABLE", "131000", "131016"})
"""Rejections that say "not now" rather than "never": rate limits, throughput, a service
briefly unavailable (Meta's 131000 "something went wrong", 131016 "service unavailable")."""

ROW_STATE = {
    Outcome.ACCEPTED: RowState.ACCEPTED,
    Outcome.QUEUED: RowState.QUEUED,
    Outcome.REJECTED: RowState.REJECTED,
    Outcome.UNKNOWN: RowState.UNKNOWN,
    Outcome.INVALID: RowState.REJECTED,
    Outcome.UNREACHABLE: RowState.PLANNED,  # surely never arrived: sent again when the job resumes
}


def is_retryable(code: str | None, http_status: int | None) -> bool:
    return (code or "") in RETRYABLE_CODES or http_status in RETRY_AFTER_STATUSES


def is_throughput_error(code: str | None) -> bool:
    return (code or "") in THROUGHPUT_CODES
