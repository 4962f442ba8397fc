"""Manage profiles: add, edit, delete. Deleting asks first and removes the stored token too."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from whats91_desktop.core.errors import Whats91Error
from whats91_desktop.core.models import Profile
from whats91_desktop.services.container import Services
from whats91_desktop.ui.bridge import MessageBridge
from whats91_desktop.ui.i18n import tr
from whats91_desktop.ui.profiles.profile_dialog import ProfileDialog
from whats91_desktop.ui.tasks import TaskSet

FALLBACK_WARNING = (
    "No system keychain is available: the token is kept in a file only you can read "
    "(Help → About shows where)."
)
"""The dialog's short form of ``SecretStore.warning``: a long path would not fit beside the form."""


def open_profile_dialog(
    services: Services, parent: QWidget | None, profile: Profile | None = None
) -> ProfileDialog:
    """A profile editor wired to save through ``services``; shown with ``open()`` (non-blocking)."""

    async def saver(new: Profile, token: str | None, original_name: str | None) -> None:
        await services.profiles.save(new, token, original_name=original_name)

    async def stored_token() -> str | None:
        return await services.tokens.token_for(profile) if profile else None

    dialog = ProfileDialog(
        saver=saver,
        client_factory=services.clients.new_client,
        profile=profile,
        blank=services.profiles.blank(),
        stored_token=stored_token if profile else None,
        taken_names=services.profiles.names(),
        secret_warning=FALLBACK_WARNING if services.secrets.using_fallback else None,
        parent=parent,
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def intro_text(using_fallback: bool) -> str:
    """What a profile is, and where its token really goes (the keychain may be missing, or may
    have failed during this session: then it is a file only the user can read)."""
    where = (
        "stored in a file readable only by you, as there is no system keychain"
        if using_fallback
        else "kept in the system keychain"
    )
    return (
        f"Each profile is a base URL, a token ({where}) and its sender numbers. "
        "The built-in Sandbox is always available."
    )


class ProfilesDialog(QDialog):
    """The list of saved profiles. Emits ``profiles_changed`` after every add, edit or delete."""

    profiles_changed = Signal()

    def __init__(self, services: Services, bridge: MessageBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self._bridge = bridge
        self.setObjectName("profilesDialog")
        self.setWindowTitle(tr("Manage profiles"))
        self.setAccessibleName(tr("Manage profiles"))
        self.editor: ProfileDialog | None = None
        self._tasks = TaskSet()

        layout = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setObjectName("profilesIntro")
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        row = QHBoxLayout()
        layout.addLayout(row, 1)
        self.profile_list = QListWidget(self)
        self.profile_list.setObjectName("profileList")
        self.profile_list.setAccessibleName(tr("Profiles"))
        self.profile_list.itemDoubleClicked.connect(self._on_edit_clicked)
        self.profile_list.currentRowChanged.connect(self._update_buttons)
        row.addWidget(self.profile_list, 1)
        buttons = QVBoxLayout()
        row.addLayout(buttons)
        self.add_button = self._button(
            tr("&Add…"), "addProfileButton", tr("Add profile"), self._on_add_clicked
        )
        self.edit_button = self._button(
            tr("&Edit…"), "editProfileButton", tr("Edit profile"), self._on_edit_clicked
        )
        self.delete_button = self._button(
            tr("&Delete"), "deleteProfileButton", tr("Delete profile"), self._on_delete_clicked
        )
        for button in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        close.button(QDialogButtonBox.StandardButton.Close).setAccessibleName(tr("Close"))
        layout.addWidget(close)
        self.setMinimumSize(460, 300)
        self.reload()

    def _button(self, text: str, name: str, accessible: str, slot: object) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(accessible)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def reload(self, select: str | None = None) -> None:
        self.intro.setText(intro_text(self.services.secrets.using_fallback))
        current = select or self.selected_name()
        self.profile_list.clear()
        for profile in self.services.profiles.saved():
            kind = "sandbox" if profile.sandbox else profile.base_url
            item = QListWidgetItem(f"{profile.name}  —  {kind}", self.profile_list)
            item.setData(Qt.ItemDataRole.UserRole, profile.name)
            if profile.name == current:
                self.profile_list.setCurrentItem(item)
        if self.profile_list.currentRow() < 0 and self.profile_list.count():
            self.profile_list.setCurrentRow(0)
        self._update_buttons()

    def selected_name(self) -> str | None:
        item = self.profile_list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _update_buttons(self, *_args: object) -> None:
        has = self.selected_name() is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def _on_add_clicked(self) -> None:
        self.editor = open_profile_dialog(self.services, self)
        self.editor.saved.connect(self._on_saved)

    def _on_edit_clicked(self, *_args: object) -> None:
        name = self.selected_name()
        profile = self.services.settings.current.profile(name) if name else None
        if profile is None:
            return
        self.editor = open_profile_dialog(self.services, self, profile)
        self.editor.saved.connect(self._on_saved)

    def _on_saved(self, name: str) -> None:
        self.reload(select=name)
        self.profiles_changed.emit()

    def _on_delete_clicked(self) -> None:
        name = self.selected_name()
        if name is None:
            return
        answer = QMessageBox.question(
            self,
            tr("Delete profile"),
            tr("Delete the profile “%1” and its stored token?\n\nThe message log keeps its rows.").replace(
                "%1", str(name)
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._tasks.spawn(self._delete(name))

    async def _delete(self, name: str) -> None:
        self.delete_button.setEnabled(False)
        try:
            await self.services.profiles.delete(name)
        except Whats91Error as err:
            self._bridge.report_error(tr("Could not delete the profile: %1").replace("%1", str(err)))
            return
        finally:
            self._update_buttons()
        self._bridge.report_info(tr("Profile “%1” and its token were deleted.").replace("%1", str(name)))
        self.reload()
        self.profiles_changed.emit()
