"""Placeholders left from Meta's examples are found, with their paths, and block a send — in the CLI too."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from whats91_desktop.cli import main
from whats91_desktop.core.meta_schema import example_with_recipient, meta_example
from whats91_desktop.core.placeholders import Placeholder, find_placeholders, placeholder_problems

TO = "918888888888"


def tokens(value: Any) -> list[str]:
    return [found.token for found in find_placeholders(value)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<BUTTON_TEXT>", ["<BUTTON_TEXT>"]),
        ("<UNIQUE_BUTTON_ID_1>", ["<UNIQUE_BUTTON_ID_1>"]),
        ("<DOCUMENT-CAPTION-TEXT>", ["<DOCUMENT-CAPTION-TEXT>"]),
        ("<SKU>", ["<SKU>"]),  # one word, but the whole value
        ("  <SKU>  ", ["<SKU>"]),
        ("Hi <CUSTOMER_NAME>, order <ORDER_ID> has shipped", ["<CUSTOMER_NAME>", "<ORDER_ID>"]),
        ("<http(s)://audio-url>", ["<http(s)://audio-url>"]),
        ("{{Recipient-Phone-Number}}", ["{{Recipient-Phone-Number}}"]),
        ("{{Recipient-WA-Phone-Number}}", ["{{Recipient-WA-Phone-Number}}"]),
        ("flow {{Flow-ID}} here", ["{{Flow-ID}}"]),
    ],
)
def test_finds_each_form_meta_uses(text: str, expected: list[str]) -> None:
    assert tokens({"text": text}) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Press <ENTER> to continue",  # a one-word token inside a sentence is ordinary text
        "Hello {{1}}",  # a template variable
        "Dear {{customer}}",  # an integrator's own variable
        "<b>bold</b> and <i>",
        "a < b > c",
        "https://example.com/pay/INV-1",
        "<lowercase_thing>",
        "",
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert tokens({"text": text}) == []


def test_paths_follow_objects_lists_and_keys() -> None:
    payload = {
        "interactive": {
            "action": {
                "buttons": [{"reply": {"id": "ok"}}, {"reply": {"id": "<UNIQUE_BUTTON_ID_2>"}}],
                "parameters": {"data": {"<CUSTOM_KEY>": "<CUSTOM_VALUE>"}},
            }
        }
    }
    assert list(find_placeholders(payload)) == [
        Placeholder("payload.interactive.action.buttons[1].reply.id", "<UNIQUE_BUTTON_ID_2>"),
        Placeholder("payload.interactive.action.parameters.data.<CUSTOM_KEY>", "<CUSTOM_KEY>", in_key=True),
        Placeholder("payload.interactive.action.parameters.data.<CUSTOM_KEY>", "<CUSTOM_VALUE>"),
    ]


def test_a_payload_deeper_than_the_recursion_limit_is_walked_not_a_crash() -> None:
    depth = sys.getrecursionlimit() * 2
    nested: dict[str, Any] = {"x": "<DEEP_VALUE>"}
    for _ in range(depth):
        nested = {"a": nested}
    (found,) = find_placeholders(nested)
    assert found.token == "<DEEP_VALUE>"
    assert found.path == "payload" + ".a" * depth + ".x"


def test_numbers_booleans_and_nulls_are_never_placeholders() -> None:
    assert tokens({"a": 1, "b": True, "c": None, "d": [2.5]}) == []


def test_each_problem_names_its_token_and_says_what_to_do() -> None:
    problems = placeholder_problems({"body": "<BODY_TEXT>", "data": {"<CUSTOM_KEY>": "x"}})
    assert [p.field for p in problems] == ["payload.body", "payload.data.<CUSTOM_KEY>"]
    assert problems[0].message.startswith("Replace <BODY_TEXT>")
    assert problems[1].message.startswith("Rename the key <CUSTOM_KEY>")
    assert all("placeholder" in p.message for p in problems)


def test_the_reply_button_example_has_its_five_placeholders() -> None:
    found = {p.path: p.token for p in find_placeholders(example_with_recipient("Send Reply Button", TO))}
    assert found == {
        "payload.interactive.body.text": "<BUTTON_TEXT>",
        "payload.interactive.action.buttons[0].reply.id": "<UNIQUE_BUTTON_ID_1>",
        "payload.interactive.action.buttons[0].reply.title": "<BUTTON_TITLE_1>",
        "payload.interactive.action.buttons[1].reply.id": "<UNIQUE_BUTTON_ID_2>",
        "payload.interactive.action.buttons[1].reply.title": "<BUTTON_TITLE_2>",
    }


def test_an_example_with_nothing_to_fill_in_has_none() -> None:
    assert list(find_placeholders(example_with_recipient("Send Text Message", TO))) == []
    assert tokens(meta_example("Send Text Message")) == ["{{Recipient-Phone-Number}}"]


# --------------------------------------------------------------------------- the CLI shares the check


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def reply_button_json(tmp_path: Path) -> Path:
    path = tmp_path / "reply-button.json"
    path.write_text(json.dumps(example_with_recipient("Send Reply Button", TO)), encoding="utf-8")
    return path


def test_cli_validate_refuses_placeholders_with_their_paths(reply_button_json: Path) -> None:
    code, out, _err = cli("validate", "--to", TO, "--meta-json", str(reply_button_json), "--json")
    assert code == 2
    data = json.loads(out)
    assert data["outcome"] == "invalid"
    fields = [p["field"] for p in data["problems"]]
    assert "payload.interactive.body.text" in fields
    assert "payload.interactive.action.buttons[1].reply.title" in fields
    assert any("<BUTTON_TEXT>" in p["message"] for p in data["problems"])


def test_cli_validate_says_the_paths_in_plain_text_too(reply_button_json: Path) -> None:
    code, out, err = cli("validate", "--to", TO, "--meta-json", str(reply_button_json))
    assert code == 2
    assert "payload.interactive.action.buttons[0].reply.id" in out + err
    assert "<UNIQUE_BUTTON_ID_1>" in out + err


def test_cli_send_refuses_them_before_any_request(
    reply_button_json: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WHATS91_TOKEN", "w91_live_0123456789abcdef0123456789abcdef")
    # Nothing listens on port 9: had the CLI sent anything, this would be a connection failure.
    code, out, _err = cli(
        "send",
        "--base-url",
        "http://127.0.0.1:9/api/v2",
        "--to",
        TO,
        "--meta-json",
        str(reply_button_json),
        "--json",
    )
    assert code == 2
    assert json.loads(out)["outcome"] == "invalid"
