"""The compose pane's small parts on their own: field names, problem routing, counters, bubble HTML."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLineEdit, QWidget

from whats91_desktop.core.models import Problem, TemplateButton, TemplateInfo
from whats91_desktop.ui.compose.counters import CountedLineEdit, CountedTextEdit
from whats91_desktop.ui.compose.media_tab import extensions_for, human_size, type_for_extension
from whats91_desktop.ui.compose.meta_json_tab import example_group, parse_payload
from whats91_desktop.ui.compose.preview import BubblePreview, render_body
from whats91_desktop.ui.compose.problems import (
    ProblemLabel,
    ProblemRouter,
    describe_field,
    parent_paths,
)
from whats91_desktop.ui.compose.send_status import send_status
from whats91_desktop.ui.compose.template_tab import completed_url, shares_code
from whats91_desktop.ui.elided_label import ElidedLabel
from whats91_desktop.ui.palette import colour


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
    summary, section, row_title = ProblemLabel(host, reserve=False), ProblemLabel(host), ProblemLabel(host)
    focus = QLineEdit(host)
    router = ProblemRouter(summary)
    router.register("sections[0]", section)
    router.register("sections[0].rows[1].title", row_title, focus)

    router.show(
        [
            Problem("sections[0].rows[1].title", "Too long."),
            Problem("sections[0].rows[0].id", "Empty."),
            Problem("sender", "Not a number."),
        ],
        reveal=True,  # as after a send attempt: every problem, edited field or not
    )
    assert row_title.messages() == ["Too long."]
    assert section.messages() == ["Section 1 row 1 ID: Empty."]
    assert summary.messages() == ["Sender: Not a number."]
    assert router.focus_widget(Problem("sections[0].rows[1].title", "x")) is focus

    router.show([])
    assert row_title.messages() == []
    assert section.messages() == []
    assert summary.messages() == []
    assert not row_title.isHidden()  # its line stays reserved: nothing below it moves
    assert summary.isHidden()  # a summary at the foot of a tab takes no room while quiet

    router.unregister_startswith("sections[0].rows")
    router.show([Problem("sections[0].rows[1].title", "Too long.")], reveal=True)
    assert section.messages() == ["Section 1 row 2 title: Too long."]


def test_line_counter_turns_red_past_the_limit(qtbot):
    edit = CountedLineEdit(5)
    qtbot.addWidget(edit)
    edit.setText("12345")
    assert edit.counter.text() == "5/5"
    assert colour("hint") in edit.counter.styleSheet()
    assert edit.accessibleDescription() == "5 of 5 characters"
    edit.setText("123456")
    assert edit.counter.text() == "6/5"
    assert colour("problem") in edit.counter.styleSheet()
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
    assert colour("unfilled") in html
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


# --------------------------------------------------------------------------- lines that keep their place


def test_elided_label_keeps_its_height_and_the_whole_text(qtbot):
    label = ElidedLabel(lines=2)
    qtbot.addWidget(label)
    label.resize(200, label.height())
    height = label.height()
    label.set_full_text("")
    assert label.height() == height  # reserved while empty
    long = "word " * 60
    label.set_full_text(long)
    assert label.height() == height  # never grows
    lines = label.displayed_lines()
    assert len(lines) == 2
    assert lines[-1].endswith("…")
    assert label.is_elided()
    assert label.text() == long  # the whole text stays: tooltip, accessibility, tests
    assert label.toolTip() == long
    assert label.minimumSizeHint().width() == 0  # a long text never widens its layout
    label.set_full_text("short")
    assert label.displayed_lines() == ["short"]
    assert not label.is_elided()


def test_a_problem_label_wraps_each_problem_onto_its_own_line(qtbot):
    label = ProblemLabel(lines=3)
    qtbot.addWidget(label)
    label.resize(600, label.height())
    label.set_messages(["One.", "Two.", "Three.", "Four."])
    assert label.messages() == ["One.", "Two.", "Three.", "Four."]
    assert label.displayed_lines()[:2] == ["One.", "Two."]
    assert label.displayed_lines()[2].startswith("Three.")
    assert label.toolTip() == "One.\nTwo.\nThree.\nFour."
    assert label.palette().color(label.foregroundRole()).name() == colour("problem")


def test_router_shows_only_what_the_user_edited_until_revealed(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    summary, title_label, rows_label = (
        ProblemLabel(host, reserve=False),
        ProblemLabel(host),
        ProblemLabel(host),
    )
    title, description = QLineEdit(host), QLineEdit(host)
    router = ProblemRouter(summary)
    router.register("title", title_label, title)
    router.register("description", title_label, description)
    router.register("rows", rows_label, None)  # no text field of its own
    problems = [Problem("title", "Empty."), Problem("rows", "Add a row."), Problem("sender", "Bad.")]

    assert router.show(problems) == []
    assert title_label.messages() == []
    description.setText("typed")  # a neighbour: the tab is edited, the title is not
    assert router.show(problems) == [Problem("rows", "Add a row."), Problem("sender", "Bad.")]
    assert rows_label.messages() == ["Add a row."]
    assert summary.messages() == ["Sender: Bad."]
    title.setText("x")
    title.setText("")  # typed and deleted: edited all the same
    assert Problem("title", "Empty.") in router.show(problems)
    assert title_label.messages() == ["Empty."]

    router.forget_edits()  # after a send: the emptied form is quiet again
    assert router.show(problems) == []
    assert router.show(problems, reveal=True) == problems


# --------------------------------------------------------------------------- the line beside Send


def test_send_status_before_anything_is_touched_says_what_is_left():
    status = send_status([], [Problem("to", "Enter a number."), Problem("text", "Empty.")], has_message=True)
    assert status.line == "To send, fill in: Recipient, Message"
    assert not status.is_problem


def test_send_status_lists_the_problems_shown():
    one = send_status([Problem("to", "Too short.")], [], has_message=True)
    assert one.line == "Recipient: Too short."
    assert one.is_problem
    two = send_status([Problem("to", "Too short."), Problem("text", "Empty.")], [], has_message=True)
    assert two.line == "2 problems: Recipient: Too short. · Message: Empty."
    assert two.reason == "Fix before sending:\n• Recipient: Too short.\n• Message: Empty."


def test_send_status_with_nothing_to_send():
    assert send_status([], [], has_message=False).line == "Nothing to send yet."
    assert send_status([], [], has_message=True).line == ""


# --------------------------------------------------------------------------- template helpers


def test_completed_url_fills_the_variable_or_keeps_it_visible():
    assert completed_url("https://example.com/pay/{{1}}", "INV-1") == "https://example.com/pay/INV-1"
    assert completed_url("https://example.com/pay/{{1}}", "  ") == "https://example.com/pay/{{1}}"
    assert completed_url("https://example.com/{{ 1 }}/x", "a") == "https://example.com/a/x"


@pytest.mark.parametrize(
    ("category", "kind", "body", "shared"),
    [
        ("AUTHENTICATION", "COPY_CODE", "{{1}} is your code", True),
        ("authentication", "OTP", "{{1}} is your code", True),
        ("MARKETING", "COPY_CODE", "Use {{1}} today", False),  # a coupon: its own value
        ("AUTHENTICATION", "URL", "{{1}} is your code", False),
        ("AUTHENTICATION", "COPY_CODE", "Your code is below", False),
    ],
)
def test_only_an_authentication_code_is_shared(category, kind, body, shared):
    info = TemplateInfo(name="t", category=category, body_text=body)
    assert shares_code(info, TemplateButton(kind, "Copy code", has_variable=True)) is shared
