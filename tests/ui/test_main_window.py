"""The main window end to end on the in-process sandbox, driven by object names.

The sandbox's clock is a FakeClock starting now, so status changes happen when the test
advances it; ``follower.poll_once`` then asks for the status at once instead of waiting for
the follower's schedule. No modal dialog is ever exec()'d: QMessageBox.question is patched.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from tests.helpers.desk import make_desk
from tests.ui.conftest import MessageRecorder, open_window, run_on_loop
from whats91_desktop.core.meta_errors import hint_for
from whats91_desktop.core.models import Outcome, Profile, Sender, SendResult
from whats91_desktop.sandbox.constants import (
    DROPPED_RECIPIENT,
    FAILED_UNDELIVERABLE_RECIPIENT,
    QUEUED_RECIPIENT,
    SANDBOX_BASE_URL,
    SANDBOX_SCOPED_TOKEN,
    SANDBOX_SENDERS,
    SANDBOX_TOKEN,
)
from whats91_desktop.services.sandbox_profile import SANDBOX_PROFILE_NAME
from whats91_desktop.ui.excepthook import ErrorReporter
from whats91_desktop.ui.main_window import MainWindow

NORMAL = "918888888888"


# --------------------------------------------------------------------------- helpers


def compose(qtbot: Any, win: MainWindow, to: str, text: str) -> QPushButton:
    recipient = win.findChild(QLineEdit, "recipientEdit")
    recipient.clear()
    qtbot.keyClicks(recipient, to)
    body = win.findChild(QWidget, "messageEdit")
    body.setFocus()
    qtbot.keyClicks(body, text)
    return win.findChild(QPushButton, "sendButton")


def send(qtbot: Any, win: MainWindow, to: str, text: str = "Hello from the test") -> tuple[int, SendResult]:
    button = compose(qtbot, win, to, text)
    qtbot.waitUntil(button.isEnabled, timeout=3000)
    with qtbot.waitSignal(win.send_finished, timeout=15_000) as blocker:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    row_id, result = blocker.args
    return row_id, result


def log_rows(win: MainWindow) -> list[dict[str, str]]:
    view = win.findChild(QTableView, "messageLog")
    model = view.model()
    headers = [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount())]
    return [
        {h: str(model.data(model.index(r, c)) or "") for c, h in enumerate(headers)}
        for r in range(model.rowCount())
    ]


def statuses(win: MainWindow) -> list[str]:
    return [row.get("Status", "") for row in log_rows(win)]


def wait_status(qtbot: Any, win: MainWindow, word: str, timeout: int = 5000) -> None:
    qtbot.waitUntil(lambda: any(word in s for s in statuses(win)), timeout=timeout)


def select_log_row(qtbot: Any, win: MainWindow, recipient_digits: str) -> None:
    view = win.findChild(QTableView, "messageLog")
    wanted = recipient_digits[-5:]
    for r, row in enumerate(log_rows(win)):
        if wanted in row.get("Recipient", "").replace(" ", ""):
            view.selectRow(r)
            return
    raise AssertionError(f"no log row for {recipient_digits}: {log_rows(win)}")


def detail_text(win: MainWindow) -> str:
    """Everything the detail view shows (its summary, request and response tabs)."""
    detail = win.findChild(QWidget, "detailView")
    parts = [w.toPlainText() for w in detail.findChildren(QTextEdit)]
    parts += [w.toPlainText() for w in detail.findChildren(QPlainTextEdit)]
    return "\n".join(parts)


def trigger(win: MainWindow, action_name: str) -> None:
    action = win.findChild(QAction, action_name)
    assert action is not None, action_name
    assert action.isEnabled(), action_name
    action.trigger()


# --------------------------------------------------------------------------- sending


def test_a_text_is_sent_logged_and_followed_to_read(
    qtbot, window: MainWindow, context, clock, messages: MessageRecorder
) -> None:
    row_id, result = send(qtbot, window, "+91 88888 88888")
    assert result.outcome is Outcome.ACCEPTED
    assert len(context.services.sandbox.state.sends_to(NORMAL)) == 1
    wait_status(qtbot, window, "accepted")
    assert "Accepted" in window.status.message_text
    # Everything the user was told, in order: the send started, then its outcome.
    assert messages.texts()[-2:] == [
        "Sending to +91 88888 88888…",
        f"Accepted: message to +91 88888 88888 (accepted) · message id {result.message_id}"
        f" · requestId {result.request_id}",
    ]
    assert messages.texts("error") == []
    # The body is cleared for the next message; the recipient stays.
    assert window.findChild(QWidget, "messageEdit").toPlainText() == ""
    assert window.findChild(QLineEdit, "recipientEdit").text() != ""

    assert row_id in context.follower.tracked
    clock.advance(3)
    run_on_loop(qtbot, context.follower.poll_once(row_id))
    wait_status(qtbot, window, "delivered")
    clock.advance(5)
    run_on_loop(qtbot, context.follower.poll_once(row_id))
    wait_status(qtbot, window, "read")


def test_the_sending_row_exists_before_the_request_leaves(qtbot, window: MainWindow, context) -> None:
    seen: list[int] = []
    window.log_pane.refresh = lambda: seen.append(len(context.services.sandbox.state.requests_to("chat")))  # type: ignore[method-assign]
    send(qtbot, window, NORMAL)
    assert seen == [0]


def test_invalid_input_disables_send_and_sends_nothing(qtbot, window: MainWindow, context) -> None:
    button = compose(qtbot, window, "12345", "hi")
    qtbot.wait(400)  # past the validation debounce
    assert not button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    window.compose.trigger_send()
    qtbot.wait(100)
    assert [r for r in context.services.sandbox.state.requests if r.is_send] == []
    assert log_rows(window) == []


def test_queued_scenario_shows_queued(qtbot, window: MainWindow) -> None:
    _row, result = send(qtbot, window, QUEUED_RECIPIENT)
    assert result.outcome is Outcome.QUEUED
    wait_status(qtbot, window, "queued")
    assert "Queued" in window.status.message_text


def test_failed_later_ends_failed_with_the_meta_code_and_hint(
    qtbot, window: MainWindow, context, clock
) -> None:
    row_id, result = send(qtbot, window, FAILED_UNDELIVERABLE_RECIPIENT)
    assert result.outcome is Outcome.ACCEPTED
    clock.advance(5)
    run_on_loop(qtbot, context.follower.poll_once(row_id))
    wait_status(qtbot, window, "failed")
    select_log_row(qtbot, window, FAILED_UNDELIVERABLE_RECIPIENT)
    hint = hint_for("131026")
    assert hint
    qtbot.waitUntil(
        lambda: "131026" in detail_text(window) and hint[:40] in detail_text(window), timeout=5000
    )


def test_unknown_outcome_warns_and_check_before_resending_finds_it(
    qtbot, window: MainWindow, context, messages: MessageRecorder
) -> None:
    row_id, result = send(qtbot, window, DROPPED_RECIPIENT)
    assert result.outcome is Outcome.UNKNOWN
    assert window.status.message_text.startswith(
        "Outcome unknown: the message to +91 90000 00008 may have reached Whats91 "
        "(the connection dropped before the answer arrived)."
    )
    assert any(t.startswith("Outcome unknown") for t in messages.texts("warning"))
    assert window.status.level == "warning"
    wait_status(qtbot, window, "unknown")

    select_log_row(qtbot, window, DROPPED_RECIPIENT)
    qtbot.waitUntil(lambda: window.findChild(QAction, "reconcileAction").isEnabled(), timeout=5000)
    summary = window.log_pane.summary_text()
    assert "may have reached Whats91" in summary
    assert "RemoteProtocolError" not in summary  # the raw detail is in the Response tab only
    assert "RemoteProtocolError" in window.findChild(QPlainTextEdit, "detailResponse").toPlainText()
    trigger(window, "reconcileAction")
    qtbot.waitUntil(lambda: "Found in the reports as accepted at" in detail_text(window), timeout=10_000)
    assert "This message to +91 90000 00008 reached Whats91: do not send it again" in detail_text(window)
    assert "do not send it again" in window.status.message_text
    # The check settled it: the stale "outcome unknown" box is gone; only the history keeps it.
    qtbot.waitUntil(lambda: "Outcome unknown —" not in window.log_pane.summary_text(), timeout=5000)
    assert window.log_pane.summary_text().lstrip().startswith("Check result: Found in the reports")
    assert len(context.services.sandbox.state.sends_to(DROPPED_RECIPIENT)) == 1
    entry = run_on_loop(qtbot, context.store.get(row_id))
    assert entry is not None
    assert entry.message_id
    wait_status(qtbot, window, "accepted")


def test_send_again_makes_a_new_row_linked_to_the_old_one(
    qtbot, window: MainWindow, context, monkeypatch
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **_k: asked.append(a[2]) or QMessageBox.StandardButton.Yes
    )
    row_id, _ = send(qtbot, window, NORMAL, "first")
    select_log_row(qtbot, window, NORMAL)
    qtbot.waitUntil(lambda: window.findChild(QAction, "resendAction").isEnabled(), timeout=5000)
    with qtbot.waitSignal(window.send_finished, timeout=10_000) as blocker:
        trigger(window, "resendAction")
    assert len(asked) == 1
    assert asked[0].startswith("Already accepted at ")
    new_row, result = blocker.args
    assert new_row != row_id
    assert result.outcome is Outcome.ACCEPTED
    entry = run_on_loop(qtbot, context.store.get(new_row))
    assert entry is not None
    assert entry.parent_id == row_id
    assert entry.preview == "first"
    assert len(context.services.sandbox.state.sends_to(NORMAL)) == 2


def test_copy_as_curl_with_and_without_the_token(qtbot, window: MainWindow) -> None:
    send(qtbot, window, NORMAL, "curl me")
    select_log_row(qtbot, window, NORMAL)
    qtbot.waitUntil(lambda: window.findChild(QAction, "copyCurlAction").isEnabled(), timeout=5000)
    clipboard = QGuiApplication.clipboard()
    clipboard.clear()
    trigger(window, "copyCurlAction")
    qtbot.waitUntil(lambda: "curl" in clipboard.text(), timeout=5000)
    assert SANDBOX_TOKEN not in clipboard.text()
    assert "curl me" in clipboard.text()
    clipboard.clear()
    window.findChild(QCheckBox, "curlIncludeTokenCheck").setChecked(True)
    trigger(window, "copyCurlAction")
    qtbot.waitUntil(lambda: "curl" in clipboard.text(), timeout=5000)
    assert SANDBOX_TOKEN in clipboard.text()


def test_sender_not_allowed_is_explained(qtbot, window: MainWindow, context) -> None:
    senders = tuple(Sender(s) for s, _ in SANDBOX_SENDERS)
    profile = Profile(name="Scoped", base_url=SANDBOX_BASE_URL, senders=senders, sandbox=True)
    run_on_loop(qtbot, context.services.profiles.save(profile, SANDBOX_SCOPED_TOKEN))
    window.switch_profile("Scoped")
    sender_combo = window.findChild(QComboBox, "senderCombo")
    sender_combo.setCurrentIndex(sender_combo.findData(SANDBOX_SENDERS[1][0]))
    _row, result = send(qtbot, window, NORMAL)
    assert result.outcome is Outcome.REJECTED
    assert result.http_status == 403
    text = window.status.message_text
    assert "SENDER_NOT_ALLOWED" in text
    assert "bound to another sender number" in text
    assert window.status.level == "error"
    wait_status(qtbot, window, "rejected")


def test_a_typed_sender_is_remembered_with_its_phone_number_id(qtbot, window: MainWindow, context) -> None:
    run_on_loop(
        qtbot,
        context.services.profiles.save(
            Profile(name="Fresh", base_url=SANDBOX_BASE_URL, sandbox=True), SANDBOX_TOKEN
        ),
    )
    window.switch_profile("Fresh")
    sender_combo = window.findChild(QComboBox, "senderCombo")
    assert sender_combo.count() == 0
    sender_combo.setEditText(SANDBOX_SENDERS[1][0])
    _row, result = send(qtbot, window, NORMAL)
    assert result.outcome is Outcome.ACCEPTED
    saved = context.services.settings.current.profile("Fresh")
    assert saved is not None
    assert saved.senders == (Sender(SANDBOX_SENDERS[1][0], SANDBOX_SENDERS[1][1]),)
    assert "id 1000…0002" in sender_combo.itemText(0)
    assert sender_combo.currentData() == SANDBOX_SENDERS[1][0]


def test_first_production_send_asks_once(qtbot, window: MainWindow, context, monkeypatch) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    live = Profile(name="Live", base_url=f"https://127.0.0.1:{port}/api/v2")
    run_on_loop(qtbot, context.services.profiles.save(live, "w91_live_live0000000"))
    window.switch_profile("Live")
    assert window.status.badge.text() == "PRODUCTION"
    asked: list[str] = []
    replies = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Yes]

    def question(*args: Any, **kwargs: Any) -> QMessageBox.StandardButton:
        asked.append(args[2])
        return replies.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    button = compose(qtbot, window, NORMAL, "real one")
    qtbot.waitUntil(button.isEnabled, timeout=3000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1
    assert "PRODUCTION" in asked[0]
    qtbot.wait(50)
    assert log_rows(window) == []  # declined: nothing logged, nothing sent

    with qtbot.waitSignal(window.send_finished, timeout=15_000) as blocker:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert blocker.args[1].outcome is Outcome.UNREACHABLE
    assert "Nothing was sent" in window.status.message_text
    with qtbot.waitSignal(window.send_finished, timeout=15_000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert len(asked) == 2  # confirmed once: not asked again this session


def test_templates_are_loaded_for_the_template_tab(qtbot, window: MainWindow, context) -> None:
    tabs = window.findChild(QTabWidget, "messageTypeTabs")
    window.compose.select_tab("template")
    assert tabs.currentWidget() is window.compose.template_tab
    templates = window.findChild(QListWidget, "templateList")
    qtbot.waitUntil(lambda: templates is not None and templates.count() > 0, timeout=5000)
    assert context.services.sandbox.state.requests_to("templates")


# --------------------------------------------------------------------------- keyboard, status bar, state


def test_ctrl_enter_sends_from_outside_the_compose_pane(qtbot, window: MainWindow, context) -> None:
    compose(qtbot, window, NORMAL, "keyboard")
    qtbot.waitUntil(window.findChild(QPushButton, "sendButton").isEnabled, timeout=3000)
    sender_combo = window.findChild(QComboBox, "senderCombo")
    window.activateWindow()
    sender_combo.setFocus()
    qtbot.waitUntil(lambda: QGuiApplication.focusObject() is not None)
    with qtbot.waitSignal(window.send_finished, timeout=10_000):
        qtbot.keyClick(QGuiApplication.focusObject(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert len(context.services.sandbox.state.sends_to(NORMAL)) == 1


def test_ctrl_f_focuses_the_log_search(qtbot, window: MainWindow) -> None:
    window.activateWindow()
    window.findChild(QLineEdit, "recipientEdit").setFocus()
    qtbot.keyClick(
        window.findChild(QLineEdit, "recipientEdit"), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier
    )
    qtbot.waitUntil(lambda: window.findChild(QLineEdit, "logSearchEdit").hasFocus(), timeout=2000)


def test_status_bar_shows_profile_url_badge_and_wallet(qtbot, window: MainWindow) -> None:
    assert window.status.badge.text() == "SANDBOX"
    assert "f5b000" in window.status.badge.styleSheet()
    assert window.status.base_url_label.text() == SANDBOX_BASE_URL
    assert "Sandbox" in window.status.profile_label.text()
    qtbot.waitUntil(window.status.wallet_label.isVisible, timeout=5000)
    assert "1,250.75 INR" in window.status.wallet_label.text()


def test_the_window_title_names_the_profile_once(qtbot, window: MainWindow, context) -> None:
    assert window.windowTitle() == "Whats91 Desktop — Sandbox"
    run_on_loop(
        qtbot,
        context.services.profiles.save(
            Profile(name="Team", base_url=SANDBOX_BASE_URL, sandbox=True), SANDBOX_TOKEN
        ),
    )
    window.switch_profile("Team")
    assert window.windowTitle() == "Whats91 Desktop — Team (sandbox)"


def test_window_state_persists_across_restarts(qtbot, context, keyring) -> None:
    run_on_loop(
        qtbot,
        context.services.profiles.save(
            Profile(name="Desk", base_url=SANDBOX_BASE_URL, sandbox=True), SANDBOX_TOKEN
        ),
    )
    win = open_window(qtbot, context)
    assert win.profile_name == "Desk"  # the only saved profile is the active one
    win.switch_profile(SANDBOX_PROFILE_NAME)
    win.findChild(QComboBox, "senderCombo").setCurrentIndex(1)
    win.findChild(QTabWidget, "messageTypeTabs").setCurrentIndex(2)
    win.resize(760, 720)
    win.findChild(QSplitter, "mainSplitter").setSizes([300, 460])
    sizes = win.findChild(QSplitter, "mainSplitter").sizes()
    win.close()
    run_on_loop(qtbot, win.shutdown())

    again = open_window(qtbot, make_desk(keyring_backend=keyring))
    try:
        assert again.profile_name == SANDBOX_PROFILE_NAME
        assert again.findChild(QTabWidget, "messageTypeTabs").currentIndex() == 2
        assert again.findChild(QComboBox, "senderCombo").currentData() == SANDBOX_SENDERS[1][0]
        assert (again.size().width(), again.size().height()) == (760, 720)
        assert abs(again.findChild(QSplitter, "mainSplitter").sizes()[0] - sizes[0]) <= 20
    finally:
        again.close()
        run_on_loop(qtbot, again.shutdown())


def test_changes_are_saved_after_a_debounce(qtbot, window: MainWindow, context) -> None:
    window.findChild(QTabWidget, "messageTypeTabs").setCurrentIndex(3)
    qtbot.waitUntil(lambda: context.services.settings.current.ui_state.get("last_tab") == 3, timeout=3000)
    # Written by the settings worker, a moment later.
    path = context.services.paths.settings_file
    qtbot.waitUntil(
        lambda: path.exists() and '"last_tab": 3' in path.read_text(encoding="utf-8"), timeout=3000
    )


def spoken_name(widget: QWidget) -> str:
    """What a screen reader announces: the accessible name, else a button's own text."""
    if widget.accessibleName():
        return widget.accessibleName()
    if isinstance(widget, QAbstractButton):
        return widget.text().replace("&", "")
    return ""


