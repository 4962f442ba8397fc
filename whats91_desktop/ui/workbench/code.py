"""Copy as code: a message as a curl command, a Python (httpx) or a JavaScript (fetch) program.

One place for the three that offer it (the composer, a saved request, a log row), so each
says the same about the token. The token is written out only with the log's "Include token"
ticked (the same choice as "Copy as curl"); otherwise the code reads ``WHATS91_TOKEN``.

The built-in sandbox answers only inside this app, so code for it points at the loopback
sandbox that ``whats91-desktop sandbox --port 8091`` serves, and says so: it runs as
written once that is started.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QGuiApplication

from whats91_desktop.core.errors import ConfigError, Whats91Error
from whats91_desktop.core.models import OutgoingMessage, Profile
from whats91_desktop.core.redact import curl_command
from whats91_desktop.core.snippets import Language, snippet
from whats91_desktop.sandbox.constants import is_sandbox_url
from whats91_desktop.services.container import DesktopServices
from whats91_desktop.ui.bridge import MessageBridge
from whats91_desktop.ui.i18n import tr
from whats91_desktop.ui.tasks import run_blocking

CURL = "curl"
CHOICES: tuple[tuple[str, str], ...] = (
    (CURL, "curl"),
    (Language.PYTHON.value, Language.PYTHON.label),
    (Language.JAVASCRIPT.value, Language.JAVASCRIPT.label),
)
"""``(choice, menu text)`` in menu order."""

LOCAL_SANDBOX_URL = "http://127.0.0.1:8091/api/v2"
LOCAL_SANDBOX_NOTE = (
    "The built-in sandbox answers only inside Whats91 Desktop: start "
    "`whats91-desktop sandbox --port 8091` first (it prints the sandbox's token)."
)


class CodeCopier:
    """Builds the code for a message and puts it on the clipboard, reporting on the bridge."""

    def __init__(
        self, desk: DesktopServices, bridge: MessageBridge, *, include_token: Callable[[], bool]
    ) -> None:
        self._desk = desk
        self._bridge = bridge
        self._include_token = include_token

    async def code(self, choice: str, profile: Profile, message: OutgoingMessage, *, include: bool) -> str:
        """The code; ``Whats91Error`` when it cannot be built (no token, a bad base URL…)."""
        services = self._desk.services
        token = await services.tokens.token_for(profile) if include else None
        if include and not token:
            raise ConfigError(f"profile “{profile.name}” has no token to include")
        if choice == CURL:
            client = await services.clients.client_for(profile)
            # build_request reads an attached file (up to 16 MB): not on the GUI thread.
            request = await run_blocking(client.build_request, message)
            return curl_command(request, include_token=include, token=token)
        local = profile.sandbox and is_sandbox_url(profile.base_url)
        return snippet(
            Language(choice),
            message,
            base_url=LOCAL_SANDBOX_URL if local else profile.base_url,
            token=token,
            timeout=profile.read_timeout,
            note=LOCAL_SANDBOX_NOTE if local else None,
        )

    async def copy(self, choice: str, profile: Profile, message: OutgoingMessage, what: str) -> bool:
        """Copy the code for ``message`` (``what`` names it in the report); False when it failed."""
        title = dict(CHOICES)[choice]
        include = self._include_token()
        try:
            text = await self.code(choice, profile, message, include=include)
        except Whats91Error as err:
            self._bridge.report_error(
                tr("Could not build the %1 code for %2: %3")
                .replace("%1", str(title))
                .replace("%2", str(what))
                .replace("%3", str(err))
            )
            return False
        QGuiApplication.clipboard().setText(text)
        warning = " — it contains the token: do not paste it anywhere public" if include else ""
        self._bridge.report_info(
            tr("%1 copied as %2%3")
            .replace("%1", str(what))
            .replace("%2", str(title))
            .replace("%3", str(warning))
        )
        return True
