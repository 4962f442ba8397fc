"""The compose pane: recipient, six message tabs, inline problems and the Send button.

Validation is ``core.validation.check_message`` (plus ``check_template_against`` when the
template is known), re-run 150 ms after the last edit. Live checks skip the file system;
the checks that need it (exists, size) run once per chosen file and are cached, and a
send always re-checks everything. Send stays disabled while anything is wrong, with the
reasons in its tooltip and on the ``composeStatusLabel`` line above it (a disabled button's
tooltip is hard to reach from the keyboard).

Problems appear only under the fields the user has edited (the recipient, or a field of
the tab: ``ProblemRouter`` keeps track), so an empty form is not a wall of red and typing
the body does not scold the empty title below it; the status line says what is left to
fill in. A send attempt reveals them all and focuses the first. Every problem line has its
space reserved (``ui/elided_label.py``), so a problem appearing never moves a field.

Stable object names (tests and automation rely on them):

- pane: ``recipientEdit``, ``recipientStatus``, ``messageTypeTabs``, ``sendButton``,
  ``composeStatusLabel``; each tab's unmatched problems: ``<kind>ProblemSummary``.
- Text: ``messageEdit``, ``textProblem``.
- Media: ``mediaTypeCombo``, ``mediaSourceFileRadio``, ``mediaSourceUrlRadio``,
  ``mediaSourceIdRadio``, ``mediaSourceBox``, ``mediaFileEdit``, ``mediaBrowseButton``, ``mediaUrlEdit``,
  ``mediaIdEdit``, ``mediaThumbnail``, ``mediaFileInfo``, ``mediaCaptionEdit``,
  ``mediaFilenameEdit``; problems ``mediaFileProblem``, ``mediaUrlProblem``, ``mediaIdProblem``
  (each also says what concerns the media as a whole, under the source chosen),
  ``mediaCaptionProblem``, ``mediaFilenameProblem``.
- Buttons: ``buttonsBodyEdit``, ``buttonIdEdit<i>``, ``buttonTitleEdit<i>``,
  ``buttonRemoveButton<i>``, ``buttonAddButton``; problems ``buttonsBodyProblem``,
  ``buttonsProblem``, ``buttonProblem<i>``.
- List: ``listHeaderEdit``, ``listBodyEdit``, ``listFooterEdit``, ``listButtonTextEdit``,
  ``listSectionTitleEdit<s>``, ``listRemoveSectionButton<s>``, ``listAddRowButton<s>``,
  ``listRowIdEdit<s>_<r>``, ``listRowTitleEdit<s>_<r>``, ``listRowDescriptionEdit<s>_<r>``,
  ``listRemoveRowButton<s>_<r>``, ``listAddSectionButton``, ``listRowCountLabel``; problems
  ``listHeaderProblem``, ``listBodyProblem``, ``listFooterProblem``, ``listButtonTextProblem``,
  ``listSectionsProblem``, ``listSectionProblem<s>``, ``listRowProblem<s>_<r>``.
- Template: ``templateSearchEdit``, ``templateList``, ``templateRefreshButton``,
  ``templateStatusLabel``, ``templateNameEdit``, ``templateInfoLabel``,
  ``templateVarCountSpin``, ``templateButtonVarCountSpin`` (manual mode),
  ``templateParamEdit<i>`` (``templateParamEdit0`` is the code of an authentication template),
  ``templateButtonParamEdit<i>`` with ``templateButtonParamUrlPreview<i>`` for a URL button,
  ``templateMediaUrlEdit``, ``templateMediaFileEdit``, ``templateMediaBrowseButton``,
  ``templatePreview``; problems ``templateNameProblem`` (also the number of variables),
  ``templateParamProblem<i>``, ``templateButtonParamProblem<i>``, ``templateMediaProblem``.
- Meta JSON: ``metaJsonEdit``, ``metaExampleButton`` (menu ``metaExampleMenu``),
  ``metaFormatButton``, ``metaPhoneNumberIdEdit``, ``metaEndpointLabel``; problems
  ``metaJsonProblem``, ``metaPhoneNumberIdProblem``.

Indexes are 0-based and follow the rows on screen (renumbered after every add/remove).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping, Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTabWidget, QVBoxLayout, QWidget

from whats91_desktop.core.models import (
    MediaMessage,
    MetaMessage,
    OutgoingMessage,
    Problem,
    TemplateInfo,
)
from whats91_desktop.core.validation import check_message
from whats91_desktop.core.variables import resolve_message, resolve_text
from whats91_desktop.ui.compose.base import ComposeTab
from whats91_desktop.ui.compose.buttons_tab import ButtonsTab
from whats91_desktop.ui.compose.list_tab import ListTab
from whats91_desktop.ui.compose.media_tab import MediaTab
from whats91_desktop.ui.compose.meta_json_tab import MetaJsonTab
from whats91_desktop.ui.compose.recipient import RecipientField
from whats91_desktop.ui.compose.send_status import SendStatus, SendStatusLine, send_status
from whats91_desktop.ui.compose.template_tab import TemplateTab
from whats91_desktop.ui.compose.text_tab import TextTab
from whats91_desktop.ui.compose.window_guard import WindowGuard
from whats91_desktop.ui.i18n import tr

DEBOUNCE_MS = 150
SEND_TOOLTIP = "Send this message (Ctrl+Enter)"


def _dedupe(problems: Sequence[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


class ComposePane(QWidget):
    send_requested = Signal(object)
    """A checked, normalised ``OutgoingMessage`` with ``sender_id`` filled in."""
    templates_wanted = Signal()
    """The Template tab's list is needed (``TemplateTab.wanted``: the window's one fetch)."""
    validity_changed = Signal(bool, str)
    """``ok`` and, when not ok, the reasons shown in the Send tooltip (``""`` when ok)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composePane")
        self._region = "IN"
        self._sender_id: str | None = None
        self._sending = False
        self._in_flight: tuple[OutgoingMessage, ...] = ()
        self._variables: Mapping[str, str] = {}
        self._draft: OutgoingMessage | None = None
        self._message: OutgoingMessage | None = None
        self._problems: list[Problem] = []
        self._shown: list[Problem] = []
        self._validity: tuple[bool, str] | None = None
        self._touched: set[str] = set()  # "to" once edited; a tab's kind once a send was tried on it
        self._quiet = 0
        self._file_checks: dict[object, list[Problem]] = {}

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)

        self.recipient = RecipientField(self)
        layout.addWidget(self.recipient)
        self.window_guard = WindowGuard(self)
        """The recipient's 24-hour window, when known (``recipientWindowLabel``), and the question
        before free-form text goes to a closed one."""
        layout.addWidget(self.window_guard.label)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("messageTypeTabs")
        self.tabs.setAccessibleName(tr("Message type"))
        self.tabs.setDocumentMode(True)
        self.text_tab = TextTab()
        self.media_tab = MediaTab()
        self.buttons_tab = ButtonsTab()
        self.list_tab = ListTab()
        self.template_tab = TemplateTab()
        self.meta_tab = MetaJsonTab()
        self.tab_by_kind: dict[str, ComposeTab] = {}
        tips = {
            "text": tr("A plain text message"),
            "media": tr("An image, video, audio clip or document"),
            "buttons": tr("Text with up to 3 quick-reply buttons"),
            "list": tr("Text with a button that opens a list of choices"),
            "template": tr("An approved template (the only way to start a conversation)"),
            "meta": tr("Raw Meta Cloud API JSON, checked against Meta's schema"),
        }
        for tab in (
            self.text_tab,
            self.media_tab,
            self.buttons_tab,
            self.list_tab,
            self.template_tab,
            self.meta_tab,
        ):
            index = self.tabs.addTab(tab, tr(tab.title))
            self.tabs.setTabToolTip(index, tips[tab.kind])
            tab.setAccessibleName(f"{tab.title} message")
            self.tab_by_kind[tab.kind] = tab
            tab.changed.connect(lambda kind=tab.kind: self._on_tab_changed_content(kind))
        layout.addWidget(self.tabs, 1)

        self.actions_bar = bottom = QHBoxLayout()
        """Send; others put their actions beside it (Save request…). The status line is the row
        above: at 1024 px the bar is full of buttons, and the reasons must stay readable."""
        self.status_label = SendStatusLine(self)
        self.send_button = QPushButton(tr("&Send"), self)
        self.send_button.setObjectName("sendButton")
        self.send_button.setAccessibleName(tr("Send"))
        self.send_button.setDefault(False)
        self.send_button.setAutoDefault(False)
        self.send_button.setMinimumWidth(110)
        bottom.addStretch(1)
        bottom.addWidget(self.send_button)
        layout.addWidget(self.status_label)
        layout.addLayout(bottom)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.setWhatsThis(tr("Send the composed message"))
            shortcut.activated.connect(self.trigger_send)

        self.recipient.changed.connect(self._on_recipient_changed)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.send_button.clicked.connect(self.trigger_send)
        self.template_tab.wanted.connect(self.templates_wanted)
        self.meta_tab.recipient_provider = self._recipient_digits
        self._revalidate()

    # ------------------------------------------------------------------ public API

    def set_region(self, region: str) -> None:
        """Default region for numbers typed without ``+`` (``IN``, ``US`` …)."""
        self._region = (region or "IN").upper()
        self.recipient.set_region(self._region)
        self._revalidate()

    def set_sender(self, sender_id: str | None) -> None:
        """The sender put on every sent message (``None``: the token's default)."""
        self._sender_id = sender_id or None
        self._revalidate()

    @property
    def sender_id(self) -> str | None:
        return self._sender_id

    def set_recent_recipients(self, numbers: Sequence[str]) -> None:
        self.recipient.set_recent(numbers)

    def set_templates(self, templates: Sequence[TemplateInfo] | None, error: str | None = None) -> None:
        """The sender's templates, or ``None`` and why (the name field stays usable)."""
        self._quiet += 1
        try:
            self.template_tab.set_templates(templates, error)
        finally:
            self._quiet -= 1
        self._revalidate()

    def set_sending(self, busy: bool) -> None:
        """While busy (a send is being written to the log), Send is disabled and reads "Sending…"."""
        self._sending = busy
        self._update_send_button()

    def set_in_flight(self, messages: Collection[OutgoingMessage]) -> None:
        """The messages whose sends are under way: while the one composed is among them, Send
        reads "Sending…" and does nothing (each composed message is sent once); any edit frees it."""
        self._in_flight = tuple(messages)
        self._update_send_button()

    def set_variables(self, values: Mapping[str, str]) -> None:
        """The profile's ``{{name}}`` values: every message is resolved with them before it is
        checked, previewed and sent; a name they lack is a problem that blocks Send."""
        self._variables = dict(values)
        self.template_tab.set_text_resolver(lambda text: resolve_text(text, self._variables))
        self._revalidate()

    def current_draft(self) -> OutgoingMessage | None:
        """The message as typed, ``{{variables}}`` unresolved (what a saved request keeps)."""
        self._revalidate()
        return self._draft

    def current_message(self) -> OutgoingMessage | None:
        """The message as composed — normalised where possible, sender filled in.

        ``None`` only when there is no message at all (unparsable JSON); whether it can be
        sent is :meth:`current_problems`.
        """
        self._revalidate()
        return self._message

    def current_problems(self) -> list[Problem]:
        self._revalidate()
        return list(self._problems)

    def trigger_send(self) -> None:
        """Emit ``send_requested`` if everything is valid; otherwise show and focus the first problem.

        Nothing happens while a send is being logged, or when this very message is already
        being sent (two clicks or two Ctrl+Enter presses on the same content send once).
        """
        if self._sending:
            return
        self._timer.stop()
        self._touched.update({"to", self._current_tab().kind})
        self._revalidate(check_files=True)
        if self._problems or self._message is None:
            self._focus_first_problem()
            return
        if self._message in self._in_flight:
            return
        if not self.window_guard.allows(self._message, lambda: self.select_tab("template")):
            return
        self.send_requested.emit(self._message)

    def after_sent(self, sent: OutgoingMessage) -> None:
        """Clear the sent message's body (one undo step) — only if it is still what the pane holds.

        Anything the user changed since (another tab, another recipient, one more word) stays,
        and a Meta JSON payload always stays: integrators send it, adjust it and send again.
        Recipient, tab and structure stay too.
        """
        if isinstance(sent, MetaMessage) or self.current_message() != sent:
            return
        tab = self._current_tab()
        self._quiet += 1
        try:
            tab.clear_body()
        finally:
            self._quiet -= 1
        self._touched.discard(tab.kind)
        self._revalidate()
        focus = {"text": self.text_tab.message_edit, "meta": self.meta_tab.json_edit}.get(tab.kind)
        if focus is not None:
            focus.setFocus()

    # ------------------------------------------------------------------ helpers for callers and tests

    def select_tab(self, kind: str) -> ComposeTab:
        """Make a tab current: ``text``, ``media``, ``buttons``, ``list``, ``template`` or ``meta``."""
        tab = self.tab_by_kind[kind]
        self.tabs.setCurrentWidget(tab)
        return tab

    def is_valid(self) -> bool:
        return bool(self._validity and self._validity[0])

    # ------------------------------------------------------------------ validation

    def _current_tab(self) -> ComposeTab:
        tab = self.tabs.currentWidget()
        assert isinstance(tab, ComposeTab)
        return tab

    def _recipient_digits(self) -> str | None:
        normalized = self.recipient.normalized()
        return normalized.digits if normalized is not None else None

    def _revalidate(self, *, check_files: bool = False) -> None:
        tab = self._current_tab()
        message, problems = tab.build(self.recipient.text())
        self._draft = None
        if message is not None:
            message = self._draft = dataclasses.replace(message, sender_id=self._sender_id)
            resolved = resolve_message(message, self._variables)  # checked and sent as resolved
            message = resolved.message
            checked = check_message(message, default_region=self._region, check_files=check_files)
            undefined = {p.field for p in resolved.problems}  # the cause, not its symptoms
            symptoms = [p for p in checked.problems if p.field not in undefined]
            problems = [*problems, *resolved.problems, *symptoms]
            if not check_files:
                problems += self._cached_file_problems(tab, message)
            problems += tab.extra_problems(message, self._region)
            message = checked.message
        self._message = message
        self._problems = tab.tidy_problems(_dedupe(problems))
        self._show_problems(tab)
        self._update_validity()

    def _cached_file_problems(self, tab: ComposeTab, message: OutgoingMessage) -> list[Problem]:
        """What only the file system can tell (exists, size), checked once per file choice."""
        files = tab.files()
        if not files:
            return []
        key = (tab.kind, files, message.media_type if isinstance(message, MediaMessage) else None)
        if key not in self._file_checks:
            light = set(check_message(message, default_region=self._region, check_files=False).problems)
            full = check_message(message, default_region=self._region, check_files=True).problems
            self._file_checks = {key: [p for p in full if p not in light]}
        return self._file_checks[key]

    def _show_problems(self, tab: ComposeTab) -> None:
        """Show the problems of what the user has touched (``_shown``); the rest wait quietly."""
        own_recipient = not tab.handles_recipient_problems()
        in_field = [p for p in self._problems if own_recipient and p.field == "to"]
        shown_field = in_field if "to" in self._touched else []
        in_tab = [p for p in self._problems if p not in in_field]
        self.recipient.show_problem(shown_field[0].message if shown_field else None)
        shown_tab = tab.show_problems(in_tab, reveal=tab.kind in self._touched)  # a send was tried
        self._shown = [p for p in self._problems if p in shown_field or p in shown_tab]

    def _update_validity(self) -> None:
        ok = not self._problems and self._message is not None
        hidden = [p for p in self._problems if p not in self._shown]
        status = SendStatus("", "", is_problem=False)
        if not ok:
            status = send_status(self._shown, hidden, has_message=self._message is not None)
        self.status_label.show_status(status)
        reason = status.reason
        self._update_send_button(ok, reason)
        if self._validity != (ok, reason):
            self._validity = (ok, reason)
            self.validity_changed.emit(ok, reason)

    def _update_send_button(self, ok: bool | None = None, reason: str | None = None) -> None:
        if ok is None or reason is None:
            ok, reason = self._validity if self._validity is not None else (False, "")
        if self._sending or (self._message is not None and self._message in self._in_flight):
            self.send_button.setText(tr("Sending…"))
            self.send_button.setEnabled(False)
            self.send_button.setToolTip("This message is being sent; change it to send another")
            return
        self.send_button.setText(tr("&Send"))
        self.send_button.setEnabled(ok)
        self.send_button.setToolTip(SEND_TOOLTIP if ok else reason)
        self.send_button.setAccessibleDescription("" if ok else reason)

    def _focus_first_problem(self) -> None:
        tab = self._current_tab()
        for problem in self._problems:
            if problem.field == "to" and not tab.handles_recipient_problems():
                self.recipient.edit.setFocus()
                return
            if tab.focus_problem(problem):
                return

    # ------------------------------------------------------------------ slots

    def _on_recipient_changed(self) -> None:
        self._touched.add("to")
        self._timer.start()
        self.window_guard.show_for(self._recipient_digits())

    def _on_tab_changed_content(self, _kind: str) -> None:
        if not self._quiet:
            self._timer.start()  # which of its fields were edited, the tab itself keeps track of

    def _on_tabs_current_changed(self, _index: int) -> None:
        self._timer.stop()
        self._revalidate()

    def _on_timer_timeout(self) -> None:
        self._revalidate()
