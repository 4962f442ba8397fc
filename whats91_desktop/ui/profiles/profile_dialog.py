"""Add or edit one connection profile, and test its token before saving.

The token field is a password field with a show/hide toggle; the token is handed to the
secret store by the saver and never shown again (editing keeps it unless a new one is typed).
Problems are shown next to their fields once the field is edited, in space reserved for them,
and listed beside Save (which stays disabled while there are any); an untouched form only says
what is left to fill in. Nothing in it changes size while the user types, so the dialog keeps
its size and fits a 1024×640 screen.

The saver and the stored-token reader are coroutines (the keychain may block or prompt): Save
shows "Saving…" and the dialog closes when the saver has finished, or stays open with its error.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Collection
from urllib.parse import urlsplit

import phonenumbers
import qasync
from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from whats91_desktop.core.client import TokenCheck, Whats91Client
from whats91_desktop.core.errors import ConfigError, Whats91Error
from whats91_desktop.core.models import DEFAULT_BASE_URL, Profile, Sender
from whats91_desktop.core.phone import InvalidNumber, normalize_number
from whats91_desktop.core.settings import PROFILE_SPECS, is_allowed_base_url
from whats91_desktop.sandbox.constants import is_sandbox_url
from whats91_desktop.services.sandbox_profile import SANDBOX_PROFILE_NAME
from whats91_desktop.ui.elided_label import ElidedLabel
from whats91_desktop.ui.i18n import tr
from whats91_desktop.ui.palette import themed_style
from whats91_desktop.ui.profiles.token_test import describe_token_check
from whats91_desktop.ui.sender_picker import sender_label
from whats91_desktop.ui.tasks import TaskSet

Saver = Callable[[Profile, str | None, str | None], Awaitable[None]]
"""``await saver(profile, new_token_or_None, original_name_or_None)``; raises ConfigError to refuse."""
TokenReader = Callable[[], Awaitable[str | None]]
ClientFactory = Callable[[Profile, str], Awaitable[Whats91Client]]
"""``ClientPool.new_client``: a client the dialog owns (and closes) for a profile not saved yet."""

_ERROR_STYLE = "QLabel { color: $alarm; }"
_HINT_STYLE = "QLabel { color: $muted; }"
_WARNING_STYLE = (
    "QLabel { color: $warning; background: $warning_surface; padding: 2px 4px; border-radius: 3px; }"
)
"""Templates for ``ui.palette.themed_style``: the colours follow the light or dark scheme."""
DIALOG_MIN_WIDTH = 760
TEST_RESULT_LINES = 3
FIELD_NAMES = {"name": "Name", "base_url": "Base URL", "token": "Token"}


def _buddy_label(text: str, buddy: QWidget, parent: QWidget) -> QLabel:
    """A field's caption; its mnemonic (``&Name``) works, and shows as an underline, only with a buddy."""
    label = QLabel(text, parent)
    label.setBuddy(buddy)
    return label


def _problem_label(parent: QWidget, name: str, accessible: str, *, lines: int = 1) -> ElidedLabel:
    """Red text in a space reserved under its field: a problem appearing moves nothing."""
    label = ElidedLabel(parent, lines=lines)
    label.setObjectName(name)
    label.setAccessibleName(accessible)
    themed_style(label, _ERROR_STYLE)
    return label


def base_url_problem(url: str) -> str | None:
    """Why a base URL is refused, in words a support person understands; None when fine."""
    text = url.strip()
    if not text:
        return "Enter the API's base address, e.g. " + DEFAULT_BASE_URL
    if is_sandbox_url(text):
        return None
    if is_allowed_base_url(text):
        return None
    lowered = text.lower()
    try:
        parts = urlsplit(text)
    except ValueError:
        return "This is not a valid address."
    if parts.username is not None or parts.password is not None:
        return "The address must not contain a user name or password."
    if lowered.startswith("http://"):
        return (
            "Plain http is allowed only to this computer (localhost, 127.0.0.1): the token would "
            "travel unencrypted. Use https://."
        )
    if not lowered.startswith("https://"):
        return "The address must start with https://"
    return "This is not a usable address: check the host name and port."


