"""Copy as code, for real: each Python and JavaScript program runs as written, in its own process,
against the sandbox on loopback, and the sandbox records exactly one send with the body the
app's own client sends for the same message (uploads included)."""

from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from whats91_desktop.core.client import Whats91Client
from whats91_desktop.core.models import (
    MediaMessage,
    MetaMessage,
    Outcome,
    OutgoingMessage,
    TemplateMessage,
    TextMessage,
)
from whats91_desktop.core.snippets import Language, snippet
from whats91_desktop.sandbox.constants import SANDBOX_TOKEN
from whats91_desktop.sandbox.server import SandboxServer
from whats91_desktop.sandbox.state import RecordedRequest

TO = "918888888888"
NODE = shutil.which("node")
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def cases(files: Path) -> dict[str, OutgoingMessage]:
    photo = files / "photo.png"
    photo.write_bytes(PNG)
    header = files / "header.png"
    header.write_bytes(PNG[::-1] + PNG)
    return {
        "text": TextMessage(
            to=TO, text="Hello “Asha” — 'quotes' \\ \"double\"\nline two", sender_id="919999999999"
        ),
        "media upload": MediaMessage(to=TO, media_type="image", file_path=photo, caption="The photo"),
        "template upload": TemplateMessage(
            to=TO, template_name="order_shipped", parameters=("Asha", "A-1042", "Friday"), media_file=header
        ),
        "meta": MetaMessage(
            payload={
                "messaging_product": "whatsapp",
                "to": TO,
                "type": "text",
                "text": {"body": "From Meta JSON"},
            },
        ),
    }


def sent_by_the_app(server: SandboxServer, message: OutgoingMessage) -> RecordedRequest:
    """What the sandbox records when the app's client sends ``message``: the reference."""
    server.state.reset()

    async def send() -> Outcome:
        async with Whats91Client(server.base_url, SANDBOX_TOKEN) as client:
            return (await client.send(message)).outcome

    assert asyncio.run(send()) is Outcome.ACCEPTED
    [record] = server.state.sends_to(TO)
    return record


def run(
    language: Language, code: str, folder: Path, *, token_in_env: bool
) -> subprocess.CompletedProcess[str]:
    path = folder / ("snippet.py" if language is Language.PYTHON else "snippet.js")
    path.write_text(code, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower() and k != "WHATS91_TOKEN"}
    if token_in_env:
        env["WHATS91_TOKEN"] = SANDBOX_TOKEN
    command = [sys.executable, str(path)] if language is Language.PYTHON else [str(NODE), str(path)]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=60, env=env, cwd=folder, check=False
    )


def fingerprint(record: RecordedRequest) -> tuple[object, ...]:
    files = sorted((f.field_name, f.filename, f.content_type, f.size, f.sha256) for f in record.files)
    return record.path, record.fields, files


LANGUAGES = [
    pytest.param(Language.PYTHON, id="python"),
    pytest.param(
        Language.JAVASCRIPT,
        id="javascript",
        marks=pytest.mark.skipif(
            NODE is None, reason="node is not on PATH: the JavaScript programs cannot be run"
        ),
    ),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("include_token", [False, True], ids=["token from the environment", "token included"])
@pytest.mark.parametrize("case", ["text", "media upload", "template upload", "meta"])
def test_the_program_sends_once_what_the_app_sends(
    server: SandboxServer, tmp_path: Path, language: Language, include_token: bool, case: str
) -> None:
    message = cases(tmp_path)[case]
    expected = fingerprint(sent_by_the_app(server, message))
    code = snippet(
        language, message, base_url=server.base_url, token=SANDBOX_TOKEN if include_token else None
    )
    assert (SANDBOX_TOKEN in code) is include_token
    server.state.reset()

    done = run(language, code, tmp_path, token_in_env=not include_token)

    assert done.returncode == 0, done.stderr
    status, _, body = done.stdout.partition("\n")
    assert status == "200", done.stdout
    assert "wamid." in body  # the reply, with the new message's id
    sends = server.state.sends_to(TO)
    assert len(sends) == 1
    assert fingerprint(sends[0]) == expected
    upload = getattr(message, "file_path", None) or getattr(message, "media_file", None)
    if upload is not None:  # the very bytes of the file, not a placeholder
        assert [f.sha256 for f in sends[0].files] == [hashlib.sha256(upload.read_bytes()).hexdigest()]


@pytest.mark.parametrize("language", LANGUAGES)
def test_without_the_token_the_program_sends_nothing_that_is_accepted(
    server: SandboxServer, tmp_path: Path, language: Language
) -> None:
    """The redacted program does not smuggle a token in: with none in the environment the
    sandbox refuses it (401), and nothing is sent."""
    code = snippet(language, cases(tmp_path)["text"], base_url=server.base_url)
    server.state.reset()
    done = run(language, code, tmp_path, token_in_env=False)
    if language is Language.PYTHON:
        assert done.returncode != 0
        assert "WHATS91_TOKEN" in done.stderr  # KeyError: says which variable to set
    else:
        assert done.stdout.startswith("401")
    assert server.state.messages_to(TO) == []
