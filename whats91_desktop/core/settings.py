"""Declared settings: profiles and preferences as data, one JSON file, written atomically.

The tables ``PROFILE_FIELDS`` and ``PREFERENCES`` (qutebrowser's ``configdata`` idea) drive
defaults, validation on load and save, and the settings UI. Nothing here ever holds a
token: tokens live in :mod:`whats91_desktop.core.secrets`, and :meth:`SettingsStore.save`
refuses a file that would contain one.

A settings file we cannot use (bad JSON, wrong shape, a version from a newer app) is
moved aside as ``settings.json.corrupt-YYYYmmdd-HHMMSS`` and replaced; ``notice`` then
tells the user where the copy is. Loading never raises for a bad file.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from whats91_desktop.core.errors import ConfigError
from whats91_desktop.core.fsutil import UnreadableFile, atomic_write_text, move_aside, read_json_file
from whats91_desktop.core.models import (
    DEFAULT_BASE_URL,
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_READ_TIMEOUT,
    Problem,
    Profile,
    Sender,
)
from whats91_desktop.core.urls import check_base_url
from whats91_desktop.core.variables import (
    VALUE_MAX,
    VARIABLES_MAX,
    check_name,
    variables_from_json,
    variables_to_json,
)

CURRENT_VERSION = 1
TOKEN_PREFIXES = ("w91_live_",)
SETTINGS_MAX_BYTES = 8 * 1024 * 1024
"""A settings file larger than this is not ours (profiles and window state take kilobytes)."""
_CONTENT_FAILURES = (
    ValueError,
    TypeError,
    LookupError,
    AttributeError,
    ArithmeticError,
    RecursionError,
    MemoryError,
)
"""What reading odd JSON values may raise (a number too large for a float, nesting deeper than
the stack): a file that raises one is unusable, like one that is not JSON."""

Check = Callable[[Any], str | None]


# --------------------------------------------------------------------------- checks


def is_allowed_base_url(url: str) -> bool:
    """Only ``https://host…``, or ``http://`` to this computer (localhost, 127.0.0.0/8, ::1).

    The same rule the client enforces (``urls.check_base_url``), so a profile that saves
    also connects; stricter only in refusing surrounding white space.
    """
    if not isinstance(url, str) or not url or url != url.strip() or any(c.isspace() for c in url):
        return False
    try:
        check_base_url(url)
    except ConfigError:
        return False
    return True


def looks_like_token(value: str) -> bool:
    return value.startswith(TOKEN_PREFIXES)


def _check_base_url(value: Any) -> str | None:
    if is_allowed_base_url(value):
        return None
    return "only https:// addresses (or http:// to this computer) without a user name or password"


def _check_name(value: Any) -> str | None:
    text = value.strip()
    if not text:
        return "a profile needs a name"
    if text != value:
        return "no spaces at the start or end"
    if len(text) > 64:
        return "at most 64 characters"
    if any(unicodedata.category(c).startswith("C") for c in text):
        return "no control characters"
    return None


_DIGITS = re.compile(r"\d{6,15}")


def _check_sender_id(value: Any) -> str | None:
    return None if _DIGITS.fullmatch(value) else "digits only, with the country code (6–15 digits)"


def _check_region(value: Any) -> str | None:
    return None if re.fullmatch(r"[A-Z]{2}", value) else "a two-letter country code such as IN"


def _check_senders(value: Any) -> str | None:
    seen: set[str] = set()
    for sender in value:
        if not isinstance(sender, Sender):
            return "not a sender"
        problem = _check_sender_id(sender.sender_id)
        if problem:
            return f"{sender.sender_id!r}: {problem}"
        if sender.phone_number_id is not None and not re.fullmatch(r"\d{1,30}", sender.phone_number_id):
            return f"{sender.sender_id}: phone number id must be digits"
        if sender.sender_id in seen:
            return f"{sender.sender_id} is listed twice"
        seen.add(sender.sender_id)
    return None


def _check_variables(value: Any) -> str | None:
    """Plain values only: a token belongs in the keychain, never in a variable (or a file)."""
    if len(value) > VARIABLES_MAX:
        return f"at most {VARIABLES_MAX} variables"
    seen: set[str] = set()
    for pair in value:
        if not (isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(x, str) for x in pair)):
            return "each variable is a name and a text value"
        name, text = pair
        problem = check_name(name)
        if problem:
            return problem
        if name in seen:
            return f"{name} is defined twice"
        seen.add(name)
        if len(text) > VALUE_MAX:
            return f"{name}: at most {VALUE_MAX} characters"
        if looks_like_token(text.strip()):
            return f"{name} looks like an API token: tokens belong in the keychain, not in a variable"
    return None


# --------------------------------------------------------------------------- the tables


@dataclass(frozen=True)
class SettingSpec:
    """One declared setting. ``type`` is the Python type of the value (``tuple`` for lists)."""

    name: str
    type: type
    default: Any
    description: str
    nullable: bool = False
    minimum: float | None = None
    maximum: float | None = None
    check: Check | None = None
    label: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    """``(value, label)`` pairs when only these values are allowed (shown as a list to pick from)."""
    section: str = ""
    """The group a settings UI shows it in (Preferences: Appearance, Sending, Connection)."""
    needs_restart: bool = False
    """True when a change takes effect only after the app restarts (the UI says so)."""
    editor: str = ""
    """A settings UI's special editor when the type alone does not say ("region": a country list)."""

    @property
    def title(self) -> str:
        return self.label or self.name.replace("_", " ").capitalize()

    def problem(self, value: Any) -> str | None:
        """Why ``value`` is not acceptable, or None."""
        if value is None:
            return None if self.nullable else "a value is required"
        if self.type is float:
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            if ok and not _is_finite(value):
                return "must be a finite number"
        elif self.type is int:
            ok = isinstance(value, int) and not isinstance(value, bool)
        else:
            ok = isinstance(value, self.type)
        if not ok:
            return f"must be {_TYPE_WORDS.get(self.type, self.type.__name__)}"
        if self.minimum is not None and value < self.minimum:
            return f"must be at least {self.minimum:g}"
        if self.maximum is not None and value > self.maximum:
            return f"must be at most {self.maximum:g}"
        if self.choices and value not in {choice for choice, _label in self.choices}:
            return "must be one of " + ", ".join(label for _choice, label in self.choices)
        return self.check(value) if self.check else None


