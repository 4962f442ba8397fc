"""Meta's schema as corrected by the errata: every example passes, nonsense fails where it should."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from whats91_desktop.core import meta_schema as ms
from whats91_desktop.core.meta_schema import (
    ERRATA,
    Erratum,
    build_schemas,
    example_with_recipient,
    in_meta_order,
    infer_message_type,
    meta_example_names,
    meta_examples,
    validate_meta_payload,
)
from whats91_desktop.core.models import Problem
from whats91_desktop.core.placeholders import placeholder_problems

TO = "918888888888"
READ_RECEIPT = "Send typing indicator and read receipt"
EXAMPLES = meta_examples()
REPO = Path(__file__).resolve().parents[2]
SPEC = REPO.parent / "shared" / "reference" / "meta-business-messaging-api_v23.0.yaml"


def with_placeholder_replaced(name: str) -> dict[str, Any]:
    """The example as Meta wrote it, only its ``{{…}}`` recipient replaced."""
    example = copy.deepcopy(EXAMPLES[name])
    if isinstance(example.get("to"), str) and re.fullmatch(r"\{\{.*\}\}", example["to"]):
        example["to"] = TO
    return example


def fields(payload: Any, **kwargs: Any) -> list[str]:
    return [p.field for p in validate_meta_payload(payload, **kwargs)]


def beyond_placeholders(payload: Any, **kwargs: Any) -> list[Problem]:
    """The problems a payload has besides the placeholders Meta's examples leave to fill in."""
    found = validate_meta_payload(payload, **kwargs)
    placeholders = placeholder_problems(payload)
    assert found[: len(placeholders)] == placeholders  # placeholders always come first
    return found[len(placeholders) :]


# --------------------------------------------------------------------------- the examples


def test_examples_file_has_the_50_request_examples() -> None:
    assert len(EXAMPLES) == 50
    assert READ_RECEIPT in EXAMPLES
    assert all(isinstance(value, dict) for value in EXAMPLES.values())


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_example_passes_but_for_its_placeholders(name: str) -> None:
    assert beyond_placeholders(with_placeholder_replaced(name)) == []


def test_placeholder_recipient_itself_is_refused() -> None:
    problems = validate_meta_payload(EXAMPLES["Send Text Message"])
    assert [p.field for p in problems] == ["payload.to"]
    assert "{{Recipient-Phone-Number}}" in problems[0].message  # the placeholder, not "too short"


def test_placeholders_block_and_come_first_each_with_its_path() -> None:
    payload = example_with_recipient("Send Reply Button", TO)
    problems = validate_meta_payload(payload)
    assert [p.field for p in problems] == [
        "payload.interactive.body.text",
        "payload.interactive.action.buttons[0].reply.id",
        "payload.interactive.action.buttons[0].reply.title",
        "payload.interactive.action.buttons[1].reply.id",
        "payload.interactive.action.buttons[1].reply.title",
    ]
    assert "<BUTTON_TEXT>" in problems[0].message


def test_a_placeholder_replaces_the_schema_complaint_about_its_field() -> None:
    """``<HEADER_TYPE>`` is no allowed header type either; saying so twice would only confuse."""
    payload = example_with_recipient("Send Multi-Product Message", TO)
    at_header_type = [
        p for p in validate_meta_payload(payload) if p.field == "payload.interactive.header.type"
    ]
    assert len(at_header_type) == 1
    assert "<HEADER_TYPE>" in at_header_type[0].message
    payload["interactive"]["header"]["type"] = "banner"  # filled in, wrongly: now the schema speaks
    banner = [p for p in validate_meta_payload(payload) if p.field == "payload.interactive.header.type"]
    assert len(banner) == 1
    assert "'banner' is not allowed" in banner[0].message
    payload["interactive"]["header"] = {"type": "text", "text": "Our picks"}
    assert "payload.interactive.header.type" not in fields(payload)


