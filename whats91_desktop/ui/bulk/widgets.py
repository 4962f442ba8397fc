"""Small builders the Bulk room's views share: every control gets an object name (scripts and
tests find it by that) and an accessible name (what a screen reader says)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QTableView, QWidget

from whats91_desktop.ui.palette import themed_style

W = TypeVar("W", bound=QWidget)


def named(widget: W, object_name: str, accessible_name: str) -> W:
    widget.setObjectName(object_name)
    widget.setAccessibleName(accessible_name)
    return widget


def button(parent: QWidget, text: str, object_name: str, slot: Callable[[], object]) -> QPushButton:
    """A push button whose click calls ``slot`` with no arguments (not ``checked``)."""
    widget = named(QPushButton(text, parent), object_name, text.replace("…", "").strip())
    widget.clicked.connect(lambda _checked=False: slot())
    return widget


def problem_label(parent: QWidget, object_name: str) -> QLabel:
    """A red, wrapped line under a field; empty (and hidden) while there is nothing wrong."""
    label = QLabel("", parent)
    label.setObjectName(object_name)
    label.setWordWrap(True)
    themed_style(label, "color: $problem;")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def show_problem(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


def size_columns(table: QTableView, samples: tuple[str, ...]) -> None:
    """Columns as wide as a typical value (the last one stretches): sized once, from the font,
    so a table that refreshes while a job runs never jumps, and costs nothing to repaint."""
    header = table.horizontalHeader()
    header.setStretchLastSection(True)
    metrics = table.fontMetrics()
    for column, sample in enumerate(samples):
        header.resizeSection(column, metrics.horizontalAdvance(sample) + 24)
