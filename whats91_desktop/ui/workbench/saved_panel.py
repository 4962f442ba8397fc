"""The "Saved requests" side list of the Messages room: a profile's collection, filterable.

A view only: the :class:`~whats91_desktop.ui.workbench.workbench.Workbench` fills it and acts on
its actions. Each row shows the request's name and, below it, its kind and recipient; the
context menu (and the keys Enter, F2 and Delete) open, duplicate, rename, delete or copy it
as code. Below the list, the request preview shows what Send would send now, ``{{variables}}``
resolved.

Stable object names: ``savedRequestsPanel``, ``savedRequestsFilter``, ``savedRequestsList``,
``savedRequestsEmpty``, ``savedRequestsOpened``, ``variablesButton``, ``requestPreview``;
actions ``savedOpenAction``, ``savedDuplicateAction``, ``savedRenameAction``,
``savedDeleteAction`` and the ``savedCopyMenu`` (``savedCopy<choice>Action``).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QFontDatabase, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from whats91_desktop.core.phone import readable_number
from whats91_desktop.core.store import SavedRequest
from whats91_desktop.ui.compose.base import section_label
from whats91_desktop.ui.i18n import tr
from whats91_desktop.ui.palette import themed_style
from whats91_desktop.ui.workbench.code import CHOICES

ID_ROLE = Qt.ItemDataRole.UserRole
KIND_TITLES = {
    "text": "Text",
    "media": "Media",
    "buttons": "Buttons",
    "list": "List",
    "template": "Template",
    "meta": "Meta JSON",
}
EMPTY_TEXT = "No saved requests for this profile yet. Compose a message and choose Save request… (Ctrl+S)."


def recipient_text(recipient: str) -> str:
    """The recipient as a person reads it: formatted when it is a number, as typed otherwise."""
    return readable_number(recipient) if recipient else "no recipient"


class SavedRequestsPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("savedRequestsPanel")
        self.setAccessibleName(tr("Saved requests"))
        self._requests: list[SavedRequest] = []

        self.variables_button = QPushButton(tr("&Variables…"), self)
        self.variables_button.setObjectName("variablesButton")
        self.variables_button.setToolTip(tr("The {{name}} values of this profile"))
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("savedRequestsFilter")
        self.filter_edit.setAccessibleName(tr("Filter saved requests"))
        self.filter_edit.setPlaceholderText(tr("Filter saved requests…"))
        self.filter_edit.setClearButtonEnabled(True)
        self.list = QListWidget(self)
        self.list.setObjectName("savedRequestsList")
        self.list.setAccessibleName(tr("Saved requests"))
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setSpacing(2)
        self.empty_label = QLabel(EMPTY_TEXT, self)
        self.empty_label.setObjectName("savedRequestsEmpty")
        self.empty_label.setWordWrap(True)
        themed_style(self.empty_label, "color: $muted;")
        self.opened_label = QLabel(self)
        self.opened_label.setObjectName("savedRequestsOpened")
        self.opened_label.setWordWrap(True)
        themed_style(self.opened_label, "color: $muted;")
        self.opened_label.hide()
        self.preview = QPlainTextEdit(self)
        self.preview.setObjectName("requestPreview")
        self.preview.setAccessibleName(tr("Request preview, variables resolved"))
        self.preview.setReadOnly(True)
        self.preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)  # a narrow column
        self.preview.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.preview.setToolTip(tr("What Send would send now, with this profile's {{variables}} put in"))

        self._build_actions()
        self._build_layout()
        self.filter_edit.textChanged.connect(self._on_filter_text_changed)
        self.list.currentItemChanged.connect(self._on_list_current_changed)
        self.list.itemActivated.connect(lambda _item: self.open_action.trigger())
        self.list.customContextMenuRequested.connect(self._on_list_context_menu_requested)
        self._update_actions()

    def _action(self, text: str, name: str, keys: QKeySequence | None = None) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if keys is not None:
            action.setShortcut(keys)
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.list.addAction(action)  # the keys work while the list has focus
        return action

    def _build_actions(self) -> None:
        self.open_action = self._action("&Open in composer", "savedOpenAction")
        self.duplicate_action = self._action("D&uplicate", "savedDuplicateAction")
        self.rename_action = self._action("&Rename…", "savedRenameAction", QKeySequence("F2"))
        self.delete_action = self._action(
            "&Delete…", "savedDeleteAction", QKeySequence(QKeySequence.StandardKey.Delete)
        )
        self.copy_menu = QMenu(tr("&Copy as"), self)
        self.copy_menu.setObjectName("savedCopyMenu")
        self.copy_actions: dict[str, QAction] = {}
        for choice, text in CHOICES:
            action = self.copy_menu.addAction(text)
            action.setObjectName(f"savedCopy{choice.capitalize()}Action")
            action.setData(choice)
            self.copy_actions[choice] = action

    def _build_layout(self) -> None:
        top = QWidget(self)
        top_box = QVBoxLayout(top)
        top_box.setContentsMargins(0, 0, 0, 0)
        top_box.setSpacing(4)
        top_box.addWidget(section_label(tr("Saved requests"), self))
        top_box.addWidget(self.filter_edit)
        top_box.addWidget(self.list, 1)
        top_box.addWidget(self.empty_label)
        top_box.addWidget(self.opened_label)
        bottom = QWidget(self)
        bottom_box = QVBoxLayout(bottom)
        bottom_box.setContentsMargins(0, 0, 0, 0)
        bottom_box.setSpacing(4)
        head = QHBoxLayout()  # the variables beside what they change
        head.addWidget(section_label(tr("Preview"), self))
        head.addStretch(1)
        head.addWidget(self.variables_button)
        bottom_box.addLayout(head)
        bottom_box.addWidget(self.preview, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setSizes([300, 200])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 4, 8)
        layout.addWidget(self.splitter)
        self.setMinimumWidth(180)

    # ------------------------------------------------------------------ content

    def set_requests(self, requests: Sequence[SavedRequest], *, select: int | None = None) -> None:
        """Show ``requests`` (already sorted); keep the current one, or select ``select``."""
        keep = select if select is not None else self.current_id()
        self._requests = list(requests)
        self.list.blockSignals(True)
        try:
            self.list.clear()
            for saved in self._requests:
                item = QListWidgetItem(
                    f"{saved.name}\n{KIND_TITLES.get(saved.kind, saved.kind)} · "
                    f"{recipient_text(saved.recipient)}"
                )
                item.setData(ID_ROLE, saved.id)
                item.setToolTip(saved.name)
                self.list.addItem(item)
        finally:
            self.list.blockSignals(False)
        self._apply_filter()
        if keep is not None:
            self.select(keep)
        self.empty_label.setVisible(not self._requests)
        self._update_actions()

    def requests(self) -> list[SavedRequest]:
        return list(self._requests)

    def select(self, saved_id: int) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(ID_ROLE) == saved_id:
                self.list.setCurrentItem(item)
                return

    def current_id(self) -> int | None:
        item = self.list.currentItem()
        return int(item.data(ID_ROLE)) if item is not None and not item.isHidden() else None

    def current(self) -> SavedRequest | None:
        saved_id = self.current_id()
        return next((s for s in self._requests if s.id == saved_id), None)

    def show_opened(self, saved: SavedRequest | None) -> None:
        """Say which request the composer was opened from (Save request updates it)."""
        self.opened_label.setVisible(saved is not None)
        if saved is not None:
            self.opened_label.setText(
                tr("In the composer: “%1”. Save request (Ctrl+S) updates it.").replace("%1", str(saved.name))
            )

    # ------------------------------------------------------------------ slots

    def _apply_filter(self) -> None:
        needle = self.filter_edit.text().strip().casefold()
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setHidden(bool(needle) and needle not in item.text().casefold())

    def _on_filter_text_changed(self, _text: str) -> None:
        self._apply_filter()
        self._update_actions()

    def _on_list_current_changed(self, *_args: object) -> None:
        self._update_actions()

    def _update_actions(self) -> None:
        chosen = self.current() is not None
        for action in (self.open_action, self.duplicate_action, self.rename_action, self.delete_action):
            action.setEnabled(chosen)
        self.copy_menu.setEnabled(chosen)

    def _on_list_context_menu_requested(self, pos: QPoint) -> None:
        item = self.list.itemAt(pos)
        if item is not None:
            self.list.setCurrentItem(item)
        if self.current() is None:
            return
        menu = QMenu(self)
        menu.setObjectName("savedRequestMenu")
        menu.setAccessibleName(tr("Saved request actions"))
        menu.addAction(self.open_action)
        menu.addMenu(self.copy_menu)
        menu.addSeparator()
        menu.addAction(self.duplicate_action)
        menu.addAction(self.rename_action)
        menu.addAction(self.delete_action)
        menu.popup(self.list.viewport().mapToGlobal(pos))
