"""The Qt-free services directly: client pool, tokens, settings writer, profiles, topics."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import replace
from typing import Any

import pytest

from tests.helpers.memory_keyring import MemoryKeyring
from whats91_desktop.core.errors import ConfigError
from whats91_desktop.core.models import DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, Profile, Sender
from whats91_desktop.core.settings import SettingsStore
from whats91_desktop.sandbox.constants import SANDBOX_BASE_URL, SANDBOX_SCOPED_TOKEN, SANDBOX_TOKEN
from whats91_desktop.services.container import Services
from whats91_desktop.services.messages import UserMessage
from whats91_desktop.services.sandbox_profile import SANDBOX_PROFILE, SANDBOX_PROFILE_NAME
from whats91_desktop.services.topic import Topic

LIVE = Profile(name="Live", base_url="https://api.example.test/api/v2", default_sender="919999999999")
DESK = Profile(name="Desk", base_url=SANDBOX_BASE_URL, sandbox=True)


def test_topic_fans_out_in_order_and_unsubscribes() -> None:
    topic: Topic[int] = Topic()
    seen: list[tuple[str, int]] = []
    topic.subscribe(lambda v: seen.append(("a", v)))
    stop_b = topic.subscribe(lambda v: seen.append(("b", v)))
    topic.publish(1)
    stop_b()
    stop_b()  # twice is harmless
    topic.publish(2)
    assert seen == [("a", 1), ("b", 1), ("a", 2)]


def test_the_pool_gives_one_client_per_profile_with_the_profiles_timeouts(services: Services) -> None:
    async def scenario() -> None:
        first = await services.clients.client_for(SANDBOX_PROFILE)
        again = await services.clients.client_for(SANDBOX_PROFILE)
        assert first is again
        assert first.connect_timeout == DEFAULT_CONNECT_TIMEOUT
        assert first.read_timeout == DEFAULT_READ_TIMEOUT
        slower = await services.clients.client_for(replace(SANDBOX_PROFILE, read_timeout=90.0))
        assert slower is not first  # an edited profile gets a fresh client
        assert slower.read_timeout == 90.0
        wallet = await slower.fetch_wallet()  # the in-process sandbox answers
        assert wallet.balance is not None
        await services.clients.aclose()

    asyncio.run(scenario())


def test_concurrent_callers_share_one_client_built_once(services: Services) -> None:
    builds: list[str] = []
    build = services.clients.build

    def counting_build(profile: Profile, token: str) -> Any:
        builds.append(profile.name)
        return build(profile, token)

    services.clients.build = counting_build  # type: ignore[method-assign]

    async def scenario() -> None:
        clients = await asyncio.gather(*(services.clients.client_for(SANDBOX_PROFILE) for _ in range(5)))
        assert len({id(c) for c in clients}) == 1
        await services.clients.aclose()

    asyncio.run(scenario())
    assert builds == [SANDBOX_PROFILE_NAME]


def test_a_profile_without_a_token_gets_no_client(services: Services) -> None:
    async def scenario() -> None:
        with pytest.raises(ConfigError, match="has no token"):
            await services.clients.client_for(LIVE)
        assert services.clients.cached_client(LIVE) is None

    asyncio.run(scenario())


def test_tokens_are_read_once_on_the_keychain_thread(services: Services, keyring: MemoryKeyring) -> None:
    threads: list[str] = []
    original = keyring.get_password

    def spy(service: str, username: str) -> str | None:
        threads.append(threading.current_thread().name)
        return original(service, username)

    keyring.get_password = spy  # type: ignore[method-assign]
    keyring.set_password(services.secrets.service, "Live", "w91_live_livetoken000000")

    async def scenario() -> None:
        tokens = await asyncio.gather(*(services.tokens.token_for(LIVE) for _ in range(4)))
        assert tokens == ["w91_live_livetoken000000"] * 4
        assert services.tokens.cached(LIVE) == "w91_live_livetoken000000"

    asyncio.run(scenario())
    assert len(threads) == 1
    assert threads[0].startswith("whats91-keychain")


def test_sandbox_profiles_fall_back_to_the_sandbox_token(services: Services) -> None:
    async def scenario() -> None:
        assert await services.tokens.token_for(SANDBOX_PROFILE) == SANDBOX_TOKEN
        assert await services.tokens.token_for(DESK) == SANDBOX_TOKEN

    asyncio.run(scenario())


def test_profiles_save_rename_delete_move_the_secret_with_the_profile(
    services: Services, keyring: MemoryKeyring
) -> None:
    service = services.secrets.service

    async def scenario() -> None:
        await services.profiles.save(DESK, SANDBOX_SCOPED_TOKEN)
        assert keyring.passwords[(service, "Desk")] == SANDBOX_SCOPED_TOKEN
        await services.profiles.save(replace(DESK, name="Front desk"), None, original_name="Desk")
        assert (service, "Desk") not in keyring.passwords
        assert keyring.passwords[(service, "Front desk")] == SANDBOX_SCOPED_TOKEN
        assert services.profiles.names() == ["Front desk"]
        await services.settings.flush()
        on_disk = SettingsStore(services.paths.settings_file).load()
        assert [p.name for p in on_disk.profiles] == ["Front desk"]
        assert SANDBOX_SCOPED_TOKEN not in services.paths.settings_file.read_text(encoding="utf-8")
        await services.profiles.delete("Front desk")
        assert (service, "Front desk") not in keyring.passwords
        assert not services.profiles.has("Front desk")
        assert services.profiles.has(SANDBOX_PROFILE_NAME)

    asyncio.run(scenario())


def test_the_builtin_sandbox_name_is_reserved_and_a_token_is_needed(services: Services) -> None:
    async def scenario() -> None:
        with pytest.raises(ConfigError, match="built-in sandbox"):
            await services.profiles.save(replace(DESK, name=SANDBOX_PROFILE_NAME), SANDBOX_TOKEN)
        with pytest.raises(ConfigError, match="API token"):
            await services.profiles.save(LIVE, None)
        assert services.profiles.names() == []

    asyncio.run(scenario())


def test_the_builtin_sandbox_learns_senders_in_memory_only(services: Services) -> None:
    assert services.profiles.remember_sender(SANDBOX_PROFILE_NAME, Sender("917777700000", "100000000000009"))
    assert not services.profiles.remember_sender(SANDBOX_PROFILE_NAME, Sender("917777700000", None))
    senders = {s.sender_id: s for s in services.profiles.get(SANDBOX_PROFILE_NAME).senders}
    assert senders["917777700000"].phone_number_id == "100000000000009"
    assert not services.paths.settings_file.exists()


def test_settings_writes_land_in_order_and_a_failure_is_told(services: Services) -> None:
    told: list[UserMessage] = []
    services.messages.subscribe(told.append)
    writer = services.settings
    written: list[int] = []
    original = writer.store.save

    def save(settings: object) -> None:
        written.append(len(written))
        original(settings)  # type: ignore[arg-type]

    writer.store.save = save  # type: ignore[method-assign]

    async def scenario() -> None:
        for minutes in (5, 6, 7):
            from whats91_desktop.core.settings import with_preferences

            writer.save(with_preferences(writer.current, status_poll_max_minutes=minutes))
        assert writer.current.preference("status_poll_max_minutes") == 7  # adopted at once
        await writer.flush()

        def refuse(_settings: object) -> None:
            raise ConfigError("the disk is full")

        writer.store.save = refuse  # type: ignore[method-assign]
        writer.save(writer.current)
        await writer.flush()

    asyncio.run(scenario())
    assert written == [0, 1, 2]
    assert SettingsStore(services.paths.settings_file).load().preference("status_poll_max_minutes") == 7
    assert [m.text for m in told] == ["Settings could not be saved: the disk is full"]


def test_a_forgotten_client_keeps_serving_what_it_carries(services: Services) -> None:
    async def scenario() -> None:
        old = await services.clients.client_for(SANDBOX_PROFILE)
        services.clients.forget(SANDBOX_PROFILE.name)
        fresh = await services.clients.client_for(SANDBOX_PROFILE)
        assert fresh is not old
        # A read that began before the profile changed still completes on the old client.
        assert (await old.fetch_wallet()).balance is not None
        await services.clients.aclose()
        with pytest.raises(RuntimeError, match="closed"):
            await old._http.get("https://sandbox.whats91.invalid/api/v2/wallet")

    asyncio.run(scenario())
