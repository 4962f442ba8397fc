"""Screenshots for the docs: the window on the sandbox after a few sends, and each compose tab.

Run under a virtual display (nothing of the user's is read or written: a temporary home is used):

    xvfb-run -a -s "-screen 0 1360x900x24" .venv/bin/python scripts/screenshots.py

Writes docs/screenshot-main.png and docs/tab-<kind>.png. ``--out DIR`` writes elsewhere.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

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

    import qasync
    from PySide6.QtWidgets import QApplication

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
    screen = window.screen() or QApplication.primaryScreen()
    pixmap = screen.grabWindow(window.winId()) if screen is not None else None
    if pixmap is None or pixmap.isNull() or pixmap.width() < 10:
        pixmap = window.grab()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not pixmap.save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(f"wrote {path} ({pixmap.width()}x{pixmap.height()})")


async def send(window: object, to: str, text: str) -> int:
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
    window.compose.trigger_send()
    try:
        return await asyncio.wait_for(done, timeout=20)
    finally:
        window.send_finished.disconnect(finished)


async def take(out: Path) -> int:
    from whats91_desktop.app import build_context, create_window
    from whats91_desktop.sandbox.constants import (
        BLACKLISTED_RECIPIENT,
        DROPPED_RECIPIENT,
        FAILED_UNDELIVERABLE_RECIPIENT,
        QUEUED_RECIPIENT,
        RATE_LIMITED_ODD_RECIPIENT,
    )
    from whats91_desktop.sandbox.state import SandboxState

    clock = ManualClock()
    context = build_context(sandbox_state=SandboxState(clock=clock, seed=7))
    context.notices.clear()  # the keychain fallback note is about this throwaway home
    window = create_window(sandbox=True, context=context)
    window.resize(1340, 840)
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
        rows.append(await send(window, to, text))
    clock.advance(10)
    for row_id in rows:
        try:
            await context.follower.poll_once(row_id)
        except Exception as err:  # a screenshot run reports and goes on
            print(f"status of row {row_id}: {err}", file=sys.stderr)
    window.log.refresh()
    await settle(1.0)
    window.compose.recipient.edit.setText("+91 98765 43210")
    window.compose.text_tab.message_edit.setPlainText("Hi! Your table for four is booked for 8 pm tonight.")
    window.bridge.report_info("Accepted: message to +91 88888 88888 (accepted)")
    window.log.select_row(rows[1])
    await settle(0.8)
    grab(window, out / "screenshot-main.png")

    for kind, name in TAB_FILES.items():
        window.compose.select_tab(kind)
        await settle(1.0 if kind == "template" else 0.4)
        if kind == "template":
            from PySide6.QtWidgets import QListWidget

            templates = window.findChild(QListWidget, "templateList")
            if templates is not None and templates.count():
                templates.setCurrentRow(0)
                await settle(0.4)
        grab(window, out / name)

    window.close()
    await window.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