def _is_finite(value: float) -> bool:
    """``math.isfinite``, false too for an integer with no float form (JSON allows 10**400)."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


CONNECT_TIMEOUT_RANGE = (0.5, 120.0)
READ_TIMEOUT_RANGE = (1.0, 600.0)
"""Seconds; shared by a profile's own timeouts and the preferences' defaults."""

_TYPE_WORDS = {str: "text", int: "a whole number", float: "a number", bool: "true or false", tuple: "a list"}

PROFILE_FIELDS: tuple[SettingSpec, ...] = (
    SettingSpec(
        "name", str, "", "A name for this connection, e.g. “Production” or “Test”.", check=_check_name
    ),
    SettingSpec(
        "base_url",
        str,
        DEFAULT_BASE_URL,
        "The API's base address. Only https (or http to this computer) is allowed.",
        check=_check_base_url,
        label="Base URL",
    ),
    SettingSpec(
        "default_sender",
        str,
        None,
        "The sender number used when a message names none (digits with country code).",
        nullable=True,
        check=_check_sender_id,
    ),
    SettingSpec(
        "default_region",
        str,
        "IN",
        "Country assumed for numbers typed without a country code.",
        check=_check_region,
    ),
    SettingSpec(
        "connect_timeout",
        float,
        DEFAULT_CONNECT_TIMEOUT,
        "Seconds to wait for a connection to the API.",
        minimum=CONNECT_TIMEOUT_RANGE[0],
        maximum=CONNECT_TIMEOUT_RANGE[1],
    ),
    SettingSpec(
        "read_timeout",
        float,
        DEFAULT_READ_TIMEOUT,
        "Seconds to wait for the API's answer once connected.",
        minimum=READ_TIMEOUT_RANGE[0],
        maximum=READ_TIMEOUT_RANGE[1],
    ),
    SettingSpec("senders", tuple, (), "Sender numbers known for this profile.", check=_check_senders),
    SettingSpec("sandbox", bool, False, "Talk to the built-in sandbox instead of the real API."),
    SettingSpec(
        "variables",
        tuple,
        (),
        "Values for {{name}} in this profile's messages, e.g. customer = Asha (plain text, never a token).",
        check=_check_variables,
    ),
)

THEMES: tuple[tuple[str, str], ...] = (("system", "Follow the system"), ("light", "Light"), ("dark", "Dark"))
LANGUAGES: tuple[tuple[str, str], ...] = (
    ("system", "Follow the system"),
    ("en", "English"),
    ("es", "Español"),
)
"""The languages with a translation shipped (``ui/i18n``); English is the source text."""

PREFERENCES: tuple[SettingSpec, ...] = (
    SettingSpec(
        "theme",
        str,
        "system",
        "Light or dark colours. “Follow the system” switches with the desktop's own setting.",
        choices=THEMES,
        section="Appearance",
    ),
    SettingSpec(
        "language",
        str,
        "system",
        "The language of menus and labels. “Follow the system” uses the desktop's language "
        "when a translation exists, English otherwise.",
        choices=LANGUAGES,
        section="Appearance",
        needs_restart=True,
    ),
    SettingSpec(
        "confirm_production_first_send",
        bool,
        True,
        "Ask before the first send of a session through a non-sandbox profile.",
        label="Confirm the first production send",
        section="Sending",
    ),
    SettingSpec(
        "status_poll_max_minutes",
        int,
        60,
        "Stop checking a message's delivery status this many minutes after sending.",
        minimum=1,
        maximum=7 * 24 * 60,
        label="Status follow-up (minutes)",
        section="Sending",
    ),
    SettingSpec(
        "default_region",
        str,
        "IN",
        "Country assumed for numbers typed without a country code, in the sandbox and in new "
        "profiles (each profile keeps its own under Manage profiles).",
        check=_check_region,
        section="Connection",
        editor="region",
    ),
    SettingSpec(
        "connect_timeout",
        float,
        DEFAULT_CONNECT_TIMEOUT,
        "Seconds to wait for a connection, in the sandbox and in new profiles; the next client "
        "built uses it, a request in flight keeps its own.",
        minimum=CONNECT_TIMEOUT_RANGE[0],
        maximum=CONNECT_TIMEOUT_RANGE[1],
        label="Connect timeout (seconds)",
        section="Connection",
    ),
    SettingSpec(
        "read_timeout",
        float,
        DEFAULT_READ_TIMEOUT,
        "Seconds to wait for the API's answer once connected, in the sandbox and in new profiles.",
        minimum=READ_TIMEOUT_RANGE[0],
        maximum=READ_TIMEOUT_RANGE[1],
        label="Read timeout (seconds)",
        section="Connection",
    ),
)

PROFILE_SPECS: dict[str, SettingSpec] = {s.name: s for s in PROFILE_FIELDS}
PREFERENCE_SPECS: dict[str, SettingSpec] = {s.name: s for s in PREFERENCES}


def default_preferences() -> dict[str, Any]:
    return {spec.name: spec.default for spec in PREFERENCES}


def validate_profile(profile: Profile) -> tuple[Problem, ...]:
    """Every problem with ``profile`` according to ``PROFILE_FIELDS`` (empty when fine)."""
    problems = []
    for spec in PROFILE_FIELDS:
        message = spec.problem(getattr(profile, spec.name))
        if message:
            problems.append(Problem(spec.name, message))
    return tuple(problems)


def validate_preference(name: str, value: Any) -> str | None:
    spec = PREFERENCE_SPECS.get(name)
    if spec is None:
        return "unknown preference"
    return spec.problem(value)


# --------------------------------------------------------------------------- the settings value


@dataclass(frozen=True)
class Settings:
    """Everything in ``settings.json``. ``ui_state`` is free-form JSON (geometry, last tab…)."""

    version: int = CURRENT_VERSION
    profiles: tuple[Profile, ...] = ()
    active_profile: str | None = None
    preferences: dict[str, Any] = field(default_factory=default_preferences)
    ui_state: dict[str, Any] = field(default_factory=dict)

    def profile(self, name: str) -> Profile | None:
        return next((p for p in self.profiles if p.name == name), None)

    @property
    def active(self) -> Profile | None:
        return None if self.active_profile is None else self.profile(self.active_profile)

    def preference(self, name: str) -> Any:
        """The preference's value, or its declared default (KeyError for undeclared names)."""
        spec = PREFERENCE_SPECS[name]
        return self.preferences.get(name, spec.default)


