"""``whats91-desktop bulk``: the README's contract, against the sandbox over real loopback HTTP."""

from __future__ import annotations

import io
import json
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import child_env
from whats91_desktop.cli import main
from whats91_desktop.cli.bulk import exit_code
from whats91_desktop.core.bulk.models import JobState, JobSummary, Kind, RowState
from whats91_desktop.sandbox.constants import BLACKLISTED_RECIPIENT, SANDBOX_EXPIRED_TOKEN, SANDBOX_TOKEN
from whats91_desktop.sandbox.server import SandboxServer

SUMMARY_KEYS = {"jobId", "planned", "accepted", "queued", "rejected", "unknown", "skipped"}


pytestmark = pytest.mark.usefixtures("sandbox_session")


def numbers(count: int) -> list[str]:
    return [f"91982{index:07d}" for index in range(count)]


def audience(tmp_path: Path, rows: list[str], name: str = "people.csv") -> Path:
    path = tmp_path / name
    path.write_text(
        "phone;name\n" + "".join(f"{n};Person {i}\n" for i, n in enumerate(rows)), encoding="utf-8"
    )
    return path


def bulk(server: SandboxServer, *argv: str) -> tuple[int, dict[str, Any], str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["bulk", "--base-url", server.base_url, *argv], out=out, err=err)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one JSON object on stdout, got {out.getvalue()!r}"
    return code, json.loads(lines[0]), err.getvalue()


def test_a_run_prints_the_job_id_progress_and_one_summary_exit_0(
    server: SandboxServer, tmp_path: Path
) -> None:
    rows = [*numbers(5), BLACKLISTED_RECIPIENT]
    path = audience(tmp_path, rows)
    code, summary, err = bulk(
        server, str(path), "--text", "Hi {name}", "--to-column", "phone", "--rate", "80"
    )
    assert code == 0
    assert set(summary) == SUMMARY_KEYS
    assert (summary["accepted"], summary["skipped"], summary["planned"]) == (5, 1, 0)
    assert err.index("job id: " + summary["jobId"]) < err.index("progress: ")
    assert all(len(server.state.sends_to(n)) == 1 for n in numbers(5))
    assert not server.state.sends_to(BLACKLISTED_RECIPIENT)


def test_dry_run_sends_nothing_and_says_what_would_happen(server: SandboxServer, tmp_path: Path) -> None:
    path = audience(tmp_path, [*numbers(3), numbers(1)[0]])
    code, summary, err = bulk(server, str(path), "--text", "Hi {name}", "--to-column", "phone", "--dry-run")
    assert code == 0
    assert summary["dryRun"] is True
    assert (summary["planned"], summary["skipped"], summary["jobId"]) == (3, 1, None)
    assert "skipped: line 5: Same number as line 2" in err
    assert "preview (line 3):\n  Hi Person 1" in err
    assert not [r for r in server.state.requests if r.is_send]


def test_a_row_with_a_problem_exits_2_and_sends_nothing(server: SandboxServer, tmp_path: Path) -> None:
    path = audience(tmp_path, [*numbers(2), "12345"])
    code, summary, err = bulk(
        server, str(path), "--template", "payment_reminder", "--to-column", "phone", "--param-column", "name"
    )
    assert code == 2
    assert summary["outcome"] == "invalid"
    assert {p["line"] for p in summary["problems"]} == {2, 3, 4}
    assert "problem: line 4: phone:" in err
    assert not [r for r in server.state.requests if r.is_send]


def test_other_encodings_name_the_line_and_read_with_encoding(server: SandboxServer, tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes(f"phone,name\n{numbers(1)[0]},Jos\u00e9\n".encode("cp1252"))
    code, summary, err = bulk(server, str(path), "--text", "Hi {name}", "--to-column", "phone", "--dry-run")
    assert code == 2
    assert summary["problems"][0]["line"] == 2
    assert "--encoding cp1252" in err
    code, summary, _ = bulk(
        server, str(path), "--text", "Hi {name}", "--to-column", "phone", "--dry-run", "--encoding", "cp1252"
    )
    assert (code, summary["planned"]) == (0, 1)


def test_rejected_rows_exit_3(server: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WHATS91_TOKEN", SANDBOX_EXPIRED_TOKEN)
    path = audience(tmp_path, numbers(2))
    code, summary, err = bulk(server, str(path), "--text", "Hi", "--to-column", "phone")
    assert code == 3
    assert summary["rejected"] == 2
    assert "notice: The blacklist could not be read" in err


def test_unknown_wins_over_rejected_in_the_exit_code() -> None:
    def summary(**counts: int) -> JobSummary:
        full = {state: counts.get(state.value, 0) for state in RowState}
        return JobSummary("j", 0.0, "p", "s", Kind.TEXT, "x", JobState.FINISHED, full, 10.0)

    assert exit_code(summary(accepted=2, skipped=1)) == 0
    assert exit_code(summary(accepted=1, rejected=1)) == 3
    assert exit_code(summary(rejected=1, unknown=1)) == 4


def test_jobs_lists_them_and_cancel_skips_the_rest(server: SandboxServer, tmp_path: Path) -> None:
    path = audience(tmp_path, numbers(2))
    _, first, _ = bulk(server, str(path), "--text", "Hi", "--to-column", "phone")
    code, listing, _ = bulk(server, "--jobs", "--json")
    assert code == 0
    assert [job["jobId"] for job in listing["jobs"]] == [first["jobId"]]
    assert listing["jobs"][0]["state"] == "finished"
    code, cancelled, _ = bulk(server, "--cancel", first["jobId"])
    assert (code, cancelled["accepted"], cancelled["skipped"]) == (0, 2, 0)


def test_ctrl_c_stops_gracefully_and_resume_sends_the_rest_once(
    server: SandboxServer, tmp_path: Path
) -> None:
    rows = numbers(40)
    path = audience(tmp_path, rows)
    env = {**child_env(tmp_path / "home"), "WHATS91_TOKEN": SANDBOX_TOKEN}
    command = [sys.executable, "-m", "whats91_desktop", "bulk", "--base-url", server.base_url]
    child = subprocess.Popen(
        [*command, str(path), "--text", "Hi {name}", "--to-column", "phone", "--rate", "20", "--yes"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stderr is not None
    for line in child.stderr:
        if line.startswith("progress: ") and " accepted 0 " not in line:
            break  # a progress line with sends in it: the job is running
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=30)
    assert child.returncode == 130, err
    stopped = json.loads(out.strip().splitlines()[-1])
    assert 0 < stopped["planned"] < 40
    assert f"--resume {stopped['jobId']}" in err
    resumed = subprocess.run(
        [*command, "--resume", stopped["jobId"]], env=env, capture_output=True, text=True
    )
    assert resumed.returncode == 0, resumed.stderr
    final = json.loads(resumed.stdout.strip().splitlines()[-1])
    assert (final["accepted"], final["planned"]) == (40, 0)
    assert all(len(server.state.sends_to(n)) == 1 for n in rows)


def test_resuming_an_unknown_job_is_invalid_input(server: SandboxServer) -> None:
    code, answer, _ = bulk(server, "--resume", "no-such-job", "--json")
    assert code == 2
    assert "no bulk job 'no-such-job'" in answer["errorMessage"]
