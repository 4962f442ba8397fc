"""Help → Keyboard shortcuts: every key the window answers to, read from the window itself.

The list is generated from the ``QAction``s (menus, toolbars, context menus) and
``QShortcut``s that exist under the window when it is opened, so it can never drift from what
the keys actually do: a new action with a shortcut appears here by itself. A ``QShortcut``
describes itself with ``whatsThis``; "where" is the nearest named control it belongs to.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from whats91_desktop.ui.i18n import tr


def _plain(text: str) -> str:
    """A menu text without its mnemonic and its shown shortcut (``"&Send\\tCtrl+Enter"``)."""
    return text.split("\t")[0].replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def _keys(sequences: list[QKeySequence]) -> str:
    texts = [s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences if not s.isEmpty()]
    return ", ".join(dict.fromkeys(texts))


def _owner(obj: QAction | QShortcut) -> str:
    parent = obj.parent()
    while isinstance(parent, QWidget):
        name = parent.accessibleName() or parent.windowTitle()
        if name:
            return name
        parent = parent.parentWidget()
    return ""


def shortcut_rows(root: QWidget) -> list[tuple[str, str, str]]:
    """``(keys, what they do, where)`` for every action and shortcut under ``root`` that has a
    key, sorted by what they do. A menu label's shown key (``"&Send\tCtrl+Enter"``) is not
    listed: the ``QShortcut`` that handles it is."""
    found: dict[tuple[str, str], list[QKeySequence]] = {}
    window = root.window()
    for action in root.findChildren(QAction):
        sequences = [s for s in action.shortcuts() if not s.isEmpty()]
        if sequences and _plain(action.text()):
            where = _owner(action) if action.parent() is not window else ""
            found.setdefault((_plain(action.text()), where), []).extend(sequences)
    for shortcut in root.findChildren(QShortcut):
        if shortcut.key().isEmpty():
            continue
        where = _owner(shortcut) if shortcut.parent() is not window else ""
        found.setdefault((shortcut.whatsThis() or tr("Shortcut"), where), []).append(shortcut.key())
    rows = [
        (_keys(keys), what, where or tr("Anywhere in the window")) for (what, where), keys in found.items()
    ]
    return sorted(rows, key=lambda row: (row[1].lower(), row[2]))


class ShortcutsDialog(QDialog):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(tr("Keyboard shortcuts"))
        self.setAccessibleName(tr("Keyboard shortcuts"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(self)
        intro = QLabel(
            tr("Tab and Shift+Tab move between fields; Alt with an underlined letter picks it."), self
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        rows = shortcut_rows(window)
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setObjectName("shortcutsTable")
        self.table.setAccessibleName(tr("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([tr("Keys"), tr("Action"), tr("Where")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        for row, cells in enumerate(rows):
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName(tr("Close"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 480)