def _problems_text(problems: Sequence[Problem]) -> str:
    return "; ".join(f"{p.field}: {p.message}" for p in problems)


def with_profile(settings: Settings, profile: Profile, *, replacing: str | None = None) -> Settings:
    """Add ``profile``, or replace the one named ``replacing`` (default: the same name).

    Raises ConfigError if the profile is invalid or its name is taken by another profile.
    The first profile added becomes the active one; renaming the active one keeps it active.
    """
    problems = validate_profile(profile)
    if problems:
        raise ConfigError(f"profile not saved: {_problems_text(problems)}")
    old_name = profile.name if replacing is None else replacing
    if profile.name != old_name and settings.profile(profile.name) is not None:
        raise ConfigError(f"profile not saved: a profile named {profile.name!r} already exists")
    profiles = list(settings.profiles)
    index = next((i for i, p in enumerate(profiles) if p.name == old_name), None)
    if index is None:
        profiles.append(profile)
    else:
        profiles[index] = profile
    active = settings.active_profile
    if active is None or (active == old_name and index is not None):
        active = profile.name
    return replace(settings, profiles=tuple(profiles), active_profile=active)


def without_profile(settings: Settings, name: str) -> Settings:
    """Remove the profile ``name`` (no-op if absent); the active one falls back to the first left."""
    profiles = tuple(p for p in settings.profiles if p.name != name)
    if len(profiles) == len(settings.profiles):
        return settings
    active = settings.active_profile
    if active == name:
        active = profiles[0].name if profiles else None
    return replace(settings, profiles=profiles, active_profile=active)


