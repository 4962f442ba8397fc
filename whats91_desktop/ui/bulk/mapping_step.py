"""Step 2 of a bulk send: which column feeds which part of the message, with the first rows
previewed as they would be sent.

A template maps the recipient column, one column per body variable ``{{n}}``, the header's
media URL column (image, video and document headers) and the URL buttons' parameter; a text
uses ``{column}`` placeholders. The variable counts come from the template list the composer
already loaded; for a template it does not list, the user sets them. Mapping mistakes are
shown next to the field they concern (the engine's ``ValidationError`` fields are routed the
same way), and a guess is made for every column so a plain CSV works without a click.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from whats91_desktop.core.bulk.compose import render_row
from whats91_desktop.core.bulk.dry_run import rendered_preview
from whats91_desktop.core.bulk.models import Audience, BulkSpec
from whats91_desktop.core.models import Problem, TemplateInfo
from whats91_desktop.ui.bulk.widgets import named, problem_label, show_problem
from whats91_desktop.ui.i18n import tr

PREVIEW_ROWS = 5
NO_COLUMN = "(none)"
CHOOSE = "(choose a column)"
MAX_VARIABLES = 20
_MEDIA_NAMES = re.compile(r"image|photo|picture|video|document|media|pdf|file|url", re.I)
_PHONE_NAMES = re.compile(
    r"^(to|phone|mobile|msisdn|whatsapp|number|recipient|phone[_ ]?number|contact)$", re.I
)


class MappingStep(QWidget):
    changed = Signal()
    """The mapping or the audience changed (the dry run shown, if any, is now stale)."""

    def __init__(
        self, templates: Callable[[], Sequence[TemplateInfo]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("bulkMappingStep")
        self._templates = templates
        self.audience: Audience | None = None
        self.param_combos: list[QComboBox] = []
        self.button_combos: list[QComboBox] = []
        self._build()
        self._sync_kind()

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        self.template_radio = named(
            QRadioButton(tr("Template"), self), "bulkTemplateRadio", tr("Send a template")
        )
        self.text_radio = named(QRadioButton(tr("Text"), self), "bulkTextRadio", tr("Send a text"))
        self.template_radio.setChecked(True)
        kinds = QButtonGroup(self)
        kinds.addButton(self.template_radio)
        kinds.addButton(self.text_radio)
        self.template_radio.toggled.connect(lambda _on: self._sync_kind())
        self.recipient_combo = named(QComboBox(self), "bulkRecipientColumnCombo", tr("Recipient column"))
        self.recipient_error = problem_label(self, "bulkRecipientError")
        self.template_combo = named(QComboBox(self), "bulkTemplateCombo", tr("Template name"))
        self.template_combo.setEditable(True)
        self.template_combo.setMinimumContentsLength(20)
        self.template_combo.currentTextChanged.connect(lambda _text: self._on_template_changed())
        self.template_error = problem_label(self, "bulkTemplateError")
        self.variable_spin = named(QSpinBox(self), "bulkVariableCountSpin", tr("Body variables"))
        self.variable_spin.setRange(0, MAX_VARIABLES)
        self.variable_spin.valueChanged.connect(lambda _n: self._sync_param_rows())
        self.button_spin = named(QSpinBox(self), "bulkButtonCountSpin", tr("URL button parameters"))
        self.button_spin.setRange(0, 2)
        self.button_spin.valueChanged.connect(lambda _n: self._sync_param_rows())
        self.header_combo = named(QComboBox(self), "bulkHeaderMediaCombo", tr("Header media URL column"))
        self.header_error = problem_label(self, "bulkHeaderMediaError")
        self.params_form = QFormLayout()
        self.params_error = problem_label(self, "bulkParamsError")
        self.text_edit = named(QPlainTextEdit(self), "bulkTextEdit", tr("Message text"))
        self.text_edit.setPlaceholderText(
            tr("Hi {name}, your order {order} ships today. ({column} takes that column)")
        )
        self.text_edit.setMaximumHeight(80)
        self.text_edit.textChanged.connect(self._on_edited)
        self.text_error = problem_label(self, "bulkTextError")
        self.general_error = problem_label(self, "bulkMappingError")
        for combo in (self.recipient_combo, self.header_combo):
            combo.currentIndexChanged.connect(lambda _i: self._on_edited())

        counts = QHBoxLayout()
        counts.addWidget(QLabel(tr("Body variables"), self))
        counts.addWidget(self.variable_spin)
        counts.addWidget(QLabel(tr("URL button parameters"), self))
        counts.addWidget(self.button_spin)
        counts.addStretch(1)
        self.template_box = QWidget(self)
        template_form = QFormLayout(self.template_box)
        template_form.setContentsMargins(0, 0, 0, 0)
        template_form.addRow(tr("Template"), self.template_combo)
        template_form.addRow("", self.template_error)
        template_form.addRow("", counts)
        template_form.addRow(tr("Header media URL"), self.header_combo)
        template_form.addRow("", self.header_error)
        template_form.addRow(self.params_form)
        template_form.addRow("", self.params_error)
        self.text_box = QWidget(self)
        text_layout = QVBoxLayout(self.text_box)
        text_layout.setContentsMargins(0, 0, 0, 0)
        text_layout.addWidget(self.text_edit)
        text_layout.addWidget(self.text_error)

        self.preview_table = named(
            QTableWidget(self), "bulkAudiencePreview", tr("First rows of the audience")
        )
        self.preview_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview_table.verticalHeader().hide()
        self.preview_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.preview_table.horizontalHeader().setStretchLastSection(True)
        self.preview_table.setMinimumHeight(150)

        kind_row = QHBoxLayout()
        kind_row.addWidget(QLabel(tr("Message"), self))
        kind_row.addWidget(self.template_radio)
        kind_row.addWidget(self.text_radio)
        kind_row.addStretch(1)
        form = QFormLayout()
        form.addRow(tr("Recipient column"), self.recipient_combo)
        form.addRow("", self.recipient_error)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(kind_row)
        layout.addLayout(form)
        layout.addWidget(self.template_box)
        layout.addWidget(self.text_box)
        layout.addWidget(self.general_error)
        layout.addWidget(QLabel(tr("First rows, as they would be sent:"), self))
        layout.addWidget(self.preview_table, 1)

    # ------------------------------------------------------------------ inputs

    def set_audience(self, audience: Audience) -> None:
        """Fill the column pickers (keeping a choice whose column still exists) and guess the rest."""
        self.audience = audience
        columns = list(audience.columns)
        recipient = self.recipient_combo.currentText()
        _fill(
            self.recipient_combo, columns, keep=recipient if recipient in columns else _guess_phone(columns)
        )
        _fill(self.header_combo, [NO_COLUMN, *columns], keep=self.header_combo.currentText() or NO_COLUMN)
        for combo in (*self.param_combos, *self.button_combos):
            _fill(combo, [CHOOSE, *columns], keep=combo.currentText())
        self._guess_params()
        self._update_preview()
        self.changed.emit()

    def refresh_templates(self) -> None:
        """Offer the templates the composer listed (the typed name stays)."""
        typed = self.template_combo.currentText()
        names = [t.name for t in self._templates()]
        self.template_combo.blockSignals(True)
        self.template_combo.clear()
        self.template_combo.addItems(names)
        self.template_combo.setEditText(typed)
        self.template_combo.blockSignals(False)
        self._on_template_changed()

    def template_info(self) -> TemplateInfo | None:
        name = self.template_combo.currentText().strip()
        return next((t for t in self._templates() if t.name == name), None)

    def spec(self, *, sender_id: str | None, rate: float) -> BulkSpec | None:
        """The mapping as a :class:`BulkSpec`, or None after showing what is missing next to it."""
        problems: list[Problem] = []
        recipient = self.recipient_combo.currentText()
        if self.audience is None or not recipient:
            problems.append(Problem("to_column", tr("Load an audience and pick the recipients' column.")))
        if self.text_radio.isChecked():
            text = self.text_edit.toPlainText()
            if not text.strip():
                problems.append(Problem("text", tr("Write the text to send.")))
            spec = BulkSpec(to_column=recipient, text=text, sender_id=sender_id, rate=rate)
        else:
            name = self.template_combo.currentText().strip()
            if not name:
                problems.append(Problem("template_name", tr("Choose a template.")))
            for field, combos in (
                ("param_columns", self.param_combos),
                ("button_param_columns", self.button_combos),
            ):
                problems += [
                    Problem(
                        f"{field}[{i}]",
                        tr("Choose the column for %1.").replace("%1", str(_caption(field, i))),
                    )
                    for i, c in enumerate(combos)
                    if c.currentText() in ("", CHOOSE)
                ]
            header = self.header_combo.currentText()
            spec = BulkSpec(
                to_column=recipient,
                template_name=name,
                param_columns=tuple(c.currentText() for c in self.param_combos),
                header_media_column=header if header not in ("", NO_COLUMN) else None,
                button_param_columns=tuple(c.currentText() for c in self.button_combos),
                sender_id=sender_id,
                rate=rate,
            )
        self.show_problems(problems)
        return None if problems else spec

    def show_problems(self, problems: Sequence[Problem]) -> None:
        """Each problem next to its field (the engine's field names, ``param_columns[1]``…)."""
        routes = {
            "to_column": self.recipient_error,
            "template_name": self.template_error,
            "header_media_column": self.header_error,
            "param_columns": self.params_error,
            "button_param_columns": self.params_error,
            "text": self.text_error,
        }
        texts: dict[QLabel, list[str]] = {label: [] for label in (*routes.values(), self.general_error)}
        for problem in problems:
            label = routes.get(problem.field.split("[", 1)[0], self.general_error)
            texts[label].append(problem.message)
        for label, lines in texts.items():
            show_problem(label, "\n".join(dict.fromkeys(lines)))

    # ------------------------------------------------------------------ reacting

    def _sync_kind(self) -> None:
        template = self.template_radio.isChecked()
        self.template_box.setVisible(template)
        self.text_box.setVisible(not template)
        self._on_edited()

    def _on_template_changed(self) -> None:
        info = self.template_info()
        known = info is not None
        if info is not None:
            self.variable_spin.setValue(info.body_variable_count)
            self.button_spin.setValue(info.button_variable_count)
        self.variable_spin.setEnabled(not known)
        self.button_spin.setEnabled(not known)
        self.header_combo.setEnabled(info is None or info.needs_media)
        if info is not None and not info.needs_media:
            self.header_combo.setCurrentIndex(0)
        self._sync_param_rows()

    def _sync_param_rows(self) -> None:
        columns = [CHOOSE, *(self.audience.columns if self.audience else ())]
        for combos, count, field, prefix in (
            (self.param_combos, self.variable_spin.value(), "param_columns", "bulkParamCombo"),
            (self.button_combos, self.button_spin.value(), "button_param_columns", "bulkButtonParamCombo"),
        ):
            while len(combos) < count:
                index = len(combos)
                caption = _caption(field, index)
                combo = named(
                    QComboBox(self.template_box),
                    f"{prefix}{index + 1}",
                    tr("Column for %1").replace("%1", str(caption)),
                )
                _fill(combo, columns, keep=CHOOSE)
                combo.currentIndexChanged.connect(lambda _i: self._on_edited())
                combos.append(combo)
                self.params_form.addRow(caption.capitalize(), combo)
            while len(combos) > count:
                self.params_form.removeRow(combos.pop())
        self._guess_params()
        self._on_edited()

    def _guess_params(self) -> None:
        """A media header takes a column named like a media URL; unmapped variables take the
        other columns after the recipient's, in order (all shown in the preview to check)."""
        if self.audience is None:
            return
        recipient = self.recipient_combo.currentText()
        if self.header_combo.isEnabled() and self.header_combo.currentText() in ("", NO_COLUMN):
            media = next((c for c in self.audience.columns if _MEDIA_NAMES.search(c)), None)
            info = self.template_info()
            if media is not None and info is not None and info.needs_media:
                self.header_combo.setCurrentText(media)
        taken = {recipient, self.header_combo.currentText()}
        free = [c for c in self.audience.columns if c not in taken]
        for index, combo in enumerate(self.param_combos):
            if combo.currentText() == CHOOSE and index < len(free):
                combo.setCurrentText(free[index])

    def _on_edited(self) -> None:
        self._update_preview()
        self.changed.emit()

    def _update_preview(self) -> None:
        audience = self.audience
        table = self.preview_table
        if audience is None:
            table.setRowCount(0)
            table.setColumnCount(0)
            return
        headers = ["Line", *audience.columns, "Message"]
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(headers)
        rows = audience.preview(PREVIEW_ROWS)
        table.setRowCount(len(rows))
        spec = self._preview_spec()
        info = self.template_info()
        for r, row in enumerate(rows):
            cells = [str(row.line), *(audience.value(row, c) for c in audience.columns)]
            cells.append(rendered_preview(render_row(audience, spec, row), info) if spec is not None else "")
            for c, text in enumerate(cells):
                table.setItem(r, c, QTableWidgetItem(text.replace("\n", " ⏎ ")))
        table.resizeColumnsToContents()

    def _preview_spec(self) -> BulkSpec | None:
        recipient = self.recipient_combo.currentText()
        if not recipient:
            return None
        if self.text_radio.isChecked():
            return BulkSpec(to_column=recipient, text=self.text_edit.toPlainText())
        name = self.template_combo.currentText().strip()
        header = self.header_combo.currentText()
        return BulkSpec(
            to_column=recipient,
            template_name=name or "…",
            param_columns=tuple(c.currentText() for c in self.param_combos),
            header_media_column=header if header not in ("", NO_COLUMN) else None,
            button_param_columns=tuple(c.currentText() for c in self.button_combos),
        )


def _caption(field: str, index: int) -> str:
    return f"{{{{{index + 1}}}}}" if field == "param_columns" else f"URL button {index + 1}"


def _fill(combo: QComboBox, items: Sequence[str], *, keep: str) -> None:
    combo.blockSignals(True)
    combo.clear()
    combo.addItems(list(items))
    if keep in items:
        combo.setCurrentText(keep)
    combo.blockSignals(False)


def _guess_phone(columns: Sequence[str]) -> str:
    for column in columns:
        if _PHONE_NAMES.match(column.strip()):
            return column
    return next((c for c in columns if "phone" in c.lower()), columns[0] if columns else "")
