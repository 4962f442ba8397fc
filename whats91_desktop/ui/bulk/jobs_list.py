"""The jobs of this computer, newest first, to reopen one; and the offer to resume.

A job with rows left that no living process is sending (the window was closed mid-run, the
machine crashed, the CLI was killed) is offered at the top as "Resume (N left)" — for the
profile in use; a job of another profile says which profile to switch to.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from whats91_desktop.core.bulk.models import JobSummary
from whats91_desktop.ui.bulk.formatting import job_title
from whats91_desktop.ui.bulk.widgets import button, named
from whats91_desktop.ui.i18n import tr


class JobsList(QWidget):
    new_requested = Signal()
    job_chosen = Signal(str)
    """A job id the user picked (in the list, or through the resume offer)."""
    resume_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bulkJobsPanel")
        self.summaries: list[JobSummary] = []
        self.offer: JobSummary | None = None
        self.new_button = button(self, tr("New bulk send"), "bulkNewButton", self.new_requested.emit)
        self.offer_label = QLabel("", self)
        self.offer_label.setObjectName("bulkResumeOffer")
        self.offer_label.setWordWrap(True)
        self.offer_button = button(self, tr("Resume"), "bulkResumeOfferButton", self._on_offer_clicked)
        self.list = named(QListWidget(self), "bulkJobsList", tr("Bulk jobs"))
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(self._on_item)
        self.list.itemClicked.connect(self._on_item)
        heading = QHBoxLayout()
        heading.addWidget(QLabel(tr("Jobs"), self), 1)
        heading.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(heading)
        layout.addWidget(self.offer_label)
        layout.addWidget(self.offer_button)
        layout.addWidget(self.list, 1)
        self.set_jobs([], [], profile_name="")

    def set_jobs(
        self, summaries: Sequence[JobSummary], resumable: Sequence[JobSummary], *, profile_name: str
    ) -> None:
        self.summaries = list(summaries)
        current = self.list.currentItem()
        selected = current.data(Qt.ItemDataRole.UserRole) if current is not None else None
        self.list.clear()
        for summary in summaries:
            item = QListWidgetItem(job_title(summary))
            item.setData(Qt.ItemDataRole.UserRole, summary.job_id)
            item.setToolTip(
                tr("job %1 · profile %2")
                .replace("%1", str(summary.job_id))
                .replace("%2", str(summary.profile))
            )
            self.list.addItem(item)
            if summary.job_id == selected:
                self.list.setCurrentItem(item)
        if not summaries:
            self.list.addItem(QListWidgetItem(tr("No bulk job yet.")))
        mine = [s for s in resumable if s.profile == profile_name]
        others = [s for s in resumable if s.profile != profile_name]
        self.offer = mine[0] if mine else None
        if self.offer is not None:
            more = f" (and {len(mine) - 1} more)" if len(mine) > 1 else ""
            self.offer_label.setText(
                tr("“%1” stopped before the end%2.")
                .replace("%1", str(self.offer.label))
                .replace("%2", str(more))
            )
            self.offer_button.setText(tr("Resume (%1 left)").replace("%1", str(self.offer.left)))
        elif others:
            self.offer_label.setText(
                tr("A job of profile “%1” has %2 rows left: switch to that profile to resume it.")
                .replace("%1", str(others[0].profile))
                .replace("%2", str(others[0].left))
            )
        self.offer_label.setVisible(bool(mine or others))
        self.offer_button.setVisible(self.offer is not None)

    def _on_offer_clicked(self) -> None:
        if self.offer is not None:
            self.resume_requested.emit(self.offer.job_id)

    def _on_item(self, item: QListWidgetItem) -> None:
        job_id = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(job_id, str):
            self.job_chosen.emit(job_id)
