"""Profiles in the window: welcome, add / switch / rename / delete, the token test, the base URL rules.

Tokens go to an injected in-memory keychain (never the real one); the sandbox answers through
the context's in-process transport. Modal questions are patched, never exec()'d.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QMessageBox, QPushButton, QWidget

from tests.helpers.desk import make_desk
from tests.helpers.displayed_text import displayed, repeated_mnemonics, stray_ampersands
from tests.helpers.memory_keyring import MemoryKeyring
from tests.ui.conftest import run_on_loop
from whats91_desktop.app import create_window
from whats91_desktop.core.models import Profile, Sender
from whats91_desktop.sandbox.constants import (
    SANDBOX_BASE_URL,
    SANDBOX_EXPIRED_TOKEN,
    SANDBOX_SCOPED_TOKEN,
    SANDBOX_SENDERS,
    SANDBOX_TOKEN,
)
from whats91_desktop.services.container import DesktopServices
from whats91_desktop.services.sandbox_profile import SANDBOX_PROFILE_NAME
from whats91_desktop.ui.elided_label import ElidedLabel
from whats91_desktop.ui.main_window import MainWindow
from whats91_desktop.ui.profiles.manager import ProfilesDialog, open_profile_dialog
from whats91_desktop.ui.profiles.profile_dialog import ProfileDialog

SERVICE = "whats91-desktop"


@pytest.fixture
def keyring() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def context(keyring: MemoryKeyring) -> DesktopServices:
    return make_desk(keyring_backend=keyring)


@pytest.fixture
def window(qtbot, context: DesktopServices) -> Iterator[MainWindow]:
    win = create_window(context, sandbox=True)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
    run_on_loop(qtbot, win.shutdown())


def free_port() -> int:
    """A loopback port with nothing listening on it (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fill(
    dialog: ProfileDialog, qtbot, *, name: str, base_url: str, token: str, senders: tuple[str, ...] = ()
):
    dialog.findChild(QLineEdit, "profileNameEdit").setText(name)
    dialog.findChild(QLineEdit, "baseUrlEdit").setText(base_url)
    qtbot.keyClicks(dialog.findChild(QLineEdit, "tokenEdit"), token)
    for sender in senders:
        dialog.findChild(QLineEdit, "senderInput").setText(sender)
        qtbot.mouseClick(dialog.findChild(QPushButton, "addSenderButton"), Qt.MouseButton.LeftButton)


def add_profile(qtbot, window: MainWindow, **fields) -> None:
    window.open_add_profile()
    dialog = window.findChild(ProfileDialog, "profileDialog")
    assert dialog is not None
    assert dialog.isVisible()
    fill(dialog, qtbot, **fields)
    save = dialog.findChild(QPushButton, "saveProfileButton")
    assert save.isEnabled(), dialog.findChild(QLabel, "profileProblems").text()
    # Saved on the keychain and settings workers; the dialog closes (and is deleted) after.
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: gone(dialog))


def gone(dialog: QWidget) -> bool:
    """Closed: hidden, or already deleted (the editors delete themselves on close)."""
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def combo_names(window: MainWindow) -> list[str]:
    combo = window.findChild(QComboBox, "profileCombo")
    return [combo.itemText(i) for i in range(combo.count())]


def select_profile(window: MainWindow, name: str) -> None:
    combo = window.findChild(QComboBox, "profileCombo")
    index = combo.findData(name)
    assert index >= 0, combo_names(window)
    combo.setCurrentIndex(index)


# --------------------------------------------------------------------------- first run


def test_first_run_offers_the_sandbox_and_a_token(qtbot, context: DesktopServices) -> None:
    win = create_window(context)
    assert win.profile_name == SANDBOX_PROFILE_NAME
    win.show()
    qtbot.waitUntil(lambda: win.welcome is not None and win.welcome.isVisible())
    welcome = win.welcome
    assert welcome is not None
    assert not welcome.findChild(QPushButton, "addTokenButton").isHidden()
    qtbot.mouseClick(welcome.findChild(QPushButton, "trySandboxButton"), Qt.MouseButton.LeftButton)
    assert not welcome.isVisible()
    assert win.status.badge.text() == "SANDBOX"
    win.close()
    run_on_loop(qtbot, win.shutdown())


