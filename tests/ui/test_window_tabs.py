"""Every compose tab sends through the real window to the sandbox, and the log can find it.

Driven by object names only (the documented automation surface). The sandbox's request
record says which route each tab used and proves each message was sent exactly once.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableView,
    QTabWidget,
    QWidget,
)

from tests.helpers.desk import make_desk
from tests.ui.conftest import run_on_loop
from whats91_desktop.core.models import Outcome, SendResult
from whats91_desktop.services.container import DesktopServices
from whats91_desktop.ui.main_window import MainWindow

NORMAL = "918888888888"


def child(win: QWidget, cls: type[Any], name: str) -> Any:
    found = win.findChild(cls, name)
    assert found is not None, f"no {cls.__name__} named {name!r}"
    return found


def select_tab(win: MainWindow, label: str) -> None:
    tabs = child(win, QTabWidget, "messageTypeTabs")
    for i in range(tabs.count()):
        if tabs.tabText(i).replace("&", "") == label:
            tabs.setCurrentIndex(i)
            return
    raise AssertionError(f"no tab {label!r}")


def type_into(qtbot: Any, widget: QWidget, text: str) -> None:
    widget.clear()  # type: ignore[attr-defined]
    widget.setFocus()
    qtbot.keyClicks(widget, text)


def send_current(qtbot: Any, win: MainWindow) -> tuple[int, SendResult]:
    button = child(win, QPushButton, "sendButton")
    qtbot.waitUntil(button.isEnabled, timeout=3000)
    with qtbot.waitSignal(win.send_finished, timeout=15_000) as blocker:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    return blocker.args[0], blocker.args[1]


def set_recipient(qtbot: Any, win: MainWindow, number: str = "+91 88888 88888") -> None:
    type_into(qtbot, child(win, QLineEdit, "recipientEdit"), number)


def fill_text(qtbot: Any, win: MainWindow, tmp: Path) -> None:
    select_tab(win, "Text")
    type_into(qtbot, child(win, QPlainTextEdit, "messageEdit"), "Plain text")


def fill_media_url(qtbot: Any, win: MainWindow, tmp: Path) -> None:
    select_tab(win, "Media")
    child(win, QComboBox, "mediaTypeCombo").setCurrentText("document")
    child(win, QRadioButton, "mediaSourceUrlRadio").click()
    type_into(qtbot, child(win, QLineEdit, "mediaUrlEdit"), "https://example.com/invoice.pdf")
    type_into(qtbot, child(win, QWidget, "mediaCaptionEdit"), "Invoice INV-1001")


def fill_media_file(qtbot: Any, win: MainWindow, tmp: Path) -> None:
    image = tmp / "photo.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 256)
    select_tab(win, "Media")
    child(win, QComboBox, "mediaTypeCombo").setCurrentText("image")
    child(win, QRadioButton, "mediaSourceFileRadio").click()
    win.compose.select_tab("media").set_file(image)  # what Browse… and drag and drop end in


def fill_buttons(qtbot: Any, win: MainWindow, tmp: Path) -> None:
    select_tab(win, "Buttons")
    type_into(qtbot, child(win, QPlainTextEdit, "buttonsBodyEdit"), "Choose an option")
    type_into(qtbot, child(win, QLineEdit, "buttonIdEdit0"), "pay_now")
    type_into(qtbot, child(win, QLineEdit, "buttonTitleEdit0"), "Pay now")


def fill_list(qtbot: Any, win: MainWindow, tmp: Path) -> None:
    select_tab(win, "List")
    type_into(qtbot, child(win, QPlainTextEdit, "listBodyEdit"), "Select a topic")
    type_into(qtbot, child(win, QLineEdit, "listButtonTextEdit"), "View options")
    type_into(qtbot, child(win, QLineEdit, "listSectionTitleEdit0"), "Requests")
    type_into(qtbot, child(win, QLineEdit, "listRowTitleEdit0_0"), "Billing")


def fill_template(qtbot: Any, win: MainWindow, tmp: Path) -> None:
    select_tab(win, "Template")
    templates = child(win, QListWidget, "templateList")
    qtbot.waitUntil(lambda: templates.count() > 0, timeout=5000)
    match = templates.findItems("payment_reminder", Qt.MatchFlag.MatchStartsWith)
    assert match, [templates.item(i).text() for i in range(templates.count())]
    templates.setCurrentItem(match[0])
    qtbot.waitUntil(lambda: win.findChild(QLineEdit, "templateParamEdit1") is not None, timeout=3000)
    type_into(qtbot, child(win, QLineEdit, "templateParamEdit0"), "Devendar")
    type_into(qtbot, child(win, QLineEdit, "templateParamEdit1"), "INV-1001")
    type_into(qtbot, child(win, QLineEdit, "templateButtonParamEdit0"), "pay_INV-1001")


def fill_meta(qtbot: Any, win: MainWindow, tmp: Path) -> None:
    select_tab(win, "Meta JSON")
    payload = {"messaging_product": "whatsapp", "to": NORMAL, "type": "text", "text": {"body": "Raw"}}
    child(win, QPlainTextEdit, "metaJsonEdit").setPlainText(json.dumps(payload))


CASES: list[tuple[str, Callable[[Any, MainWindow, Path], None], str, str]] = [
    ("text", fill_text, "/chat", "text"),
    ("media-url", fill_media_url, "/chat", "media"),
    ("media-file", fill_media_file, "/chat", "media"),
    ("buttons", fill_buttons, "/chat", "buttons"),
    ("list", fill_list, "/chat", "list"),
    ("template", fill_template, "/send", "template"),
    ("meta", fill_meta, "/messages", "meta"),
]


@pytest.mark.parametrize(("name", "fill", "route", "kind"), CASES, ids=[c[0] for c in CASES])
def test_each_tab_sends_once_and_is_logged(
    qtbot: Any,
    window: MainWindow,
    context: DesktopServices,
    tmp_path: Path,
    name: str,
    fill: Callable[[Any, MainWindow, Path], None],
    route: str,
    kind: str,
) -> None:
    set_recipient(qtbot, window)
    fill(qtbot, window, tmp_path)
    row_id, result = send_current(qtbot, window)
    assert result.outcome is Outcome.ACCEPTED, (result.error_code, result.error_message, result.problems)
    sends = context.services.sandbox.state.sends_to(NORMAL)
    assert len(sends) == 1
    assert sends[0].path.endswith(route)
    entry = run_on_loop(qtbot, context.store.get(row_id))
    assert entry is not None
    assert entry.kind == kind
    assert entry.message_id == result.message_id
    if name == "media-file":
        assert "multipart/form-data" in (sends[0].content_type or "")


def test_search_finds_by_recipient_and_by_message_id_and_export_matches(
    qtbot: Any, window: MainWindow, context: DesktopServices, tmp_path: Path
) -> None:
    sent: list[SendResult] = []
    for number in ("+91 88888 88888", "+91 98765 43210", "+91 77777 12345"):
        set_recipient(qtbot, window, number)
        fill_text(qtbot, window, tmp_path)
        sent.append(send_current(qtbot, window)[1])
    view = child(window, QTableView, "messageLog")
    search = child(window, QLineEdit, "logSearchEdit")
    qtbot.waitUntil(lambda: view.model().rowCount() == 3, timeout=5000)

    type_into(qtbot, search, "98765")
    qtbot.waitUntil(lambda: view.model().rowCount() == 1, timeout=5000)

    def shown() -> list[str]:
        model = view.model()
        return [str(model.data(model.index(0, c)) or "").replace(" ", "") for c in range(model.columnCount())]

    qtbot.waitUntil(lambda: any("9876543210" in cell for cell in shown()), timeout=5000)
    type_into(qtbot, search, sent[2].message_id or "")
    qtbot.waitUntil(
        lambda: view.model().rowCount() == 1 and any("7777712345" in c for c in shown()), timeout=5000
    )

    search.clear()
    qtbot.waitUntil(lambda: view.model().rowCount() == 3, timeout=5000)
    target = tmp_path / "log.csv"
    count = run_on_loop(qtbot, context.store.export_csv(window.log_pane.current_query(), target))
    assert count == 3
    with target.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(r["message_id"] for r in rows) == sorted(s.message_id or "" for s in sent)


def test_two_clicks_in_one_event_loop_pass_send_once(
    qtbot: Any, window: MainWindow, context: DesktopServices, tmp_path: Path
) -> None:
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    set_recipient(qtbot, window)
    fill_text(qtbot, window, tmp_path)
    button = child(window, QPushButton, "sendButton")
    qtbot.waitUntil(button.isEnabled, timeout=3000)
    centre = QPointF(button.rect().center())
    with qtbot.waitSignal(window.send_finished, timeout=15_000):
        for _ in range(2):  # queued together, as when the GUI thread was briefly busy
            for kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease):
                event = QMouseEvent(
                    kind,
                    centre,
                    centre,
                    Qt.MouseButton.LeftButton,
                    Qt.MouseButton.LeftButton,
                    Qt.KeyboardModifier.NoModifier,
                )
                QApplication.postEvent(button, event)
    qtbot.wait(300)
    assert len(context.services.sandbox.state.sends_to(NORMAL)) == 1
    assert run_on_loop(qtbot, context.store.count()) == 1


def test_the_follow_up_age_comes_from_the_preference(qtbot: Any, keyring: Any) -> None:
    from whats91_desktop.core.settings import with_preferences

    first = make_desk(keyring_backend=keyring)
    assert first.follower._max_age == 60 * 60.0
    first.services.settings.store.save(
        with_preferences(first.services.settings.current, status_poll_max_minutes=5)
    )
    run_on_loop(qtbot, first.aclose())
    again = make_desk(keyring_backend=keyring)
    try:
        assert again.follower._max_age == 5 * 60.0
    finally:
        run_on_loop(qtbot, again.aclose())


def test_refresh_status_polls_now_and_follows_again(
    qtbot: Any, window: MainWindow, context: DesktopServices, clock: Any, tmp_path: Path
) -> None:
    from PySide6.QtGui import QAction

    set_recipient(qtbot, window)
    fill_text(qtbot, window, tmp_path)
    row_id, result = send_current(qtbot, window)
    assert result.outcome is Outcome.ACCEPTED
    context.follower.untrack(row_id)  # as when the follow-up's age limit has passed
    clock.advance(3)  # the sandbox now says "delivered"
    window.log_pane.select_row(row_id)
    action = child(window, QAction, "refreshStatusAction")
    qtbot.waitUntil(action.isEnabled, timeout=3000)
    action.trigger()

    def status() -> str | None:
        entry = run_on_loop(qtbot, context.store.get(row_id))
        return entry.display_status if entry else None

    qtbot.waitUntil(lambda: row_id in context.follower.tracked, timeout=5000)
    assert status() == "delivered"
    assert len(context.services.sandbox.state.sends_to(NORMAL)) == 1  # a read, never a resend
