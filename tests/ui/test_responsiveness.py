"""The UI never freezes: slow keychain, settings and file work happens off the GUI thread.

Each test makes one kind of I/O slow on purpose (a keychain that takes 0.5 s per call, a
settings write that takes 0.5 s, a thumbnail decode that takes 0.5 s), records the thread the
slow call ran on, and runs a ``Heartbeat``: a QTimer ticking every 20 ms on the GUI thread. If
the slow call ran on the GUI thread, the heartbeat would stop for its 0.5 s; the tests assert it
never paused for more than ``MAX_PAUSE``. ``test_the_heartbeat_notices_a_blocked_gui_thread``
shows the harness catches exactly that.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage
from PySide6.QtWidgets import QLineEdit, QPushButton, QTabWidget

from tests.helpers.desk import make_desk, open_desk
from tests.helpers.heartbeat import MAX_PAUSE, Heartbeat
from tests.helpers.memory_keyring import MemoryKeyring
from tests.ui.conftest import open_window, run_on_loop
from whats91_desktop.app import import_ui_modules
from whats91_desktop.core.client import Whats91Client
from whats91_desktop.core.models import Outcome, Profile
from whats91_desktop.core.settings import Settings, SettingsStore
from whats91_desktop.sandbox.constants import SANDBOX_BASE_URL, SANDBOX_TOKEN
from whats91_desktop.services.container import DesktopServices
from whats91_desktop.ui.compose import media_tab
from whats91_desktop.ui.main_window import MainWindow
from whats91_desktop.ui.profiles.manager import open_profile_dialog

SLOW = 0.5
SERVICE = "whats91-desktop"


class SlowCalls:
    """Records which thread each slow call ran on."""

    def __init__(self) -> None:
        self.threads: list[str] = []

    def wrap(self, fn: Callable[..., Any], delay: float = SLOW) -> Callable[..., Any]:
        def slow(*args: Any, **kwargs: Any) -> Any:
            self.threads.append(threading.current_thread().name)
            time.sleep(delay)
            return fn(*args, **kwargs)

        return slow

    def assert_off_the_gui_thread(self, prefix: str = "whats91-") -> None:
        assert self.threads, "the slow call never happened"
        main = threading.main_thread().name
        assert main not in self.threads, self.threads
        assert all(name.startswith(prefix) for name in self.threads), self.threads


class SlowKeyring(MemoryKeyring):
    """A keychain that takes SLOW seconds per call, like a Secret Service waking up over D-Bus."""

    def __init__(self, calls: SlowCalls) -> None:
        super().__init__()
        self.calls = calls

    def get_password(self, service: str, username: str) -> str | None:
        return self.calls.wrap(super().get_password)(service, username)

    def set_password(self, service: str, username: str, password: str) -> None:
        self.calls.wrap(super().set_password)(service, username, password)

    def delete_password(self, service: str, username: str) -> None:
        self.calls.wrap(super().delete_password)(service, username)


@pytest.fixture(scope="module", autouse=True)
def _ui_modules_loaded() -> None:
    """As ``run_gui`` does on a worker while the frame shows: the heartbeats here measure the
    window's work on the GUI thread, not Python importing its modules for the first time."""
    import_ui_modules()


@pytest.fixture
def calls() -> SlowCalls:
    return SlowCalls()


@pytest.fixture
def keyring(calls: SlowCalls) -> SlowKeyring:
    return SlowKeyring(calls)


@pytest.fixture
def context(keyring: SlowKeyring) -> DesktopServices:
    return make_desk(keyring_backend=keyring)


def slow_settings(monkeypatch: pytest.MonkeyPatch, context: DesktopServices, calls: SlowCalls) -> None:
    monkeypatch.setattr(
        context.services.settings.store, "save", calls.wrap(context.services.settings.store.save)
    )


# --------------------------------------------------------------------------- the harness itself


def test_the_heartbeat_notices_a_blocked_gui_thread(qtbot: Any) -> None:
    with Heartbeat() as beat:
        qtbot.wait(100)
        time.sleep(SLOW)  # what a keychain call on the GUI thread would do
        qtbot.wait(100)
    assert beat.longest_pause >= SLOW * 0.9
    with Heartbeat() as idle:
        qtbot.wait(SLOW * 1000)
    assert idle.longest_pause < MAX_PAUSE
    assert len(idle.ticks) >= 10


# --------------------------------------------------------------------------- the keychain


