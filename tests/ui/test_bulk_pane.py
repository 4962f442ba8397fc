"""The Bulk room against the in-process sandbox: audience, mapping, dry run, confirm, run,
pause/resume/cancel, resume after a stop, retry failed, roll-up filters, export.

Questions are patched (``QMessageBox.question``, ``QInputDialog.getText``, ``QFileDialog``):
no modal dialog ever opens. Jobs run at a fast pace except where a test needs one mid-way.
"""

from __future__ import annotations

import asyncio
import re
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from tests.helpers.heartbeat import MAX_PAUSE, Heartbeat
from tests.ui.conftest import MessageRecorder, run_on_loop
from whats91_desktop.core.bulk.models import BulkProgress, BulkSpec, JobState, JobSummary, RowState
from whats91_desktop.core.client import Whats91Client
from whats91_desktop.core.errors import ForbiddenError
from whats91_desktop.core.models import TemplateInfo
from whats91_desktop.core.store import LogQuery
from whats91_desktop.services.bulk.service import JobBusy
from whats91_desktop.services.container import DesktopServices
from whats91_desktop.services.sandbox_profile import SANDBOX_PROFILE_NAME
from whats91_desktop.ui.bulk.audience_step import SCOPE_TEXT
from whats91_desktop.ui.bulk.job_rows import RowFilter
from whats91_desktop.ui.bulk.pane import JOB_PAGE, REPORT_PAGE, BulkPane
from whats91_desktop.ui.bulk.progress_relay import ProgressRelay
from whats91_desktop.ui.log.detail import fields_html
from whats91_desktop.ui.main_window import MainWindow

Yes = QMessageBox.StandardButton.Yes
No = QMessageBox.StandardButton.No
CSV = (
    "phone;name;invoice\n"
    "+91 98765 43210;Ann;INV-1\n"
    "+91 98765 43211;Bob;INV-2\n"
    "12;Cid;INV-3\n"
    "+91 98765 43210;Ann again;INV-4\n"
    "+91 98765 43212;Dee;INV-5\n"
    "+91 90000 00009;Blocked;INV-6\n"
)


def numbers(count: int) -> str:
    return "\n".join(f"+9198765{43300 + i}" for i in range(count))


@pytest.fixture
def pane(window: MainWindow, qtbot: Any) -> BulkPane:
    found = next(p for p in window.panes.panes() if isinstance(p, BulkPane))
    window.panes.show_pane("Bulk")
    qtbot.waitUntil(lambda: found.profile is not None, timeout=5000)
    return found


