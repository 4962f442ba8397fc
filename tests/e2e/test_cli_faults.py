"""The CLI against servers and disks that misbehave: each defect found from the outside, end to end.

Every case runs the real ``main()`` (or the real process, for signals and memory) against a
loopback server: the sandbox, or :mod:`tests.e2e.faulty_server` when the fault is the server's.
Each says what was printed, the exit code, how many requests arrived (never a second one), and
what the message log holds afterwards.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.conftest import child_env
from tests.e2e.child_signals import signal_once_arrived
from tests.e2e.faulty_server import Request, accepted, after, gzip_bomb, respond, serving, trickle
from tests.helpers.unreadable import make_unreadable
from whats91_desktop.cli import main
from whats91_desktop.core.models import Profile
from whats91_desktop.core.paths import app_paths
from whats91_desktop.core.settings import SettingsStore, with_profile
from whats91_desktop.core.store import LogQuery, MessageStore
from whats91_desktop.core.store.journal import journal_path_for
from whats91_desktop.sandbox.constants import SANDBOX_TOKEN
from whats91_desktop.sandbox.server import SandboxServer, serve_in_thread
from whats91_desktop.sandbox.state import SandboxState

TO = "918888888888"
TOKEN = "w91_live_faulty00000000000000000000000"


@pytest.fixture(autouse=True)
def _token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WHATS91_TOKEN", TOKEN)


@pytest.fixture(scope="module")
def sandbox_server() -> Iterator[SandboxServer]:
    with serve_in_thread(SandboxState()) as srv:
        yield srv


@pytest.fixture
def sandbox(sandbox_server: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> SandboxServer:
    """The sandbox, emptied, with its token in ``WHATS91_TOKEN``."""
    monkeypatch.setenv("WHATS91_TOKEN", SANDBOX_TOKEN)
    sandbox_server.state.reset()
    return sandbox_server


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def send_json(base_url: str, *argv: str) -> tuple[int, dict[str, Any], str]:
    code, out, err = cli("send", "--base-url", base_url, "--json", *argv)
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one JSON object, got {out!r} ({err})"
    return code, json.loads(lines[0]), err


def rows() -> list[Any]:
    store = MessageStore(app_paths().log_db)
    try:
        return store.page(LogQuery(), 0, 100)
    finally:
        store.close()


def fast_profile(base_url: str) -> None:
    """A saved profile with the shortest connect timeout the settings allow (0.5 s)."""
    store = SettingsStore(app_paths().settings_file)
    store.save(with_profile(store.load(), Profile(name="fast", base_url=base_url, connect_timeout=0.5)))


# --------------------------------------------------------------------------- 1: the log cannot be updated


@contextlib.contextmanager
def log_locked_by_another_process() -> Iterator[Any]:
    """A child process that takes the log's write lock when ``lock()`` is called, and holds it."""
    db = app_paths().log_db
    code = (
        "import sqlite3, sys, time\n"
        f"c = sqlite3.connect({str(db)!r}, isolation_level=None, timeout=30)\n"
        "sys.stdin.readline()\n"
        "c.execute('BEGIN IMMEDIATE')\n"
        "print('locked', flush=True)\n"
        "sys.stdin.readline()\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )

    def lock() -> None:
        assert child.stdin is not None
        assert child.stdout is not None
        child.stdin.write("lock\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "locked"

    try:
        yield lock
    finally:
        with contextlib.suppress(OSError):
            child.communicate("release\n", timeout=10)
        if child.poll() is None:
            child.kill()


def test_an_accepted_send_stays_accepted_when_another_process_holds_the_log() -> None:
    MessageStore(app_paths().log_db).close()  # the log exists, so the locker can open it
    with log_locked_by_another_process() as lock, serving(after(lock, respond(200, accepted()))) as srv:
        started = time.monotonic()
        code, data, err = send_json(srv.base_url, "--to", TO, "--text", "hi")
        took = time.monotonic() - started
    assert code == 0
    assert data["outcome"] == "accepted"
    assert data["messageId"] == "wamid.FAULTY"
    assert data["requestId"] == "req-faulty"
    assert "WARNING: The message log could not record this result" in err
    assert "do not resend" in err
    assert str(journal_path_for(app_paths().log_db)) in err
    assert len(srv.sends()) == 1
    assert took < 15
    [row] = rows()  # opening the log wrote the kept result to its row
    assert (row.state, row.message_id, row.request_id) == ("accepted", "wamid.FAULTY", "req-faulty")
    assert not journal_path_for(app_paths().log_db).exists()


def test_an_accepted_send_in_human_mode_prints_the_outcome_and_a_loud_warning() -> None:
    MessageStore(app_paths().log_db).close()
    with log_locked_by_another_process() as lock, serving(after(lock, respond(200, accepted()))) as srv:
        code, out, err = cli("send", "--base-url", srv.base_url, "--to", TO, "--text", "hi")
    assert code == 0
    assert out.startswith("Accepted: wamid.FAULTY")
    assert "WARNING:" in err


@contextlib.contextmanager
def tiny_disk(path: Path, size: str = "3m") -> Iterator[Path]:
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def fill(directory: Path) -> None:
    with contextlib.suppress(OSError), (directory / "filler").open("wb") as handle:
        while True:
            handle.write(b"\0" * 65536)
            handle.flush()


@pytest.mark.skipif(
    os.geteuid() != 0 if hasattr(os, "geteuid") else True, reason="mounting a tmpfs needs root"
)
def test_an_accepted_send_stays_accepted_when_the_disk_fills_up_during_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with tiny_disk(tmp_path / "disk") as disk:
        monkeypatch.setenv("WHATS91_HOME", str(disk))
        MessageStore(app_paths().log_db).close()
        reply = respond(200, accepted(pad=400_000))  # a row update that needs new pages
        with serving(after(lambda: fill(app_paths().log_db.parent), reply)) as srv:
            code, data, err = send_json(srv.base_url, "--to", TO, "--text", "hi")
        assert code == 0, err
        assert data["outcome"] == "accepted"
        assert data["messageId"] == "wamid.FAULTY"
        assert "WARNING: The message log could not record this result" in err
        assert len(srv.sends()) == 1
        (app_paths().log_db.parent / "filler").unlink()
        [row] = rows()
        if "could not be saved on disk either" in err:  # the journal did not fit either
            assert row.state == "sending"  # the next start calls it unknown: check before resending
        else:
            assert (row.state, row.message_id) == ("accepted", "wamid.FAULTY")


# --------------------------------------------------------------------------- 2: damaged log


def test_a_log_with_damaged_pages_is_moved_aside_and_the_send_is_logged(sandbox: SandboxServer) -> None:
    db = app_paths().log_db
    store = MessageStore(db)
    for _ in range(300):
        store.create_sending(
            profile="p", sender_id=None, recipient=TO, kind="text", preview="x" * 400, request_text="r"
        )
    store.close()
    size = db.stat().st_size
    with db.open("r+b") as handle:
        handle.seek(size // 2)
        handle.write(os.urandom(size // 4))
    code, data, err = send_json(sandbox.base_url, "--to", TO, "--text", "hi")
    assert code == 0, err
    assert data["outcome"] == "accepted"
    assert "notice: The message log could not be used (its integrity check failed" in err
    assert list(db.parent.glob("messages.sqlite3.corrupt-*"))
    [row] = rows()
    assert row.message_id == data["messageId"]


# ------------------------------------------------------------------- 3: unreadable settings and secrets


def test_a_deeply_nested_settings_file_is_moved_aside_and_the_send_goes_out(sandbox: SandboxServer) -> None:
    settings = app_paths().settings_file
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text('{"version": 1, "ui_state": ' + "[" * 100_000 + "]" * 100_000 + "}")
    code, data, err = send_json(sandbox.base_url, "--to", TO, "--text", "hi")
    assert code == 0, err
    assert data["outcome"] == "accepted"
    assert "notice: Your settings file could not be used: it is not valid JSON (nested too deeply)" in err
    assert list(settings.parent.glob("settings.json.corrupt-*"))


def test_a_deeply_nested_token_file_is_moved_aside_with_a_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    paths = app_paths()
    store = SettingsStore(paths.settings_file)
    store.save(with_profile(store.load(), Profile(name="Work")))
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    secrets = paths.data_dir / "secrets.json"
    secrets.write_text('{"version": 1, "tokens": ' + "[" * 100_000 + "]" * 100_000 + "}")
    monkeypatch.delenv("WHATS91_TOKEN")
    code, _, err = cli("send", "--profile", "Work", "--to", TO, "--text", "hi")
    assert code == 2
    assert "notice: The token file could not be used (it is not valid JSON (nested too deeply))" in err
    assert "Traceback" not in err
    assert list(paths.data_dir.glob("secrets.json.corrupt-*"))


# --------------------------------------------------------------------------- 4: tokens echoed by the server

SLASHED = "w91x/opaque+token/with/slashes=="


@pytest.mark.parametrize("form", ["raw", "url-encoded-slash-kept", "json-slash-escaped"])
def test_a_token_echoed_in_a_successful_reply_is_nowhere_in_output_log_or_export(
    form: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("WHATS91_TOKEN", SLASHED)
    echoed = {"raw": SLASHED, "url-encoded-slash-kept": quote(SLASHED), "json-slash-escaped": SLASHED}[form]
    body = json.dumps(accepted(message_id=f"wamid.{echoed}", request_id=f"req-{echoed}"))
    if form == "json-slash-escaped":
        body = body.replace("/", "\\/")
    with serving(respond(200, body.encode(), {"Content-Type": "application/json"})) as srv:
        code, out, err = cli("send", "--base-url", srv.base_url, "--json", "--to", TO, "--text", "hi")
        _, human, human_err = cli("send", "--base-url", srv.base_url, "--to", TO, "--text", "hi")
    assert code == 0
    data = json.loads(out)
    assert data["messageId"] == "wamid.[REDACTED]"
    assert data["requestId"] == "req-[REDACTED]"
    store = MessageStore(app_paths().log_db)
    try:
        store.export_json(LogQuery(), tmp_path / "export.json")
        store.export_csv(LogQuery(), tmp_path / "export.csv")
        stored = [repr(row) for row in store.page(LogQuery(), 0, 10)]
    finally:
        store.close()
    everything = out + err + human + human_err + "".join(stored)
    everything += (tmp_path / "export.json").read_text() + (tmp_path / "export.csv").read_text()
    for variant in (SLASHED, quote(SLASHED), quote(SLASHED, safe=""), SLASHED.replace("/", "\\/")):
        assert variant not in everything


# --------------------------------------------------------------------------- 5 and 6: slow and huge replies


def test_a_trickling_server_cannot_keep_a_send_alive_past_the_deadline() -> None:
    with serving(trickle(0.2)) as srv:
        fast_profile(srv.base_url)
        started = time.monotonic()
        code, out, _ = cli(
            "send", "--profile", "fast", "--timeout", "1", "--json", "--to", TO, "--text", "hi"
        )
        took = time.monotonic() - started
    data = json.loads(out)
    assert code == 4
    assert data["outcome"] == "unknown"
    assert "2.5s deadline" in data["errorMessage"]  # 0.5 connect + 2 × 1 read
    assert took < 8
    assert len(srv.sends()) == 1
    [row] = rows()
    assert row.state == "unknown"


def _peak_rss_of_a_send(base_url: str, home: Path) -> tuple[int, dict[str, Any], int]:
    # VmHWM is this process's own peak (ru_maxrss would include what a fork inherited).
    probe = (
        "import json, re, sys\n"
        "from whats91_desktop.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "peak = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)\n"
        "print(json.dumps({'rss_kb': int(peak)}), file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    env = {**child_env(home), "WHATS91_TOKEN": TOKEN}
    done = subprocess.run(
        [sys.executable, "-c", probe, "send", "--base-url", base_url, "--json", "--to", TO, "--text", "hi"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    rss = json.loads(done.stderr.strip().splitlines()[-1])["rss_kb"]
    return done.returncode, json.loads(done.stdout), rss


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="peak RSS from /proc")
def test_a_gzip_bomb_is_abandoned_at_the_size_limit_without_the_memory(tmp_path: Path) -> None:
    with serving(gzip_bomb(300)) as srv:
        code, data, rss_kb = _peak_rss_of_a_send(srv.base_url, tmp_path / "home")
    assert code == 4
    assert data["outcome"] == "unknown"
    assert "larger than the 4 MB limit" in data["errorMessage"]
    assert len(srv.sends()) == 1
    assert rss_kb < 250 * 1024  # a 300 MB body was never held


def test_a_huge_plain_reply_is_abandoned_and_unknown() -> None:
    with serving(respond(200, accepted(pad=5 * 1024 * 1024))) as srv:
        code, data, _ = send_json(srv.base_url, "--to", TO, "--text", "hi")
    assert code == 4
    assert data["outcome"] == "unknown"
    assert len(srv.sends()) == 1


# --------------------------------------------------------------------------- 11: 5xx


@pytest.mark.parametrize(
    ("status", "body", "exit_code", "outcome"),
    [
        (500, "<html><h1>Internal Server Error</h1></html>", 4, "unknown"),
        (520, "Unknown error", 4, "unknown"),
        (500, {"success": False, "message": "Server error"}, 4, "unknown"),
        (500, {"success": False, "message": "Meta unavailable", "error_code": "META_DOWN"}, 3, "rejected"),
        (503, {"error": {"message": "Service unavailable", "code": 2}}, 3, "rejected"),
    ],
    ids=["500-html", "520-text", "500-json-without-code", "500-whats91-envelope", "503-meta-envelope"],
)
def test_a_5xx_is_rejected_only_with_a_documented_error_envelope(
    status: int, body: Any, exit_code: int, outcome: str
) -> None:
    with serving(respond(status, body)) as srv:
        code, data, _ = send_json(srv.base_url, "--to", TO, "--text", "hi")
    assert code == exit_code
    assert data["outcome"] == outcome
    assert data["httpStatus"] == status
    assert len(srv.sends()) == 1


# --------------------------------------------------------------------------- 7, 8, 9, 10: inputs


def test_a_5000_digit_number_in_meta_json_is_invalid(tmp_path: Path, sandbox: SandboxServer) -> None:
    payload = tmp_path / "m.json"
    payload.write_text(
        '{"messaging_product": "whatsapp", "type": "text", "text": {"body": "x"}, "n": 1' + "0" * 5000 + "}"
    )
    code, out, _ = cli("validate", "--to", TO, "--meta-json", str(payload), "--json")
    assert code == 2
    assert json.loads(out)["problems"] == [
        {
            "field": "meta_json",
            "message": "Not valid JSON: a number in it is too long to read (over 4300 digits)",
        }
    ]
    code, _, _ = send_json(sandbox.base_url, "--to", TO, "--meta-json", str(payload))
    assert code == 2
    assert sandbox.state.requests == []


def test_validate_refuses_a_file_send_cannot_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    photo = tmp_path / "locked.jpg"
    photo.write_bytes(b"\xff\xd8 jpeg")
    make_unreadable(photo, monkeypatch)
    args = ("--to", TO, "--media", str(photo), "--type", "image", "--json")
    code, out, _ = cli("validate", *args)
    assert code == 2
    assert json.loads(out)["problems"] == [
        {"field": "media.file", "message": "Cannot read the file: Permission denied"}
    ]
    with serving(respond(200, accepted())) as srv:
        code, out, _ = cli("send", "--base-url", srv.base_url, *args)
    assert code == 2
    assert json.loads(out)["problems"][0]["message"] == "Cannot read the file: Permission denied"
    assert srv.requests == []


READ_RECEIPT = {"messaging_product": "whatsapp", "status": "read", "message_id": "wamid.HBgM"}
TYPING = {**READ_RECEIPT, "typing_indicator": {"type": "text"}}


@pytest.mark.parametrize("payload", [READ_RECEIPT, TYPING], ids=["read-receipt", "typing-indicator"])
def test_meta_json_status_payloads_need_no_recipient(
    payload: dict[str, Any], tmp_path: Path, sandbox: SandboxServer
) -> None:
    path = tmp_path / "m.json"
    path.write_text(json.dumps(payload))
    code, out, _ = cli("validate", "--meta-json", str(path), "--json")
    assert code == 0, out
    assert json.loads(out)["outcome"] == "valid"
    code, data, _ = send_json(sandbox.base_url, "--meta-json", str(path))
    assert code == 0, data
    assert data["outcome"] == "accepted"
    code, out, _ = cli("validate", "--to", TO, "--meta-json", str(path), "--json")
    assert code == 2  # --to still overrides, and a status payload has no "to"
    assert json.loads(out)["problems"][0]["field"] == "payload.to"


def test_meta_json_takes_its_recipient_from_the_json_and_to_overrides_it(
    tmp_path: Path, sandbox: SandboxServer
) -> None:
    path = tmp_path / "m.json"
    path.write_text(
        json.dumps(
            {"messaging_product": "whatsapp", "to": "+91 88888 88888", "type": "text", "text": {"body": "hi"}}
        )
    )
    code, data, _ = send_json(sandbox.base_url, "--meta-json", str(path))
    assert code == 0, data
    assert len(sandbox.state.sends_to(TO)) == 1
    code, data, _ = send_json(sandbox.base_url, "--to", "919000000010", "--meta-json", str(path))
    assert code == 0, data
    assert len(sandbox.state.sends_to("919000000010")) == 1
    code, out, _ = cli("validate", "--text", "hi", "--json")
    assert code == 2
    assert json.loads(out)["problems"] == [{"field": "to", "message": "Enter the recipient's phone number."}]


@pytest.mark.parametrize(
    ("argv", "field", "words"),
    [
        (["--to", TO, "--text", "\u200b\u200b"], "text", "Enter the message text."),
        (["--to", TO, "--text", "\ufeff"], "text", "Enter the message text."),
        (["--to", TO, "--text", "a\x00b"], "text", "NUL"),
        (["--to", "-919876543210", "--text", "hi"], "to", "minus sign"),
        (
            ["--to", TO, "--media", "ftp://example.com/a.jpg", "--type", "image"],
            "media.url",
            "Unsupported URL scheme 'ftp'",
        ),
        (
            ["--to", TO, "--template", "payment_reminder", *["--param", "x"] * 101],
            "parameters",
            "no template takes more than 100",
        ),
    ],
    ids=["zero-width", "bom", "nul", "minus", "ftp", "too-many-params"],
)
def test_smaller_input_defects_are_invalid_and_send_nothing(
    argv: list[str], field: str, words: str, sandbox: SandboxServer
) -> None:
    code, data, _ = send_json(sandbox.base_url, *argv)
    assert code == 2
    assert any(p["field"] == field and words in p["message"] for p in data["problems"]), data["problems"]
    assert sandbox.state.sends_to(TO) == []


def test_template_parameters_are_checked_against_the_template_list(sandbox: SandboxServer) -> None:
    code, data, _ = send_json(
        sandbox.base_url, "--to", TO, "--template", "payment_reminder", "--param", "Asha"
    )
    assert code == 2
    messages = {p["field"]: p["message"] for p in data["problems"]}
    assert messages["parameters"] == "Template 'payment_reminder' has 2 body variables; 1 given."
    assert messages["button_parameters"] == "Template 'payment_reminder' has 1 button variable; none given."
    assert sandbox.state.sends_to(TO) == []
    code, data, _ = send_json(
        sandbox.base_url,
        "--to",
        TO,
        "--template",
        "payment_reminder",
        "--param",
        "Asha",
        "--param",
        "INV-1",
        "--button-param",
        "pay_INV-1",
    )
    assert code == 0, data
    assert len(sandbox.state.sends_to(TO)) == 1


def test_a_redirect_says_redirects_are_not_followed() -> None:
    with serving(respond(307, "", {"Location": "https://elsewhere.example/api"})) as srv:
        code, data, _ = send_json(srv.base_url, "--to", TO, "--text", "hi")
    assert code == 3
    assert "redirects are not followed" in data["errorMessage"]
    assert len(srv.requests) == 1


def test_ctrl_c_in_human_mode_says_the_message_may_have_been_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    async def interrupted(*args: object, **kwargs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr("whats91_desktop.core.client.Whats91Client.send", interrupted)
    with serving(respond(200, accepted())) as srv:
        code, out, err = cli("send", "--base-url", srv.base_url, "--to", TO, "--text", "hi")
    assert code == 130
    assert out == ""
    assert "interrupted: the message may have been sent" in err
    assert "before resending" in err


def _slow(request: Request, conn: socket.socket) -> None:
    time.sleep(30)


@pytest.mark.skipif(os.name != "posix", reason="SIGTERM to a child process")
@pytest.mark.parametrize("as_json", [True, False], ids=["json", "human"])
def test_sigterm_during_a_send_exits_143_and_leaves_the_row_unknown(tmp_path: Path, as_json: bool) -> None:
    home = tmp_path / "home"
    with serving(_slow) as srv:
        argv = [
            "send",
            "--base-url",
            srv.base_url,
            "--to",
            TO,
            "--text",
            "hi",
            *(["--json"] if as_json else []),
        ]
        child = subprocess.Popen(
            [sys.executable, "-m", "whats91_desktop", *argv],
            env={**child_env(home), "WHATS91_TOKEN": TOKEN},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        out, err = signal_once_arrived(child, lambda: bool(srv.sends()), signal.SIGTERM)
    assert child.returncode == 143, err
    assert "terminated: the message may have been sent" in err
    if as_json:
        assert json.loads(out)["outcome"] == "unknown"
    db = next(home.rglob("messages.sqlite3"))
    plain = sqlite3.connect(db)
    try:
        [(state, outcome)] = plain.execute("SELECT state, outcome FROM messages").fetchall()
    finally:
        plain.close()
    assert (state, outcome) == ("unknown", "unknown")
    assert len(srv.sends()) == 1
