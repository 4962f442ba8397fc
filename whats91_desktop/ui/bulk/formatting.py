"""How the Bulk room words counts, paces and durations (one place, so every view agrees)."""

from __future__ import annotations

import time
from collections.abc import Mapping

from whats91_desktop.core.bulk.models import JobState, JobSummary, RowState

STATE_LABELS: dict[RowState, str] = {
    RowState.PLANNED: "waiting",
    RowState.SENDING: "sending",
    RowState.ACCEPTED: "accepted",
    RowState.QUEUED: "queued",
    RowState.REJECTED: "rejected",
    RowState.UNKNOWN: "unknown",
    RowState.SKIPPED: "skipped",
}
JOB_STATE_LABELS: dict[JobState, str] = {
    JobState.PLANNED: "not started",
    JobState.RUNNING: "sending",
    JobState.PAUSED: "paused",
    JobState.INTERRUPTED: "interrupted",
    JobState.CANCELLED: "cancelled",
    JobState.FINISHED: "finished",
}


def duration_text(seconds: float | None) -> str:
    """``"about 2 min 5 s"``; ``"unknown"`` while the engine cannot tell yet."""
    if seconds is None:
        return "unknown"
    whole = round(seconds)
    if whole < 1:
        return "under a second"
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"about {hours} h {minutes} min"
    if minutes:
        return f"about {minutes} min {secs} s"
    return f"about {secs} s"


def counts_text(counts: Mapping[RowState, int]) -> str:
    """Every state with rows, in the order rows move through them: ``"3 accepted · 1 rejected"``."""
    parts = [f"{counts[state]} {label}" for state, label in STATE_LABELS.items() if counts.get(state)]
    return " · ".join(parts) or "no rows"


def job_title(summary: JobSummary) -> str:
    """One line for the jobs list: what was sent, from where, when, and how far it got."""
    when = time.strftime("%d %b %H:%M", time.localtime(summary.created_at))
    done = summary.total - summary.left
    return (
        f"{summary.label} · {summary.source} — {JOB_STATE_LABELS[summary.state]}, "
        f"{done}/{summary.total} · {when}"
    )
