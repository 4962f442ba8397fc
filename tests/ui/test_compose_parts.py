"""The compose pane's small parts on their own: field names, problem routing, counters, bubble HTML."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLineEdit, QWidget

from whats91_desktop.core.models import Problem
from whats91_desktop.ui.compose.counters import COUNTER_GREY, COUNTER_RED, CountedLineEdit, CountedTextEdit
from whats91_desktop.ui.compose.media_tab import extensions_for, human_size, type_for_extension
from whats91_desktop.ui.compose.meta_json_tab import example_group, parse_payload
from whats91_desktop.ui.compose.preview import UNFILLED_BACKGROUND, BubblePreview, render_body
from whats91_desktop.ui.compose.problems import ProblemLabel, ProblemRouter, describe_field, parent_paths


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("to", "Recipient"),
        ("text", "Message"),
        ("buttons[1].title", "Button 2 title"),
        ("sections[0].rows[2].description", "Section 1 row 3 description"),
        ("parameters[0]", "Variable {{1}}"),
        ("button_parameters[1]", "Button variable 2"),
        ("media.file", "Media file"),
        ("button_text", "List button text"),
        ("payload.text.body", "JSON text.body"),
        ("payload", "JSON"),
        ("something_new", "Something new"),
    ],
)
def test_describe_field(path, expected):
    assert describe_field(path) == expected


def test_parent_paths_go_from_specific_to_general():
    assert parent_paths("sections[0].rows[2].title") == [
        "sections[0].rows[2].title",
        "sections[0].rows[2]",
        "sections[0].rows",
        "sections[0]",
        "sections",
    ]
    assert parent_paths("to") == ["to"]


def test_router_uses_the_nearest_registered_path_and_a_summary(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    summary, section, row_title = ProblemLabel(host), ProblemLabel(host), ProblemLabel(host)
    focus = QLineEdit(host)
    router = ProblemRouter(summary)
    router.register("sections[0]", section)
    router.register("sections[0].rows[1].title", row_title, focus)

    router.show(
        [
            Problem("sections[0].rows[1].title", "Too long."),
            Problem("sections[0].rows[0].id", "Empty."),
            Problem("sender", "Not a number."),
        ]
    )
    assert row_title.messages() == ["Too long."]
    assert section.messages() == ["Section 1 row 1 ID: Empty."]
    assert summary.messages() == ["Sender: Not a number."]
    assert router.focus_widget(Problem("sections[0].rows[1].title", "x")) is focus

    router.show([])
    assert row_title.messages() == []
    assert section.messages() == []
    assert summary.messages() == []
    assert row_title.isHidden()

    router.unregister_startswith("sections[0].rows")
    router.show([Problem("sections[0].rows[1].title", "Too long.")])
    assert section.messages() == ["Section 1 row 2 title: Too long."]


def test_line_counter_turns_red_past_the_limit(qtbot):
    edit = CountedLineEdit(5)
    qtbot.addWidget(edit)
    edit.setText("12345")
    assert edit.counter.text() == "5/5"
    assert COUNTER_GREY in edit.counter.styleSheet()
    assert edit.accessibleDescription() == "5 of 5 characters"
    edit.setText("123456")
    assert edit.counter.text() == "6/5"
    assert COUNTER_RED in edit.counter.styleSheet()
    assert edit.is_over()
    assert edit.text() == "123456"  # never truncated
    assert "1 over the limit" in edit.accessibleDescription()


def test_text_counter_counts_as_validation_does(qtbot):
    edit = CountedTextEdit(3)
    qtbot.addWidget(edit)
    edit.setPlainText("a\nb")
    assert edit.counter.text() == "3/3"
    assert not edit.is_over()
    edit.setPlainText("😀😀😀😀")
    assert edit.counter.text() == "4/3"
    assert edit.is_over()


def test_render_body_substitutes_escapes_and_highlights():
    html = render_body("Hi {{1}}, invoice {{2}} <b>x</b>", ["A&B", ""])
    assert "Hi A&amp;B, invoice " in html
    assert UNFILLED_BACKGROUND in html
    assert "{{2}}" in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    assert "{{ 1 }}" not in render_body("{{ 1 }}", ["v"])
    assert render_body("{{1}} stays", None) == "{{1}} stays"


def test_render_body_applies_whatsapp_markup():
    assert render_body("*bold* _it_ ~s~", None) == "<b>bold</b> <i>it</i> <s>s</s>"
    assert render_body("snake_case_name and 2*3*4", None) == "snake_case_name and 2*3*4"
    assert render_body("a\nb", None) == "a<br>b"


def test_bubble_shows_only_what_is_given(qtbot):
    bubble = BubblePreview()
    qtbot.addWidget(bubble)
    bubble.set_content(body_html="Hello", header="Title", footer="Foot", buttons=["One", "Two"])
    bubble.show()
    assert bubble.header_label.isVisible()
    assert bubble.footer_label.isVisible()
    assert not bubble.media_label.isVisible()
    bubble.set_content(body_html="Hello", buttons=["One"])
    assert not bubble.header_label.isVisible()
    assert not bubble.footer_label.isVisible()
    assert [b.text() for b in bubble._button_labels if b.isVisible()] == ["One"]


def test_media_extension_helpers():
    assert ".jpg" in extensions_for("image")
    assert ".pdf" not in extensions_for("image")
    assert ".pdf" in extensions_for("document")
    assert type_for_extension(Path("a.MP4")) == "video"
    assert type_for_extension(Path("a.pdf")) == "document"
    assert type_for_extension(Path("a.exe")) is None
    assert human_size(512) == "512 bytes"
    assert human_size(16 * 1024 * 1024) == "16.0 MB"


def test_parse_payload():
    assert parse_payload('{"a": 1}') == ({"a": 1}, [])
    payload, problems = parse_payload("[1]")
    assert payload is None
    assert problems[0].field == "payload"
    payload, problems = parse_payload('{"a": }')
    assert payload is None
    assert "line 1, column 7" in problems[0].message
    assert parse_payload("  ")[0] is None


def test_example_groups():
    assert example_group("Send Reply to Image Message by URL") == "Replies"
    assert example_group("Send Message Template Media") == "Templates"
    assert example_group("Send Image Message by ID") == "Media"
    assert example_group("Send List Message") == "Interactive"
    assert example_group("Send Text Message") == "Text"