def region_choices() -> list[tuple[str, str]]:
    """``(code, "IN — India (+91)")`` for every region phone numbers are known for."""
    out = []
    for code in sorted(phonenumbers.SUPPORTED_REGIONS):
        name = QLocale.territoryToString(QLocale.codeToTerritory(code))
        calling = phonenumbers.country_code_for_region(code)
        out.append((code, f"{code} — {name} (+{calling})"))
    return out


class ProfileDialog(QDialog):
    """Edits ``profile`` (or a new one). Shown with ``open()``; the saver runs on Save."""

    token_checked = Signal(object)  # TokenCheck, or None when the check could not start
    saved = Signal(str)  # the profile's name

    def __init__(
        self,
        *,
        saver: Saver,
        client_factory: ClientFactory,
        profile: Profile | None = None,
        blank: Profile | None = None,
        stored_token: TokenReader | None = None,
        taken_names: Collection[str] = (),
        secret_warning: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("profileDialog")
        self._blank = blank or Profile(name="")
        """What a new profile starts from (the Preferences' region and timeouts)."""
        self.setWindowTitle(tr("Edit profile") if profile else tr("Add profile"))
        self.setAccessibleName(self.windowTitle())
        self._saver = saver
        self._client_factory = client_factory
        self._original = profile
        self._stored_token = stored_token
        self._saving = False
        self._tasks = TaskSet()
        self._taken = {n for n in taken_names if profile is None or n != profile.name}
        self._default_sender: str | None = profile.default_sender if profile else None
        self.last_check: TokenCheck | None = None
        self.last_check_text = ""

        self._touched: set[str] = set()
        self._save_error: str | None = None

        outer = QVBoxLayout(self)
        outer.setSpacing(6)
        self.secret_warning = ElidedLabel(self, lines=4)  # a long path wraps onto lines of its own
        self.secret_warning.setObjectName("secretWarning")
        self.secret_warning.setAccessibleName(tr("Token storage warning"))
        themed_style(self.secret_warning, _WARNING_STYLE)
        self.secret_warning.set_full_text(secret_warning or "")
        self.secret_warning.setVisible(bool(secret_warning))  # fixed while the dialog is open
        outer.addWidget(self.secret_warning)

        columns = QHBoxLayout()
        columns.setSpacing(12)
        outer.addLayout(columns)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(2)
        columns.addLayout(form, 2)

        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("profileNameEdit")
        self.name_edit.setAccessibleName(tr("Profile name"))
        self.name_edit.setPlaceholderText(tr("e.g. Production, Support line, Test"))
        self.name_problem = _problem_label(self, "profileNameProblem", "Profile name problem")
        form.addRow(_buddy_label(tr("&Name:"), self.name_edit, self), self.name_edit)
        form.addRow("", self.name_problem)

        self.base_url_edit = QLineEdit(self)
        self.base_url_edit.setObjectName("baseUrlEdit")
        self.base_url_edit.setAccessibleName(tr("Base URL"))
        self.base_url_edit.setPlaceholderText(DEFAULT_BASE_URL)
        self.base_url_problem = _problem_label(self, "baseUrlProblem", "Base URL problem", lines=3)
        form.addRow(_buddy_label(tr("&Base URL:"), self.base_url_edit, self), self.base_url_edit)
        form.addRow("", self.base_url_problem)

        self.token_edit = QLineEdit(self)
        self.token_edit.setObjectName("tokenEdit")
        self.token_edit.setAccessibleName(tr("API token"))
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setPlaceholderText(
            tr("Unchanged (stored securely) — type to replace") if profile else tr("w91_live_…")
        )
        self.show_token_action = QAction(tr("Show"), self)
        self.show_token_action.setObjectName("showTokenAction")
        self.show_token_action.setCheckable(True)
        self.show_token_action.setToolTip(tr("Show or hide the token (Alt+W)"))
        self.show_token_action.setShortcut(QKeySequence("Alt+W"))
        self.show_token_action.toggled.connect(self._on_show_token_toggled)
        self.show_token_button = QToolButton(self)
        self.show_token_button.setObjectName("showTokenButton")
        self.show_token_button.setDefaultAction(self.show_token_action)
        self.show_token_button.setAccessibleName(tr("Show token"))
        self.show_token_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        token_row = QHBoxLayout()
        token_row.addWidget(self.token_edit, 1)
        token_row.addWidget(self.show_token_button)
        self.token_problem = _problem_label(self, "profileTokenProblem", "Token problem")
        form.addRow(_buddy_label(tr("To&ken:"), self.token_edit, self), token_row)
        form.addRow("", self.token_problem)

        self.region_combo = QComboBox(self)
        self.region_combo.setObjectName("regionCombo")
        self.region_combo.setAccessibleName(tr("Default country for numbers"))
        for code, label in region_choices():
            self.region_combo.addItem(label, code)
        form.addRow(_buddy_label(tr("Default &country:"), self.region_combo, self), self.region_combo)

        self.connect_timeout_spin = QDoubleSpinBox(self)
        self.connect_timeout_spin.setObjectName("connectTimeoutSpin")
        self.connect_timeout_spin.setAccessibleName(tr("Connect timeout in seconds"))
        self.connect_timeout_spin.setRange(0.5, 120.0)
        self.connect_timeout_spin.setSuffix(" s")
        self.connect_timeout_spin.setDecimals(1)
        self.read_timeout_spin = QDoubleSpinBox(self)
        self.read_timeout_spin.setObjectName("readTimeoutSpin")
        self.read_timeout_spin.setAccessibleName(tr("Read timeout in seconds"))
        self.read_timeout_spin.setRange(1.0, 600.0)
        self.read_timeout_spin.setSuffix(" s")
        self.read_timeout_spin.setDecimals(1)
        timeouts = QHBoxLayout()
        timeouts.setSpacing(6)
        timeouts.addWidget(_buddy_label(tr("Connect"), self.connect_timeout_spin, self))
        timeouts.addWidget(self.connect_timeout_spin)
        timeouts.addSpacing(12)
        timeouts.addWidget(_buddy_label(tr("Read"), self.read_timeout_spin, self))
        timeouts.addWidget(self.read_timeout_spin)
        timeouts.addStretch(1)
        form.addRow(_buddy_label(tr("Time&outs:"), self.connect_timeout_spin, self), timeouts)

        # ---- senders: a group box's title takes a mnemonic that focuses its first field
        senders = QGroupBox(tr("S&enders"), self)
        senders.setObjectName("sendersBox")
        columns.addWidget(senders, 1)
        self.sender_list = QListWidget(senders)
        self.sender_list.setObjectName("senderList")
        self.sender_list.setAccessibleName(tr("Sender numbers"))
        self.sender_input = QLineEdit(senders)
        self.sender_input.setObjectName("senderInput")
        self.sender_input.setAccessibleName(tr("New sender number"))
        self.sender_input.setPlaceholderText("e.g. 919999999999")
        self.sender_input.setToolTip(tr("A sender number with its country code, e.g. 919999999999"))
        self.sender_input.returnPressed.connect(self._on_add_sender_clicked)
        self.add_sender_button = QPushButton(tr("&Add"), senders)
        self.add_sender_button.setObjectName("addSenderButton")
        self.add_sender_button.setAccessibleName(tr("Add sender"))
        self.add_sender_button.setAutoDefault(False)
        self.add_sender_button.clicked.connect(self._on_add_sender_clicked)
        self.remove_sender_button = QPushButton(tr("&Remove"), senders)
        self.remove_sender_button.setObjectName("removeSenderButton")
        self.remove_sender_button.setAccessibleName(tr("Remove sender"))
        self.remove_sender_button.setAutoDefault(False)
        self.remove_sender_button.clicked.connect(self._on_remove_sender_clicked)
        self.default_sender_button = QPushButton(tr("Make &default"), senders)
        self.default_sender_button.setObjectName("defaultSenderButton")
        self.default_sender_button.setAccessibleName(tr("Make default sender"))
        self.default_sender_button.setAutoDefault(False)
        self.default_sender_button.clicked.connect(self._on_default_sender_clicked)
        self.sender_problem = _problem_label(senders, "senderProblem", "Sender problem")
        sender_box = QVBoxLayout(senders)
        sender_box.setSpacing(4)
        sender_box.addWidget(self.sender_list, 1)
        add_row = QHBoxLayout()
        add_row.addWidget(self.sender_input, 1)
        add_row.addWidget(self.add_sender_button)
        sender_box.addLayout(add_row)
        sender_box.addWidget(self.sender_problem)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.remove_sender_button)
        buttons_row.addWidget(self.default_sender_button)
        buttons_row.addStretch(1)
        sender_box.addLayout(buttons_row)

        # ---- test
        self.test_button = QPushButton(tr("&Test token"), self)
        self.test_button.setObjectName("testTokenButton")
        self.test_button.setAccessibleName(tr("Test token"))
        self.test_button.setAutoDefault(False)
        self.test_button.clicked.connect(self._on_test_clicked)
        self.test_result = QLabel(self)
        self.test_result.setObjectName("tokenTestResult")
        self.test_result.setAccessibleName(tr("Token test result"))
        self.test_result.setWordWrap(True)
        self.test_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.test_result.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.test_result.setFixedHeight(self.test_result.fontMetrics().lineSpacing() * TEST_RESULT_LINES + 4)
        self.test_result.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button, 0, Qt.AlignmentFlag.AlignTop)
        test_row.addWidget(self.test_result, 1)
        outer.addLayout(test_row)

        self.problems_label = ElidedLabel(self, lines=2)
        self.problems_label.setObjectName("profileProblems")
        self.problems_label.setAccessibleName(tr("Why Save is disabled"))
        outer.addWidget(self.problems_label)

        self.button_box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.button_box.setObjectName("profileButtons")
        self.save_button = self.button_box.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("saveProfileButton")
        self.save_button.setAccessibleName(tr("Save profile"))
        cancel = self.button_box.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName(tr("Cancel"))
        self.button_box.accepted.connect(self.accept)
        self.button_box.rejected.connect(self.reject)
        outer.addWidget(self.button_box)

        self._fill(profile)
        for key, edit in (
            ("name", self.name_edit),
            ("base_url", self.base_url_edit),
            ("token", self.token_edit),
        ):
            edit.textChanged.connect(lambda _text, key=key: self._on_field_edited(key))
        self.region_combo.currentIndexChanged.connect(self._refresh)
        self._refresh()
        self.setMinimumWidth(DIALOG_MIN_WIDTH)

    # ------------------------------------------------------------------ filling and reading

    def _fill(self, profile: Profile | None) -> None:
        p = profile or self._blank
        self.name_edit.setText(p.name)
        self.base_url_edit.setText(p.base_url)
        index = self.region_combo.findData(p.default_region)
        self.region_combo.setCurrentIndex(index if index >= 0 else self.region_combo.findData("IN"))
        self.connect_timeout_spin.setValue(p.connect_timeout)
        self.read_timeout_spin.setValue(p.read_timeout)
        for sender in p.senders:
            self._add_sender_item(sender)
        if self._default_sender is None and p.senders:
            self._default_sender = p.senders[0].sender_id
        self._relabel_senders()

    def _add_sender_item(self, sender: Sender) -> None:
        item = QListWidgetItem(sender_label(sender), self.sender_list)
        item.setData(Qt.ItemDataRole.UserRole, sender)

    def _senders(self) -> tuple[Sender, ...]:
        items = (self.sender_list.item(i) for i in range(self.sender_list.count()))
        return tuple(item.data(Qt.ItemDataRole.UserRole) for item in items)

    def _relabel_senders(self) -> None:
        for i in range(self.sender_list.count()):
            item = self.sender_list.item(i)
            sender: Sender = item.data(Qt.ItemDataRole.UserRole)
            item.setText(sender_label(sender, is_default=sender.sender_id == self._default_sender))

    def current_profile(self) -> Profile:
        """The profile as typed (not yet validated)."""
        base_url = self.base_url_edit.text().strip()
        senders = self._senders()
        default = self._default_sender if any(s.sender_id == self._default_sender for s in senders) else None
        return Profile(
            name=self.name_edit.text().strip(),
            base_url=base_url,
            default_sender=default,
            senders=senders,
            default_region=str(self.region_combo.currentData() or "IN"),
            connect_timeout=self.connect_timeout_spin.value(),
            read_timeout=self.read_timeout_spin.value(),
            sandbox=is_sandbox_url(base_url),
            variables=self._original.variables if self._original else (),  # edited under Variables…
        )

    def typed_token(self) -> str | None:
        token = self.token_edit.text().strip()
        return token or None

    # ------------------------------------------------------------------ validation

    def _field_problems(self) -> dict[str, str]:
        """``name`` / ``base_url`` / ``token`` -> what is wrong with it, in the field's words."""
        profile = self.current_profile()
        found: dict[str, str] = {}
        name_problem = PROFILE_SPECS["name"].problem(self.name_edit.text())
        if name_problem:
            found["name"] = name_problem
        elif profile.name == SANDBOX_PROFILE_NAME:
            found["name"] = f"“{SANDBOX_PROFILE_NAME}” is the built-in sandbox; choose another name"
        elif profile.name in self._taken:
            found["name"] = f"a profile called “{profile.name}” already exists"
        url_problem = base_url_problem(profile.base_url)
        if url_problem:
            found["base_url"] = url_problem
        if not self.typed_token() and self._original is None and not profile.sandbox:
            found["token"] = "paste the API token for this profile"
        return found

    def problems(self) -> list[str]:
        """Everything that stops a save, ``Field: problem`` (shown or not yet)."""
        return [f"{FIELD_NAMES[key]}: {message}" for key, message in self._field_problems().items()]

    def _shown(self, key: str) -> bool:
        """A field's problem shows once it was edited (or a save tried); a URL's as soon as it has one."""
        return key in self._touched or (key == "base_url" and bool(self.base_url_edit.text().strip()))

    def _refresh(self) -> None:
        found = self._field_problems()
        shown = {key: message for key, message in found.items() if self._shown(key)}
        for key, label in (
            ("name", self.name_problem),
            ("base_url", self.base_url_problem),
            ("token", self.token_problem),
        ):
            label.set_full_text(shown.get(key, ""))
        listed = [f"{FIELD_NAMES[key]}: {message}" for key, message in shown.items()]
        waiting = [FIELD_NAMES[key] for key in found if key not in shown]
        if waiting:
            listed.append("To save, fill in: " + ", ".join(waiting))
        if self._save_error:
            listed.insert(0, self._save_error)
        alarming = bool(shown) or bool(self._save_error)
        themed_style(self.problems_label, _ERROR_STYLE if alarming else _HINT_STYLE)
        self.problems_label.set_full_text(" · ".join(listed), "\n".join(listed))
        self.save_button.setEnabled(not found and not self._saving)
        self.save_button.setText(tr("Saving…") if self._saving else tr("&Save"))
        cancel = self.button_box.button(QDialogButtonBox.StandardButton.Cancel)
        if cancel is not None:
            cancel.setEnabled(not self._saving)
        self.save_button.setToolTip("\n".join(listed) if found else tr("Save this profile"))

    # ------------------------------------------------------------------ slots

    def _on_field_edited(self, key: str) -> None:
        self._touched.add(key)
        self._save_error = None
        self._refresh()

    def _on_show_token_toggled(self, shown: bool) -> None:
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        self.show_token_action.setText(tr("Hide") if shown else tr("Show"))
        self.show_token_button.setAccessibleName(tr("Hide token") if shown else tr("Show token"))

    def _on_add_sender_clicked(self) -> None:
        raw = self.sender_input.text().strip()
        if not raw:
            return
        try:
            digits = normalize_number(raw, str(self.region_combo.currentData() or "IN")).digits
        except InvalidNumber as err:
            digits = re.sub(r"\D", "", raw)
            if not re.fullmatch(r"\d{6,15}", digits):
                self.sender_problem.set_full_text(str(err))
                return
        if any(s.sender_id == digits for s in self._senders()):
            self.sender_problem.set_full_text(f"{digits} is already in the list.")
            return
        self.sender_problem.set_full_text("")
        self._add_sender_item(Sender(digits))
        if self._default_sender is None:
            self._default_sender = digits
        self._relabel_senders()
        self.sender_input.clear()
        self._refresh()

    def _on_remove_sender_clicked(self) -> None:
        row = self.sender_list.currentRow()
        if row < 0:
            return
        item = self.sender_list.takeItem(row)
        removed: Sender = item.data(Qt.ItemDataRole.UserRole)
        if removed.sender_id == self._default_sender:
            remaining = self._senders()
            self._default_sender = remaining[0].sender_id if remaining else None
        self._relabel_senders()
        self._refresh()

    def _on_default_sender_clicked(self) -> None:
        item = self.sender_list.currentItem()
        if item is None:
            return
        self._default_sender = item.data(Qt.ItemDataRole.UserRole).sender_id
        self._relabel_senders()

    def test_sender(self) -> str | None:
        """The sender a token test asks about: the selected one, else the default."""
        item = self.sender_list.currentItem()
        if item is not None:
            return str(item.data(Qt.ItemDataRole.UserRole).sender_id)
        return self._default_sender

    @qasync.asyncSlot()
    async def _on_test_clicked(self) -> None:
        profile = self.current_profile()
        sender = self.test_sender()
        self.test_button.setEnabled(False)
        themed_style(self.test_result, "")
        self.test_result.setText(tr("Testing…"))
        client: Whats91Client | None = None
        try:
            token = self.typed_token()
            if not token and self._stored_token is not None:
                token = await self._stored_token()
            if not token:
                raise ConfigError("Enter a token to test.")
            url_problem = base_url_problem(profile.base_url)
            if url_problem:
                raise ConfigError(url_problem)
            client = await self._client_factory(profile, token)
            check = await client.check_token(sender)
        except Whats91Error as err:
            self.last_check = None
            self.last_check_text = str(err)
            themed_style(self.test_result, _ERROR_STYLE)
            self.test_result.setText(self.last_check_text)
            self.token_checked.emit(None)
            return
        finally:
            if client is not None:
                await client.aclose()
            self.test_button.setEnabled(True)
        self.last_check = check
        self.last_check_text = describe_token_check(check, sender)
        themed_style(self.test_result, "QLabel { color: $ok; }" if check.ok else _ERROR_STYLE)
        self.test_result.setText(self.last_check_text)
        self.token_checked.emit(check)

    def accept(self) -> None:
        """Save (in the background); the dialog closes once the saver has finished."""
        if self._saving:
            return
        if self.problems():
            self._touched.update(FIELD_NAMES)  # Enter on a half-filled form: say what is missing
            self._refresh()
            return
        self._saving = True
        self._refresh()
        self._tasks.spawn(self._save(self.current_profile(), self.typed_token()))

    async def _save(self, profile: Profile, token: str | None) -> None:
        self._save_error = None
        try:
            await self._saver(profile, token, self._original.name if self._original else None)
        except Whats91Error as err:
            self._save_error = f"Not saved: {err}"
        finally:
            self._saving = False
            self._refresh()
        if self._save_error is not None:
            return
        self.saved.emit(profile.name)
        super().accept()

    def reject(self) -> None:
        """Cancel; ignored while saving (the keychain may be asking to be unlocked)."""
        if not self._saving:
            super().reject()

    @property
    def is_saving(self) -> bool:
        return self._saving
