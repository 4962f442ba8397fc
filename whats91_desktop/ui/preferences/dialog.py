"""Edit → Preferences…: every declared preference, grouped by section, applied as it changes.

The dialog is generated from ``core.settings.PREFERENCES``: a new entry in that table appears
here with its editor, bounds, help text and default, and no code in this module changes. A
valid edit is adopted and written at once (``SettingsWriter.save``: atomically, on the settings
thread) and handed to :class:`~whats91_desktop.ui.preferences.effects.PreferenceEffects`, which
applies what can be applied without a restart; an invalid one is refused next to its field and
saves nothing. There is no OK/Cancel: what you see is what is in use.
"""

from __future__ import annotations

import functools
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from whats91_desktop.core.errors import ConfigError
from whats91_desktop.core.settings import PREFERENCES, SettingSpec, with_preferences
from whats91_desktop.services.settings_writer import SettingsWriter
from whats91_desktop.ui.i18n import tr
from whats91_desktop.ui.palette import themed_style
from whats91_desktop.ui.preferences.effects import PreferenceEffects
from whats91_desktop.ui.preferences.fields import Editor, make_editor

DIALOG_WIDTH = 640


class PreferencesDialog(QDialog):
    def __init__(
        self, settings: SettingsWriter, effects: PreferenceEffects, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("preferencesDialog")
        self.setWindowTitle(tr("Preferences"))
        self.setAccessibleName(tr("Preferences"))
        self._settings = settings
        self._effects = effects
        self._filling = False
        self.editors: dict[str, Editor] = {}
        self.problem_labels: dict[str, QLabel] = {}
        layout = QVBoxLayout(self)
        intro = QLabel(tr("Changes are saved and used as you make them."), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        for section in dict.fromkeys(spec.section for spec in PREFERENCES):
            layout.addWidget(self._section(section, [s for s in PREFERENCES if s.section == section]))
        self.restart_note = QLabel(self)
        self.restart_note.setObjectName("restartNote")
        self.restart_note.setWordWrap(True)
        themed_style(self.restart_note, "QLabel { color: $warning; }")
        layout.addWidget(self.restart_note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.restore_button = QPushButton(tr("&Restore defaults"), self)
        self.restore_button.setObjectName("restoreDefaultsButton")
        self.restore_button.setAccessibleName(tr("Restore defaults"))
        self.restore_button.setToolTip(tr("Put every preference back to its default value"))
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ResetRole)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(tr("Close"))
        self.restore_button.clicked.connect(self.restore_defaults)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(DIALOG_WIDTH)
        self.reload()

    def _section(self, title: str, specs: list[SettingSpec]) -> QGroupBox:
        box = QGroupBox(tr(title or "General"), self)
        box.setObjectName(f"{(title or 'general').lower()}Section")
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)  # captions above: text gets the width
        for spec in specs:
            editor = make_editor(spec, box, functools.partial(self._on_edited, spec.name))
            self.editors[spec.name] = editor
            if spec.type is bool:
                form.addRow(editor.widget)  # the check box carries its own caption
            else:
                caption = tr(spec.title) + (" " + tr("(after a restart)") if spec.needs_restart else "")
                label = QLabel(caption + ":", box)
                label.setBuddy(editor.widget)
                form.addRow(label, editor.widget)
            help_label = QLabel(tr(spec.description), box)
            help_label.setWordWrap(True)
            themed_style(help_label, "QLabel { color: $muted; }")
            # A dialog does not grow for a wrapped label's height by itself: reserve it.
            help_label.setMinimumHeight(help_label.heightForWidth(DIALOG_WIDTH - 80))
            form.addRow(help_label)
            problem = QLabel(box)
            problem.setObjectName(f"{editor.widget.objectName()}Problem")
            problem.setWordWrap(True)
            themed_style(problem, "QLabel { color: $problem; }")
            problem.hide()
            form.addRow(problem)
            self.problem_labels[spec.name] = problem
        return box

    def reload(self) -> None:
        """Show the values in use (after a change made elsewhere, or on opening)."""
        current = self._settings.current
        self._filling = True
        try:
            for name, editor in self.editors.items():
                editor.write(current.preference(name))
                self.problem_labels[name].hide()
        finally:
            self._filling = False
        self._update_restart_note()

    def restore_defaults(self) -> None:
        """Every preference back to its declared default, saved and applied at once."""
        self._filling = True
        try:
            for spec in PREFERENCES:
                self.editors[spec.name].write(spec.default)
        finally:
            self._filling = False
        self._adopt({spec.name: spec.default for spec in PREFERENCES})

    def _on_edited(self, name: str) -> None:
        if self._filling:
            return
        editor = self.editors[name]
        value = editor.read()
        problem = editor.spec.problem(value)
        label = self.problem_labels[name]
        label.setText(tr(problem) if problem else "")
        label.setVisible(problem is not None)
        if problem is None:
            self._adopt({name: value})

    def _adopt(self, changes: dict[str, Any]) -> None:
        before = self._settings.current
        changed = {k: v for k, v in changes.items() if before.preference(k) != v}
        if not changed:
            return
        try:
            after = with_preferences(before, **changed)
        except ConfigError as err:  # the editors keep values in bounds: a bug if this happens
            self.restart_note.setText(str(err))
            return
        self._settings.save(after)
        for name, value in changed.items():
            self._effects.apply(name, value)
        self._update_restart_note()

    def _update_restart_note(self) -> None:
        waiting = self._effects.pending_restart(self._settings.current)
        self.restart_note.setText(
            tr("Takes effect after Whats91 Desktop is restarted: %1.").replace("%1", ", ".join(waiting))
            if waiting
            else ""
        )
        self.restart_note.setVisible(bool(waiting))

    def keyPressEvent(self, event: Any) -> None:
        # Enter in a spin box must not close the dialog (there is no default button here).
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)
