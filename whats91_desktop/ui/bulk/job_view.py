"""Step 4, and any job reopened from the list: progress, controls, roll-up and rows.

The view only shows and asks; :class:`~whats91_desktop.ui.bulk.pane.BulkPane` does the work.
The bar counts every row that is done (sent, rejected, unknown or skipped) out of the job's
rows; beside it the counts per state, the current rate and the ETA, and what the engine is
waiting for (a ``Retry-After``, Whats91 unreachable). Which buttons are live follows the
job's state and whether this window is the one sending it.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from whats91_desktop.core.bulk.models import BulkProgress, JobState, JobSummary, RowState
from whats91_desktop.ui.bulk.formatting import JOB_STATE_LABELS, counts_text, duration_text
from whats91_desktop.ui.bulk.job_rows import JobRowsModel, RowFilter, RowsPage
from whats91_desktop.ui.bulk.rollup_view import RollupView
from whats91_desktop.ui.bulk.widgets import button, named, size_columns
from whats91_desktop.ui.i18n import tr
from whats91_desktop.ui.palette import themed_style

FILTERS = tuple(RowFilter)
ROW_WIDTHS = ("00000", "+91 98765 43210", "accepted", "wamid.HBgMOGHeGP9xhuQ7UsVVjVpVrwojGj6qajr4Rx")


class JobView(QWidget):
    pause_requested = Signal()
    resume_requested = Signal()
    cancel_requested = Signal()
    retry_requested = Signal()
    check_unknown_requested = Signal()
    export_requested = Signal()
    more_requested = Signal()
    filter_changed = Signal(object)
    """The rows table's :class:`RowFilter` changed (from the combo or a roll-up count)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bulkJobView")
        self.summary: JobSummary | None = None
        self.state: JobState | None = None
        """The job's state as shown (the runner's own while this window sends it)."""
        self.running_here = False
        self.retryable = 0
        self.rows = JobRowsModel()
        self._build()

    def _build(self) -> None:
        self.title_label = QLabel("", self)
        self.title_label.setObjectName("bulkJobTitle")
        font = self.title_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title_label.setFont(font)
        self.title_label.setWordWrap(True)
        self.progress_bar = named(QProgressBar(self), "bulkProgressBar", tr("Rows done"))
        self.progress_bar.setFormat("%v of %m rows done (%p%)")
        self.counts_label = QLabel("", self)
        self.counts_label.setObjectName("bulkCountsLabel")
        self.rate_label = QLabel("", self)
        self.rate_label.setObjectName("bulkRateLabel")
        self.rate_label.setWordWrap(True)
        self.note_label = QLabel("", self)
        self.note_label.setObjectName("bulkJobNote")
        self.note_label.setWordWrap(True)
        themed_style(self.note_label, "color: $caution;")
        self.pause_button = button(self, tr("Pause"), "bulkPauseButton", self.pause_requested.emit)
        self.resume_button = button(self, tr("Resume"), "bulkResumeButton", self.resume_requested.emit)
        self.cancel_button = button(
            self, tr("Cancel the rest…"), "bulkCancelButton", self.cancel_requested.emit
        )
        self.retry_button = button(self, tr("Retry failed"), "bulkRetryButton", self.retry_requested.emit)
        self.check_button = button(
            self, tr("Check unknown"), "bulkCheckUnknownButton", self.check_unknown_requested.emit
        )
        self.export_button = button(
            self, tr("Export results…"), "bulkExportButton", self.export_requested.emit
        )
        self.rollup = RollupView(self)
        self.rollup.filter_requested.connect(self.set_filter)
        self.filter_combo = named(QComboBox(self), "bulkRowsFilterCombo", tr("Show rows"))
        for row_filter in FILTERS:
            self.filter_combo.addItem(row_filter.value)
        self.filter_combo.currentIndexChanged.connect(lambda i: self.filter_changed.emit(FILTERS[i]))
        self.rows_count_label = QLabel("", self)
        self.rows_count_label.setObjectName("bulkRowsCount")
        self.more_button = button(self, tr("More rows"), "bulkMoreRowsButton", self.more_requested.emit)
        self.more_button.hide()
        self.table = named(QTableView(self), "bulkRowsTable", tr("Rows of the job"))
        self.table.setModel(self.rows)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        size_columns(self.table, ROW_WIDTHS)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.setWordWrap(False)

        controls = QHBoxLayout()
        for widget in (self.pause_button, self.resume_button, self.cancel_button):
            controls.addWidget(widget)
        controls.addStretch(1)
        outcomes = QHBoxLayout()
        for widget in (self.check_button, self.retry_button, self.export_button):
            outcomes.addWidget(widget)
        outcomes.addStretch(1)
        rollup_box = QGroupBox(tr("Campaign roll-up (click a count to see those rows)"), self)
        rollup_layout = QVBoxLayout(rollup_box)
        rollup_layout.addWidget(self.rollup)
        rollup_layout.addLayout(outcomes)
        filters = QHBoxLayout()
        filters.addWidget(self.filter_combo)
        filters.addWidget(self.rows_count_label, 1)
        filters.addWidget(self.more_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.counts_label)
        layout.addWidget(self.rate_label)
        layout.addWidget(self.note_label)
        layout.addLayout(controls)
        layout.addWidget(rollup_box)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)

    # ------------------------------------------------------------------ showing

    @property
    def row_filter(self) -> RowFilter:
        return FILTERS[self.filter_combo.currentIndex()]

    def set_filter(self, row_filter: RowFilter) -> None:
        self.filter_combo.setCurrentIndex(FILTERS.index(row_filter))

    def show_summary(self, summary: JobSummary, *, running_here: bool, retryable: int) -> None:
        self.summary = summary
        self.state = summary.state
        self.running_here = running_here
        self.retryable = retryable
        self._show_title()
        self._show_counts(summary.counts)
        if not running_here:
            rate = f"pace {summary.rate:g}/s" if summary.rate else "no pace limit"
            self.rate_label.setText(
                tr("%1 · job %2").replace("%1", str(rate)).replace("%2", str(summary.job_id))
            )
        self.note_label.setText(summary.note or "")
        self.note_label.setVisible(bool(summary.note))
        self._sync_buttons(summary.state, summary.left, summary.counts.get(RowState.UNKNOWN, 0))

    def show_progress(self, progress: BulkProgress) -> None:
        self.state = progress.state
        self._show_title()
        self._show_counts(progress.counts)
        waiting = (
            f" · held {duration_text(progress.waiting_seconds)} by Whats91 (Retry-After)"
            if progress.waiting_seconds > 0
            else ""
        )
        self.rate_label.setText(
            f"{progress.rate:.1f} messages/s now · {duration_text(progress.eta_seconds)} left{waiting}"
        )
        self.note_label.setText(progress.note or "")
        self.note_label.setVisible(bool(progress.note))
        left = progress.counts.get(RowState.PLANNED, 0) + progress.counts.get(RowState.SENDING, 0)
        self._sync_buttons(progress.state, left, progress.counts.get(RowState.UNKNOWN, 0))

    def _show_title(self) -> None:
        summary = self.summary
        if summary is not None and self.state is not None:
            self.title_label.setText(
                f"{summary.label} · {summary.source} · {summary.profile} — {JOB_STATE_LABELS[self.state]}"
            )

    def show_rows(self, page: RowsPage, *, reset: bool) -> None:
        if reset:
            self.rows.set_items(page.rows)
        else:
            self.rows.extend(page.rows)
        shown = self.rows.rowCount()
        self.rows_count_label.setText(
            tr("%1%2 rows shown").replace("%1", str(shown)).replace("%2", str("+" if page.more else ""))
        )
        self.more_button.setVisible(page.more)

    def _show_counts(self, counts: Mapping[RowState, int]) -> None:
        total = sum(counts.values())
        done = sum(n for state, n in counts.items() if state.is_done)
        self.progress_bar.setMaximum(max(total, 1))
        self.progress_bar.setValue(done)
        self.counts_label.setText(counts_text(counts))

    def _sync_buttons(self, state: JobState, left: int, unknown: int) -> None:
        here = self.running_here
        sending = here and state is JobState.RUNNING
        self.pause_button.setEnabled(sending)
        can_resume = left > 0 and state not in (JobState.CANCELLED, JobState.FINISHED) and not sending
        self.resume_button.setEnabled(can_resume)
        self.resume_button.setText(
            tr("Resume (%1 left)").replace("%1", str(left)) if can_resume else tr("Resume")
        )
        self.cancel_button.setEnabled(left > 0 and state not in (JobState.CANCELLED, JobState.FINISHED))
        idle = not here or state not in (JobState.RUNNING, JobState.PAUSED)
        self.retry_button.setEnabled(idle and self.retryable > 0)
        self.retry_button.setText(
            tr("Retry failed (%1)").replace("%1", str(self.retryable))
            if self.retryable
            else tr("Retry failed")
        )
        self.check_button.setEnabled(idle and unknown > 0)
        self.check_button.setText(
            tr("Check unknown (%1)").replace("%1", str(unknown)) if unknown else tr("Check unknown")
        )
