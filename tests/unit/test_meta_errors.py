from __future__ import annotations

import pytest

from whats91_desktop.core.meta_errors import hint_for, known_codes


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (131026, ("not on WhatsApp", "terms")),
        ("131047", ("24 hours", "template")),
        ("131049", ("engagement", "retry")),
        ("131053", ("public", "type")),
        ("132000", ("parameter", "placeholders")),
        ("130429", ("Throughput", "Slow down")),
        ("131056", ("same person",)),
        ("131057", ("maintenance",)),
        ("131051", ("not supported",)),
        ("132001", ("language",)),
        ("131031", ("locked",)),
        ("368", ("policy",)),
        ("190", ("token",)),
        (401, ("token",)),
    ],
)
def test_common_codes_have_plain_hints(code: str | int, words: tuple[str, ...]) -> None:
    hint = hint_for(code)
    assert hint is not None
    for word in words:
        assert word.lower() in hint.lower()


@pytest.mark.parametrize("code", [None, "", "   ", "999999", "SANDBOX_RECIPIENT_BLACKLISTED", True])
def test_unknown_or_empty_codes_have_no_hint(code: object) -> None:
    assert hint_for(code) is None  # type: ignore[arg-type]


def test_code_spelling_is_forgiving() -> None:
    assert hint_for(" 131026 ") == hint_for(131026) == hint_for("131026")
    assert hint_for("0131026") == hint_for("131026")
    assert hint_for("invalid_auth_token") == hint_for("INVALID_AUTH_TOKEN") is not None


def test_hints_are_short_sentences() -> None:
    for code in known_codes():
        hint = hint_for(code)
        assert hint is not None
        assert hint.endswith("."), code
        assert len(hint) < 260, code
