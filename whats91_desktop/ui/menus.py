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
from whats91_desktop.ui.i18n import tr
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
    preferences: Callable[[], object]
    shortcuts: Callable[[], object]
    diagnostics: Callable[[], object]


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

    file_menu = bar.addMenu(tr("&File"))
    file_menu.setObjectName("fileMenu")
    file_menu.addAction(log_pane.export_csv_action)
    file_menu.addAction(log_pane.export_json_action)
    file_menu.addSeparator()
    quit_action = _action(window, file_menu, tr("&Quit"), "quitAction", handlers.quit, tr("Close the window"))
    quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
    if quit_action.shortcut().isEmpty():  # no platform standard (Windows): Ctrl+Q
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
    quit_action.setMenuRole(QAction.MenuRole.QuitRole)

    edit_menu = bar.addMenu(tr("&Edit"))
    edit_menu.setObjectName("editMenu")
    preferences = _action(
        window,
        edit_menu,
        tr("&Preferences…"),
        "preferencesAction",
        handlers.preferences,
        tr("Theme, language, timeouts and other settings of the app"),
    )
    preferences.setShortcut(QKeySequence(QKeySequence.StandardKey.Preferences))
    if preferences.shortcut().isEmpty():  # no platform standard (Linux, Windows): Ctrl+,
        preferences.setShortcut(QKeySequence("Ctrl+,"))
    preferences.setMenuRole(QAction.MenuRole.PreferencesRole)

    profiles = bar.addMenu(tr("&Profiles"))
    profiles.setObjectName("profilesMenu")
    _action(
        window,
        profiles,
        tr("&Add profile…"),
        "addProfileAction",
        handlers.add_profile,
        tr("Add a Whats91 account: base URL, token and senders"),
    )
    _action(
        window,
        profiles,
        tr("&Manage profiles…"),
        "manageProfilesAction",
        handlers.manage_profiles,
        tr("Edit, rename or delete profiles"),
    )
    test_token_action = _action(
        window,
        profiles,
        tr("&Test token…"),
        "testTokenAction",
        handlers.test_token,
        tr("Ask the API whether this profile's token works for the chosen sender"),
    )
    _action(
        window,
        profiles,
        tr("Switch to &sandbox"),
        "switchToSandboxAction",
        handlers.use_sandbox,
        tr("The built-in emulator: nothing leaves this computer"),
    )
    profiles.addSeparator()

    message = bar.addMenu(tr("&Message"))
    message.setObjectName("messageMenu")
    # The label shows the shortcut; the window's and the pane's QShortcuts handle the keys
    # (a second, menu-owned Ctrl+Enter would make the key ambiguous inside the pane).
    send_action = _action(
        window,
        message,
        tr("&Send\tCtrl+Enter"),
        "sendAction",
        compose.trigger_send,
        tr("Send the composed message"),
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

    help_menu = bar.addMenu(tr("&Help"))
    help_menu.setObjectName("helpMenu")
    _action(
        window,
        help_menu,
        tr("Sandbox &scenarios…"),
        "sandboxScenariosAction",
        handlers.sandbox_scenarios,
        tr("The recipient numbers that make the sandbox queue, fail, time out or rate-limit"),
    )
    shortcuts = _action(
        window,
        help_menu,
        tr("&Keyboard shortcuts"),
        "shortcutsAction",
        handlers.shortcuts,
        tr("Every key the window answers to"),
    )
    shortcuts.setShortcut(QKeySequence("F1"))
    _action(
        window,
        help_menu,
        tr("Save &diagnostic bundle…"),
        "diagnosticsAction",
        handlers.diagnostics,
        tr("A zip for support: versions, paths, the redacted log, no tokens, no message text"),
    )
    help_menu.addSeparator()
    about = _action(window, help_menu, tr("&About Whats91 Desktop"), "aboutAction", handlers.about)
    about.setMenuRole(QAction.MenuRole.AboutRole)
    return Menus(
        profiles=profiles,
        quit_action=quit_action,
        send_action=send_action,
        test_token_action=test_token_action,
    )
