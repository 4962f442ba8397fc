"""What a bulk job is made of, as plain values shared by the engine, the window and the CLI.

A job is planned whole before anything is sent: every audience row becomes a :class:`JobRow`
with its message frozen as JSON, so a resume after a crash sends exactly what the first pass
would have. A row's :class:`RowState` only moves forward (``planned → sending → accepted |
queued | rejected | unknown | skipped``); the two ways back are explicit user actions ("Retry
failed", which re-plans retryable rejections) and the reconciliation of an ``unknown`` row whose
request provably never left (its log row was never written).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from whats91_desktop.core.models import OutgoingMessage, Problem

DEFAULT_RATE = 10.0
"""Messages per second: the platform's default per-number throughput."""
MAX_RATE = 80.0
"""The highest rate a user may pick (Meta's upper per-number tier)."""
PAIR_GAP_SECONDS = 6.0
"""Meta's pair rate: at most one message to the same recipient every 6 s."""
DEFAULT_CONCURRENCY = 8
"""Requests in flight at once; enough to hide the round trip at 80/s."""


class RowState(enum.StrEnum):
    PLANNED = "planned"
    SENDING = "sending"
    ACCEPTED = "accepted"
    QUEUED = "queued"
    REJECTED = "rejected"
    UNKNOWN = "unknown"
    SKIPPED = "skipped"

    @property
    def is_done(self) -> bool:
        """Nothing more will happen to the row without the user asking (unknown included)."""
        return self not in (RowState.PLANNED, RowState.SENDING)


ROW_STATES: tuple[RowState, ...] = tuple(RowState)


class JobState(enum.StrEnum):
    PLANNED = "planned"  # rows written, nothing sent yet
    RUNNING = "running"
    PAUSED = "paused"  # by the user, or by the engine (Whats91 unreachable): resumable
    INTERRUPTED = "interrupted"  # its process died mid-run: resumable after reconciliation
    CANCELLED = "cancelled"  # the rest was skipped on the user's word
    FINISHED = "finished"  # every row is done (some may be unknown or rejected)


class Kind(enum.StrEnum):
    TEMPLATE = "template"
    TEXT = "text"


@dataclass(frozen=True)
class BulkSpec:
    """What to send to every row, and which column feeds each part of the message.

    ``template_name`` (a template message) or ``text`` (a text message whose ``{column}``
    placeholders are replaced by the row's values) — exactly one. ``param_columns`` give the
    template's body variables ``{{1}}``, ``{{2}}``… in order; ``button_param_columns`` its URL
    buttons' variables; ``header_media_column`` the media URL of an image/video/document header.
    ``rate`` is messages per second (None: unlimited — benchmarks and tests only; the window
    and the CLI cap it at :data:`MAX_RATE`).
    """

    to_column: str
    template_name: str | None = None
    text: str | None = None
    param_columns: tuple[str, ...] = ()
    header_media_column: str | None = None
    button_param_columns: tuple[str, ...] = ()
    sender_id: str | None = None
    rate: float | None = DEFAULT_RATE

    @property
    def kind(self) -> Kind:
        return Kind.TEMPLATE if self.template_name is not None else Kind.TEXT


@dataclass(frozen=True)
class AudienceRow:
    """One recipient's values, in the audience's column order. ``line`` is where the record
    starts in the file (1-based, the header is line 1), or its position in a pasted list or a
    contact book, so every problem can name it."""

    line: int
    values: tuple[str, ...]


@dataclass(frozen=True)
class Audience:
    """Recipients with named columns, from a CSV file, a pasted list or a contact book."""

    columns: tuple[str, ...]
    rows: tuple[AudienceRow, ...]
    source: str
    """Where it came from, for the job list: ``"customers.csv"``, ``"pasted list"``, ``"book: VIP"``."""

    def value(self, row: AudienceRow, column: str) -> str:
        """The row's value in ``column`` ('' for a short row or an unknown column)."""
        try:
            index = self.columns.index(column)
        except ValueError:
            return ""
        return row.values[index] if index < len(row.values) else ""

    def as_dict(self, row: AudienceRow) -> dict[str, str]:
        return {name: self.value(row, name) for name in self.columns}

    def preview(self, count: int = 5) -> tuple[AudienceRow, ...]:
        """The first rows, for the mapping step's table."""
        return self.rows[:count]


