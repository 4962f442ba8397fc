"""GET routes: templates, message status (with a fake clock), reports, history, wallet, 404."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers.sandbox_fixtures import FakeClock, get, post
from whats91_desktop.sandbox.app import iso
from whats91_desktop.sandbox.constants import (
    FAILED_REENGAGEMENT_RECIPIENT,
    FAILED_UNDELIVERABLE_RECIPIENT,
    QUEUED_RECIPIENT,
    SANDBOX_SCOPED_TOKEN,
    SANDBOX_SENDERS,
)
from whats91_desktop.sandbox.state import SandboxState

TO = "918888888888"
SENDER_B = SANDBOX_SENDERS[1][0]


def _send(state: SandboxState, to: str = TO, **extra: Any) -> dict[str, Any]:
    response = post(state, "/chat", json={"to": to, "text": "hi", **extra})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def _status(state: SandboxState, identifier: str, **params: str) -> dict[str, Any]:
    response = get(state, "/reports/messages/status", params={"messageId": identifier, **params})
    assert response.status_code == 200, response.text
    payload: dict[str, Any] = response.json()
    assert payload["success"] is True
    return payload["data"]


def _statuses(data: dict[str, Any]) -> list[str]:
    return [event["status"] for event in data["events"]]


# ---------------------------------------------------------------------- templates


def test_template_list_shape(state: SandboxState) -> None:
    response = get(state, "/templates")
    assert response.status_code == 200
    payload = response.json()
    assert payload["message"] == "Templates retrieved"
    data = payload["data"]
    assert (data["senderId"], data["phoneNumberId"]) == SANDBOX_SENDERS[0]
    names = [t["templateName"] for t in data["templates"]]
    assert names == ["payment_reminder", "delivery_receipt", "order_shipped", "login_otp", "welcome_message"]
    assert data["pagination"] == {"page": 1, "limit": 50, "total": 5, "hasMore": False}
    payment = data["templates"][0]
    assert payment["templateId"].startswith("w91_")
    assert payment["category"] == "UTILITY"
    assert payment["status"] == "APPROVED"
    assert payment["language"] == "en"
    assert payment["header"] == {"type": "TEXT", "text": "Payment due"}
    assert "{{1}}" in payment["body"]["text"]
    assert "{{2}}" in payment["body"]["text"]
    assert payment["buttons"] == [{"type": "URL", "text": "Pay now", "url": "https://example.com/pay/{{1}}"}]
    by_name = {t["templateName"]: t for t in data["templates"]}
    assert by_name["delivery_receipt"]["header"]["type"] == "DOCUMENT"
    assert by_name["order_shipped"]["header"]["type"] == "IMAGE"
    assert by_name["login_otp"]["category"] == "AUTHENTICATION"
    assert by_name["login_otp"]["buttons"][0]["type"] == "COPY_CODE"
    assert "{{" not in by_name["welcome_message"]["body"]["text"]


def test_template_list_filters_and_pages(state: SandboxState) -> None:
    data = get(state, "/templates", params={"category": "utility"}).json()["data"]
    assert {t["category"] for t in data["templates"]} == {"UTILITY"}
    data = get(state, "/templates", params={"page": "2", "limit": "2"}).json()["data"]
    assert [t["templateName"] for t in data["templates"]] == ["order_shipped", "login_otp"]
    assert data["pagination"] == {"page": 2, "limit": 2, "total": 5, "hasMore": True}
    data = get(state, "/templates", params={"senderId": SENDER_B}).json()["data"]
    assert data["senderId"] == SENDER_B


@pytest.mark.parametrize("field", ["templateName", "templateUid", "templateId"])
def test_get_template_by_any_identifier(state: SandboxState, field: str) -> None:
    listed = get(state, "/templates").json()["data"]["templates"][1]
    response = get(state, f"/templates/{listed[field]}")
    assert response.status_code == 200
    assert response.json()["data"]["template"] == listed


@pytest.mark.parametrize("identifier", ["nope", "summer_carousel"])
def test_get_unknown_or_carousel_template(state: SandboxState, identifier: str) -> None:
    response = get(state, f"/templates/{identifier}")
    assert response.status_code == 404
    assert response.json()["error_code"] == "TEMPLATE_NOT_FOUND"


# ---------------------------------------------------------------------- status progressions


def test_normal_progression(state: SandboxState, clock: FakeClock) -> None:
    t0 = clock.now
    sent = _send(state)
    expected = [(0, ["accepted"]), (1, ["accepted", "sent"]), (2, ["accepted", "sent", "delivered"])]
    expected.append((4, ["accepted", "sent", "delivered", "read"]))
    for at, statuses in expected:
        clock.now = t0 + at
        data = _status(state, sent["messageId"])
        assert _statuses(data) == statuses
        assert data["message"]["latestStatus"] == statuses[-1]
    clock.now = t0 + 3.99
    assert _status(state, sent["reportUid"])["message"]["latestStatus"] == "delivered"
    clock.now = t0 + 100
    data = _status(state, sent["messageId"])
    assert data["message"] | {"reportUid": None} == {
        "reportUid": None,
        "messageId": sent["messageId"],
        "queueUid": None,
        "receiver": TO,
        "latestStatus": "read",
        "senderId": SANDBOX_SENDERS[0][0],
        "phoneNumberId": SANDBOX_SENDERS[0][1],
        "messageType": "text",
        "templateName": None,
    }
    assert [e["occurredAt"] for e in data["events"]] == [iso(t0), iso(t0 + 1), iso(t0 + 2), iso(t0 + 4)]
    assert all(e["eventType"] == "status" for e in data["events"])


@pytest.mark.parametrize(
    ("recipient", "code", "message"),
    [
        (FAILED_UNDELIVERABLE_RECIPIENT, "131026", "Message undeliverable"),
        (FAILED_REENGAGEMENT_RECIPIENT, "131047", "Re-engagement message"),
    ],
)
def test_failure_progression(
    state: SandboxState, clock: FakeClock, recipient: str, code: str, message: str
) -> None:
    t0 = clock.now
    sent = _send(state, recipient)
    assert sent["status"] == "accepted"
    clock.now = t0 + 2.5
    assert _statuses(_status(state, sent["messageId"])) == ["accepted", "sent"]
    clock.now = t0 + 3
    data = _status(state, sent["messageId"])
    assert _statuses(data) == ["accepted", "sent", "failed"]
    assert data["message"]["latestStatus"] == "failed"
    failed = data["events"][-1]
    assert failed["error"]["code"] == code
    assert failed["error"]["message"] == message
    clock.now = t0 + 1000
    assert _status(state, sent["messageId"])["message"]["latestStatus"] == "failed"


def test_queued_progression(state: SandboxState, clock: FakeClock) -> None:
    t0 = clock.now
    response = post(state, "/chat", json={"to": QUEUED_RECIPIENT, "text": "hi"})
    assert response.status_code == 200
    payload = response.json()
    assert payload["success"] is True
    data = payload["data"]
    assert data["queued"] is True
    assert data["status"] == "waiting_reconnect"
    assert data["messageId"] is None
    assert data["message_id"] is None
    assert data["queueUid"].startswith("que_")
    assert data["reportUid"].startswith("rpt_")
    for identifier in (data["queueUid"], data["reportUid"]):
        early = _status(state, identifier)
        assert _statuses(early) == ["waiting_reconnect"]
        assert early["message"]["messageId"] is None
    clock.now = t0 + 4.9
    assert _status(state, data["queueUid"])["message"]["latestStatus"] == "waiting_reconnect"
    clock.now = t0 + 5
    after = _status(state, data["reportUid"])
    assert _statuses(after) == ["waiting_reconnect", "accepted"]
    wamid = after["message"]["messageId"]
    assert wamid.startswith("wamid.")
    clock.now = t0 + 60
    for identifier in (wamid, data["queueUid"], data["reportUid"]):
        assert _statuses(_status(state, identifier)) == ["waiting_reconnect", "accepted", "sent", "delivered"]


def test_status_errors(state: SandboxState) -> None:
    response = get(state, "/reports/messages/status", params={"messageId": "wamid.unknown"})
    assert response.status_code == 404
    payload = response.json()
    assert (payload["success"], payload["error_code"], payload["message"]) == (
        False,
        "MESSAGE_NOT_FOUND",
        "Message not found",
    )
    response = get(state, "/reports/messages/status")
    assert response.status_code == 400
    assert response.json()["error_code"] == "VALIDATION_FAILED"


def test_status_respects_sender_scope(state: SandboxState) -> None:
    sent = _send(state, senderId=SENDER_B)
    response = get(
        state, "/reports/messages/status", params={"messageId": sent["messageId"]}, token=SANDBOX_SCOPED_TOKEN
    )
    assert response.status_code == 404
    assert _status(state, sent["messageId"])["message"]["senderId"] == SENDER_B


# ---------------------------------------------------------------------- reports and history


def test_reports_list_shape_and_filters(state: SandboxState, clock: FakeClock) -> None:
    first = _send(state)
    clock.advance(10)
    second = _send(state, "918888888887")
    post(state, "/send", json={"to": TO, "templateName": "welcome_message"})
    clock.advance(3)
    response = get(state, "/reports/messages")
    assert response.status_code == 200
    payload = response.json()
    assert payload["message"] == "Message reports retrieved"
    data = payload["data"]
    assert data["pagination"] == {
        "page": 1,
        "limit": 50,
        "total": 3,
        "totalPages": 1,
        "count": 3,
        "hasMore": False,
    }
    row = next(r for r in data["reports"] if r["messageId"] == first["messageId"])
    assert row["receiver"] == TO
    assert row["reportUid"] == first["reportUid"]
    assert row["sourceType"] == "PUBLIC_API"
    assert row["messageType"] == "text"
    assert row["status"] == row["latestStatus"] == "read"
    assert row["occurredAt"].endswith("Z")

    filtered = get(state, "/reports/messages", params={"receiver": "+91 88888 88887"}).json()["data"]
    only_to = filtered["reports"]
    assert [r["messageId"] for r in only_to] == [second["messageId"]]
    templates = get(state, "/reports/messages", params={"messageType": "template"}).json()["data"]["reports"]
    assert [r["templateName"] for r in templates] == ["welcome_message"]
    delivered = get(state, "/reports/messages", params={"status": "delivered"}).json()["data"]["reports"]
    assert {r["latestStatus"] for r in delivered} == {"delivered"}
    assert len(delivered) == 2

    paged = get(state, "/reports/messages", params={"limit": "2", "page": "2"}).json()["data"]
    assert paged["pagination"] == {
        "page": 2,
        "limit": 2,
        "total": 3,
        "totalPages": 2,
        "count": 1,
        "hasMore": False,
    }
    assert paged["reports"][0]["messageId"] == first["messageId"]  # newest first


def test_reports_date_range(state: SandboxState, clock: FakeClock) -> None:
    _send(state)
    today = iso(clock.now)[:10]
    same_day = get(state, "/reports/messages", params={"dateFrom": today, "dateTo": today}).json()["data"]
    assert len(same_day["reports"]) == 1
    assert get(state, "/reports/messages", params={"dateFrom": "2099-01-01"}).json()["data"]["reports"] == []


@pytest.mark.parametrize(
    "params",
    [
        {"limit": "201"},
        {"limit": "0"},
        {"page": "0"},
        {"page": "x"},
        {"dateFrom": "05/06/2026"},
        {"dateTo": "2026-13-01"},
        {"dateFrom": "2026-06-05", "dateTo": "2026-06-01"},
    ],
)
def test_reports_validation(state: SandboxState, params: dict[str, str]) -> None:
    response = get(state, "/reports/messages", params=params)
    assert response.status_code == 400
    assert response.json()["error_code"] == "VALIDATION_FAILED"


def test_reports_limit_200_is_fine(state: SandboxState) -> None:
    assert get(state, "/reports/messages", params={"limit": "200"}).status_code == 200


def test_reports_by_sender(state: SandboxState) -> None:
    _send(state)
    _send(state, senderId=SENDER_B)
    all_rows = get(state, "/reports/messages").json()["data"]
    assert all_rows["pagination"]["total"] == 2
    b_rows = get(state, "/reports/messages", params={"senderId": SENDER_B}).json()["data"]
    assert (b_rows["senderId"], b_rows["pagination"]["total"]) == (SENDER_B, 1)
    scoped = get(state, "/reports/messages", token=SANDBOX_SCOPED_TOKEN).json()["data"]
    assert scoped["pagination"]["total"] == 1


def test_history(state: SandboxState) -> None:
    sent = _send(state)
    _send(state, "918888888887")
    response = get(state, "/reports/messages/history", params={"mobileNumber": "+918888888888"})
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["mobileNumber"] == TO
    assert [r["messageId"] for r in data["reports"]] == [sent["messageId"]]
    assert data["pagination"]["total"] == 1
    response = get(state, "/reports/messages/history")
    assert response.status_code == 400
    assert response.json()["error_code"] == "VALIDATION_FAILED"


# ---------------------------------------------------------------------- wallet and routing


def test_wallet_shape(state: SandboxState) -> None:
    response = get(state, "/billing/wallet")
    assert response.status_code == 200
    payload = response.json()
    assert payload["message"] == "Wallet retrieved"
    assert payload["data"] == {"wallet": {"balance": 1250.75, "currency": "INR", "status": "ACTIVE"}}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v2/nope"),
        ("GET", "/api/v2/chat"),
        ("POST", "/api/v2/templates"),
        ("GET", "/v2/templates"),
        ("GET", "/v2/reports/messages"),
        ("GET", "/v2/billing/wallet"),
        ("GET", "/"),
    ],
)
def test_unknown_routes(state: SandboxState, method: str, path: str) -> None:
    from tests.helpers.sandbox_fixtures import request

    response = request(state, method, f"https://sandbox.whats91.invalid{path}", json=None)
    assert response.status_code == 404
    payload = response.json()
    assert (payload["success"], payload["error_code"]) == (False, "NOT_FOUND")
    assert state.requests[-1].route is None
    assert state.requests[-1].status_code == 404


def test_reset(state: SandboxState) -> None:
    _send(state)
    state.slow_seconds = 1
    state.reset()
    assert state.messages == []
    assert state.requests == []
    assert state.attempts == {}
    assert state.slow_seconds == 40.0
    assert get(state, "/billing/wallet").json()["data"]["wallet"]["balance"] == 1250.75
