"""Step 3 of a bulk send: the dry run's report, and the one button that starts sending.

Everything the user must know before confirming is on one page: how many rows will go, how many
are skipped (duplicates, blacklisted numbers — with the reason) and how many are invalid, a
filterable list of those rows, the ETA at the chosen pace, and a sampled row drawn as the
recipient will see it. Changing the pace only rescales the ETA (the report's rows do not
change), so there is no need to check again.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from whats91_desktop.core.bulk.models import DEFAULT_RATE, MAX_RATE, DryRunReport
from whats91_desktop.core.models import TemplateInfo
from whats91_desktop.core.phone import readable_number
from whats91_desktop.ui.bulk.checks_model import INVALID, SKIPPED, ChecksFilter, ChecksModel
from whats91_desktop.ui.bulk.formatting import duration_text
from whats91_desktop.ui.bulk.message_preview import show_message
from whats91_desktop.ui.bulk.widgets import button, named, size_columns
from whats91_desktop.ui.compose.preview import BubblePreview
from whats91_desktop.ui.i18n import tr
from whats91_desktop.ui.palette import themed_style

PROBLEM_WIDTHS = ("00000", "+91 98765 43210", "skipped")
VERDICTS = (("All problems", None), ("Invalid rows", INVALID), ("Skipped rows", SKIPPED))


class DryRunView(QWidget):
    back_requested = Signal()
    run_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bulkDryRunView")
        self.report: DryRunReport | None = None
        self.checks = ChecksModel()
        self.filtered = ChecksFilter(self.checks)
        self._build()

    def _build(self) -> None:
        self.will_send_label = QLabel("", self)
        self.will_send_label.setObjectName("bulkWillSendLabel")
        font = self.will_send_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.will_send_label.setFont(font)
        self.skipped_label = QLabel("", self)
        self.skipped_label.setObjectName("bulkSkippedLabel")
        self.invalid_label = QLabel("", self)
        self.invalid_label.setObjectName("bulkInvalidLabel")
        self.notes_label = QLabel("", self)
        self.notes_label.setObjectName("bulkNotesLabel")
        self.notes_label.setWordWrap(True)
        themed_style(self.notes_label, "color: $caution;")
        self.rate_spin = named(QDoubleSpinBox(self), "bulkRateSpin", tr("Messages per second"))
        self.rate_spin.setRange(0.1, MAX_RATE)
        self.rate_spin.setDecimals(1)
        self.rate_spin.setValue(DEFAULT_RATE)
        self.rate_spin.setSuffix(" messages/s")
        self.rate_spin.setToolTip(f"At most {MAX_RATE:g}/s; 10/s is the platform's per-number default")
        self.rate_spin.valueChanged.connect(lambda _v: self._update_eta())
        self.eta_label = QLabel("", self)
        self.eta_label.setObjectName("bulkEtaLabel")
        self.eta_label.setWordWrap(True)
        self.filter_combo = named(QComboBox(self), "bulkProblemKindCombo", tr("Show problems of kind"))
        for text, _verdict in VERDICTS:
            self.filter_combo.addItem(tr(text))
        self.filter_edit = named(QLineEdit(self), "bulkProblemFilterEdit", tr("Filter problems"))
        self.filter_edit.setPlaceholderText(tr("Filter by line, number or problem…"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_combo.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.filter_edit.textChanged.connect(lambda _t: self._apply_filter())
        self.table = named(QTableView(self), "bulkProblemsTable", tr("Rows with problems"))
        self.table.setModel(self.filtered)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        size_columns(self.table, PROBLEM_WIDTHS)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.setWordWrap(False)
        self.preview_caption = QLabel("", self)
        self.preview_caption.setObjectName("bulkPreviewCaption")
        self.preview = BubblePreview(self)
        self.preview.setObjectName("bulkMessagePreview")
        self.preview.setMinimumWidth(220)
        self.skip_invalid_check = named(
            QCheckBox(tr("Skip the invalid rows and send the rest"), self),
            "bulkSkipInvalidCheck",
            tr("Skip invalid rows"),
        )
        self.skip_invalid_check.toggled.connect(lambda _on: self._update_run())
        self.back_button = button(self, tr("Back to the mapping"), "bulkBackButton", self.back_requested.emit)
        self.run_button = button(self, tr("Send"), "bulkRunButton", self.run_requested.emit)
        self.run_button.setDefault(True)
        self.run_hint = QLabel(tr("Nothing has been sent yet."), self)
        self.run_hint.setObjectName("bulkRunHint")

        counts = QGridLayout()
        counts.addWidget(self.will_send_label, 0, 0, 1, 2)
        counts.addWidget(self.skipped_label, 1, 0)
        counts.addWidget(self.invalid_label, 1, 1)
        pace = QHBoxLayout()
        pace.addWidget(QLabel(tr("Pace"), self))
        pace.addWidget(self.rate_spin)
        pace.addWidget(self.eta_label, 1)
        filters = QHBoxLayout()
        filters.addWidget(self.filter_combo)
        filters.addWidget(self.filter_edit, 1)
        left = QVBoxLayout()
        left.addLayout(counts)
        left.addWidget(self.notes_label)
        left.addLayout(pace)
        left.addLayout(filters)
        left.addWidget(self.table, 1)
        right = QVBoxLayout()
        right.addWidget(self.preview_caption)
        right.addWidget(self.preview, 1)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addLayout(right, 2)
        checks = QHBoxLayout()
        checks.addWidget(self.skip_invalid_check)
        checks.addStretch(1)
        checks.addWidget(self.run_hint)
        actions = QHBoxLayout()
        actions.addWidget(self.back_button)
        actions.addStretch(1)
        actions.addWidget(self.run_button)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addLayout(checks)
        layout.addLayout(actions)

    # ------------------------------------------------------------------ showing

    def set_report(self, report: DryRunReport, info: TemplateInfo | None) -> None:
        self.report = report
        if report.spec.rate:
            self.rate_spin.blockSignals(True)
            self.rate_spin.setValue(report.spec.rate)
            self.rate_spin.blockSignals(False)
        self.checks.set_checks(report.checks)
        self.will_send_label.setText(
            tr("%1 of %2 rows will be sent")
            .replace("%1", str(report.will_send))
            .replace("%2", str(len(report.checks)))
        )
        self.skipped_label.setText(
            tr("%1 skipped (duplicates, blacklist)").replace("%1", str(report.skipped))
        )
        self.invalid_label.setText(tr("%1 invalid").replace("%1", str(report.invalid)))
        themed_style(self.invalid_label, "color: $problem;" if report.invalid else "")
        self.notes_label.setText("\n".join(report.notes))
        self.notes_label.setVisible(bool(report.notes))
        self.skip_invalid_check.setChecked(False)
        self.skip_invalid_check.setVisible(report.invalid > 0)
        index = report.preview_index
        check = report.checks[index] if index is not None else None
        self.preview_caption.setText(
            tr("Line %1 (%2) will read:")
            .replace("%1", str(check.line))
            .replace("%2", str(readable_number(check.recipient)))
            if check
            else tr("No row can be sent.")
        )
        show_message(self.preview, check.message if check else None, info, report.preview_text)
        self._update_eta()
        self._apply_filter()

    def priced_report(self) -> DryRunReport | None:
        """The report at the pace now chosen (what the job is planned with)."""
        if self.report is None:
            return None
        rate = self.rate_spin.value()
        return replace(
            self.report, spec=replace(self.report.spec, rate=rate), eta_seconds=self.report.will_send / rate
        )

    def _update_eta(self) -> None:
        report = self.priced_report()
        if report is not None:
            self.eta_label.setText(
                tr("takes %1 for %2 messages")
                .replace("%1", str(duration_text(report.eta_seconds)))
                .replace("%2", str(report.will_send))
            )
        self._update_run()

    def _update_run(self) -> None:
        report = self.report
        if report is None:
            return
        blocked = report.invalid > 0 and not self.skip_invalid_check.isChecked()
        self.run_button.setText(tr("Send %1 messages…").replace("%1", str(report.will_send)))
        self.run_button.setEnabled(report.will_send > 0 and not blocked)
        self.run_hint.setText(
            tr("%1 rows are invalid: fix the file, or skip them.").replace("%1", str(report.invalid))
            if blocked
            else tr("Nothing has been sent yet.")
        )

    def _apply_filter(self) -> None:
        self.filtered.set_filter(VERDICTS[self.filter_combo.currentIndex()][1], self.filter_edit.text())
