from __future__ import annotations

import asyncio
import json
import logging
import shlex
from pathlib import Path

import httpx
import pytest

from whats91_desktop.core.client import Whats91Client
from whats91_desktop.core.errors import ConfigError, ConnectError, OutcomeUnknown
from whats91_desktop.core.models import MediaMessage, TemplateMessage, TextMessage
from whats91_desktop.core.redact import (
    FILE_PATHS_EXTENSION,
    REDACTED,
    RedactingFilter,
    curl_command,
    format_request,
    redact_headers,
    redact_json_body,
    redact_json_strings,
    redact_text,
    redact_url,
    split_multipart,
)

TOKEN = "w91_live_Zq8SECRETsecret0123456789abcdefXY"
BASE = "https://sandbox.whats91.invalid/api/v2"


def json_request(body: object, **headers: str) -> httpx.Request:
    return httpx.Request(
        "POST",
        BASE + "/chat",
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json", **headers},
        content=json.dumps(body).encode(),
    )


# --------------------------------------------------------------------------- headers and bodies


def test_redact_headers_keeps_the_scheme_and_order() -> None:
    headers = httpx.Headers(
        [
            ("Authorization", f"Bearer {TOKEN}"),
            ("X-Api-Key", TOKEN),
            ("Cookie", "session=abc"),
            ("Cookie", "other=def"),
            ("Accept", "application/json"),
        ]
    )
    assert redact_headers(headers) == [
        ("authorization", f"Bearer {REDACTED}"),
        ("x-api-key", REDACTED),
        ("cookie", REDACTED),
        ("cookie", REDACTED),
        ("accept", "application/json"),
    ]


def test_redact_headers_accepts_mappings_and_pairs() -> None:
    assert redact_headers({"Authorization": TOKEN}) == [("Authorization", REDACTED)]
    assert redact_headers([("proxy-authorization", "Basic abc")]) == [
        ("proxy-authorization", "Basic [REDACTED]")
    ]


def test_redact_json_body_at_any_depth_without_touching_the_input() -> None:
    original = {
        "authToken": TOKEN,
        "nested": {"auth_token": TOKEN, "list": [{"token": TOKEN, "keep": "x"}]},
        "TOKEN": TOKEN,
        "text": "hello",
    }
    redacted = redact_json_body(original)
    assert redacted == {
        "authToken": REDACTED,
        "nested": {"auth_token": REDACTED, "list": [{"token": REDACTED, "keep": "x"}]},
        "TOKEN": REDACTED,
        "text": "hello",
    }
    assert original["authToken"] == TOKEN


def test_redact_url() -> None:
    url = f"{BASE}/templates?senderId=9199&authToken={TOKEN}&token=x"
    assert redact_url(url) == f"{BASE}/templates?senderId=9199&authToken=[REDACTED]&token=[REDACTED]"
    assert redact_url("https://user:pw@example.test/") == "https://user:[REDACTED]@example.test/"
    assert redact_url(BASE + "/chat") == BASE + "/chat"


@pytest.mark.parametrize(
    "text",
    [
        f"Authorization: Bearer {TOKEN}",
        f"sent with bearer {TOKEN}",
        f"token {TOKEN} leaked",
        f"GET /templates?auth_token={TOKEN}&x=1",
        f'{{"authToken": "{TOKEN}"}}',
        f"curl -H 'X-Api-Key: {TOKEN}'",
    ],
)
def test_redact_text_scrubs_credential_shapes_without_being_told_the_secret(text: str) -> None:
    assert TOKEN not in redact_text(text)


def test_redact_text_scrubs_given_secrets_and_their_url_encoding() -> None:
    secret = "p@ss word/+"
    text = f"a {secret} b {httpx.QueryParams({'x': secret})}"
    out = redact_text(text, [secret, ""])
    assert secret not in out
    assert "p%40ss" not in out
    assert out == f"a {REDACTED} b x={REDACTED}"


def test_redact_text_leaves_ordinary_text_alone() -> None:
    text = "Template w91_1780300000000_ab12cd34 sent to 918888888888, status accepted"
    assert redact_text(text) == text


# --------------------------------------------------------------------------- format_request


