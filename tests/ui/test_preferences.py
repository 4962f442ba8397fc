"""Edit → Preferences: generated from the settings table, applied at once, written atomically."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QDoubleSpinBox, QSpinBox

from tests.ui.conftest import run_on_loop
from whats91_desktop.core.settings import PREFERENCES, with_preferences
from whats91_desktop.services.container import DesktopServices
from whats91_desktop.services.sandbox_profile import SANDBOX_PROFILE_NAME
from whats91_desktop.ui.i18n import tr
from whats91_desktop.ui.main_window import MainWindow
from whats91_desktop.ui.palette import is_dark


@pytest.fixture(autouse=True)
def _system_theme_after(window: MainWindow) -> Iterator[None]:
    yield
    window.appearance.theme.apply("system")
    window.appearance.translations.use("en")


def test_every_declared_preference_has_an_editor_of_its_type(window: MainWindow) -> None:
    dialog = window.open_preferences()
    kinds = {bool: QCheckBox, int: QSpinBox, float: QDoubleSpinBox, str: QComboBox}
    assert set(dialog.editors) == {spec.name for spec in PREFERENCES}
    for spec in PREFERENCES:
        widget = dialog.editors[spec.name].widget
        assert isinstance(widget, kinds[spec.type]), spec.name
        assert widget.toolTip() == spec.description
    spin = dialog.editors["status_poll_max_minutes"].widget
    assert isinstance(spin, QSpinBox)
    assert (spin.minimum(), spin.maximum()) == (1, 7 * 24 * 60)
    dialog.close()


def test_the_preferences_menu_entry_has_ctrl_comma(window: MainWindow) -> None:
    from PySide6.QtGui import QAction

    action = window.findChild(QAction, "preferencesAction")
    assert action is not None
    assert action.shortcut().toString() == "Ctrl+,"


def test_a_change_is_adopted_at_once_and_written(
    window: MainWindow, qtbot: Any, context: DesktopServices
) -> None:
    dialog = window.open_preferences()
    spin = dialog.editors["status_poll_max_minutes"].widget
    assert isinstance(spin, QSpinBox)
    spin.setValue(15)
    settings = context.services.settings
    assert settings.current.preference("status_poll_max_minutes") == 15
    assert context.follower._max_age == 15 * 60
    run_on_loop(qtbot, settings.flush())
    saved = json.loads(context.services.paths.settings_file.read_text())
    assert saved["preferences"]["status_poll_max_minutes"] == 15
    dialog.close()


def test_timeouts_and_region_reach_the_sandbox_profile(window: MainWindow, context: DesktopServices) -> None:
    dialog = window.open_preferences()
    read = dialog.editors["read_timeout"].widget
    assert isinstance(read, QDoubleSpinBox)
    read.setValue(42.5)
    region = dialog.editors["default_region"].widget
    assert isinstance(region, QComboBox)
    region.setCurrentIndex(region.findData("US"))
    sandbox = context.services.profiles.find(SANDBOX_PROFILE_NAME)
    assert sandbox is not None
    assert sandbox.read_timeout == 42.5
    assert sandbox.default_region == "US"
    dialog.close()


def test_dark_theme_applies_at_once_and_restore_defaults_brings_light_back(window: MainWindow) -> None:
    dialog = window.open_preferences()
    theme = dialog.editors["theme"].widget
    assert isinstance(theme, QComboBox)
    theme.setCurrentIndex(theme.findData("dark"))
    assert is_dark(QApplication.palette())
    dialog.restore_defaults()
    assert not is_dark(QApplication.palette())
    assert window.desk.services.settings.current.preference("theme") == "system"
    dialog.close()


def test_language_says_it_needs_a_restart(window: MainWindow) -> None:
    dialog = window.open_preferences()
    language = dialog.editors["language"].widget
    assert isinstance(language, QComboBox)
    assert dialog.restart_note.isHidden()
    language.setCurrentIndex(language.findData("es"))
    assert not dialog.restart_note.isHidden()
    assert tr("Language") in dialog.restart_note.text()  # in the language now installed
    dialog.restore_defaults()
    assert dialog.restart_note.isHidden()
    dialog.close()


def test_a_new_profile_starts_from_the_preferences(window: MainWindow, context: DesktopServices) -> None:
    from whats91_desktop.ui.profiles.manager import open_profile_dialog

    settings = context.services.settings
    settings.save(with_preferences(settings.current, default_region="US", read_timeout=45.0))
    dialog = open_profile_dialog(context.services, window)
    assert dialog.region_combo.currentData() == "US"
    assert dialog.read_timeout_spin.value() == 45.0
    dialog.close()
