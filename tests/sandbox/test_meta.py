"""POST /messages and POST /{phoneNumberId}/messages (Meta-compatible, JSON only)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers.sandbox_fixtures import post
from whats91_desktop.sandbox.constants import SANDBOX_SCOPED_TOKEN, SANDBOX_SENDERS
from whats91_desktop.sandbox.state import SandboxState

SENDER_A, PNID_A = SANDBOX_SENDERS[0]
SENDER_B, PNID_B = SANDBOX_SENDERS[1]
TO = "918888888888"
TEXT = {"messaging_product": "whatsapp", "to": TO, "type": "text", "text": {"body": "Hello"}}


def _meta_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    payload: dict[str, Any] = response.json()
    assert "success" not in payload
    assert payload["error"]["code"] == code
    assert payload["error"]["type"] == "Whats91PublicApiException"
    assert payload["error"]["message"]
    assert payload["metadata"]["requestId"] == response.headers["x-request-id"]
    return payload


def test_success_shape(state: SandboxState) -> None:
    response = post(state, "/messages", json={**TEXT, "senderId": SENDER_B, "to": "+918888888888"})
    assert response.status_code == 200
    payload = response.json()
    assert payload["messaging_product"] == "whatsapp"
    assert payload["contacts"] == [{"input": "+918888888888", "wa_id": TO}]
    [message] = payload["messages"]
    assert message["id"].startswith("wamid.")
    assert payload["metadata"] == {"apiVersion": "v2", "requestId": response.headers["x-request-id"]}
    stored = state.messages[-1]
    assert (stored.wamid, stored.sender_id, stored.message_type) == (message["id"], SENDER_B, "text")


def test_path_route_picks_the_sender_and_ignores_body_sender(state: SandboxState) -> None:
    response = post(state, f"/{PNID_B}/messages", json={**TEXT, "senderId": SENDER_A})
    assert response.status_code == 200, response.text
    assert state.messages[-1].sender_id == SENDER_B
    # A scoped token's own path works even with a foreign body senderId (ignored).
    response = post(
        state, f"/{PNID_A}/messages", token=SANDBOX_SCOPED_TOKEN, json={**TEXT, "senderId": SENDER_B}
    )
    assert response.status_code == 200, response.text


def test_v2_twin_paths(state: SandboxState) -> None:
    assert post(state, "https://sandbox.whats91.invalid/v2/messages", json=TEXT).status_code == 200
    assert post(state, f"https://sandbox.whats91.invalid/v2/{PNID_A}/messages", json=TEXT).status_code == 200


def test_unknown_phone_number_id(state: SandboxState) -> None:
    _meta_error(post(state, "/123456789/messages", json=TEXT), 404, "PHONE_NUMBER_NOT_FOUND")


def test_type_defaults_to_text(state: SandboxState) -> None:
    body = {k: v for k, v in TEXT.items() if k != "type"}
    assert post(state, "/messages", json=body).status_code == 200


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({**TEXT, "to": None}, 400, "MISSING_TO"),
        ({**TEXT, "to": ""}, 400, "MISSING_TO"),
        ({**TEXT, "text": None}, 400, "MISSING_TYPE_OBJECT"),
        ({**TEXT, "type": "image"}, 400, "MISSING_TYPE_OBJECT"),
        ({**TEXT, "type": "contacts", "contacts": {"name": "A"}}, 400, "MISSING_TYPE_OBJECT"),
        ({**TEXT, "type": "poll", "poll": {}}, 400, "UNSUPPORTED_MESSAGE_TYPE"),
        ({**TEXT, "messaging_product": "sms"}, 400, "VALIDATION_FAILED"),
        ({**TEXT, "type": "template", "template": {"name": "payment_reminder"}}, 400, "VALIDATION_FAILED"),
        ({**TEXT, "type": "template", "template": {"name": "nope", "language": {"code": "en"}}}, 404,
         "TEMPLATE_NOT_FOUND"),
    ],
)  # fmt: skip
def test_errors(state: SandboxState, body: dict[str, Any], status: int, code: str) -> None:
    body = {k: v for k, v in body.items() if v is not None}
    _meta_error(post(state, "/messages", json=body), status, code)
    assert state.messages == []


@pytest.mark.parametrize(
    "body",
    [
        {"type": "image", "image": {"link": "https://example.com/a.png", "caption": "c"}},
        {"type": "document", "document": {"link": "https://e.com/i.pdf", "filename": "i.pdf"}},
        {"type": "sticker", "sticker": {"id": "123"}},
        {"type": "location", "location": {"latitude": 1, "longitude": 2}},
        {"type": "reaction", "reaction": {"message_id": "wamid.x", "emoji": "👍"}},
        {"type": "contacts", "contacts": [{"name": {"formatted_name": "A"}, "phones": [{"phone": "+1"}]}]},
        {
            "type": "interactive",
            "interactive": {
                "type": "button",
                "body": {"text": "Choose"},
                "action": {"buttons": [{"type": "reply", "reply": {"id": "pay", "title": "Pay"}}]},
            },
        },
        {
            "type": "template",
            "template": {
                "name": "payment_reminder",
                "language": {"code": "en"},
                "components": [{"type": "body", "parameters": [{"type": "text", "text": "Devendar"}]}],
            },
        },
    ],
)
def test_supported_types(state: SandboxState, body: dict[str, Any]) -> None:
    response = post(state, "/messages", json={"messaging_product": "whatsapp", "to": TO, **body})
    assert response.status_code == 200, response.text
    assert state.messages[-1].message_type == body["type"]


@pytest.mark.parametrize("path", ["/messages", f"/{PNID_A}/messages"])
def test_json_only(state: SandboxState, path: str) -> None:
    response = post(state, path, data={"to": TO, "type": "text"}, files={"f": ("a.txt", b"a")})
    _meta_error(response, 415, "UNSUPPORTED_CONTENT_TYPE")
    response = post(
        state, path, content=b"to=1", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    _meta_error(response, 415, "UNSUPPORTED_CONTENT_TYPE")


def test_read_receipt(state: SandboxState) -> None:
    wamid = post(state, "/messages", json=TEXT).json()["messages"][0]["id"]
    response = post(
        state,
        f"/{PNID_A}/messages",
        json={"messaging_product": "whatsapp", "status": "read", "message_id": wamid},
    )
    assert response.status_code == 200
    assert response.json()["success"] is True
    assert len(state.messages) == 1
    record = state.requests[-1]
    assert record.is_send is False
    assert record.route == "phone_messages"
