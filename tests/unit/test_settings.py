from __future__ import annotations

import json
import stat
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from whats91_desktop.core.errors import ConfigError
from whats91_desktop.core.models import DEFAULT_BASE_URL, Profile, Sender
from whats91_desktop.core.settings import (
    CURRENT_VERSION,
    PREFERENCES,
    PROFILE_FIELDS,
    SETTINGS_MAX_BYTES,
    Settings,
    SettingsStore,
    is_allowed_base_url,
    remember_sender,
    validate_profile,
    with_active_profile,
    with_preferences,
    with_profile,
    with_ui_state,
    without_profile,
)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "config" / "settings.json"


def sample() -> Settings:
    settings = with_profile(
        Settings(), Profile("Production", senders=(Sender("919999999999", "1001", "main"),))
    )
    settings = with_profile(settings, Profile("Local", base_url="http://127.0.0.1:8080/api/v2", sandbox=True))
    settings = with_preferences(settings, status_poll_max_minutes=500, confirm_production_first_send=False)
    return with_ui_state(settings, geometry="AdnQywADAAA=", splitter=[300, 700], recent=["919000000001"])


def backups(path: Path) -> list[Path]:
    return sorted(path.parent.glob(path.name + ".corrupt-*"))


# --------------------------------------------------------------------------- round trip


def test_missing_file_gives_defaults_without_notice(path: Path) -> None:
    store = SettingsStore(path)
    settings = store.load()
    assert settings == Settings()
    assert settings.preferences == {s.name: s.default for s in PREFERENCES}
    assert store.notice is None
    assert not path.exists()


def test_round_trip(path: Path) -> None:
    store = SettingsStore(path)
    original = sample()
    store.save(original)
    again = SettingsStore(path)
    loaded = again.load()
    assert loaded == original
    assert again.notice is None
    assert loaded.active_profile == "Production"
    assert loaded.profile("Production") is not None
    assert loaded.profile("Production").senders == (Sender("919999999999", "1001", "main"),)  # type: ignore[union-attr]
    assert loaded.preference("status_poll_max_minutes") == 500


def test_atomic_write_leaves_no_temp_file(path: Path) -> None:
    store = SettingsStore(path)
    store.save(sample())
    store.save(with_preferences(sample(), status_poll_max_minutes=300))
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]
    if sys.platform != "win32":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_failed_write_keeps_old_file(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = SettingsStore(path)
    store.save(sample())
    before = path.read_bytes()

    def boom(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("whats91_desktop.core.fsutil.os.replace", boom)
    with pytest.raises(OSError, match="No space left"):
        store.save(with_preferences(sample(), status_poll_max_minutes=999))
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]


# --------------------------------------------------------------------------- bad files


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[1, 2, 3]",
        '"just a string"',
        '{"profiles": []}',
        '{"version": "one"}',
        '{"version": 1, "profiles": {"a": 1}}',
        "\udcff",
        '{"version": 1, "ui_state": {"x": ' + "[" * 100_000 + "]" * 100_000 + "}}",
        '{"version": 1, "ui_state": {"x": ' + "[" * 990 + "]" * 990 + "}}",
        '{"version": 1' + "0" * 5000 + "}",
        '{"version": 1, "profiles": [], "active_profile": ' + "[" * 500 + "]" * 500 + "}",
    ],
    ids=[
        "bad-json",
        "list",
        "string",
        "no-version",
        "version-text",
        "profiles-object",
        "bad-utf8",
        "nested-beyond-the-parser",
        "nested-beyond-the-stack",
        "5000-digit-number",
        "active-profile-a-list",
    ],
)
def test_corrupt_file_is_backed_up_and_replaced_by_defaults(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(content.encode("utf-8", "surrogateescape"))
    store = SettingsStore(path)
    settings = store.load()
    assert settings == Settings()
    [backup] = backups(path)
    assert backup.read_bytes() == content.encode("utf-8", "surrogateescape")
    assert store.notice
    assert str(backup) in store.notice
    assert store.backup_path == backup
    assert json.loads(path.read_text())["version"] == CURRENT_VERSION  # defaults written in its place
    # The next start is clean.
    again = SettingsStore(path)
    assert again.load() == Settings()
    assert again.notice is None


def test_an_absurdly_large_file_is_backed_up_without_being_read_whole(path: Path) -> None:
    path.parent.mkdir(parents=True)
    with path.open("wb") as handle:
        handle.write(b'{"version": 1, "ui_state": {"x": "')
        handle.truncate(SETTINGS_MAX_BYTES + 10)
    store = SettingsStore(path)
    assert store.load() == Settings()
    assert store.notice is not None
    assert "larger than 8 MB" in store.notice
    assert len(backups(path)) == 1


def test_a_number_with_no_float_form_falls_back_to_the_default_and_keeps_the_rest(path: Path) -> None:
    path.parent.mkdir(parents=True)
    huge = "1" + "0" * 400
    profile = f'{{"name": "A", "base_url": "{DEFAULT_BASE_URL}", "read_timeout": {huge}}}'
    path.write_text(f'{{"version": 1, "profiles": [{profile}]}}')
    store = SettingsStore(path)
    settings = store.load()
    assert [p.name for p in settings.profiles] == ["A"]
    assert settings.profiles[0].read_timeout == 30.0
    assert store.notice is not None
    assert "read_timeout must be a finite number" in store.notice


def test_future_version_is_backed_up_with_notice(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"version": CURRENT_VERSION + 1, "profiles": [], "shiny": True}))
    store = SettingsStore(path)
    assert store.load() == Settings()
    assert store.notice is not None
    assert "newer" in store.notice
    assert len(backups(path)) == 1


