"""The diagnostic bundle: everything support needs, no token, no webhook secret, no message text."""

from __future__ import annotations

import asyncio
import base64
import json
import urllib.parse
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.memory_keyring import MemoryKeyring
from whats91_desktop.app import build_desktop_services
from whats91_desktop.core.logsetup import LOG_FILE_NAME
from whats91_desktop.core.models import Profile
from whats91_desktop.services.container import DesktopServices
from whats91_desktop.services.diagnostics import BUNDLE_ROWS, about_facts, mask_number, save_bundle
from whats91_desktop.services.executors import Executors

TOKEN = "tok-3f9c2a7d81e64b0c9d5e"  # not shaped like w91_live_: only knowing it can scrub it
SIGNING_SECRET = "whsec_Zq8Lm2Xr5Vt9Kp3Nw7Yb"
RECIPIENT = "919876543210"
BODY = "Your appointment with Dr Asha is at 5 pm"


@pytest.fixture
def desk() -> Iterator[DesktopServices]:
    executors = Executors.create()
    made = build_desktop_services(executors=executors, keyring_backend=MemoryKeyring())
    yield made
    asyncio.run(made.aclose())
    executors.shutdown()


def _seed(desk: DesktopServices) -> None:
    services = desk.services

    async def seed() -> None:
        live = Profile(name="Live", base_url="https://api.whats91.example", default_sender="911234567890")
        await services.profiles.save(live, TOKEN)
        assert desk.webhooks.secrets is not None
        await desk.webhooks.secrets.store(live, "wh_1", SIGNING_SECRET)
        for n in range(BUNDLE_ROWS + 5):
            await desk.store.create_sending(
                profile="Live",
                sender_id="911234567890",
                recipient=RECIPIENT,
                kind="text",
                preview=BODY,
                request_text=f"POST /send Authorization: Bearer {TOKEN}\n{BODY} #{n}",
            )
        await services.settings.flush()

    asyncio.run(seed())
    log_dir = services.paths.log_dir
    log_dir.mkdir(parents=True, exist_ok=True)
    echoed = json.dumps({"secret": SIGNING_SECRET, "token": TOKEN})
    (log_dir / LOG_FILE_NAME).write_text(
        "2026-12-01 10:00:00 INFO whats91: server said "
        + echoed
        + f"\nquery ?t={urllib.parse.quote(TOKEN)} b64 {base64.b64encode(SIGNING_SECRET.encode()).decode()}"
        + f"\nsent to +{RECIPIENT}\n",
        encoding="utf-8",
    )


def _bundle_text(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as bundle:
        return {name: bundle.read(name).decode("utf-8") for name in bundle.namelist()}


def test_the_bundle_holds_no_secret_no_body_and_no_full_number(desk: DesktopServices, tmp_path: Path) -> None:
    _seed(desk)
    target = tmp_path / "bundle.zip"
    summary = asyncio.run(save_bundle(target, desk))
    files = _bundle_text(target)
    assert set(files) == {"about.json", "settings.json", "messages.json", f"logs/{LOG_FILE_NAME}"}
    everything = "\n".join(files.values())
    for secret in (
        TOKEN,
        SIGNING_SECRET,
        urllib.parse.quote(TOKEN),
        base64.b64encode(SIGNING_SECRET.encode()).decode(),
    ):
        assert secret not in everything
    assert BODY not in everything
    assert RECIPIENT not in everything
    assert summary.rows == BUNDLE_ROWS


def test_the_bundle_keeps_what_support_needs(desk: DesktopServices, tmp_path: Path) -> None:
    _seed(desk)
    target = tmp_path / "bundle.zip"
    asyncio.run(save_bundle(target, desk))
    files = _bundle_text(target)
    about = json.loads(files["about.json"])
    assert set(about["versions"]) == {
        "Whats91 Desktop",
        "Qt / PySide6",
        "Python",
        "httpx",
        "Operating system",
    }
    assert about["paths"]["Settings"] == str(desk.services.paths.settings_file)
    rows = json.loads(files["messages.json"])
    assert len(rows) == BUNDLE_ROWS
    assert rows[0]["recipient"] == mask_number(RECIPIENT)
    assert rows[0]["state"] == "sending"
    assert "preview" not in rows[0]
    settings = json.loads(files["settings.json"])
    assert [p["name"] for p in settings["profiles"]] == ["Live"]
    assert "server said" in files[f"logs/{LOG_FILE_NAME}"]


def test_about_and_the_bundle_share_one_source(desk: DesktopServices) -> None:
    facts = about_facts(desk.services.paths, "memory")
    labels = [label for label, _value in facts.rows()]
    assert labels[:2] == ["Whats91 Desktop", "Qt / PySide6"]
    assert "Token storage" in labels


@pytest.mark.parametrize(
    ("digits", "masked"),
    [("919876543210", "9198•••••210"), ("14155550123", "141•••••123"), ("12345", "•••••")],
)
def test_numbers_are_masked_in_the_middle(digits: str, masked: str) -> None:
    assert mask_number(digits) == masked


def test_the_command_line_writes_the_same_bundle(tmp_path: Path) -> None:
    import io

    from whats91_desktop.cli import main

    out = io.StringIO()
    target = tmp_path / "cli.zip"
    assert main(["diagnostics", "--output", str(target), "--json"], out=out, err=io.StringIO()) == 0
    assert json.loads(out.getvalue())["path"] == str(target)
    assert "about.json" in _bundle_text(target)
