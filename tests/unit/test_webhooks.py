"""The pure parts of Webhooks v2: drafts, local validation, builders, parsers, signatures,
delivery bodies and the plain-language errors."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

import pytest

from whats91_desktop.core.envelope import Envelope, parse_response
from whats91_desktop.core.errors import (
    ApiError,
    ConfigError,
    ConnectError,
    NotFoundError,
    ServerError,
    ValidationError,
)
from whats91_desktop.core.secrets import SecretStore
from whats91_desktop.core.webhook_deliveries import parse_delivery
from whats91_desktop.core.webhook_errors import explain_webhook_error
from whats91_desktop.core.webhook_requests import create_request, get_request, list_request, update_request
from whats91_desktop.core.webhook_responses import (
    parse_catalog,
    parse_created,
    parse_webhook,
    parse_webhook_list,
)
from whats91_desktop.core.webhook_signing import signature_for, signature_valid, token_valid
from whats91_desktop.core.webhook_validation import check_draft, header_name_problem, target_problem
from whats91_desktop.core.webhooks import CreatedWebhook, EventCatalog, WebhookDraft
from whats91_desktop.sandbox.webhook_payloads import SAMPLE_EVENTS, encode, sample_payload

CATALOG = EventCatalog(("message.inbound.text", "message.status.delivered", "template.status_update"))
GOOD = WebhookDraft(
    name="CRM delivery hook",
    endpoint_url="https://crm.example.com/webhooks/whats91",
    events=("message.inbound.text", "message.status.delivered"),
)


def envelope(body: dict[str, object], *, data_may_be_list: bool = False) -> Envelope:
    return parse_response(200, {}, json.dumps(body).encode(), data_may_be_list=data_may_be_list)


# --------------------------------------------------------------------------- validation


def test_a_complete_draft_passes() -> None:
    check = check_draft(GOOD, CATALOG, creating=True)
    assert check.ok
    assert check.warnings == ()


@pytest.mark.parametrize(
    ("draft", "field", "words"),
    [
        (WebhookDraft(name="x", endpoint_url="https://a.example/h", events=()), "events", "at least one"),
        (
            WebhookDraft(name="x", endpoint_url="https://a.example/h", events=("nope",)),
            "events",
            "not in the event catalog",
        ),
        (
            WebhookDraft(name="", endpoint_url="https://a.example/h", events=("template.status_update",)),
            "name",
            "needs a name",
        ),
        (
            WebhookDraft(name="x", endpoint_url="http://a.example/h", events=("template.status_update",)),
            "endpointUrl",
            "https",
        ),
        (
            WebhookDraft(name="x", endpoint_url="ftp://a.example/h", events=("template.status_update",)),
            "endpointUrl",
            "full URL",
        ),
        (
            WebhookDraft(
                name="x", endpoint_url="https://u:p@a.example/h", events=("template.status_update",)
            ),
            "endpointUrl",
            "password",
        ),
        (
            WebhookDraft(
                **{**GOOD.__dict__, "verification_header_key": "Bad Header", "verification_token": "t"}
            ),
            "verificationHeaderKey",
            "no spaces",
        ),
        (
            WebhookDraft(**{**GOOD.__dict__, "verification_token": "t"}),
            "verificationToken",
            "header name",
        ),
        (WebhookDraft(**{**GOOD.__dict__, "timeout_ms": 0}), "timeoutMs", "positive"),
        (WebhookDraft(**{**GOOD.__dict__, "retry_max_attempts": -1}), "retryMaxAttempts", "zero or more"),
    ],
)
def test_problems_name_their_field(draft: WebhookDraft, field: str, words: str) -> None:
    problems = check_draft(draft, CATALOG, creating=True).problems
    assert [p.field for p in problems] == [field]
    assert words in problems[0].message


def test_events_cannot_be_checked_without_a_catalog() -> None:
    problems = check_draft(GOOD, None, creating=True).problems
    assert [p.field for p in problems] == ["events"]


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://127.0.0.1:8092/webhooks/whats91", "only the built-in sandbox"),
        ("https://abcd-1234.ngrok-free.app/hook", "tunnel"),
        ("https://quiet-cat.trycloudflare.com/hook", "tunnel"),
    ],
)
def test_loopback_and_tunnels_are_allowed_with_a_warning(url: str, words: str) -> None:
    check = check_draft(WebhookDraft(**{**GOOD.__dict__, "endpoint_url": url}), CATALOG, creating=True)
    assert check.ok
    assert words in check.warnings[0].message


def test_an_update_checks_only_what_it_changes() -> None:
    assert check_draft(WebhookDraft(status="INACTIVE"), None, creating=False).ok
    assert not check_draft(WebhookDraft(events=()), CATALOG, creating=False).ok


def test_header_names_must_be_http_tokens_and_not_reserved() -> None:
    assert header_name_problem("X-CRM-Webhook-Token") is None
    assert header_name_problem("X:Token") is not None
    assert "set by Whats91" in (header_name_problem("x-whats91-signature") or "")


def test_test_event_targets_are_loopback_or_https() -> None:
    assert target_problem("http://localhost:3000/hook") is None
    assert target_problem("https://example.com/hook") is None
    assert target_problem("http://example.com/hook") is not None
    assert target_problem("localhost:3000") is not None


# --------------------------------------------------------------------------- requests and responses


def test_builders_send_only_the_fields_given() -> None:
    created = create_request(GOOD, "916268662275")
    assert created.path == "/webhooks"
    assert created.body == {
        "senderId": "916268662275",
        "webhook": {
            "name": "CRM delivery hook",
            "endpointUrl": "https://crm.example.com/webhooks/whats91",
            "events": ["message.inbound.text", "message.status.delivered"],
        },
    }
    deactivate = update_request("wh_abc", WebhookDraft(status="INACTIVE", retry_enabled=False))
    assert deactivate.path == "/webhooks/wh_abc"
    assert deactivate.body == {"webhook": {"status": "INACTIVE", "retryEnabled": False}}
    clear = update_request("wh_abc", WebhookDraft(clear_verification_token=True))
    assert clear.body == {"webhook": {"clearVerificationToken": True}}
    assert list_request(status="ACTIVE").data_may_be_list
    assert get_request("wh a/b").path == "/webhooks/wh%20a%2Fb"


def test_an_empty_update_and_a_bad_uid_are_refused_before_sending() -> None:
    with pytest.raises(ValidationError, match="at least one field"):
        update_request("wh_abc", WebhookDraft())
    with pytest.raises(ValidationError, match="webhookUid"):
        get_request("  ")


CREATED = {
    "success": True,
    "message": "Webhook created",
    "data": {
        "webhookUid": "wh_abc",
        "uid": "wh_abc",
        "name": "CRM delivery hook",
        "endpointUrl": "https://crm.example.com/webhooks/whats91",
        "phoneNumber": "916268662275",
        "phoneNumberId": "1043189608869917",
        "events": ["message.inbound.text", "message.status.delivered"],
        "status": "ACTIVE",
        "timeoutMs": 5000,
        "retryEnabled": True,
        "retryMaxAttempts": 3,
        "verificationHeaderKey": "X-CRM-Webhook-Token",
        "hasVerificationToken": True,
    },
    "signingSecret": "whsec_created_once_only",
    "metadata": {"apiVersion": "v2", "requestId": "request-uuid"},
}


def test_the_documented_create_answer() -> None:
    created = parse_created(envelope(CREATED))
    assert created.signing_secret == "whsec_created_once_only"
    assert created.webhook.uid == "wh_abc"
    assert created.webhook.retry_max_attempts == 3
    assert created.webhook.has_verification_token
    assert created.request_id == "request-uuid"
    assert "whsec_created_once_only" not in repr(created)
    assert "signingSecret" not in json.dumps(created.webhook.to_json())


def test_the_list_is_a_plain_array_and_items_without_uid_are_skipped() -> None:
    body = {"success": True, "message": "Webhooks retrieved", "data": [CREATED["data"], {"name": "no uid"}]}
    hooks = parse_webhook_list(envelope(body, data_may_be_list=True))
    assert [h.uid for h in hooks] == ["wh_abc"]


def test_get_may_wrap_the_webhook_and_a_shape_without_one_is_a_server_error() -> None:
    wrapped = {"success": True, "data": {"webhook": CREATED["data"]}}
    assert parse_webhook(envelope(wrapped)).name == "CRM delivery hook"
    with pytest.raises(ServerError, match="no webhook"):
        parse_webhook(envelope({"success": True, "data": {"name": "x"}}))


def test_an_unusable_create_answer_never_carries_the_secret_on() -> None:
    body = {"success": True, "data": {"name": "x"}, "signingSecret": "whsec_leak"}
    with pytest.raises(ServerError) as caught:
        parse_created(envelope(body))
    assert caught.value.raw_response is None


def test_the_catalog_sample_and_grouped_shapes() -> None:
    sample = {
        "success": True,
        "data": {
            "groups": [],
            "eventKeys": ["message.inbound.text", "message.status.delivered", "template.status_update"],
        },
    }
    assert parse_catalog(envelope(sample)).event_keys == CATALOG.event_keys
    grouped = {
        "success": True,
        "data": {"groups": [{"label": "Statuses", "events": [{"key": "message.status.read"}]}]},
    }
    catalog = parse_catalog(envelope(grouped))
    assert catalog.event_keys == ("message.status.read",)
    assert catalog.groups[0].label == "Statuses"
    with pytest.raises(ServerError):
        parse_catalog(envelope({"success": True, "data": {}}))


# --------------------------------------------------------------------------- signatures and bodies


def test_the_signature_is_lowercase_hex_hmac_sha256_of_the_raw_body() -> None:
    body = b'{"event":"message.status.delivered"}'
    expected = hmac.new(b"whsec_x", body, hashlib.sha256).hexdigest()
    assert signature_for(body, "whsec_x") == expected
    assert signature_valid(body, "whsec_x", expected)
    assert signature_valid(body, "whsec_x", f" {expected}\t")
    assert not signature_valid(body + b" ", "whsec_x", expected)
    assert not signature_valid(body, "whsec_y", expected)
    assert not signature_valid(body, "whsec_x", None)
    assert not signature_valid(body, "whsec_x", "é" * 64)  # non-ASCII never raises
    assert token_valid("shared", "shared")
    assert not token_valid("shared", "Shared")
    assert not token_valid("shared", None)


@pytest.mark.parametrize("event", SAMPLE_EVENTS)
def test_every_documented_sample_is_read(event: str) -> None:
    delivery = parse_delivery(encode(sample_payload(event)))
    assert delivery.event == event
    assert delivery.problem is None
    assert delivery.kind in ("status", "inbound", "template")


def test_the_failed_sample_has_a_string_code_and_no_time() -> None:
    delivery = parse_delivery(encode(sample_payload("message.status.failed")))
    assert delivery.status == "failed"
    assert delivery.error_code == "131026"
    assert delivery.timestamp is None


@pytest.mark.parametrize(
    ("body", "kind", "problem"),
    [
        (b"not json", "invalid", "not JSON"),
        (b"\xff\xfe", "invalid", "not UTF-8"),
        (b"[1, 2]", "invalid", "not an object"),
        (b'{"data": {}}', "invalid", "names no event"),
        (b'{"event": "contact.deleted"}', "unknown", "unknown event"),
        (b'{"event": "message.status.read", "data": {}}', "status", "no messageId"),
        (b'{"event": "message.inbound.text", "data": {"text": "hi"}}', "inbound", "names no sender"),
    ],
)
def test_unreadable_and_incomplete_bodies_say_why(body: bytes, kind: str, problem: str) -> None:
    delivery = parse_delivery(body)
    assert delivery.kind == kind
    assert problem in (delivery.problem or "")


# --------------------------------------------------------------------------- plain explanations


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (
            ApiError("Webhook endpoint URL is invalid", code="WEBHOOK_ENDPOINT_INVALID", http_status=400),
            "full address",
        ),
        (ApiError("must use HTTPS", code="WEBHOOK_ENDPOINT_REQUIRES_HTTPS", http_status=400), "tunnel"),
        (
            NotFoundError("Webhook not found", code="WEBHOOK_NOT_FOUND", http_status=404),
            "No webhook with that uid",
        ),
        (ApiError("no plan", code="FEATURE_NOT_AVAILABLE", http_status=403), "plan does not include"),
        (
            ApiError("Unsupported webhook event: message.invalid", code="VALIDATION_FAILED", http_status=400),
            "catalog",
        ),
        (ConnectError("refused"), "nothing was changed"),
    ],
)
def test_errors_are_explained_plainly(error: ApiError | ConnectError, words: str) -> None:
    assert words in explain_webhook_error(error)


def test_the_request_id_is_quoted() -> None:
    err = NotFoundError("Webhook not found", code="WEBHOOK_NOT_FOUND", http_status=404, request_id="req-1")
    assert "requestId req-1" in explain_webhook_error(err)


def test_a_created_webhook_without_secret_is_still_a_result() -> None:
    created = CreatedWebhook(parse_webhook(envelope({"success": True, "data": CREATED["data"]})), None)
    assert created.signing_secret is None


# --------------------------------------------------------------------------- where the secrets go


def test_webhook_secrets_sit_beside_the_tokens_without_touching_them(tmp_path: Path) -> None:
    import stat

    from keyring.backends import fail

    store = SecretStore(tmp_path, keyring_backend=fail.Keyring())  # no keychain: the 0600 file
    store.set("Live", "w91_live_token")
    store.set_webhook_secret("wh_abc", "whsec_one")
    store.set_webhook_secret("wh_abc", "shared-token", "verification")
    assert store.get("Live") == "w91_live_token"
    assert store.webhook_secret("wh_abc") == "whsec_one"
    assert store.webhook_secret("wh_abc", "verification") == "shared-token"
    assert store.webhook_secret("wh_other") is None
    assert {"whsec_one", "shared-token"} <= store.known_tokens()
    assert stat.S_IMODE(store.file_path.stat().st_mode) == 0o600
    store.delete_webhook_secret("wh_abc")
    assert store.webhook_secret("wh_abc") is None
    assert store.get("Live") == "w91_live_token"
    with pytest.raises(ConfigError):
        store.set_webhook_secret(" ", "whsec_x")