def test_read_receipt_is_a_valid_status_request() -> None:
    receipt = EXAMPLES[READ_RECEIPT]
    assert "to" not in receipt
    assert validate_meta_payload(receipt) == []
    without_typing = {k: v for k, v in receipt.items() if k != "typing_indicator"}
    assert validate_meta_payload(without_typing) == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"status": "delivered"}, "payload.status"),
        ({"message_id": ""}, "payload.message_id"),
        ({"to": TO}, "payload.to"),
        ({"typing_indicator": {"type": "audio"}}, "payload.typing_indicator.type"),
        ({"messaging_product": "sms"}, "payload.messaging_product"),
    ],
)
def test_broken_status_requests(change: dict[str, Any], field: str) -> None:
    assert fields({**EXAMPLES[READ_RECEIPT], **change}) == [field]


def test_status_request_needs_message_id() -> None:
    assert fields({"messaging_product": "whatsapp", "status": "read"}) == ["payload.message_id"]


# --------------------------------------------------------------------------- errata


@pytest.mark.parametrize("erratum", [e for e in ERRATA if e.examples], ids=lambda e: e.key)
def test_each_erratum_is_needed_by_exactly_the_examples_it_names(erratum: Erratum) -> None:
    without = build_schemas([e for e in ERRATA if e is not erratum])
    failing = {
        name for name in EXAMPLES if beyond_placeholders(with_placeholder_replaced(name), schemas=without)
    }
    assert failing == set(erratum.examples)


TEXT = {"messaging_product": "whatsapp", "to": TO, "type": "text", "text": {"body": "hi"}}
CAROUSEL = {
    "messaging_product": "whatsapp",
    "to": TO,
    "type": "template",
    "template": {"name": "t", "language": {"code": "en"}, "components": [{"type": "carousel", "cards": []}]},
}


@pytest.mark.parametrize(
    ("key", "payload"),
    [
        ("messaging-product-whatsapp", {**TEXT, "messaging_product": "sms"}),
        ("whats91-sender-id", {**TEXT, "senderId": "919999999999"}),
        ("template-component-types", CAROUSEL),
    ],
)
def test_errata_without_examples_still_change_something(key: str, payload: dict[str, Any]) -> None:
    with_all = validate_meta_payload(payload)
    without = validate_meta_payload(payload, schemas=build_schemas([e for e in ERRATA if e.key != key]))
    assert bool(with_all) != bool(without)


def test_errata_keys_are_unique_and_documented() -> None:
    keys = [e.key for e in ERRATA]
    assert len(keys) == len(set(keys))
    assert all(e.fix for e in ERRATA)
    assert all(name in EXAMPLES for e in ERRATA for name in e.examples)


def test_raw_spec_fails_examples_so_the_errata_are_real() -> None:
    raw = build_schemas([])
    assert validate_meta_payload(with_placeholder_replaced("Send Test Message"), schemas=raw)


# --------------------------------------------------------------------------- broken payloads


def base(**changes: Any) -> dict[str, Any]:
    return {"messaging_product": "whatsapp", "to": TO, **changes}


def reply(i: int, title: str = "OK") -> dict[str, Any]:
    return {"type": "reply", "reply": {"id": f"id{i}", "title": title}}


