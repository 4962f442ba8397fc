"""The one composition root: builds the services in dependency order, then the window.

Every executor is made here (:meth:`Executors.create`) and passed down; every service gets
what it needs through its constructor, so nothing is assigned after construction. The CLI
takes :func:`open_services` (no Qt); the desktop start-up (:func:`run_gui`) adds the message
log, the status follower and the window.

Qt is imported only inside the desktop functions, so the CLI never loads it. The services
are imported inside the functions that build them, so that importing this module costs next
to nothing: :func:`run_gui` shows the window first and loads the rest on a worker thread.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import logging
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from whats91_desktop import APP_NAME, __version__
from whats91_desktop.services.executors import Executors

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend
    from PySide6.QtWidgets import QApplication

    from whats91_desktop.core.client import Whats91Client
    from whats91_desktop.core.paths import AppPaths
    from whats91_desktop.core.store import AsyncMessageStore
    from whats91_desktop.sandbox.state import SandboxState
    from whats91_desktop.services.container import DesktopServices, Services
    from whats91_desktop.ui.bridge import MessageBridge
    from whats91_desktop.ui.main_window import MainWindow

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------- services


def open_services(
    paths: AppPaths | None = None,
    *,
    executors: Executors,
    keyring_backend: KeyringBackend | None = None,
    sandbox_state: SandboxState | None = None,
) -> Services:
    """Everything a front end needs but the message log. Blocking: it resolves the keychain
    backend (D-Bus) and reads the settings; the desktop app calls it on a worker thread."""
    from whats91_desktop.core.paths import app_paths
    from whats91_desktop.core.secrets import SecretStore
    from whats91_desktop.core.settings import SettingsStore
    from whats91_desktop.services.client_pool import ClientPool
    from whats91_desktop.services.container import Services
    from whats91_desktop.services.messages import UserMessages
    from whats91_desktop.services.profiles import ProfilesService
    from whats91_desktop.services.sandbox_runtime import SandboxRuntime
    from whats91_desktop.services.settings_writer import SettingsWriter
    from whats91_desktop.services.tokens import TokenCache

    paths = paths or app_paths()
    messages = UserMessages()
    secrets = SecretStore(paths.data_dir, keyring_backend=keyring_backend)
    settings_store = SettingsStore(paths.settings_file, known_secrets=secrets.known_tokens)
    settings = SettingsWriter(
        settings_store, settings_store.load(), executor=executors.settings, messages=messages
    )
    tokens = TokenCache(secrets, executor=executors.keychain)
    sandbox = SandboxRuntime(sandbox_state)
    clients = ClientPool(tokens, sandbox, executor=executors.io)
    profiles = ProfilesService(settings, tokens, clients)
    notices = [n for n in (settings_store.notice, secrets.notice, secrets.warning) if n]
    return Services(
        paths=paths,
        executors=executors,
        messages=messages,
        settings=settings,
        secrets=secrets,
        tokens=tokens,
        sandbox=sandbox,
        clients=clients,
        profiles=profiles,
        notices=notices,
    )


def with_message_log(services: Services, store: AsyncMessageStore) -> DesktopServices:
    """Add the log's long-lived parts: the outbox, the status follower and the webhook hub
    (instant; the hub listens only when asked)."""
    from whats91_desktop.core.outbox import Outbox
    from whats91_desktop.services.bulk.service import BULK_JOBS_FILE, BulkService
    from whats91_desktop.services.container import DesktopServices
    from whats91_desktop.services.follower import StatusFollower
    from whats91_desktop.services.topic import Topic
    from whats91_desktop.services.webhooks.hub import WebhookHub
    from whats91_desktop.services.webhooks.secrets import WebhookSecrets

    profiles, clients = services.profiles, services.clients

    def cached_client(profile_name: str) -> Whats91Client | None:
        profile = profiles.find(profile_name)
        return clients.cached_client(profile) if profile is not None else None

    row_changes: Topic[int] = Topic()
    minutes = services.settings.current.preference("status_poll_max_minutes")
    follower = StatusFollower(
        store, cached_client, on_update=row_changes.publish, max_age_seconds=float(minutes) * 60.0
    )
    if store.notice:
        services.notices.append(store.notice)
    outbox = Outbox(store, executor=services.executors.builder)
    return DesktopServices(
        services=services,
        store=store,
        outbox=outbox,
        follower=follower,
        row_changes=row_changes,
        webhooks=WebhookHub(secrets=WebhookSecrets(services.tokens), store=store, row_changes=row_changes),
        bulk=BulkService(
            store=store,
            outbox=outbox,
            follower=follower,
            client_for=clients.client_for,
            jobs_path=services.paths.data_dir / BULK_JOBS_FILE,
            executor=services.executors.bulk,
        ),
    )


def build_desktop_services(
    paths: AppPaths | None = None,
    *,
    executors: Executors,
    keyring_backend: KeyringBackend | None = None,
    sandbox_state: SandboxState | None = None,
) -> DesktopServices:
    """Everything but the window, built right here and blocking (tests, scripts)."""
    from whats91_desktop.core.store import AsyncMessageStore, MessageStore

    services = open_services(
        paths, executors=executors, keyring_backend=keyring_backend, sandbox_state=sandbox_state
    )
    store = AsyncMessageStore(MessageStore(services.paths.log_db), executor=executors.store)
    return with_message_log(services, store)


async def open_desktop_services(
    paths: AppPaths | None = None,
    *,
    executors: Executors,
    keyring_backend: KeyringBackend | None = None,
    sandbox_state: SandboxState | None = None,
) -> DesktopServices:
    """:func:`build_desktop_services` with the disk and keychain work on worker threads."""
    loop = asyncio.get_running_loop()
    services = await loop.run_in_executor(
        executors.io,
        lambda: open_services(
            paths, executors=executors, keyring_backend=keyring_backend, sandbox_state=sandbox_state
        ),
    )
    # Not before: open_services loaded the store on the worker (imported here, it would load
    # on the GUI thread, under a window just shown).
    from whats91_desktop.core.store import AsyncMessageStore

    store = await AsyncMessageStore.open(services.paths.log_db, executor=executors.store)
    return with_message_log(services, store)


# --------------------------------------------------------------------------- the window


def pick_profile(services: Services, *, sandbox: bool, profile: str | None) -> str:
    """Explicit profile, else the sandbox if asked, else the last one used, else the sandbox."""
    from whats91_desktop.services.sandbox_profile import SANDBOX_PROFILE_NAME

    profiles = services.profiles
    if profile:
        if not profiles.has(profile):
            services.notices.append(f"There is no profile called “{profile}”; the sandbox is open instead.")
            return SANDBOX_PROFILE_NAME
        return profile
    if sandbox:
        return SANDBOX_PROFILE_NAME
    settings = services.settings.current
    last = settings.ui_state.get("last_profile")
    if isinstance(last, str) and profiles.has(last):
        return last
    active = settings.active_profile
    if active and profiles.has(active):
        return active
    return SANDBOX_PROFILE_NAME


def import_ui_modules() -> None:
    """Import every module of ``whats91_desktop.ui``. :func:`run_gui` calls it on a worker thread
    while the frame shows, so that ``attach()`` (the panes) and the dialogs opened later find
    their modules loaded, instead of freezing the GUI thread while they import (defining the Qt
    classes of the panes alone takes about 0.15 s). All of ``ui`` rather than a list, so that a
    new pane needs no line here.

    Safe off the GUI thread: ``ui`` modules only define classes and functions, and make no Qt
    object when imported. Python's import lock makes the GUI thread wait for a module that is
    still loading here, never load it twice.
    """
    import pkgutil

    import whats91_desktop.ui

    for module in pkgutil.walk_packages(whats91_desktop.ui.__path__, "whats91_desktop.ui."):
        importlib.import_module(module.name)


def attach_window(
    window: MainWindow,
    desk: DesktopServices,
    *,
    bridge: MessageBridge | None = None,
    sandbox: bool = False,
    profile: str | None = None,
) -> MainWindow:
    """Fill a (possibly already shown) window with its panes, on ``desk``."""
    from PySide6.QtWidgets import QApplication

    from whats91_desktop.ui.appearance import Appearance
    from whats91_desktop.ui.bridge import MessageBridge

    services = desk.services
    first_run = not services.settings.current.profiles and not sandbox and not profile
    name = pick_profile(services, sandbox=sandbox, profile=profile)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    # Theme and translator before the panes: they are built in the language chosen.
    appearance = Appearance.start(app, services.settings.current, window)
    window.attach(
        desk, bridge or MessageBridge(), profile_name=name, show_welcome=first_run, appearance=appearance
    )
    return window


def create_window(
    desk: DesktopServices,
    *,
    bridge: MessageBridge | None = None,
    sandbox: bool = False,
    profile: str | None = None,
) -> MainWindow:
    """The main window, ready to show (not shown). Needs a QApplication and a qasync loop."""
    from whats91_desktop.ui.main_window import MainWindow

    window = MainWindow()
    window.restore_geometry(desk.services.settings.current.ui_state)
    return attach_window(window, desk, bridge=bridge, sandbox=sandbox, profile=profile)


def _qapplication(args: list[str]) -> QApplication:
    """The process's QApplication, named, with the app's icon and desktop identity."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from whats91_desktop.ui.app_icon import set_app_identity

    app = QApplication.instance() or QApplication(args)
    assert isinstance(app, QApplication)
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    # No application display name: Qt appends it to every window title ("… — Whats91 Desktop"),
    # and the main window's title already starts with it ("Whats91 Desktop — Sandbox").
    set_app_identity(app)
    return app


