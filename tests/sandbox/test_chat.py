"""POST /chat: text, media, buttons, list; aliases, limits and error codes."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

import pytest

from tests.helpers.sandbox_fixtures import get, post
from whats91_desktop.sandbox.constants import MAX_UPLOAD_BYTES, SANDBOX_SENDERS
from whats91_desktop.sandbox.state import SandboxState

TO = "918888888888"


def _error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    payload: dict[str, Any] = response.json()
    assert payload["success"] is False
    assert payload["error_code"] == code
    assert payload["message"]
    return payload


def test_text_success_has_the_full_quickstart_shape(state: SandboxState) -> None:
    response = post(
        state, "/chat", json={"senderId": SANDBOX_SENDERS[0][0], "to": TO, "type": "text", "text": "Hi"}
    )
    assert response.status_code == 200
    payload = response.json()
    assert payload["success"] is True
    assert payload["message"] == "Message accepted by Meta"
    data = payload["data"]
    assert data["messageId"].startswith("wamid.")
    assert data["message_id"] == data["messageId"]
    assert data["queued"] is False
    assert data["status"] == "accepted"
    assert (data["senderId"], data["phoneNumberId"], data["receiverId"]) == (*SANDBOX_SENDERS[0], TO)
    assert data["messageType"] == "text"
    assert data["templateName"] is None
    assert isinstance(data["apiResponse"], dict)
    assert data["reportUid"].startswith("rpt_")
    [message] = state.messages_to(TO)
    assert message.wamid == data["messageId"]
    assert message.payload["text"] == "Hi"


@pytest.mark.parametrize("alias", ["text", "messageText", "message_text", "body", "message"])
def test_text_aliases_with_type_omitted(state: SandboxState, alias: str) -> None:
    response = post(state, "/chat", json={"to": TO, alias: "Your ticket was updated."})
    assert response.status_code == 200, response.text
    assert response.json()["data"]["messageType"] == "text"


@pytest.mark.parametrize("alias", ["to", "receiverId", "receiver_id", "receiver"])
def test_recipient_aliases(state: SandboxState, alias: str) -> None:
    response = post(state, "/chat", json={alias: "+91 88888-88888", "text": "hi"})
    assert response.json()["data"]["receiverId"] == TO
    assert state.requests[-1].recipient == TO


def test_v2_twin_path(state: SandboxState) -> None:
    response = post(state, "https://sandbox.whats91.invalid/v2/chat", json={"to": TO, "text": "hi"})
    assert response.status_code == 200
    assert state.requests[-1].route == "chat"


def test_missing_text(state: SandboxState) -> None:
    _error(post(state, "/chat", json={"to": TO}), 400, "MISSING_TEXT")
    _error(post(state, "/chat", json={"to": TO, "type": "text", "text": "   "}), 400, "MISSING_TEXT")
    assert state.messages == []


def test_missing_or_bad_recipient(state: SandboxState) -> None:
    assert (
        _error(post(state, "/chat", json={"text": "hi"}), 400, "VALIDATION_FAILED")["details"]["field"]
        == "to"
    )
    _error(post(state, "/chat", json={"to": "12ab", "text": "hi"}), 400, "VALIDATION_FAILED")


def test_text_over_meta_limit(state: SandboxState) -> None:
    _error(post(state, "/chat", json={"to": TO, "text": "x" * 4097}), 400, "VALIDATION_FAILED")


@pytest.mark.parametrize("kind", ["location", "sticker", "template", "cta"])
def test_unsupported_chat_type(state: SandboxState, kind: str) -> None:
    _error(
        post(state, "/chat", json={"to": TO, "type": kind, "text": "x"}), 400, "UNSUPPORTED_CHAT_MESSAGE_TYPE"
    )


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain", b"to=1&text=hi"),
        ("application/x-www-form-urlencoded", b"to=918888888888&text=hi"),
        (None, b""),
    ],
)
def test_unsupported_content_type(state: SandboxState, content_type: str | None, body: bytes) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    payload = _error(post(state, "/chat", content=body, headers=headers), 415, "UNSUPPORTED_CONTENT_TYPE")
    assert "metadata" in payload


def test_malformed_json(state: SandboxState) -> None:
    response = post(state, "/chat", content=b"{oops", headers={"Content-Type": "application/json"})
    _error(response, 400, "VALIDATION_FAILED")


# ---------------------------------------------------------------------- media


@pytest.mark.parametrize("kind", ["image", "video", "audio", "document"])
@pytest.mark.parametrize("alias", ["mediaUrl", "media_url"])
def test_media_by_url(state: SandboxState, kind: str, alias: str) -> None:
    body = {
        "to": TO,
        "type": kind,
        alias: "https://example.com/file.pdf",
        "caption": "c",
        "filename": "f.pdf",
    }
    response = post(state, "/chat", json=body)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["messageType"] == kind
    assert state.messages[-1].payload["media"] == {"url": "https://example.com/file.pdf"}


@pytest.mark.parametrize("alias", ["mediaId", "media_id"])
def test_media_by_id(state: SandboxState, alias: str) -> None:
    response = post(state, "/chat", json={"to": TO, "type": "image", alias: "1234567890"})
    assert response.status_code == 200, response.text
    assert state.messages[-1].payload["media"] == {"id": "1234567890"}


@pytest.mark.parametrize("alias", ["mediaFile", "media_file", "uploadFile", "upload_file"])
def test_media_by_multipart_file(state: SandboxState, alias: str) -> None:
    blob = b"\xff\xd8\xff\xe0 fake jpeg \r\n\x00"
    response = post(
        state,
        "/chat",
        data={"senderId": SANDBOX_SENDERS[0][0], "to": TO, "type": "image", "caption": "Product photo"},
        files={alias: ("product.JPG", blob, "image/jpeg")},
    )
    assert response.status_code == 200, response.text
    media = state.messages[-1].payload["media"]["file"]
    assert media["sha256"] == hashlib.sha256(blob).hexdigest()
    assert media["size"] == len(blob)
    [upload] = state.requests[-1].files
    assert (upload.field_name, upload.filename) == (alias, "product.JPG")


def test_media_missing(state: SandboxState) -> None:
    payload = _error(post(state, "/chat", json={"to": TO, "type": "document"}), 400, "MISSING_MEDIA")
    assert payload["details"]["acceptedInputs"] == ["mediaUrl", "mediaId", "mediaFile"]


def test_media_without_type_is_refused(state: SandboxState) -> None:
    _error(post(state, "/chat", json={"to": TO, "mediaUrl": "https://e.com/a.png"}), 400, "VALIDATION_FAILED")


def test_media_url_must_be_http(state: SandboxState) -> None:
    _error(post(state, "/chat", json={"to": TO, "type": "image", "mediaUrl": "file:///etc/passwd"}), 400,
           "VALIDATION_FAILED")  # fmt: skip


def test_media_file_field_in_json_is_refused(state: SandboxState) -> None:
    _error(
        post(state, "/chat", json={"to": TO, "type": "image", "mediaFile": "a.png"}), 400, "VALIDATION_FAILED"
    )


def test_upload_over_16_mb(state: SandboxState) -> None:
    big = b"\0" * (MAX_UPLOAD_BYTES + 1)
    response = post(
        state, "/chat", data={"to": TO, "type": "document"}, files={"mediaFile": ("big.pdf", big)}
    )
    payload = _error(response, 400, "VALIDATION_FAILED")
    assert "16 MB" in payload["message"]
    assert state.messages == []


def test_upload_at_exactly_16_mb_is_fine(state: SandboxState) -> None:
    exact = b"\0" * MAX_UPLOAD_BYTES
    response = post(
        state, "/chat", data={"to": TO, "type": "document"}, files={"mediaFile": ("ok.pdf", exact)}
    )
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("filename", ["sticker.webp", "voice.ogg", "deck.pptx", "noextension"])
def test_upload_extension_not_allowed(state: SandboxState, filename: str) -> None:
    response = post(
        state, "/chat", data={"to": TO, "type": "document"}, files={"mediaFile": (filename, b"x")}
    )
    payload = _error(response, 400, "VALIDATION_FAILED")
    assert "not allowed" in payload["message"]
    assert "pdf" in payload["details"]["allowedExtensions"]


# ---------------------------------------------------------------------- buttons


def _buttons(n: int, title: str = "Pay now", id_length: int = 6) -> list[dict[str, str]]:
    return [{"id": f"{i}".rjust(id_length, "b"), "title": title} for i in range(n)]


@pytest.mark.parametrize("kind", ["interactive", "button", "buttons", None])
def test_buttons(state: SandboxState, kind: str | None) -> None:
    body: dict[str, Any] = {"to": TO, "text": "Choose an option", "buttons": _buttons(3)}
    if kind:
        body["type"] = kind
    response = post(state, "/chat", json=body)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["messageType"] == "interactive"
    assert len(state.messages[-1].payload["buttons"]) == 3


def test_buttons_in_multipart_bracket_notation(state: SandboxState) -> None:
    data = {"to": TO, "type": "buttons", "text": "Pick", "buttons[0][id]": "a", "buttons[0][title]": "A"}
    response = post(state, "/chat", data=data, files={"unused": ("x.txt", b"")})
    assert response.status_code == 200, response.text
    assert state.messages[-1].payload["buttons"] == [{"id": "a", "title": "A"}]


@pytest.mark.parametrize(
    ("buttons", "field"),
    [
        (_buttons(4), "buttons"),
        ([], "buttons"),
        (_buttons(1, title="x" * 21), "buttons[0].title"),
        (_buttons(1, id_length=257), "buttons[0].id"),
        ([{"id": "a"}], "buttons[0].title"),
        ([{"title": "A"}], "buttons[0].id"),
        ([{"id": "a", "title": "A"}, {"id": "a", "title": "B"}], "buttons[1].id"),
    ],
)
def test_button_limits(state: SandboxState, buttons: list[dict[str, str]], field: str) -> None:
    response = post(state, "/chat", json={"to": TO, "type": "buttons", "text": "Choose", "buttons": buttons})
    assert _error(response, 400, "VALIDATION_FAILED")["details"]["field"] == field


def test_button_limits_at_the_edge_pass(state: SandboxState) -> None:
    body = {
        "to": TO,
        "type": "buttons",
        "text": "Choose",
        "buttons": _buttons(3, title="x" * 20, id_length=256),
    }
    assert post(state, "/chat", json=body).status_code == 200


def test_buttons_need_text(state: SandboxState) -> None:
    _error(
        post(state, "/chat", json={"to": TO, "type": "buttons", "buttons": _buttons(1)}), 400, "MISSING_TEXT"
    )


# ---------------------------------------------------------------------- list


def _list_body(rows_per_section: tuple[int, ...], kind: str | None = "list") -> dict[str, Any]:
    sections = [
        {"title": f"S{s}", "rows": [{"id": f"r{s}_{r}", "title": f"Row {r}"} for r in range(n)]}
        for s, n in enumerate(rows_per_section)
    ]
    body: dict[str, Any] = {
        "to": TO,
        "headerText": "Support menu",
        "text": "Select the topic you need help with.",
        "footerText": "Whats91 Support",
        "buttonText": "View options",
        "sections": sections,
    }
    if kind:
        body["type"] = kind
    return body


@pytest.mark.parametrize("kind", ["list", "interactive_list", None])
def test_list(state: SandboxState, kind: str | None) -> None:
    response = post(state, "/chat", json=_list_body((6, 4), kind))
    assert response.status_code == 200, response.text
    assert response.json()["data"]["messageType"] == "interactive"


def test_list_over_ten_rows(state: SandboxState) -> None:
    payload = _error(post(state, "/chat", json=_list_body((6, 5))), 400, "VALIDATION_FAILED")
    assert payload["details"]["received"] == 11


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"sections": []}, "VALIDATION_FAILED"),
        ({"buttonText": ""}, "VALIDATION_FAILED"),
        ({"text": None}, "MISSING_TEXT"),
        ({"sections": [{"title": "S", "rows": [{"id": "a"}]}]}, "VALIDATION_FAILED"),
    ],
)
def test_list_validation(state: SandboxState, change: dict[str, Any], code: str) -> None:
    body = {**_list_body((2,)), **change}
    body = {k: v for k, v in body.items() if v is not None}
    _error(post(state, "/chat", json=body), 400, code)


def test_wallet_is_charged_per_accepted_message(state: SandboxState) -> None:
    before = Decimal(str(get(state, "/billing/wallet").json()["data"]["wallet"]["balance"]))
    post(state, "/chat", json={"to": TO, "text": "one"})
    post(state, "/chat", json={"to": TO, "text": "two"})
    post(state, "/chat", json={"to": TO})  # rejected: not charged
    wallet = get(state, "/billing/wallet").json()["data"]["wallet"]
    assert Decimal(str(wallet["balance"])) == before - 2 * state.rate_per_message
    assert (wallet["currency"], wallet["status"]) == ("INR", "ACTIVE")