def interactive(kind: str, action: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return base(
        type="interactive", interactive={"type": kind, "body": {"text": "b"}, "action": action, **extra}
    )


def a_list(*sections: dict[str, Any], button: str = "Go") -> dict[str, Any]:
    return interactive("list", {"button": button, "sections": list(sections)})


def rows(n: int) -> list[dict[str, Any]]:
    return [{"id": f"r{i}", "title": "t"} for i in range(n)]


BROKEN: list[tuple[str, Any, str]] = [
    ("not an object", ["x"], "payload"),
    ("unknown type", base(type="fax", fax={}), "payload.type"),
    ("type without its object", base(type="image"), "payload.image"),
    ("no type and no object", base(), "payload.type"),
    ("two objects, no type", base(text={"body": "x"}, image={"id": "1"}), "payload.type"),
    ("a second object", base(type="text", text={"body": "x"}, image={"id": "1"}), "payload.image"),
    ("missing to", {"messaging_product": "whatsapp", "text": {"body": "x"}}, "payload.to"),
    ("blank to", base(to=" ", text={"body": "x"}), "payload.to"),
    ("bad to", base(to="12345", text={"body": "x"}), "payload.to"),
    ("wrong product", base(messaging_product="sms", text={"body": "x"}), "payload.messaging_product"),
    ("missing product", {"to": TO, "text": {"body": "x"}}, "payload.messaging_product"),
    ("bad recipient_type", base(recipient_type="everyone", text={"body": "x"}), "payload.recipient_type"),
    ("text body not a string", base(text={"body": 5}), "payload.text.body"),
    ("unknown text field", base(text={"body": "x", "bold": True}), "payload.text.bold"),
    ("media without id or link", base(image={}), "payload.image"),
    ("media id not a string", base(image={"id": 5}), "payload.image.id"),
    ("sticker with both", base(sticker={"id": "1", "link": "https://e.com/s.webp"}), "payload.sticker.link"),
    ("reaction extra", base(reaction={"emoji": "x", "message_id": "m", "at": 1}), "payload.reaction.at"),
    ("six contacts", base(contacts=[{}] * 6), "payload.contacts"),
    (
        "contact phone without phone",
        base(contacts=[{"phones": [{"type": "HOME"}]}]),
        "payload.contacts[0].phones[0].phone",
    ),
    ("location name not text", base(location={"name": 5}), "payload.location.name"),
    (
        "four buttons",
        interactive("button", {"buttons": [reply(i) for i in range(4)]}),
        "payload.interactive.action.buttons",
    ),
    ("no buttons", interactive("button", {"buttons": []}), "payload.interactive.action.buttons"),
    (
        "reply title 21",
        interactive("button", {"buttons": [reply(0, "x" * 21)]}),
        "payload.interactive.action.buttons[0].reply.title",
    ),
    (
        "reply without id",
        interactive("button", {"buttons": [{"type": "reply", "reply": {"title": "t"}}]}),
        "payload.interactive.action.buttons[0].reply.id",
    ),
    (
        "button message with a list action",
        interactive("button", {"button": "Go", "sections": [{"rows": rows(1)}]}),
        "payload.interactive.action",
    ),
    (
        "eleven rows in a section",
        a_list({"title": "s", "rows": rows(11)}),
        "payload.interactive.action.sections[0].rows",
    ),
    (
        "eleven sections",
        a_list(*[{"title": "s", "rows": rows(1)}] * 11),
        "payload.interactive.action.sections",
    ),
    (
        "section title 25",
        a_list({"title": "x" * 25, "rows": rows(1)}),
        "payload.interactive.action.sections[0].title",
    ),
    (
        "row description 73",
        a_list({"rows": [{"id": "a", "title": "t", "description": "d" * 73}]}),
        "payload.interactive.action.sections[0].rows[0].description",
    ),
    ("list button 21", a_list({"rows": rows(1)}, button="x" * 21), "payload.interactive.action.button"),
    ("empty action", interactive("list", {}), "payload.interactive.action"),
    ("unknown interactive type", interactive("poll", {"buttons": [reply(0)]}), "payload.interactive.type"),
    (
        "interactive without action",
        base(interactive={"type": "button", "body": {"text": "b"}}),
        "payload.interactive.action",
    ),
    (
        "button without body",
        base(interactive={"type": "button", "action": {"buttons": [reply(0)]}}),
        "payload.interactive.body",
    ),
    (
        "body over 1024",
        base(interactive={"type": "button", "body": {"text": "x" * 1025}, "action": {"buttons": [reply(0)]}}),
        "payload.interactive.body.text",
    ),
    (
        "header text over 60",
        interactive("button", {"buttons": [reply(0)]}, header={"type": "text", "text": "x" * 61}),
        "payload.interactive.header.text",
    ),
    (
        "header type unknown",
        interactive("button", {"buttons": [reply(0)]}, header={"type": "gif"}),
        "payload.interactive.header.type",
    ),
    (
        "flow without parameters",
        interactive("flow", {"name": "flow"}),
        "payload.interactive.action.parameters",
    ),
    (
        "flow with the wrong action name",
        interactive(
            "flow", {"name": "cta_url", "parameters": {"display_text": "Go", "url": "https://e.com"}}
        ),
        "payload.interactive.action.name",
    ),
    (
        "cta display text 21",
        interactive(
            "cta_url", {"name": "cta_url", "parameters": {"display_text": "x" * 21, "url": "https://e.com"}}
        ),
        "payload.interactive.action.parameters.display_text",
    ),
    ("template without name", base(template={"language": {"code": "en"}}), "payload.template.name"),
    ("template without language", base(template={"name": "t"}), "payload.template.language"),
    (
        "template language policy other",
        base(template={"name": "t", "language": {"code": "en", "policy": "fallback"}}),
        "payload.template.language.policy",
    ),
    (
        "template component type unknown",
        base(template={"name": "t", "language": {"code": "en"}, "components": [{"type": "footer"}]}),
        "payload.template.components[0].type",
    ),
    (
        "template text parameter without text",
        base(
            template={
                "name": "t",
                "language": {"code": "en"},
                "components": [{"type": "body", "parameters": [{"type": "text"}]}],
            }
        ),
        "payload.template.components[0].parameters[0].text",
    ),
    (
        "template currency without amount",
        base(
            template={
                "name": "t",
                "language": {"code": "en"},
                "components": [
                    {
                        "type": "body",
                        "parameters": [
                            {"type": "currency", "currency": {"code": "USD", "fallback_value": "$1"}}
                        ],
                    }
                ],
            }
        ),
        "payload.template.components[0].parameters[0].currency.amount_1000",
    ),
    (
        "template button without index",
        base(
            template={
                "name": "t",
                "language": {"code": "en"},
                "components": [
                    {"type": "button", "sub_type": "url", "parameters": [{"type": "text", "text": "x"}]}
                ],
            }
        ),
        "payload.template.components[0].index",
    ),
    (
        "template button sub_type unknown",
        base(
            template={
                "name": "t",
                "language": {"code": "en"},
                "components": [
                    {
                        "type": "button",
                        "sub_type": "teleport",
                        "index": 0,
                        "parameters": [{"type": "payload", "payload": "x"}],
                    }
                ],
            }
        ),
        "payload.template.components[0].sub_type",
    ),
]


@pytest.mark.parametrize(("name", "payload", "field"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_payloads_fail_at_the_right_field(name: str, payload: Any, field: str) -> None:
    assert field in fields(payload)


def test_too_long_title_message_names_the_limit() -> None:
    payload = interactive("button", {"buttons": [reply(0, "x" * 23)]})
    assert [p.message for p in validate_meta_payload(payload)] == ["Title is 23 characters; the limit is 20."]


def test_no_shape_matches_lists_the_shapes() -> None:
    (problem,) = validate_meta_payload(base(image={}))
    assert problem.message == "Image matches none of the allowed shapes: id | link."


def test_group_recipient_is_not_a_phone_number() -> None:
    assert (
        validate_meta_payload(base(recipient_type="group", to="120363043210@g.us", text={"body": "x"})) == []
    )


def test_default_region_applies_to_national_recipients() -> None:
    payload = base(to="(201) 555-0123", text={"body": "x"})
    assert fields(payload, default_region="US") == []
    assert fields(payload, default_region="IN") == ["payload.to"]


@pytest.mark.parametrize(
    ("payload", "kind"),
    [
        ({"type": "image", "text": {}}, "image"),
        ({"text": {"body": "x"}}, "text"),
        ({"interactive": {}}, "interactive"),
        ({"text": {}, "image": {}}, None),
        ({}, None),
    ],
)
def test_infer_message_type(payload: dict[str, Any], kind: str | None) -> None:
    assert infer_message_type(payload) == kind


# --------------------------------------------------------------------------- example helpers


def test_example_with_recipient_replaces_placeholders_and_sample_numbers() -> None:
    assert example_with_recipient("Send Text Message", TO)["to"] == TO
    assert example_with_recipient("Send Catalog Message", TO)["to"] == TO  # was Meta's +16505551234
    assert example_with_recipient(READ_RECEIPT, TO) == EXAMPLES[READ_RECEIPT]
    with pytest.raises(KeyError):
        example_with_recipient("No such example", TO)


def test_examples_keep_metas_key_order() -> None:
    """The spec lists keys alphabetically; Meta's docs (and its schema) put them in this order."""
    assert all(next(iter(example)) == "messaging_product" for example in EXAMPLES.values())
    assert list(EXAMPLES["Send Text Message"]) == [
        "messaging_product",
        "recipient_type",
        "to",
        "type",
        "text",
    ]
    interactive = EXAMPLES["Send List Message"]["interactive"]
    assert list(interactive) == ["type", "header", "body", "footer", "action"]
    assert list(interactive["header"]) == ["type", "text"]
    section = interactive["action"]["sections"][0]
    assert list(section) == ["title", "rows"]
    assert list(section["rows"][0]) == ["id", "title", "description"]
    button = EXAMPLES["Send Catalog Template Message"]["template"]["components"][1]
    assert list(button) == ["type", "sub_type", "index", "parameters"]  # ButtonComponent's own order
    receipt = EXAMPLES[READ_RECEIPT]
    assert list(receipt) == ["messaging_product", "status", "message_id", "typing_indicator"]


def test_ordering_changes_no_value_and_keeps_unknown_keys_last_in_their_order() -> None:
    raw = ms._examples()
    assert all(EXAMPLES[name] == raw[name] for name in raw)  # the same JSON, only reordered
    payload = {"zeta": 1, "text": {"body": "hi"}, "alpha": 2, "to": TO, "messaging_product": "whatsapp"}
    assert list(in_meta_order(payload)) == ["messaging_product", "to", "text", "zeta", "alpha"]
    assert in_meta_order(payload) == payload


def test_example_with_recipient_keeps_the_order() -> None:
    assert list(example_with_recipient("Send Image Message by ID", TO)) == list(
        EXAMPLES["Send Image Message by ID"]
    )
    assert meta_example_names() == list(EXAMPLES)


def test_examples_are_copies() -> None:
    first = meta_examples()
    first["Send Text Message"]["text"]["body"] = "changed"
    example_with_recipient("Send Text Message", TO)["text"]["body"] = "changed too"
    assert meta_examples()["Send Text Message"]["text"]["body"] == "text-message-content"


# --------------------------------------------------------------------------- the data files


def test_schema_file_is_the_closure_of_message() -> None:
    document = json.loads((REPO / "whats91_desktop/core/data/meta_message_schema.json").read_text("utf-8"))
    schemas = document["schemas"]
    assert document["root"] == "Message"
    text = json.dumps(schemas)
    referenced = set(re.findall(r"#/components/schemas/(\w+)", text))
    assert referenced <= set(schemas)
    assert '"example"' not in text


def test_licence_travels_with_the_data() -> None:
    data = REPO / "whats91_desktop/core/data"
    assert "MIT License" in (data / "LICENSE-meta-openapi.txt").read_text("utf-8")
    assert "LICENSE-meta-openapi.txt" in (data / "README.md").read_text("utf-8")


def test_data_files_match_the_spec() -> None:
    """Regenerating from the spec changes nothing (needs PyYAML and shared/, so dev machines only)."""
    yaml = pytest.importorskip("yaml")
    if not SPEC.exists():
        pytest.skip("Meta's spec is not beside the repository")
    import importlib.util

    loader = importlib.util.spec_from_file_location(
        "extract_meta_schema", REPO / "scripts/extract_meta_schema.py"
    )
    assert loader is not None
    assert loader.loader is not None
    script = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(script)
    document, examples = script.extract(yaml.safe_load(SPEC.read_text("utf-8")))
    assert examples == ms._examples()
    assert document["schemas"] == ms._raw_schemas()


def test_data_files_are_read_on_first_use_not_at_import() -> None:
    """Start-up imports this module; the schema is read on the first validation of Meta JSON."""
    code = (
        "import whats91_desktop.core.meta_schema as ms\n"
        "def loaded():\n"
        "    return [f.cache_info().currsize for f in (ms._raw_schemas, ms._default_schemas, ms._examples)]\n"
        "print(loaded())\n"
        "ms.validate_meta_payload({'messaging_product': 'whatsapp', 'to': '918888888888', 'text': {}})\n"
        "print(loaded())\n"
        "ms.meta_example_names()\n"
        "print(loaded())\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    # The example menu reads only the examples' names; ordering them waits for a first insert.
    assert proc.stdout.splitlines() == ["[0, 0, 0]", "[1, 1, 0]", "[1, 1, 1]"]
