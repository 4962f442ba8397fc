"""Shared fakes for the webhook tests: an endpoint that records what it got, and a wired hub."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.helpers.memory_keyring import MemoryKeyring
from tests.helpers.stores import store_executor
from whats91_desktop.core.http_server import HttpRequest, HttpResponse, serve_http
from whats91_desktop.core.secrets import SecretStore
from whats91_desktop.core.store import AsyncMessageStore, MessageStore
from whats91_desktop.core.webhook_signing import signature_for
from whats91_desktop.services.tokens import TokenCache
from whats91_desktop.services.topic import Topic
from whats91_desktop.services.webhooks.hub import WebhookHub
from whats91_desktop.services.webhooks.secrets import WebhookSecrets

SECRET = "whsec_test_secret_0123456789abcdef"
UID = "wh_test"


@dataclass
class RecordingEndpoint:
    """An integrator's handler stand-in: records every request, answers ``status``."""

    url: str = ""
    status: int = 200
    answer: bytes = b'{"ok":true}'
    requests: list[HttpRequest] = field(default_factory=list)

    async def __call__(self, request: HttpRequest) -> HttpResponse:
        self.requests.append(request)
        return HttpResponse(self.status, self.answer, ((b"content-type", b"application/json"),))


@contextlib.asynccontextmanager
async def recording_endpoint(status: int = 200) -> AsyncIterator[RecordingEndpoint]:
    endpoint = RecordingEndpoint(status=status)
    async with serve_http(
        endpoint, "127.0.0.1", 0, max_body=32 * 1024 * 1024, server_header=b"test"
    ) as bound:
        endpoint.url = f"http://127.0.0.1:{bound.port}/hook"
        yield endpoint


@dataclass
class WiredHub:
    hub: WebhookHub
    store: AsyncMessageStore
    secrets: WebhookSecrets
    keyring: MemoryKeyring
    row_changes: list[int]


def wired_hub(tmp_path: Path, *, secret: str | None = SECRET, uid: str = UID) -> WiredHub:
    """A hub on a fresh log, with ``secret`` in a memory keychain for webhook ``uid``."""
    keyring = MemoryKeyring()
    secret_store = SecretStore(tmp_path / "data", keyring_backend=keyring)
    if secret is not None:
        secret_store.set_webhook_secret(uid, secret)
    tokens = TokenCache(secret_store, executor=store_executor())
    store = AsyncMessageStore(MessageStore(tmp_path / "log.sqlite3"), executor=store_executor())
    changes: list[int] = []
    topic: Topic[int] = Topic()
    topic.subscribe(changes.append)
    secrets = WebhookSecrets(tokens)
    return WiredHub(
        WebhookHub(secrets=secrets, store=store, row_changes=topic), store, secrets, keyring, changes
    )


async def post_delivery(
    url: str,
    body: bytes,
    *,
    secret: str | None = SECRET,
    signature: str | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """POST ``body`` as Whats91 would: signed with ``secret`` unless ``signature`` is given."""
    sent = {"Content-Type": "application/json", **(headers or {})}
    if signature is not None:
        sent["X-Whats91-Signature"] = signature
    elif secret is not None:
        sent["X-Whats91-Signature"] = signature_for(body, secret)
    async with httpx.AsyncClient(trust_env=False, timeout=10) as client:
        return await client.post(url, content=body, headers=sent)


async def until(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    """Wait (on the loop) until ``condition()`` holds; AssertionError after ``seconds``."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out waiting for the condition")
        await asyncio.sleep(0.01)
