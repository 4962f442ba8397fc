from __future__ import annotations

import hashlib
import os

import httpx
import pytest

from whats91_desktop.sandbox.parsing import (
    BodyError,
    is_json,
    is_multipart,
    parse_json_object,
    parse_multipart,
    unflatten,
)


def _multipart(data: dict[str, object], files: dict[str, tuple[str, bytes, str]]) -> tuple[str, bytes]:
    request = httpx.Request("POST", "http://x/", data=data, files=files)
    return request.headers["content-type"], request.read()


def test_unflatten_brackets_and_repeats() -> None:
    pairs = [
        ("parameters[]", "Devendar"),
        ("parameters[]", "INV-1001"),
        ("buttons[0][id]", "a"),
        ("buttons[0][title]", "A"),
        ("buttons[1][id]", "b"),
        ("plain", "1"),
        ("plain", "2"),
        ("single", "x"),
    ]
    assert unflatten(pairs) == {
        "parameters": ["Devendar", "INV-1001"],
        "buttons": [{"id": "a", "title": "A"}, {"id": "b"}],
        "plain": ["1", "2"],
        "single": "x",
    }


def test_multipart_keeps_binary_files_exactly_and_decodes_json_fields() -> None:
    blob = os.urandom(4096) + b"\r\n--\r\n\r" + os.urandom(100)
    content_type, body = _multipart(
        {"to": "918888888888", "parameters[]": ["a", "ünï"], "buttons": '[{"id": "x", "title": "X"}]'},
        {"mediaFile": ("receipt.pdf", blob, "application/pdf")},
    )
    fields, files = parse_multipart(content_type, body)
    assert fields == {
        "to": "918888888888",
        "parameters": ["a", "ünï"],
        "buttons": [{"id": "x", "title": "X"}],
    }
    part = files["mediaFile"]
    assert (part.filename, part.content_type, part.size) == ("receipt.pdf", "application/pdf", len(blob))
    assert part.data == blob
    assert part.sha256 == hashlib.sha256(blob).hexdigest()
    assert part.extension == "pdf"


def test_body_errors() -> None:
    with pytest.raises(BodyError):
        parse_json_object(b"{not json")
    with pytest.raises(BodyError):
        parse_json_object(b"[1, 2]")
    with pytest.raises(BodyError):
        parse_multipart("multipart/form-data", b"whatever")


def test_content_type_detection() -> None:
    assert is_json("application/json; charset=utf-8")
    assert is_json("application/vnd.api+json")
    assert not is_json("text/plain")
    assert is_multipart("multipart/form-data; boundary=abc")
    assert not is_multipart(None)


def test_deeply_nested_json_is_a_body_error_not_a_crash() -> None:
    with pytest.raises(BodyError, match="nested too deeply"):
        parse_json_object(b'{"a":' + b"[" * 100_000 + b"]" * 100_000 + b"}")


def test_deeply_nested_json_in_a_multipart_field_stays_text() -> None:
    nested = "[" * 100_000 + "]" * 100_000
    content_type, body = _multipart(
        {"parameters": nested}, {"mediaFile": ("a.pdf", b"%PDF", "application/pdf")}
    )
    fields, _ = parse_multipart(content_type, body)
    assert fields["parameters"] == nested