def test_format_request_json() -> None:
    out = format_request(json_request({"to": "918888888888", "text": "hi", "authToken": TOKEN}))
    assert TOKEN not in out
    assert out.splitlines()[0] == f"POST {BASE}/chat"
    assert f"Authorization: Bearer {REDACTED}" in out
    assert '"to": "918888888888"' in out
    assert f'"authToken": "{REDACTED}"' in out


def test_format_request_summarises_files(tmp_path: Path) -> None:
    request = httpx.Request(
        "POST",
        BASE + "/chat",
        headers={"Authorization": f"Bearer {TOKEN}"},
        data={"to": "918888888888", "type": "image", "token": TOKEN},
        files={"mediaFile": ("photo.jpg", b"\xff\xd8" + b"x" * 12343, "image/jpeg")},
    )
    out = format_request(request)
    assert TOKEN not in out
    assert "mediaFile: <file photo.jpg, 12345 bytes, image/jpeg>" in out
    assert "to: 918888888888" in out
    assert f"token: {REDACTED}" in out
    assert "xxxxxxxx" not in out


def test_format_request_get_with_query_token() -> None:
    request = httpx.Request("GET", f"{BASE}/billing/wallet", params={"authToken": TOKEN})
    out = format_request(request)
    assert TOKEN not in out
    assert out == f"GET {BASE}/billing/wallet?authToken={REDACTED}\nHost: sandbox.whats91.invalid"


def test_format_request_binary_and_text_bodies() -> None:
    binary = httpx.Request(
        "POST", BASE, content=b"\x00\x01", headers={"content-type": "application/octet-stream"}
    )
    assert format_request(binary).endswith("<2 bytes of application/octet-stream>")
    text = httpx.Request(
        "POST", BASE, content=f"Bearer {TOKEN}".encode(), headers={"content-type": "text/plain"}
    )
    assert TOKEN not in format_request(text)


def test_split_multipart_round_trip() -> None:
    request = httpx.Request(
        "POST", BASE, data={"a": "1", "p[]": ["x", "y"]}, files={"f": ("n.pdf", b"%PDF", "application/pdf")}
    )
    parts = split_multipart(request.read(), request.headers["content-type"])
    assert parts is not None
    assert [(p.name, p.value, p.filename) for p in parts] == [
        ("a", b"1", None),
        ("p[]", b"x", None),
        ("p[]", b"y", None),
        ("f", b"%PDF", "n.pdf"),
    ]
    assert split_multipart(b"garbage", "multipart/form-data") is None


# --------------------------------------------------------------------------- curl


def test_curl_redacted_uses_an_env_var_placeholder() -> None:
    command = curl_command(json_request({"to": "918888888888", "text": "it's"}))
    assert TOKEN not in command
    assert '"Authorization: Bearer ${WHATS91_TOKEN}"' in command
    words = shlex.split(command.replace("\\\n", " "))
    assert words[:4] == ["curl", "-X", "POST", BASE + "/chat"]
    assert json.loads(words[words.index("--data-raw") + 1]) == {"to": "918888888888", "text": "it's"}
    assert "Content-Type: application/json" in words


def test_curl_with_token_when_asked() -> None:
    command = curl_command(json_request({"to": "1"}), include_token=True)
    assert f"Authorization: Bearer {TOKEN}" in shlex.split(command.replace("\\\n", " "))


def test_curl_with_explicit_token_and_no_header() -> None:
    request = httpx.Request("GET", BASE + "/billing/wallet")
    assert TOKEN in curl_command(request, include_token=True, token=TOKEN)
    assert TOKEN not in curl_command(request, token=TOKEN)


def test_curl_redacts_body_tokens() -> None:
    command = curl_command(json_request({"to": "1", "authToken": TOKEN}))
    assert TOKEN not in command
    assert REDACTED in command


