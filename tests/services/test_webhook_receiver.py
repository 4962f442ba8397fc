"""The local webhook receiver and hub over real loopback sockets: verification, the log,
forwarding, replay and test events. Plain asyncio, no QApplication."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import pytest

from tests.helpers.webhooks import (
    SECRET,
    UID,
    WiredHub,
    post_delivery,
    recording_endpoint,
    until,
    wired_hub,
)
from whats91_desktop.core.errors import ConfigError
from whats91_desktop.core.models import Outcome, Profile, SendResult
from whats91_desktop.core.store import StoreError
from whats91_desktop.core.store.webhook_log import StatusApplied, WebhookStatusUpdate
from whats91_desktop.core.webhook_deliveries import iso_time
from whats91_desktop.core.webhook_signing import signature_valid
from whats91_desktop.core.webhooks import Webhook
from whats91_desktop.sandbox.webhook_payloads import encode, sample_payload, status_payload
from whats91_desktop.services.webhooks.receiver import MAX_BODY_BYTES
from whats91_desktop.services.webhooks.trigger import build_sample, send_sample

WAMID = "wamid.HBgMtest0001"
RECIPIENT = "918888888888"


def later(seconds: float) -> str:
    """A payload time ``seconds`` after now (the row's own first event is stamped now)."""
    return iso_time(time.time() + seconds)


def status_body(status: str, timestamp: str | None, *, message_id: str = WAMID) -> bytes:
    payload = status_payload(
        status,
        webhook_uid=UID,
        sender_id="919999999999",
        message_id=message_id,
        recipient=RECIPIENT,
        timestamp=timestamp,
    )
    return encode(payload)


def run_with_hub(
    tmp_path: Path, scenario: Callable[[WiredHub, str], Awaitable[None]], **kwargs: object
) -> WiredHub:
    wired = wired_hub(tmp_path, **kwargs)  # type: ignore[arg-type]

    async def go() -> None:
        await wired.hub.start(port=0, profile="Sandbox")
        url = wired.hub.receiver.local_url()
        assert url is not None
        try:
            await scenario(wired, url)
        finally:
            await wired.hub.aclose()
            await wired.store.aclose()

    asyncio.run(go())
    return wired


async def logged_row(wired: WiredHub, message_id: str = WAMID) -> int:
    store = wired.store
    row = await store.create_sending(
        profile="Sandbox",
        sender_id="919999999999",
        recipient=RECIPIENT,
        kind="text",
        preview="hi",
        request_text="",
    )
    await store.complete(
        row, SendResult(Outcome.ACCEPTED, http_status=200, message_id=message_id, status="accepted")
    )
    return row


# --------------------------------------------------------------------------- verification


def test_a_correctly_signed_status_changes_the_log(tmp_path: Path) -> None:
    async def scenario(wired: WiredHub, url: str) -> None:
        row = await logged_row(wired)
        response = await post_delivery(url, status_body("delivered", later(60)))
        assert response.status_code == 200
        await until(lambda: len(wired.hub.records) == 1)
        record = wired.hub.records[0]
        assert record.signature_valid is True
        assert record.trusted
        assert record.problem is None
        entry = await wired.store.get(row)
        assert entry is not None
        assert entry.status == "delivered"
        assert [e.status for e in await wired.store.events(row)] == ["accepted", "delivered"]
        assert wired.row_changes == [row]

    run_with_hub(tmp_path, scenario)


@pytest.mark.parametrize(
    ("label", "send", "counter", "problem"),
    [
        (
            "tampered body",
            lambda url, body: post_delivery(
                url, body.replace(b"delivered", b"read"), signature=_signature(body)
            ),
            "bad_signature",
            "does not match",
        ),
        (
            "wrong secret",
            lambda url, body: post_delivery(url, body, secret="whsec_other"),
            "bad_signature",
            "does not match",
        ),
        (
            "missing header",
            lambda url, body: post_delivery(url, body, secret=None),
            "missing_signature",
            "no X-Whats91",
        ),
        ("not JSON", lambda url, body: post_delivery(url, b"<html>hi</html>"), "not_json", "not JSON"),
    ],
)
def test_untrusted_deliveries_are_shown_and_counted_and_change_nothing(
    tmp_path: Path,
    label: str,
    send: Callable[[str, bytes], Awaitable[httpx.Response]],
    counter: str,
    problem: str,
) -> None:
    async def scenario(wired: WiredHub, url: str) -> None:
        row = await logged_row(wired)
        response = await send(url, status_body("delivered", later(60)))
        assert response.status_code == 200  # answered at once, judged afterwards
        await until(lambda: len(wired.hub.records) == 1)
        record = wired.hub.records[0]
        assert not record.trusted, label
        assert problem in (record.problem or "")
        assert getattr(wired.hub.counters, counter) == 1
        entry = await wired.store.get(row)
        assert entry is not None
        assert entry.status == "accepted"
        assert wired.row_changes == []
        # ...and the listener still serves the next, valid delivery.
        await post_delivery(url, status_body("read", later(120)))
        await until(lambda: len(wired.hub.records) == 2)
        assert wired.hub.records[1].trusted

    run_with_hub(tmp_path, scenario)


def _signature(body: bytes) -> str:
    from whats91_desktop.core.webhook_signing import signature_for

    return signature_for(body, SECRET)


def test_a_10_mb_body_gets_413_and_the_next_delivery_is_served(tmp_path: Path) -> None:
    async def scenario(wired: WiredHub, url: str) -> None:
        huge = b'{"event":"message.inbound.text","data":{"text":"' + b"x" * (10 * 1024 * 1024) + b'"}}'
        response = await post_delivery(url, huge)
        assert response.status_code == 413
        response = await post_delivery(url, status_body("sent", later(30)))
        assert response.status_code == 200
        await until(lambda: len(wired.hub.records) == 2)
        refused, served = wired.hub.records
        assert "413" in (refused.problem or "")
        assert refused.size > MAX_BODY_BYTES
        assert wired.hub.counters.too_large == 1
        assert served.trusted

    run_with_hub(tmp_path, scenario)


def test_a_verification_token_alone_is_trusted_and_a_wrong_one_never(tmp_path: Path) -> None:
    async def scenario(wired: WiredHub, url: str) -> None:
        hook = Webhook(UID, "CRM", url, ("message.status.read",), verification_header_key="X-CRM-Token")
        wired.hub.know_destinations([hook])
        await wired.secrets.store(Profile("Live"), UID, "shared-token", "verification")
        body = status_body("read", later(120))
        await post_delivery(url, body, secret=None, headers={"X-CRM-Token": "shared-token"})
        await post_delivery(url, body, secret=None, headers={"X-CRM-Token": "guess"})
        await until(lambda: len(wired.hub.records) == 2)
        good, bad = wired.hub.records
        assert good.signature_valid is None
        assert good.verification_token_valid is True
        assert good.trusted
        assert bad.verification_token_valid is False
        assert not bad.trusted
        assert ("X-CRM-Token", "[REDACTED]") in good.shown_headers()

    run_with_hub(tmp_path, scenario, secret=None)


# --------------------------------------------------------------------------- the log


def test_out_of_order_statuses_keep_both_events_and_never_step_back(tmp_path: Path) -> None:
    async def scenario(wired: WiredHub, url: str) -> None:
        row = await logged_row(wired)
        await post_delivery(url, status_body("read", later(120)))
        await post_delivery(url, status_body("delivered", later(60)))
        await post_delivery(url, status_body("sent", later(30)))
        await until(lambda: len(wired.hub.records) == 3)
        entry = await wired.store.get(row)
        assert entry is not None
        assert entry.status == "read"
        assert [e.status for e in await wired.store.events(row)] == ["accepted", "sent", "delivered", "read"]

    run_with_hub(tmp_path, scenario)


def test_the_same_delivery_twice_adds_nothing(tmp_path: Path) -> None:
    async def scenario(wired: WiredHub, url: str) -> None:
        row = await logged_row(wired)
        failed = status_body("failed", None)  # as documented: no timestamp
        await post_delivery(url, failed)
        await post_delivery(url, failed)
        await until(lambda: len(wired.hub.records) == 2)
        events = await wired.store.events(row)
        assert [e.status for e in events] == ["accepted", "failed"]
        assert events[1].error_code == "131026"
        assert wired.hub.counters.duplicates == 1
        assert "duplicate" in wired.hub.records[1].outcome
        assert wired.row_changes == [row]

    run_with_hub(tmp_path, scenario)


def test_deliveries_arriving_together_are_answered_at_once_and_applied_as_one_burst(tmp_path: Path) -> None:
    async def scenario(wired: WiredHub, url: str) -> None:
        ids = [f"wamid.burst{n}" for n in range(10)]
        rows = [await logged_row(wired, message_id) for message_id in ids]
        log_free = asyncio.Event()
        bursts: list[int] = []
        apply = wired.store.apply_webhook_statuses

        async def held_up(updates: list[WebhookStatusUpdate]) -> tuple[list[StatusApplied], list[int]]:
            bursts.append(len(updates))
            await log_free.wait()
            return await apply(updates)

        wired.store.apply_webhook_statuses = held_up  # type: ignore[method-assign]
        answers = await asyncio.gather(
            *(post_delivery(url, status_body("delivered", later(60), message_id=m)) for m in ids)
        )
        assert [a.status_code for a in answers] == [200] * 10  # while the log was held up
        log_free.set()
        await until(lambda: len(wired.hub.records) == 10)
        assert sum(bursts) == 10
        assert len(bursts) < 10  # not one log transaction per delivery
        assert all(r.outcome.startswith("timeline") for r in wired.hub.records)
        assert sorted(wired.row_changes) == rows

    run_with_hub(tmp_path, scenario)


def test_a_log_that_cannot_be_written_is_each_deliverys_outcome(tmp_path: Path) -> None:
    async def scenario(wired: WiredHub, url: str) -> None:
        async def full_disk(_updates: list[WebhookStatusUpdate]) -> tuple[list[StatusApplied], list[int]]:
            raise StoreError("message log error: database or disk is full")

        wired.store.apply_webhook_statuses = full_disk  # type: ignore[method-assign]
        response = await post_delivery(url, status_body("delivered", later(60)))
        assert response.status_code == 200
        await until(lambda: len(wired.hub.records) == 1)
        assert wired.hub.records[0].trusted
        assert (
            wired.hub.records[0].outcome
            == "not written to the message log: message log error: database or disk is full"
        )

    run_with_hub(tmp_path, scenario)


def test_a_status_for_an_unknown_message_is_kept_then_joins_its_row(tmp_path: Path) -> None:
    async def scenario(wired: WiredHub, url: str) -> None:
        await post_delivery(url, status_body("sent", later(30), message_id="wamid.early"))
        await until(lambda: len(wired.hub.records) == 1)
        assert "kept" in wired.hub.records[0].outcome
        kept = await wired.store.webhook_statuses()
        assert [(s.message_id, s.status) for s in kept] == [("wamid.early", "sent")]
        row = await logged_row(wired, "wamid.early")
        await post_delivery(url, status_body("delivered", later(60), message_id="wamid.early"))
        await until(lambda: len(wired.hub.records) == 2)
        assert [e.status for e in await wired.store.events(row)] == ["accepted", "sent", "delivered"]
        assert await wired.store.webhook_statuses() == []

    run_with_hub(tmp_path, scenario)


def test_inbound_messages_are_stored_per_contact_and_open_the_window(tmp_path: Path) -> None:
    async def scenario(wired: WiredHub, url: str) -> None:
        body = encode(sample_payload("message.inbound.text", webhook_uid=UID, contact="919888888888"))
        await post_delivery(url, body)
        await post_delivery(url, body)
        await until(lambda: len(wired.hub.records) == 2)
        messages = await wired.store.conversation("919888888888")
        assert [(m.direction, m.text) for m in messages] == [("inbound", "I need help with my order")]
        ends = await wired.store.service_window_ends("919888888888")
        assert ends is not None
        assert ends - messages[0].received_at == 24 * 3600

    run_with_hub(tmp_path, scenario)


def test_template_reviews_are_announced(tmp_path: Path) -> None:
    async def scenario(wired: WiredHub, url: str) -> None:
        seen: list[str | None] = []
        wired.hub.template_updates.subscribe(lambda d: seen.append(d.template_name))
        await post_delivery(url, encode(sample_payload("template.status_update", webhook_uid=UID)))
        await until(lambda: len(wired.hub.records) == 1)
        assert seen == ["payment_reminder_v1"]
        assert "APPROVED" in wired.hub.records[0].outcome

    run_with_hub(tmp_path, scenario)


def test_unknown_events_are_counted_not_applied(tmp_path: Path) -> None:
    async def scenario(wired: WiredHub, url: str) -> None:
        await post_delivery(
            url, json.dumps({"event": "contact.deleted", "webhookUid": UID, "data": {}}).encode()
        )
        await until(lambda: len(wired.hub.records) == 1)
        assert wired.hub.counters.unknown_event == 1
        assert "unknown event" in (wired.hub.records[0].problem or "")

    run_with_hub(tmp_path, scenario)


# --------------------------------------------------------------------------- forward, replay, trigger


def test_forwarding_relays_the_exact_bytes_and_headers_and_never_changes_our_answer(tmp_path: Path) -> None:
    async def scenario(wired: WiredHub, url: str) -> None:
        async with recording_endpoint(status=500) as endpoint:
            wired.hub.set_forward(endpoint.url)
            body = status_body("delivered", later(60))
            response = await post_delivery(url, body, headers={"X-Extra": "kept"})
            assert response.status_code == 200  # the endpoint's 500 is not Whats91's business
            await until(lambda: bool(wired.hub.records) and wired.hub.records[0].forward is not None)
            got = endpoint.requests[0]
            assert got.body == body
            assert got.header("X-Whats91-Signature") == _signature(body)
            assert got.header("X-Extra") == "kept"
            forward = wired.hub.records[0].forward
            assert forward is not None
            assert forward.status_code == 500
            assert forward.latency_ms >= 0
            assert forward.body == '{"ok":true}'
            assert wired.hub.counters.forward_failed == 1

    run_with_hub(tmp_path, scenario)


def test_a_failing_forward_target_is_shown_not_fatal(tmp_path: Path) -> None:
    async def scenario(wired: WiredHub, url: str) -> None:
        wired.hub.set_forward("http://127.0.0.1:9/nothing-listens-here")
        response = await post_delivery(url, status_body("sent", later(30)))
        assert response.status_code == 200
        await until(lambda: bool(wired.hub.records) and wired.hub.records[0].forward is not None)
        forward = wired.hub.records[0].forward
        assert forward is not None
        assert forward.status_code is None
        assert forward.error

    run_with_hub(tmp_path, scenario)


def test_forward_urls_must_be_loopback_or_https(tmp_path: Path) -> None:
    wired = wired_hub(tmp_path)
    with pytest.raises(ConfigError, match="plain http only to this computer"):
        wired.hub.set_forward("http://example.com/hook")
    wired.hub.set_forward("https://example.com/hook")
    assert wired.hub.forward_url == "https://example.com/hook"


def test_replay_to_the_store_and_to_the_forward_url_is_byte_for_byte(tmp_path: Path) -> None:
    async def scenario(wired: WiredHub, url: str) -> None:
        body = status_body("delivered", later(60))
        await post_delivery(url, body)  # no row yet, then the row appears
        await until(lambda: len(wired.hub.records) == 1)
        first = wired.hub.records[0]
        again = await wired.hub.replay_to_store(first)
        assert again.source == "replay"
        assert again.body == body
        assert "duplicate" in again.outcome
        async with recording_endpoint() as endpoint:
            result = await wired.hub.replay_to_forward(first, endpoint.url)
            assert result.status_code == 200
            assert endpoint.requests[0].body == body
            assert endpoint.requests[0].header("X-Whats91-Signature") == first.header("X-Whats91-Signature")

    run_with_hub(tmp_path, scenario)


def test_trigger_signs_with_the_secret_and_the_bad_variant_does_not_verify() -> None:
    async def scenario() -> None:
        async with recording_endpoint() as endpoint:
            good = build_sample("message.status.read", secret=SECRET, message_id=WAMID)
            bad = build_sample("message.status.read", secret=SECRET, message_id=WAMID, bad_signature=True)
            for sample in (good, bad):
                sent = await send_sample(endpoint.url, sample)
                assert sent.result.status_code == 200
            first, second = endpoint.requests
            assert json.loads(first.body)["data"]["messageId"] == WAMID
            assert signature_valid(first.body, SECRET, first.header("X-Whats91-Signature"))
            assert not signature_valid(second.body, SECRET, second.header("X-Whats91-Signature"))

    asyncio.run(scenario())


@pytest.mark.parametrize(
    "event",
    ["message.inbound.text", "message.status.delivered", "message.status.failed", "template.status_update"],
)
def test_every_documented_sample_can_be_triggered_into_our_own_receiver(tmp_path: Path, event: str) -> None:
    async def scenario(wired: WiredHub, url: str) -> None:
        sent = await send_sample(url, build_sample(event, secret=SECRET, webhook_uid=UID))
        assert sent.result.status_code == 200
        await until(lambda: len(wired.hub.records) == 1)
        assert wired.hub.records[0].signature_valid is True
        assert wired.hub.records[0].event == event

    run_with_hub(tmp_path, scenario)


def test_trigger_refuses_plain_http_to_another_host() -> None:
    sample = build_sample("message.status.delivered", secret=SECRET)
    with pytest.raises(ConfigError, match="plain http only"):
        asyncio.run(send_sample("http://example.com/hook", sample))


# --------------------------------------------------------------------------- the listener itself


def test_only_loopback_unless_the_network_is_explicitly_allowed(tmp_path: Path) -> None:
    wired = wired_hub(tmp_path)

    async def go() -> None:
        with pytest.raises(ConfigError, match="explicit network option"):
            await wired.hub.start("0.0.0.0", 0)
        await wired.hub.start("0.0.0.0", 0, allow_network=True)
        assert wired.hub.receiver.exposed
        assert (wired.hub.receiver.local_url() or "").startswith("http://127.0.0.1:")
        await wired.hub.aclose()

    asyncio.run(go())


def test_a_port_in_use_is_a_clear_error(tmp_path: Path) -> None:
    first, second = wired_hub(tmp_path / "a"), wired_hub(tmp_path / "b")

    async def go() -> None:
        await first.hub.start(port=0)
        port = first.hub.receiver.port
        assert port is not None
        with pytest.raises(ConfigError, match=f"cannot listen on 127.0.0.1:{port}"):
            await second.hub.start(port=port)
        await first.hub.aclose()

    asyncio.run(go())


def test_the_secret_never_reaches_the_logs_or_the_shown_record(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario(wired: WiredHub, url: str) -> None:
        body = json.dumps(
            {"event": "message.status.read", "webhookUid": UID, "data": {"secret": SECRET}}
        ).encode()
        await post_delivery(url, body)
        await until(lambda: len(wired.hub.records) == 1)
        record = wired.hub.records[0]
        shown = record.shown_body() + repr(record.shown_headers()) + json.dumps(record.to_json())
        assert SECRET not in shown

    with caplog.at_level(logging.DEBUG):
        wired = run_with_hub(tmp_path, scenario)
    assert SECRET not in caplog.text
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
    assert wired.keyring.passwords  # it is in the keychain, and only there
