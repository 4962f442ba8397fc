"""The diagnostic bundle for support, and the facts About shows: versions and paths.

What goes in (``diagnostics.zip``):

- ``about.json``: versions (app, Qt/PySide6, Python, httpx, the OS) and the paths of every file
  the app keeps — :func:`about_facts`, the same rows Help → About shows;
- ``settings.json``: the settings with profiles' variable values, the window state and anything
  secret-looking removed;
- ``logs/*.log``: the app's log files, scrubbed again;
- ``messages.json``: the last 100 rows of the message log, without message text, requests,
  replies or the recipients' full numbers (the middle digits masked).

Every text is passed through :func:`core.redact.redact_text` with the secrets the caller knows
(tokens and webhook secrets, including values a server echoed into the log) and has its long
digit runs masked, so a bundle sent to support carries no credential and no customer's number.
Blocking (files, a zip): run it on a worker thread.
"""

from __future__ import annotations

import asyncio
import datetime
import functools
import importlib.metadata
import json
import platform
import re
import time
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whats91_desktop import __version__
from whats91_desktop.core.errors import Whats91Error
from whats91_desktop.core.logsetup import LOG_FILE_NAME
from whats91_desktop.core.paths import AppPaths
from whats91_desktop.core.redact import redact_json_strings, redact_text
from whats91_desktop.core.settings import Settings, settings_to_json
from whats91_desktop.core.store.entries import LogEntry
from whats91_desktop.core.store.search import LogQuery

if TYPE_CHECKING:
    from whats91_desktop.services.container import DesktopServices

BUNDLE_ROWS = 100
LOG_BYTES_MAX = 4 * 1024 * 1024
"""Of each log file, the last this many bytes (rotation keeps files at 2 MB: all of them)."""
_LONG_DIGITS = re.compile(r"(?<!\d)(\+?)(\d{7,15})(?!\d)")
_ROW_FIELDS = (
    "id",
    "profile",
    "kind",
    "state",
    "outcome",
    "status",
    "message_id",
    "request_id",
    "queue_uid",
    "report_uid",
    "error_code",
    "http_status",
    "parent_id",
)


def _version(distribution: str, *fallbacks: str) -> str:
    for name in (distribution, *fallbacks):
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return "not installed"


def versions() -> dict[str, str]:
    """What runs: read from the installed distributions, so this module needs no Qt import."""
    return {
        "Whats91 Desktop": __version__,
        "Qt / PySide6": _version("PySide6-Essentials", "PySide6"),
        "Python": f"{platform.python_version()} ({platform.python_implementation()})",
        "httpx": _version("httpx"),
        "Operating system": platform.platform(),
    }


def path_facts(paths: AppPaths, keychain: str) -> dict[str, str]:
    return {
        "Settings": str(paths.settings_file),
        "Message log": str(paths.log_db),
        "Logs": str(paths.log_dir),
        "Data": str(paths.data_dir),
        "Token storage": keychain,
    }


@dataclass(frozen=True)
class AboutFacts:
    """The rows of Help → About and of the bundle's ``about.json``: one source for both."""

    versions: dict[str, str]
    paths: dict[str, str]

    def rows(self) -> list[tuple[str, str]]:
        return [*self.versions.items(), *self.paths.items()]


def about_facts(paths: AppPaths, keychain: str) -> AboutFacts:
    return AboutFacts(versions(), path_facts(paths, keychain))


