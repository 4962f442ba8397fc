"""Screenshots for the docs: the window on the sandbox after a few sends, and each compose tab.

Run under a virtual display (nothing of the user's is read or written: a temporary home is used):

    xvfb-run -a -s "-screen 0 1360x900x24" .venv/bin/python scripts/screenshots.py

Writes docs/screenshot-main.png (the whole window at 1280×800), docs/screenshot-1024x640.png,
docs/notification.png (a late failure's banner), docs/response-tab.png, docs/tab-<kind>.png (the compose pane,
each tab filled in as a user would) and docs/saved-requests.png (the workbench: saved requests,
variables resolved in the request preview), docs/conversations-open.png and
docs/conversations-closed.png (the Conversations room, a thread with an open and a closed
24-hour window) and docs/conversations-dark.png (the open one in the dark scheme),
docs/bulk-dry-run.png, docs/bulk-dry-run-dark.png and docs/bulk-running.png (the Bulk room's
dry-run report, in light and dark, and a job mid-run with its roll-up),
docs/main-light.png, docs/main-dark.png and docs/preferences.png (the theme
override and the Preferences dialog). ``--out DIR`` writes elsewhere.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
ROOT = Path(__file__).resolve().parent.parent
TAB_FILES = {
    "text": "tab-text.png",
    "media": "tab-media.png",
    "buttons": "tab-buttons.png",
    "list": "tab-list.png",
    "template": "tab-template.png",
    "meta": "tab-meta-json.png",
}


class ManualClock:
    """The sandbox's clock: starts now, moves when told, so statuses advance without waiting."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="where to write the PNGs")
    args = parser.parse_args(argv)
    home = tempfile.mkdtemp(prefix="whats91-shots-")
    os.environ["WHATS91_HOME"] = home
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    sys.path.insert(0, str(ROOT))

    import logging

    import qasync
    from PySide6.QtWidgets import QApplication

    logging.getLogger("whats91_desktop").setLevel(logging.ERROR)  # the scenarios warn on purpose

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationDisplayName("Whats91 Desktop")
    app.setQuitOnLastWindowClosed(False)  # the loop must outlive the window's shutdown()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        return loop.run_until_complete(take(args.out))


async def settle(seconds: float = 0.3) -> None:
    """Let the loop run (Qt events are processed while we wait; never processEvents() in a task)."""
    await asyncio.sleep(seconds)


def grab(window: object, path: Path) -> None:
    from PySide6.QtWidgets import QApplication, QWidget

    assert isinstance(window, QWidget)
    pixmap = None
    if window.isWindow():  # the whole window, frame-less, as the screen shows it
        screen = window.screen() or QApplication.primaryScreen()
        pixmap = screen.grabWindow(window.winId()) if screen is not None else None
    if pixmap is None or pixmap.isNull() or pixmap.width() < 10:
        pixmap = window.grab()  # a part of the window (winId() would make it a native window)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not pixmap.save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(f"wrote {path} ({pixmap.width()}x{pixmap.height()})")


async def send(window: object, to: str, text: str, clock: ManualClock) -> int:
    from whats91_desktop.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    window.compose.select_tab("text")
    window.compose.recipient.edit.setText(to)
    window.compose.text_tab.message_edit.setPlainText(text)
    await settle(0.4)
    done: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def finished(row_id: int, _result: object) -> None:
        if not done.done():
            done.set_result(row_id)

    window.send_finished.connect(finished)
    clock.now = max(clock.now, time.time())  # the sandbox's event times line up with the log's
    window.compose.trigger_send()
    try:
        return await asyncio.wait_for(done, timeout=20)
    finally:
        window.send_finished.disconnect(finished)


def child(window: object, cls: type[T], name: str) -> T:
    from PySide6.QtWidgets import QWidget

    assert isinstance(window, QWidget)
    found = window.findChild(cls, name)  # type: ignore[arg-type]
    if found is None:
        raise SystemExit(f"no {cls.__name__} named {name!r}: the screenshot script needs updating")
    return found  # type: ignore[return-value]


async def fill_text(window: object, _home: Path) -> None:
    from PySide6.QtWidgets import QPlainTextEdit

    child(window, QPlainTextEdit, "messageEdit").setPlainText(
        "Hi Asha! Your order #4411 has shipped and arrives tomorrow between 10:00 and 14:00.\n\n"
        "Track it here: https://example.com/t/4411"
    )


