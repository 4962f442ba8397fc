"""POST /send: templates with parameters, button parameters and media headers."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers.sandbox_fixtures import post
from whats91_desktop.sandbox.state import SandboxState

TO = "918888888888"
DOC_EXAMPLE = {
    "senderId": "919999999999",
    "to": TO,
    "templateName": "payment_reminder",
    "parameters": ["Devendar", "INV-1001"],
    "buttonParameters": ["pay_INV-1001"],
    "mediaUrl": "https://example.com/invoice.pdf",
}


def _error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    payload: dict[str, Any] = response.json()
    assert (payload["success"], payload["error_code"]) == (False, code)
    return payload


def test_documented_json_example(state: SandboxState) -> None:
    response = post(state, "/send", json=DOC_EXAMPLE)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["status"] == "accepted"
    assert data["messageType"] == "template"
    assert data["templateName"] == "payment_reminder"
    assert data["messageId"] == data["message_id"]
    assert data["queued"] is False
    message = state.messages[-1]
    assert message.payload["parameters"] == ["Devendar", "INV-1001"]
    assert message.payload["buttonParameters"] == ["pay_INV-1001"]


def test_documented_multipart_example(state: SandboxState) -> None:
    response = post(
        state,
        "/send",
        data={
            "senderId": "919999999999",
            "to": TO,
            "templateName": "delivery_receipt",
            "parameters[]": ["Devendar", "ORD-4431"],
        },
        files={"mediaFile": ("receipt.pdf", b"%PDF-1.4 receipt", "application/pdf")},
    )
    assert response.status_code == 200, response.text
    record = state.requests[-1]
    assert record.fields["parameters"] == ["Devendar", "ORD-4431"]
    assert record.files[0].filename == "receipt.pdf"
    assert state.messages[-1].payload["media"]["file"]["filename"] == "receipt.pdf"


def test_multipart_repeated_plain_parameters_and_json_string(state: SandboxState) -> None:
    files = {"unused": ("x.txt", b"")}
    body = {"to": TO, "templateName": "order_shipped", "mediaUrl": "https://e.com/a.png"}
    response = post(state, "/send", data={**body, "parameters": ["a", "b", "c"]}, files=files)
    assert response.status_code == 200, response.text
    response = post(state, "/send", data={**body, "parameters": '["a", "b", "c"]'}, files=files)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("to_alias", ["to", "receiverId", "receiver_id", "receiver"])
@pytest.mark.parametrize("name_alias", ["templateName", "template_name"])
def test_recipient_and_name_aliases(state: SandboxState, to_alias: str, name_alias: str) -> None:
    response = post(state, "/send", json={to_alias: TO, name_alias: "welcome_message"})
    assert response.status_code == 200, response.text
    assert response.json()["data"]["receiverId"] == TO


@pytest.mark.parametrize("alias", ["buttonParameters", "button_parameters"])
def test_button_parameter_aliases(state: SandboxState, alias: str) -> None:
    body = {"to": TO, "templateName": "login_otp", "parameters": ["482910"], alias: ["482910"]}
    assert post(state, "/send", json=body).status_code == 200


@pytest.mark.parametrize("alias", ["mediaUrl", "media_url", "mediaurl"])
def test_media_url_aliases(state: SandboxState, alias: str) -> None:
    body = {
        "to": TO,
        "templateName": "order_shipped",
        "parameters": ["A", "B", "C"],
        alias: "https://e.com/a.png",
    }
    response = post(state, "/send", json=body)
    assert response.status_code == 200, response.text
    assert state.messages[-1].payload["media"] == {"url": "https://e.com/a.png"}


@pytest.mark.parametrize("alias", ["mediaFile", "media_file", "uploadFile", "upload_file"])
def test_media_file_aliases(state: SandboxState, alias: str) -> None:
    data = {"to": TO, "templateName": "order_shipped", "parameters[]": ["A", "B", "C"]}
    response = post(state, "/send", data=data, files={alias: ("parcel.png", b"\x89PNG")})
    assert response.status_code == 200, response.text


def test_v2_twin_path(state: SandboxState) -> None:
    response = post(
        state, "https://sandbox.whats91.invalid/v2/send", json={"to": TO, "templateName": "welcome_message"}
    )
    assert response.status_code == 200


def test_unknown_template(state: SandboxState) -> None:
    payload = _error(post(state, "/send", json={"to": TO, "templateName": "nope"}), 404, "TEMPLATE_NOT_FOUND")
    assert payload["details"]["sandboxInventedCode"] is True


def test_template_name_required(state: SandboxState) -> None:
    _error(post(state, "/send", json={"to": TO}), 400, "VALIDATION_FAILED")


def test_carousel_template(state: SandboxState) -> None:
    response = post(state, "/send", json={"to": TO, "templateName": "summer_carousel", "parameters": ["A"]})
    _error(response, 400, "CAROUSEL_TEMPLATE_NOT_SUPPORTED_IN_V2_SEND")
    assert state.messages == []


@pytest.mark.parametrize(
    ("change", "field", "expected", "received"),
    [
        ({"parameters": ["Devendar"]}, "parameters", 2, 1),
        ({"parameters": ["a", "b", "c"]}, "parameters", 2, 3),
        ({"buttonParameters": []}, "buttonParameters", 1, 0),
        ({"button_parameters": ["a", "b"], "buttonParameters": None}, "buttonParameters", 1, 2),
    ],
)
def test_parameter_count_mismatch(
    state: SandboxState, change: dict[str, Any], field: str, expected: int, received: int
) -> None:
    body = {k: v for k, v in {**DOC_EXAMPLE, **change}.items() if v is not None}
    details = _error(post(state, "/send", json=body), 400, "VALIDATION_FAILED")["details"]
    assert details == {"field": field, "expected": expected, "received": received}


def test_empty_parameter_value(state: SandboxState) -> None:
    body = {**DOC_EXAMPLE, "parameters": ["Devendar", " "]}
    _error(post(state, "/send", json=body), 400, "VALIDATION_FAILED")


@pytest.mark.parametrize("name", ["delivery_receipt", "order_shipped"])
def test_media_header_template_without_media(state: SandboxState, name: str) -> None:
    count = 2 if name == "delivery_receipt" else 3
    body = {"to": TO, "templateName": name, "parameters": ["x"] * count}
    payload = _error(post(state, "/send", json=body), 400, "MISSING_MEDIA")
    assert payload["details"]["headerType"] in ("DOCUMENT", "IMAGE")


def test_send_upload_checks_extension(state: SandboxState) -> None:
    data = {"to": TO, "templateName": "delivery_receipt", "parameters[]": ["a", "b"]}
    response = post(state, "/send", data=data, files={"mediaFile": ("receipt.exe", b"MZ")})
    _error(response, 400, "VALIDATION_FAILED")