def test_welcome_add_token_opens_the_profile_dialog(qtbot, context: DesktopServices) -> None:
    win = create_window(context)
    win.show()
    qtbot.waitUntil(lambda: win.welcome is not None and win.welcome.isVisible())
    assert win.welcome is not None
    qtbot.mouseClick(win.welcome.findChild(QPushButton, "addTokenButton"), Qt.MouseButton.LeftButton)
    dialog = win.findChild(ProfileDialog, "profileDialog")
    assert dialog is not None
    assert dialog.isVisible()
    dialog.reject()
    win.close()
    run_on_loop(qtbot, win.shutdown())


def test_no_welcome_when_sandbox_is_asked_for(qtbot, window: MainWindow) -> None:
    qtbot.wait(20)
    assert window.welcome is None


# --------------------------------------------------------------------------- add, switch, rename, delete


def test_add_switch_rename_and_delete_a_profile(qtbot, window: MainWindow, keyring, context, monkeypatch):
    add_profile(
        qtbot,
        window,
        name="Support",
        base_url=SANDBOX_BASE_URL,
        token=SANDBOX_SCOPED_TOKEN,
        senders=(SANDBOX_SENDERS[0][0],),
    )
    # The token is in the keychain and nowhere in the settings file.
    assert keyring.passwords[(SERVICE, "Support")] == SANDBOX_SCOPED_TOKEN
    settings_text = context.services.paths.settings_file.read_text(encoding="utf-8")
    assert SANDBOX_SCOPED_TOKEN not in settings_text
    assert "Support" in json.loads(settings_text)["profiles"][0]["name"]
    # Adding switches to it; the combo lists it beside the built-in sandbox.
    assert window.profile_name == "Support"
    assert "Support" in combo_names(window)
    assert "Manage profiles…" in combo_names(window)
    sender_combo = window.findChild(QComboBox, "senderCombo")
    assert sender_combo.currentText().startswith("+91")

    select_profile(window, SANDBOX_PROFILE_NAME)
    assert window.profile_name == SANDBOX_PROFILE_NAME
    select_profile(window, "Support")
    assert window.profile_name == "Support"

    # Rename: the token moves with the profile.
    manager = window.open_profiles_dialog()
    manager.reload(select="Support")
    qtbot.mouseClick(manager.findChild(QPushButton, "editProfileButton"), Qt.MouseButton.LeftButton)
    editor = manager.editor
    assert editor is not None
    assert editor.isVisible()
    assert editor.findChild(QLineEdit, "tokenEdit").text() == ""  # never shown again
    editor.findChild(QLineEdit, "profileNameEdit").setText("Support desk")
    with qtbot.waitSignal(editor.saved, timeout=5000):
        qtbot.mouseClick(editor.findChild(QPushButton, "saveProfileButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: gone(editor))
    assert keyring.passwords.get((SERVICE, "Support desk")) == SANDBOX_SCOPED_TOKEN
    assert (SERVICE, "Support") not in keyring.passwords
    assert window.profile_name == "Support desk"

    # Delete: asks first; "No" keeps everything.
    asked: list[str] = []

    def answer(reply):
        def question(*args, **kwargs):
            asked.append(args[2])
            return reply

        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    manager.reload(select="Support desk")
    qtbot.mouseClick(manager.findChild(QPushButton, "deleteProfileButton"), Qt.MouseButton.LeftButton)
    assert asked
    assert "Support desk" in asked[0]
    assert context.services.settings.current.profile("Support desk") is not None

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    with qtbot.waitSignal(manager.profiles_changed, timeout=5000):
        qtbot.mouseClick(manager.findChild(QPushButton, "deleteProfileButton"), Qt.MouseButton.LeftButton)
    assert context.services.settings.current.profile("Support desk") is None
    assert (SERVICE, "Support desk") not in keyring.passwords
    assert "Support desk" not in combo_names(window)
    assert window.profile_name == SANDBOX_PROFILE_NAME
    manager.reject()


def test_manage_profiles_entry_opens_the_manager_and_keeps_the_profile(qtbot, window: MainWindow) -> None:
    combo = window.findChild(QComboBox, "profileCombo")
    combo.setCurrentIndex(combo.count() - 1)
    assert window.profiles_dialog is not None
    assert window.profiles_dialog.isVisible()
    assert combo.currentData() == SANDBOX_PROFILE_NAME
    window.profiles_dialog.reject()


def test_production_profile_shows_a_red_badge(qtbot, window: MainWindow) -> None:
    add_profile(
        qtbot,
        window,
        name="Live",
        base_url=f"https://127.0.0.1:{free_port()}/api/v2",
        token="w91_live_x1234567890",
    )
    assert window.status.badge.text() == "PRODUCTION"
    assert "c62828" in window.status.badge.styleSheet()
    select_profile(window, SANDBOX_PROFILE_NAME)
    assert window.status.badge.text() == "SANDBOX"


def test_a_new_profile_needs_a_token_and_a_free_name(qtbot, window: MainWindow, context) -> None:
    dialog = open_profile_dialog(context.services, window)
    save = dialog.findChild(QPushButton, "saveProfileButton")
    fill(dialog, qtbot, name="Sandbox", base_url="https://api.example.com/v2", token="")
    assert not save.isEnabled()
    problems = dialog.findChild(QLabel, "profileProblems").text()
    assert "built-in sandbox" in problems
    assert "Token" in problems
    fill(dialog, qtbot, name="Mine", base_url="https://api.example.com/v2", token="w91_live_abcdef123456")
    assert save.isEnabled()
    dialog.reject()


# --------------------------------------------------------------------------- the dialog's fields


@pytest.mark.parametrize(
    ("url", "allowed", "why"),
    [
        ("http://api.example.com/v2", False, "Plain http is allowed only to this computer"),
        ("ftp://api.example.com", False, "https://"),
        ("https://user:secret@api.example.com", False, "user name or password"),
        ("https://api.example.com/api/v2", True, ""),
        ("http://127.0.0.1:8091/api/v2", True, ""),
        ("http://localhost:8091/api/v2", True, ""),
    ],
)
def test_base_url_rules_are_explained_inline(qtbot, context, url: str, allowed: bool, why: str) -> None:
    dialog = open_profile_dialog(context.services, None)
    fill(dialog, qtbot, name="X", base_url=url, token="w91_live_abcdef123456")
    label = dialog.findChild(QLabel, "baseUrlProblem")
    assert dialog.findChild(QPushButton, "saveProfileButton").isEnabled() is allowed
    assert (label.text() == "") is allowed
    assert why in label.text()
    assert not label.isHidden()  # its lines stay reserved, problem or not: nothing moves
    dialog.reject()


def test_token_field_is_a_password_field_with_a_toggle(qtbot, context) -> None:
    dialog = open_profile_dialog(context.services, None)
    token = dialog.findChild(QLineEdit, "tokenEdit")
    assert token.echoMode() == QLineEdit.EchoMode.Password
    dialog.show_token_action.trigger()
    assert token.echoMode() == QLineEdit.EchoMode.Normal
    dialog.show_token_action.trigger()
    assert token.echoMode() == QLineEdit.EchoMode.Password
    dialog.reject()


def test_the_file_fallback_warning_is_visible(qtbot) -> None:
    # The test suite's default keyring backend is keyring's "fail" one: tokens go to the file.
    ctx = make_desk()
    assert ctx.services.secrets.using_fallback
    dialog = open_profile_dialog(ctx.services, None)
    warning = dialog.findChild(QLabel, "secretWarning")
    assert not warning.isHidden()
    assert "No system keychain" in warning.text()
    dialog.reject()


def test_no_fallback_warning_with_a_keychain(qtbot, context) -> None:
    dialog = open_profile_dialog(context.services, None)
    assert dialog.findChild(QLabel, "secretWarning").isHidden()
    dialog.reject()


# --------------------------------------------------------------------------- Test token


def run_token_test(
    qtbot, context: DesktopServices, *, base_url: str, token: str, sender: str | None
) -> ProfileDialog:
    dialog = open_profile_dialog(context.services, None)
    fill(dialog, qtbot, name="T", base_url=base_url, token=token, senders=(sender,) if sender else ())
    with qtbot.waitSignal(dialog.token_checked, timeout=10_000):
        qtbot.mouseClick(dialog.findChild(QPushButton, "testTokenButton"), Qt.MouseButton.LeftButton)
    return dialog


@pytest.mark.parametrize(
    ("token", "sender", "verdict", "words"),
    [
        (SANDBOX_TOKEN, SANDBOX_SENDERS[0][0], "valid", "The token is valid for sender +91"),
        (SANDBOX_EXPIRED_TOKEN, None, "invalid", "invalid or expired (HTTP 401)"),
        (SANDBOX_SCOPED_TOKEN, SANDBOX_SENDERS[1][0], "forbidden", "wrong scope"),
        (SANDBOX_SCOPED_TOKEN, SANDBOX_SENDERS[0][0], "valid", "The token is valid"),
    ],
)
def test_token_test_verdicts_from_the_sandbox(qtbot, context, token, sender, verdict, words) -> None:
    dialog = run_token_test(qtbot, context, base_url=SANDBOX_BASE_URL, token=token, sender=sender)
    assert dialog.last_check is not None
    assert dialog.last_check.verdict == verdict
    result = dialog.findChild(QLabel, "tokenTestResult").text()
    assert words in result
    assert dialog.last_check.request_id
    assert f"requestId: {dialog.last_check.request_id}" in result
    assert token not in result
    dialog.reject()


def test_token_test_unreachable(qtbot, context) -> None:
    url = f"http://127.0.0.1:{free_port()}/api/v2"
    dialog = run_token_test(qtbot, context, base_url=url, token="w91_live_nothinglistens000", sender=None)
    assert dialog.last_check is not None
    assert dialog.last_check.verdict == "unreachable"
    assert "could not be reached" in dialog.findChild(QLabel, "tokenTestResult").text()
    dialog.reject()


def test_token_test_of_a_saved_profile_uses_the_stored_token(qtbot, window: MainWindow, context) -> None:
    add_profile(qtbot, window, name="Expired", base_url=SANDBOX_BASE_URL, token=SANDBOX_EXPIRED_TOKEN)
    dialog = open_profile_dialog(
        context.services, window, context.services.settings.current.profile("Expired")
    )
    with qtbot.waitSignal(dialog.token_checked, timeout=10_000):
        qtbot.mouseClick(dialog.findChild(QPushButton, "testTokenButton"), Qt.MouseButton.LeftButton)
    assert dialog.last_check is not None
    assert dialog.last_check.verdict == "invalid"
    dialog.reject()


def test_expired_token_profile_hides_the_wallet(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.status.wallet_label.isVisible(), timeout=5000)  # the sandbox's wallet
    assert "INR" in window.status.wallet_label.text()
    add_profile(qtbot, window, name="Expired", base_url=SANDBOX_BASE_URL, token=SANDBOX_EXPIRED_TOKEN)
    qtbot.wait(200)
    assert not window.status.wallet_label.isVisible()


# --------------------------------------------------------------------------- accessibility


def test_every_interactive_widget_in_the_profile_dialog_has_a_name(qtbot, context) -> None:
    from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QListWidget

    dialog = open_profile_dialog(context.services, None)
    nameless = [
        w.objectName() or type(w).__name__
        for w in dialog.findChildren(QWidget)
        if isinstance(w, QAbstractButton | QLineEdit | QComboBox | QAbstractSpinBox | QListWidget)
        and w.isVisibleTo(dialog)
        and not w.accessibleName()
        and not (isinstance(w, QLineEdit) and isinstance(w.parent(), QComboBox | QAbstractSpinBox))
    ]
    assert nameless == []
    dialog.reject()


# --------------------------------------------------------------------------- copy and layout


def edit_dialog(context: DesktopServices) -> ProfileDialog:
    profile = Profile(name="Prod", base_url="https://api.example.com/v2", senders=(Sender("919999999999"),))
    return open_profile_dialog(context.services, None, profile)


@pytest.mark.parametrize("editing", [False, True], ids=["add", "edit"])
def test_the_profile_dialog_shows_no_literal_ampersand_and_no_mnemonic_twice(qtbot, context, editing) -> None:
    dialog = edit_dialog(context) if editing else open_profile_dialog(context.services, None)
    qtbot.waitExposed(dialog)
    texts = [shown.text for shown in displayed(dialog)]
    assert {"Token:", "Senders", "Timeouts:", "Name:"} <= set(texts)  # the walk really saw them
    assert stray_ampersands(dialog) == []
    assert repeated_mnemonics(dialog) == {}
    dialog.reject()


def test_manage_profiles_shows_no_literal_ampersand(qtbot, window: MainWindow) -> None:
    manager = window.open_profiles_dialog()
    qtbot.waitExposed(manager)
    assert len(displayed(manager)) >= 4
    assert stray_ampersands(manager) == []
    assert repeated_mnemonics(manager) == {}
    manager.close()


def test_manage_profiles_says_where_the_tokens_really_go(qtbot, window: MainWindow, context) -> None:
    assert not context.services.secrets.using_fallback
    manager = window.open_profiles_dialog()
    intro = manager.findChild(QLabel, "profilesIntro")
    assert "kept in the system keychain" in intro.text()
    manager.close()

    fallback = ProfilesDialog(make_desk().services, window.bridge)  # the suite's keyring fails: a file
    qtbot.addWidget(fallback)
    text = fallback.findChild(QLabel, "profilesIntro").text()
    assert "system keychain" in text
    assert "kept in the system keychain" not in text
    assert "file readable only by you" in text


def _fallback_dialog(qtbot) -> ProfileDialog:
    ctx = make_desk()  # keyring's fail backend: the token-in-a-file warning shows
    dialog = open_profile_dialog(ctx.services, None)
    qtbot.waitExposed(dialog)
    return dialog


def test_typing_never_resizes_the_profile_dialog(qtbot) -> None:
    dialog = _fallback_dialog(qtbot)
    warning = dialog.findChild(QLabel, "secretWarning")
    assert warning.isVisible()
    size, hint, place = dialog.size(), dialog.sizeHint(), warning.geometry()
    fill(dialog, qtbot, name="Sandbox", base_url="http://api.example.com/v2", token="")
    dialog.findChild(QLineEdit, "senderInput").setText("12")
    qtbot.mouseClick(dialog.findChild(QPushButton, "addSenderButton"), Qt.MouseButton.LeftButton)
    dialog.findChild(QLineEdit, "profileNameEdit").clear()
    qtbot.keyClicks(dialog.findChild(QLineEdit, "tokenEdit"), "w91")
    dialog.findChild(QLineEdit, "tokenEdit").clear()
    qtbot.wait(50)
    assert dialog.findChild(QLabel, "baseUrlProblem").text()  # problems did appear meanwhile
    assert dialog.findChild(QLabel, "senderProblem").text()
    assert dialog.findChild(QLabel, "profileNameProblem").text()
    assert dialog.size() == size
    assert dialog.sizeHint() == hint
    assert warning.geometry() == place
    dialog.reject()


def test_the_profile_dialog_fits_1024x640_and_cuts_no_text(qtbot) -> None:
    dialog = _fallback_dialog(qtbot)
    fill(dialog, qtbot, name="Sandbox", base_url="http://api.example.com/v2", token="")
    qtbot.wait(50)
    hint = dialog.sizeHint()
    assert hint.width() <= 1024
    assert hint.height() <= 600  # 640 less a title bar
    dialog.resize(dialog.minimumSizeHint())  # the smallest it can be made still shows everything
    qtbot.wait(50)
    for label in dialog.findChildren(QLabel):
        if not label.isVisible():
            continue
        name = label.objectName() or label.text()
        if isinstance(label, ElidedLabel):
            assert not label.is_elided(), name
        elif label.wordWrap():
            assert label.height() >= label.heightForWidth(label.width()), name
        else:
            assert label.width() >= label.sizeHint().width(), name
    for button in dialog.findChildren(QPushButton):
        if button.isVisible():
            assert button.width() >= button.sizeHint().width(), button.text()
    dialog.reject()


def test_an_untouched_profile_form_shows_no_problems(qtbot, context) -> None:
    dialog = open_profile_dialog(context.services, None)
    for name in ("profileNameProblem", "baseUrlProblem", "profileTokenProblem", "senderProblem"):
        assert dialog.findChild(QLabel, name).text() == "", name
    summary = dialog.findChild(QLabel, "profileProblems")
    assert summary.text() == "To save, fill in: Name, Token"
    assert "b00020" not in summary.styleSheet()  # grey: nothing is wrong yet
    assert not dialog.findChild(QPushButton, "saveProfileButton").isEnabled()
    name = dialog.findChild(QLineEdit, "profileNameEdit")
    qtbot.keyClicks(name, "x")
    name.clear()
    assert dialog.findChild(QLabel, "profileNameProblem").text() != ""  # edited, then emptied
    assert "b00020" in summary.styleSheet()
    assert dialog.findChild(QLabel, "profileTokenProblem").text() == ""  # still untouched
    dialog.reject()
