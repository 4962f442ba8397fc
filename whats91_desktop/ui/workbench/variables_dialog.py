"""Edit a profile's ``{{variables}}``: a table of names and plain values.

The values go into every message of the profile when it is checked, previewed and sent (see
``core.variables``). They are settings, not secrets: a token-shaped value is refused here with
the settings' own check, before anything is written. Save stays disabled while a row is wrong,
and the dialog closes only once the saver has written them (it stays open with the error
otherwise, so nothing typed is lost).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from whats91_desktop.core.errors import Whats91Error
from whats91_desktop.core.settings import PROFILE_SPECS
from whats91_desktop.core.variables import Variables
from whats91_desktop.ui.i18n import tr
from whats91_desktop.ui.palette import themed_style
from whats91_desktop.ui.tasks import TaskSet

Saver = Callable[[Variables], Awaitable[None]]
"""``await saver(variables)``; raises ``Whats91Error`` to refuse (the dialog shows why)."""

HELP = (
    "Write {{name}} in any field of a message (text, caption, template variables, Meta JSON, even "
    "the recipient): it becomes the value below when the message is checked, previewed and sent. "
    "A saved request keeps the {{name}}, so one request serves every customer. Plain text only: "
    "never put a token here."
)


class VariablesDialog(QDialog):
    def __init__(
        self, profile_name: str, variables: Variables, *, saver: Saver, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("variablesDialog")
        self.setWindowTitle(tr("Variables — %1").replace("%1", str(profile_name)))
        self.setAccessibleName(self.windowTitle())
        self._saver = saver
        self._saving = False
        self._tasks = TaskSet()

        intro = QLabel(HELP, self)
        intro.setWordWrap(True)
        themed_style(intro, "color: $muted;")
        self.table = QTableWidget(0, 2, self)
        self.table.setObjectName("variablesTable")
        self.table.setAccessibleName(tr("Variables"))
        self.table.setHorizontalHeaderLabels([tr("Name"), tr("Value")])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 160)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.add_button = QPushButton(tr("&Add"), self)
        self.add_button.setObjectName("variablesAddButton")
        self.add_button.setToolTip(tr("Add a variable"))
        self.remove_button = QPushButton(tr("&Remove"), self)
        self.remove_button.setObjectName("variablesRemoveButton")
        self.remove_button.setToolTip(tr("Remove the selected variable"))
        self.problem_label = QLabel(self)
        self.problem_label.setObjectName("variablesProblem")
        self.problem_label.setWordWrap(True)
        themed_style(self.problem_label, "color: $problem;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("variablesSaveButton")

        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.buttons)
        self.resize(560, 380)

        for name, value in variables:
            self.add_variable(name, value)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.table.itemChanged.connect(self._refresh)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._refresh()

    # ------------------------------------------------------------------ the table

    def add_variable(self, name: str = "", value: str = "") -> int:
        """Append a row; returns its index."""
        index = self.table.rowCount()
        self.table.insertRow(index)
        self.table.setItem(index, 0, QTableWidgetItem(name))
        self.table.setItem(index, 1, QTableWidgetItem(value))
        self._refresh()
        return index

    def variables(self) -> Variables:
        """The pairs as typed, names trimmed; rows left empty are not variables."""
        pairs = []
        for row in range(self.table.rowCount()):
            name, value = (self._cell(row, column) for column in (0, 1))
            if name.strip() or value:
                pairs.append((name.strip(), value))
        return tuple(pairs)

    def problem(self) -> str | None:
        """What stops Save, in the settings' own words; None when the table can be saved."""
        for index, (name, _value) in enumerate(self.variables()):
            if not name:
                return f"Row {index + 1}: a variable needs a name."
        problem = PROFILE_SPECS["variables"].problem(self.variables())
        return f"Cannot save: {problem}." if problem else None

    def _cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def _refresh(self, *_args: object) -> None:
        problem = self.problem()
        self.problem_label.setText(problem or "")
        self.problem_label.setVisible(bool(problem))
        self.save_button.setEnabled(problem is None and not self._saving)
        self.save_button.setText(tr("Saving…") if self._saving else tr("&Save"))
        self.remove_button.setEnabled(self.table.rowCount() > 0)

    def _on_add_clicked(self) -> None:
        index = self.add_variable()
        self.table.setCurrentCell(index, 0)
        self.table.editItem(self.table.currentItem())

    def _on_remove_clicked(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self._refresh()

    # ------------------------------------------------------------------ saving

    def accept(self) -> None:
        """Save (in the background); the dialog closes once the saver has finished."""
        if self._saving or self.problem() is not None:
            return
        self._saving = True
        self._refresh()
        self._tasks.spawn(self._save(self.variables()))

    async def _save(self, variables: Variables) -> None:
        try:
            await self._saver(variables)
        except Whats91Error as err:
            self._saving = False
            self._refresh()
            self.problem_label.setText(tr("Not saved: %1").replace("%1", str(err)))
            self.problem_label.show()
            return
        self._saving = False
        super().accept()

    def reject(self) -> None:
        if not self._saving:
            super().reject()
