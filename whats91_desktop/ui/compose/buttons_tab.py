"""Buttons tab: a body and up to ``BUTTONS_MAX`` quick-reply buttons (id + title).

Rows are added and removed in place; after every change the rows are renumbered so the
object names (``buttonIdEdit0``, ``buttonTitleEdit0``, ``buttonRemoveButton0`` …) and the
problem paths (``buttons[0].title``) always match what the user sees. New rows get an
id (``btn_2``) so the common case needs only titles.
"""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QToolButton, QWidget

from whats91_desktop.core import validation
from whats91_desktop.core.models import Button, ButtonsMessage, OutgoingMessage, Problem
from whats91_desktop.ui.compose.base import ComposeTab, clear_undoably, section_label
from whats91_desktop.ui.compose.counters import CountedLineEdit, CountedTextEdit
from whats91_desktop.ui.compose.problems import ProblemLabel
from whats91_desktop.ui.palette import themed_style


class _ButtonRow:
    def __init__(self, tab: ButtonsTab, button_id: str) -> None:
        self.id_edit = CountedLineEdit(validation.BUTTON_ID_MAX, tab)
        self.id_edit.setText(button_id)
        self.title_edit = CountedLineEdit(validation.BUTTON_TITLE_MAX, tab)
        self.remove_button = QToolButton(tab)
        self.remove_button.setText("✕")
        self.remove_button.setAutoRaise(True)
        self.problem = ProblemLabel(tab)

    def widgets(self) -> tuple[QWidget, ...]:
        return (self.id_edit, self.title_edit, self.remove_button, self.problem)


