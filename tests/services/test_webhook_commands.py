"""The ``webhooks …`` and ``listen`` command functions (what the CLI will call), on the sandbox
and over loopback: one JSON object per command, one JSON line per delivery, never a secret."""

from __future__ import annotations

import asyncio
import io
import json
import os
import signal
from pathlib import Path

import pytest

from tests.helpers.webhooks import SECRET, UID, post_delivery, recording_endpoint, until, wired_hub
from whats91_desktop.core.client import Whats91Client
from whats91_desktop.core.errors import ConfigError, ValidationError
from whats91_desktop.core.webhook_signing import signature_valid
from whats91_desktop.core.webhooks import WebhookDraft
from whats91_desktop.sandbox.app import create_app
from whats91_desktop.sandbox.constants import SANDBOX_BASE_URL, SANDBOX_TOKEN
from whats91_desktop.sandbox.state import SandboxState
from whats91_desktop.sandbox.transport import sandbox_transport
from whats91_desktop.sandbox.webhook_payloads import encode, sample_payload
from whats91_desktop.services.sandbox_profile import SANDBOX_PROFILE
from whats91_desktop.services.webhooks.commands import (
    ListenOptions,
    listen,
    signing_secret,
    stop_on_signals,
    webhooks_create,
    webhooks_events,
    webhooks_list,
    webhooks_show,
    webhooks_trigger,
    webhooks_update,
)

LISTEN_KEYS = {
    "receivedAt",
    "event",
    "signatureValid",
    "verificationTokenValid",
    "messageId",
    "status",
    "from",
    "bytes",
    "problem",
}