def with_active_profile(settings: Settings, name: str | None) -> Settings:
    if name is not None and settings.profile(name) is None:
        raise ConfigError(f"no profile named {name!r}")
    return replace(settings, active_profile=name)


def with_preferences(settings: Settings, **changes: Any) -> Settings:
    """Change declared preferences (ConfigError for unknown names or bad values)."""
    bad = [
        Problem(k, validate_preference(k, v) or "") for k, v in changes.items() if validate_preference(k, v)
    ]
    if bad:
        raise ConfigError(f"preferences not saved: {_problems_text(bad)}")
    return replace(settings, preferences={**settings.preferences, **changes})


def with_ui_state(settings: Settings, **changes: Any) -> Settings:
    """Merge JSON-safe values into ``ui_state`` (a value of None removes the key)."""
    state = dict(settings.ui_state)
    for key, value in changes.items():
        if value is None:
            state.pop(key, None)
        else:
            state[key] = value
    try:
        json.dumps(state, allow_nan=False)
    except (TypeError, ValueError) as err:
        raise ConfigError(f"window state is not JSON-safe: {err}") from err
    return replace(settings, ui_state=state)


def remember_sender(settings: Settings, profile_name: str, sender: Sender) -> Settings:
    """Add ``sender`` to the profile, or fill in its ``phone_number_id`` (and label) if learned.

    Returns ``settings`` itself when nothing changed, so callers can skip the save.
    """
    profile = settings.profile(profile_name)
    if profile is None:
        raise ConfigError(f"no profile named {profile_name!r}")
    senders = list(profile.senders)
    for i, known in enumerate(senders):
        if known.sender_id != sender.sender_id:
            continue
        updated = Sender(
            known.sender_id,
            sender.phone_number_id or known.phone_number_id,
            sender.label or known.label,
        )
        if updated == known:
            return settings
        senders[i] = updated
        break
    else:
        senders.append(sender)
    return with_profile(settings, replace(profile, senders=tuple(senders)))


# --------------------------------------------------------------------------- JSON form


def _sender_to_json(sender: Sender) -> dict[str, Any]:
    return {"sender_id": sender.sender_id, "phone_number_id": sender.phone_number_id, "label": sender.label}


def profile_to_json(profile: Profile) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for spec in PROFILE_FIELDS:
        value = getattr(profile, spec.name)
        if spec.name == "senders":
            value = [_sender_to_json(s) for s in value]
        elif spec.name == "variables":
            value = variables_to_json(value)
        out[spec.name] = value
    return out


def settings_to_json(settings: Settings) -> dict[str, Any]:
    return {
        "version": CURRENT_VERSION,
        "active_profile": settings.active_profile,
        "profiles": [profile_to_json(p) for p in settings.profiles],
        "preferences": dict(settings.preferences),
        "ui_state": dict(settings.ui_state),
    }


class _Unusable(Exception):
    """The file cannot be used at all: start from defaults."""


