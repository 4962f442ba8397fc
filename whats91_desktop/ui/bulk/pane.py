"""The Bulk room: one message to many recipients — audience, mapping, dry run, confirm, send,
follow, and reopen past jobs.

The pane is the controller; its views are plain widgets: :class:`AudienceStep` and
:class:`MappingStep` (set-up page), :class:`DryRunView` (the report, where the one Send button
is), :class:`JobView` (progress, controls, roll-up, rows) and :class:`JobsList` (left). The
engine is ``desk.bulk`` (:class:`~whats91_desktop.services.bulk.service.BulkService`): every call
is awaited in the background, so the window stays responsive however big the job; its progress
arrives through :class:`ProgressRelay`, throttled to a few redraws a second.

Questions (confirm the send, cancel the rest, retry failed rows, where to export) are asked in
synchronous slots before any coroutine starts, never inside one. Nothing is sent before the user
confirms; a production profile makes them type the number of recipients. Resuming a job that
stopped before its end checks its unknown rows against the reports first and says what it found.
"""

from __future__ import annotations

import time
from collections.abc import Coroutine
from dataclasses import replace
from pathlib import Path
from typing import Any

import qasync
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from whats91_desktop.core.bulk.models import Audience, BulkProgress, DryRunReport, JobState, ReconcileReport
from whats91_desktop.core.errors import ValidationError, Whats91Error
from whats91_desktop.core.models import Profile
from whats91_desktop.services.bulk.runner import JobRunner
from whats91_desktop.services.container import DesktopServices
from whats91_desktop.ui.bridge import MessageBridge
from whats91_desktop.ui.bulk.audience_step import AudienceStep
from whats91_desktop.ui.bulk.confirm import ask, confirm_send
from whats91_desktop.ui.bulk.job_rows import RowFilter, load_rows
from whats91_desktop.ui.bulk.job_view import JobView
from whats91_desktop.ui.bulk.jobs_list import JobsList
from whats91_desktop.ui.bulk.mapping_step import MappingStep
from whats91_desktop.ui.bulk.progress_relay import ProgressRelay
from whats91_desktop.ui.bulk.report_view import DryRunView
from whats91_desktop.ui.bulk.widgets import button, problem_label, show_problem
from whats91_desktop.ui.compose.pane import ComposePane
from whats91_desktop.ui.i18n import tr
from whats91_desktop.ui.panes import Pane
from whats91_desktop.ui.tasks import TaskSet

ROWS_REFRESH_SECONDS = 2.0
"""While a job runs, its rows table is re-read at most this often."""
ROLLUP_DELAY_MS = 1000
"""Status changes (follower, webhooks) arrive in bursts: the roll-up is re-read once after one."""
SETUP_PAGE, REPORT_PAGE, JOB_PAGE = range(3)


