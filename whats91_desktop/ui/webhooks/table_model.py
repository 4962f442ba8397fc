"""A read-only table over a plain list: the destinations and the deliveries share it.

Subclasses say what a row shows (:meth:`cells`) and, optionally, its colour (:meth:`colour`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from whats91_desktop.ui.i18n import tr

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex


class ListTableModel(QAbstractTableModel, Generic[T]):
    columns: tuple[str, ...] = ()

    def __init__(self) -> None:
        super().__init__()
        self._items: list[T] = []

    def cells(self, item: T) -> tuple[str, ...]:
        raise NotImplementedError

    def colour(self, item: T, column: int) -> QColor | None:
        return None

    def set_items(self, items: Sequence[T]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def append(self, item: T) -> None:
        self.beginInsertRows(QModelIndex(), len(self._items), len(self._items))
        self._items.append(item)
        self.endInsertRows()

    def drop_first(self, count: int) -> None:
        if count > 0:
            self.beginRemoveRows(QModelIndex(), 0, count - 1)
            del self._items[:count]
            self.endRemoveRows()

    def row_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))

    def items(self) -> list[T]:
        return list(self._items)

    def item_at(self, row: int) -> T | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def rowCount(self, parent: Index | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._items)

    def columnCount(self, parent: Index | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.item_at(index.row()) if index.isValid() else None
        if item is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.cells(item)[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole:
            colour = self.colour(item, index.column())
            return QBrush(colour) if colour is not None else None
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(self.columns[section]) if 0 <= section < len(self.columns) else None
        return None
