"""Copy as code: the Python and JavaScript programs are well formed, send what the client would
send, and carry the token only when asked (they run for real in ``tests/e2e/test_snippets.py``)."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from whats91_desktop.core.errors import ConfigError, ValidationError
from whats91_desktop.core.models import (
    MediaMessage,
    MetaMessage,
    OutgoingMessage,
    TemplateMessage,
    TextMessage,
)
from whats91_desktop.core.redact import REDACTED
from whats91_desktop.core.requests import message_request
from whats91_desktop.core.snippets import Language, snippet

BASE = "http://127.0.0.1:8091/api/v2"
TOKEN = "w91_live_snippettoken000000000000000"
TEXT = TextMessage(to="918888888888", text="Hello “Asha”\n'quoted' \\ \"double\"", sender_id="919999999999")


def messages(tmp_path: Path) -> list[OutgoingMessage]:
    return [
        TEXT,
        MediaMessage(to="918888888888", media_type="image", file_path=tmp_path / "photo.png", caption="c"),
        TemplateMessage(
            to="918888888888",
            template_name="order_shipped",
            parameters=("A", "B"),
            media_file=tmp_path / "h.jpg",
        ),
        MetaMessage(
            payload={
                "messaging_product": "whatsapp",
                "to": "918888888888",
                "type": "text",
                "text": {"body": "x", "preview_url": False},
                "biz_opaque_callback_data": None,
            }
        ),
    ]


def python_literal_body(code: str) -> object:
    """The ``json=`` argument of the httpx call, evaluated."""
    call = next(
        node
        for node in ast.walk(ast.parse(code))
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "httpx.post"
    )
    keyword = next(k for k in call.keywords if k.arg in ("json", "data"))
    return ast.literal_eval(keyword.value)


def test_python_programs_parse_and_carry_the_exact_body(tmp_path: Path) -> None:
    for message in messages(tmp_path):
        code = snippet(Language.PYTHON, message, base_url=BASE)
        request = message_request(message)
        expected = request.body if hasattr(request, "body") else request.fields  # type: ignore[union-attr]
        assert python_literal_body(code) == dict(expected)
        assert f"{BASE}{request.path}" in code


def test_javascript_programs_carry_the_exact_body() -> None:
    code = snippet(Language.JAVASCRIPT, TEXT, base_url=BASE)
    body = re.search(r"JSON\.stringify\((.*?)\);\n", code, re.S)
    assert body is not None
    assert json.loads(body.group(1)) == message_request(TEXT).body  # type: ignore[union-attr]
    assert code.count("(async () => {") == 1
    assert code.rstrip().endswith("})();")


@pytest.mark.parametrize("language", list(Language))
def test_the_token_is_left_out_unless_asked(language: Language, tmp_path: Path) -> None:
    for message in messages(tmp_path):
        without = snippet(language, message, base_url=BASE)
        assert TOKEN not in without
        assert "WHATS91_TOKEN" in without
        with_token = snippet(language, message, base_url=BASE, token=TOKEN)
        assert f"Bearer {TOKEN}" in with_token
        assert "do not share it" in with_token
        assert "process.env" not in with_token
        assert "os.environ" not in with_token


@pytest.mark.parametrize("language", list(Language))
def test_credentials_in_a_body_are_redacted_too(language: Language) -> None:
    message = MetaMessage(
        payload={"to": "918888888888", "type": "text", "text": {"body": "x"}, "access_token": "s3"}
    )
    assert "s3" not in snippet(language, message, base_url=BASE)
    assert REDACTED in snippet(language, message, base_url=BASE)
    assert "s3" in snippet(language, message, base_url=BASE, token=TOKEN)


@pytest.mark.parametrize("language", list(Language))
def test_an_upload_reads_the_file_when_the_program_runs(language: Language, tmp_path: Path) -> None:
    message = messages(tmp_path)[2]
    code = snippet(language, message, base_url=BASE)
    assert str(tmp_path / "h.jpg") in code
    assert "a file on the computer that made it" in code
    assert "image/jpeg" in code
    if language is Language.JAVASCRIPT:
        assert code.count('body.append("parameters[]"') == 2
        assert "new FormData()" in code
    else:
        assert "with open(" in code
        assert "files={'mediaFile': ('h.jpg', upload, 'image/jpeg')}" in code


def test_meta_with_a_phone_number_id_uses_its_path() -> None:
    message = MetaMessage(
        payload={"to": "918888888888", "type": "text", "text": {"body": "x"}}, phone_number_id="42"
    )
    assert f"'{BASE}/42/messages'" in snippet(Language.PYTHON, message, base_url=BASE)


def test_a_note_and_the_timeout_are_written() -> None:
    code = snippet(Language.JAVASCRIPT, TEXT, base_url=BASE, timeout=12.5, note="Run the sandbox first.")
    assert "// Run the sandbox first." in code
    assert "AbortSignal.timeout(12500)" in code
    assert "timeout=12.5," in snippet(Language.PYTHON, TEXT, base_url=BASE, timeout=12.5)


def test_what_the_client_refuses_is_refused() -> None:
    with pytest.raises(ConfigError):
        snippet(Language.PYTHON, TEXT, base_url="http://example.com/api/v2")
    with pytest.raises(ValidationError):
        snippet(Language.PYTHON, MetaMessage(payload={"to": "1", "x": float("nan")}), base_url=BASE)