def freeze_startup_heap() -> None:
    """Take the objects made at start-up (modules, widgets, Qt wrappers: some 75,000) out of
    Python's full garbage collections, which would otherwise walk them all each time.

    A full collection holds the GIL, so the GUI thread waits it out whichever thread started it:
    66 ms for the window's start-up heap, a visible stall (a frame is 16 ms), and one that comes
    back as the heap grows. These objects live as long as the app, so scanning them finds
    nothing; ``gc.freeze`` moves them to a generation the collector skips, in constant time.
    """
    gc.freeze()


def run_gui(argv: Sequence[str] | None = None, *, sandbox: bool = False, profile: str | None = None) -> int:
    """Start the desktop app (what ``whats91-desktop`` with no subcommand runs).

    The window is shown first, before the services and the panes are built, so the user sees
    it as soon as Qt is up; the keychain, the settings and the SQLite log are then opened on
    worker threads, and the panes fill the window. On quit the clients and the store are
    closed on the loop: closing the window starts ``shutdown()``, and the main coroutine (what
    ``qasync.run`` waits for) ends only after it, pending settings writes included.
    """
    import qasync
    from PySide6.QtWidgets import QApplication

    from whats91_desktop.ui.main_window import MainWindow

    args = list(argv) if argv is not None else sys.argv[:1]
    if "--sandbox" in args[1:]:
        sandbox = True
    app = _qapplication(args)
    executors = Executors.create()

    async def main() -> int:
        loop = asyncio.get_running_loop()
        # Plain Python threads for run_in_executor(None, …) (httpx resolves host names there):
        # qasync's default is a QThread pool, and QThreads still alive at exit abort the process.
        loop.set_default_executor(executors.io)
        window = MainWindow()
        window.show()
        # One turn of the loop first, for the frame's first paint: the workers below import
        # for a second or so, and share the GIL with the GUI thread while they do.
        await asyncio.sleep(0)
        desk = await open_desktop_services(executors=executors)
        await loop.run_in_executor(executors.io, import_ui_modules)
        # Not at the top of run_gui: the frame need not wait for the log redaction they bring.
        from whats91_desktop.core.logsetup import BackgroundLogging
        from whats91_desktop.ui.excepthook import install_excepthook

        services = desk.services
        logs = BackgroundLogging(services.paths.log_dir, secrets_provider=services.secrets.known_tokens)
        log.info(
            "Whats91 Desktop %s starting; settings %s, log %s, keychain %s",
            __version__,
            services.paths.settings_file,
            services.paths.log_db,
            services.secrets.backend_name,
        )
        reporter = install_excepthook(
            services.paths.log_dir, parent=QApplication.activeWindow, secrets=services.secrets.known_tokens
        )
        window.restore_geometry(services.settings.current.ui_state)
        attach_window(window, desk, sandbox=sandbox, profile=profile)
        window.panes.settled.connect(freeze_startup_heap)
        finished = asyncio.get_running_loop().create_future()

        async def shut_down() -> None:
            try:
                await window.shutdown()
            finally:
                if not finished.done():
                    finished.set_result(None)

        shutting_down: list[asyncio.Future[None]] = []

        def on_quit_requested() -> None:
            if not shutting_down:
                shutting_down.append(asyncio.ensure_future(shut_down()))

        # The loop must outlive the window so that clients and the store close cleanly: quit
        # only after shut_down() (closing the window, or a session logout, starts it).
        app.setQuitOnLastWindowClosed(False)
        window.closed.connect(on_quit_requested)
        app.aboutToQuit.connect(on_quit_requested)
        try:
            await finished
        finally:
            reporter.uninstall()
            log.info("Whats91 Desktop stopped")
            logs.stop()
            executors.shutdown()
        return 0

    try:
        return int(qasync.run(main()) or 0)
    except KeyboardInterrupt:
        return 130
    except RuntimeError as err:  # the loop was stopped from outside (the session ended)
        if "Event loop stopped" in str(err):
            return 0
        raise


