"""Composition root: paths, settings, secrets, the message log, the sandbox and the window.

``create_window`` expects a ``QApplication`` and an installed qasync loop (``gui_main`` makes
them for the real app, the test suite for the tests) and creates neither. Everything it builds
hangs off one :class:`~whats91_desktop.ui.context.AppContext`, passed down by constructors.
"""

from __future__ import annotations

from collections.abc import Sequence

from keyring.backend import KeyringBackend

from whats91_desktop.core.followup import StatusFollower
from whats91_desktop.core.outbox import Outbox
from whats91_desktop.core.paths import AppPaths, app_paths
from whats91_desktop.core.secrets import SecretStore
from whats91_desktop.core.settings import SettingsStore
from whats91_desktop.core.store import AsyncMessageStore, MessageStore
from whats91_desktop.sandbox.state import SandboxState
from whats91_desktop.ui.bridge import MessageBridge
from whats91_desktop.ui.context import SANDBOX_PROFILE_NAME, AppContext, RowEvents
from whats91_desktop.ui.main_window import MainWindow


def build_context(
    paths: AppPaths | None = None,
    *,
    keyring_backend: KeyringBackend | None = None,
    sandbox_state: SandboxState | None = None,
) -> AppContext:
    """Everything but the window. Opening the SQLite log is quick, so it happens right here."""
    paths = paths or app_paths()
    secret_store = SecretStore(paths.data_dir, keyring_backend=keyring_backend)
    settings_store = SettingsStore(paths.settings_file, known_secrets=secret_store.known_tokens)
    settings = settings_store.load()
    store = AsyncMessageStore(MessageStore(paths.log_db))
    bridge = MessageBridge()
    rows = RowEvents()
    context = AppContext(
        paths=paths,
        settings_store=settings_store,
        settings=settings,
        secret_store=secret_store,
        store=store,
        outbox=Outbox(store),
        bridge=bridge,
        rows=rows,
        sandbox_state=sandbox_state if sandbox_state is not None else SandboxState(),
    )
    context.follower = StatusFollower(store, context.client_or_none, on_update=rows.changed.emit)
    for notice in (settings_store.notice, store.notice, secret_store.notice, secret_store.warning):
        if notice:
            context.notices.append(notice)
    return context


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