def sample_image(path: Path) -> Path:
    """A small product-style picture for the media tab's thumbnail."""
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QImage, QLinearGradient, QPainter

    image = QImage(1200, 800, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    gradient = QLinearGradient(0, 0, 1200, 800)
    gradient.setColorAt(0, QColor("#25d366"))
    gradient.setColorAt(1, QColor("#128c7e"))
    painter.fillRect(image.rect(), gradient)
    painter.setPen(QColor("#ffffff"))
    font = QFont()
    font.setPixelSize(150)
    font.setBold(True)
    painter.setFont(font)
    painter.drawText(QRectF(0, 0, 1200, 800), Qt.AlignmentFlag.AlignCenter, "#4411")
    painter.end()
    image.save(str(path))
    return path


async def fill_media(window: object, home: Path) -> None:
    from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

    from whats91_desktop.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    tab = window.compose.media_tab
    tab.set_file(sample_image(home / "order-4411.png"))
    caption = window.findChild(QPlainTextEdit, "mediaCaptionEdit") or window.findChild(
        QTextEdit, "mediaCaptionEdit"
    )
    if caption is not None:
        caption.setPlainText("Your parcel, packed and ready to go")
    await settle(0.8)  # the thumbnail is decoded on a worker thread


async def fill_buttons(window: object, _home: Path) -> None:
    from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QPushButton

    child(window, QPlainTextEdit, "buttonsBodyEdit").setPlainText(
        "Your delivery is scheduled for tomorrow. Does that work for you?"
    )
    child(window, QLineEdit, "buttonIdEdit0").setText("confirm")
    child(window, QLineEdit, "buttonTitleEdit0").setText("Yes, confirm")
    child(window, QPushButton, "buttonAddButton").click()
    await settle(0.1)
    child(window, QLineEdit, "buttonIdEdit1").setText("reschedule")
    child(window, QLineEdit, "buttonTitleEdit1").setText("Reschedule")


async def fill_list(window: object, _home: Path) -> None:
    from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QPushButton

    child(window, QLineEdit, "listHeaderEdit").setText("Support")
    child(window, QPlainTextEdit, "listBodyEdit").setPlainText("How can we help you today?")
    child(window, QLineEdit, "listButtonTextEdit").setText("Choose a topic")
    child(window, QLineEdit, "listSectionTitleEdit0").setText("Orders")
    child(window, QLineEdit, "listRowIdEdit0_0").setText("track")
    child(window, QLineEdit, "listRowTitleEdit0_0").setText("Track my order")
    child(window, QLineEdit, "listRowDescriptionEdit0_0").setText("Where is my parcel?")
    child(window, QPushButton, "listAddRowButton0").click()
    await settle(0.1)
    child(window, QLineEdit, "listRowIdEdit0_1").setText("return")
    child(window, QLineEdit, "listRowTitleEdit0_1").setText("Return an item")


async def fill_template(window: object, _home: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLineEdit, QListWidget

    templates = child(window, QListWidget, "templateList")
    for _ in range(30):
        if templates.count():
            break
        await settle(0.1)
    match = templates.findItems("payment_reminder", Qt.MatchFlag.MatchStartsWith)
    if match:
        templates.setCurrentItem(match[0])
    await settle(0.3)
    for name, value in (
        ("templateParamEdit0", "Asha"),
        ("templateParamEdit1", "INV-2291"),
        ("templateButtonParamEdit0", "INV-2291"),
    ):
        edit = child(window, QLineEdit, name)
        edit.setText(value)


async def fill_meta(window: object, _home: Path) -> None:
    import json

    from PySide6.QtWidgets import QPlainTextEdit

    payload = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "919876543210",
        "type": "interactive",
        "interactive": {
            "type": "cta_url",
            "body": {"text": "Your invoice INV-2291 is ready."},
            "action": {
                "name": "cta_url",
                "parameters": {"display_text": "View invoice", "url": "https://example.com/inv/2291"},
            },
        },
    }
    child(window, QPlainTextEdit, "metaJsonEdit").setPlainText(json.dumps(payload, indent=2))


async def shoot_workbench(window: object, out: Path) -> None:
    """The saved requests beside the composer, a message using ``{{variables}}`` and its preview."""
    from whats91_desktop.core.models import MetaMessage, TemplateMessage, TextMessage
    from whats91_desktop.ui.main_window import MainWindow
    from whats91_desktop.ui.workbench.loader import load_message

    assert isinstance(window, MainWindow)
    bench, profile = window.messages.workbench, window.profile
    await window.desk.services.profiles.set_variables(profile.name, (("customer", "Asha"), ("order", "4411")))
    bench.on_profile_changed(window.profile)
    sender = window.compose.sender_id
    for name, message in (
        (
            "Order shipped",
            TextMessage("919876543210", "Hi {{customer}}, order #{{order}} has shipped."),
        ),
        (
            "Payment reminder",
            TemplateMessage("919876543210", "payment_reminder", ("{{customer}}", "INV-2291")),
        ),
        (
            "Invoice link (Meta)",
            MetaMessage(
                {
                    "messaging_product": "whatsapp",
                    "to": "919876543210",
                    "type": "text",
                    "text": {"body": "Invoice for {{customer}}"},
                }
            ),
        ),
        ("Welcome", TextMessage("919876543210", "Welcome to Whats91 support, {{customer}}!")),
    ):
        await window.desk.store.save_request(profile.name, name, message)
    bench.show_panel()
    bench.reload()
    window.resize(1500, 860)  # room for the saved requests, the composer and the log side by side
    load_message(
        window.compose,
        TextMessage(
            "+91 98765 43210",
            "Hi {{customer}}, your order #{{order}} has shipped and arrives tomorrow.",
            sender_id=sender,
        ),
    )
    await settle(0.8)
    bench.panel.select(bench.panel.requests()[1].id)
    bench.update_preview()
    await settle(0.4)
    grab(window, out / "saved-requests.png")


FILLERS = {
    "text": fill_text,
    "media": fill_media,
    "buttons": fill_buttons,
    "list": fill_list,
    "template": fill_template,
    "meta": fill_meta,
}


async def shoot_conversations(window: object, out: Path) -> None:
    """The Conversations room: a thread with an open window (a reply typed), then a closed one
    (the reply box turned into the template picker)."""
    from whats91_desktop.ui.conversations.pane import ConversationsPane
    from whats91_desktop.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    pane = child(window, ConversationsPane, "conversationsPane")
    window.resize(1280, 800)
    window.panes.show_pane(pane.pane_title)
    for _ in range(50):
        if pane.model.total:
            break
        await settle(0.1)
    pane.compose.templates_wanted.emit()
    for contact, name, reply in (
        ("918000000101", "conversations-open.png", "Yes! It left our warehouse this morning."),
        ("918000000103", "conversations-closed.png", ""),
    ):
        pane.select_contact(contact)
        await settle(1.2)
        pane.reply.edit.setPlainText(reply)
        await settle(0.3)
        grab(window, out / name)
    with dark_scheme(window):
        pane.select_contact("918000000101")
        await settle(1.2)
        grab(window, out / "conversations-dark.png")
    window.panes.show_pane("Messages")


async def shoot_bulk(window: object, out: Path, home: Path, clock: ManualClock) -> None:
    """The Bulk room: the dry-run report of a CSV with problems (docs/bulk-dry-run.png), then
    the same job mid-run at a slow pace, with its roll-up (docs/bulk-running.png)."""
    from whats91_desktop.ui.bulk.pane import REPORT_PAGE, BulkPane
    from whats91_desktop.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    names = ["Asha", "Ravi", "Meera", "Kabir", "Zoya", "Arjun", "Isha", "Dev", "Nina", "Omar"]
    lines = ["phone,name,invoice"]
    lines += [f"+91 98765 4{3300 + i},{names[i % 10]},INV-{2200 + i}" for i in range(36)]
    lines += ["98765,Typo,INV-2290", "+91 98765 43300,Asha (again),INV-2291"]
    lines += ["+91 90000 00009,Blocked,INV-2292"]  # the sandbox's blacklisted number
    path = home / "customers.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    pane = child(window, BulkPane, "bulkPane")
    window.resize(1280, 800)
    window.panes.show_pane(pane.pane_title)
    for _ in range(50):
        if pane.mapping.template_combo.count():
            break
        await settle(0.1)
    pane.audience_step.file_edit.setText(str(path))
    pane.audience_step.load_csv_button.click()
    await settle(0.6)
    pane.mapping.template_combo.setCurrentText("payment_reminder")
    pane.mapping.button_combos[0].setCurrentText("invoice")
    pane.report_view.rate_spin.setValue(3.0)
    await settle(0.3)
    pane.dry_run_button.click()
    for _ in range(50):
        if pane.stack.currentIndex() == REPORT_PAGE:
            break
        await settle(0.1)
    pane.report_view.skip_invalid_check.setChecked(True)
    await settle(0.5)
    grab(window, out / "bulk-dry-run.png")
    with dark_scheme(window):
        await settle(0.5)
        grab(window, out / "bulk-dry-run-dark.png")
    report, profile = pane.report_view.priced_report(), pane.profile
    assert report is not None
    assert profile is not None
    await pane.plan_and_start(profile, report, skip_invalid=True)  # confirmed: no dialog in a script
    await settle(3.0)
    clock.advance(10)  # the first rows' statuses move on: the roll-up shows delivered and read
    await settle(2.5)
    grab(window, out / "bulk-running.png")
    pane.job_view.pause_button.click()
    await settle(0.5)
    window.panes.show_pane("Messages")


@contextlib.contextmanager
def dark_scheme(window: object) -> Iterator[None]:
    """The window drawn in the dark scheme inside the block, in the light one again after it."""
    theme = window.appearance.theme  # type: ignore[attr-defined]
    theme.apply("dark")
    try:
        yield
    finally:
        theme.apply("light")


async def shoot_appearance(window: object, out: Path, row_id: int) -> None:
    """The window in light and in dark (docs/main-light.png, docs/main-dark.png) and the
    Preferences dialog (docs/preferences.png), as the theme override in Preferences sets them."""
    from PySide6.QtWidgets import QWidget

    assert isinstance(window, QWidget)
    theme = window.appearance.theme  # type: ignore[attr-defined]
    theme.apply("light")
    await settle(0.5)
    grab(window, out / "main-light.png")
    theme.apply("dark")
    window.log_pane.select_row(row_id)  # type: ignore[attr-defined]  # the detail is HTML: re-rendered
    await settle(0.8)
    grab(window, out / "main-dark.png")
    theme.apply("light")
    window.log_pane.select_row(row_id)  # type: ignore[attr-defined]
    dialog = window.open_preferences()  # type: ignore[attr-defined]
    dialog.move(60, 40)
    await settle(0.8)
    grab(dialog, out / "preferences.png")
    dialog.close()
    await settle(0.3)


async def take(out: Path) -> int:
    from whats91_desktop.app import build_desktop_services, create_window
    from whats91_desktop.core.errors import Whats91Error
    from whats91_desktop.sandbox.constants import (
        BLACKLISTED_RECIPIENT,
        DROPPED_RECIPIENT,
        FAILED_UNDELIVERABLE_RECIPIENT,
        QUEUED_RECIPIENT,
        RATE_LIMITED_ODD_RECIPIENT,
    )
    from whats91_desktop.sandbox.state import SandboxState
    from whats91_desktop.services.executors import Executors

    clock = ManualClock()
    executors = Executors.create()
    asyncio.get_running_loop().set_default_executor(executors.io)
    desk = build_desktop_services(executors=executors, sandbox_state=SandboxState(clock=clock, seed=7))
    desk.services.notices.clear()  # the keychain fallback note is about this throwaway home
    window = create_window(desk, sandbox=True)
    window.resize(1280, 800)
    window.move(10, 10)
    window.show()
    await settle(0.8)

    rows = []
    for to, text in (
        ("918888888888", "Hi Asha, your order #4411 has shipped and arrives tomorrow."),
        (FAILED_UNDELIVERABLE_RECIPIENT, "Reminder: invoice INV-2291 is due on Friday."),
        (QUEUED_RECIPIENT, "Your appointment is confirmed for 10:30."),
        (RATE_LIMITED_ODD_RECIPIENT, "Thanks for your payment of ₹1,250."),
        (BLACKLISTED_RECIPIENT, "Hello again!"),
        (DROPPED_RECIPIENT, "Your OTP is 482913"),
        ("14155550123", "Welcome to Whats91 support. Reply here any time."),
    ):
        rows.append(await send(window, to, text, clock))
    clock.advance(10)
    for row_id in rows:
        try:
            await desk.follower.poll_once(row_id)
        except Whats91Error as err:  # a screenshot run reports and goes on
            print(f"status of row {row_id}: {err}", file=sys.stderr)
    window.log_pane.refresh()
    await settle(1.0)
    grab(window, out / "notification.png")  # the late failure (131026) raised the banner
    window.compose.recipient.edit.setText("+91 98765 43210")
    window.compose.text_tab.message_edit.setPlainText("Hi! Your table for four is booked for 8 pm tonight.")
    window.bridge.report_info("Accepted: message to +91 88888 88888 (accepted)")
    window.log_pane.select_row(rows[1])
    await settle(0.8)
    grab(window, out / "screenshot-main.png")
    await shoot_appearance(window, out, rows[1])
    window.log_pane.detail.setCurrentWidget(window.log_pane.response_view)
    await settle(0.5)
    grab(window.log_pane, out / "response-tab.png")
    window.log_pane.detail.setCurrentIndex(0)
    window.resize(1024, 640)
    await settle(1.0)
    grab(window, out / "screenshot-1024x640.png")
    window.resize(1280, 800)
    await settle(0.8)

    home = Path(os.environ["WHATS91_HOME"])
    for kind, name in TAB_FILES.items():
        window.compose.select_tab(kind)
        await settle(0.3)
        await FILLERS[kind](window, home)
        await settle(0.6)
        grab(window.compose, out / name)
    await shoot_workbench(window, out)
    await shoot_conversations(window, out)
    await shoot_bulk(window, out, home, clock)

    window.close()
    await window.shutdown()
    executors.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