# --------------------------------------------------------------------------- self-check

SELF_CHECK_TIMEOUT = 60.0
"""Seconds for the whole self-check, start-up included (it takes about 3 s)."""


def run_self_check(out: TextIO, err: TextIO, *, timeout: float = SELF_CHECK_TIMEOUT) -> int:
    """``whats91-desktop --self-check``: the app offscreen on a throw-away home, one sandbox
    message sent through the window (``ui.self_check``), one line printed; 0 when it reached
    ``delivered``, 1 with the reason otherwise.

    Nothing of the user's is touched: the home is a temporary directory, the keychain is
    keyring's fail backend (tokens would go to the throw-away home). ``faulthandler`` ends a
    run whose event loop itself hangs, with the stacks on stderr, so it never waits forever.
    """
    import faulthandler
    import os
    import tempfile
    from pathlib import Path

    import qasync
    from keyring.backends.fail import Keyring as NoKeychain

    from whats91_desktop.core.paths import AppPaths
    from whats91_desktop.ui.self_check import SelfCheckResult, send_one_message

    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    faulthandler.dump_traceback_later(timeout + 30.0, exit=True)
    app = _qapplication(["whats91-desktop"])
    app.setQuitOnLastWindowClosed(False)
    executors = Executors.create()

    async def check(home: Path) -> SelfCheckResult:
        desk = await open_desktop_services(
            AppPaths.under(home), executors=executors, keyring_backend=NoKeychain()
        )
        window = create_window(desk, sandbox=True)
        window.show()
        try:
            return await send_one_message(window, desk.store)
        finally:
            window.close()
            await window.shutdown()

    async def main(home: Path) -> SelfCheckResult:
        asyncio.get_running_loop().set_default_executor(executors.io)
        try:
            return await asyncio.wait_for(check(home), timeout)
        except TimeoutError:
            return SelfCheckResult(False, f"self-check failed: not delivered within {timeout:g} s")

    try:
        with tempfile.TemporaryDirectory(prefix="whats91-self-check-") as home:
            result: SelfCheckResult = qasync.run(main(Path(home)))
    finally:
        executors.shutdown()
        faulthandler.cancel_dump_traceback_later()
    (out if result.ok else err).write(result.summary + "\n")
    return 0 if result.ok else 1
