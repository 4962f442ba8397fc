"""Screenshot of the Webhooks room with live deliveries, for the docs (as ``screenshots.py`` does).

Run under a virtual display (a temporary home is used; nothing of the user's is touched):

    xvfb-run -a -s "-screen 0 1360x900x24" .venv/bin/python scripts/webhooks_screenshot.py

A sandbox destination points at the local receiver; three messages go out (an ordinary one,
one whose recipient replies, one whose "delivered" event is badly signed), the sandbox's clock
moves on, and the deliveries arrive. Writes docs/webhooks.png (``--out DIR`` writes elsewhere).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

from screenshots import ROOT, ManualClock, grab, send, settle


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="where to write the PNG")
    args = parser.parse_args(argv)
    os.environ["WHATS91_HOME"] = tempfile.mkdtemp(prefix="whats91-shots-")
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    sys.path.insert(0, str(ROOT))

    import logging

    import qasync
    from PySide6.QtWidgets import QApplication

    logging.getLogger("whats91_desktop").setLevel(logging.ERROR)  # the bad signature is on purpose

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        return loop.run_until_complete(take(args.out))


async def take(out: Path) -> int:
    from whats91_desktop.app import build_desktop_services, create_window
    from whats91_desktop.core.webhooks import WebhookDraft
    from whats91_desktop.sandbox.constants import BAD_SIGNATURE_RECIPIENT, REPLIES_RECIPIENT
    from whats91_desktop.sandbox.state import SandboxState
    from whats91_desktop.services.executors import Executors
    from whats91_desktop.services.sandbox_profile import SANDBOX_PROFILE
    from whats91_desktop.ui.webhooks.pane import WebhooksPane

    clock = ManualClock()
    executors = Executors.create()
    asyncio.get_running_loop().set_default_executor(executors.io)
    desk = build_desktop_services(executors=executors, sandbox_state=SandboxState(clock=clock, seed=7))
    desk.services.notices.clear()
    window = create_window(desk, sandbox=True)
    window.resize(1340, 840)
    window.move(10, 10)
    window.show()
    await settle(1.0)
    pane = window.findChild(WebhooksPane, "webhooksPane")
    assert pane is not None
    hub = desk.webhooks
    await hub.start(port=0, profile=SANDBOX_PROFILE.name)
    url = hub.receiver.local_url()
    assert url is not None
    assert hub.secrets is not None
    client = await desk.services.clients.client_for(SANDBOX_PROFILE)
    events = (
        "message.status.accepted",
        "message.status.sent",
        "message.status.delivered",
        "message.status.read",
        "message.inbound.text",
    )
    draft = WebhookDraft(name="Local receiver", endpoint_url=url, events=events, timeout_ms=5000)
    created = await client.create_webhook(draft)
    await hub.secrets.store(SANDBOX_PROFILE, created.webhook.uid, created.signing_secret or "")
    await client.create_webhook(
        WebhookDraft(
            name="CRM (production)",
            endpoint_url="https://crm.example.com/webhooks/whats91",
            events=("message.inbound.text", "message.status.delivered"),
            verification_header_key="X-CRM-Webhook-Token",
            verification_token="shared-token",
        )
    )
    for recipient in ("918888888888", REPLIES_RECIPIENT, BAD_SIGNATURE_RECIPIENT):
        await send(window, recipient, "Your order #4411 has shipped", clock)
    window.panes.show_pane("Webhooks")  # shown: it loads the destinations
    pane._update_receiver()
    for _ in range(12):
        clock.advance(1)
        await settle(0.25)
    await settle(1.0)
    rows = pane.deliveries.rowCount()
    pane.deliveries_table.selectRow(max(0, rows - 1))
    for row in range(rows):
        if pane.deliveries.items()[row].signature_valid is False:
            pane.deliveries_table.selectRow(row)
    pane.table.selectRow(0)
    await settle(0.5)
    grab(window, out / "webhooks.png")
    window.close()
    await window.shutdown()
    executors.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