class BulkPane(Pane):
    pane_title = "Bulk"

    def __init__(
        self,
        desk: DesktopServices,
        bridge: MessageBridge,
        parent: QWidget | None = None,
        *,
        compose: ComposePane,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("bulkPane")
        self.desk = desk
        self.bulk = desk.bulk
        self.bridge = bridge
        self.compose = compose
        self.profile: Profile | None = None
        self.audience: Audience | None = None
        self.job_id: str | None = None
        self.runners: dict[str, JobRunner] = {}
        self._list_error = ""
        """The template-list failure shown next to the template field (so a list that then loads
        clears it, and only it: a mapping problem shown there stays)."""
        self._tasks = TaskSet()
        self._rows_generation = 0
        self._rows_offset = 0
        self._rows_read_at = 0.0
        self.relay = ProgressRelay(self)
        self.relay.progressed.connect(self._on_progress)
        self._rollup_timer = QTimer(self)
        self._rollup_timer.setSingleShot(True)
        self._rollup_timer.setInterval(ROLLUP_DELAY_MS)
        self._rollup_timer.timeout.connect(lambda: self._spawn(self._refresh_rollup()))
        self._build()
        compose.template_tab.listed.connect(self._on_templates_listed)
        self._on_templates_listed()  # this room is built late: the list may be there already
        self._unsubscribe = [
            self.bulk.progress.subscribe(self.relay.push),
            desk.row_changes.subscribe(self._on_log_row_changed),
        ]

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        self.jobs = JobsList(self)
        self.jobs.new_requested.connect(self._on_new_clicked)
        self.jobs.job_chosen.connect(self.open_job)
        self.jobs.resume_requested.connect(self._on_resume_job)
        self.audience_step = AudienceStep(self.bulk, lambda: self.profile, self)
        self.audience_step.loaded.connect(self._on_audience_loaded)
        self.mapping = MappingStep(self.compose.template_tab.templates, self)
        self.report_view = DryRunView(self)
        self.report_view.back_requested.connect(self._on_new_clicked)
        self.report_view.run_requested.connect(self._on_run_requested)
        self.job_view = JobView(self)
        self.job_view.pause_requested.connect(self._on_pause_clicked)
        self.job_view.resume_requested.connect(self._on_resume_clicked)
        self.job_view.cancel_requested.connect(self._on_cancel_clicked)
        self.job_view.retry_requested.connect(self._on_retry_clicked)
        self.job_view.check_unknown_requested.connect(self._on_check_unknown_clicked)
        self.job_view.export_requested.connect(self._on_export_clicked)
        self.job_view.filter_changed.connect(lambda _f: self._spawn(self._load_rows(reset=True)))
        self.job_view.more_requested.connect(lambda: self._spawn(self._load_rows(reset=False)))

        self.dry_run_button = button(
            self, tr("Check every row (dry run)"), "bulkDryRunButton", self._on_dry_run_clicked
        )
        self.dry_run_error = problem_label(self, "bulkDryRunError")
        audience_box = QGroupBox(tr("1 · Who gets it"), self)
        QVBoxLayout(audience_box).addWidget(self.audience_step)
        mapping_box = QGroupBox(tr("2 · What they get"), self)
        QVBoxLayout(mapping_box).addWidget(self.mapping)
        check_row = QHBoxLayout()
        check_row.addWidget(QLabel(tr("3 · Nothing is sent until you confirm the report."), self), 1)
        check_row.addWidget(self.dry_run_button)
        setup = QWidget(self)
        setup_layout = QVBoxLayout(setup)
        setup_layout.addWidget(audience_box)
        setup_layout.addWidget(mapping_box, 1)
        setup_layout.addWidget(self.dry_run_error)
        setup_layout.addLayout(check_row)
        scroll = QScrollArea(self)
        scroll.setObjectName("bulkSetupScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(setup)

        self.stack = QStackedWidget(self)
        self.stack.setObjectName("bulkPages")
        self.stack.addWidget(scroll)
        self.stack.addWidget(self.report_view)
        self.stack.addWidget(self.job_view)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("bulkSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.jobs)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([270, 1000])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(splitter)

    # ------------------------------------------------------------------ pane

    def on_profile_changed(self, profile: Profile) -> None:
        if (
            self.stack.currentIndex() == REPORT_PAGE
            and self.profile is not None
            and profile is not self.profile
        ):
            self.stack.setCurrentIndex(SETUP_PAGE)  # the report checked another profile's sender: stale
        self.profile = profile
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        """On opening: the sender's templates (the window's list, fetched once per profile and
        sender; one that failed is asked for again), the jobs list and the resume offer."""
        tab = self.compose.template_tab
        if tab.load_error():
            tab.reload()
        else:
            tab.want()
        self._spawn(self.refresh_jobs())

    def _on_templates_listed(self) -> None:
        self.mapping.refresh_templates()
        error = self.compose.template_tab.load_error() or ""
        if error or self.mapping.template_error.text() == self._list_error:
            show_problem(self.mapping.template_error, error)
        self._list_error = error

    def shutdown(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []
        self.relay.stop()
        self._rollup_timer.stop()
        self._tasks.cancel_all()

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        self._tasks.spawn(coro)

    # ------------------------------------------------------------------ set-up and dry run

    def _on_new_clicked(self) -> None:
        self.stack.setCurrentIndex(SETUP_PAGE)

    def _on_audience_loaded(self, audience: Audience) -> None:
        self.audience = audience
        self.mapping.set_audience(audience)

    @qasync.asyncSlot()
    async def _on_dry_run_clicked(self) -> None:
        profile, audience = self.profile, self.audience
        spec = self.mapping.spec(sender_id=self.compose.sender_id, rate=self.report_view.rate_spin.value())
        if spec is None or profile is None or audience is None:
            return
        self.dry_run_button.setEnabled(False)
        show_problem(self.dry_run_error, "")
        try:
            report = await self.bulk.dry_run(profile, audience, spec)
        except ValidationError as err:
            self.mapping.show_problems(err.problems)
            return
        except Whats91Error as err:
            show_problem(self.dry_run_error, tr("The dry run could not finish: %1").replace("%1", str(err)))
            return
        finally:
            self.dry_run_button.setEnabled(True)
        self.report_view.set_report(report, self.mapping.template_info())
        self.stack.setCurrentIndex(REPORT_PAGE)

    def _on_run_requested(self) -> None:
        report, profile = self.report_view.priced_report(), self.profile
        if report is None or profile is None:
            return
        typed = self.bulk.needs_typed_count(profile)
        if not confirm_send(self, report, profile_name=profile.name, typed=typed):
            self.bridge.report_info(tr("Nothing was sent."))
            return
        self.report_view.run_button.setEnabled(False)
        self._spawn(
            self.plan_and_start(profile, report, skip_invalid=self.report_view.skip_invalid_check.isChecked())
        )

    async def plan_and_start(self, profile: Profile, report: DryRunReport, *, skip_invalid: bool) -> None:
        """Freeze the report's rows as a job and send it — only once the user has confirmed."""
        try:
            summary = await self.bulk.plan(profile, report, skip_invalid=skip_invalid)
        except Whats91Error as err:
            self.bridge.report_error(
                tr("The job could not be planned, nothing was sent: %1").replace("%1", str(err))
            )
            self.report_view.run_button.setEnabled(True)
            return
        await self._start(summary.job_id)

    # ------------------------------------------------------------------ running

    async def _start(self, job_id: str) -> None:
        profile = self.profile
        if profile is None:
            return
        try:
            runner = await self.bulk.start(job_id, profile)
        except Whats91Error as err:
            self.bridge.report_error(
                tr("Job %1 could not start: %2").replace("%1", str(job_id)).replace("%2", str(err))
            )
            await self._show_job(job_id)
            return
        self.runners[job_id] = runner
        await self._show_job(job_id)
        self._spawn(self._follow(job_id, runner))

    async def _follow(self, job_id: str, runner: JobRunner) -> None:
        final = await runner.wait()
        self.runners.pop(job_id, None)
        counts = final.counts
        self.bridge.report_info(
            tr("Bulk job “%1” %2: ").replace("%1", str(final.label)).replace("%2", str(final.state.value))
            + ", ".join(f"{n} {state.value}" for state, n in counts.items() if n)
        )
        await self._refresh_after_change(job_id)

    def _on_progress(self, progress: BulkProgress) -> None:
        if progress.job_id != self.job_id:
            return
        self.job_view.show_progress(progress)
        if progress.state is not JobState.RUNNING:
            self._spawn(self._refresh_after_change(progress.job_id))
        elif time.monotonic() - self._rows_read_at > ROWS_REFRESH_SECONDS:
            self._spawn(self._load_rows(reset=True))
            self._spawn(self._refresh_rollup())
            self._spawn(self.refresh_jobs())

    def _on_pause_clicked(self) -> None:
        runner = self._runner()
        if runner is not None:
            runner.pause()

    def _on_resume_clicked(self) -> None:
        runner = self._runner()
        if runner is not None:
            runner.resume()
        elif self.job_id is not None:
            self._on_resume_job(self.job_id)

    def _on_resume_job(self, job_id: str) -> None:
        self._spawn(self._resume(job_id))

    async def _resume(self, job_id: str) -> None:
        """Reconcile the rows a dead run left unknown before anything is resent, then send the rest."""
        if await self._reconcile(job_id):
            await self._start(job_id)

    def _on_cancel_clicked(self) -> None:
        job_id, summary = self.job_id, self.job_view.summary
        if job_id is None or summary is None:
            return
        if not ask(
            self,
            "Cancel the rest?",
            "Rows not sent yet are skipped (rows already sent stay sent). Cancel them?",
        ):
            return
        runner = self._runner()
        if runner is not None:
            runner.cancel()
        else:
            self._spawn(self._cancel(job_id))

    async def _cancel(self, job_id: str) -> None:
        try:
            await self.bulk.cancel(job_id)
        except Whats91Error as err:
            self.bridge.report_error(
                tr("Job %1 could not be cancelled: %2").replace("%1", str(job_id)).replace("%2", str(err))
            )
        await self._refresh_after_change(job_id)

    def _on_retry_clicked(self) -> None:
        job_id, count = self.job_id, self.job_view.retryable
        if job_id is None or not count:
            return
        if not ask(
            self,
            "Retry failed rows?",
            f"Send again the {count} rows Whats91 turned down for a reason that may pass now "
            "(rate limits, a service briefly unavailable)? Rows that may have arrived are never resent.",
        ):
            return
        self._spawn(self._retry(job_id))

    async def _retry(self, job_id: str) -> None:
        try:
            count = await self.bulk.retry_failed(job_id)
        except Whats91Error as err:
            self.bridge.report_error(
                tr("The failed rows could not be planned again: %1").replace("%1", str(err))
            )
            return
        self.bridge.report_info(tr("Sending %1 rows again.").replace("%1", str(count)))
        await self._start(job_id)

    def _on_check_unknown_clicked(self) -> None:
        if self.job_id is not None:
            self._spawn(self._check_unknown(self.job_id))

    async def _check_unknown(self, job_id: str) -> None:
        await self._reconcile(job_id)
        await self._refresh_after_change(job_id)

    async def _reconcile(self, job_id: str) -> bool:
        profile = self.profile
        if profile is None:
            return False
        try:
            report = await self.bulk.reconcile(job_id, profile)
        except Whats91Error as err:
            self.bridge.report_error(
                tr("The unknown rows of job %1 could not be checked: %2")
                .replace("%1", str(job_id))
                .replace("%2", str(err))
            )
            return False
        if report.found or report.not_sent or report.still_unknown:
            self.bridge.report_info(_reconcile_text(report))
        return True

    def _on_export_clicked(self) -> None:
        summary = self.job_view.summary
        if summary is None:
            return
        path, _filter = QFileDialog.getSaveFileName(
            self, tr("Export the job's results"), f"bulk-{summary.job_id}.csv", "CSV files (*.csv)"
        )
        if path:
            self._spawn(self._export(summary.job_id, Path(path)))

    async def _export(self, job_id: str, path: Path) -> None:
        self.job_view.export_button.setEnabled(False)
        try:
            count = await self.bulk.export_csv(job_id, path)
        except (Whats91Error, OSError) as err:
            self.bridge.report_error(
                tr("The results could not be exported to %1: %2")
                .replace("%1", str(path))
                .replace("%2", str(err))
            )
            return
        finally:
            self.job_view.export_button.setEnabled(True)
        self.bridge.report_info(
            tr("Exported %1 rows to %2.").replace("%1", str(count)).replace("%2", str(path))
        )

    def _runner(self) -> JobRunner | None:
        runner = self.runners.get(self.job_id or "")
        return runner if runner is not None and not runner.finished else None

    # ------------------------------------------------------------------ showing a job

    def open_job(self, job_id: str) -> None:
        self._spawn(self._show_job(job_id))

    async def _show_job(self, job_id: str) -> None:
        if job_id != self.job_id:
            self.job_id = job_id
            self.job_view.set_filter(RowFilter.ALL)
        self.stack.setCurrentIndex(JOB_PAGE)
        await self._refresh_after_change(job_id)

    async def _refresh_after_change(self, job_id: str) -> None:
        """The job's summary, retry count, roll-up and rows, and the jobs list, read again."""
        if job_id == self.job_id:
            try:
                summary = await self.bulk.summary(job_id)
                retryable = await self.bulk.retryable_count(job_id)
            except (KeyError, Whats91Error) as err:
                self.bridge.report_error(
                    tr("Job %1 could not be read: %2").replace("%1", str(job_id)).replace("%2", str(err))
                )
                return
            if job_id == self.job_id:
                runner = self._runner()
                if runner is not None:  # a pause lives in the runner, not in the job file
                    summary = replace(summary, state=runner.state)
                self.job_view.show_summary(summary, running_here=runner is not None, retryable=retryable)
                await self._refresh_rollup()
                await self._load_rows(reset=True)
        await self.refresh_jobs()

    async def _refresh_rollup(self) -> None:
        job_id = self.job_id
        if job_id is None:
            return
        try:
            rollup = await self.bulk.rollup(job_id)
        except (KeyError, Whats91Error):
            return
        if job_id == self.job_id:
            self.job_view.rollup.set_rollup(rollup)

    async def _load_rows(self, *, reset: bool) -> None:
        job_id, summary = self.job_id, self.job_view.summary
        if job_id is None or summary is None:
            return
        self._rows_generation += 1
        generation = self._rows_generation
        self._rows_read_at = time.monotonic()
        offset = 0 if reset else self._rows_offset
        try:
            page = await load_rows(
                self.bulk,
                self.desk.store,
                job_id,
                profile_name=summary.profile,
                row_filter=self.job_view.row_filter,
                offset=offset,
            )
        except (KeyError, Whats91Error) as err:
            self.bridge.report_error(
                tr("The rows of job %1 could not be read: %2")
                .replace("%1", str(job_id))
                .replace("%2", str(err))
            )
            return
        if generation == self._rows_generation and job_id == self.job_id:
            self._rows_offset = page.next_offset
            self.job_view.show_rows(page, reset=reset)

    async def refresh_jobs(self) -> None:
        try:
            summaries = await self.bulk.jobs()
            resumable = await self.bulk.resumable()
        except Whats91Error as err:
            self.bridge.report_error(tr("The bulk jobs could not be read: %1").replace("%1", str(err)))
            return
        self.jobs.set_jobs(summaries, resumable, profile_name=self.profile.name if self.profile else "")

    def _on_log_row_changed(self, _row_id: int) -> None:
        if self.job_id is not None and not self._rollup_timer.isActive():
            self._rollup_timer.start()


def _reconcile_text(report: ReconcileReport) -> str:
    parts = []
    if report.found:
        parts.append(f"{report.found} had reached Whats91 (not resent)")
    if report.not_sent:
        parts.append(f"{report.not_sent} never left and will be sent")
    if report.still_unknown:
        parts.append(f"{report.still_unknown} are still unknown — check them in the log before resending")
    text = "Checked the unknown rows against the reports: " + "; ".join(parts) + "."
    return text + ("\n" + "\n".join(report.explanations[:5]) if report.explanations else "")