def _sender_from_json(raw: Any) -> Sender | None:
    if not isinstance(raw, Mapping):
        return None
    sender_id, pnid, label = raw.get("sender_id"), raw.get("phone_number_id"), raw.get("label")
    if (
        not isinstance(sender_id, str)
        or not isinstance(pnid, str | None)
        or not isinstance(label, str | None)
    ):
        return None
    return Sender(sender_id, pnid, label)


def _profile_from_json(raw: Any, index: int, problems: list[str]) -> Profile | None:
    where = f"profile {index + 1}"
    if not isinstance(raw, Mapping):
        problems.append(f"{where} is not an object; dropped")
        return None
    values: dict[str, Any] = {}
    for spec in PROFILE_FIELDS:
        if spec.name not in raw:
            values[spec.name] = spec.default
            continue
        value = raw[spec.name]
        if spec.name == "senders" and isinstance(value, list):
            parsed = [_sender_from_json(s) for s in value]
            value = tuple(s for s in parsed if s is not None)
            if len(value) != len(parsed):
                problems.append(f"{where}: unreadable senders dropped")
        if spec.name == "variables":
            value = variables_from_json(value)
        whole = isinstance(value, int) and not isinstance(value, bool)
        if spec.type is float and whole and _is_finite(value):
            value = float(value)
        message = spec.problem(value)
        if message is None:
            values[spec.name] = value
        elif spec.name in ("name", "base_url"):
            name = raw.get("name") if isinstance(raw.get("name"), str) else where
            problems.append(f"{name}: {spec.name} {message}; profile dropped")
            return None
        else:
            problems.append(f"{raw.get('name', where)}: {spec.name} {message}; default used")
            values[spec.name] = spec.default
    return Profile(**values)


def _scrub_tokens(value: Any, found: list[int]) -> Any:
    """A copy of parsed JSON with token-looking strings removed (None in objects, dropped in lists)."""
    if isinstance(value, str):
        if looks_like_token(value):
            found.append(1)
            return None
        return value
    if isinstance(value, list):
        items = [_scrub_tokens(v, found) for v in value]
        return [v for v, orig in zip(items, value, strict=True) if v is not None or orig is None]
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if looks_like_token(key):
                found.append(1)
                continue
            out[key] = _scrub_tokens(item, found)
        return out
    return value


def settings_from_json(data: Any) -> tuple[Settings, list[str]]:
    """Parse the file's JSON; returns the settings and what had to be repaired.

    Raises ``_Unusable`` when nothing can be trusted (wrong shape, unknown version).
    """
    if not isinstance(data, dict):
        raise _Unusable("the file does not hold a settings object")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _Unusable("the file has no valid version number")
    if version > CURRENT_VERSION:
        raise _Unusable(f"the file was written by a newer Whats91 Desktop (format {version})")
    found: list[int] = []
    data = _scrub_tokens(data, found)
    problems: list[str] = []
    if found:
        problems.append("values that looked like API tokens were removed")

    raw_profiles = data.get("profiles", [])
    if not isinstance(raw_profiles, list):
        raise _Unusable("'profiles' is not a list")
    profiles: list[Profile] = []
    for i, raw in enumerate(raw_profiles):
        profile = _profile_from_json(raw, i, problems)
        if profile is None:
            continue
        if any(p.name == profile.name for p in profiles):
            problems.append(f"{profile.name}: listed twice; second copy dropped")
            continue
        profiles.append(profile)

    active = data.get("active_profile")
    if active is not None and not any(p.name == active for p in profiles):
        active = profiles[0].name if profiles else None

    preferences = default_preferences()
    raw_prefs = data.get("preferences", {})
    if not isinstance(raw_prefs, dict):
        problems.append("preferences were unreadable; defaults used")
        raw_prefs = {}
    for name, value in raw_prefs.items():
        spec = PREFERENCE_SPECS.get(name)
        if spec is None:
            continue  # no longer declared: dropped quietly
        message = spec.problem(value)
        if message:
            problems.append(f"preference {name} {message}; default used")
        else:
            preferences[name] = value

    ui_state = data.get("ui_state", {})
    if not isinstance(ui_state, dict):
        problems.append("window state was unreadable; reset")
        ui_state = {}

    settings = Settings(CURRENT_VERSION, tuple(profiles), active, preferences, ui_state)
    return settings, problems


# --------------------------------------------------------------------------- the store


