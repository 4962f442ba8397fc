"""The box under a thread: free-form text while the window is open, a template picker once closed.

Open (or not known yet) it is a text field and Send; the window's state is on the line above
it, icon and words. The text is checked like the compose pane's (``core.validation``) and a
problem is said under the field, sending nothing. Sending is the caller's (the window's one
send path): the box only asks, and keeps the text until the send's outcome says it went, so
nothing typed is lost to a refused or failed send.

Closed, free-form text would be accepted and then fail (131047), so the box shows why and the
sender's approved templates instead; choosing one opens it in the compose pane's Template tab
for this contact, where its variables are filled and it is sent like any other message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from whats91_desktop.core.models import TemplateInfo
from whats91_desktop.core.service_window import ServiceWindow, window_text
from whats91_desktop.ui.compose.window_guard import closed_sentence
from whats91_desktop.ui.conversations.window_badge import state_of, window_icon
from whats91_desktop.ui.i18n import tr
from whats91_desktop.ui.palette import themed_style

NAME_ROLE = Qt.ItemDataRole.UserRole + 1


class ReplyBox(QStackedWidget):
    send_wanted = Signal(str)
    """The text to send (not blank); the caller checks, sends, and calls :meth:`sent`."""
    template_chosen = Signal(str)
    """A template name (``""``: none chosen, open the Template tab anyway)."""
    templates_wanted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("replyBox")
        self._window: ServiceWindow | None = None
        self._names: tuple[str, ...] | None = None
        self._busy = False

        self.open_page = QWidget(self)
        self.window_icon = QLabel(self.open_page)
        self.window_icon.setObjectName("replyWindowIcon")
        self.window_label = QLabel(self.open_page)
        self.window_label.setObjectName("replyWindowLabel")
        self.edit = QPlainTextEdit(self.open_page)
        self.edit.setObjectName("replyEdit")
        self.edit.setAccessibleName(tr("Reply"))
        self.edit.setPlaceholderText(tr("Write a reply… (Ctrl+Enter sends)"))
        self.edit.setTabChangesFocus(True)
        self.edit.setFixedHeight(72)
        self.problem = QLabel(self.open_page)
        self.problem.setObjectName("replyProblem")
        self.problem.setWordWrap(True)
        themed_style(self.problem, "color: $problem;")
        self.send_button = QPushButton(tr("Send reply"), self.open_page)
        self.send_button.setObjectName("replySendButton")
        self.send_button.setAutoDefault(False)
        top = QHBoxLayout()
        top.addWidget(self.window_icon)
        top.addWidget(self.window_label, 1)
        row = QHBoxLayout()
        row.addWidget(self.edit, 1)
        row.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self.open_page)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(top)
        layout.addLayout(row)
        layout.addWidget(self.problem)
        self.addWidget(self.open_page)

        self.closed_page = QWidget(self)
        self.closed_label = QLabel(self.closed_page)
        self.closed_label.setObjectName("replyClosedLabel")
        self.closed_label.setWordWrap(True)
        self.closed_icon = QLabel(self.closed_page)
        self.template_list = QListWidget(self.closed_page)
        self.template_list.setObjectName("replyTemplateList")
        self.template_list.setAccessibleName(tr("Approved templates"))
        self.template_list.setFixedHeight(96)
        self.templates_note = QLabel(self.closed_page)
        self.templates_note.setObjectName("replyTemplatesNote")
        self.templates_note.setWordWrap(True)
        self.load_templates_button = QPushButton(tr("Load templates"), self.closed_page)
        self.load_templates_button.setObjectName("replyLoadTemplatesButton")
        self.use_template_button = QPushButton(tr("Send a template…"), self.closed_page)
        self.use_template_button.setObjectName("replyUseTemplateButton")
        self.use_template_button.setToolTip(
            tr("Opens the chosen template in the Messages room's Template tab, addressed to this contact")
        )
        head = QHBoxLayout()
        head.addWidget(self.closed_icon, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.closed_label, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.templates_note, 1)
        buttons.addWidget(self.load_templates_button)
        buttons.addWidget(self.use_template_button)
        closed = QVBoxLayout(self.closed_page)
        closed.setContentsMargins(0, 4, 0, 0)
        closed.addLayout(head)
        closed.addWidget(self.template_list)
        closed.addLayout(buttons)
        self.addWidget(self.closed_page)

        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self.edit)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self.trigger_send)
        self.send_button.clicked.connect(self.trigger_send)
        self.edit.textChanged.connect(lambda: self.problem.setText(""))
        self.use_template_button.clicked.connect(self._on_use_template_clicked)
        self.template_list.itemActivated.connect(lambda _item: self._on_use_template_clicked())
        self.load_templates_button.clicked.connect(self.templates_wanted)
        self.set_templates(None)
        self.set_window(None, dt.datetime.now(dt.UTC))

    # ------------------------------------------------------------------ state

    @property
    def closed(self) -> bool:
        return self.currentWidget() is self.closed_page

    def set_window(self, window: ServiceWindow | None, now: dt.datetime) -> None:
        """``None``: no contact chosen. Known closed: the template page; otherwise the text page."""
        self._window = window
        if window is not None and window.known_closed:
            self.closed_label.setText(
                closed_sentence(window, now) + tr(" Send an approved template instead:")
            )
            self.closed_icon.setPixmap(window_icon(state_of(window, now)).pixmap(16, 16))
            self.setCurrentWidget(self.closed_page)
            return
        self.setCurrentWidget(self.open_page)
        if window is None:
            self.window_label.setText(tr("Choose a conversation to reply."))
            self.window_icon.clear()
        else:
            state = window_text(window, now)
            note = " — free-form text may fail if it has closed" if window.open is None else ""
            self.window_label.setText(
                tr("24-hour window: %1%2").replace("%1", str(state)).replace("%2", str(note))
            )
            self.window_icon.setPixmap(window_icon(state_of(window, now)).pixmap(16, 16))
        self._update_send()

    def set_templates(self, templates: Sequence[TemplateInfo] | None) -> None:
        """The sender's templates (approved ones are offered); ``None``: not loaded yet."""
        approved = [t for t in templates or () if (t.status or "APPROVED").upper() == "APPROVED"]
        names = tuple(t.name for t in approved) if templates is not None else None
        if names == self._names:
            return
        self._names = names
        current = self.chosen_template()
        self.template_list.clear()
        for info in approved:
            preview = " ".join(info.body_text.split())
            item = QListWidgetItem(f"{info.name} — {preview[:90]}" if preview else info.name)
            item.setData(NAME_ROLE, info.name)
            item.setToolTip(info.body_text)
            self.template_list.addItem(item)
            if info.name == current:
                self.template_list.setCurrentItem(item)
        if names is None:
            self.templates_note.setText(tr("Templates are not loaded yet."))
        elif not names:
            self.templates_note.setText(tr("This sender has no approved template."))
        else:
            self.templates_note.setText(
                tr("%1 approved template%2")
                .replace("%1", str(len(names)))
                .replace("%2", str("s" if len(names) != 1 else ""))
            )
        self.load_templates_button.setVisible(names is None)
        if self.template_list.currentItem() is None and self.template_list.count():
            self.template_list.setCurrentRow(0)

    def chosen_template(self) -> str:
        item = self.template_list.currentItem()
        return str(item.data(NAME_ROLE)) if item is not None else ""

    def set_busy(self, busy: bool) -> None:
        """While its send is being written and answered, Send reads "Sending…" and does nothing."""
        self._busy = busy
        self._update_send()

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)

    # ------------------------------------------------------------------ sending

    def trigger_send(self) -> None:
        if self._busy or self.closed or self._window is None:
            return
        text = self.edit.toPlainText()
        if not text.strip():
            self.show_problem(tr("Write the reply first."))
            self.edit.setFocus()
            return
        self.send_wanted.emit(text)

    def sent(self, text: str) -> None:
        """The send of ``text`` went (or may have): clear it, unless the user already changed it."""
        if self.edit.toPlainText() == text:
            self.edit.clear()

    def _update_send(self) -> None:
        self.send_button.setEnabled(not self._busy and self._window is not None)
        self.send_button.setText(tr("Sending…") if self._busy else tr("Send reply"))

    def _on_use_template_clicked(self) -> None:
        self.template_chosen.emit(self.chosen_template())
