"""The sandbox's Webhooks v2: the management routes (shapes and errors of §4.1) and the signed
deliveries it owes for its simulated statuses, driven by the fake clock."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

from tests.helpers.sandbox_fixtures import FakeClock, get, post, sandbox_client
from tests.helpers.webhooks import RecordingEndpoint, recording_endpoint
from whats91_desktop.sandbox.constants import (
    BAD_SIGNATURE_RECIPIENT,
    FAILED_UNDELIVERABLE_RECIPIENT,
    QUEUED_RECIPIENT,
    REPLIES_RECIPIENT,
    SANDBOX_NO_WEBHOOKS_TOKEN,
    SANDBOX_SCOPED_TOKEN,
)
from whats91_desktop.sandbox.state import SandboxState
from whats91_desktop.sandbox.webhook_payloads import sign
from whats91_desktop.sandbox.webhooks import LOOPBACK_ONLY

STATUS_EVENTS = [
    "message.status.accepted",
    "message.status.sent",
    "message.status.delivered",
    "message.status.read",
    "message.status.failed",
]
HOOK = {
    "name": "CRM delivery hook",
    "endpointUrl": "https://crm.example.com/webhooks/whats91",
    "events": STATUS_EVENTS,
}


def create(state: SandboxState, **fields: Any) -> httpx.Response:
    return post(state, "/webhooks", json={"webhook": {**HOOK, **fields}})


# --------------------------------------------------------------------------- management


def test_the_catalog_lists_event_keys_and_groups(state: SandboxState) -> None:
    body = get(state, "/webhooks/events").json()
    assert body["success"] is True
    assert body["message"] == "Webhook event catalog retrieved"
    keys = body["data"]["eventKeys"]
    assert {
        "message.inbound.text",
        "message.status.delivered",
        "message.status.failed",
        "template.status_update",
    } <= set(keys)
    assert sorted(k for g in body["data"]["groups"] for k in g["eventKeys"]) == sorted(keys)


def test_create_returns_the_signing_secret_once_at_the_top_level(state: SandboxState) -> None:
    response = create(state, verificationHeaderKey="X-CRM-Webhook-Token", verificationToken="shared-secret")
    assert response.status_code == 200
    body = response.json()
    assert body["message"] == "Webhook created"
    assert body["signingSecret"].startswith("whsec_")
    assert "signingSecret" not in body["data"]
    data = body["data"]
    assert data["webhookUid"] == data["uid"]
    assert data["phoneNumber"] == "919999999999"
    assert data["hasVerificationToken"] is True
    assert "verificationToken" not in data
    uid = data["webhookUid"]
    for later in (get(state, "/webhooks").json(), get(state, f"/webhooks/{uid}").json()):
        text = json.dumps(later)
        assert body["signingSecret"] not in text
        assert "shared-secret" not in text
    recorded = state.requests_to("webhook_create")[0]
    assert recorded.fields["webhook"]["verificationToken"] == "[REDACTED]"


def test_the_list_is_a_plain_array_filtered_by_status_and_event(state: SandboxState) -> None:
    first = create(state).json()["data"]["webhookUid"]
    create(state, name="Inbound only", events=["message.inbound.text"])
    post(state, f"/webhooks/{first}", json={"webhook": {"status": "INACTIVE"}})
    body = get(state, "/webhooks").json()
    assert body["message"] == "Webhooks retrieved"
    assert isinstance(body["data"], list)
    assert len(body["data"]) == 2
    assert [h["name"] for h in get(state, "/webhooks", params={"status": "ACTIVE"}).json()["data"]] == [
        "Inbound only"
    ]
    by_event = get(state, "/webhooks", params={"event": "message.inbound.text"}).json()["data"]
    assert [h["name"] for h in by_event] == ["Inbound only"]


def test_update_is_partial_and_clears_the_token(state: SandboxState) -> None:
    created = create(state, verificationHeaderKey="X-Token", verificationToken="t1").json()["data"]
    uid = created["webhookUid"]
    updated = post(state, f"/webhooks/{uid}", json={"webhook": {"retryEnabled": False}}).json()["data"]
    assert updated["retryEnabled"] is False
    assert updated["name"] == created["name"]
    assert updated["hasVerificationToken"] is True
    cleared = post(state, f"/webhooks/{uid}", json={"webhook": {"clearVerificationToken": True}}).json()[
        "data"
    ]
    assert cleared["hasVerificationToken"] is False
    empty = post(state, f"/webhooks/{uid}", json={"webhook": {}})
    assert empty.status_code == 400
    assert empty.json()["error_code"] == "VALIDATION_FAILED"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"endpointUrl": "not a url"}, "WEBHOOK_ENDPOINT_INVALID"),
        ({"endpointUrl": "http://crm.example.com/hook"}, "WEBHOOK_ENDPOINT_REQUIRES_HTTPS"),
        ({"events": ["message.invalid"]}, "VALIDATION_FAILED"),
        ({"events": []}, "VALIDATION_FAILED"),
        ({"name": ""}, "VALIDATION_FAILED"),
        ({"timeoutMs": 0}, "VALIDATION_FAILED"),
        ({"verificationHeaderKey": "Bad Header"}, "VALIDATION_FAILED"),
    ],
)
def test_create_errors_are_the_documented_ones(
    state: SandboxState, fields: dict[str, Any], code: str
) -> None:
    response = create(state, **fields)
    assert response.status_code == 400
    assert response.json()["error_code"] == code
    assert state.webhooks.hooks == []


def test_an_unknown_event_gets_the_documented_message(state: SandboxState) -> None:
    body = create(state, events=["message.invalid"]).json()
    assert body["message"] == "Unsupported webhook event: message.invalid"
    assert body["details"] == {}


def test_not_found_other_sender_plan_auth_and_content_type(state: SandboxState) -> None:
    uid = create(state).json()["data"]["webhookUid"]
    assert get(state, "/webhooks/wh_nope").json()["error_code"] == "WEBHOOK_NOT_FOUND"
    other = get(state, f"/webhooks/{uid}", params={"senderId": "918888800000"})
    assert other.status_code == 404
    assert other.json()["error_code"] == "WEBHOOK_NOT_FOUND"
    scoped = get(state, "/webhooks", token=SANDBOX_SCOPED_TOKEN, params={"senderId": "918888800000"})
    assert scoped.json()["error_code"] == "SENDER_NOT_ALLOWED"
    plan = get(state, "/webhooks/events", token=SANDBOX_NO_WEBHOOKS_TOKEN)
    assert plan.status_code == 403
    assert plan.json()["error_code"] == "FEATURE_NOT_AVAILABLE"
    assert get(state, "/webhooks", token=None).json()["error_code"] == "MISSING_AUTH_TOKEN"
    form = post(state, "/webhooks", data={"name": "x"})
    assert form.status_code == 415
    assert form.json()["error_code"] == "UNSUPPORTED_CONTENT_TYPE"


# --------------------------------------------------------------------------- deliveries


def _send_and_deliver(
    state: SandboxState, clock: FakeClock, recipient: str, seconds: float
) -> RecordingEndpoint:
    """Create a destination on a recording endpoint, send to ``recipient``, deliver what is due
    as the fake clock moves through ``seconds``."""

    async def go() -> RecordingEndpoint:
        state.webhooks.auto_dispatch = False
        async with recording_endpoint() as endpoint, sandbox_client(state) as client:
            events = [*STATUS_EVENTS, "message.inbound.text"]
            created = await client.post(
                "/webhooks",
                json={"webhook": {**HOOK, "endpointUrl": endpoint.url, "events": events}},
            )
            state_secret = created.json()["signingSecret"]
            await client.post("/chat", json={"to": recipient, "text": "hi"})
            for _ in range(int(seconds)):
                await state.webhooks.deliver_due()
                clock.advance(1)
            await state.webhooks.deliver_due()
            endpoint.answer = state_secret.encode()  # hand the secret back to the test
            return endpoint

    return asyncio.run(go())


def _events(endpoint: RecordingEndpoint) -> list[str]:
    return [json.loads(r.body)["event"] for r in endpoint.requests]


def test_a_message_owes_one_signed_delivery_per_status_step(state: SandboxState, clock: FakeClock) -> None:
    endpoint = _send_and_deliver(state, clock, "918888888888", 5)
    secret = endpoint.answer.decode()
    assert _events(endpoint) == [
        "message.status.accepted",
        "message.status.sent",
        "message.status.delivered",
        "message.status.read",
    ]
    wamid = state.messages[0].wamid
    for request in endpoint.requests:
        assert request.header("X-Whats91-Signature") == sign(request.body, secret)
        payload = json.loads(request.body)
        assert payload["data"]["messageId"] == wamid
        assert payload["senderId"] == "919999999999"
    assert all(a.ok for a in state.webhooks.attempts)


def test_the_failure_scenario_delivers_failed_without_a_timestamp(
    state: SandboxState, clock: FakeClock
) -> None:
    endpoint = _send_and_deliver(state, clock, FAILED_UNDELIVERABLE_RECIPIENT, 4)
    assert _events(endpoint)[-1] == "message.status.failed"
    failed = json.loads(endpoint.requests[-1].body)["data"]
    assert failed["error"] == {"code": "131026", "message": "Message undeliverable"}
    assert "timestamp" not in failed


def test_the_queued_scenario_delivers_after_the_reconnect(state: SandboxState, clock: FakeClock) -> None:
    endpoint = _send_and_deliver(state, clock, QUEUED_RECIPIENT, 8)
    assert _events(endpoint) == ["message.status.accepted", "message.status.sent", "message.status.delivered"]


def test_the_replies_scenario_sends_an_inbound_reply(state: SandboxState, clock: FakeClock) -> None:
    endpoint = _send_and_deliver(state, clock, REPLIES_RECIPIENT, 10)
    assert _events(endpoint)[-1] == "message.inbound.text"
    reply = json.loads(endpoint.requests[-1].body)["data"]
    assert reply["from"] == REPLIES_RECIPIENT
    assert reply["text"] == "Thanks, got it!"


def test_the_bad_signature_scenario_signs_one_event_wrongly(state: SandboxState, clock: FakeClock) -> None:
    endpoint = _send_and_deliver(state, clock, BAD_SIGNATURE_RECIPIENT, 5)
    secret = endpoint.answer.decode()
    valid = {
        json.loads(r.body)["event"]: r.header("X-Whats91-Signature") == sign(r.body, secret)
        for r in endpoint.requests
    }
    assert valid == {
        "message.status.accepted": True,
        "message.status.sent": True,
        "message.status.delivered": False,
        "message.status.read": True,
    }


def test_failed_deliveries_are_retried_as_configured(state: SandboxState, clock: FakeClock) -> None:
    async def go() -> list[int | None]:
        state.webhooks.auto_dispatch = False
        async with recording_endpoint(status=500) as endpoint, sandbox_client(state) as client:
            await client.post(
                "/webhooks",
                json={
                    "webhook": {
                        **HOOK,
                        "endpointUrl": endpoint.url,
                        "events": ["message.status.accepted"],
                        "retryMaxAttempts": 3,
                    }
                },
            )
            await client.post("/chat", json={"to": "918888888888", "text": "hi"})
            for _ in range(40):
                await state.webhooks.deliver_due()
                clock.advance(1)
            return [a.status_code for a in state.webhooks.attempts]

    assert asyncio.run(go()) == [500, 500, 500]
    assert [a.attempt for a in state.webhooks.attempts] == [1, 2, 3]


def test_the_sandbox_delivers_only_to_this_computer(state: SandboxState, clock: FakeClock) -> None:
    async def go() -> None:
        state.webhooks.auto_dispatch = False
        async with sandbox_client(state) as client:
            await client.post("/webhooks", json={"webhook": {**HOOK, "events": ["message.status.accepted"]}})
            await client.post("/chat", json={"to": "918888888888", "text": "hi"})
            await state.webhooks.deliver_due()

    asyncio.run(go())
    assert [a.error for a in state.webhooks.attempts] == [LOOPBACK_ONLY]
    assert state.webhooks.pending == []  # never retried


def test_an_inactive_destination_gets_nothing(state: SandboxState, clock: FakeClock) -> None:
    async def go() -> RecordingEndpoint:
        state.webhooks.auto_dispatch = False
        async with recording_endpoint() as endpoint, sandbox_client(state) as client:
            uid = (
                await client.post("/webhooks", json={"webhook": {**HOOK, "endpointUrl": endpoint.url}})
            ).json()["data"]["webhookUid"]
            await client.post(f"/webhooks/{uid}", json={"webhook": {"status": "INACTIVE"}})
            await client.post("/chat", json={"to": "918888888888", "text": "hi"})
            clock.advance(10)
            await state.webhooks.deliver_due()
            return endpoint

    assert asyncio.run(go()).requests == []


def test_the_dispatcher_delivers_on_its_own_as_the_clock_moves(state: SandboxState, clock: FakeClock) -> None:
    async def go() -> list[str]:
        async with recording_endpoint() as endpoint, sandbox_client(state) as client:
            await client.post("/webhooks", json={"webhook": {**HOOK, "endpointUrl": endpoint.url}})
            await client.post("/chat", json={"to": "918888888888", "text": "hi"})
            clock.advance(5)
            for _ in range(200):
                if len(endpoint.requests) == 4:
                    break
                await asyncio.sleep(0.02)
            await state.stop_webhooks()
            return _events(endpoint)

    assert asyncio.run(go())[-1] == "message.status.read"


def test_template_reviews_are_delivered(state: SandboxState) -> None:
    async def go() -> RecordingEndpoint:
        state.webhooks.auto_dispatch = False
        async with recording_endpoint() as endpoint, sandbox_client(state) as client:
            await client.post(
                "/webhooks",
                json={"webhook": {**HOOK, "endpointUrl": endpoint.url, "events": ["template.status_update"]}},
            )
            state.webhooks.template_reviewed("919999999999", "order_shipped", "REJECTED")
            await state.webhooks.deliver_due()
            return endpoint

    data = json.loads(asyncio.run(go()).requests[0].body)["data"]
    assert data == {
        "templateName": "order_shipped",
        "category": "UTILITY",
        "language": "en",
        "status": "REJECTED",
    }
