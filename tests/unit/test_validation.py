"""Local validation: each limit on both sides of its edge, with the field path the UI highlights."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.unreadable import make_unreadable
from whats91_desktop.core import validation as v
from whats91_desktop.core.errors import ValidationError
from whats91_desktop.core.models import (
    Button,
    ButtonsMessage,
    ListMessage,
    ListRow,
    ListSection,
    MediaMessage,
    MediaType,
    MetaMessage,
    OutgoingMessage,
    TemplateButton,
    TemplateInfo,
    TemplateMessage,
    TextMessage,
)
from whats91_desktop.core.validation import Checked, check_message, check_template_against

TO = "918888888888"


def problems_at(message: OutgoingMessage, field: str, **kwargs: Any) -> list[str]:
    checked = check_message(message, **kwargs)
    return [p.message for p in checked.problems if p.field == field]


def buttons(n: int = 2, **changes: str) -> tuple[Button, ...]:
    made = [Button(id=f"b{i}", title=f"Option {i}") for i in range(n)]
    return tuple(dataclasses.replace(b, **changes) if i == 0 else b for i, b in enumerate(made))


def rows(n: int, prefix: str = "r") -> tuple[ListRow, ...]:
    return tuple(ListRow(id=f"{prefix}{i}", title=f"Row {i}") for i in range(n))


def a_list(**changes: Any) -> ListMessage:
    message = ListMessage(
        to=TO, text="Pick one", button_text="View", sections=(ListSection("Requests", rows(3)),)
    )
    return dataclasses.replace(message, **changes)


def with_row(row: ListRow) -> ListMessage:
    return a_list(sections=(ListSection("S", (*rows(2), row)),))


# --------------------------------------------------------------------------- length limits

LengthCase = tuple[str, Callable[[int], OutgoingMessage], str, int]

LENGTH_CASES: list[LengthCase] = [
    ("text", lambda n: TextMessage(to=TO, text="x" * n), "text", v.TEXT_MAX),
    (
        "buttons body",
        lambda n: ButtonsMessage(to=TO, text="x" * n, buttons=buttons()),
        "text",
        v.INTERACTIVE_BODY_MAX,
    ),
    (
        "button title",
        lambda n: ButtonsMessage(
            to=TO, text="b", buttons=(Button("a", "A"), Button("b", "t" * n), Button("c", "C"))
        ),
        "buttons[1].title",
        v.BUTTON_TITLE_MAX,
    ),
    (
        "button id",
        lambda n: ButtonsMessage(to=TO, text="b", buttons=buttons(id="i" * n)),
        "buttons[0].id",
        v.BUTTON_ID_MAX,
    ),
    ("list body", lambda n: a_list(text="x" * n), "text", v.LIST_BODY_MAX),
    ("list button text", lambda n: a_list(button_text="x" * n), "button_text", v.LIST_BUTTON_TEXT_MAX),
    ("list header", lambda n: a_list(header_text="x" * n), "header_text", v.HEADER_TEXT_MAX),
    ("list footer", lambda n: a_list(footer_text="x" * n), "footer_text", v.FOOTER_TEXT_MAX),
    (
        "section title",
        lambda n: a_list(sections=(ListSection("s" * n, rows(1)),)),
        "sections[0].title",
        v.SECTION_TITLE_MAX,
    ),
    (
        "row title",
        lambda n: with_row(ListRow("x", "t" * n)),
        "sections[0].rows[2].title",
        v.ROW_TITLE_MAX,
    ),
    (
        "row description",
        lambda n: with_row(ListRow("x", "t", "d" * n)),
        "sections[0].rows[2].description",
        v.ROW_DESCRIPTION_MAX,
    ),
    ("row id", lambda n: with_row(ListRow("i" * n, "t")), "sections[0].rows[2].id", v.ROW_ID_MAX),
    (
        "caption",
        lambda n: MediaMessage(to=TO, media_type="image", url="https://e.com/a.jpg", caption="c" * n),
        "caption",
        v.CAPTION_MAX,
    ),
    (
        "template variable",
        lambda n: TemplateMessage(to=TO, template_name="t", parameters=("p" * n,)),
        "parameters[0]",
        v.TEMPLATE_PARAMETER_MAX,
    ),
    (
        "template button variable",
        lambda n: TemplateMessage(to=TO, template_name="t", button_parameters=("p" * n,)),
        "button_parameters[0]",
        v.TEMPLATE_PARAMETER_MAX,
    ),
    (
        "template name",
        lambda n: TemplateMessage(to=TO, template_name="t" * n),
        "template_name",
        v.TEMPLATE_NAME_MAX,
    ),
    (
        "meta text body",
        lambda n: MetaMessage({"messaging_product": "whatsapp", "to": TO, "text": {"body": "x" * n}}),
        "payload.text.body",
        v.TEXT_MAX,
    ),
    (
        "meta caption",
        lambda n: MetaMessage(
            {"messaging_product": "whatsapp", "to": TO, "image": {"id": "1", "caption": "c" * n}}
        ),
        "payload.image.caption",
        v.CAPTION_MAX,
    ),
    (
        "meta reply title (schema)",
        lambda n: MetaMessage(
            {
                "messaging_product": "whatsapp",
                "to": TO,
                "type": "interactive",
                "interactive": {
                    "type": "button",
                    "body": {"text": "b"},
                    "action": {"buttons": [{"type": "reply", "reply": {"id": "a", "title": "t" * n}}]},
                },
            }
        ),
        "payload.interactive.action.buttons[0].reply.title",
        20,
    ),
]


@pytest.mark.parametrize(("name", "build", "field", "limit"), LENGTH_CASES, ids=[c[0] for c in LENGTH_CASES])
def test_length_limit_edges(
    name: str, build: Callable[[int], OutgoingMessage], field: str, limit: int
) -> None:
    at_limit = check_message(build(limit))
    assert at_limit.ok, at_limit.problems
    over = problems_at(build(limit + 1), field)
    assert len(over) == 1, over
    assert f"{limit + 1} characters; the limit is {limit}" in over[0]


def test_limit_message_names_the_field() -> None:
    message = ButtonsMessage(to=TO, text="b", buttons=(Button("a", "A"), Button("b", "t" * 23)))
    assert problems_at(message, "buttons[1].title") == ["Button title is 23 characters; the limit is 20."]


# --------------------------------------------------------------------------- count limits


@pytest.mark.parametrize(
    ("count", "ok"), [(0, False), (1, True), (v.BUTTONS_MAX, True), (v.BUTTONS_MAX + 1, False)]
)
def test_button_count(count: int, ok: bool) -> None:
    found = problems_at(ButtonsMessage(to=TO, text="b", buttons=buttons(count)), "buttons")
    assert (not found) is ok


@pytest.mark.parametrize(
    ("count", "ok"), [(0, False), (1, True), (v.SECTIONS_MAX, True), (v.SECTIONS_MAX + 1, False)]
)
def test_section_count(count: int, ok: bool) -> None:
    sections = tuple(ListSection(f"S{i}", (ListRow(f"r{i}", "t"),)) for i in range(count))
    found = problems_at(a_list(sections=sections), "sections")
    assert (not found) is ok
    if count > v.SECTIONS_MAX:
        assert f"{count} sections; the limit is {v.SECTIONS_MAX}." in found


@pytest.mark.parametrize(("second", "ok"), [(5, True), (6, False)])
def test_list_rows_count_in_total_across_sections(second: int, ok: bool) -> None:
    message = a_list(sections=(ListSection("A", rows(5, "a")), ListSection("B", rows(second, "b"))))
    found = problems_at(message, "sections")
    assert (not found) is ok
    if not ok:
        assert found == [f"The list has {5 + second} rows; the limit is {v.LIST_ROWS_MAX} in total."]


@pytest.mark.parametrize(("extra_rows", "ok"), [(0, True), (1, False)])
def test_meta_list_rows_in_total(extra_rows: int, ok: bool) -> None:
    def section(title: str, n: int) -> dict[str, Any]:
        return {"title": title, "rows": [{"id": f"{title}{i}", "title": "t"} for i in range(n)]}

    payload = {
        "messaging_product": "whatsapp",
        "to": TO,
        "type": "interactive",
        "interactive": {
            "type": "list",
            "body": {"text": "b"},
            "action": {"button": "Go", "sections": [section("a", 5), section("b", 5 + extra_rows)]},
        },
    }
    found = problems_at(MetaMessage(payload), "payload.interactive.action.sections")
    assert (not found) is ok


@pytest.mark.parametrize(("size", "ok"), [(v.UPLOAD_MAX_BYTES, True), (v.UPLOAD_MAX_BYTES + 1, False)])
def test_upload_size_edge(tmp_path: Path, size: int, ok: bool) -> None:
    path = tmp_path / "big.pdf"
    with path.open("wb") as handle:
        handle.truncate(size)  # sparse: no 16 MB written
    found = problems_at(MediaMessage(to=TO, media_type="document", file_path=path), "media.file")
    assert (not found) is ok
    if not ok:
        assert "the limit is 16 MB" in found[0]


# --------------------------------------------------------------------------- required and unique


@pytest.mark.parametrize(
    ("message", "field", "text"),
    [
        (TextMessage(to="", text="hi"), "to", "Enter the recipient's phone number."),
        (TextMessage(to=TO, text="  "), "text", "Enter the message text."),
        (ButtonsMessage(to=TO, text="", buttons=buttons()), "text", "Enter the body text."),
        (
            ButtonsMessage(to=TO, text="b", buttons=buttons(title=" ")),
            "buttons[0].title",
            "Enter the button title.",
        ),
        (ButtonsMessage(to=TO, text="b", buttons=buttons(id="")), "buttons[0].id", "Enter the button ID."),
        (a_list(button_text=""), "button_text", "Enter the button text."),
        (with_row(ListRow("", "t")), "sections[0].rows[2].id", "Enter the row ID."),
        (with_row(ListRow("x", "")), "sections[0].rows[2].title", "Enter the row title."),
        (
            a_list(sections=(ListSection("A", ()),)),
            "sections[0].rows",
            "Add at least one row to this section.",
        ),
        (TemplateMessage(to=TO, template_name=" "), "template_name", "Enter the template name."),
        (
            TemplateMessage(to=TO, template_name="t", parameters=("a", "")),
            "parameters[1]",
            "Variable {{2}} is empty.",
        ),
    ],
)
def test_required_fields(message: OutgoingMessage, field: str, text: str) -> None:
    assert problems_at(message, field) == [text]


def test_section_titles_required_only_with_several_sections() -> None:
    assert check_message(a_list(sections=(ListSection("", rows(2)),))).ok
    two = a_list(sections=(ListSection("", rows(2, "a")), ListSection("B", rows(2, "b"))))
    assert problems_at(two, "sections[0].title") == [
        "Each section needs a title when the list has more than one section."
    ]


def test_duplicate_ids_and_titles() -> None:
    dup = ButtonsMessage(to=TO, text="b", buttons=(Button("x", "Same"), Button("x", "Same")))
    assert problems_at(dup, "buttons[1].id") == ["Button ID 'x' is used more than once; each must be unique."]
    assert problems_at(dup, "buttons[1].title") == [
        "Button title 'Same' is used more than once; each must be unique."
    ]
    rows_dup = a_list(sections=(ListSection("A", rows(2)), ListSection("B", rows(1))))
    assert problems_at(rows_dup, "sections[1].rows[0].id") == [
        "Row ID 'r0' is used more than once; each must be unique."
    ]


def test_every_problem_is_reported_not_just_the_first() -> None:
    message = ButtonsMessage(to="123", text="", buttons=(Button("", "t" * 30),) * 4, sender_id="abc")
    fields = {p.field for p in check_message(message).problems}
    assert {"to", "sender", "text", "buttons", "buttons[0].id", "buttons[0].title"} <= fields


# --------------------------------------------------------------------------- numbers


def test_numbers_are_normalised_in_the_returned_message() -> None:
    original = TextMessage(to="+91 88888-88888", text="hi", sender_id="(+91) 99999 99999")
    checked = check_message(original)
    assert checked.ok
    assert checked.message == TextMessage(to=TO, text="hi", sender_id="919999999999")
    assert original.to == "+91 88888-88888"


def test_default_region_is_used_for_national_numbers() -> None:
    assert (
        check_message(TextMessage(to="(650) 555-1234", text="hi"), default_region="US").message.to
        == "16505551234"
    )


def test_blank_sender_means_default_sender() -> None:
    assert check_message(TextMessage(to=TO, text="hi", sender_id=" ")).message.sender_id is None


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("to", TextMessage(to="12345", text="hi")),
        ("sender", TextMessage(to=TO, text="hi", sender_id="abc")),
    ],
)
def test_invalid_numbers(field: str, message: TextMessage) -> None:
    assert len(problems_at(message, field)) == 1


# --------------------------------------------------------------------------- media


def media(media_type: MediaType = "image", **kwargs: Any) -> MediaMessage:
    return MediaMessage(to=TO, media_type=media_type, **kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"url": "https://e.com/a.jpg", "media_id": "1"}, {"url": " ", "media_id": ""}],
)
def test_media_needs_exactly_one_source(kwargs: dict[str, Any]) -> None:
    assert problems_at(media(**kwargs), "media") == ["Give exactly one of: URL, media ID, file."]


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://e.com/a.jpg", True),
        ("http://e.com/a.jpg", True),
        ("ftp://e.com/a.jpg", False),
        ("e.com/a.jpg", False),
        ("https://", False),
        ("https:///a.jpg", False),
    ],
)
def test_media_url(url: str, ok: bool) -> None:
    assert (not problems_at(media(url=url), "media.url")) is ok


@pytest.mark.parametrize(
    ("media_type", "name", "ok"),
    [
        ("image", "a.jpg", True),
        ("image", "a.PNG", True),
        ("image", "a.pdf", False),
        ("video", "a.mp4", True),
        ("video", "a.3gpp", True),
        ("video", "a.mp3", False),
        ("audio", "a.mp3", True),
        ("audio", "a.mp4", False),
        ("document", "a.pdf", True),
        ("document", "a.jpg", True),
        ("document", "a.webp", False),
        ("image", "a.webp", False),
        ("document", "noextension", False),
    ],
)
def test_upload_extension_per_media_type(tmp_path: Path, media_type: MediaType, name: str, ok: bool) -> None:
    path = tmp_path / name
    path.write_bytes(b"data")
    assert (not problems_at(media(media_type, file_path=path), "media.file")) is ok


def test_pdf_as_image_names_the_alternatives() -> None:
    found = problems_at(media(file_path=Path("x.pdf")), "media.file", check_files=False)
    assert found == ["A .pdf file cannot be sent as image; use gif, jpeg, jpg or png."]


def test_file_checks_can_be_skipped_but_extensions_cannot(tmp_path: Path) -> None:
    missing = tmp_path / "missing.jpg"
    assert check_message(media(file_path=missing), check_files=False).ok
    assert problems_at(media(file_path=missing), "media.file") == [f"File not found: {missing}"]
    assert problems_at(media(file_path=tmp_path / "x.webp"), "media.file", check_files=False)


def test_empty_file_and_directory(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jpg"
    empty.touch()
    assert problems_at(media(file_path=empty), "media.file") == ["The file is empty."]
    folder = tmp_path / "folder.jpg"
    folder.mkdir()
    assert problems_at(media(file_path=folder), "media.file") == [f"Not a file: {folder}"]


def test_caption_and_filename_rules() -> None:
    assert problems_at(media("audio", url="https://e.com/a.mp3", caption="hi"), "caption") == [
        "Audio messages cannot have a caption."
    ]
    assert check_message(media("audio", url="https://e.com/a.mp3", caption=" ")).ok
    assert problems_at(media("image", url="https://e.com/a.jpg", filename="a.jpg"), "filename")
    assert check_message(media("document", url="https://e.com/a.pdf", filename="a.pdf", caption="c")).ok


# --------------------------------------------------------------------------- templates


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("payment_reminder", True),
        ("hello_world2", True),
        ("Payment", False),
        ("pay-now", False),
        ("a b", False),
    ],
)
def test_template_name_pattern(name: str, ok: bool) -> None:
    assert (not problems_at(TemplateMessage(to=TO, template_name=name), "template_name")) is ok


@pytest.mark.parametrize(
    ("value", "ok"), [("a    b", True), ("a     b", False), ("a\nb", False), ("a\tb", False)]
)
def test_template_variable_whitespace(value: str, ok: bool) -> None:
    message = TemplateMessage(to=TO, template_name="t", parameters=(value,))
    assert (not problems_at(message, "parameters[0]")) is ok


def test_template_media_url_xor_file(tmp_path: Path) -> None:
    file = tmp_path / "a.pdf"
    file.write_bytes(b"%PDF")
    both = TemplateMessage(to=TO, template_name="t", media_url="https://e.com/a.pdf", media_file=file)
    assert problems_at(both, "media") == ["Give a media URL or a file, not both."]
    assert check_message(dataclasses.replace(both, media_url=None)).ok
    assert problems_at(dataclasses.replace(both, media_file=None, media_url="nope"), "media.url")
    assert problems_at(
        dataclasses.replace(both, media_url=None, media_file=tmp_path / "a.webp"), "media.file"
    )


INFO = TemplateInfo(
    name="payment_reminder",
    body_text="Hi {{1}}, invoice {{2}} is due.",
    header_type="IMAGE",
    buttons=(
        TemplateButton("URL", "Pay", "https://e.com/{{1}}", has_variable=True),
        TemplateButton("QUICK_REPLY"),
    ),
)


def template(**changes: Any) -> TemplateMessage:
    base = TemplateMessage(
        to=TO,
        template_name="payment_reminder",
        parameters=("Dev", "INV-1"),
        button_parameters=("pay_1",),
        media_url="https://e.com/a.jpg",
    )
    return dataclasses.replace(base, **changes)


def test_template_against_info_passes_when_it_matches() -> None:
    assert check_template_against(INFO, template()) == []


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        (
            {"parameters": ("Dev",)},
            "parameters",
            "Template 'payment_reminder' has 2 body variables; 1 given.",
        ),
        (
            {"parameters": ("a", "b", "c")},
            "parameters",
            "Template 'payment_reminder' has 2 body variables; 3 given.",
        ),
        (
            {"button_parameters": ()},
            "button_parameters",
            "Template 'payment_reminder' has 1 button variable; none given.",
        ),
        (
            {"media_url": None},
            "media",
            "Template 'payment_reminder' needs a media header (image): give a media URL or a file.",
        ),
        (
            {"media_url": None, "media_file": Path("a.pdf")},
            "media.file",
            "A .pdf file cannot be the image header; use gif, jpeg, jpg or png.",
        ),
    ],
)
def test_template_against_info_problems(changes: dict[str, Any], field: str, text: str) -> None:
    found = check_template_against(INFO, template(**changes))
    assert [(p.field, p.message) for p in found] == [(field, text)]


def test_template_without_media_header_needs_no_media() -> None:
    info = dataclasses.replace(INFO, header_type="TEXT")
    assert check_template_against(info, template(media_url=None)) == []


# --------------------------------------------------------------------------- Meta JSON


def meta(**payload: Any) -> MetaMessage:
    return MetaMessage({"messaging_product": "whatsapp", "to": "+91 88888 88888", **payload})


def test_meta_payload_to_is_normalised() -> None:
    checked = check_message(meta(text={"body": "hi"}))
    assert checked.ok
    assert isinstance(checked.message, MetaMessage)
    assert checked.message.payload["to"] == TO
    assert checked.message.to == TO


def test_meta_group_recipient_is_left_alone() -> None:
    checked = check_message(meta(recipient_type="group", to="group-id-1", text={"body": "hi"}))
    assert checked.ok
    assert checked.message.to == "group-id-1"


@pytest.mark.parametrize(
    ("payload", "field", "text"),
    [
        ({"text": {"body": " "}}, "payload.text.body", "Enter the message text."),
        ({"text": {}}, "payload.text.body", "Enter the message text."),
        (
            {"audio": {"id": "1", "caption": "hi"}},
            "payload.audio.caption",
            "Audio messages cannot have a caption.",
        ),
        (
            {"video": {"id": "1", "filename": "a.mp4"}},
            "payload.video.filename",
            "Only documents have a file name.",
        ),
        (
            {"template": {"name": "Bad-Name", "language": {"code": "en"}}},
            "payload.template.name",
            "Template names use only lowercase letters, digits and underscores.",
        ),
        (
            {
                "type": "interactive",
                "interactive": {
                    "type": "button",
                    "body": {"text": "b"},
                    "action": {
                        "buttons": [
                            {"type": "reply", "reply": {"id": "a", "title": "A"}},
                            {"type": "reply", "reply": {"id": "a", "title": "B"}},
                        ]
                    },
                },
            },
            "payload.interactive.action.buttons[1].reply.id",
            "Button ID 'a' is used more than once; each must be unique.",
        ),
        (
            {
                "type": "interactive",
                "interactive": {
                    "type": "list",
                    "body": {"text": "b"},
                    "action": {
                        "button": "Go",
                        "sections": [
                            {"rows": [{"id": "a", "title": "A"}]},
                            {"title": "B", "rows": [{"id": "b", "title": "B"}]},
                        ],
                    },
                },
            },
            "payload.interactive.action.sections[0].title",
            "Each section needs a title when the list has more than one section.",
        ),
    ],
)
def test_meta_limits_beyond_the_schema(payload: dict[str, Any], field: str, text: str) -> None:
    assert problems_at(meta(**payload), field) == [text]


def test_meta_schema_problems_come_through_prefixed() -> None:
    found = check_message(meta(type="image")).problems
    assert [(p.field, p.message) for p in found] == [("payload.image", "'image' is required.")]


def test_meta_phone_number_id_must_be_digits() -> None:
    message = dataclasses.replace(meta(text={"body": "hi"}), phone_number_id="12ab")
    assert problems_at(message, "phone_number_id") == ["A phone number ID is digits only."]


def test_meta_bad_recipient_reported_once() -> None:
    found = check_message(meta(to="12345", text={"body": "hi"})).problems
    assert [p.field for p in found] == ["payload.to"]


# --------------------------------------------------------------------------- Checked


def test_checked_ok_and_raise_for_problems() -> None:
    good = check_message(TextMessage(to=TO, text="hi"))
    assert isinstance(good, Checked)
    assert good.ok
    assert good.raise_for_problems() is good.message
    bad = check_message(TextMessage(to="", text=""))
    assert not bad.ok
    with pytest.raises(ValidationError) as info:
        bad.raise_for_problems()
    assert info.value.problems == bad.problems
    assert len(bad.problems) == 2


# --------------------------------------------------------------------------- how characters count


def test_text_length_counts_code_points_so_4096_emoji_fit_and_4097_do_not() -> None:
    """Decision: Meta's limit is in characters; we count code points (Python's len), not UTF-16
    units. 😀 is one character here although it is two UTF-16 units."""
    assert v.TEXT_MAX == 4096
    assert problems_at(TextMessage(to=TO, text="😀" * 4096), "text") == []
    assert problems_at(TextMessage(to=TO, text="😀" * 4097), "text") == [
        "Message text is 4097 characters; the limit is 4096."
    ]


# --------------------------------------------------------------------------- text with no UTF-8 form

BAD = "caf\udce9"  # how Python decodes the Latin-1 bytes of "café" from a UTF-8 command line


@pytest.mark.parametrize(
    ("message", "field"),
    [
        (TextMessage(to=TO, text=BAD), "text"),
        (ButtonsMessage(to=TO, text="Pick", buttons=(Button("a", BAD),)), "buttons[0].title"),
        (TemplateMessage(to=TO, template_name="welcome", parameters=("ok", BAD)), "parameters[1]"),
        (TemplateMessage(to=TO, template_name="welcome", media_url=f"https://x.test/{BAD}"), "media.url"),
        (MediaMessage(to=TO, media_type="image", url="https://x.test/a.jpg", caption=BAD), "caption"),
        (
            MetaMessage(
                payload={"messaging_product": "whatsapp", "to": TO, "type": "text", "text": {"body": BAD}}
            ),
            "payload.text.body",
        ),
    ],
    ids=["text", "button", "template-variable", "template-url", "caption", "meta"],
)
def test_text_with_no_utf8_form_is_a_problem_at_its_field(message: OutgoingMessage, field: str) -> None:
    assert problems_at(message, field) == ["Contains characters that are not valid text; retype it."]


def test_a_payload_nested_deeper_than_the_recursion_limit_is_checked_not_a_crash() -> None:
    import sys

    nested: dict[str, Any] = {"x": 1}
    for _ in range(sys.getrecursionlimit() * 2):
        nested = {"a": nested}
    message = MetaMessage(
        {"messaging_product": "whatsapp", "to": TO, "text": {"body": "hi", "extra": nested}}
    )
    assert [p.field for p in check_message(message).problems] == ["payload.text.extra"]


# --------------------------------------------------------------------------- found from the outside

INVISIBLE_ONLY = [
    "\u200b",
    "\u200b\u200c\u200d",
    "\ufeff",
    "\ufeff \u2060\n",
    "\u200e\u200f",
    "\u3164",
    "\u2800\u2800",
    "\u115f\u1160",
]


@pytest.mark.parametrize("text", INVISIBLE_ONLY, ids=[f"U+{ord(t[0]):04X}" for t in INVISIBLE_ONLY])
def test_text_that_shows_nothing_counts_as_empty(text: str) -> None:
    assert v.is_blank(text)
    assert problems_at(TextMessage(to=TO, text=text), "text") == ["Enter the message text."]
    template = TemplateMessage(to=TO, template_name="t", parameters=(text,))
    assert problems_at(template, "parameters[0]") == ["Variable {{1}} is empty."]
    meta = MetaMessage(
        payload={"messaging_product": "whatsapp", "to": TO, "type": "text", "text": {"body": text}}
    )
    assert problems_at(meta, "payload.text.body") == ["Enter the message text."]


@pytest.mark.parametrize("text", ["\u200bhi", "\ufeffx", ".", "\u3164a"])
def test_text_with_something_visible_is_not_blank(text: str) -> None:
    assert not v.is_blank(text)
    assert check_message(TextMessage(to=TO, text=text)).ok


@pytest.mark.parametrize(
    ("message", "field"),
    [
        (TextMessage(to=TO, text="a\x00b"), "text"),
        (
            ButtonsMessage(to=TO, text="pick", buttons=(Button("a\x00", "A"), Button("b", "B"))),
            "buttons[0].id",
        ),
        (TemplateMessage(to=TO, template_name="t", parameters=("x\x00",)), "parameters[0]"),
        (
            MetaMessage(
                payload={"messaging_product": "whatsapp", "to": TO, "type": "text", "text": {"body": "\x00"}}
            ),
            "payload.text.body",
        ),
    ],
    ids=["text", "button-id", "template-variable", "meta-body"],
)
def test_a_nul_anywhere_in_a_message_is_a_problem(message: OutgoingMessage, field: str) -> None:
    found = [p.message for p in check_message(message).problems if p.field.endswith(field)]
    assert any("NUL" in text for text in found), check_message(message).problems


@pytest.mark.parametrize("number", ["-919876543210", "\u2212919876543210", " -91 98765 43210"])
def test_a_number_with_a_minus_sign_in_front_is_refused(number: str) -> None:
    assert problems_at(TextMessage(to=number, text="hi"), "to") == [
        "A phone number cannot start with a minus sign; remove it."
    ]


@pytest.mark.parametrize("url", ["ftp://example.com/a.jpg", "file:///etc/passwd.jpg", "sftp://h/a.png"])
def test_a_media_url_of_another_scheme_names_the_scheme(url: str) -> None:
    scheme = url.split(":", 1)[0]
    assert problems_at(media(url=url), "media.url") == [
        f"Unsupported URL scheme '{scheme}': The media URL must start with http:// or https://."
    ]


def test_template_variable_counts_are_capped() -> None:
    many = TemplateMessage(to=TO, template_name="t", parameters=("x",) * 101, button_parameters=("y",) * 11)
    assert problems_at(many, "parameters") == ["101 values given; no template takes more than 100."]
    assert problems_at(many, "button_parameters") == ["11 values given; no template takes more than 10."]
    assert check_message(dataclasses.replace(many, parameters=("x",) * 100, button_parameters=("y",) * 10)).ok


def test_validate_and_send_share_one_file_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file the upload cannot open is refused by validation too (the FIFO and the dangling
    link are real; so is the mode-000 file, except as root: see ``make_unreadable``)."""
    from whats91_desktop.core.requests import message_request, upload_file

    locked = tmp_path / "locked.jpg"
    locked.write_bytes(b"\xff\xd8 jpeg")
    make_unreadable(locked, monkeypatch)
    dangling = tmp_path / "gone.jpg"
    dangling.symlink_to(tmp_path / "nowhere.jpg")
    cases = {locked: "Cannot read the file: Permission denied", dangling: f"File not found: {dangling}"}
    if hasattr(v.os, "mkfifo"):
        fifo = tmp_path / "pipe.jpg"
        v.os.mkfifo(fifo)
        cases[fifo] = f"Not a file: {fifo}"
    for path, reason in cases.items():
        message = media(file_path=path)
        assert problems_at(message, "media.file") == [reason]
        with pytest.raises(ValidationError) as info:
            upload_file(message_request(message))  # type: ignore[arg-type]
        assert [p.message for p in info.value.problems] == [reason]
