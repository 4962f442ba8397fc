"""The menu bar, the Help dialogs, Test token, the log's columns and what the app logs."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMenu, QMessageBox, QTableView

from tests.helpers.desk import make_desk
from tests.helpers.memory_keyring import MemoryKeyring
from tests.ui.conftest import open_window, run_on_loop
from whats91_desktop import __version__
from whats91_desktop.core.models import Outcome, Profile
from whats91_desktop.sandbox.constants import (
    SANDBOX_BASE_URL,
    SANDBOX_EXPIRED_TOKEN,
    SANDBOX_SCOPED_TOKEN,
    SANDBOX_TOKEN,
    SCENARIOS,
)
from whats91_desktop.services.container import DesktopServices
from whats91_desktop.services.sandbox_profile import SANDBOX_PROFILE_NAME
from whats91_desktop.ui.log.model import COLUMNS, MESSAGE_ID, PREVIEW, PROFILE, SENDER, TYPE
from whats91_desktop.ui.main_window import MainWindow

NORMAL = "918888888888"


@pytest.fixture
def keyring() -> MemoryKeyring:
    return MemoryKeyring()


def menu_texts(win: MainWindow, title: str) -> list[str]:
    for action in win.menuBar().actions():
        if action.text().replace("&", "") == title:
            menu = action.menu()
            assert isinstance(menu, QMenu)
            return [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]
    raise AssertionError(f"no {title} menu: {[a.text() for a in win.menuBar().actions()]}")


def send(qtbot: Any, win: MainWindow, to: str, text: str) -> tuple[int, Any]:
    win.compose.select_tab("text")
    win.compose.recipient.set_text(to)
    win.compose.text_tab.message_edit.setPlainText(text)
    qtbot.waitUntil(win.compose.is_valid, timeout=3000)
    with qtbot.waitSignal(win.send_finished, timeout=10_000) as blocker:
        win.compose.trigger_send()
    return blocker.args[0], blocker.args[1]


# --------------------------------------------------------------------------- the menu bar


def test_the_menu_bar_offers_every_command(qtbot: Any, window: MainWindow) -> None:
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles == ["File", "Edit", "Profiles", "Message", "Help"]
    assert menu_texts(window, "Edit") == ["Preferences…"]
    assert menu_texts(window, "File") == ["Export CSV…", "Export JSON…", "Quit"]
    profiles = menu_texts(window, "Profiles")
    assert profiles[:4] == ["Add profile…", "Manage profiles…", "Test token…", "Switch to sandbox"]
    assert profiles[4:] == ["Sandbox (built in)"]  # one entry per profile, the one in use ticked
    message = menu_texts(window, "Message")
    assert message[0] == "Send\tCtrl+Enter"
    for wanted in ("Check before resending", "Send again", "Copy message ID", "Copy as curl"):
        assert wanted in message
    assert menu_texts(window, "Help") == [
        "Sandbox scenarios…",
        "Keyboard shortcuts",
        "Save diagnostic bundle…",
        "About Whats91 Desktop",
    ]
    quit_action = window.findChild(QAction, "quitAction")
    assert quit_action.shortcut() == QKeySequence("Ctrl+Q")


def test_quit_closes_the_window(qtbot: Any, context: DesktopServices) -> None:
    win = open_window(qtbot, context, sandbox=True)
    with qtbot.waitSignal(win.closed, timeout=2000):
        win.findChild(QAction, "quitAction").trigger()
    assert not win.isVisible()
    run_on_loop(qtbot, win.shutdown())


def test_send_in_the_menu_follows_the_compose_pane(qtbot: Any, window: MainWindow, context) -> None:
    send_action = window.findChild(QAction, "sendAction")
    assert not send_action.isEnabled()  # nothing composed yet
    window.compose.recipient.set_text("+91 88888 88888")
    window.compose.text_tab.message_edit.setPlainText("from the menu")
    qtbot.waitUntil(send_action.isEnabled, timeout=3000)
    with qtbot.waitSignal(window.send_finished, timeout=10_000) as blocker:
        send_action.trigger()
    assert blocker.args[1].outcome is Outcome.ACCEPTED
    assert len(context.services.sandbox.state.sends_to(NORMAL)) == 1


def test_the_profiles_menu_lists_and_switches_profiles(qtbot: Any, window: MainWindow, context) -> None:
    run_on_loop(
        qtbot, context.services.profiles.save(Profile(name="Desk", base_url=SANDBOX_BASE_URL), SANDBOX_TOKEN)
    )
    window._on_profiles_changed()
    assert menu_texts(window, "Profiles")[4:] == ["Desk", "Sandbox (built in)"]
    window.findChild(QAction, "useProfileAction:Desk").trigger()
    assert window.profile_name == "Desk"
    assert window.findChild(QAction, "useProfileAction:Desk").isChecked()
    window.findChild(QAction, "switchToSandboxAction").trigger()
    assert window.profile_name == SANDBOX_PROFILE_NAME


# --------------------------------------------------------------------------- help


def test_sandbox_scenarios_lists_every_scenario_and_tokens(qtbot: Any, window: MainWindow) -> None:
    window.findChild(QAction, "sandboxScenariosAction").trigger()
    dialog = window.scenarios_dialog
    assert dialog is not None
    assert dialog.isVisible()
    assert not dialog.isModal()
    listed = [dialog.table.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(dialog.table.rowCount())]
    assert set(SCENARIOS) <= set(listed)
    descriptions = [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())]
    assert SCENARIOS["919000000002"] in descriptions
    tokens = dialog.findChild(QLabel, "sandboxTokens").text()
    for token in (SANDBOX_TOKEN, SANDBOX_SCOPED_TOKEN, SANDBOX_EXPIRED_TOKEN):
        assert token in tokens


def test_a_scenario_click_fills_the_recipient_on_the_sandbox(qtbot: Any, window: MainWindow, context) -> None:
    live = Profile(name="Live", base_url="https://127.0.0.1:9/api/v2")
    run_on_loop(qtbot, context.services.profiles.save(live, "w91_live_live0000000"))
    window._on_profiles_changed()
    window.switch_profile("Live")
    dialog = window.show_sandbox_scenarios()
    row = next(
        r
        for r in range(dialog.table.rowCount())
        if dialog.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == "919000000002"
    )
    dialog.table.itemDoubleClicked.emit(dialog.table.item(row, 1))
    # A scenario number must never go to a real API: the window moved to the sandbox first.
    assert window.profile_name == SANDBOX_PROFILE_NAME
    assert window.compose.recipient.text().replace(" ", "") == "+919000000002"


def test_about_shows_version_paths_and_keychain(qtbot: Any, window: MainWindow, context) -> None:
    window.findChild(QAction, "aboutAction").trigger()
    box = window.about_box
    assert box is not None
    assert box.isVisible()
    assert not box.isModal()
    text = box.text()
    for wanted in (
        __version__,
        str(context.services.paths.settings_file),
        str(context.services.paths.log_db),
        "MemoryKeyring",
    ):
        assert wanted in text, wanted


# --------------------------------------------------------------------------- test token


@pytest.mark.parametrize(
    ("token", "level", "words"),
    [(SANDBOX_TOKEN, "info", "The token is valid"), (SANDBOX_EXPIRED_TOKEN, "error", "invalid or expired")],
)
def test_test_token_checks_the_profile_in_use(
    qtbot: Any, window: MainWindow, context, token: str, level: str, words: str
) -> None:
    run_on_loop(qtbot, context.services.profiles.save(Profile(name="T", base_url=SANDBOX_BASE_URL), token))
    window._on_profiles_changed()
    window.switch_profile("T")
    window.findChild(QAction, "testTokenAction").trigger()
    qtbot.waitUntil(
        lambda: window.token_tester.box is not None and window.token_tester.box.isVisible(), timeout=5000
    )
    box = window.token_tester.box
    assert box is not None
    assert not box.isModal()
    assert words in box.text()
    assert "requestId" in box.text()
    assert token not in box.text()
    assert window.status.level == level
    icon = QMessageBox.Icon.Information if level == "info" else QMessageBox.Icon.Warning
    assert box.icon() == icon


# --------------------------------------------------------------------------- the log's columns


def test_preview_gets_the_room_and_message_ids_stay_reachable(qtbot: Any, window: MainWindow) -> None:
    send(qtbot, window, NORMAL, "Hi Asha, your order #4411 has shipped and arrives tomorrow.")
    table = window.findChild(QTableView, "messageLog")
    qtbot.waitUntil(lambda: bool(table.model().data(table.model().index(0, MESSAGE_ID))), timeout=5000)
    for column in (PROFILE, SENDER, TYPE):
        assert table.isColumnHidden(column), COLUMNS[column]
    shown = [c for c in range(len(COLUMNS)) if not table.isColumnHidden(c)]
    assert max(shown, key=table.columnWidth) == PREVIEW
    assert not table.isColumnHidden(MESSAGE_ID)
    index = table.model().index(0, MESSAGE_ID)
    full = index.data(Qt.ItemDataRole.AccessibleTextRole)
    assert full.startswith("wamid.")
    assert index.data(Qt.ItemDataRole.ToolTipRole) == full
    head, ellipsis, tail = index.data().partition("…")  # elided in the middle: both ends stay
    assert ellipsis
    assert full.startswith(head)
    assert full.endswith(tail)


def test_column_choices_survive_a_restart(qtbot: Any, context, keyring) -> None:
    win = open_window(qtbot, context, sandbox=True)
    win.log_pane.set_column_shown(TYPE, True)
    win.log_pane.set_column_shown(MESSAGE_ID, False)
    win.close()
    run_on_loop(qtbot, win.shutdown())
    again = open_window(qtbot, make_desk(keyring_backend=keyring), sandbox=True)
    try:
        table = again.findChild(QTableView, "messageLog")
        assert not table.isColumnHidden(TYPE)
        assert table.isColumnHidden(MESSAGE_ID)
        assert table.isColumnHidden(PROFILE)
        again.log_pane.reset_columns()
        assert table.isColumnHidden(TYPE)
        assert not table.isColumnHidden(MESSAGE_ID)
    finally:
        again.close()
        run_on_loop(qtbot, again.shutdown())


# --------------------------------------------------------------------------- logging


def test_sends_are_logged_with_ids_and_outcome_but_no_text_or_number(
    qtbot: Any, window: MainWindow, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="whats91_desktop"):
        row_id, result = send(qtbot, window, "+91 98765 43210", "Your OTP is 482913")
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("whats91_desktop.ui")]
    sends = [line for line in lines if line.startswith(f"send row {row_id} ")]
    assert len(sends) == 1, lines
    assert "accepted" in sends[0]
    assert result.message_id in sends[0]
    assert result.request_id in sends[0]
    everything = "\n".join(r.getMessage() for r in caplog.records)
    assert "482913" not in everything
    assert "98765" not in everything
