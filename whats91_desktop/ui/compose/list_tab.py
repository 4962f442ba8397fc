"""List tab: header, body, footer, the list button's text, and a sections-and-rows editor.

Sections and rows are nested forms (not a tree view) so every field has its own counter,
problem label and keyboard focus. WhatsApp allows at most ``LIST_ROWS_MAX`` rows in the
whole message, so at that count every "Add row" (and "Add section", which brings a row)
is disabled, with a tooltip that says why. After each add/remove everything is
renumbered: ``listSectionTitleEdit0``, ``listRowTitleEdit0_1`` ↔ ``sections[0].rows[1].title``.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from whats91_desktop.core import validation
from whats91_desktop.core.models import ListMessage, ListRow, ListSection, OutgoingMessage, Problem
from whats91_desktop.ui.compose.base import (
    ComposeTab,
    clear_undoably,
    field_label,
    section_label,
    strip_or_none,
)
from whats91_desktop.ui.compose.counters import CountedLineEdit, CountedTextEdit
from whats91_desktop.ui.compose.problems import ProblemLabel
from whats91_desktop.ui.palette import themed_style

FULL_ROWS_TIP = f"A list message can hold at most {validation.LIST_ROWS_MAX} rows in all its sections."
FULL_SECTIONS_TIP = f"A list message can hold at most {validation.SECTIONS_MAX} sections."


class _RowEditor(QWidget):
    def __init__(self, row_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        line = QHBoxLayout()
        line.setSpacing(4)
        self.id_edit = QLineEdit(row_id, self)
        self.id_edit.setFixedWidth(90)
        self.title_edit = CountedLineEdit(validation.ROW_TITLE_MAX, self)
        self.description_edit = CountedLineEdit(validation.ROW_DESCRIPTION_MAX, self)
        self.remove_button = QToolButton(self)
        self.remove_button.setText("✕")
        self.remove_button.setAutoRaise(True)
        line.addWidget(self.id_edit)
        line.addWidget(self.title_edit, 2)
        line.addWidget(self.description_edit, 3)
        line.addWidget(self.remove_button)
        layout.addLayout(line)
        self.problem = ProblemLabel(self)
        layout.addWidget(self.problem)


class _SectionEditor(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("listSectionBox")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(3)
        head = QHBoxLayout()
        self.caption = QLabel(self)
        self.title_edit = CountedLineEdit(validation.SECTION_TITLE_MAX, self)
        self.title_edit.setPlaceholderText("Section title")
        self.remove_button = QToolButton(self)
        self.remove_button.setText("Remove section")
        self.remove_button.setAutoRaise(True)
        head.addWidget(self.caption)
        head.addWidget(self.title_edit, 1)
        head.addWidget(self.remove_button)
        layout.addLayout(head)
        self.problem = ProblemLabel(self)
        layout.addWidget(self.problem)
        self.rows_box = QVBoxLayout()
        self.rows_box.setSpacing(2)
        layout.addLayout(self.rows_box)
        self.add_row_button = QPushButton("Add row", self)
        foot = QHBoxLayout()
        foot.addWidget(self.add_row_button)
        foot.addStretch(1)
        layout.addLayout(foot)
        self.rows: list[_RowEditor] = []


class ListTab(ComposeTab):
    kind = "list"
    title = "List"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(3)
        self.body.addLayout(form)

        self.header_edit = self._line(
            "listHeaderEdit", validation.HEADER_TEXT_MAX, "Header", "Optional bold line above the body"
        )
        form.addRow(
            field_label("&Header:", self.header_edit, self),
            self._with_problem(self.header_edit, "header_text", "listHeaderProblem"),
        )
        self.body_edit = CountedTextEdit(validation.LIST_BODY_MAX, self)
        self.body_edit.setObjectName("listBodyEdit")
        self.body_edit.setAccessibleName("List body")
        self.body_edit.setPlaceholderText("The message text")
        self.body_edit.setToolTip("The message text above the list button.")
        self.body_edit.setFixedHeight(70)
        self.body_edit.textChanged.connect(self.changed)
        form.addRow(
            field_label("&Body:", self.body_edit, self),
            self._with_problem(self.body_edit, "text", "listBodyProblem"),
        )
        self.footer_edit = self._line(
            "listFooterEdit", validation.FOOTER_TEXT_MAX, "Footer", "Optional small grey line below the body"
        )
        form.addRow(
            field_label("&Footer:", self.footer_edit, self),
            self._with_problem(self.footer_edit, "footer_text", "listFooterProblem"),
        )
        self.button_text_edit = self._line(
            "listButtonTextEdit",
            validation.LIST_BUTTON_TEXT_MAX,
            "List button text",
            "The button that opens the list, e.g. “Choose”",
        )
        form.addRow(
            field_label("Button te&xt:", self.button_text_edit, self),
            self._with_problem(self.button_text_edit, "button_text", "listButtonTextProblem"),
        )

        head = QHBoxLayout()
        head.addWidget(section_label("Sections and rows", self))
        head.addStretch(1)
        self.row_count_label = QLabel(self)
        self.row_count_label.setObjectName("listRowCountLabel")
        themed_style(self.row_count_label, "color: $hint;")
        head.addWidget(self.row_count_label)
        self.body.addLayout(head)
        hint = QLabel("Each row: ID (sent back on tap) · title · optional description", self)
        themed_style(hint, "color: $muted;")
        self.body.addWidget(hint)
        self.sections_problem = self.problem_label("sections", None, "listSectionsProblem")
        self.body.addWidget(self.sections_problem)
        self.sections_box = QVBoxLayout()
        self.sections_box.setSpacing(6)
        self.body.addLayout(self.sections_box)
        self.add_section_button = QPushButton("Add &section", self)
        self.add_section_button.setObjectName("listAddSectionButton")
        self.add_section_button.setAccessibleName("Add section")
        self.add_section_button.clicked.connect(self._on_add_section_clicked)
        foot = QHBoxLayout()
        foot.addWidget(self.add_section_button)
        foot.addStretch(1)
        self.body.addLayout(foot)
        self.body.addStretch(1)

        self.sections: list[_SectionEditor] = []
        self.add_section()

    # ------------------------------------------------------------------ building blocks

    def _line(self, name: str, limit: int, accessible: str, tip: str) -> CountedLineEdit:
        edit = CountedLineEdit(limit, self)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setToolTip(f"{tip}; up to {limit} characters.")
        edit.setPlaceholderText(tip)
        edit.textChanged.connect(self.changed)
        return edit

    def _with_problem(self, widget: QWidget, path: str, name: str) -> QVBoxLayout:
        box = QVBoxLayout()
        box.setSpacing(1)
        box.addWidget(widget)
        box.addWidget(self.problem_label(path, widget, name))
        return box

    # ------------------------------------------------------------------ sections and rows

    def total_rows(self) -> int:
        return sum(len(section.rows) for section in self.sections)

    def add_section(self, title: str = "") -> _SectionEditor | None:
        """A new section with one empty row; None at the section or row limit."""
        if len(self.sections) >= validation.SECTIONS_MAX or self.total_rows() >= validation.LIST_ROWS_MAX:
            return None
        section = _SectionEditor(self)
        section.title_edit.setText(title)
        section.title_edit.textChanged.connect(self.changed)
        section.remove_button.clicked.connect(lambda: self.remove_section(self.sections.index(section)))
        section.add_row_button.clicked.connect(lambda: self._on_add_row_clicked(section))
        self.sections.append(section)
        self.sections_box.addWidget(section)
        section.show()  # now, not at the layout's queued show: Tab order needs it visible
        self.add_row(len(self.sections) - 1)
        return section

    def remove_section(self, index: int) -> None:
        section = self.sections.pop(index)
        self.sections_box.removeWidget(section)
        section.hide()
        section.deleteLater()
        self._renumber()
        if self.sections:
            self.sections[min(index, len(self.sections) - 1)].title_edit.setFocus()
        else:
            self.add_section_button.setFocus()
        self.changed.emit()

    def add_row(self, section_index: int, title: str = "", description: str = "") -> _RowEditor | None:
        """Append a row to a section; None (nothing added) at ``LIST_ROWS_MAX`` rows in all."""
        if self.total_rows() >= validation.LIST_ROWS_MAX:
            return None
        section = self.sections[section_index]
        row = _RowEditor(self._fresh_row_id(), section)
        row.title_edit.setText(title)
        row.description_edit.setText(description)
        for edit in (row.id_edit, row.title_edit, row.description_edit):
            edit.textChanged.connect(self.changed)
        row.remove_button.clicked.connect(lambda: self.remove_row(section, row))
        section.rows.append(row)
        section.rows_box.addWidget(row)
        row.show()
        self._renumber()
        self.changed.emit()
        return row

    def remove_row(self, section: _SectionEditor, row: _RowEditor) -> None:
        index = section.rows.index(row)
        section.rows.pop(index)
        section.rows_box.removeWidget(row)
        row.hide()
        row.deleteLater()
        self._renumber()
        if section.rows:
            section.rows[min(index, len(section.rows) - 1)].title_edit.setFocus()
        else:
            section.add_row_button.setFocus()
        self.changed.emit()

    def _fresh_row_id(self) -> str:
        used = {row.id_edit.text() for section in self.sections for row in section.rows}
        number = self.total_rows() + 1
        while f"row_{number}" in used:
            number += 1
        return f"row_{number}"

    def _renumber(self) -> None:
        """Names, accessible names, problem paths, limits and tab order after any add/remove."""
        self.router.unregister_startswith("sections[")
        total = self.total_rows()
        rows_full = total >= validation.LIST_ROWS_MAX
        previous: QWidget = self.button_text_edit
        for s, section in enumerate(self.sections):
            n = s + 1
            section.caption.setText(f"Section {n}")
            section.title_edit.setObjectName(f"listSectionTitleEdit{s}")
            section.title_edit.setAccessibleName(f"Section {n} title")
            section.title_edit.setToolTip(
                f"Shown above the section's rows; up to {validation.SECTION_TITLE_MAX} characters "
                "(required when there is more than one section)."
            )
            section.remove_button.setObjectName(f"listRemoveSectionButton{s}")
            section.remove_button.setAccessibleName(f"Remove section {n}")
            section.remove_button.setToolTip(f"Remove section {n} and its rows")
            section.add_row_button.setObjectName(f"listAddRowButton{s}")
            section.add_row_button.setAccessibleName(f"Add row to section {n}")
            section.add_row_button.setEnabled(not rows_full)
            section.add_row_button.setToolTip(FULL_ROWS_TIP if rows_full else f"Add a row to section {n}")
            section.problem.setObjectName(f"listSectionProblem{s}")
            self.router.register(f"sections[{s}]", section.problem, section.title_edit)
            self.router.register(f"sections[{s}].title", section.problem, section.title_edit)
            self.router.register(f"sections[{s}].rows", section.problem, section.add_row_button)
            QWidget.setTabOrder(previous, section.title_edit)
            QWidget.setTabOrder(section.title_edit, section.remove_button)
            previous = section.remove_button
            for r, row in enumerate(section.rows):
                m = r + 1
                suffix = f"{s}_{r}"
                row.id_edit.setObjectName(f"listRowIdEdit{suffix}")
                row.id_edit.setAccessibleName(f"Section {n} row {m} ID")
                row.id_edit.setToolTip("Sent back to you when the user picks this row; unique in the list.")
                row.title_edit.setObjectName(f"listRowTitleEdit{suffix}")
                row.title_edit.setAccessibleName(f"Section {n} row {m} title")
                row.title_edit.setPlaceholderText(f"Row {m} title")
                row.title_edit.setToolTip(f"Up to {validation.ROW_TITLE_MAX} characters.")
                row.description_edit.setObjectName(f"listRowDescriptionEdit{suffix}")
                row.description_edit.setAccessibleName(f"Section {n} row {m} description")
                row.description_edit.setPlaceholderText("Description (optional)")
                row.description_edit.setToolTip(
                    f"Optional grey line under the title; up to {validation.ROW_DESCRIPTION_MAX} characters."
                )
                row.remove_button.setObjectName(f"listRemoveRowButton{suffix}")
                row.remove_button.setAccessibleName(f"Remove section {n} row {m}")
                row.remove_button.setToolTip(f"Remove row {m}")
                row.problem.setObjectName(f"listRowProblem{suffix}")
                path = f"sections[{s}].rows[{r}]"
                self.router.register(path, row.problem, row.title_edit)
                self.router.register(f"{path}.id", row.problem, row.id_edit)
                self.router.register(f"{path}.title", row.problem, row.title_edit)
                self.router.register(f"{path}.description", row.problem, row.description_edit)
                for widget in (row.id_edit, row.title_edit, row.description_edit, row.remove_button):
                    QWidget.setTabOrder(previous, widget)
                    previous = widget
            QWidget.setTabOrder(previous, section.add_row_button)
            previous = section.add_row_button
        QWidget.setTabOrder(previous, self.add_section_button)
        sections_full = len(self.sections) >= validation.SECTIONS_MAX
        self.add_section_button.setEnabled(not (rows_full or sections_full))
        tip = "Add a section with one row"
        if rows_full or sections_full:
            tip = FULL_ROWS_TIP if rows_full else FULL_SECTIONS_TIP
        self.add_section_button.setToolTip(tip)
        self.row_count_label.setText(f"{total}/{validation.LIST_ROWS_MAX} rows")
        self.row_count_label.setToolTip(FULL_ROWS_TIP)

    # ------------------------------------------------------------------ the tab protocol

    def build(self, to: str) -> tuple[OutgoingMessage | None, list[Problem]]:
        sections = tuple(
            ListSection(
                title=section.title_edit.text(),
                rows=tuple(
                    ListRow(
                        id=row.id_edit.text(),
                        title=row.title_edit.text(),
                        description=strip_or_none(row.description_edit.text()),
                    )
                    for row in section.rows
                ),
            )
            for section in self.sections
        )
        message = ListMessage(
            to=to,
            text=self.body_edit.toPlainText(),
            button_text=self.button_text_edit.text(),
            sections=sections,
            header_text=strip_or_none(self.header_edit.text()),
            footer_text=strip_or_none(self.footer_edit.text()),
        )
        return message, []

    def _clear_body(self) -> None:
        clear_undoably(self.body_edit)

    # ------------------------------------------------------------------ slots

    def _on_add_row_clicked(self, section: _SectionEditor) -> None:
        row = self.add_row(self.sections.index(section))
        if row is not None:
            row.title_edit.setFocus()

    def _on_add_section_clicked(self) -> None:
        section = self.add_section()
        if section is not None:
            section.title_edit.setFocus()
