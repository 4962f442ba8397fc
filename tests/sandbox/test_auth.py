"""Tokens (header, body and query fallbacks), scopes, sender resolution, request ids, redaction."""

from __future__ import annotations

import uuid

import pytest

from tests.helpers.sandbox_fixtures import bearer, get, post
from tests.helpers.sandbox_fixtures import request as send_request
from whats91_desktop.sandbox.constants import (
    SANDBOX_EXPIRED_TOKEN,
    SANDBOX_SCOPED_TOKEN,
    SANDBOX_SENDERS,
    SANDBOX_TOKEN,
)
from whats91_desktop.sandbox.state import REDACTED, SandboxState

SENDER_A, PNID_A = SANDBOX_SENDERS[0]
SENDER_B, PNID_B = SANDBOX_SENDERS[1]
TEXT = {"to": "918888888888", "text": "hello"}
META_TEXT = {"messaging_product": "whatsapp", "to": "918888888888", "type": "text", "text": {"body": "hi"}}


@pytest.mark.parametrize("field", ["authToken", "auth_token", "token"])
def test_json_body_token_fallback(state: SandboxState, field: str) -> None:
    response = post(state, "/chat", token=None, json={**TEXT, field: SANDBOX_TOKEN})
    assert response.status_code == 200, response.text
    record = state.requests[-1]
    assert record.auth_source == "body"
    assert record.fields[field] == REDACTED


@pytest.mark.parametrize("field", ["authToken", "auth_token", "token"])
def test_multipart_body_token_fallback(state: SandboxState, field: str) -> None:
    response = post(
        state, "/chat", token=None, data={**TEXT, field: SANDBOX_TOKEN}, files={"x": ("a.txt", b"a")}
    )
    assert response.status_code == 200, response.text
    assert state.requests[-1].auth_source == "body"


@pytest.mark.parametrize("field", ["authToken", "auth_token", "token"])
def test_query_token_fallback_on_get(state: SandboxState, field: str) -> None:
    response = get(state, "/templates", token=None, params={field: SANDBOX_TOKEN})
    assert response.status_code == 200, response.text
    record = state.requests[-1]
    assert record.auth_source == "query"
    assert record.query[field] == REDACTED


def test_query_token_is_not_accepted_on_post(state: SandboxState) -> None:
    response = post(state, "/chat", token=None, json=TEXT, params={"authToken": SANDBOX_TOKEN})
    assert response.status_code == 401
    assert response.json()["error_code"] == "MISSING_AUTH_TOKEN"


def test_meta_route_accepts_json_body_token(state: SandboxState) -> None:
    response = post(state, "/messages", token=None, json={**META_TEXT, "auth_token": SANDBOX_TOKEN})
    assert response.status_code == 200, response.text


def test_bearer_header_wins_over_body(state: SandboxState) -> None:
    response = post(state, "/chat", token=SANDBOX_EXPIRED_TOKEN, json={**TEXT, "authToken": SANDBOX_TOKEN})
    assert response.status_code == 401
    assert response.json()["error_code"] == "INVALID_AUTH_TOKEN"
    assert state.requests[-1].auth_source == "header"


@pytest.mark.parametrize(
    ("method", "path", "body", "missing", "invalid"),
    [
        ("POST", "/chat", TEXT, "MISSING_AUTH_TOKEN", "INVALID_AUTH_TOKEN"),
        ("POST", "/send", {"to": "918888888888", "templateName": "welcome_message"}, "MISSING_AUTH_TOKEN",
         "INVALID_AUTH_TOKEN"),
        ("GET", "/templates", None, "MISSING_AUTH_TOKEN", "INVALID_AUTH_TOKEN"),
        ("GET", "/reports/messages", None, "MISSING_AUTH_TOKEN", "INVALID_AUTH_TOKEN"),
        ("POST", "/messages", META_TEXT, "MISSING_BEARER_TOKEN", "INVALID_PUBLIC_API_TOKEN"),
        ("POST", f"/{PNID_A}/messages", META_TEXT, "MISSING_BEARER_TOKEN", "INVALID_PUBLIC_API_TOKEN"),
    ],
)  # fmt: skip
def test_missing_and_invalid_tokens(
    state: SandboxState, method: str, path: str, body: dict[str, object] | None, missing: str, invalid: str
) -> None:
    meta = method == "POST" and path.endswith("messages")
    for token, code in ((None, missing), ("w91_live_unknown", invalid), (SANDBOX_EXPIRED_TOKEN, invalid)):
        response = send_request(state, method, path, token=token, json=body)
        assert response.status_code == 401
        payload = response.json()
        if meta:
            assert payload["error"]["code"] == code
            assert payload["error"]["type"] == "Whats91PublicApiException"
        else:
            assert payload["success"] is False
            assert payload["error_code"] == code
        assert payload["metadata"]["requestId"] == response.headers["x-request-id"]
    assert state.messages == []


