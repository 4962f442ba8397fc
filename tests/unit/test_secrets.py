from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest
from keyring.backends import chainer, fail, null

from tests.helpers.memory_keyring import BrokenKeyring, MemoryKeyring
from whats91_desktop.core.errors import ConfigError
from whats91_desktop.core.secrets import SECRETS_MAX_BYTES, SecretStore, is_usable_backend, token_from_env
from whats91_desktop.core.settings import Settings, SettingsStore, with_ui_state

TOKEN = "w91_live_test0000000000000000000000001"
OTHER = "w91_live_test0000000000000000000000002"

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir(mode=0o700)
    return d


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --------------------------------------------------------------------------- keychain


def test_memory_keyring_round_trip(data_dir: Path) -> None:
    ring = MemoryKeyring()
    store = SecretStore(data_dir, keyring_backend=ring)
    assert not store.using_fallback
    assert store.warning is None
    assert store.backend_name.endswith("MemoryKeyring")
    assert store.get("Production") is None
    store.set("Production", TOKEN)
    assert ring.passwords == {("whats91-desktop", "Production"): TOKEN}
    assert store.get("Production") == TOKEN
    assert not (data_dir / "secrets.json").exists()
    store.rename("Production", "Prod")
    assert store.get("Production") is None
    assert store.get("Prod") == TOKEN
    store.delete("Prod")
    store.delete("Prod")  # no error the second time
    assert ring.passwords == {}


def test_service_name_is_configurable(data_dir: Path) -> None:
    ring = MemoryKeyring()
    SecretStore(data_dir, keyring_backend=ring, service="w91-test").set("A", TOKEN)
    assert ("w91-test", "A") in ring.passwords


def test_empty_token_refused(data_dir: Path) -> None:
    store = SecretStore(data_dir, keyring_backend=MemoryKeyring())
    with pytest.raises(ConfigError):
        store.set("A", "   ")


def test_token_is_stripped_and_never_in_repr(data_dir: Path) -> None:
    store = SecretStore(data_dir, keyring_backend=MemoryKeyring())
    store.set("A", f"  {TOKEN}\n")
    assert store.get("A") == TOKEN
    assert TOKEN not in repr(store)
    assert store.known_tokens() == frozenset({TOKEN})


def test_known_tokens_feed_the_settings_guard(data_dir: Path, tmp_path: Path) -> None:
    secrets = SecretStore(data_dir, keyring_backend=MemoryKeyring())
    secrets.set("A", "plain-secret-without-prefix")
    settings = SettingsStore(tmp_path / "settings.json", known_secrets=secrets.known_tokens)
    with pytest.raises(ConfigError):
        settings.save(with_ui_state(Settings(), oops="plain-secret-without-prefix"))


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring()], ids=["fail", "null"])
def test_stand_in_backends_are_not_usable(backend: object) -> None:
    assert not is_usable_backend(backend)  # type: ignore[arg-type]


def test_empty_chainer_is_not_usable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [])
    assert not is_usable_backend(chainer.ChainerBackend())
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [MemoryKeyring()])
    assert is_usable_backend(chainer.ChainerBackend())


# --------------------------------------------------------------------------- fallback file


@posix_only
def test_fallback_file_is_private_and_warns(data_dir: Path) -> None:
    old_umask = os.umask(0o022)
    try:
        store = SecretStore(data_dir, keyring_backend=fail.Keyring())
        store.set("Production", TOKEN)
    finally:
        os.umask(old_umask)
    path = data_dir / "secrets.json"
    assert store.using_fallback
    assert mode_of(path) == 0o600
    assert store.warning == (
        f"No system keychain is available; tokens are stored in {path} (readable only by you)."
    )
    assert [p.name for p in data_dir.iterdir()] == ["secrets.json"]  # no temp file left


