"""The CLI contract, end to end: the real CLI against the sandbox over real loopback HTTP.

Each outcome has its exit code and its one JSON object; the sandbox's request record
proves what was (and was not) sent, and how many times.
"""

from __future__ import annotations

import io
import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from whats91_desktop import __version__
from whats91_desktop.cli import main
from whats91_desktop.sandbox.constants import SANDBOX_EXPIRED_TOKEN, SANDBOX_SCOPED_TOKEN, SANDBOX_TOKEN
from whats91_desktop.sandbox.server import SandboxServer, serve_in_thread
from whats91_desktop.sandbox.state import SandboxState

JSON_KEYS = {
    "outcome",
    "httpStatus",
    "messageId",
    "status",
    "requestId",
    "errorCode",
    "errorMessage",
    "queueUid",
    "reportUid",
    "problems",
}


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with serve_in_thread(SandboxState(slow_seconds=3.0)) as srv:
        yield srv


@pytest.fixture(autouse=True)
def _token(monkeypatch: pytest.MonkeyPatch, server: SandboxServer) -> None:
    monkeypatch.setenv("WHATS91_TOKEN", SANDBOX_TOKEN)
    server.state.reset()
    server.state.slow_seconds = 3.0


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def send_json(server: SandboxServer, *argv: str) -> tuple[int, dict[str, Any], str]:
    code, out, err = cli("send", "--base-url", server.base_url, "--json", *argv)
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected exactly one JSON line on stdout, got {out!r}"
    data = json.loads(lines[0])
    assert set(data) == JSON_KEYS
    return code, data, err


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_text_accepted_exit_0_and_sent_once(server: SandboxServer) -> None:
    code, data, _ = send_json(server, "--to", "+91 88888-88888", "--text", "Hello from the CLI")
    assert code == 0
    assert data["outcome"] == "accepted"
    assert data["httpStatus"] == 200
    assert data["messageId"].startswith("wamid.")
    assert data["requestId"]
    assert len(server.state.sends_to("918888888888")) == 1


def test_queued_exit_0(server: SandboxServer) -> None:
    code, data, _ = send_json(server, "--to", "919000000001", "--text", "hi")
    assert code == 0
    assert data["outcome"] == "queued"
    assert data["status"] == "waiting_reconnect"
    assert data["queueUid"] and data["reportUid"]


def test_rejected_exit_3_blacklisted(server: SandboxServer) -> None:
    code, data, _ = send_json(server, "--to", "919000000009", "--text", "hi")
    assert code == 3
    assert data["outcome"] == "rejected"
    assert data["errorCode"] == "SANDBOX_RECIPIENT_BLACKLISTED"
    assert data["httpStatus"] == 400