def test_curl_multipart_with_known_path(tmp_path: Path) -> None:
    photo = tmp_path / "my photo.jpg"
    request = httpx.Request(
        "POST",
        BASE + "/chat",
        headers={"Authorization": f"Bearer {TOKEN}"},
        data={"to": "918888888888", "caption": "@not-a-file; really"},
        files={"mediaFile": ("my photo.jpg", b"abc", "image/jpeg")},
        extensions={FILE_PATHS_EXTENSION: {"mediaFile": str(photo)}},
    )
    command = curl_command(request)
    words = shlex.split(command.replace("\\\n", " "))
    assert TOKEN not in command
    at = words.index("to=918888888888")
    assert words[at - 1] == "-F"
    assert "--form-string" in words
    assert "caption=@not-a-file; really" in words
    assert f"mediaFile=@{photo};type=image/jpeg" in words
    assert not any(w.lower().startswith("content-type") for w in words)


def test_curl_multipart_without_path_uses_a_placeholder() -> None:
    request = httpx.Request(
        "POST", BASE + "/send", files={"mediaFile": ("r.pdf", b"%PDF", "application/pdf")}
    )
    assert "mediaFile=@/path/to/r.pdf;type=application/pdf" in curl_command(request)


# --------------------------------------------------------------------------- client, errors and logs


def test_client_repr_and_results_never_show_the_token(tmp_path: Path) -> None:
    photo = tmp_path / "p.jpg"
    photo.write_bytes(b"123")

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            400, json={"success": False, "message": f"bad token {TOKEN}", "error_code": "INVALID_AUTH_TOKEN"}
        )

    async def run() -> list[str]:
        async with Whats91Client(BASE, TOKEN, transport=httpx.MockTransport(handler)) as client:
            outputs = [repr(client), str(client)]
            for message in (
                TextMessage(to="918888888888", text="hi"),
                MediaMessage(to="918888888888", media_type="image", file_path=photo),
                TemplateMessage(to="918888888888", template_name="t", media_file=photo),
            ):
                result = await client.send(message)
                outputs += [
                    repr(result),
                    json.dumps(result.to_json()),
                    result.raw_request,
                    result.raw_response or "",
                ]
                outputs.append(curl_command(client.build_request(message)))
            return outputs

    for text in asyncio.run(run()):
        assert TOKEN not in text


@pytest.mark.parametrize(
    "exc",
    [httpx.ConnectError(f"refused {TOKEN}"), httpx.ReadTimeout(f"timeout Bearer {TOKEN}")],
)
def test_exceptions_from_reads_never_show_the_token(exc: Exception) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    async def noop(_: float) -> None:
        return None

    async def run() -> str:
        client = Whats91Client(BASE, TOKEN, transport=httpx.MockTransport(handler), sleep=noop)
        try:
            await client.fetch_wallet()
        except (ConnectError, OutcomeUnknown) as err:
            return f"{err!s} {err!r}"
        finally:
            await client.aclose()
        raise AssertionError("no error raised")

    text = asyncio.run(run())
    assert TOKEN not in text
    assert text


def test_config_errors_never_show_the_token() -> None:
    with pytest.raises(ConfigError) as info:
        Whats91Client(BASE, TOKEN + " extra")
    assert TOKEN not in str(info.value)
    with pytest.raises(ConfigError) as info:
        Whats91Client("http://example.test", TOKEN)
    assert TOKEN not in str(info.value)


def test_redacting_filter_scrubs_messages_args_and_tracebacks() -> None:
    records: list[str] = []

    class Sink(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(self.format(record))

    handler = Sink()
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.addFilter(RedactingFilter(lambda: ["custom-secret-value"]))
    logger = logging.getLogger("test_redact.filter")
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    try:
        logger.info("header %s", f"Bearer {TOKEN}")
        logger.info("raw %s and %r", TOKEN, {"k": "custom-secret-value"})
        logger.info("bad format %s %s", "only one")
        try:
            raise ValueError(f"failed with {TOKEN}")
        except ValueError:
            logger.exception("boom")
    finally:
        logger.removeHandler(handler)
    joined = "\n".join(records)
    assert len(records) == 4
    assert TOKEN not in joined
    assert "custom-secret-value" not in joined
    assert "ValueError" in joined


def test_client_logs_never_show_the_token(caplog: pytest.LogCaptureFixture) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"success": True, "data": {"messageId": "wamid.1", "status": "sent"}})

    async def run() -> None:
        async with Whats91Client(BASE, TOKEN, transport=httpx.MockTransport(handler)) as client:
            await client.send(TextMessage(to="918888888888", text="hi"))
            await client.fetch_wallet()

    with caplog.at_level(logging.DEBUG):
        asyncio.run(run())
    assert caplog.records
    assert TOKEN not in caplog.text


