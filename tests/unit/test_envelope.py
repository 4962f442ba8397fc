from __future__ import annotations

import json
from typing import Any

import pytest

from whats91_desktop.core.envelope import html_to_text, parse_response
from whats91_desktop.core.errors import (
    ApiError,
    AuthError,
    ForbiddenError,
    NotFoundError,
    RateLimitError,
    ServerError,
)

JSON = {"content-type": "application/json"}


def body(obj: Any) -> bytes:
    return json.dumps(obj).encode()


def error_of(status: int, payload: bytes | str, headers: dict[str, str] | None = None) -> ApiError:
    with pytest.raises(ApiError) as info:
        parse_response(status, headers if headers is not None else JSON, payload)
    return info.value


# --------------------------------------------------------------------------- successes

QUICKSTART_SUCCESS = {
    "success": True,
    "message": "Message accepted by Meta",
    "data": {
        "messageId": "wamid.xxxxx",
        "message_id": "wamid.xxxxx",
        "queued": False,
        "status": "accepted",
        "senderId": "919999999999",
        "phoneNumberId": "1234567890",
        "receiverId": "918888888888",
        "messageType": "text",
        "templateName": None,
        "apiResponse": {},
    },
    "metadata": {"apiVersion": "v2", "requestId": "request-uuid", "processingTimeMs": 120},
}


def test_native_success_reads_every_receipt_field() -> None:
    env = parse_response(200, JSON, body(QUICKSTART_SUCCESS))
    assert env.shape == "native"
    assert env.message_id == "wamid.xxxxx"
    assert env.status == "accepted"
    assert env.queued is False
    assert env.sender_id == "919999999999"
    assert env.phone_number_id == "1234567890"
    assert env.request_id == "request-uuid"
    assert env.message == "Message accepted by Meta"
    assert env.data["receiverId"] == "918888888888"


def test_native_success_with_only_the_snake_case_id() -> None:
    env = parse_response(
        200, JSON, body({"success": True, "data": {"message_id": "wamid.B", "status": "sent"}})
    )
    assert env.message_id == "wamid.B"
    assert env.status == "sent"
    assert env.request_id is None


def test_queued_success() -> None:
    payload = {
        "success": True,
        "message": "Message queued until WhatsApp reconnects",
        "data": {
            "messageId": None,
            "message_id": None,
            "queued": True,
            "queueUid": "queue-uid",
            "reportUid": "report-uid",
            "status": "waiting_reconnect",
            "senderId": "919999999999",
        },
        "metadata": {"apiVersion": "v2", "requestId": "rq-1"},
    }
    env = parse_response(202, JSON, body(payload))
    assert env.queued is True
    assert env.message_id is None
    assert env.queue_uid == "queue-uid"
    assert env.report_uid == "report-uid"
    assert env.status == "waiting_reconnect"


def test_waiting_reconnect_status_alone_means_queued() -> None:
    env = parse_response(200, JSON, body({"success": True, "data": {"status": "waiting_reconnect"}}))
    assert env.queued is True


def test_queued_must_be_a_real_true() -> None:
    env = parse_response(200, JSON, body({"success": True, "data": {"queued": "false", "status": "sent"}}))
    assert env.queued is False


def test_meta_success() -> None:
    payload = {
        "messaging_product": "whatsapp",
        "contacts": [{"input": "918888888888", "wa_id": "918888888888"}],
        "messages": [{"id": "wamid.META"}],
        "metadata": {"apiVersion": "v2", "requestId": "meta-req"},
    }
    env = parse_response(200, JSON, body(payload))
    assert env.shape == "meta"
    assert env.message_id == "wamid.META"
    assert env.wa_id == "918888888888"
    assert env.request_id == "meta-req"
    assert env.data == {}


def test_request_id_falls_back_to_headers() -> None:
    env = parse_response(200, {"X-Request-Id": "hdr-1"}, body({"success": True, "data": {}}))
    assert env.request_id == "hdr-1"
    env = parse_response(200, {"X-Whats91-Request-Id": "hdr-2"}, body({"success": True}))
    assert env.request_id == "hdr-2"


def test_body_request_id_wins_over_header() -> None:
    payload = {"success": True, "metadata": {"requestId": "body-id"}}
    assert parse_response(200, {"X-Request-Id": "hdr"}, body(payload)).request_id == "body-id"


def test_str_body_is_accepted() -> None:
    assert parse_response(200, JSON, json.dumps({"success": True})).shape == "native"


def test_data_list_only_when_allowed() -> None:
    payload = body({"success": True, "data": [{"templateName": "a"}]})
    env = parse_response(200, JSON, payload, data_may_be_list=True)
    assert env.data_list == ({"templateName": "a"},)
    err = error_of(200, payload)
    assert isinstance(err, ServerError)
    assert "`data` is an array" in err.message


# --------------------------------------------------------------------------- the three error envelopes


