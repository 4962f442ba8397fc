"""The whole webhook loop offline: a sandbox destination points at the local receiver, a message
is sent, and its timeline in the message log moves through signed deliveries, with no polling."""

from __future__ import annotations

import asyncio

from tests.helpers.desk import open_desk
from tests.helpers.sandbox_fixtures import FakeClock
from tests.helpers.webhooks import until
from whats91_desktop.core.models import TextMessage
from whats91_desktop.core.webhooks import WebhookDraft
from whats91_desktop.sandbox.constants import BAD_SIGNATURE_RECIPIENT, REPLIES_RECIPIENT
from whats91_desktop.sandbox.state import SandboxState
from whats91_desktop.services.sandbox_profile import SANDBOX_PROFILE

EVENTS = (
    "message.status.accepted",
    "message.status.sent",
    "message.status.delivered",
    "message.status.read",
    "message.status.failed",
    "message.inbound.text",
)


def run_loop(recipient: str) -> dict[str, object]:
    clock = FakeClock()
    state = SandboxState(clock=clock)

    async def go() -> dict[str, object]:
        desk = await open_desk(sandbox_state=state)
        hub = desk.webhooks
        changed: list[int] = []
        desk.row_changes.subscribe(changed.append)
        try:
            await hub.start(port=0, profile=SANDBOX_PROFILE.name)
            client = await desk.services.clients.client_for(SANDBOX_PROFILE)
            url = hub.receiver.local_url()
            assert url is not None
            created = await client.create_webhook(WebhookDraft(name="Local", endpoint_url=url, events=EVENTS))
            assert hub.secrets is not None
            assert created.signing_secret is not None
            await hub.secrets.store(SANDBOX_PROFILE, created.webhook.uid, created.signing_secret)
            row, result = await desk.outbox.send(
                client, TextMessage(to=recipient, text="hello"), profile=SANDBOX_PROFILE.name
            )
            assert result.message_id
            for _ in range(12):
                clock.advance(1)
                await asyncio.sleep(0.1)
            await until(lambda: len(hub.records) >= 4 and all(r.outcome for r in hub.records))
            await asyncio.sleep(0.3)
            entry = await desk.store.get(row)
            assert entry is not None
            return {
                "status": entry.status,
                "events": [e.status for e in await desk.store.events(row)],
                "changed": row in changed,
                "polls": len(state.requests_to("status")) + len(state.requests_to("reports")),
                "records": [(r.event, r.signature_valid, r.trusted) for r in hub.records],
                "inbound": [m.text for m in await desk.store.conversation(recipient)],
            }
        finally:
            await desk.aclose()

    return asyncio.run(go())


def test_the_timeline_moves_through_webhooks_alone() -> None:
    result = run_loop("918888888888")
    assert result["status"] == "read"
    assert result["events"] == ["accepted", "sent", "delivered", "read"]
    assert result["changed"] is True
    assert result["polls"] == 0


def test_a_reply_arrives_as_an_inbound_message() -> None:
    result = run_loop(REPLIES_RECIPIENT)
    assert result["inbound"] == ["Thanks, got it!"]
    assert result["status"] == "read"


def test_the_badly_signed_event_is_shown_and_not_applied() -> None:
    result = run_loop(BAD_SIGNATURE_RECIPIENT)
    records = result["records"]
    assert ("message.status.delivered", False, False) in records  # type: ignore[operator]
    assert result["events"] == ["accepted", "sent", "read"]
    assert result["status"] == "read"
