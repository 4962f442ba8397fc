"""The CLI contract, end to end: the real CLI against the sandbox over real loopback HTTP.

Each outcome has its exit code and its one JSON object; the sandbox's request record
proves what was (and was not) sent, and how many times.
"""

from __future__ import annotations

import io
import json
import logging
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.child_signals import signal_once_arrived
from whats91_desktop import __version__
from whats91_desktop.cli import main
from whats91_desktop.core.paths import app_paths
from whats91_desktop.core.store import MessageStore
from whats91_desktop.sandbox.constants import SANDBOX_EXPIRED_TOKEN, SANDBOX_SCOPED_TOKEN, SANDBOX_TOKEN
from whats91_desktop.sandbox.server import SandboxServer, serve_in_thread
from whats91_desktop.sandbox.state import SandboxState

TO = "918888888888"
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


pytestmark = pytest.mark.usefixtures("sandbox_session")  # reset() restores slow_seconds too


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
    assert data["queueUid"]
    assert data["reportUid"]


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


def test_500_html_is_unknown_with_readable_message(server: SandboxServer) -> None:
    """Was "rejected", exit 3, which invited a resend: an HTML 500 may follow a processed message."""
    code, data, _ = send_json(server, "--to", "919000000006", "--text", "hi")
    assert code == 4
    assert data["outcome"] == "unknown"
    assert data["httpStatus"] == 500
    assert len(server.state.sends_to("919000000006")) == 1
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
    valid = json.loads(out)
    assert set(valid) == JSON_KEYS
    assert valid["outcome"] == "valid"
    assert valid["problems"] == []
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
    assert code == 4
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


# --------------------------------------------------------------------------- hostile runs


def _log_text() -> str:
    log_dir = app_paths().log_dir
    return "".join(p.read_text("utf-8") for p in sorted(log_dir.glob("whats91-desktop.log*")))


def test_network_commands_log_to_the_log_file_without_the_token(server: SandboxServer) -> None:
    code, _, err = send_json(server, "--to", "919000000003", "--text", "hi")  # 429, one retry
    assert code == 0
    assert "retrying in 1.0s" in err
    log = _log_text()
    assert "attempt 1 failed" in log
    assert "send finished: HTTP 200 accepted" in log
    assert SANDBOX_TOKEN not in log
    assert not logging.getLogger("whats91_desktop").handlers  # removed again when main returns


