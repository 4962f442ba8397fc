"""Every interactive control of every pane and dialog has an accessible name.

The walk is generic: it covers whatever panes ``MainWindow.panes`` holds (a new room is checked
the day it is added) and every dialog the window opens from its menus. A screen reader says a
control's accessible name; a control without one is announced as "button" or "edit", which is
useless. Besides names, a pane's controls must all be reachable with Tab.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QTabBar,
    QTextEdit,
    QWidget,
)

from whats91_desktop.ui.main_window import MainWindow

INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QTextEdit,
    QPlainTextEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractItemView,
    QTabBar,
    QAbstractSlider,
)


def _inner_parts(widget: QWidget) -> bool:
    """Parts Qt builds inside a control (a combo's line edit, a spin box's edit, a scroll bar, a
    table's corner button, a tab bar's scroll arrows): the control they belong to is named."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QComboBox | QAbstractSpinBox | QAbstractItemView | QTabBar | QLineEdit):
            return True
        if parent.objectName().startswith("qt_scrollarea_") and isinstance(widget, QAbstractSlider):
            return True  # a scroll area's own scroll bars
        parent = parent.parentWidget()
    return False


def unnamed(root: QWidget) -> list[str]:
    """Interactive descendants of ``root`` with neither an accessible name nor a visible text."""
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or _inner_parts(widget):
            continue
        if widget.objectName().startswith("qt_"):  # Qt's own helpers (scroll area corners…)
            continue
        if widget.accessibleName().strip():
            continue
        if isinstance(widget, QAbstractButton) and widget.text().replace("&", "").strip():
            continue  # a button's text is what a screen reader says
        missing.append(
            f"{type(widget).__name__} {widget.objectName() or '(no object name)'} in {_path(widget)}"
        )
    return missing


def _path(widget: QWidget) -> str:
    names = []
    parent = widget.parentWidget()
    while parent is not None:
        names.append(parent.objectName() or type(parent).__name__)
        parent = parent.parentWidget()
    return " < ".join(names[:4])


def test_every_pane_names_every_control(window: MainWindow) -> None:
    panes = window.panes.panes()
    assert len(panes) >= 2  # the walk covers whatever rooms exist
    problems = []
    for pane in panes:
        window.panes.show_pane(pane.pane_title)
        problems += [f"{pane.pane_title}: {p}" for p in unnamed(pane)]
    assert problems == []


def test_the_frame_names_every_control(window: MainWindow) -> None:
    """The top bar (profile, sender, rooms), the banner and the status bar."""
    frame_widgets = [window.switcher.bar, window.notifications.banner, window.status]
    problems = [p for w in frame_widgets for p in unnamed(w)]
    assert problems == []


def _dialogs(window: MainWindow) -> list[tuple[str, QWidget]]:
    from whats91_desktop.ui.profiles.manager import open_profile_dialog

    return [
        ("welcome", window.show_welcome()),
        ("profiles", window.open_profiles_dialog()),
        ("profile", open_profile_dialog(window.desk.services, window)),
        ("preferences", window.open_preferences()),
        ("about", window.show_about()),
        ("scenarios", window.show_sandbox_scenarios()),
        ("shortcuts", window.show_shortcuts()),
    ]


def test_every_dialog_names_every_control(window: MainWindow) -> None:
    problems = []
    for name, dialog in _dialogs(window):
        problems += [f"{name}: {p}" for p in unnamed(dialog)]
        dialog.close()
    assert problems == []


def _tab_stops(root: QWidget) -> set[QWidget]:
    return {
        w
        for w in root.findChildren(QWidget)
        if isinstance(w, QLineEdit | QPlainTextEdit | QAbstractButton | QComboBox | QAbstractSpinBox)
        and w.isVisible()
        and w.isEnabled()
        and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        and not _inner_parts(w)
        # of a group of radio buttons Tab reaches the chosen one; arrows move within the group
        and not (isinstance(w, QRadioButton) and w.autoExclusive() and not w.isChecked())
    }


def unreachable_by_tab(window: QWidget, root: QWidget) -> set[str]:
    """The visible, enabled controls of ``root`` that Tab, pressed over and over, never reaches."""
    wanted = _tab_stops(root)
    if not wanted:
        return set()
    next(iter(wanted)).setFocus()
    seen: set[QWidget] = set()
    for _ in range(4 * len(window.findChildren(QWidget))):
        current = window.focusWidget()
        if current in wanted:
            seen.add(current)
        if seen == wanted:
            break
        window.focusNextChild()
    return {w.objectName() or w.accessibleName() or type(w).__name__ for w in wanted - seen}


def test_tab_reaches_every_control_of_every_pane(window: MainWindow) -> None:
    missing = {}
    for pane in window.panes.panes():
        window.panes.show_pane(pane.pane_title)
        lost = unreachable_by_tab(window, pane)
        if lost:
            missing[pane.pane_title] = lost
    assert missing == {}


def test_tab_reaches_every_control_of_every_dialog(window: MainWindow) -> None:
    missing = {}
    for name, dialog in _dialogs(window):
        lost = unreachable_by_tab(dialog, dialog)
        if lost:
            missing[name] = lost
        dialog.close()
    assert missing == {}


def test_the_walk_catches_an_unnamed_control(qtbot: Any) -> None:
    root = QWidget()
    qtbot.addWidget(root)
    edit = QLineEdit(root)
    edit.setObjectName("nameless")
    assert unnamed(root) == ["QLineEdit nameless in QWidget"]
    edit.setAccessibleName("Something")
    assert unnamed(root) == []
