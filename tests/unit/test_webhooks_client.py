"""``Whats91Client``'s Webhooks v2 calls: against the sandbox, and through failing transports."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import httpx
import pytest

from whats91_desktop.core.client import Whats91Client
from whats91_desktop.core.errors import (
    ApiError,
    ConnectError,
    ForbiddenError,
    NotFoundError,
    OutcomeUnknown,
    ValidationError,
)
from whats91_desktop.core.webhooks import WebhookDraft
from whats91_desktop.sandbox.app import create_app
from whats91_desktop.sandbox.constants import SANDBOX_BASE_URL, SANDBOX_NO_WEBHOOKS_TOKEN, SANDBOX_TOKEN
from whats91_desktop.sandbox.state import SandboxState
from whats91_desktop.sandbox.transport import sandbox_transport

T = TypeVar("T")
DRAFT = WebhookDraft(
    name="CRM delivery hook",
    endpoint_url="https://crm.example.com/webhooks/whats91",
    events=("message.inbound.text", "message.status.delivered"),
    verification_header_key="X-CRM-Webhook-Token",
    verification_token="shared-secret",
)


def with_client(
    go: Callable[[Whats91Client], Coroutine[Any, Any, T]],
    *,
    token: str = SANDBOX_TOKEN,
    transport: httpx.AsyncBaseTransport | None = None,
) -> T:
    async def run() -> T:
        client = Whats91Client(
            SANDBOX_BASE_URL,
            token,
            transport=transport or sandbox_transport(create_app(SandboxState(seed=3))),
            sleep=lambda _s: asyncio.sleep(0),
        )
        try:
            return await go(client)
        finally:
            await client.aclose()

    return asyncio.run(run())


def test_the_whole_management_cycle_against_the_sandbox() -> None:
    async def go(client: Whats91Client) -> None:
        catalog = await client.webhook_events()
        assert "message.status.delivered" in catalog
        created = await client.create_webhook(DRAFT)
        assert (created.signing_secret or "").startswith("whsec_")
        uid = created.webhook.uid
        assert created.webhook.has_verification_token
        listed = await client.list_webhooks()
        assert [h.uid for h in listed] == [uid]
        assert (await client.get_webhook(uid)).name == DRAFT.name
        inactive = await client.update_webhook(uid, WebhookDraft(status="INACTIVE"))
        assert not inactive.active
        assert await client.list_webhooks(status="ACTIVE") == []
        active = await client.update_webhook(uid, WebhookDraft(status="ACTIVE"))
        assert active.active
        cleared = await client.clear_webhook_verification_token(uid)
        assert not cleared.has_verification_token

    with_client(go)


@pytest.mark.parametrize(
    ("call", "error", "code"),
    [
        (lambda c: c.get_webhook("wh_missing"), NotFoundError, "WEBHOOK_NOT_FOUND"),
        (
            lambda c: c.create_webhook(
                WebhookDraft(name="x", endpoint_url="http://example.com/h", events=("message.status.read",))
            ),
            ApiError,
            "WEBHOOK_ENDPOINT_REQUIRES_HTTPS",
        ),
        (
            lambda c: c.create_webhook(
                WebhookDraft(name="x", endpoint_url="nope://", events=("message.status.read",))
            ),
            ApiError,
            "WEBHOOK_ENDPOINT_INVALID",
        ),
        (
            lambda c: c.create_webhook(
                WebhookDraft(name="x", endpoint_url="https://a.example/h", events=("message.invalid",))
            ),
            ApiError,
            "VALIDATION_FAILED",
        ),
    ],
)
def test_errors_come_through_the_error_tree(
    call: Callable[[Whats91Client], Coroutine[Any, Any, object]], error: type[Exception], code: str
) -> None:
    async def go(client: Whats91Client) -> None:
        with pytest.raises(error) as caught:
            await call(client)
        assert getattr(caught.value, "code", None) == code

    with_client(go)


def test_a_plan_without_webhooks_is_forbidden() -> None:
    async def go(client: Whats91Client) -> None:
        with pytest.raises(ForbiddenError) as caught:
            await client.webhook_events()
        assert caught.value.code == "FEATURE_NOT_AVAILABLE"

    with_client(go, token=SANDBOX_NO_WEBHOOKS_TOKEN)


def test_an_empty_update_is_refused_before_anything_is_sent() -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500)

    async def go(client: Whats91Client) -> None:
        with pytest.raises(ValidationError):
            await client.update_webhook("wh_abc", WebhookDraft())

    with_client(go, transport=httpx.MockTransport(handler))
    assert sent == []


@pytest.mark.parametrize(
    ("failure", "error", "attempts"),
    [
        (httpx.ConnectError("refused"), ConnectError, None),
        (httpx.ReadTimeout("slow"), OutcomeUnknown, 1),
        (httpx.RemoteProtocolError("dropped"), OutcomeUnknown, 1),
    ],
)
def test_a_create_that_may_have_arrived_is_never_repeated(
    failure: Exception, error: type[Exception], attempts: int | None
) -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        raise failure

    async def go(client: Whats91Client) -> None:
        with pytest.raises(error, match=r"nothing was changed|may have been applied"):
            await client.create_webhook(DRAFT)

    with_client(go, transport=httpx.MockTransport(handler))
    if attempts is not None:
        assert len(sent) == attempts
    assert all(r.method == "POST" for r in sent)


def test_the_verification_token_is_not_in_what_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    async def go(client: Whats91Client) -> None:
        created = await client.create_webhook(DRAFT)
        assert created.signing_secret

    with caplog.at_level("DEBUG"):
        with_client(go)
    assert "whsec_" not in caplog.text
