"""The dry run's problem list as a Qt table: one row per audience row that will not go as is
(invalid, or skipped with its reason: a duplicate, a blacklisted number), filterable by kind
and text through :class:`ChecksFilter`."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel
from PySide6.QtGui import QColor

from whats91_desktop.core.bulk.models import RowCheck
from whats91_desktop.core.phone import readable_number
from whats91_desktop.ui.palette import colour
from whats91_desktop.ui.webhooks.table_model import ListTableModel

INVALID = "invalid"
SKIPPED = "skipped"


def verdict(check: RowCheck) -> str:
    return INVALID if check.problems else SKIPPED


def problem_text(check: RowCheck) -> str:
    if check.problems:
        return "; ".join(f"{p.field}: {p.message}" for p in check.problems)
    return check.skip_reason or ""


class ChecksModel(ListTableModel[RowCheck]):
    columns = ("Line", "Recipient", "Verdict", "Problem")

    def set_checks(self, checks: Sequence[RowCheck]) -> None:
        """Keep only the rows that will not go as they are."""
        self.set_items([c for c in checks if c.problems or c.skip_reason is not None])

    def cells(self, item: RowCheck) -> tuple[str, ...]:
        return (str(item.line), readable_number(item.recipient), verdict(item), problem_text(item))

    def colour(self, item: RowCheck, column: int) -> QColor | None:
        return QColor(colour("problem")) if column == 2 and item.problems else None


class ChecksFilter(QSortFilterProxyModel):
    """Rows of one verdict (or all), whose text contains every typed word."""

    def __init__(self, source: ChecksModel) -> None:
        super().__init__()
        self.setSourceModel(source)
        self._source = source
        self._verdict: str | None = None
        self._words: list[str] = []

    def set_filter(self, verdict_name: str | None, text: str) -> None:
        self.beginFilterChange()
        self._verdict = verdict_name
        self._words = text.lower().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        check = self._source.item_at(source_row)
        if check is None:
            return False
        if self._verdict is not None and verdict(check) != self._verdict:
            return False
        haystack = " ".join(self._source.cells(check)).lower()
        return all(word in haystack for word in self._words)