def test_every_interactive_widget_has_an_accessible_name(qtbot, window: MainWindow) -> None:
    for name in ("profileCombo", "senderCombo"):
        widget = window.findChild(QWidget, name)
        assert widget.accessibleName(), name
        assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus, name
    assert window.status.badge.accessibleName().startswith("Sandbox")
    interactive = (QAbstractButton, QLineEdit, QComboBox, QTableView, QTabWidget, QPlainTextEdit, QTextEdit)
    nameless = [
        f"{type(w).__name__} {w.objectName()!r} in {w.parent().objectName()!r}"
        for w in window.findChildren(QWidget)
        if isinstance(w, interactive)
        and w.isVisibleTo(window)
        and not w.objectName().startswith("qt_")  # Qt's own parts of a spin box, tool bar…
        and not spoken_name(w)
        and not (isinstance(w, QLineEdit) and isinstance(w.parent(), QComboBox))
    ]
    assert nameless == []


def test_notices_are_shown_once(qtbot, context) -> None:
    context.services.notices.append("Your settings file could not be used: test.")
    win = open_window(qtbot, context, sandbox=True)
    try:
        qtbot.waitUntil(lambda: bool(win._notice_boxes), timeout=2000)
        box = win._notice_boxes[0]
        assert "could not be used" in box.text()
        assert not box.isModal()
        assert context.services.take_notices() == []
    finally:
        win.close()
        run_on_loop(qtbot, win.shutdown())


# --------------------------------------------------------------------------- the excepthook


def test_excepthook_logs_redacted_and_shows_a_non_modal_dialog(qtbot, tmp_path) -> None:
    reporter = ErrorReporter(tmp_path, secrets=lambda: ["s3cr3t-value-123"])
    try:
        raise RuntimeError(f"boom with {SANDBOX_TOKEN} and s3cr3t-value-123")
    except RuntimeError as err:
        reporter(type(err), err, err.__traceback__)
    text = (tmp_path / "errors.log").read_text(encoding="utf-8")
    assert "RuntimeError: boom" in text
    assert SANDBOX_TOKEN not in text
    assert "s3cr3t-value-123" not in text
    (box,) = reporter.open_dialogs
    assert box.isVisible()
    assert not box.isModal()
    assert SANDBOX_TOKEN not in box.informativeText() + box.detailedText()
    box.close()