def test_saving_a_profile_with_a_slow_keychain_and_disk_keeps_ticking(
    qtbot: Any,
    window: MainWindow,
    context: DesktopServices,
    keyring: SlowKeyring,
    calls: SlowCalls,
    monkeypatch,
) -> None:
    slow_settings(monkeypatch, context, calls)
    dialog = open_profile_dialog(context.services, window)
    dialog.findChild(QLineEdit, "profileNameEdit").setText("Desk")
    dialog.findChild(QLineEdit, "baseUrlEdit").setText(SANDBOX_BASE_URL)
    dialog.findChild(QLineEdit, "tokenEdit").setText(SANDBOX_TOKEN)
    save = dialog.findChild(QPushButton, "saveProfileButton")
    with Heartbeat() as beat, qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
        assert save.text() == "Saving…"
        assert not save.isEnabled()
    assert beat.stopped - beat.started >= SLOW  # the slow calls really happened while we watched
    assert beat.longest_pause < MAX_PAUSE, beat.longest_pause
    calls.assert_off_the_gui_thread()
    assert keyring.passwords[(SERVICE, "Desk")] == SANDBOX_TOKEN
    assert '"Desk"' in context.services.paths.settings_file.read_text(encoding="utf-8")
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible(), timeout=2000)


def test_a_token_is_read_from_a_slow_keychain_without_freezing_a_send(
    qtbot: Any, calls: SlowCalls, keyring: SlowKeyring
) -> None:
    context = make_desk(keyring_backend=keyring)
    profile = Profile(name="Desk", base_url=SANDBOX_BASE_URL, sandbox=True)
    run_on_loop(qtbot, context.services.settings.save(Settings(profiles=(profile,))))
    keyring.passwords[(SERVICE, "Desk")] = SANDBOX_TOKEN
    calls.threads.clear()
    with Heartbeat() as beat:
        win = open_window(qtbot, context, profile="Desk")  # wallet + follower read the token
        try:
            win.compose.recipient.set_text("+91 88888 88888")
            win.compose.text_tab.message_edit.setPlainText("hello")
            qtbot.waitUntil(win.compose.is_valid, timeout=3000)
            with qtbot.waitSignal(win.send_finished, timeout=10_000) as blocker:
                win.compose.trigger_send()
        finally:
            win.close()
            run_on_loop(qtbot, win.shutdown())
    assert blocker.args[1].outcome is Outcome.ACCEPTED
    assert beat.longest_pause < MAX_PAUSE, beat.longest_pause
    calls.assert_off_the_gui_thread("whats91-keychain")
    assert len(calls.threads) == 1  # read once per session, then cached


def test_copy_as_curl_reads_the_token_and_builds_the_request_off_the_gui_thread(
    qtbot: Any, window: MainWindow, calls: SlowCalls, monkeypatch
) -> None:
    window.compose.recipient.set_text("+91 88888 88888")
    window.compose.text_tab.message_edit.setPlainText("curl me")
    qtbot.waitUntil(window.compose.is_valid, timeout=3000)
    with qtbot.waitSignal(window.send_finished, timeout=10_000) as sent:
        window.compose.trigger_send()
    row_id = sent.args[0]
    # build_request reads an attached file (up to 16 MB): make it slow and watch.
    monkeypatch.setattr(Whats91Client, "build_request", calls.wrap(Whats91Client.build_request))
    clipboard = QGuiApplication.clipboard()
    clipboard.clear()
    with Heartbeat() as beat:
        window.log_pane.curl_requested.emit(row_id, True)
        qtbot.waitUntil(lambda: "curl" in clipboard.text(), timeout=5000)
    assert SANDBOX_TOKEN in clipboard.text()
    assert beat.longest_pause < MAX_PAUSE, beat.longest_pause
    calls.assert_off_the_gui_thread()


def test_clients_are_built_off_the_gui_thread(
    qtbot: Any, context: DesktopServices, calls: SlowCalls, monkeypatch
) -> None:
    # A client loads the CA bundle from disk when it is made; the window's first wallet read
    # and the profile dialog's token test both make one.
    monkeypatch.setattr(context.services.clients, "build", calls.wrap(context.services.clients.build))
    with Heartbeat() as beat:
        win = open_window(qtbot, context, sandbox=True)
        try:
            qtbot.waitUntil(win.status.wallet_label.isVisible, timeout=5000)
            dialog = open_profile_dialog(context.services, win)
            dialog.findChild(QLineEdit, "profileNameEdit").setText("T")
            dialog.findChild(QLineEdit, "baseUrlEdit").setText(SANDBOX_BASE_URL)
            dialog.findChild(QLineEdit, "tokenEdit").setText(SANDBOX_TOKEN)
            with qtbot.waitSignal(dialog.token_checked, timeout=10_000):
                dialog.findChild(QPushButton, "testTokenButton").click()
            assert dialog.last_check is not None
            assert dialog.last_check.ok
            dialog.reject()
        finally:
            win.close()
            run_on_loop(qtbot, win.shutdown())
    assert beat.longest_pause < MAX_PAUSE, beat.longest_pause
    calls.assert_off_the_gui_thread("whats91-io")
    assert len(calls.threads) == 2