def test_fallback_survives_reload(data_dir: Path) -> None:
    first = SecretStore(data_dir, keyring_backend=fail.Keyring())
    first.set("A", TOKEN)
    first.set("B", OTHER)
    second = SecretStore(data_dir, keyring_backend=null.Keyring())
    assert second.get("A") == TOKEN
    assert second.get("B") == OTHER
    second.rename("A", "A2")
    third = SecretStore(data_dir, keyring_backend=fail.Keyring())
    assert third.get("A") is None
    assert third.get("A2") == TOKEN
    third.delete("A2")
    third.delete("B")
    assert not (data_dir / "secrets.json").exists()


@posix_only
def test_loose_permissions_are_fixed_on_read(data_dir: Path) -> None:
    store = SecretStore(data_dir, keyring_backend=fail.Keyring())
    store.set("A", TOKEN)
    path = data_dir / "secrets.json"
    path.chmod(0o644)
    again = SecretStore(data_dir, keyring_backend=fail.Keyring())
    assert again.get("A") == TOKEN
    assert mode_of(path) == 0o600
    assert again.notice
    assert "readable only by you" in again.notice


@pytest.mark.parametrize(
    "content",
    [
        "{oops",
        '{"version": 1, "tokens": ["x"]}',
        '{"version": 99, "tokens": {}}',
        '{"version": 1, "tokens": {"a": 1}}',
        '{"version": 1, "tokens": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"version": 1' + "0" * 5000 + ', "tokens": {}}',
        "\udcff",
        "[]",
    ],
    ids=["bad-json", "tokens-list", "future", "token-number", "nested", "5000-digits", "bad-utf8", "list"],
)
def test_corrupt_fallback_is_backed_up(data_dir: Path, content: str) -> None:
    path = data_dir / "secrets.json"
    path.write_bytes(content.encode("utf-8", "surrogateescape"))
    store = SecretStore(data_dir, keyring_backend=fail.Keyring())
    assert store.get("A") is None
    [backup] = list(data_dir.glob("secrets.json.corrupt-*"))
    assert backup.read_bytes() == content.encode("utf-8", "surrogateescape")
    if sys.platform != "win32":
        assert mode_of(backup) == 0o600
    assert store.notice
    assert str(backup) in store.notice
    store.set("A", TOKEN)
    assert SecretStore(data_dir, keyring_backend=fail.Keyring()).get("A") == TOKEN


def test_an_absurdly_large_fallback_is_backed_up_without_being_read_whole(data_dir: Path) -> None:
    path = data_dir / "secrets.json"
    with path.open("wb") as handle:
        handle.write(b'{"version": 1, "tokens": {"a": "')
        handle.truncate(SECRETS_MAX_BYTES + 1)
    store = SecretStore(data_dir, keyring_backend=fail.Keyring())
    assert store.get("A") is None
    assert store.notice is not None
    assert "larger than 1 MB" in store.notice
    assert len(list(data_dir.glob("secrets.json.corrupt-*"))) == 1


def test_keychain_failing_at_run_time_switches_to_file(data_dir: Path) -> None:
    store = SecretStore(data_dir, keyring_backend=BrokenKeyring())
    assert not store.using_fallback
    store.set("A", TOKEN)
    assert store.using_fallback
    assert store.warning
    assert json.loads((data_dir / "secrets.json").read_text())["tokens"] == {"A": TOKEN}
    assert SecretStore(data_dir, keyring_backend=BrokenKeyring()).get("A") == TOKEN


def test_token_moves_from_file_to_keychain(data_dir: Path) -> None:
    SecretStore(data_dir, keyring_backend=fail.Keyring()).set("A", TOKEN)
    ring = MemoryKeyring()
    store = SecretStore(data_dir, keyring_backend=ring)
    assert store.get("A") == TOKEN  # still readable from the old file
    store.set("A", OTHER)
    assert ring.passwords[("whats91-desktop", "A")] == OTHER
    assert not (data_dir / "secrets.json").exists()


def test_token_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    assert token_from_env() is None
    monkeypatch.setenv("WHATS91_TOKEN", "  ")
    assert token_from_env() is None
    monkeypatch.setenv("WHATS91_TOKEN", f" {TOKEN} ")
    assert token_from_env() == TOKEN
