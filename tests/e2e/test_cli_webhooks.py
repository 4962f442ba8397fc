"""``whats91-desktop webhooks …`` and ``listen`` through main(), and a real listener process."""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import child_env
from whats91_desktop.cli import main
from whats91_desktop.sandbox.constants import SANDBOX_TOKEN
from whats91_desktop.sandbox.server import serve_in_thread

SECRET = "whsec_cli_test_secret_0123456789"


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_events_and_create_list_against_the_loopback_sandbox(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _err = cli("webhooks", "events", "--sandbox", "--json")
    assert code == 0
    assert "message.status.delivered" in json.loads(out)["eventKeys"]
    monkeypatch.setenv("WHATS91_TOKEN", SANDBOX_TOKEN)
    with serve_in_thread() as server:
        base = ("--base-url", server.base_url, "--json")
        create = (
            "--name",
            "CRM",
            "--url",
            "https://crm.example.com/hook",
            "--event",
            "message.status.delivered",
        )
        code, out, err = cli("webhooks", "create", *base, *create)
        assert code == 0, err
        created = json.loads(out)
        assert "whsec_" not in out  # the secret is stored, never printed
        code, out, _err = cli("webhooks", "list", *base)
        assert code == 0
        assert created["webhookUid"] in out
        code, out, _err = cli("webhooks", "deactivate", *base, created["webhookUid"])
        assert code == 0
        assert "INACTIVE" in out


def test_an_unknown_event_is_refused_before_anything_is_sent() -> None:
    code, out, _err = cli(
        "webhooks",
        "create",
        "--sandbox",
        "--json",
        "--name",
        "X",
        "--url",
        "https://crm.example.com/hook",
        "--event",
        "message.invalid",
    )
    assert code == 2
    assert "message.invalid" in out


@pytest.mark.slow
def test_trigger_into_listen_verifies_good_and_bad_signatures_and_sigterm_exits_0(tmp_path: Path) -> None:
    port = free_port()
    env = {**child_env(tmp_path / "home"), "HOOK_SECRET": SECRET}
    listener = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "whats91_desktop",
            "listen",
            "--port",
            str(port),
            "--secret-env",
            "HOOK_SECRET",
            "--no-log",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        os.environ["HOOK_SECRET"] = SECRET
        try:
            url = f"http://127.0.0.1:{port}/"
            good = cli(
                "webhooks", "trigger", "message.status.delivered", "--to", url, "--secret-env", "HOOK_SECRET"
            )
            bad = cli(
                "webhooks",
                "trigger",
                "message.inbound.text",
                "--to",
                url,
                "--secret-env",
                "HOOK_SECRET",
                "--bad-signature",
            )
        finally:
            del os.environ["HOOK_SECRET"]
        assert good[0] == 0, good
        assert bad[0] == 0, bad
        time.sleep(0.5)
        listener.send_signal(signal.SIGTERM)
        out, err = listener.communicate(timeout=20)
    finally:
        if listener.poll() is None:
            listener.kill()
    assert listener.returncode == 0, err[-2000:]
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert [line["event"] for line in lines] == ["message.status.delivered", "message.inbound.text"]
    assert [line["signatureValid"] for line in lines] == [True, False]
    assert SECRET not in out
    assert SECRET not in err