# --------------------------------------------------------------------------- settings


def test_window_state_saves_run_in_order_on_a_worker_and_finish_before_exit(
    qtbot: Any, context: DesktopServices, calls: SlowCalls, monkeypatch
) -> None:
    win = open_window(qtbot, context, sandbox=True)
    slow_settings(monkeypatch, context, calls)
    tabs = win.findChild(QTabWidget, "messageTypeTabs")
    with Heartbeat() as beat:
        for index in (1, 2, 3):  # three saves queued behind each other, each taking SLOW
            tabs.setCurrentIndex(index)
            win.save_ui_state()
        started = time.monotonic()
        win.close()  # saves once more: queued, not waited for
        close_took = time.monotonic() - started
        run_on_loop(qtbot, win.shutdown())  # ...but shutdown waits for every save
    assert close_took < MAX_PAUSE
    assert beat.longest_pause < MAX_PAUSE, beat.longest_pause
    calls.assert_off_the_gui_thread("whats91-settings")
    assert len(calls.threads) >= 3
    saved = SettingsStore(context.services.paths.settings_file).load()
    assert saved.ui_state["last_tab"] == 3  # the last save won: they ran in order


def test_a_failed_background_save_is_reported(
    qtbot: Any, window: MainWindow, context: DesktopServices
) -> None:
    from whats91_desktop.core.errors import ConfigError

    def refuse(_settings: object) -> None:
        raise ConfigError("the disk is full")

    context.services.settings.store.save = refuse  # type: ignore[method-assign]
    with qtbot.waitSignal(window.bridge.warning, timeout=3000) as blocker:
        window.findChild(QTabWidget, "messageTypeTabs").setCurrentIndex(2)
        window.save_ui_state()
    assert "the disk is full" in blocker.args[0]


def test_start_up_reads_settings_and_keychain_off_the_gui_thread(
    qtbot: Any, keyring: SlowKeyring, calls: SlowCalls, monkeypatch
) -> None:
    monkeypatch.setattr(SettingsStore, "load", calls.wrap(SettingsStore.load))
    with Heartbeat() as beat:
        context = run_on_loop(qtbot, open_desk(keyring_backend=keyring))
    try:
        assert context.services.settings.current is not None
        assert beat.longest_pause < MAX_PAUSE, beat.longest_pause
        calls.assert_off_the_gui_thread()
    finally:
        run_on_loop(qtbot, context.aclose())


# --------------------------------------------------------------------------- files


def test_a_big_image_thumbnail_is_decoded_off_the_gui_thread(
    qtbot: Any, window: MainWindow, calls: SlowCalls, tmp_path: Path, monkeypatch
) -> None:
    path = tmp_path / "big.png"
    image = QImage(3000, 2000, QImage.Format.Format_RGB32)
    image.fill(QColor("#3a7bd5"))
    assert image.save(str(path))
    monkeypatch.setattr(media_tab, "read_thumbnail", calls.wrap(media_tab.read_thumbnail))
    tab = window.compose.select_tab("media")
    assert isinstance(tab, media_tab.MediaTab)
    with Heartbeat() as beat, qtbot.waitSignal(tab.thumbnail_loaded, timeout=10_000):
        tab.set_file(path)
    assert beat.longest_pause < MAX_PAUSE, beat.longest_pause
    calls.assert_off_the_gui_thread()
    pixmap = tab.thumbnail.pixmap()
    assert not pixmap.isNull()
    assert max(pixmap.width(), pixmap.height()) <= 96


def test_a_stale_thumbnail_never_replaces_the_current_one(
    qtbot: Any, window: MainWindow, calls: SlowCalls, tmp_path: Path, monkeypatch
) -> None:
    first, second = tmp_path / "first.png", tmp_path / "second.jpg"
    for path, colour in ((first, "#ff0000"), (second, "#00ff00")):
        image = QImage(200, 100, QImage.Format.Format_RGB32)
        image.fill(QColor(colour))
        assert image.save(str(path))
    monkeypatch.setattr(media_tab, "read_thumbnail", calls.wrap(media_tab.read_thumbnail))
    tab = window.compose.select_tab("media")
    assert isinstance(tab, media_tab.MediaTab)
    loaded: list[str] = []
    tab.thumbnail_loaded.connect(loaded.append)
    tab.set_file(first)
    with qtbot.waitSignal(tab.thumbnail_loaded, timeout=10_000):
        tab.set_file(second)  # chosen while the first one is still being decoded
    qtbot.wait(int(SLOW * 1000) + 200)
    assert loaded == [str(second)]
    assert tab.thumbnail.pixmap().toImage().pixelColor(10, 10).green() > 200
