"""Composition root: paths, settings, secrets, the message log, the sandbox and the window.

``create_window`` expects a ``QApplication`` and an installed qasync loop (``gui_main`` makes
them for the real app, the test suite for the tests) and creates neither. Everything it builds
hangs off one :class:`~whats91_desktop.ui.context.AppContext`, passed down by constructors.
The app builds the context with :func:`build_context_async`: resolving the keychain backend
(D-Bus), reading the settings and opening the SQLite log happen on worker threads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from keyring.backend import KeyringBackend

from whats91_desktop.core.followup import StatusFollower
from whats91_desktop.core.outbox import Outbox
from whats91_desktop.core.paths import AppPaths, app_paths
from whats91_desktop.core.secrets import SecretStore
from whats91_desktop.core.settings import Settings, SettingsStore
from whats91_desktop.core.store import AsyncMessageStore, MessageStore
from whats91_desktop.sandbox.state import SandboxState
from whats91_desktop.ui.bridge import MessageBridge
from whats91_desktop.ui.context import SANDBOX_PROFILE_NAME, AppContext, RowEvents
from whats91_desktop.ui.main_window import MainWindow
from whats91_desktop.ui.tasks import run_blocking


@dataclass
class _CoreParts:
    """What ``build_context`` reads from disk and the keychain: plain Python, no Qt objects."""

    paths: AppPaths
    secret_store: SecretStore
    settings_store: SettingsStore
    settings: Settings


def _open_core(paths: AppPaths | None, keyring_backend: KeyringBackend | None) -> _CoreParts:
    """Resolve the paths and the keychain backend, load the settings (blocking: D-Bus, disk)."""
    paths = paths or app_paths()
    secret_store = SecretStore(paths.data_dir, keyring_backend=keyring_backend)
    settings_store = SettingsStore(paths.settings_file, known_secrets=secret_store.known_tokens)
    return _CoreParts(paths, secret_store, settings_store, settings_store.load())


def _assemble(core: _CoreParts, store: AsyncMessageStore, sandbox_state: SandboxState | None) -> AppContext:
    """The Qt half of the context (bridge, signals): on the GUI thread, and instant."""
    bridge = MessageBridge()
    rows = RowEvents()
    context = AppContext(
        paths=core.paths,
        settings_store=core.settings_store,
        settings=core.settings,
        secret_store=core.secret_store,
        store=store,
        outbox=Outbox(store),
        bridge=bridge,
        rows=rows,
        sandbox_state=sandbox_state if sandbox_state is not None else SandboxState(),
    )
    minutes = core.settings.preference("status_poll_max_minutes")
    context.follower = StatusFollower(
        store,
        context.client_or_none,
        on_update=rows.changed.emit,
        max_age_seconds=float(minutes) * 60.0,
    )
    secret_store = core.secret_store
    for notice in (core.settings_store.notice, store.notice, secret_store.notice, secret_store.warning):
        if notice:
            context.notices.append(notice)
    return context


def build_context(
    paths: AppPaths | None = None,
    *,
    keyring_backend: KeyringBackend | None = None,
    sandbox_state: SandboxState | None = None,
) -> AppContext:
    """Everything but the window, built right here (tests, scripts).

    It blocks while it resolves the keychain and reads the settings and the log database; the
    app itself uses :func:`build_context_async`, which does that on worker threads.
    """
    core = _open_core(paths, keyring_backend)
    return _assemble(core, AsyncMessageStore(MessageStore(core.paths.log_db)), sandbox_state)


async def build_context_async(
    paths: AppPaths | None = None,
    *,
    keyring_backend: KeyringBackend | None = None,
    sandbox_state: SandboxState | None = None,
) -> AppContext:
    """:func:`build_context` with the disk and keychain work on worker threads (the app's start-up)."""
    core = await run_blocking(_open_core, paths, keyring_backend)
    store = await AsyncMessageStore.open(core.paths.log_db)
    return _assemble(core, store, sandbox_state)


def pick_profile(context: AppContext, *, sandbox: bool, profile: str | None) -> str:
    """Explicit profile, else the sandbox if asked, else the last one used, else the sandbox."""
    if profile:
        if not context.has_profile(profile):
            context.notices.append(f"There is no profile called “{profile}”; the sandbox is open instead.")
            return SANDBOX_PROFILE_NAME
        return profile
    if sandbox:
        return SANDBOX_PROFILE_NAME
    last = context.settings.ui_state.get("last_profile")
    if isinstance(last, str) and context.has_profile(last):
        return last
    active = context.settings.active_profile
    if active and context.has_profile(active):
        return active
    return SANDBOX_PROFILE_NAME


def create_window(
    *,
    sandbox: bool = False,
    profile: str | None = None,
    context: AppContext | None = None,
    keyring_backend: KeyringBackend | None = None,
) -> MainWindow:
    """The main window, ready to show (not shown). Needs a QApplication and a qasync loop."""
    context = context or build_context(keyring_backend=keyring_backend)
    first_run = not context.settings.profiles and not sandbox and not profile
    name = pick_profile(context, sandbox=sandbox, profile=profile)
    return MainWindow(context, profile_name=name, show_welcome=first_run)


def run_gui(argv: Sequence[str] | None = None, *, sandbox: bool = False, profile: str | None = None) -> int:
    """Start the desktop app (what ``whats91-desktop`` with no subcommand runs)."""
    from whats91_desktop.ui.gui_main import run_gui as _run_gui

    return _run_gui(argv, sandbox=sandbox, profile=profile)
