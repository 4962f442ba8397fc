"""One editor per declared preference, chosen by the spec's type: the table decides the widget.

A bool is a check box, a number a spin box with the spec's bounds, a text with ``choices`` a
list to pick from (``editor="region"``: the country list of the profile dialog), any other text
a line edit. Each editor carries the spec's help text as tooltip and accessible description.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QLineEdit, QSpinBox, QWidget

from whats91_desktop.core.settings import SettingSpec
from whats91_desktop.ui.i18n import tr


@dataclass(frozen=True)
class Editor:
    spec: SettingSpec
    widget: QWidget
    read: Callable[[], Any]
    write: Callable[[Any], None]


def _object_name(spec: SettingSpec, kind: str) -> str:
    head, *rest = spec.name.split("_")
    return head + "".join(part.capitalize() for part in rest) + kind


def _combo(spec: SettingSpec, parent: QWidget, choices: list[tuple[str, str]]) -> tuple[QComboBox, Editor]:
    combo = QComboBox(parent)
    for value, label in choices:
        combo.addItem(label, value)

    def write(value: Any) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(max(index, 0))

    return combo, Editor(spec, combo, lambda: combo.currentData(), write)


def make_editor(spec: SettingSpec, parent: QWidget, on_change: Callable[[], None]) -> Editor:
    """The editor for ``spec``; ``on_change`` runs after every edit the user makes."""
    if spec.type is bool:
        box = QCheckBox(tr(spec.title), parent)
        box.setObjectName(_object_name(spec, "Check"))
        box.toggled.connect(lambda _on: on_change())
        editor = Editor(spec, box, box.isChecked, lambda v: box.setChecked(bool(v)))
    elif spec.type is int:
        spin = QSpinBox(parent)
        spin.setObjectName(_object_name(spec, "Spin"))
        spin.setRange(int(spec.minimum or 0), int(spec.maximum if spec.maximum is not None else 2**31 - 1))
        spin.valueChanged.connect(lambda _v: on_change())
        editor = Editor(spec, spin, spin.value, lambda v: spin.setValue(int(v)))
    elif spec.type is float:
        dspin = QDoubleSpinBox(parent)
        dspin.setObjectName(_object_name(spec, "Spin"))
        dspin.setDecimals(1)
        dspin.setSingleStep(0.5)
        dspin.setRange(spec.minimum or 0.0, spec.maximum if spec.maximum is not None else 1e9)
        dspin.valueChanged.connect(lambda _v: on_change())
        editor = Editor(spec, dspin, dspin.value, lambda v: dspin.setValue(float(v)))
    elif spec.choices or spec.editor == "region":
        if spec.editor == "region":
            from whats91_desktop.ui.profiles.profile_dialog import region_choices

            choices = region_choices()
        else:
            choices = [(value, tr(label)) for value, label in spec.choices]
        combo, editor = _combo(spec, parent, choices)
        combo.setObjectName(_object_name(spec, "Combo"))
        combo.currentIndexChanged.connect(lambda _i: on_change())
    else:
        edit = QLineEdit(parent)
        edit.setObjectName(_object_name(spec, "Edit"))
        edit.textEdited.connect(lambda _t: on_change())
        editor = Editor(spec, edit, edit.text, lambda v: edit.setText(str(v)))
    editor.widget.setAccessibleName(tr(spec.title))
    editor.widget.setAccessibleDescription(tr(spec.description))
    editor.widget.setToolTip(tr(spec.description))
    return editor
