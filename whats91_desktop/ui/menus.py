"""The window's menu bar: File, Profiles, Message and Help.

The Message menu shows the log's own row actions (one QAction each, shared with the log's
toolbar and context menu), so an action is enabled or disabled in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from whats91_desktop.ui.compose.pane import ComposePane
from whats91_desktop.ui.log.pane import LogPane


@dataclass(frozen=True)
class MenuHandlers:
    """What the menu entries that belong to the window itself do."""

    quit: Callable[[], object]
    add_profile: Callable[[], object]
    manage_profiles: Callable[[], object]
    test_token: Callable[[], object]
    use_sandbox: Callable[[], object]
    sandbox_scenarios: Callable[[], object]
    about: Callable[[], object]


@dataclass(frozen=True)
class Menus:
    profiles: QMenu
    """Its entries end with one checkable action per profile (``ProfileSwitcher`` keeps them)."""
    quit_action: QAction
    send_action: QAction
    test_token_action: QAction


def _action(
    window: QMainWindow, menu: QMenu, text: str, name: str, slot: Callable[[], object], tip: str = ""
) -> QAction:
    action = QAction(text, window)
    action.setObjectName(name)
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    menu.addAction(action)
    return action


def build_menus(
    window: QMainWindow, compose: ComposePane, log_pane: LogPane, handlers: MenuHandlers
) -> Menus:
    bar = window.menuBar()
    bar.setObjectName("menuBar")

    file_menu = bar.addMenu("&File")
    file_menu.setObjectName("fileMenu")
    file_menu.addAction(log_pane.export_csv_action)
    file_menu.addAction(log_pane.export_json_action)
    file_menu.addSeparator()
    quit_action = _action(window, file_menu, "&Quit", "quitAction", handlers.quit, "Close the window")
    quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
    if quit_action.shortcut().isEmpty():  # no platform standard (Windows): Ctrl+Q
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
    quit_action.setMenuRole(QAction.MenuRole.QuitRole)

    profiles = bar.addMenu("&Profiles")
    profiles.setObjectName("profilesMenu")
    _action(
        window,
        profiles,
        "&Add profile…",
        "addProfileAction",
        handlers.add_profile,
        "Add a Whats91 account: base URL, token and senders",
    )
    _action(
        window,
        profiles,
        "&Manage profiles…",
        "manageProfilesAction",
        handlers.manage_profiles,
        "Edit, rename or delete profiles",
    )
    test_token_action = _action(
        window,
        profiles,
        "&Test token…",
        "testTokenAction",
        handlers.test_token,
        "Ask the API whether this profile's token works for the chosen sender",
    )
    _action(
        window,
        profiles,
        "Switch to &sandbox",
        "switchToSandboxAction",
        handlers.use_sandbox,
        "The built-in emulator: nothing leaves this computer",
    )
    profiles.addSeparator()

    message = bar.addMenu("&Message")
    message.setObjectName("messageMenu")
    # The label shows the shortcut; the window's and the pane's QShortcuts handle the keys
    # (a second, menu-owned Ctrl+Enter would make the key ambiguous inside the pane).
    send_action = _action(
        window, message, "&Send\tCtrl+Enter", "sendAction", compose.trigger_send, "Send the composed message"
    )
    send_action.setEnabled(compose.is_valid())
    compose.validity_changed.connect(lambda ok, _reason: send_action.setEnabled(ok))
    message.addSeparator()
    for action in (log_pane.reconcile_action, log_pane.refresh_status_action, log_pane.resend_action):
        message.addAction(action)
    message.addSeparator()
    for action in (log_pane.copy_id_action, log_pane.copy_curl_action):
        message.addAction(action)
    message.addSeparator()
    message.addAction(log_pane.delete_action)
    message.addAction(log_pane.delete_shown_action)

    help_menu = bar.addMenu("&Help")
    help_menu.setObjectName("helpMenu")
    _action(
        window,
        help_menu,
        "Sandbox &scenarios…",
        "sandboxScenariosAction",
        handlers.sandbox_scenarios,
        "The recipient numbers that make the sandbox queue, fail, time out or rate-limit",
    )
    about = _action(window, help_menu, "&About Whats91 Desktop", "aboutAction", handlers.about)
    about.setMenuRole(QAction.MenuRole.AboutRole)
    return Menus(
        profiles=profiles,
        quit_action=quit_action,
        send_action=send_action,
        test_token_action=test_token_action,
    )