def test_backup_names_do_not_collide(path: Path) -> None:
    path.parent.mkdir(parents=True)
    for _ in range(3):
        path.write_text("{broken")
        SettingsStore(path).load()
    assert len(backups(path)) == 3


def test_bad_profile_is_dropped_and_rest_kept(path: Path) -> None:
    good = {"name": "Good", "base_url": DEFAULT_BASE_URL}
    bad_url = {"name": "Evil", "base_url": "http://example.com/api"}
    bad_timeout = {"name": "Slow", "read_timeout": "forever"}
    path.parent.mkdir(parents=True)
    path.write_text(
        json.dumps(
            {
                "version": 1,
                "active_profile": "Evil",
                "profiles": [good, bad_url, bad_timeout, 42],
                "preferences": {"status_poll_max_minutes": -5, "retired_option": 1},
            }
        )
    )
    store = SettingsStore(path)
    settings = store.load()
    assert [p.name for p in settings.profiles] == ["Good", "Slow"]
    assert settings.profile("Slow").read_timeout == 30.0  # type: ignore[union-attr]
    assert settings.active_profile == "Good"
    assert settings.preference("status_poll_max_minutes") == 60
    assert "retired_option" not in settings.preferences
    assert store.notice
    assert "Evil" in store.notice
    assert "profile dropped" in store.notice
    assert len(backups(path)) == 1


def test_integers_for_float_fields_are_fine(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"version": 1, "profiles": [{"name": "A", "connect_timeout": 5}]}))
    store = SettingsStore(path)
    assert store.load().profile("A").connect_timeout == 5.0  # type: ignore[union-attr]
    assert store.notice is None


def test_token_in_file_is_scrubbed_on_load(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_text(
        json.dumps({"version": 1, "profiles": [{"name": "A"}], "ui_state": {"note": "w91_live_abc123456789"}})
    )
    store = SettingsStore(path)
    settings = store.load()
    assert "w91_live_" not in path.read_text()
    assert settings.ui_state.get("note") is None
    assert store.notice
    assert "token" in store.notice
    assert settings.profile("A") is not None


# --------------------------------------------------------------------------- refusing secrets


def test_save_refuses_token_looking_value(path: Path) -> None:
    store = SettingsStore(path)
    with pytest.raises(ConfigError) as info:
        store.save(with_ui_state(Settings(), last_token="w91_live_0123456789abcdef"))
    assert "w91_live_0123456789abcdef" not in str(info.value)
    assert not path.exists()


def test_save_refuses_known_secret_anywhere(path: Path) -> None:
    secret = "s3cr3t-t0ken-value"
    store = SettingsStore(path, known_secrets=lambda: {secret})
    settings = with_ui_state(Settings(), recent=["919000000001", f"x{secret}y"])
    with pytest.raises(ConfigError) as info:
        store.save(settings)
    assert secret not in str(info.value)
    with pytest.raises(ConfigError):
        store.save(with_ui_state(Settings(), **{secret: 1}))
    store.save(with_ui_state(Settings(), recent=["919000000001"]))
    assert secret not in path.read_text()


def test_save_refuses_invalid_profile(path: Path) -> None:
    bad = Settings(profiles=(Profile("X", base_url="ftp://example.com"),), active_profile="X")
    with pytest.raises(ConfigError):
        SettingsStore(path).save(bad)
    with pytest.raises(ConfigError):
        SettingsStore(path).save(Settings(active_profile="Nope"))
    with pytest.raises(ConfigError):
        SettingsStore(path).save(Settings(preferences={"status_poll_max_minutes": "big"}))


# --------------------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://graph.whats91.com/api/v2", True),
        ("https://sandbox.whats91.invalid/api/v2", True),
        ("http://127.0.0.1:8080/api", True),
        ("http://127.5.5.5/api", True),
        ("http://localhost:9000", True),
        ("http://[::1]:9000/x", True),
        ("http://graph.whats91.com/api/v2", False),
        ("http://192.168.1.10/api", False),
        ("http://localhost.evil.com/", False),
        ("ftp://example.com", False),
        ("https://user:pass@example.com/", False),
        ("https://", False),
        ("https://exa mple.com", False),
        (" https://example.com", False),
        ("https://example.com:99999/", False),
        ("", False),
        ("graph.whats91.com", False),
    ],
)
def test_is_allowed_base_url(url: str, ok: bool) -> None:
    assert is_allowed_base_url(url) is ok


