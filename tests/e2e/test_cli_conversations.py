"""``conversations`` and ``thread`` over loopback: the README's --json shapes and exit codes."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from whats91_desktop.cli import main
from whats91_desktop.sandbox.constants import SANDBOX_EXPIRED_TOKEN
from whats91_desktop.sandbox.server import SandboxServer

ROW_KEYS = {"contactPhone", "contactName", "lastMessageAt", "lastMessageDirection", "unreadCount", "window"}
MESSAGE_KEYS = {"messageId", "direction", "type", "text", "status", "timestamp"}


pytestmark = pytest.mark.usefixtures("sandbox_session")


def run_json(server: SandboxServer, *argv: str) -> tuple[int, dict[str, Any], str]:
    out, err = io.StringIO(), io.StringIO()
    code = main([*argv, "--base-url", server.base_url, "--json"], out=out, err=err)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    assert len(lines) == 1, f"expected exactly one JSON line on stdout, got {out.getvalue()!r}"
    return code, json.loads(lines[0]), err.getvalue()


def test_conversations_json_shape_and_windows(server: SandboxServer) -> None:
    code, data, _ = run_json(server, "conversations")
    assert code == 0
    rows = {row["contactPhone"]: row for row in data["conversations"]}
    assert all(set(row) == ROW_KEYS for row in rows.values())
    assert rows["918000000101"]["window"]["open"] is True
    assert rows["918000000101"]["window"]["closesAt"].endswith("Z")
    assert rows["918000000102"]["window"] == {"open": None, "closesAt": None}


def test_conversations_unread_and_search(server: SandboxServer) -> None:
    _, unread, _ = run_json(server, "conversations", "--unread")
    _, found, _ = run_json(server, "conversations", "--search", "rahul")
    assert [(r["contactPhone"], r["unreadCount"]) for r in unread["conversations"]] == [("918000000104", 3)]
    assert [r["contactName"] for r in found["conversations"]] == ["Rahul Mehta"]


def test_thread_oldest_first_with_a_known_window(server: SandboxServer) -> None:
    code, data, _ = run_json(server, "thread", "+91 80000 00103")
    assert code == 0
    assert data["contactPhone"] == "918000000103"
    assert data["window"]["open"] is False
    assert [m["direction"] for m in data["messages"]] == ["inbound", "outbound"]
    assert all(set(m) == MESSAGE_KEYS for m in data["messages"])
    assert data["messages"][-1]["status"] == "failed"


def test_thread_national_number_is_normalised(server: SandboxServer) -> None:
    _, data, _ = run_json(server, "thread", "8000000101")
    assert data["contactPhone"] == "918000000101"


def test_unknown_contact_is_a_clear_error(server: SandboxServer) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(["thread", "918000000199", "--base-url", server.base_url], out=out, err=err)
    assert code == 3
    assert "no conversation with 918000000199" in err.getvalue()


def test_bad_number_sends_nothing(server: SandboxServer) -> None:
    code, data, _ = run_json(server, "thread", "12ab")
    assert code == 2
    assert data["problems"][0]["field"] == "NUMBER"
    assert server.state.requests == []


def test_refused_token_exit_code(server: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WHATS91_TOKEN", SANDBOX_EXPIRED_TOKEN)
    code, data, _ = run_json(server, "conversations")
    assert code == 3
    assert data["errorCode"] == "INVALID_AUTH_TOKEN"