def test_rejected_exit_3_expired_token(server: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WHATS91_TOKEN", SANDBOX_EXPIRED_TOKEN)
    code, data, _ = send_json(server, "--to", "918888888888", "--text", "hi")
    assert code == 3
    assert data["httpStatus"] == 401
    assert SANDBOX_EXPIRED_TOKEN not in json.dumps(data)


def test_rejected_exit_3_scoped_token_other_sender(
    server: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WHATS91_TOKEN", SANDBOX_SCOPED_TOKEN)
    code, data, _ = send_json(server, "--to", "918888888888", "--text", "hi", "--sender", "918888800000")
    assert code == 3
    assert data["httpStatus"] == 403
    assert data["errorCode"] == "SENDER_NOT_ALLOWED"


def test_429_then_accepted_retries_once_with_visible_wait(server: SandboxServer) -> None:
    code, data, err = send_json(server, "--to", "919000000003", "--text", "hi")
    assert code == 0
    assert data["outcome"] == "accepted"
    assert "retrying in 1.0s" in err
    assert len(server.state.sends_to("919000000003")) == 2


def test_503_then_accepted(server: SandboxServer) -> None:
    code, data, _ = send_json(server, "--to", "919000000005", "--text", "hi")
    assert code == 0
    assert data["outcome"] == "accepted"
    assert len(server.state.sends_to("919000000005")) == 2


def test_429_forever_is_bounded_and_rejected(server: SandboxServer) -> None:
    code, data, _ = send_json(server, "--to", "919000000004", "--text", "hi")
    assert code == 3
    assert data["httpStatus"] == 429
    assert len(server.state.sends_to("919000000004")) == 3


def test_500_html_rejected_with_readable_message(server: SandboxServer) -> None:
    code, data, _ = send_json(server, "--to", "919000000006", "--text", "hi")
    assert code == 3
    assert data["httpStatus"] == 500
    assert "<html" not in (data["errorMessage"] or "").lower()
    assert data["errorMessage"]


def test_slow_reply_is_unknown_exit_4_and_never_resent(server: SandboxServer) -> None:
    code, data, _ = send_json(server, "--to", "919000000007", "--text", "hi", "--timeout", "0.5")
    assert code == 4
    assert data["outcome"] == "unknown"
    assert len(server.state.sends_to("919000000007")) == 1


def test_dropped_connection_is_unknown_exit_4_and_never_resent(server: SandboxServer) -> None:
    code, data, _ = send_json(server, "--to", "919000000008", "--text", "hi")
    assert code == 4
    assert data["outcome"] == "unknown"
    assert len(server.state.sends_to("919000000008")) == 1


def test_unreachable_exit_5() -> None:
    port = free_port()
    code, out, _ = cli(
        "send",
        "--base-url",
        f"http://127.0.0.1:{port}/api/v2",
        "--json",
        "--to",
        "918888888888",
        "--text",
        "x",
    )
    data = json.loads(out)
    assert code == 5
    assert data["outcome"] == "unreachable"


@pytest.mark.parametrize(
    ("argv", "field"),
    [
        (["--to", "12", "--text", "hi"], "to"),
        (["--to", "918888888888", "--text", "   "], "text"),
        (["--to", "918888888888", "--text", "x" * 4097], "text"),
        (["--to", "918888888888", "--media", "/nonexistent/file.jpg", "--type", "image"], "media.file"),
        (["--to", "918888888888", "--media", "https://example.com/a.jpg"], "type"),
    ],
)
def test_invalid_exit_2_and_nothing_sent(server: SandboxServer, argv: list[str], field: str) -> None:
    code, data, _ = send_json(server, *argv)
    assert code == 2
    assert data["outcome"] == "invalid"
    assert any(p["field"] == field for p in data["problems"]), data["problems"]
    assert server.state.requests == []


def test_http_base_url_refused_unless_loopback() -> None:
    code, out, _ = cli(
        "send", "--base-url", "http://example.com/api/v2", "--json", "--to", "918888888888", "--text", "x"
    )
    assert code == 2
    assert json.loads(out)["outcome"] == "invalid"


def test_validate_sends_nothing(server: SandboxServer) -> None:
    code, out, _ = cli("validate", "--to", "+91 88888 88888", "--text", "hello", "--json")
    assert code == 0
    assert json.loads(out) == {"outcome": "valid", "problems": []}
    code, out, _ = cli("validate", "--to", "918888888888", "--text", "", "--json")
    assert code == 2
    assert server.state.requests == []


def test_template_with_params(server: SandboxServer) -> None:
    code, data, _ = send_json(
        server,
        "--to",
        "918888888888",
        "--template",
        "payment_reminder",
        "--param",
        "Devendar",
        "--param",
        "INV-1001",
        "--button-param",
        "pay_INV-1001",
    )
    assert code == 0, data
    sent = server.state.sends_to("918888888888")[0]
    assert sent.path.endswith("/send")


def test_media_upload(server: SandboxServer, tmp_path: Path) -> None:
    image = tmp_path / "photo.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    code, data, _ = send_json(
        server, "--to", "918888888888", "--media", str(image), "--type", "image", "--caption", "Product"
    )
    assert code == 0, data
    assert "multipart/form-data" in (server.state.sends_to("918888888888")[0].content_type or "")


def test_meta_json(server: SandboxServer, tmp_path: Path) -> None:
    payload = tmp_path / "m.json"
    payload.write_text(json.dumps({"messaging_product": "whatsapp", "type": "text", "text": {"body": "hi"}}))
    code, data, _ = send_json(server, "--to", "918888888888", "--meta-json", str(payload))
    assert code == 0, data
    assert data["messageId"].startswith("wamid.")


def test_status_after_send(server: SandboxServer) -> None:
    _, data, _ = send_json(server, "--to", "918888888888", "--text", "hi")
    code, out, _ = cli("status", data["messageId"], "--base-url", server.base_url, "--json")
    assert code == 0
    status = json.loads(out)
    assert status["messageId"] == data["messageId"]
    assert status["latestStatus"] in {"accepted", "sent", "delivered", "read"}


def test_status_not_found_exit_3(server: SandboxServer) -> None:
    code, _, err = cli("status", "wamid.nope", "--base-url", server.base_url)
    assert code == 3
    assert "MESSAGE_NOT_FOUND" in err


def test_token_never_printed(server: SandboxServer) -> None:
    code, out, err = cli("send", "--base-url", server.base_url, "--to", "919000000006", "--text", "x")
    assert code == 3
    assert SANDBOX_TOKEN not in out + err


def test_console_entry_point_runs_in_process_sandbox(tmp_path: Path) -> None:
    version = subprocess.run(
        [sys.executable, "-m", "whats91_desktop", "--version"], capture_output=True, text=True, check=True
    )
    assert __version__ in version.stdout
    sent = subprocess.run(
        [
            sys.executable,
            "-m",
            "whats91_desktop",
            "send",
            "--sandbox",
            "--json",
            "--to",
            "918888888888",
            "--text",
            "hi",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert sent.returncode == 0, sent.stderr
    assert json.loads(sent.stdout)["outcome"] == "accepted"
