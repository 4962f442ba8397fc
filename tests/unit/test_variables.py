"""``{{variables}}``: resolution is exact for every message kind, undefined names are problems on
the field that uses them, and a profile's variables are validated, saved and loaded as settings."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from whats91_desktop.core.errors import ConfigError
from whats91_desktop.core.models import (
    Button,
    ButtonsMessage,
    ListMessage,
    ListRow,
    ListSection,
    MediaMessage,
    MetaMessage,
    OutgoingMessage,
    Profile,
    TemplateMessage,
    TextMessage,
)
from whats91_desktop.core.settings import (
    PROFILE_SPECS,
    Settings,
    SettingsStore,
    validate_profile,
    with_profile,
)
from whats91_desktop.core.validation import check_message
from whats91_desktop.core.variables import check_name, references, resolve_message, resolve_text

VALUES = {"customer": "Asha", "order": "A-1042", "quote": 'say "hi"\n\\ ok'}


def test_resolve_text_replaces_defined_names_and_keeps_the_rest() -> None:
    text = "Hi {{customer}}, order {{ order }} for {{unknown}} ({{1}}, {{Recipient-Phone-Number}})"
    assert resolve_text(text, VALUES) == (
        "Hi Asha, order A-1042 for {{unknown}} ({{1}}, {{Recipient-Phone-Number}})"
    )


def test_a_value_is_inserted_as_it_is_never_resolved_again() -> None:
    assert resolve_text("{{a}}", {"a": "{{b}}", "b": "never"}) == "{{b}}"


def test_references_are_listed_once_in_order() -> None:
    assert references("{{b}} {{a}} {{ b }} {{1}} {{a-b}}") == ["b", "a"]


@pytest.mark.parametrize(
    ("name", "ok"),
    [("customer", True), ("_x1", True), ("1st", False), ("a-b", False), ("", False), ("x" * 65, False)],
)
def test_check_name(name: str, ok: bool) -> None:
    assert (check_name(name) is None) is ok


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            TextMessage(to="918888888888", text="Hi {{customer}}"),
            TextMessage(to="918888888888", text="Hi Asha"),
        ),
        (
            MediaMessage(
                to="918888888888",
                media_type="document",
                url="https://example.com/{{order}}.pdf",
                caption="For {{customer}}",
                filename="{{order}}.pdf",
            ),
            MediaMessage(
                to="918888888888",
                media_type="document",
                url="https://example.com/A-1042.pdf",
                caption="For Asha",
                filename="A-1042.pdf",
            ),
        ),
        (
            ButtonsMessage(to="918888888888", text="{{customer}}?", buttons=(Button("b_{{order}}", "Yes"),)),
            ButtonsMessage(to="918888888888", text="Asha?", buttons=(Button("b_A-1042", "Yes"),)),
        ),
        (
            ListMessage(
                to="918888888888",
                text="Pick",
                button_text="Choose",
                sections=(ListSection("For {{customer}}", (ListRow("r1", "{{order}}", "{{quote}}"),)),),
            ),
            ListMessage(
                to="918888888888",
                text="Pick",
                button_text="Choose",
                sections=(ListSection("For Asha", (ListRow("r1", "A-1042", VALUES["quote"]),)),),
            ),
        ),
        (
            TemplateMessage(
                to="918888888888", template_name="payment_reminder", parameters=("{{customer}}", "5")
            ),
            TemplateMessage(to="918888888888", template_name="payment_reminder", parameters=("Asha", "5")),
        ),
        (
            MetaMessage(
                payload={"to": "918888888888", "text": {"body": "{{quote}} {{customer}}"}, "n": [1, True]}
            ),
            MetaMessage(
                payload={"to": "918888888888", "text": {"body": f"{VALUES['quote']} Asha"}, "n": [1, True]}
            ),
        ),
    ],
    ids=["text", "media", "buttons", "list", "template", "meta"],
)
def test_every_kind_resolves_exactly(message: OutgoingMessage, expected: OutgoingMessage) -> None:
    resolved = resolve_message(message, VALUES)
    assert resolved.message == expected
    assert resolved.problems == ()
    assert resolved.used


def test_a_message_without_references_is_returned_as_it_is() -> None:
    message = TextMessage(to="918888888888", text="plain {{1}}")
    resolved = resolve_message(message, VALUES)
    assert resolved.message is message
    assert resolved.used == ()


def test_the_recipient_and_a_file_path_resolve_too(tmp_path: Path) -> None:
    message = MediaMessage(to="{{phone}}", media_type="image", file_path=tmp_path / "{{order}}.jpg")
    resolved = resolve_message(message, {"phone": "+91 88888 88888", "order": "A1"})
    assert resolved.message == replace(message, to="+91 88888 88888", file_path=tmp_path / "A1.jpg")


def test_undefined_names_are_problems_on_the_fields_that_use_them() -> None:
    message = MediaMessage(
        to="918888888888",
        media_type="image",
        url="https://x.test/{{img}}",
        caption="{{a}} {{b}} {{customer}}",
    )
    resolved = resolve_message(message, VALUES)
    assert [p.field for p in resolved.problems] == ["media.url", "caption"]
    assert resolved.problems[0].message.startswith("{{img}} is not defined for this profile")
    assert resolved.problems[1].message.startswith("{{a}}, {{b}} are not defined")
    assert resolved.message.caption == "{{a}} {{b}} Asha"  # the defined one is still put in


def test_meta_problem_paths_name_the_key() -> None:
    payload = {"to": "918888888888", "interactive": {"action": {"buttons": [{"reply": {"title": "{{x}}"}}]}}}
    resolved = resolve_message(MetaMessage(payload=payload), {})
    assert [p.field for p in resolved.problems] == ["payload.interactive.action.buttons[0].reply.title"]


def test_a_deeply_nested_payload_does_not_hit_the_recursion_limit() -> None:
    payload: dict[str, object] = {"leaf": "{{customer}}"}
    for _ in range(5000):
        payload = {"n": payload}
    found = resolve_message(MetaMessage(payload=payload), {})
    assert len(found.problems) == 1
    assert found.problems[0].field.endswith(".n.leaf")
    # Too deep for JSON itself (so never sendable): a problem, not a crash.
    defined = resolve_message(MetaMessage(payload=payload), {"customer": "Asha"})
    assert [p.field for p in defined.problems] == ["payload"]


def test_limits_apply_to_the_resolved_text() -> None:
    message = TextMessage(to="918888888888", text="{{long}}")
    resolved = resolve_message(message, {"long": "x" * 5000})
    assert [p.field for p in check_message(resolved.message).problems] == ["text"]


# --------------------------------------------------------------------------- as a profile setting


def test_variables_are_declared_in_the_profile_table() -> None:
    spec = PROFILE_SPECS["variables"]
    assert spec.default == ()
    assert Profile("x").variables == ()


@pytest.mark.parametrize(
    ("variables", "problem"),
    [
        ((("customer", "Asha"), ("order", "")), None),
        ((("1x", "v"),), "letters, digits and _ only"),
        ((("a", "1"), ("a", "2")), "a is defined twice"),
        ((("token", "w91_live_abcdefghijklmnop"),), "tokens belong in the keychain"),
        ((("a", "x" * 5000),), "at most 4096 characters"),
        ((("a",),), "a name and a text value"),
    ],
)
def test_variables_are_validated(variables: tuple[tuple[str, ...], ...], problem: str | None) -> None:
    problems = validate_profile(Profile("P", variables=variables))  # type: ignore[arg-type]
    if problem is None:
        assert problems == ()
    else:
        assert [p.field for p in problems] == ["variables"]
        assert problem in problems[0].message


def test_variables_are_saved_as_an_object_and_loaded_in_order(tmp_path: Path) -> None:
    store = SettingsStore(tmp_path / "settings.json")
    profile = Profile("P", variables=(("order", "A-1"), ("customer", "Asha")))
    store.save(with_profile(Settings(), profile))
    raw = json.loads((tmp_path / "settings.json").read_text())
    assert raw["profiles"][0]["variables"] == {"order": "A-1", "customer": "Asha"}
    loaded = store.load()
    assert store.notice is None
    assert loaded.profiles[0].variables == (("order", "A-1"), ("customer", "Asha"))


def test_a_token_written_into_a_variable_by_hand_is_dropped_on_load(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    profile = {"name": "P", "variables": {"customer": "Asha", "oops": "w91_live_abcdefghijklmnopqrst"}}
    path.write_text(json.dumps({"version": 1, "profiles": [profile]}))
    store = SettingsStore(path)
    loaded = store.load()
    assert loaded.profiles[0].variables == (("customer", "Asha"),)
    assert "w91_live_" not in path.read_text()


def test_a_profile_with_variables_refuses_a_token_value() -> None:
    with pytest.raises(ConfigError, match="tokens belong in the keychain"):
        with_profile(Settings(), Profile("P", variables=(("t", "w91_live_abcdefghijklmnop"),)))


def test_variables_are_not_part_of_a_connections_identity() -> None:
    """The client pool rebuilds a client when its profile changes; a variable must not."""
    assert Profile("P", variables=(("a", "1"),)) == Profile("P", variables=(("a", "2"),))
