"""After a whole CLI session, the token and the webhook signing secret are nowhere on disk or screen.

The session covers every path that writes: sends that are accepted, rejected and unknown, a
refused input, a status and a templates call, a not-found error, a webhook created (its secret is
handed to the keychain), and CSV and JSON exports of the log. Then every file under the app's
home and every captured output is searched for each secret in every form a leak usually takes.
"""

from __future__ import annotations

import base64
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, quote_plus

import keyring
import pytest

from tests.helpers.memory_keyring import MemoryKeyring
from whats91_desktop.cli import main
from whats91_desktop.core.paths import app_paths
from whats91_desktop.core.store import MessageStore
from whats91_desktop.core.store.search import LogQuery
from whats91_desktop.sandbox.constants import (
    BLACKLISTED_RECIPIENT,
    DROPPED_RECIPIENT,
    NORMAL_RECIPIENT,
    SERVER_ERROR_RECIPIENT,
)
from whats91_desktop.sandbox.server import SandboxServer, serve_in_thread
from whats91_desktop.sandbox.state import SandboxState, SandboxToken

# Nothing like the sandbox's tokens, with the characters that encodings change ('/', '+', '=').
TOKEN = "acme/Prod+Key=7Hq2Zr9xLmN4pT6vW8yB1cD3fG5"


def leak_forms(secret: str) -> dict[str, str]:
    """Every spelling of ``secret`` a log line, URL, JSON dump or header might carry."""
    raw = secret.encode()
    forms = {
        "raw": secret,
        "quote": quote(secret),
        "quote-safe-none": quote(secret, safe=""),
        "quote_plus": quote_plus(secret),
        "quote_plus-safe-slash": quote_plus(secret, safe="/"),
        "json-escaped": json.dumps(secret)[1:-1].replace("/", "\\/"),
        "base64": base64.b64encode(raw).decode(),
        "base64-urlsafe": base64.urlsafe_b64encode(raw).decode().rstrip("="),
        "basic-auth": base64.b64encode(b":" + raw).decode(),
    }
    return {name: form for name, form in forms.items() if len(form) >= 8}


def hits(haystack: str, secrets: dict[str, str]) -> list[str]:
    return [
        f"{who}/{form_name}"
        for who, secret in secrets.items()
        for form_name, form in leak_forms(secret).items()
        if form in haystack
    ]


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    state = SandboxState()
    state.tokens[TOKEN] = SandboxToken(TOKEN, "global")
    with serve_in_thread(state) as srv:
        yield srv


@pytest.fixture
def memory_keychain() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    chain = MemoryKeyring()
    keyring.set_keyring(chain)
    try:
        yield chain
    finally:
        keyring.set_keyring(previous)


class Session:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.outputs: list[str] = []
        self.codes: list[int] = []

    def run(self, *argv: str) -> str:
        out, err = io.StringIO(), io.StringIO()
        self.codes.append(main(list(argv), out=out, err=err))
        self.outputs += [out.getvalue(), err.getvalue()]
        return out.getvalue()

    def send(self, to: str, *extra: str) -> dict[str, object]:
        data: dict[str, object] = json.loads(
            self.run("send", "--base-url", self.base_url, "--json", "--to", to, "--text", "hi", *extra)
        )
        return data


def test_a_full_cli_session_leaves_no_secret_anywhere(
    server: SandboxServer, memory_keychain: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WHATS91_TOKEN", TOKEN)
    s = Session(server.base_url)
    base = ("--base-url", server.base_url)

    accepted = s.send(NORMAL_RECIPIENT)
    assert accepted["outcome"] == "accepted"
    assert s.send(BLACKLISTED_RECIPIENT)["outcome"] == "rejected"
    assert s.send(DROPPED_RECIPIENT)["outcome"] == "unknown"
    assert s.send(SERVER_ERROR_RECIPIENT)["outcome"] == "unknown"
    assert s.send("12")["outcome"] == "invalid"
    s.run("send", *base, "--to", NORMAL_RECIPIENT, "--text", "human mode, with --debug", "--debug")
    s.run("status", *base, "--json", str(accepted["messageId"]))
    s.run("status", *base, "wamid.does-not-exist")
    s.run("templates", *base, "--json")
    created = json.loads(
        s.run(
            "webhooks", "create", *base, "--json", "--name", "CRM", "--url", "https://crm.example.com/hook",
            "--event", "message.status.delivered",
        )
    )  # fmt: skip
    hook_secret = next(
        h.signing_secret for h in server.state.webhooks.hooks if h.uid == created["webhookUid"]
    )
    s.run("webhooks", "list", *base, "--json")
    assert s.codes[:5] == [0, 3, 4, 4, 2]

    paths = app_paths()
    store = MessageStore(paths.log_db)
    try:
        exported = store.export_csv(LogQuery(), paths.data_dir / "log.csv")
        store.export_json(LogQuery(), paths.data_dir / "log.json")
    finally:
        store.close()
    assert exported >= 4

    secrets = {"token": TOKEN, "webhook-secret": hook_secret}
    assert hook_secret in memory_keychain.passwords.values()  # stored, so the scan below can mean something
    env_dirs = ("WHATS91_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")
    homes = [Path(os.environ[name]) for name in env_dirs if os.environ.get(name)]
    roots = {p for p in (paths.config_dir, paths.data_dir, paths.log_dir, *homes) if p.exists()}
    files = sorted({f for root in roots for f in root.rglob("*") if f.is_file()})
    assert paths.log_db in files
    found = {str(f): leaked for f in files if (leaked := hits(f.read_bytes().decode("latin-1"), secrets))}
    assert found == {}
    assert hits("\n".join(s.outputs), secrets) == []
    # The request log of the sandbox (what went over the wire) did carry the token: the scan
    # above would have seen a leak had one been written.
    assert any("authorization" in (k.lower() for k in r.headers) for r in server.state.requests)


@pytest.mark.parametrize("form", sorted(leak_forms(TOKEN)))
def test_the_scan_sees_each_form_it_looks_for(form: str) -> None:
    assert hits(f"prefix {leak_forms(TOKEN)[form]} suffix", {"token": TOKEN}) != []