class ButtonsTab(ComposeTab):
    kind = "buttons"
    title = "Buttons"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.body.addWidget(section_label("Body", self))
        self.body_edit = CountedTextEdit(validation.INTERACTIVE_BODY_MAX, self)
        self.body_edit.setObjectName("buttonsBodyEdit")
        self.body_edit.setAccessibleName("Message body")
        self.body_edit.setPlaceholderText("The message above the buttons")
        self.body_edit.setToolTip(
            f"Shown above the buttons; up to {validation.INTERACTIVE_BODY_MAX} characters."
        )
        self.body_edit.setMinimumHeight(70)
        self.body_edit.setMaximumHeight(140)
        self.body.addWidget(self.body_edit)
        self.body.addWidget(self.problem_label("text", self.body_edit, "buttonsBodyProblem"))

        self.body.addWidget(section_label(f"Buttons (up to {validation.BUTTONS_MAX})", self))
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(6)
        self.grid.setVerticalSpacing(2)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(2, 2)
        for column, text in ((1, "ID (sent back on tap)"), (2, "Title (what the user sees)")):
            header = QLabel(text, self)
            themed_style(header, "color: $muted;")
            self.grid.addWidget(header, 0, column)
        self.number_labels: list[QLabel] = []
        for index in range(validation.BUTTONS_MAX):
            number_label = QLabel(f"{index + 1}.", self)
            self.grid.addWidget(number_label, 1 + index * 2, 0)
            self.number_labels.append(number_label)
        self.body.addLayout(self.grid)
        self.buttons_problem = self.problem_label("buttons", None, "buttonsProblem")
        self.body.addWidget(self.buttons_problem)

        self.add_button = QPushButton("&Add button", self)
        self.add_button.setObjectName("buttonAddButton")
        self.add_button.setAccessibleName("Add button")
        self.add_button.clicked.connect(self._on_add_clicked)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_button)
        add_row.addStretch(1)
        self.body.addLayout(add_row)
        self.body.addStretch(1)

        self.rows: list[_ButtonRow] = []
        self.body_edit.textChanged.connect(self.changed)
        self.add_row()

    # ------------------------------------------------------------------ rows

    def add_row(self, title: str = "", button_id: str | None = None) -> bool:
        """Append a row; False (and nothing added) at ``BUTTONS_MAX``."""
        if len(self.rows) >= validation.BUTTONS_MAX:
            return False
        row = _ButtonRow(self, button_id if button_id is not None else self._fresh_id())
        row.title_edit.setText(title)
        row.id_edit.textChanged.connect(self.changed)
        row.title_edit.textChanged.connect(self.changed)
        row.remove_button.clicked.connect(lambda: self.remove_row(self.rows.index(row)))
        self.rows.append(row)
        self._relayout()
        self.changed.emit()
        return True

    def remove_row(self, index: int) -> None:
        row = self.rows.pop(index)
        for widget in row.widgets():
            self.grid.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
        self._relayout()
        if self.rows:
            self.rows[min(index, len(self.rows) - 1)].title_edit.setFocus()
        else:
            self.add_button.setFocus()
        self.changed.emit()

    def _fresh_id(self) -> str:
        used = {row.id_edit.text() for row in self.rows}
        number = len(self.rows) + 1
        while f"btn_{number}" in used:
            number += 1
        return f"btn_{number}"

    def _relayout(self) -> None:
        """Put the rows back in the grid in order; renumber names, problem paths, tab order."""
        for row in self.rows:
            for widget in row.widgets():
                self.grid.removeWidget(widget)
        self.router.unregister_startswith("buttons[")
        previous: QWidget = self.body_edit
        for index, number_label in enumerate(self.number_labels):
            number_label.setVisible(index < len(self.rows))
        for index, row in enumerate(self.rows):
            number = index + 1
            grid_row = 1 + index * 2
            self.grid.addWidget(row.id_edit, grid_row, 1)
            self.grid.addWidget(row.title_edit, grid_row, 2)
            self.grid.addWidget(row.remove_button, grid_row, 3)
            self.grid.addWidget(row.problem, grid_row + 1, 1, 1, 3)
            for widget in (row.id_edit, row.title_edit, row.remove_button):
                widget.show()  # now, not at the layout's queued show: Tab order needs it visible
            row.id_edit.setObjectName(f"buttonIdEdit{index}")
            row.id_edit.setAccessibleName(f"Button {number} ID")
            row.id_edit.setToolTip(
                f"Sent back to you when the user taps button {number}; "
                f"up to {validation.BUTTON_ID_MAX} characters."
            )
            row.title_edit.setObjectName(f"buttonTitleEdit{index}")
            row.title_edit.setAccessibleName(f"Button {number} title")
            row.title_edit.setPlaceholderText(f"Button {number}")
            row.title_edit.setToolTip(f"The button's label; up to {validation.BUTTON_TITLE_MAX} characters.")
            row.remove_button.setObjectName(f"buttonRemoveButton{index}")
            row.remove_button.setAccessibleName(f"Remove button {number}")
            row.remove_button.setToolTip(f"Remove button {number}")
            row.problem.setObjectName(f"buttonProblem{index}")
            self.router.register(f"buttons[{index}]", row.problem, row.title_edit)
            self.router.register(f"buttons[{index}].id", row.problem, row.id_edit)
            self.router.register(f"buttons[{index}].title", row.problem, row.title_edit)
            QWidget.setTabOrder(previous, row.id_edit)
            QWidget.setTabOrder(row.id_edit, row.title_edit)
            QWidget.setTabOrder(row.title_edit, row.remove_button)
            previous = row.remove_button
        QWidget.setTabOrder(previous, self.add_button)
        full = len(self.rows) >= validation.BUTTONS_MAX
        self.add_button.setEnabled(not full)
        self.add_button.setToolTip(
            f"WhatsApp allows at most {validation.BUTTONS_MAX} reply buttons."
            if full
            else "Add another quick-reply button"
        )

    # ------------------------------------------------------------------ the tab protocol

    def build(self, to: str) -> tuple[OutgoingMessage | None, list[Problem]]:
        buttons = tuple(Button(id=row.id_edit.text(), title=row.title_edit.text()) for row in self.rows)
        return ButtonsMessage(to=to, text=self.body_edit.toPlainText(), buttons=buttons), []

    def _clear_body(self) -> None:
        clear_undoably(self.body_edit)

    def _on_add_clicked(self) -> None:
        if self.add_row():
            self.rows[-1].title_edit.setFocus()

    def title_edits(self) -> list[QLineEdit]:
        return [row.title_edit for row in self.rows]
