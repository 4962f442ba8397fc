"""Help menu dialogs: the sandbox's scenario recipients and tokens, and About.

Both are non-modal (``show()``): a support person keeps the scenario list open beside the window
and clicks a number to put it in the recipient field.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from whats91_desktop.core.paths import AppPaths
from whats91_desktop.core.phone import format_number
from whats91_desktop.sandbox.constants import (
    NORMAL_DESCRIPTION,
    NORMAL_RECIPIENT,
    SANDBOX_EXPIRED_TOKEN,
    SANDBOX_SCOPED_TOKEN,
    SANDBOX_SENDERS,
    SANDBOX_TOKEN,
    SCENARIOS,
)
from whats91_desktop.services.diagnostics import AboutFacts, about_facts
from whats91_desktop.ui.i18n import tr
from whats91_desktop.ui.palette import colour

SANDBOX_TOKENS: tuple[tuple[str, str], ...] = (
    (SANDBOX_TOKEN, "global: may send from both sandbox senders"),
    (SANDBOX_SCOPED_TOKEN, f"bound to {format_number(SANDBOX_SENDERS[0][0])}: the other sender gets 403"),
    (SANDBOX_EXPIRED_TOKEN, "expired: every request gets 401"),
)


def scenario_rows(scenarios: Mapping[str, str] = SCENARIOS) -> list[tuple[str, str]]:
    """``(recipient digits, what happens)``: the scenarios in number order, then any other number."""
    rows = sorted(scenarios.items())
    rows.append((NORMAL_RECIPIENT, f"any other valid number: {NORMAL_DESCRIPTION.replace('->', '→')}"))
    return rows


class SandboxScenariosDialog(QDialog):
    """The numbers that make the sandbox misbehave on purpose; double-click (or Use) one to try it."""

    recipient_chosen = Signal(str)
    """Digits of the chosen recipient."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sandboxScenariosDialog")
        self.setWindowTitle("Sandbox scenarios")
        self.setAccessibleName("Sandbox scenarios")
        self.setModal(False)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "The built-in sandbox decides what happens by the recipient's number. Double-click a "
            "row (or select it and press <b>Use recipient</b>) to put it in the <b>To</b> field; "
            "the window switches to the sandbox first, so these numbers never go to the real API.",
            self,
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(intro)

        rows = scenario_rows()
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setObjectName("scenarioTable")
        self.table.setAccessibleName("Scenario recipients")
        self.table.setHorizontalHeaderLabels(["Recipient", "What the sandbox does"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        for row, (digits, text) in enumerate(rows):
            number = QTableWidgetItem(format_number(digits) or digits)
            number.setData(Qt.ItemDataRole.UserRole, digits)
            number.setToolTip(f"Double-click to use {digits}")
            what = QTableWidgetItem(text)
            what.setToolTip(text)
            self.table.setItem(row, 0, number)
            self.table.setItem(row, 1, what)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        # Rows as tall as their wrapped text at the current width (re-measured on resize).
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemDoubleClicked.connect(self._on_table_item_double_clicked)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table, 1)

        tokens = QLabel(self)
        tokens.setObjectName("sandboxTokens")
        tokens.setAccessibleName("Sandbox tokens")
        tokens.setTextFormat(Qt.TextFormat.RichText)
        tokens.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        tokens.setWordWrap(True)
        senders = ", ".join(
            f"{html.escape(format_number(s) or s)} (phoneNumberId {p})" for s, p in SANDBOX_SENDERS
        )
        token_rows = "".join(
            f"<tr><td><code>{html.escape(t)}</code></td>"
            f"<td style='padding-left:10px'>{html.escape(d)}</td></tr>"
            for t, d in SANDBOX_TOKENS
        )
        tokens.setText(f"<b>Tokens</b><table>{token_rows}</table><b>Senders</b>: {senders}")
        layout.addWidget(tokens)

        buttons = QHBoxLayout()
        self.use_button = QPushButton("&Use recipient", self)
        self.use_button.setObjectName("useScenarioButton")
        self.use_button.setAccessibleName("Use the selected recipient")
        self.use_button.clicked.connect(self._on_use_clicked)
        self.copy_token_button = QPushButton("Copy global &token", self)
        self.copy_token_button.setObjectName("copySandboxTokenButton")
        self.copy_token_button.setAccessibleName("Copy the global sandbox token")
        self.copy_token_button.setToolTip("For curl or your own code against `whats91-desktop sandbox`")
        self.copy_token_button.clicked.connect(self._on_copy_token_clicked)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        close.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        buttons.addWidget(self.use_button)
        buttons.addWidget(self.copy_token_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.resize(760, 520)
        self._update_buttons()

    def selected_recipient(self) -> str | None:
        items = self.table.selectedItems()
        if not items:
            return None
        item = self.table.item(items[0].row(), 0)
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return str(value) if value else None

    def _update_buttons(self) -> None:
        self.use_button.setEnabled(self.selected_recipient() is not None)

    def _on_table_item_double_clicked(self, item: QTableWidgetItem) -> None:
        self.table.selectRow(item.row())
        self._on_use_clicked()

    def _on_use_clicked(self) -> None:
        digits = self.selected_recipient()
        if digits:
            self.recipient_chosen.emit(digits)

    def _on_copy_token_clicked(self) -> None:
        QGuiApplication.clipboard().setText(SANDBOX_TOKEN)


def about_html(facts: AboutFacts) -> str:
    """The About box's text: what runs, and where its files are (support asks for both); the
    same rows as the diagnostic bundle's ``about.json``."""
    cells = "".join(
        f"<tr><td style='color:{colour('muted')};padding-right:12px'>{html.escape(tr(k))}</td>"
        f"<td>{html.escape(v)}</td></tr>"
        for k, v in facts.rows()
    )
    return (
        "<h3>Whats91 Desktop</h3>"
        f"<p>{html.escape(tr('A desktop console for the Whats91 WhatsApp messaging API.'))}</p>"
        f"<table>{cells}</table>"
    )


class AboutBox(QMessageBox):
    """Help → About: versions, where the files are, which keychain holds the tokens (non-modal)."""

    def __init__(self, paths: AppPaths, keychain: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(tr("About Whats91 Desktop"))
        self.setAccessibleName(tr("About Whats91 Desktop"))
        self.setIcon(QMessageBox.Icon.Information)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setStandardButtons(QMessageBox.StandardButton.Close)
        self.button(QMessageBox.StandardButton.Close).setAccessibleName(tr("Close"))
        self.setModal(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setText(about_html(about_facts(paths, keychain)))
