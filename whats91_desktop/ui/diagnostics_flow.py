"""Help → Save diagnostic bundle…: ask where, build the zip in the background, say where it is.

The bundle itself (what goes in, what never does) is ``services.diagnostics``; this only asks
for the file name and reports, so the window stays usable while the zip is written.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMainWindow

from whats91_desktop.core.errors import Whats91Error
from whats91_desktop.services.container import DesktopServices
from whats91_desktop.services.diagnostics import save_bundle
from whats91_desktop.ui.bridge import MessageBridge
from whats91_desktop.ui.i18n import tr
from whats91_desktop.ui.tasks import TaskSet


def default_bundle_name() -> str:
    return time.strftime("whats91-diagnostics-%Y%m%d-%H%M%S.zip")


async def write_and_report(target: Path, desk: DesktopServices, bridge: MessageBridge) -> None:
    try:
        summary = await save_bundle(target, desk)
    except (OSError, Whats91Error) as err:
        bridge.report_error(tr("The diagnostic bundle could not be saved: %1").replace("%1", str(err)))
        return
    bridge.report_info(
        tr("Diagnostic bundle saved to %1 (%2 log rows, no tokens, no message text).")
        .replace("%1", str(summary.path))
        .replace("%2", str(summary.rows))
    )


def save_diagnostic_bundle(
    window: QMainWindow, desk: DesktopServices, bridge: MessageBridge, tasks: TaskSet
) -> None:
    """Ask for a file (a modal dialog: called from a menu, never inside a coroutine), then write."""
    start = str(Path.home() / default_bundle_name())
    name, _filter = QFileDialog.getSaveFileName(
        window, tr("Save diagnostic bundle"), start, tr("Zip archives (*.zip)")
    )
    if name:
        tasks.spawn(write_and_report(Path(name), desk, bridge))
