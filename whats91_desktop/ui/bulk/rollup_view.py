"""The campaign roll-up: what became of the sent rows, like a BSP console's campaign analytics.

Sent, delivered, read, failed and unknown counts (from the log's statuses, which the follower
and the webhook receiver keep current) and the top error codes with their hints. Every count is
a button: a click filters the job's rows table to those rows.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from whats91_desktop.core.bulk.models import Rollup
from whats91_desktop.ui.bulk.job_rows import RowFilter
from whats91_desktop.ui.bulk.widgets import named
from whats91_desktop.ui.i18n import tr

COUNTS: tuple[tuple[RowFilter, str], ...] = (
    (RowFilter.SENT, "sent"),
    (RowFilter.DELIVERED, "delivered"),
    (RowFilter.READ, "read"),
    (RowFilter.FAILED, "failed"),
    (RowFilter.UNKNOWN, "unknown"),
)


class RollupView(QWidget):
    filter_requested = Signal(object)
    """A :class:`RowFilter`: the user clicked that count."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bulkRollup")
        self.count_buttons: dict[RowFilter, QPushButton] = {}
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for row_filter, field in COUNTS:
            widget = named(
                QPushButton(self),
                f"bulkRollup{field.capitalize()}Button",
                tr("Show the %1 rows").replace("%1", str(field)),
            )
            widget.setFlat(True)
            widget.setCursor(Qt.CursorShape.PointingHandCursor)
            widget.setStyleSheet("QPushButton { color: palette(link); text-decoration: underline; }")
            widget.setToolTip(tr("Show only the %1 rows below").replace("%1", str(field)))
            widget.clicked.connect(lambda _checked=False, f=row_filter: self.filter_requested.emit(f))
            self.count_buttons[row_filter] = widget
            row.addWidget(widget)
        row.addStretch(1)
        self.errors_label = QLabel("", self)
        self.errors_label.setObjectName("bulkTopErrors")
        self.errors_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.errors_label)
        self.set_rollup(None)

    def set_rollup(self, rollup: Rollup | None) -> None:
        for row_filter, field in COUNTS:
            count = getattr(rollup, field) if rollup is not None else 0
            self.count_buttons[row_filter].setText(f"{count} {field}")
        errors = rollup.top_errors if rollup is not None else ()
        lines = [f"{e.code} × {e.count}" + (f" — {e.hint}" if e.hint else "") for e in errors]
        self.errors_label.setText(tr("Top errors: ") + "; ".join(lines) if lines else "")
        self.errors_label.setVisible(bool(lines))
