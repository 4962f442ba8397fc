"""The bad-input matrix through the CLI: every refused input is exit 2, names its field, sends nothing.

Both ``send`` and ``validate`` run each case (they share one check, so they must agree), against
the loopback sandbox, whose request record proves that nothing went out.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.unreadable import make_unreadable
from whats91_desktop.cli import main
from whats91_desktop.sandbox.constants import NORMAL_RECIPIENT
from whats91_desktop.sandbox.server import SandboxServer

TO = NORMAL_RECIPIENT


pytestmark = pytest.mark.usefixtures("sandbox_session")


def _interactive(action: dict[str, Any], kind: str) -> dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "to": TO,
        "type": "interactive",
        "interactive": {"type": kind, "body": {"text": "Pick one"}, "action": action},
    }


def _buttons(titles: list[str]) -> dict[str, Any]:
    buttons = [{"type": "reply", "reply": {"id": f"b{i}", "title": t}} for i, t in enumerate(titles)]
    return _interactive({"buttons": buttons}, "button")


def _rows(count: int) -> dict[str, Any]:
    rows = [{"id": f"r{i}", "title": f"Row {i}"} for i in range(count)]
    return _interactive({"button": "Choose", "sections": [{"title": "All", "rows": rows}]}, "list")


def _json_file(tmp: Path, value: Any) -> list[str]:
    path = tmp / "meta.json"
    path.write_text(json.dumps(value))
    return ["--to", TO, "--meta-json", str(path)]


def _raw_file(tmp: Path, text: str) -> list[str]:
    path = tmp / "meta.json"
    path.write_text(text)
    return ["--to", TO, "--meta-json", str(path)]


def _media(tmp: Path, name: str, *, size: int | None = None, kind: str = "document") -> list[str]:
    path = tmp / name
    if size is not None:
        with path.open("wb") as f:
            f.truncate(size)  # sparse: 17 MB on paper, nothing on disk
    return ["--to", TO, "--media", str(path), "--type", kind]


def _directory(tmp: Path) -> list[str]:
    (tmp / "folder.pdf").mkdir()
    return ["--to", TO, "--media", str(tmp / "folder.pdf"), "--type", "document"]


_TEXT = {"messaging_product": "whatsapp", "to": TO, "type": "text", "text": {"body": "hi"}}
_HUGE_INT = json.dumps(_TEXT)[:-1] + ', "n": ' + "9" * 5000 + "}"

EMPTY = "Enter the message text"  # not just "Enter": the Send tooltip says Ctrl+Enter
Case = Callable[[Path], list[str]]
CASES: dict[str, tuple[Case, str, str]] = {
    # name: (argv, field, a word the message must contain)
    "text-empty": (lambda _: ["--to", TO, "--text", ""], "text", EMPTY),
    "text-whitespace": (lambda _: ["--to", TO, "--text", " \t\n "], "text", EMPTY),
    "text-zero-width": (lambda _: ["--to", TO, "--text", "\u200b\u200d\ufeff\u2060"], "text", EMPTY),
    "text-4097": (lambda _: ["--to", TO, "--text", "a" * 4097], "text", "4096"),
    "number-malformed": (lambda _: ["--to", "+91 88888 ++88888", "--text", "hi"], "to", "'+'"),
    "number-too-short": (lambda _: ["--to", "12", "--text", "hi"], "to", "too short"),
    "number-too-long": (lambda _: ["--to", "+9188888888889999999", "--text", "hi"], "to", "15"),
    "number-letters": (lambda _: ["--to", "9188888888O8", "--text", "hi"], "to", "letters"),
    "number-minus": (lambda _: ["--to", "-919876543210", "--text", "hi"], "to", "minus"),
    "buttons-4": (lambda t: _json_file(t, _buttons(["A", "B", "C", "D"])), "buttons", "3"),
    "button-title-21": (lambda t: _json_file(t, _buttons(["x" * 21])), "title", "20"),
    "list-rows-11": (lambda t: _json_file(t, _rows(11)), "rows", "10"),
    "file-17mb": (lambda t: _media(t, "big.pdf", size=17 * 1024 * 1024), "media.file", "16 MB"),
    "file-exe": (lambda t: _media(t, "setup.exe", size=10), "media.file", ".exe"),
    "file-missing": (lambda t: _media(t, "gone.pdf"), "media.file", "not found"),
    "file-directory": (_directory, "media.file", "Not a file"),
    "meta-invalid": (lambda t: _raw_file(t, '{"type": "text",'), "meta_json", "JSON"),
    "meta-huge-integer": (lambda t: _raw_file(t, _HUGE_INT), "meta_json", "too long"),
    "meta-10000-deep": (
        lambda t: _raw_file(t, '{"text": ' + "[" * 10_000 + "]" * 10_000 + "}"),
        "meta_json",
        "nested",
    ),
}


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _refused(command: str, server: SandboxServer, argv: list[str]) -> list[dict[str, str]]:
    extra = ["--base-url", server.base_url] if command == "send" else []
    code, out, err = cli(command, *extra, "--json", *argv)
    assert code == 2, (out, err)
    data = json.loads(out)
    assert data["outcome"] == "invalid"
    assert "Traceback" not in err
    problems: list[dict[str, str]] = data["problems"]
    return problems


@pytest.mark.parametrize("command", ["send", "validate"])
@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_is_exit_2_naming_the_field_and_sends_nothing(
    name: str, command: str, server: SandboxServer, tmp_path: Path
) -> None:
    make_argv, field, word = CASES[name]
    problems = _refused(command, server, make_argv(tmp_path))
    mine = [p for p in problems if p["field"].split(".")[-1].startswith(field) or p["field"].endswith(field)]
    assert mine, problems
    assert any(word.lower() in p["message"].lower() for p in mine), mine
    assert server.state.requests == []


@pytest.mark.parametrize("command", ["send", "validate"])
def test_an_unreadable_file_is_refused_by_both_and_sends_nothing(
    command: str, server: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "secret.pdf"
    path.write_bytes(b"%PDF-1.4\n")
    make_unreadable(path, monkeypatch)
    try:
        problems = _refused(command, server, ["--to", TO, "--media", str(path), "--type", "document"])
    finally:
        os.chmod(path, 0o600)
    assert any(p["field"] == "media.file" and "Cannot read" in p["message"] for p in problems), problems
    assert server.state.requests == []


def test_human_mode_shows_the_problem_on_stderr_and_exits_2(server: SandboxServer) -> None:
    code, out, err = cli("send", "--base-url", server.base_url, "--to", TO, "--text", "\u200b")
    assert code == 2
    assert "text" in (out + err)
    assert "Enter the message text" in (out + err)
    assert server.state.requests == []