class Answers:
    """Stands in for the modal questions: records each one and answers as told."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, answer: QMessageBox.StandardButton = Yes) -> None:
        self.asked: list[str] = []
        self.answer = answer
        monkeypatch.setattr(QMessageBox, "question", self._question)

    def _question(self, _parent: Any, title: str, text: str, *_args: Any) -> QMessageBox.StandardButton:
        self.asked.append(f"{title} {text}")
        return self.answer


def log_count(qtbot: Any, pane: BulkPane, text: str = "") -> int:
    return run_on_loop(qtbot, pane.desk.store.count(LogQuery(text=text, profile=SANDBOX_PROFILE_NAME)))


def load_csv(qtbot: Any, pane: BulkPane, path: Path) -> None:
    pane.audience_step.file_edit.setText(str(path))
    pane.audience_step.load_csv_button.click()
    qtbot.waitUntil(lambda: pane.audience is not None, timeout=5000)


def use_pasted(qtbot: Any, pane: BulkPane, text: str, message: str = "Hello from the sandbox") -> None:
    pane.audience_step.tabs.setCurrentIndex(1)
    pane.audience_step.paste_edit.setPlainText(text)
    pane.audience_step.use_paste_button.click()
    assert pane.audience is not None
    pane.mapping.text_radio.setChecked(True)
    pane.mapping.text_edit.setPlainText(message)


def dry_run(qtbot: Any, pane: BulkPane, rate: float = 80.0) -> None:
    pane.report_view.rate_spin.setValue(rate)
    pane.dry_run_button.click()
    qtbot.waitUntil(lambda: pane.stack.currentIndex() == REPORT_PAGE, timeout=5000)


def run_job(qtbot: Any, pane: BulkPane) -> None:
    pane.report_view.run_button.click()
    qtbot.waitUntil(lambda: pane.job_id is not None and pane.job_id in pane.runners, timeout=5000)


def summary(qtbot: Any, pane: BulkPane) -> JobSummary:
    assert pane.job_id is not None
    return run_on_loop(qtbot, pane.bulk.summary(pane.job_id))


def wait_state(qtbot: Any, pane: BulkPane, *states: JobState, timeout: float = 8.0) -> JobSummary:
    """Until the job view shows one of ``states``; then the job as its file has it."""
    qtbot.waitUntil(lambda: pane.job_view.state in states, timeout=int(timeout * 1000))
    return summary(qtbot, pane)


# --------------------------------------------------------------------------- audience and mapping


def test_a_csv_is_mapped_and_its_first_rows_previewed(pane: BulkPane, qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    path.write_text(CSV, encoding="utf-8-sig")
    qtbot.waitUntil(lambda: bool(pane.mapping.template_combo.count()), timeout=5000)
    load_csv(qtbot, pane, path)
    mapping = pane.mapping
    mapping.template_combo.setCurrentText("payment_reminder")
    assert mapping.recipient_combo.currentText() == "phone"
    assert [c.currentText() for c in mapping.param_combos] == ["name", "invoice"]
    assert len(mapping.button_combos) == 1
    mapping.button_combos[0].setCurrentText("invoice")
    table = mapping.preview_table
    assert table.rowCount() == 5  # the first five of six
    message = table.item(0, table.columnCount() - 1)
    assert message is not None
    assert "Hi Ann, invoice INV-1 is due" in message.text()


def test_a_file_that_is_not_utf8_names_the_line_and_reads_as_windows_1252(
    pane: BulkPane, qtbot: Any, tmp_path: Path
) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(b"phone,name\n+919876543210,Ann\n+919876543211,Ren\xe9e\n")
    pane.audience_step.file_edit.setText(str(path))
    pane.audience_step.load_csv_button.click()
    error = pane.audience_step.csv_error
    qtbot.waitUntil(error.isVisible, timeout=5000)
    assert "Line 3" in error.text()
    assert pane.audience is None
    assert pane.audience_step.cp1252_button.isVisible()
    pane.audience_step.cp1252_button.click()
    qtbot.waitUntil(lambda: pane.audience is not None, timeout=5000)
    assert pane.audience is not None
    assert pane.audience.rows[1].values == ("+919876543211", "Renée")
    assert not error.isVisible()


def test_a_contact_book_becomes_the_audience(pane: BulkPane, qtbot: Any) -> None:
    step = pane.audience_step
    step.tabs.setCurrentIndex(2)
    step.books_button.click()
    qtbot.waitUntil(lambda: step.books_combo.count() > 0, timeout=5000)
    step.use_book_button.click()
    qtbot.waitUntil(lambda: pane.audience is not None, timeout=5000)
    assert pane.audience is not None
    assert "displayName" in pane.audience.columns
    assert pane.mapping.recipient_combo.currentText() == "phone"


def test_a_number_scoped_token_is_told_plainly_why_books_are_refused(
    pane: BulkPane, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def refused(_profile: Any) -> list[Any]:
        raise ForbiddenError(
            "number-scoped tokens are not allowed", code="TOKEN_SCOPE_NOT_ALLOWED", http_status=403
        )

    monkeypatch.setattr(pane.bulk, "contact_books", refused)
    step = pane.audience_step
    step.tabs.setCurrentIndex(2)
    step.books_button.click()
    qtbot.waitUntil(step.books_error.isVisible, timeout=5000)
    assert step.books_error.text() == SCOPE_TEXT
    assert step.books_button.isEnabled()


def test_the_template_list_is_the_windows_fetched_once_however_often_rooms_are_shown(
    window: MainWindow, pane: BulkPane, context: DesktopServices, qtbot: Any
) -> None:
    sandbox = context.services.sandbox.state
    qtbot.waitUntil(lambda: bool(pane.mapping.template_combo.count()), timeout=5000)
    assert len(sandbox.requests_to("templates")) == 1
    with qtbot.assertNotEmitted(window.compose.templates_wanted, wait=100):
        window.panes.show_pane("Messages")
        window.compose.select_tab("template")
        window.panes.show_pane("Bulk")
        window.panes.show_pane("Messages")
        window.panes.show_pane("Bulk")
    assert len(sandbox.requests_to("templates")) == 1
    assert [t.name for t in window.compose.template_tab.templates()] == [
        pane.mapping.template_combo.itemText(i) for i in range(pane.mapping.template_combo.count())
    ]


def test_another_sender_fetches_its_templates_once(
    window: MainWindow, pane: BulkPane, context: DesktopServices, qtbot: Any
) -> None:
    sandbox = context.services.sandbox.state
    qtbot.waitUntil(lambda: bool(pane.mapping.template_combo.count()), timeout=5000)
    picker = window.switcher.sender_picker
    assert picker.count() > 1
    picker.setCurrentIndex(1 if picker.currentIndex() != 1 else 0)
    wanted = picker.current_sender_id()
    qtbot.waitUntil(lambda: len(sandbox.requests_to("templates")) == 2, timeout=5000)
    assert sandbox.requests_to("templates")[-1].query.get("senderId") == wanted
    window.panes.show_pane("Messages")
    window.panes.show_pane("Bulk")
    qtbot.wait(100)
    assert len(sandbox.requests_to("templates")) == 2


def test_a_template_list_that_cannot_be_read_says_so_next_to_the_template_field(
    window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    refusing = [True]
    real = Whats91Client.list_templates

    async def list_templates(client: Whats91Client, sender_id: str | None = None) -> list[TemplateInfo]:
        if refusing:
            raise ForbiddenError("this token may not list templates", http_status=403)
        return await real(client, sender_id)

    monkeypatch.setattr(Whats91Client, "list_templates", list_templates)
    window.panes.show_pane("Bulk")
    pane = next(p for p in window.panes.panes() if isinstance(p, BulkPane))
    error = pane.mapping.template_error
    qtbot.waitUntil(error.isVisible, timeout=5000)
    assert "this token may not list templates" in error.text()
    assert pane.mapping.template_combo.count() == 0
    refusing.clear()
    window.panes.show_pane("Messages")
    window.panes.show_pane("Bulk")  # a list that failed is asked for again
    qtbot.waitUntil(lambda: bool(pane.mapping.template_combo.count()), timeout=5000)
    assert not error.isVisible()


def test_a_mapping_mistake_is_shown_next_to_its_field_and_checks_nothing(pane: BulkPane, qtbot: Any) -> None:
    use_pasted(qtbot, pane, numbers(2), message="Hi {first_name}")
    pane.dry_run_button.click()
    qtbot.waitUntil(pane.mapping.text_error.isVisible, timeout=5000)
    assert "{first_name}" in pane.mapping.text_error.text()
    assert pane.stack.currentIndex() != REPORT_PAGE


# --------------------------------------------------------------------------- dry run and confirmation


def test_the_dry_run_lists_problems_and_counts_and_sends_nothing(
    pane: BulkPane, qtbot: Any, tmp_path: Path
) -> None:
    path = tmp_path / "customers.csv"
    path.write_text(CSV, encoding="utf-8")
    qtbot.waitUntil(lambda: bool(pane.mapping.template_combo.count()), timeout=5000)
    load_csv(qtbot, pane, path)
    pane.mapping.template_combo.setCurrentText("payment_reminder")
    pane.mapping.button_combos[0].setCurrentText("invoice")
    dry_run(qtbot, pane, rate=10.0)
    view = pane.report_view
    assert view.will_send_label.text() == "3 of 6 rows will be sent"
    assert view.invalid_label.text() == "1 invalid"
    assert view.skipped_label.text().startswith("2 skipped")
    assert view.checks.rowCount() == 3
    view.filter_edit.setText("blacklist")
    assert view.filtered.rowCount() == 1
    assert view.filtered.index(0, 1).data() == "+91 90000 00009"
    view.filter_edit.clear()
    view.filter_combo.setCurrentIndex(1)  # invalid rows only
    assert view.filtered.rowCount() == 1
    assert view.filtered.index(0, 0).data() == "4"
    view.filter_combo.setCurrentIndex(0)
    view.filter_edit.setText("same number")
    assert view.filtered.rowCount() == 1
    sampled = view.preview.accessibleDescription()
    assert re.search(r"^Payment due Hi (Ann|Bob|Dee), invoice INV-\d is due\. .* Pay now$", sampled)
    assert view.preview_caption.text().startswith("Line ")
    assert not view.run_button.isEnabled()  # an invalid row blocks until it is skipped
    view.skip_invalid_check.setChecked(True)
    assert view.run_button.isEnabled()
    view.rate_spin.setValue(1.5)
    assert view.eta_label.text() == "takes about 2 s for 3 messages"
    assert log_count(qtbot, pane) == 0


def test_declining_the_confirmation_sends_nothing(
    pane: BulkPane, qtbot: Any, monkeypatch: pytest.MonkeyPatch, messages: MessageRecorder
) -> None:
    answers = Answers(monkeypatch, No)
    use_pasted(qtbot, pane, numbers(3))
    dry_run(qtbot, pane)
    pane.report_view.run_button.click()
    assert len(answers.asked) == 1
    assert "3 recipients" in answers.asked[0]
    assert "Nothing was sent." in messages.texts("info")
    assert run_on_loop(qtbot, pane.bulk.jobs()) == []


def test_a_production_profile_sends_only_after_the_count_is_typed(
    pane: BulkPane, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    typed: list[str] = ["2", "3"]
    prompts: list[str] = []

    def get_text(_parent: Any, _title: str, label: str, *_args: Any) -> tuple[str, bool]:
        prompts.append(label)
        return typed.pop(0), True

    monkeypatch.setattr(QInputDialog, "getText", get_text)
    monkeypatch.setattr(pane.bulk, "needs_typed_count", lambda _profile: True)
    use_pasted(qtbot, pane, numbers(3))
    dry_run(qtbot, pane)
    pane.report_view.run_button.click()  # types 2: wrong
    assert pane.job_id is None
    assert "Type the number of recipients (3)" in prompts[0]
    run_job(qtbot, pane)  # types 3
    wait_state(qtbot, pane, JobState.FINISHED)
    assert log_count(qtbot, pane) == 3


# --------------------------------------------------------------------------- running


def test_a_confirmed_job_runs_to_the_end_with_one_log_row_per_sent_row(
    pane: BulkPane, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    Answers(monkeypatch)
    use_pasted(qtbot, pane, numbers(6) + "\n+919876543300")  # the last repeats the first
    dry_run(qtbot, pane)
    run_job(qtbot, pane)
    assert pane.stack.currentIndex() == JOB_PAGE
    final = wait_state(qtbot, pane, JobState.FINISHED)
    assert final.counts[RowState.ACCEPTED] == 6
    assert final.counts[RowState.SKIPPED] == 1
    assert log_count(qtbot, pane) == 6
    assert log_count(qtbot, pane, "919876543300") == 1
    assert log_count(qtbot, pane, f"job:{final.job_id}") == 6  # linked by the log's job_id column
    (entry,) = run_on_loop(qtbot, pane.desk.store.page(LogQuery(text=f"job:{final.job_id}"), 0, 1))
    assert f"Bulk job</td><td style=\"padding-right:28px\">{final.job_id}<" in fields_html(entry)
    view = pane.job_view
    qtbot.waitUntil(lambda: view.progress_bar.value() == 7, timeout=3000)
    assert view.rows.rowCount() == 7
    assert not view.pause_button.isEnabled()


def test_pause_resume_and_cancel_from_the_pane(
    pane: BulkPane, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = Answers(monkeypatch)
    use_pasted(qtbot, pane, numbers(20))
    dry_run(qtbot, pane, rate=10.0)
    run_job(qtbot, pane)
    view = pane.job_view
    qtbot.waitUntil(view.pause_button.isEnabled, timeout=3000)
    view.pause_button.click()
    paused = wait_state(qtbot, pane, JobState.PAUSED)
    assert paused.left > 0
    qtbot.waitUntil(view.resume_button.isEnabled, timeout=3000)
    assert view.resume_button.text() == f"Resume ({paused.left} left)"
    held = log_count(qtbot, pane)
    qtbot.wait(400)  # four rows' time at 10/s
    assert log_count(qtbot, pane) == held
    view.resume_button.click()
    wait_state(qtbot, pane, JobState.RUNNING)
    qtbot.waitUntil(lambda: view.progress_bar.value() > held, timeout=3000)
    view.cancel_button.click()
    assert answers.asked[-1].startswith("Cancel the rest?")
    final = wait_state(qtbot, pane, JobState.CANCELLED)
    sent = final.counts[RowState.ACCEPTED]
    assert final.counts[RowState.SKIPPED] == 20 - sent
    assert 0 < sent < 20
    assert log_count(qtbot, pane) == sent


def test_a_job_left_mid_way_is_offered_for_resume_and_finishes_once_each(pane: BulkPane, qtbot: Any) -> None:
    bulk, profile = pane.bulk, pane.profile
    assert profile is not None
    audience = bulk.load_pasted(numbers(6))
    spec = BulkSpec(to_column="phone", text="Left mid-way", rate=5.0)

    async def leave_mid_way() -> str:
        report = await bulk.dry_run(profile, audience, spec)
        job = await bulk.plan(profile, report)
        first_sent = asyncio.Event()
        unsubscribe = bulk.progress.subscribe(
            lambda p: first_sent.set() if p.counts.get(RowState.ACCEPTED) else None
        )
        runner = await bulk.start(job.job_id, profile)
        await first_sent.wait()
        unsubscribe()
        runner.stop()
        await runner.wait()
        return job.job_id

    job_id = run_on_loop(qtbot, leave_mid_way())
    pane.refresh()
    offer = pane.jobs.offer_button
    qtbot.waitUntil(offer.isVisible, timeout=3000)
    left = summary_of(qtbot, pane, job_id).left
    assert 0 < left < 6
    assert offer.text() == f"Resume ({left} left)"
    offer.click()
    qtbot.waitUntil(lambda: summary_of(qtbot, pane, job_id).state is JobState.FINISHED, timeout=8000)
    assert log_count(qtbot, pane) == 6
    assert all(log_count(qtbot, pane, n) == 1 for n in numbers(6).split())
    qtbot.waitUntil(lambda: not offer.isVisible(), timeout=3000)


def summary_of(qtbot: Any, pane: BulkPane, job_id: str) -> JobSummary:
    return run_on_loop(qtbot, pane.bulk.summary(job_id))


def test_retry_failed_asks_first_and_the_failed_count_filters_the_rows(
    pane: BulkPane, context: DesktopServices, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = Answers(monkeypatch)
    context.services.sandbox.state.throttle(3, retry_after=0.05)  # every attempt of the first run
    use_pasted(qtbot, pane, "+918888888888")
    dry_run(qtbot, pane)
    run_job(qtbot, pane)
    wait_state(qtbot, pane, JobState.FINISHED)
    view = pane.job_view
    qtbot.waitUntil(lambda: view.retry_button.text() == "Retry failed (1)", timeout=3000)
    rollup = view.rollup.count_buttons
    qtbot.waitUntil(lambda: rollup[RowFilter.FAILED].text() == "1 failed", timeout=3000)
    rollup[RowFilter.FAILED].click()
    assert view.row_filter is RowFilter.FAILED
    qtbot.waitUntil(
        lambda: [view.rows.index(r, 2).data() for r in range(view.rows.rowCount())] == ["rejected"]
    )
    assert "RATE_LIMITED" in view.rollup.errors_label.text()

    answers.answer = No
    view.retry_button.click()
    assert "Retry failed rows?" in answers.asked[-1]
    assert log_count(qtbot, pane) == 1  # declined: nothing resent

    answers.answer = Yes
    started: list[str] = []

    async def start(job_id: str, _profile: Any) -> None:
        started.append(job_id)  # the resend itself waits out Meta's 6 s pair gap: not here
        raise JobBusy("held by the test")

    monkeypatch.setattr(pane.bulk, "start", start)
    view.retry_button.click()
    qtbot.waitUntil(lambda: started == [pane.job_id], timeout=3000)
    replanned = summary(qtbot, pane)
    assert replanned.counts[RowState.REJECTED] == 0
    assert replanned.counts[RowState.PLANNED] == 1


def test_the_sent_count_filters_the_rows_and_results_export(
    pane: BulkPane, qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, messages: MessageRecorder
) -> None:
    Answers(monkeypatch)
    use_pasted(qtbot, pane, numbers(3) + "\n+919876543300")
    dry_run(qtbot, pane)
    run_job(qtbot, pane)
    wait_state(qtbot, pane, JobState.FINISHED)
    view = pane.job_view
    sent = view.rollup.count_buttons[RowFilter.SENT]
    qtbot.waitUntil(lambda: sent.text() == "3 sent", timeout=3000)
    sent.click()
    qtbot.waitUntil(
        lambda: [view.rows.index(r, 2).data() for r in range(view.rows.rowCount())] == ["accepted"] * 3
    )

    target = tmp_path / "results.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), "CSV files (*.csv)"))
    view.export_button.click()
    qtbot.waitUntil(lambda: f"Exported 4 rows to {target}." in messages.texts("info"), timeout=5000)
    header = target.read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("phone,recipient,outcome,messageId")


# --------------------------------------------------------------------------- progress relay


def test_progress_reaches_the_view_a_few_times_a_second_and_state_changes_at_once(qtbot: Any) -> None:
    relay = ProgressRelay()
    seen: list[BulkProgress] = []
    relay.progressed.connect(seen.append)
    counts = {state: 0 for state in RowState}

    def event(done: int, state: JobState = JobState.RUNNING) -> BulkProgress:
        return BulkProgress("job", state, {**counts, RowState.ACCEPTED: done}, 10.0, 1.0)

    for done in range(50):
        relay.push(event(done))
    qtbot.waitUntil(lambda: len(seen) >= 2, timeout=2000)
    assert len(seen) == 2  # the first (a new state) at once, then the newest after the throttle
    assert seen[-1].counts[RowState.ACCEPTED] == 49
    relay.push(event(50, JobState.PAUSED))
    qtbot.waitUntil(lambda: len(seen) == 3, timeout=100)
    assert seen[-1].state is JobState.PAUSED


def test_the_window_keeps_ticking_while_a_job_runs_flat_out(pane: BulkPane, qtbot: Any) -> None:
    """60 rows at no pace limit (planned through the engine: the window caps the pace at 80/s):
    the GUI thread never pauses for long, and the view is redrawn a few times a second, not per row."""
    bulk, profile = pane.bulk, pane.profile
    assert profile is not None
    audience = bulk.load_pasted(numbers(60))
    spec = BulkSpec(to_column="phone", text="Flat out", rate=None)

    async def plan() -> str:
        return (await bulk.plan(profile, await bulk.dry_run(profile, audience, spec))).job_id

    job_id = run_on_loop(qtbot, plan())
    pane.refresh()
    qtbot.waitUntil(pane.jobs.offer_button.isVisible, timeout=3000)
    with Heartbeat() as heartbeat:
        started = time.monotonic()
        pane.jobs.offer_button.click()
        wait_state(qtbot, pane, JobState.FINISHED, timeout=20)
        took = time.monotonic() - started
    assert heartbeat.longest_pause < MAX_PAUSE
    assert pane.job_view.progress_bar.value() == 60
    assert pane.relay.delivered <= 4 * took + 4
    assert summary_of(qtbot, pane, job_id).counts[RowState.ACCEPTED] == 60