class SettingsStore:
    """Loads and saves ``settings.json``.

    ``known_secrets`` returns the tokens currently known (e.g. ``SecretStore.known_tokens``):
    :meth:`save` refuses to write any of them, or anything that looks like a token.
    """

    def __init__(self, path: Path | str, *, known_secrets: Callable[[], Iterable[str]] | None = None) -> None:
        self.path = Path(path)
        self._known_secrets = known_secrets
        self.notice: str | None = None
        self.backup_path: Path | None = None
        self._blocked = False

    def load(self) -> Settings:
        """The saved settings, or defaults. Never raises for a bad file: see ``notice``."""
        self.notice = None
        self.backup_path = None
        self._blocked = False
        try:
            data = read_json_file(self.path, max_bytes=SETTINGS_MAX_BYTES)
        except FileNotFoundError:
            return Settings()
        except UnreadableFile as err:
            return self._replace_unusable(str(err), Settings(), [])
        try:
            settings, problems = settings_from_json(data)
        except _Unusable as err:
            return self._replace_unusable(str(err), Settings(), [])
        except _CONTENT_FAILURES as err:
            # Whatever a hand-edited or damaged file holds, it must never lock the user out.
            reason = f"its contents could not be read ({type(err).__name__})"
            return self._replace_unusable(reason, Settings(), [])
        if problems:
            return self._replace_unusable("", settings, problems)
        return settings

    def _replace_unusable(self, reason: str, settings: Settings, problems: list[str]) -> Settings:
        """Move the bad file aside, write ``settings`` in its place, and say so in ``notice``."""
        try:
            self.backup_path = move_aside(self.path)
        except OSError as err:
            self._blocked = True
            self.notice = (
                f"Your settings file {self.path} could not be used and could not be moved aside "
                f"({_describe(err)}); defaults are in use and changes will not be saved."
            )
            return settings
        if problems:
            what = "Some settings could not be used (" + "; ".join(problems) + ")."
            outcome = "The rest were kept."
        else:
            what = f"Your settings file could not be used: {reason}."
            outcome = "Defaults are in use."
        self.notice = f"{what} {outcome} The original was saved as {self.backup_path}."
        try:
            self._write(settings)
        except (OSError, ConfigError) as err:
            self.notice += f" Writing new settings failed ({_describe(err)})."
        return settings

    def save(self, settings: Settings) -> None:
        """Validate and write atomically. ConfigError if invalid or if a token would be written."""
        if self._blocked:
            raise ConfigError(f"settings are not saved: {self.path} could not be moved aside")
        problems: list[str] = []
        names: set[str] = set()
        for profile in settings.profiles:
            problems += [f"{profile.name}: {p.field} {p.message}" for p in validate_profile(profile)]
            if profile.name in names:
                problems.append(f"{profile.name}: listed twice")
            names.add(profile.name)
        if settings.active_profile is not None and settings.active_profile not in names:
            problems.append(f"active profile {settings.active_profile!r} does not exist")
        for name, value in settings.preferences.items():
            message = validate_preference(name, value)
            if message:
                problems.append(f"preference {name}: {message}")
        if problems:
            raise ConfigError("settings not saved: " + "; ".join(problems))
        self._write(settings)

    def _write(self, settings: Settings) -> None:
        data = settings_to_json(settings)
        secrets = {s for s in (self._known_secrets() if self._known_secrets else ()) if s and len(s) >= 8}
        where = _find_secret(data, secrets, "settings")
        if where:
            raise ConfigError(
                f"settings not saved: {where} holds an API token; tokens belong in the keychain"
            )
        try:
            text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
        except (TypeError, ValueError) as err:
            raise ConfigError(f"settings not saved: a value is not JSON-safe ({err})") from err
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write_text(self.path, text)


def _find_secret(value: Any, secrets: set[str], where: str) -> str | None:
    """The path of the first token-looking or known-secret string in ``value`` (never the value)."""
    if isinstance(value, str):
        if looks_like_token(value) or any(s in value for s in secrets):
            return where
        return None
    if isinstance(value, list | tuple):
        for i, item in enumerate(value):
            found = _find_secret(item, secrets, f"{where}[{i}]")
            if found:
                return found
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            if _find_secret(str(key), secrets, where):
                return f"{where} (a key)"
            found = _find_secret(item, secrets, f"{where}.{key}")
            if found:
                return found
    return None


def _describe(err: BaseException) -> str:
    if isinstance(err, OSError) and err.strerror:
        return err.strerror
    return str(err) or type(err).__name__