# --------------------------------------------------------------------------- hostile secrets

OPAQUE = 'Opaque+Tok/en.*?[x]"y\\z=='
"""A token in no known shape (the format is undocumented), full of regex and JSON metacharacters."""


@pytest.mark.parametrize(
    "echo",
    [
        OPAQUE,
        json.dumps({"message": f"bad token {OPAQUE}"}),
        str(httpx.QueryParams({"q": OPAQUE})),
        __import__("base64").b64encode(OPAQUE.encode()).decode(),
        __import__("base64").urlsafe_b64encode(OPAQUE.encode()).decode().rstrip("="),
    ],
    ids=["verbatim", "json-escaped", "url-encoded", "base64", "base64url-unpadded"],
)
def test_redact_text_scrubs_a_known_secret_in_every_encoding_a_server_may_echo(echo: str) -> None:
    out = redact_text(f"server said: {echo} (end)", [OPAQUE])
    assert REDACTED in out
    for form in (OPAQUE, json.dumps(OPAQUE)[1:-1], "T3BhcXVlK1Rvay9lbi4q"):
        assert form not in out


@pytest.mark.parametrize(
    "text",
    [
        "accessToken=s3cr3tvalue&x=1",
        "signingSecret=s3cr3tvalue",
        '{"x-webhook-secret": "s3cr3tvalue"}',
        '{"Authorization": "Basic s3cr3tvalue"}',
        "X-Webhook-Secret: s3cr3tvalue",
        "PROXY-AUTHORIZATION: s3cr3tvalue",
    ],
)
def test_every_sensitive_name_is_scrubbed_in_every_shape(text: str) -> None:
    assert "s3cr3tvalue" not in redact_text(text)


def test_a_failing_secrets_provider_withholds_the_record_instead_of_raising_or_leaking() -> None:
    def broken() -> list[str]:
        raise RuntimeError("keychain locked")

    records: list[str] = []

    class Sink(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(self.format(record))

    handler = Sink()
    handler.addFilter(RedactingFilter(broken))
    logger = logging.getLogger("test_redact.broken_provider")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        try:
            raise ValueError(OPAQUE)
        except ValueError:
            logger.exception("token %s", OPAQUE)
    finally:
        logger.removeHandler(handler)
    assert len(records) == 1
    assert OPAQUE not in records[0]
    assert "withheld" in records[0]
    assert "RuntimeError" in records[0]


SLASHED_TOKEN = "opaque/tok+en/x=="


@pytest.mark.parametrize(
    "form",
    [
        SLASHED_TOKEN,
        "opaque%2Ftok%2Ben%2Fx%3D%3D",  # quote(safe="")
        "opaque/tok%2Ben/x%3D%3D",  # quote(): "/" left as it is
        "opaque\\/tok+en\\/x==",  # JSON with "/" escaped, as PHP writes it
    ],
)
def test_every_encoding_of_a_known_token_is_scrubbed(form: str) -> None:
    assert redact_text(f"id-{form}-end", (SLASHED_TOKEN,)) == f"id-{REDACTED}-end"


def test_redact_json_strings_scrubs_values_and_keys_at_any_depth_without_recursing() -> None:
    deep: list[object] = []
    node = deep
    for _ in range(5000):  # deeper than Python's recursion limit
        child: list[object] = []
        node.append(child)
        node = child
    node.append(f"wamid.{TOKEN}")
    value = {"a": [1, None, True, {TOKEN: "x", "b": f"Bearer {TOKEN}"}], "deep": deep}
    scrubbed = redact_json_strings(value, (TOKEN,))
    assert TOKEN not in json.dumps(scrubbed["a"])
    assert scrubbed["a"][:3] == [1, None, True]
    assert list(scrubbed["a"][3]) == [REDACTED, "b"]
    node = scrubbed["deep"]
    for _ in range(5000):
        node = node[0]
    assert node == [f"wamid.{REDACTED}"]
    assert value["a"][3][TOKEN] == "x"  # a copy: the original is untouched