def mask_number(digits: str) -> str:
    """``919876543210`` → ``9198•••••210``: the country and the last digits tell support which
    message it was without telling anyone whose number it is."""
    plain = "".join(c for c in digits if c.isdigit())
    if len(plain) < 6:
        return "•" * len(plain)
    keep_head, keep_tail = min(4, len(plain) // 3), 3 if len(plain) >= 9 else 2
    return plain[:keep_head] + "•" * (len(plain) - keep_head - keep_tail) + plain[-keep_tail:]


def scrub(text: str, secrets: Iterable[str]) -> str:
    """Secrets and credential shapes redacted, phone-number-long digit runs masked."""
    redacted = redact_text(text, secrets)
    return _LONG_DIGITS.sub(lambda m: m.group(1) + mask_number(m.group(2)), redacted)


def _iso(epoch: float) -> str:
    return datetime.datetime.fromtimestamp(epoch, datetime.UTC).isoformat(timespec="seconds")


def row_summary(entry: LogEntry, secrets: Iterable[str]) -> dict[str, Any]:
    """One message-log row as support may see it: what happened, never what was said or to whom."""
    out: dict[str, Any] = {name: getattr(entry, name) for name in _ROW_FIELDS}
    out["created_at"] = _iso(entry.created_at)
    out["updated_at"] = _iso(entry.updated_at)
    out["recipient"] = mask_number(entry.recipient)
    out["sender"] = mask_number(entry.sender_id) if entry.sender_id else None
    out["error_message"] = scrub(entry.error_message, secrets) if entry.error_message else None
    return redact_json_strings(out, secrets)


def settings_summary(settings: Settings, secrets: Iterable[str]) -> dict[str, Any]:
    """The settings without what is private: variables' values and the window state (which holds
    drafts) are replaced by their names, sender numbers masked."""
    data = settings_to_json(settings)
    for profile in data["profiles"]:
        profile["variables"] = sorted(name for name, _value in (profile.get("variables") or {}).items())
        for sender in profile.get("senders", []):
            sender["sender_id"] = mask_number(str(sender.get("sender_id") or ""))
        if profile.get("default_sender"):
            profile["default_sender"] = mask_number(profile["default_sender"])
    data["ui_state"] = sorted(data.get("ui_state", {}))
    return redact_json_strings(data, secrets)


def _log_files(log_dir: Path) -> list[Path]:
    if not log_dir.is_dir():
        return []
    return sorted(
        p for p in log_dir.iterdir() if p.is_file() and p.name.startswith(LOG_FILE_NAME.split(".")[0])
    )


def _tail(path: Path) -> str:
    with path.open("rb") as handle:
        handle.seek(max(0, path.stat().st_size - LOG_BYTES_MAX))
        return handle.read().decode("utf-8", errors="replace")


@dataclass(frozen=True)
class BundleSummary:
    path: Path
    rows: int
    log_files: int


def write_bundle(
    target: Path,
    *,
    facts: AboutFacts,
    settings: Settings,
    rows: Sequence[LogEntry],
    log_dir: Path,
    secrets: Iterable[str],
) -> BundleSummary:
    """Write the zip to ``target`` (replaced if it exists; written beside it first, then moved,
    so a failed write never leaves half a bundle). OSError on a disk problem."""
    known = frozenset(s for s in secrets if s and len(s) >= 6)
    logs = _log_files(log_dir)
    partial = target.with_name(target.name + ".partial")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
            about = {"versions": facts.versions, "paths": facts.paths, "created": _iso(time.time())}
            bundle.writestr("about.json", json.dumps(about, indent=2, ensure_ascii=False))
            bundle.writestr(
                "settings.json", json.dumps(settings_summary(settings, known), indent=2, ensure_ascii=False)
            )
            summaries = [row_summary(entry, known) for entry in rows[:BUNDLE_ROWS]]
            bundle.writestr("messages.json", json.dumps(summaries, indent=2, ensure_ascii=False))
            for log_file in logs:
                bundle.writestr(f"logs/{log_file.name}", scrub(_tail(log_file), known))
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return BundleSummary(target, len(summaries), len(logs))


async def bundle_secrets(desk: DesktopServices) -> frozenset[str]:
    """Every secret the bundle must not contain: the tokens of the saved profiles (read from the
    keychain if not yet), and every token and webhook secret seen this session."""
    services = desk.services
    found: set[str] = set(services.secrets.known_tokens())
    for profile in services.profiles.saved():
        try:
            token = await services.tokens.token_for(profile)
        except Whats91Error:  # an unreadable keychain entry: nothing of it can be in the files
            continue
        if token:
            found.add(token)
    if desk.webhooks.secrets is not None:
        found.update(desk.webhooks.secrets.known())
    return frozenset(found)


async def save_bundle(target: Path, desk: DesktopServices) -> BundleSummary:
    """Gather what the bundle holds (the log's rows on the store's thread, the secrets on the
    keychain's) and write it on the I/O thread: nothing here blocks the caller's loop."""
    services = desk.services
    secrets = await bundle_secrets(desk)
    rows = await desk.store.page(LogQuery(), 0, BUNDLE_ROWS)
    facts = about_facts(services.paths, services.secrets.backend_name)
    write = functools.partial(
        write_bundle,
        target,
        facts=facts,
        settings=services.settings.current,
        rows=rows,
        log_dir=services.paths.log_dir,
        secrets=secrets,
    )
    return await asyncio.get_running_loop().run_in_executor(services.executors.io, write)