def test_shape_1_error_code() -> None:
    payload = {
        "success": False,
        "message": "Message not found",
        "error_code": "MESSAGE_NOT_FOUND",
        "metadata": {"apiVersion": "v2", "requestId": "req-1"},
    }
    err = error_of(404, body(payload))
    assert type(err) is NotFoundError
    assert err.code == "MESSAGE_NOT_FOUND"
    assert err.message == "Message not found"
    assert err.request_id == "req-1"
    assert err.http_status == 404
    assert err.raw_response == body(payload).decode()


def test_shape_2_nested_error_prefers_top_level_message_and_adds_details() -> None:
    payload = {
        "success": False,
        "message": "Validation failed",
        "error": {
            "code": "VALIDATION_FAILED",
            "message": "bad pagination",
            "details": [{"field": "limit", "message": "limit must be between 1 and 200"}],
        },
        "metadata": {"requestId": "req-2"},
    }
    err = error_of(400, body(payload))
    assert type(err) is ApiError
    assert err.code == "VALIDATION_FAILED"
    assert err.message == "Validation failed (limit: limit must be between 1 and 200)"
    assert err.request_id == "req-2"


def test_shape_2_without_top_level_message() -> None:
    payload = {"success": False, "error": {"code": "CHATBOT_NOT_FOUND", "message": "Chatbot not found"}}
    err = error_of(404, body(payload))
    assert (err.code, err.message) == ("CHATBOT_NOT_FOUND", "Chatbot not found")


def test_shape_3_meta_error() -> None:
    payload = {
        "error": {
            "message": "Missing required parameter: to",
            "type": "Whats91PublicApiException",
            "code": "MISSING_TO",
        },
        "metadata": {"apiVersion": "v2", "requestId": "req-3"},
    }
    err = error_of(400, body(payload))
    assert (err.code, err.message, err.request_id) == (
        "MISSING_TO",
        "Missing required parameter: to",
        "req-3",
    )


def test_numeric_meta_code_becomes_a_string() -> None:
    err = error_of(400, body({"error": {"message": "Invalid parameter", "code": 100}}))
    assert err.code == "100"


def test_success_false_with_http_200_is_an_error() -> None:
    payload = {
        "success": False,
        "message": "Recipient blacklisted",
        "error_code": "SANDBOX_RECIPIENT_BLACKLISTED",
    }
    err = error_of(200, body(payload))
    assert type(err) is ApiError
    assert err.http_status == 200
    assert err.code == "SANDBOX_RECIPIENT_BLACKLISTED"


def test_success_false_auth_code_with_200_is_an_auth_error() -> None:
    err = error_of(200, body({"success": False, "message": "bad token", "error_code": "INVALID_AUTH_TOKEN"}))
    assert isinstance(err, AuthError)


def test_success_must_be_the_boolean_true() -> None:
    err = error_of(200, body({"success": "true", "data": {"messageId": "wamid.X"}}))
    assert 'success: "true"' in err.message


def test_word_success_in_an_error_message_is_not_success() -> None:
    payload = {"success": False, "message": "success: true was expected but not found", "error_code": "X"}
    assert error_of(200, body(payload)).code == "X"


def test_meta_error_object_with_http_200_is_an_error() -> None:
    err = error_of(200, body({"error": {"message": "nope", "code": "MISSING_TO"}}))
    assert err.code == "MISSING_TO"


def test_error_without_any_message_gets_the_status_text() -> None:
    err = error_of(400, body({"success": False}))
    assert err.message == "HTTP 400 Bad Request"


def test_error_as_plain_string() -> None:
    assert error_of(500, body({"error": "upstream exploded"})).message == "upstream exploded"


# --------------------------------------------------------------------------- status -> class


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, ApiError),
        (401, AuthError),
        (403, ForbiddenError),
        (404, NotFoundError),
        (409, ApiError),
        (415, ApiError),
        (429, RateLimitError),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
    ],
)
def test_status_maps_to_error_class(status: int, cls: type[ApiError]) -> None:
    err = error_of(status, body({"success": False, "message": "x", "error_code": "SOMETHING"}))
    assert type(err) is cls


def test_status_class_wins_over_body_code() -> None:
    err = error_of(500, body({"success": False, "message": "x", "error_code": "INVALID_AUTH_TOKEN"}))
    assert type(err) is ServerError


def test_forbidden_code_on_400_is_forbidden() -> None:
    err = error_of(400, body({"success": False, "message": "x", "error_code": "SENDER_NOT_ALLOWED"}))
    assert type(err) is ForbiddenError


def test_429_carries_retry_after() -> None:
    err = error_of(429, body({"success": False, "message": "slow down"}), {**JSON, "Retry-After": "2"})
    assert isinstance(err, RateLimitError)
    assert err.retry_after == 2.0


def test_429_without_retry_after() -> None:
    err = error_of(429, body({"success": False, "message": "slow down"}))
    assert isinstance(err, RateLimitError)
    assert err.retry_after is None


def test_503_with_retry_after_is_a_rate_limit() -> None:
    err = error_of(503, "", {"Retry-After": "1"})
    assert isinstance(err, RateLimitError)
    assert err.retry_after == 1.0