@dataclass(frozen=True)
class RowCheck:
    """The dry run's verdict on one row.

    ``message`` is the normalised message that would be sent (None when the row cannot be
    sent). ``problems`` block the row; ``skip_reason`` (a duplicate, a blacklisted number)
    means it is planned as ``skipped`` and never sent.
    """

    index: int
    line: int
    recipient: str
    message: OutgoingMessage | None
    problems: tuple[Problem, ...] = ()
    skip_reason: str | None = None

    @property
    def sendable(self) -> bool:
        return self.message is not None and not self.problems and self.skip_reason is None


@dataclass(frozen=True)
class DryRunReport:
    """Everything the user must see before confirming: nothing has been sent."""

    audience: Audience
    spec: BulkSpec
    checks: tuple[RowCheck, ...]
    eta_seconds: float
    """At the spec's pace (the global rate; the 6 s pair gap matters only for repeats)."""
    preview_index: int | None
    """The sampled row whose rendered message ``preview_text`` shows (None: no sendable row)."""
    preview_text: str
    notes: tuple[str, ...] = ()
    """Things checked only partly (the template list or the blacklist could not be read)."""

    @property
    def will_send(self) -> int:
        return sum(1 for c in self.checks if c.sendable)

    @property
    def skipped(self) -> int:
        return sum(1 for c in self.checks if c.skip_reason is not None and not c.problems)

    @property
    def invalid(self) -> int:
        return sum(1 for c in self.checks if c.problems)

    def problem_rows(self) -> tuple[RowCheck, ...]:
        return tuple(c for c in self.checks if c.problems)


@dataclass(frozen=True)
class JobSummary:
    """One job as the job list shows it."""

    job_id: str
    created_at: float
    profile: str
    source: str
    kind: Kind
    label: str
    """The template's name, or the text's first words."""
    state: JobState
    counts: Mapping[RowState, int]
    rate: float | None
    note: str | None = None
    """Why the job stopped, when the engine paused it (Whats91 unreachable, a token refused)."""

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def left(self) -> int:
        """Rows a resume would still send or reconcile (planned, sending, unknown not yet checked)."""
        return self.counts.get(RowState.PLANNED, 0) + self.counts.get(RowState.SENDING, 0)

    @property
    def resumable(self) -> bool:
        return self.state in (JobState.PLANNED, JobState.PAUSED, JobState.INTERRUPTED, JobState.RUNNING) and (
            self.left > 0
        )

    def to_json(self) -> dict[str, object]:
        """The CLI's summary object: ``jobId, planned, accepted, queued, rejected, unknown, skipped``."""
        counts = {
            state.value: self.counts.get(state, 0) for state in ROW_STATES if state is not RowState.SENDING
        }
        return {"jobId": self.job_id, **counts}


@dataclass(frozen=True)
class JobRow:
    """One planned row with its outcome so far; ``values`` are the audience's, for the export."""

    job_id: str
    seq: int
    line: int
    recipient: str
    state: RowState
    message_json: str | None
    skip_reason: str | None = None
    log_row_id: int | None = None
    message_id: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    retryable: bool = False
    claimed_at: float | None = None
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class ErrorCount:
    code: str
    count: int
    hint: str | None


@dataclass(frozen=True)
class Rollup:
    """The campaign view: what became of the sent rows, from the log's status follow-up and
    webhooks. ``sent`` counts accepted and queued rows; a delivered row counts as delivered
    until it is read; ``failed`` counts rejections and failed deliveries."""

    job_id: str
    sent: int
    delivered: int
    read: int
    failed: int
    unknown: int
    top_errors: tuple[ErrorCount, ...] = ()


@dataclass(frozen=True)
class BulkProgress:
    """Published on ``BulkService.progress`` while a job runs (at most a few times a second,
    and at every change of the job's state). ``rate`` is messages per second over the last few
    seconds; ``eta_seconds`` None while unknown."""

    job_id: str
    state: JobState
    counts: Mapping[RowState, int]
    rate: float
    eta_seconds: float | None
    note: str | None = None
    waiting_seconds: float = 0.0
    """How long the whole job is held by a Retry-After or a throughput error (0: not held)."""

    @property
    def done(self) -> int:
        return sum(n for state, n in self.counts.items() if state.is_done)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class ReconcileReport:
    """What reconciling a job's unknown rows found, ready to show."""

    job_id: str
    found: int
    not_sent: int
    """Rows whose request never left (no log row): planned again, they will be sent."""
    still_unknown: int
    explanations: tuple[str, ...] = field(default_factory=tuple)