def test_billing_errors_use_the_nested_envelope(state: SandboxState) -> None:
    response = get(state, "/billing/wallet", token=None)
    assert response.status_code == 401
    payload = response.json()
    assert payload["success"] is False
    assert payload["error"]["code"] == "MISSING_AUTH_TOKEN"
    assert payload["message"] == payload["error"]["message"]
    assert "error_code" not in payload
    response = get(state, "/billing/wallet", token=SANDBOX_SCOPED_TOKEN, params={"senderId": SENDER_B})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "SENDER_NOT_ALLOWED"


def test_scoped_token_uses_its_own_sender(state: SandboxState) -> None:
    response = post(state, "/chat", token=SANDBOX_SCOPED_TOKEN, json=TEXT)
    assert response.json()["data"]["senderId"] == SENDER_A
    response = post(state, "/chat", token=SANDBOX_SCOPED_TOKEN, json={**TEXT, "senderId": f"+{SENDER_A}"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("POST", "/chat", {"json": {**TEXT, "senderId": SENDER_B}}),
        (
            "POST",
            "/send",
            {"json": {"to": "918888888888", "templateName": "welcome_message", "senderId": SENDER_B}},
        ),
        ("POST", "/messages", {"json": {**META_TEXT, "senderId": SENDER_B}}),
        ("POST", f"/{PNID_B}/messages", {"json": META_TEXT}),
        ("GET", "/templates", {"params": {"senderId": SENDER_B}}),
        ("GET", "/reports/messages", {"params": {"senderId": SENDER_B}}),
        ("GET", "/reports/messages/status", {"params": {"senderId": SENDER_B, "messageId": "x"}}),
    ],
)
def test_scoped_token_asking_for_another_sender_is_forbidden(
    state: SandboxState, method: str, path: str, kwargs: dict[str, object]
) -> None:
    response = send_request(state, method, path, token=SANDBOX_SCOPED_TOKEN, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == 403
    payload = response.json()
    code = payload["error"]["code"] if "messages" in path and method == "POST" else payload["error_code"]
    assert code == "SENDER_NOT_ALLOWED"
    assert state.messages == []


@pytest.mark.parametrize("sender_id", ["911111111111", "not-a-number"])
def test_global_token_with_unknown_sender_is_forbidden(state: SandboxState, sender_id: str) -> None:
    response = post(state, "/chat", json={**TEXT, "senderId": sender_id})
    assert response.status_code == 403
    assert response.json()["error_code"] == "SENDER_NOT_ALLOWED"


def test_global_token_may_pick_the_second_sender(state: SandboxState) -> None:
    data = post(state, "/chat", json={**TEXT, "senderId": SENDER_B}).json()["data"]
    assert (data["senderId"], data["phoneNumberId"]) == (SENDER_B, PNID_B)


def test_every_response_has_a_request_id(state: SandboxState) -> None:
    responses = [
        post(state, "/chat", json=TEXT),
        post(state, "/chat", json={"to": "918888888888"}),
        get(state, "/nope"),
        get(state, "/billing/wallet"),
        post(state, "/messages", json={"type": "text"}),
    ]
    ids = set()
    for response in responses:
        request_id = response.headers["x-request-id"]
        assert uuid.UUID(request_id).version == 4
        assert response.json()["metadata"] == {"apiVersion": "v2", "requestId": request_id}
        ids.add(request_id)
    assert len(ids) == len(responses)
    assert [r.request_id for r in state.requests] == [r.headers["x-request-id"] for r in responses]


def test_recorded_headers_never_hold_the_token(state: SandboxState) -> None:
    post(state, "/chat", json=TEXT, headers={**bearer(), "Cookie": "session=secret"})
    record = state.requests[-1]
    assert record.headers["authorization"] == f"Bearer {REDACTED}"
    assert record.headers["cookie"] == REDACTED
    assert SANDBOX_TOKEN not in repr(state.requests)