# --------------------------------------------------------------------------- not the API's JSON

HTML_502 = """<!DOCTYPE html><html><head><title>502 Bad Gateway</title>
<style>body { color: red }</style><script>var x = "<b>";</script></head>
<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx &amp; friends</center></body></html>"""


def test_html_502_gives_a_readable_message() -> None:
    err = error_of(502, HTML_502.encode(), {"content-type": "text/html; charset=utf-8"})
    assert isinstance(err, ServerError)
    assert err.message == (
        "HTTP 502 with a non-JSON body (text/html): 502 Bad Gateway 502 Bad Gateway nginx & friends"
    )
    assert err.raw_response == HTML_502


def test_non_json_snippet_is_limited_to_200_chars() -> None:
    err = error_of(500, ("<p>" + "word " * 200 + "</p>").encode(), {"content-type": "text/html"})
    snippet = err.message.split(": ", 1)[1]
    assert len(snippet) <= 200
    assert snippet.endswith("…")


def test_non_json_without_content_type() -> None:
    err = error_of(500, b"Internal error", {})
    assert err.message == "HTTP 500 with a non-JSON body (no content type): Internal error"


@pytest.mark.parametrize("payload", [b"", b"   \n", ""])
def test_empty_body(payload: bytes | str) -> None:
    err = error_of(401, payload)
    assert isinstance(err, AuthError)
    assert err.message == "HTTP 401 with an empty body"


def test_empty_body_with_200_is_a_server_error() -> None:
    err = error_of(200, b"")
    assert isinstance(err, ServerError)
    assert err.http_status == 200


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        (b"[1, 2]", "an array"),
        (b'"ok"', "a string"),
        (b"42", "a number"),
        (b"null", "null"),
        (b"true", "a boolean"),
    ],
)
@pytest.mark.parametrize("status", [200, 400])
def test_json_of_the_wrong_shape(payload: bytes, words: str, status: int) -> None:
    err = error_of(status, payload)
    assert f"unexpected shape ({words}, expected an object)" in err.message
    assert err.http_status == status


@pytest.mark.parametrize("data", ["a string", 5, True])
def test_data_not_an_object(data: Any) -> None:
    err = error_of(200, body({"success": True, "data": data}))
    assert isinstance(err, ServerError)
    assert "`data` is" in err.message


def test_2xx_object_without_any_known_shape() -> None:
    err = error_of(200, body({"hello": "world"}))
    assert isinstance(err, ServerError)
    assert "does not document" in err.message


def test_truncated_json() -> None:
    err = error_of(200, b'{"success": true, "data": {"messageId": "wam')
    assert isinstance(err, ServerError)
    assert "non-JSON" in err.message


def test_invalid_utf8_does_not_escape() -> None:
    err = error_of(500, b"\xff\xfe\xfd garbage")
    assert "non-JSON" in err.message


def test_deeply_nested_json_does_not_escape() -> None:
    err = error_of(200, b"[" * 100_000 + b"]" * 100_000)
    assert isinstance(err, ServerError)


def test_redirect_is_explained() -> None:
    err = error_of(301, b"", {"location": "https://graph.whats91.com/api/v2/chat"})
    assert type(err) is ApiError
    assert err.message == (
        "HTTP 301 redirect to https://graph.whats91.com/api/v2/chat"
        " (redirects are not followed; check the base URL)"
    )
    err = error_of(302, body({}), {"location": "https://elsewhere.test/"})
    assert "redirect to https://elsewhere.test/" in err.message
    err = error_of(307, b"<html>Moved</html>", {"content-type": "text/html"})
    assert err.message == "HTTP 307 redirect (redirects are not followed; check the base URL)"
    err = error_of(302, body({"success": False, "message": "moved", "error_code": "MOVED"}))
    assert err.message == "HTTP 302 redirect (redirects are not followed; check the base URL): moved"
    assert err.code == "MOVED"


def test_weird_field_types_do_not_escape() -> None:
    payload = {
        "success": False,
        "message": ["not", "a", "string"],
        "error_code": {"nested": True},
        "error": {"details": "not a list", "message": 7},
        "metadata": "nope",
    }
    err = error_of(400, body(payload))
    assert err.code is None
    assert err.message == "7"
    assert err.request_id is None


def test_html_to_text() -> None:
    assert html_to_text("<p>a&nbsp;<b>b</b></p><!-- c -->") == "a b"


@pytest.mark.parametrize("flag", ["true", 1, None, "yes"])
def test_a_2xx_success_flag_that_is_not_a_boolean_is_unreadable_not_a_refusal(flag: object) -> None:
    err = error_of(200, body({"success": flag, "message": "Message accepted", "data": {"messageId": "w"}}))
    assert isinstance(err, ServerError)
    assert f"success: {json.dumps(flag)}" in err.message


def test_success_false_with_2xx_stays_a_plain_refusal() -> None:
    err = error_of(200, body({"success": False, "message": "nope", "error_code": "X"}))
    assert type(err) is ApiError
    assert err.message == "nope"