def lines(out: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_the_management_commands_print_one_object_each(tmp_path: Path) -> None:
    wired = wired_hub(tmp_path, secret=None)
    assert wired.hub.secrets is not None
    secrets = wired.hub.secrets

    async def go() -> io.StringIO:
        out, err = io.StringIO(), io.StringIO()
        transport = sandbox_transport(create_app(SandboxState(seed=5)))
        async with Whats91Client(SANDBOX_BASE_URL, SANDBOX_TOKEN, transport=transport) as client:
            await webhooks_events(client, sender_id=None, as_json=True, out=out)
            draft = WebhookDraft(
                name="CRM",
                endpoint_url="https://crm.example.com/h",
                events=("message.status.read",),
                verification_header_key="X-Token",
                verification_token="shared-token",
            )
            await webhooks_create(
                client,
                draft,
                profile=SANDBOX_PROFILE,
                secrets=secrets,
                sender_id=None,
                as_json=True,
                out=out,
                err=err,
            )
            uid = lines(out)[-1]["webhookUid"]
            assert isinstance(uid, str)
            await webhooks_list(client, sender_id=None, as_json=True, out=out)
            await webhooks_show(client, uid, sender_id=None, as_json=True, out=out)
            await webhooks_update(
                client,
                uid,
                WebhookDraft(status="INACTIVE"),
                profile=SANDBOX_PROFILE,
                secrets=secrets,
                sender_id=None,
                as_json=True,
                out=out,
            )
            stored = await secrets.get(uid)
            assert stored is not None
            assert stored.startswith("whsec_")
            assert await secrets.get(uid, "verification") == "shared-token"
            text = out.getvalue() + err.getvalue()
            assert stored not in text
            assert "shared-token" not in text
        return out

    printed = lines(asyncio.run(go()))
    assert "message.status.read" in printed[0]["eventKeys"]  # type: ignore[operator]
    assert printed[1]["signingSecretStored"] is True
    assert "memory" in str(printed[1]["storedIn"])  # the sandbox's secrets live as long as the app
    assert len(printed[2]["webhooks"]) == 1  # type: ignore[arg-type]
    assert printed[4]["status"] == "INACTIVE"


def test_create_checks_locally_before_sending(tmp_path: Path) -> None:
    wired = wired_hub(tmp_path)
    state = SandboxState(seed=5)

    async def go() -> None:
        async with Whats91Client(
            SANDBOX_BASE_URL, SANDBOX_TOKEN, transport=sandbox_transport(create_app(state))
        ) as client:
            assert wired.hub.secrets is not None
            with pytest.raises(ValidationError, match="not in the event catalog"):
                await webhooks_create(
                    client,
                    WebhookDraft(name="x", endpoint_url="https://a.example/h", events=("message.nope",)),
                    profile=SANDBOX_PROFILE,
                    secrets=wired.hub.secrets,
                    sender_id=None,
                    as_json=True,
                    out=io.StringIO(),
                    err=io.StringIO(),
                )

    asyncio.run(go())
    assert state.requests_to("webhook_create") == []


def test_the_secret_comes_from_exactly_one_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wired = wired_hub(tmp_path)
    monkeypatch.setenv("MY_SECRET", SECRET)

    async def go() -> None:
        assert await signing_secret("MY_SECRET", None, wired.hub.secrets) == SECRET
        assert await signing_secret(None, UID, wired.hub.secrets) == SECRET
        with pytest.raises(ConfigError, match="exactly one"):
            await signing_secret("MY_SECRET", UID, wired.hub.secrets)
        with pytest.raises(ConfigError, match="not set"):
            await signing_secret("NOT_SET_ANYWHERE", None, wired.hub.secrets)
        with pytest.raises(ConfigError, match="no signing secret of wh_other"):
            await signing_secret(None, "wh_other", wired.hub.secrets)

    asyncio.run(go())


def test_trigger_prints_the_endpoints_answer() -> None:
    async def go() -> tuple[dict[str, object], bool]:
        out = io.StringIO()
        async with recording_endpoint(status=401) as endpoint:
            await webhooks_trigger(
                "message.status.failed",
                endpoint.url,
                secret=SECRET,
                bad_signature=True,
                as_json=True,
                out=out,
            )
            request = endpoint.requests[0]
        return lines(out)[0], signature_valid(request.body, SECRET, request.header("X-Whats91-Signature"))

    printed, valid = asyncio.run(go())
    assert printed["statusCode"] == 401
    assert printed["badSignature"] is True
    assert valid is False


def test_listen_prints_one_json_line_per_delivery_and_stops_on_sigterm(tmp_path: Path) -> None:
    wired = wired_hub(tmp_path)

    async def go() -> tuple[int, io.StringIO, io.StringIO]:
        out, err = io.StringIO(), io.StringIO()
        stop = asyncio.Event()
        stop_on_signals(stop)
        task = asyncio.ensure_future(
            listen(wired.hub, ListenOptions(port=0, write_log=False), out=out, err=err, stop=stop)
        )
        await until(lambda: wired.hub.receiver.running)
        url = wired.hub.receiver.local_url()
        assert url is not None
        await post_delivery(url, encode(sample_payload("message.inbound.text", webhook_uid=UID)))
        await post_delivery(url, b"not json")
        await until(lambda: len(out.getvalue().splitlines()) == 2)
        os.kill(os.getpid(), signal.SIGTERM)
        return await asyncio.wait_for(task, 5), out, err

    code, out, err = asyncio.run(go())
    assert code == 0
    first, second = lines(out)
    assert set(first) == LISTEN_KEYS
    assert first["event"] == "message.inbound.text"
    assert first["signatureValid"] is True
    assert first["verificationTokenValid"] is None
    assert first["from"] == "919888888888"
    assert second["signatureValid"] is False  # no webhookUid, so no secret to check it with
    assert "not JSON" in str(second["problem"])
    assert "tunnel or a public address" in err.getvalue()
    assert not wired.hub.receiver.running


def test_listen_with_a_fixed_secret_and_forwarding(tmp_path: Path) -> None:
    wired = wired_hub(tmp_path, secret=None)

    async def go() -> tuple[list[dict[str, object]], int]:
        out, err = io.StringIO(), io.StringIO()
        stop = asyncio.Event()
        async with recording_endpoint() as endpoint:
            options = ListenOptions(port=0, secret=SECRET, forward_to=endpoint.url)
            task = asyncio.ensure_future(listen(wired.hub, options, out=out, err=err, stop=stop))
            await until(lambda: wired.hub.receiver.running)
            url = wired.hub.receiver.local_url()
            assert url is not None
            await post_delivery(url, encode(sample_payload("message.status.delivered", webhook_uid="wh_any")))
            await until(lambda: len(endpoint.requests) == 1)
            await until(lambda: "forwarded" in err.getvalue())
            stop.set()
            await task
            return lines(out), len(endpoint.requests)

    printed, forwarded = asyncio.run(go())
    assert printed[0]["signatureValid"] is True
    assert printed[0]["status"] == "delivered"
    assert forwarded == 1
