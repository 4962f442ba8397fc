"""A delegate for columns of ids, which differ at the end: elided in the middle."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem


class ElideMiddleDelegate(QStyledItemDelegate):
    """Draws its column's text elided in the middle (``wamid.HBgM…Ty4Qwb``).

    The message log's id column does not use it: repainted at every send, it has its model
    elide each id once per width instead (``MessageLogModel.set_id_room``)."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle
