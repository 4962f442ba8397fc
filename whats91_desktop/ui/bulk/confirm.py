"""The questions the Bulk room asks before it does something that cannot be undone.

Each is a plain modal call made from a synchronous slot, before any coroutine starts (a modal
dialog inside a coroutine would re-enter the event loop); tests patch ``QMessageBox.question``
and ``QInputDialog.getText``. For a production profile the user types the number of recipients:
a wrong or empty answer sends nothing.
"""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from whats91_desktop.core.bulk.models import DryRunReport
from whats91_desktop.ui.bulk.formatting import duration_text
from whats91_desktop.ui.i18n import tr

Yes = QMessageBox.StandardButton.Yes
No = QMessageBox.StandardButton.No


def confirm_send(parent: QWidget, report: DryRunReport, *, profile_name: str, typed: bool) -> bool:
    """Ask before sending; ``typed`` (a production profile) makes the user type the count."""
    count = report.will_send
    rate = report.spec.rate or 0.0
    what = report.spec.template_name or "the text"
    text = (
        f"Send {what} to {count} recipients on profile “{profile_name}”, at {rate:g} messages/s "
        f"({duration_text(report.eta_seconds)})?"
    )
    if report.invalid:
        text += f"\n{report.invalid} invalid rows will be skipped."
    if not typed:
        return QMessageBox.question(parent, tr("Send to everyone?"), text, Yes | No, No) == Yes
    answer, ok = QInputDialog.getText(
        parent,
        tr("Confirm a production send"),
        f"{text}\n\nThis is a production profile: real customers get this message.\n"
        f"Type the number of recipients ({count}) to send:",
        QLineEdit.EchoMode.Normal,
        "",
    )
    return ok and answer.strip() == str(count)


def ask(parent: QWidget, title: str, text: str) -> bool:
    """A yes/no question whose safe answer (No) is the default."""
    return QMessageBox.question(parent, title, text, Yes | No, No) == Yes