def test_debug_adds_redacted_request_lines_on_stderr(
    server: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(
        "--debug", "send", "--base-url", server.base_url, "--to", TO, "--text", "hi", "--json"
    )
    assert code == 0
    assert len(out.splitlines()) == 1
    assert json.loads(out)["outcome"] == "accepted"
    console = capsys.readouterr().err
    assert "send request:" in console
    assert "Authorization: Bearer [REDACTED]" in console
    assert "send request:" in _log_text()
    assert SANDBOX_TOKEN not in console + out + err + _log_text()


def test_an_unexpected_error_is_one_line_one_json_object_and_exit_1(
    server: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def bug(*args: object, **kwargs: object) -> object:
        raise RuntimeError(f"bug holding {SANDBOX_TOKEN}")

    monkeypatch.setattr("whats91_desktop.cli.check_message", bug)
    code, out, err = cli("send", "--base-url", server.base_url, "--json", "--to", TO, "--text", "hi")
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert set(data) == JSON_KEYS
    assert data["outcome"] == "error"
    assert "RuntimeError" in data["errorMessage"]
    assert "Traceback" not in err
    assert SANDBOX_TOKEN not in out + err
    log = _log_text()
    assert "Traceback" in log
    assert SANDBOX_TOKEN not in log
    code, out, err = cli("send", "--base-url", server.base_url, "--to", TO, "--text", "hi")
    assert code == 1
    assert out == ""
    assert err.startswith("unexpected error: RuntimeError")
    assert "--debug" in err


def test_interrupted_send_with_json_prints_one_unknown_object_and_exits_130(
    server: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def interrupted(*args: object, **kwargs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr("whats91_desktop.core.client.Whats91Client.send", interrupted)
    code, data, err = send_json(server, "--to", TO, "--text", "hi")
    assert code == 130
    assert data["outcome"] == "unknown"
    assert "before resending" in data["errorMessage"]
    assert "interrupted" in err


def test_ids_that_cannot_be_encoded_are_invalid_not_a_traceback(server: SandboxServer) -> None:
    code, out, _ = cli("status", "wamid.\udcff", "--base-url", server.base_url, "--json")
    assert code == 2
    assert json.loads(out)["outcome"] == "invalid"
    code, out, _ = cli("send", "--base-url", server.base_url, "--json", "--to", TO, "--text", "caf\udce9")
    assert code == 2
    assert json.loads(out)["problems"][0]["field"] == "text"
    assert server.state.requests == []


def test_meta_json_from_stdin(server: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> None:
    payload = {"messaging_product": "whatsapp", "type": "text", "text": {"body": "from stdin"}}
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(payload)))
    code, data, _ = send_json(server, "--to", TO, "--meta-json", "-")
    assert code == 0, data
    assert len(server.state.sends_to(TO)) == 1


def test_a_token_field_typed_into_meta_json_is_refused(server: SandboxServer, tmp_path: Path) -> None:
    payload = tmp_path / "m.json"
    body = {"messaging_product": "whatsapp", "type": "text", "text": {"body": "hi"}, "authToken": "opaque-x"}
    payload.write_text(json.dumps(body))
    code, data, _ = send_json(server, "--to", TO, "--meta-json", str(payload))
    assert code == 2
    assert [p["field"] for p in data["problems"]] == ["payload.authToken"]
    assert server.state.requests == []


def test_a_corrupt_settings_file_is_a_notice_and_one_json_object(server: SandboxServer) -> None:
    settings = app_paths().settings_file
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_bytes(b"\xff{not json")
    code, _, err = send_json(server, "--to", TO, "--text", "hi")
    assert code == 0
    assert "notice:" in err
    assert "settings" in err


@pytest.mark.skipif(os.name != "posix", reason="SIGINT to a child process")
def test_sigint_during_a_send_exits_130_and_leaves_the_row_unknown(server: SandboxServer) -> None:
    server.state.slow_seconds = 30.0
    env = {**os.environ, "WHATS91_TOKEN": SANDBOX_TOKEN}
    argv = ["send", "--base-url", server.base_url, "--json", "--to", "919000000007", "--text", "hi"]
    child = subprocess.Popen(
        [sys.executable, "-m", "whats91_desktop", *argv],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out, err = signal_once_arrived(child, lambda: bool(server.state.sends_to("919000000007")), signal.SIGINT)
    assert child.returncode == 130, err
    assert json.loads(out)["outcome"] == "unknown"
    store = MessageStore(app_paths().log_db)
    try:
        row = store.get(1)
    finally:
        store.close()
    assert row is not None
    assert (row.state, row.outcome) != ("sending", None)
    assert row.outcome == "unknown"
    assert len(server.state.sends_to("919000000007")) == 1


def test_meta_json_nested_too_deeply_is_invalid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text('{"text": ' + "[" * 100_000 + "]" * 100_000 + "}")
    code, out, err = cli("validate", "--to", TO, "--meta-json", str(deep), "--json")
    assert code == 2
    assert json.loads(out)["problems"] == [
        {"field": "meta_json", "message": "The JSON is nested too deeply to be a Meta message"}
    ]
    assert "Traceback" not in err + capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--port", "99999"], ["--port", "-1"], ["--host", "0.0.0.0"]])
def test_sandbox_command_refuses_bad_ports_and_non_loopback_hosts(argv: list[str]) -> None:
    code, out, err = cli("sandbox", *argv)
    assert code == 2
    assert out == ""
    assert err.startswith("error: ")


def test_escape_sequences_from_a_server_never_reach_the_terminal(
    server: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from whats91_desktop.core.errors import ApiError
    from whats91_desktop.core.models import TemplateInfo

    evil = "evil\x1b]0;owned\x07\x1b[2J\x9b31m"

    async def templates(*args: object, **kwargs: object) -> list[TemplateInfo]:
        return [TemplateInfo(name=evil)]

    async def wallet(*args: object, **kwargs: object) -> object:
        raise ApiError(evil, code="X", http_status=400)

    monkeypatch.setattr("whats91_desktop.core.client.Whats91Client.list_templates", templates)
    monkeypatch.setattr("whats91_desktop.core.client.Whats91Client.fetch_wallet", wallet)
    _, out, _ = cli("templates", "--base-url", server.base_url)
    code, _, err = cli("wallet", "--base-url", server.base_url)
    assert code == 3
    for text in (out, err):
        assert "evil" in text
        assert not any(ch in text for ch in "\x1b\x07\x9b")
    _, out, _ = cli("templates", "--base-url", server.base_url, "--json")
    assert json.loads(out)["templates"][0]["name"] == evil
    assert not any(ch in out for ch in "\x1b\x07\x9b")


def test_debug_tracebacks_are_printed_redacted_with_the_documented_exit_code(
    server: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def bug(*args: object, **kwargs: object) -> object:
        raise RuntimeError(f"bug holding {SANDBOX_TOKEN}")

    monkeypatch.setattr("whats91_desktop.cli.check_message", bug)
    code, out, err = cli(
        "--debug", "send", "--base-url", server.base_url, "--json", "--to", TO, "--text", "x"
    )
    assert code == 1
    assert json.loads(out)["outcome"] == "error"
    assert "Traceback" in err
    assert "RuntimeError" in err
    assert SANDBOX_TOKEN not in out + err
    code, _, err = cli("--debug", "status", "wamid.nope", "--base-url", server.base_url)
    assert code == 3
    assert "Traceback" in err
    assert "MESSAGE_NOT_FOUND" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["send", "--json", "--to", "918888888888"],  # no message flag
        ["send", "--json", "--to", "918888888888", "--text", "a", "--template", "b"],
        ["validate", "--json", "--to", "918888888888", "--text", "hi", "--bogus"],
    ],
)
def test_usage_errors_with_json_still_print_one_invalid_object(
    server: SandboxServer, argv: list[str]
) -> None:
    code, out, _ = cli(*argv)
    assert code == 2
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert set(data) == JSON_KEYS
    assert data["outcome"] == "invalid"
    assert data["problems"]
    assert data["problems"][0]["field"] == "arguments"
    assert server.state.requests == []


def test_usage_errors_without_json_print_usage_on_stderr() -> None:
    code, out, err = cli("send", "--to", "918888888888")
    assert code == 2
    assert out == ""
    assert "usage:" in err
    assert "error:" in err


def test_a_saved_sandbox_profile_sends_in_process_like_the_window(monkeypatch: pytest.MonkeyPatch) -> None:
    from whats91_desktop.core.models import Profile
    from whats91_desktop.core.paths import app_paths
    from whats91_desktop.core.secrets import SecretStore
    from whats91_desktop.core.settings import SettingsStore, with_active_profile, with_profile
    from whats91_desktop.sandbox.constants import SANDBOX_BASE_URL

    monkeypatch.delenv("WHATS91_TOKEN")
    paths = app_paths()
    store = SettingsStore(paths.settings_file)
    settings = with_profile(store.load(), Profile(name="Demo", base_url=SANDBOX_BASE_URL))
    store.save(with_active_profile(settings, "Demo"))
    SecretStore(paths.data_dir).set("Demo", SANDBOX_TOKEN)
    code, out, err = cli("send", "--json", "--to", "918888888888", "--text", "hi")
    assert code == 0, err
    assert json.loads(out)["outcome"] == "accepted"