def test_spec_table_matches_profile_model() -> None:
    names = [s.name for s in PROFILE_FIELDS]
    assert names[:7] == [
        "name",
        "base_url",
        "default_sender",
        "default_region",
        "connect_timeout",
        "read_timeout",
        "senders",
    ]
    defaults = Profile("x")
    for spec in PROFILE_FIELDS[1:]:
        assert getattr(defaults, spec.name) == spec.default, spec.name
        assert spec.description


def test_validate_profile() -> None:
    assert validate_profile(Profile("Fine")) == ()
    problems = validate_profile(
        Profile(
            " ",
            base_url="http://x.com",
            default_sender="abc",
            default_region="india",
            connect_timeout=0,
            read_timeout=float("nan"),
            senders=(Sender("1"),),
        )
    )
    assert {p.field for p in problems} == {
        "name",
        "base_url",
        "default_sender",
        "default_region",
        "connect_timeout",
        "read_timeout",
        "senders",
    }


def test_profile_helpers() -> None:
    settings = with_profile(Settings(), Profile("A"))
    assert settings.active_profile == "A"
    settings = with_profile(settings, Profile("B"))
    assert settings.active_profile == "A"
    settings = with_profile(settings, Profile("A2", read_timeout=60), replacing="A")
    assert [p.name for p in settings.profiles] == ["A2", "B"]
    assert settings.active_profile == "A2"
    with pytest.raises(ConfigError):
        with_profile(settings, Profile("B"), replacing="A2")
    with pytest.raises(ConfigError):
        with_profile(settings, Profile("C", base_url="http://evil.example"))
    settings = without_profile(settings, "A2")
    assert settings.active_profile == "B"
    assert without_profile(settings, "missing") is settings
    assert without_profile(settings, "B").active_profile is None
    assert with_active_profile(settings, "B").active == settings.profile("B")
    with pytest.raises(ConfigError):
        with_active_profile(settings, "Z")


def test_remember_sender() -> None:
    settings = with_profile(Settings(), Profile("A"))
    one = remember_sender(settings, "A", Sender("919999999999"))
    assert one.profile("A").senders == (Sender("919999999999"),)  # type: ignore[union-attr]
    two = remember_sender(one, "A", Sender("919999999999", "100000000000001"))
    assert two.profile("A").senders == (Sender("919999999999", "100000000000001"),)  # type: ignore[union-attr]
    assert remember_sender(two, "A", Sender("919999999999", "100000000000001")) is two
    assert remember_sender(two, "A", Sender("919999999999")) is two  # never forgets a learned id
    three = remember_sender(two, "A", Sender("918888800000", "100000000000002"))
    assert len(three.profile("A").senders) == 2  # type: ignore[union-attr]
    with pytest.raises(ConfigError):
        remember_sender(three, "nobody", Sender("918888800000"))


def test_preferences_and_ui_state() -> None:
    settings = with_preferences(Settings(), status_poll_max_minutes=5)
    assert settings.preference("status_poll_max_minutes") == 5
    with pytest.raises(ConfigError):
        with_preferences(settings, status_poll_max_minutes=0)
    with pytest.raises(ConfigError):
        with_preferences(settings, status_poll_max_minutes=True)
    with pytest.raises(ConfigError):
        with_preferences(settings, no_such_thing=1)
    state = with_ui_state(settings, tab="log")
    assert with_ui_state(state, tab=None).ui_state == {}
    with pytest.raises(ConfigError):
        with_ui_state(state, bad=object())


def test_settings_value_is_not_shared() -> None:
    a = Settings()
    b = with_preferences(a, status_poll_max_minutes=300)
    assert a.preference("status_poll_max_minutes") == 60
    assert replace(b).preference("status_poll_max_minutes") == 300


@pytest.mark.parametrize(
    "url",
    [
        "https://graph.whats91.com/api/v2",
        "http://127.0.0.1:8091/api/v2",
        "http://[::1]:8091/api/v2",
        "http://localhost:8091/api/v2",
        "http://localhost.:8091/api/v2",
        "http://foo.localhost/api/v2",
        "http://localhost.localdomain/api/v2",
        "http://example.com/api/v2",
        "https://host:99999/api/v2",
        "https://user:pw@host/api/v2",
    ],
)
def test_a_base_url_that_saves_is_one_the_client_accepts(url: str) -> None:
    from whats91_desktop.core.errors import ConfigError
    from whats91_desktop.core.settings import is_allowed_base_url
    from whats91_desktop.core.urls import check_base_url

    try:
        check_base_url(url)
        client_ok = True
    except ConfigError:
        client_ok = False
    assert is_allowed_base_url(url) is client_ok
