"""The message log pane: search and filters, the lazy table, actions, and the detail view.

All disk work goes through ``AsyncMessageStore`` as tasks on the qasync loop; dialogs (file
choosers, confirmations) run in ordinary slots before any task starts, never inside one.
Sending, cancelling, checking the reports and building curl commands belong to the window:
the pane asks for them with signals (``resend_requested``, ``cancel_requested``,
``reconcile_requested``, ``curl_requested``).

The search is debounced and runs on the store's worker; the first page shows before the
matches are counted. The details follow the filter: a selected row that the new search or
filter leaves out is unselected, and its actions go with it. A row being sent shows how long
it has waited against the read timeout, with Cancel; failures that arrive while the user
looks elsewhere are counted on the log until their row is opened.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Collection, Sequence
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import (
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    QPoint,
    QStandardPaths,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QSplitter,
    QStyle,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from whats91_desktop.core.errors import Whats91Error
from whats91_desktop.core.models import StatusEvent
from whats91_desktop.core.outcome_text import MAY_HAVE_REACHED
from whats91_desktop.core.store import AsyncMessageStore, LogEntry, LogQuery
from whats91_desktop.ui.bridge import MessageBridge
from whats91_desktop.ui.i18n import tr
from whats91_desktop.ui.log.detail import (
    RECONCILE_LINK,
    needs_reconcile,
    settled_verdict,
    summary_html,
)
from whats91_desktop.ui.log.model import (
    COLUMNS,
    MESSAGE_ID,
    PREVIEW,
    PROFILE,
    RECIPIENT,
    SENDER,
    STATUS,
    STATUS_GROUPS,
    STRIPE_SIZE,
    TIME,
    TYPE,
    MessageLogModel,
)
from whats91_desktop.ui.log.response_text import response_text
from whats91_desktop.ui.log.row_message import message_of
from whats91_desktop.ui.log.sent_summary import TemplateBody
from whats91_desktop.ui.palette import themed_style
from whats91_desktop.ui.tasks import TaskSet
from whats91_desktop.ui.text_views import show_html, show_plain

DEFAULT_HIDDEN_COLUMNS = frozenset({PROFILE, SENDER, TYPE})
"""Right-click the header to show them; the preview already says ``[template …]``, ``[image]``…
and each row's time carries its profile's SANDBOX / PRODUCTION colour."""
ALWAYS_SHOWN_COLUMNS = frozenset({TIME, PREVIEW})
DEFAULT_WIDTH_SAMPLES = {
    TIME: "2026-12-31 23:59:59",
    PROFILE: "Production",
    SENDER: "+91 99999 99999",
    RECIPIENT: "+91 99999 99999",
    TYPE: "template",
    STATUS: "delivered ✓✓ ●",
    MESSAGE_ID: "wamid.HBgM…ABCDEF",
}
"""Default column widths, as the width of a typical value in the table's font."""

SEARCH_DEBOUNCE_MS = 250
ROW_CHANGE_DEBOUNCE_MS = 300
IN_FLIGHT_TICK_MS = 1000
ALL_PROFILES = "All profiles"
TOKEN_WARNING = (
    "The copied command will contain your token in plain text. "
    "Do not paste it into chats, tickets or screenshots."
)


class LogPane(QWidget):
    """Every message sent from this computer, searchable, with what became of it."""

    resend_requested = Signal(int)
    """Row id; the user explicitly asked to send this message again (a NEW row)."""
    cancel_requested = Signal(int)
    """Row id of a row being sent: stop waiting for its answer (it ends ``unknown``)."""
    reconcile_requested = Signal(int)
    refresh_status_requested = Signal(int)  # row id: ask the reports for its status now
    """Row id of an unknown row; answer with ``show_reconcile_result``."""
    curl_requested = Signal(int, bool)
    """Row id, include_token (False unless the user ticked the box and saw the warning)."""
    detail_loaded = Signal(int)
    """The detail view now shows this row."""
    columns_changed = Signal()
    """A column was shown, hidden or resized (the window saves the layout)."""

    def __init__(
        self, store: AsyncMessageStore, bridge: MessageBridge, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._bridge = bridge
        self._tasks = TaskSet()
        self._current: LogEntry | None = None
        self._showing: int | None = None  # the row the details show, or are being loaded for
        self._current_events: list[StatusEvent] = []
        self._template_body: TemplateBody | None = None
        self._unseen: list[int] = []
        self._profile_filter: str | None = None
        self._detail_generation = 0
        self._pending_select: int | None = None
        self._reconcile_text: dict[int, str] = {}
        self._checking: set[int] = set()
        self._busy = False
        self.row_menu_actions: list[QAction] = []
        """Actions other modules add to the row menu, after "Copy as curl" (the workbench's)."""

        self.model = MessageLogModel(store, self)
        self._build_filters()
        self._build_actions()
        self._build_table()
        self._build_detail()
        self._build_layout()

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self._apply_filters)
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(ROW_CHANGE_DEBOUNCE_MS)
        self._reload_timer.timeout.connect(self.refresh)
        self._flight_timer = QTimer(self)
        self._flight_timer.setInterval(IN_FLIGHT_TICK_MS)
        self._flight_timer.timeout.connect(self._on_flight_timer_timeout)

        self.search_edit.textChanged.connect(self._on_search_text_changed)
        self.search_edit.returnPressed.connect(self._on_search_return_pressed)
        self.search_edit.installEventFilter(self)
        self.model.first_page_shown.connect(self._on_model_first_page_shown)
        self.model.loaded.connect(self._on_model_loaded)
        self.model.load_failed.connect(self._bridge.report_error)

        self._update_actions()
        self.model.reload()

    # ------------------------------------------------------------------ construction

    def _build_filters(self) -> None:
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("logSearchEdit")
        self.search_edit.setPlaceholderText(tr("Search recipient, text, message id or error…"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName(tr("Search the message log"))
        self.search_edit.setToolTip(tr("Search recipient, text, message id, request id or error (Ctrl+F)"))

        self.status_button = QToolButton(self)
        self.status_button.setObjectName("logStatusFilter")
        self.status_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        # The style's own indicator is drawn over the text's last letter: a ▾ in the text instead.
        self.status_button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0px; }")
        self.status_button.setAccessibleName(tr("Filter by status"))
        self.status_menu = QMenu(self.status_button)
        self.status_actions: dict[str, QAction] = {}
        for group in STATUS_GROUPS:
            action = self.status_menu.addAction(tr(group))
            action.setCheckable(True)
            action.toggled.connect(self._on_status_filter_toggled)
            self.status_actions[group] = action
        self.status_menu.addSeparator()
        self.status_menu.addAction(tr("All statuses"), self._on_status_filter_cleared)
        self.status_menu.addSeparator()
        # The profile filter lives here, not in a button of its own: the row has no room to spare,
        # and each row's time already shows its profile's sandbox / production colour.
        self.profile_menu = self.status_menu.addMenu(tr("Profile"))
        self.profile_menu.setObjectName("logProfileFilter")
        self.profile_menu.setAccessibleName(tr("Filter by profile"))
        self.profile_menu.setToolTipsVisible(True)
        self.status_button.setMenu(self.status_menu)

        self.date_check = QCheckBox(tr("Dates"), self)
        self.date_check.setObjectName("logDateFilterCheck")
        self.date_check.setAccessibleName(tr("Only messages between two dates"))
        self.date_check.setToolTip(tr("Unticked: any date"))
        today = QDate.currentDate()
        self.date_from_edit = self._date_edit("logDateFromEdit", "From date", today.addDays(-7))
        self.date_to_edit = self._date_edit("logDateToEdit", "To date", today)
        self.date_check.toggled.connect(self._on_date_filter_toggled)
        self.date_from_edit.dateChanged.connect(self._on_date_changed)
        self.date_to_edit.dateChanged.connect(self._on_date_changed)
        self._on_date_filter_toggled(False)

        self.count_label = QLabel(self)
        self.count_label.setObjectName("logCountLabel")
        self.count_label.setAccessibleName(tr("Number of messages shown"))

        self.set_profiles([])

        self.unseen_button = QToolButton(self)
        self.unseen_button.setObjectName("logUnseenButton")
        self.unseen_button.setAccessibleName(tr("Failures not looked at yet"))
        themed_style(self.unseen_button, "QToolButton { color: $alarm; font-weight: bold; }")
        self.unseen_button.clicked.connect(self._on_unseen_button_clicked)
        self.unseen_button.hide()

    def _date_edit(self, name: str, accessible: str, value: QDate) -> QDateEdit:
        edit = QDateEdit(value, self)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    def _action(self, text: str, name: str, slot: object, tip: str) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        self.copy_id_action = self._action(
            "Copy message ID",
            "copyMessageIdAction",
            self._on_copy_id_triggered,
            "Copy the WhatsApp message id",
        )
        self.copy_id_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Copy))
        self.copy_id_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.copy_curl_action = self._action(
            "Copy as curl",
            "copyCurlAction",
            self._on_copy_curl_triggered,
            "Copy a curl command that repeats this request (token left out unless ticked)",
        )
        self.reconcile_action = self._action(
            "Check before resending",
            "reconcileAction",
            self._on_reconcile_triggered,
            "Look the recipient up in the message reports: did the first request arrive?",
        )
        self.refresh_status_action = self._action(
            "Refresh status",
            "refreshStatusAction",
            self._on_refresh_status_triggered,
            "Ask the reports for this message's delivery status now (and keep following it)",
        )
        self.resend_action = self._action(
            "Send again",
            "resendAction",
            self._on_resend_triggered,
            "Send this message again, as a new log row",
        )
        self.cancel_send_action = self._action(
            "Cancel send",
            "cancelSendAction",
            self._on_cancel_send_triggered,
            f"Stop waiting for the answer. The request {MAY_HAVE_REACHED}: the row ends as unknown",
        )
        self.export_csv_action = self._action(
            "Export CSV…",
            "exportCsvAction",
            self._on_export_csv_triggered,
            "Export the rows shown to a CSV file",
        )
        self.export_json_action = self._action(
            "Export JSON…",
            "exportJsonAction",
            self._on_export_json_triggered,
            "Export the rows shown to a JSON file",
        )
        self.delete_action = self._action(
            "Delete row", "deleteRowAction", self._on_delete_triggered, "Remove this row from the local log"
        )
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_shown_action = self._action(
            "Delete all shown…",
            "deleteShownAction",
            self._on_delete_shown_triggered,
            "Remove every row matching the current search and filters from the local log",
        )

        self.include_token_check = QCheckBox(tr("Include token"), self)
        self.include_token_check.setObjectName("curlIncludeTokenCheck")
        self.include_token_check.setAccessibleName(tr("Include the access token in copied curl commands"))
        self.include_token_check.setToolTip(tr("Off: the command uses $WHATS91_TOKEN instead of your token"))
        self.include_token_check.setChecked(False)
        self.include_token_check.toggled.connect(self._on_include_token_toggled)
        self.token_warning = QLabel(tr(TOKEN_WARNING), self)
        self.token_warning.setObjectName("curlTokenWarning")
        self.token_warning.setAccessibleName(tr("Token warning"))
        self.token_warning.setWordWrap(True)
        themed_style(self.token_warning, "color: $alarm; font-weight: bold")
        self.token_warning.setVisible(False)

        # The row actions used all day; exporting and deleting live in the menus (File, Message,
        # and the row's context menu), so the bar never overflows into a » chevron.
        self.toolbar = QToolBar("Log actions", self)
        self.toolbar.setObjectName("logToolBar")
        self.toolbar.setAccessibleName(tr("Log actions"))
        # Cancel is not here: it shows on the bar above the details of a row being sent.
        for action in (self.reconcile_action, self.refresh_status_action, self.resend_action):
            self.toolbar.addAction(action)
        self.toolbar.addSeparator()
        for action in (self.copy_id_action, self.copy_curl_action):
            self.toolbar.addAction(action)
        self.toolbar.addWidget(self.include_token_check)

    def _build_table(self) -> None:
        table = QTableView(self)
        self.table = table
        table.setObjectName("messageLog")
        table.setAccessibleName(tr("Message log"))
        table.setAccessibleDescription(
            tr("Newest first. Enter a search above; select a row to see its details.")
        )
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setShowGrid(False)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._on_log_context_menu_requested)
        vertical = table.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(table.fontMetrics().height() + 8)
        header = table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(TIME, Qt.SortOrder.DescendingOrder)
        header.sectionClicked.connect(self._on_header_section_clicked)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(PREVIEW, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(48)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._on_header_context_menu_requested)
        header.setToolTip(tr("Right-click to choose the columns"))
        # Widths from the font, never from the data: sizing to contents would read every page.
        for column in DEFAULT_WIDTH_SAMPLES:
            table.setColumnWidth(column, self._default_width(column))
        for column in DEFAULT_HIDDEN_COLUMNS:
            table.setColumnHidden(column, True)
        # Ids differ at the end (wamid.HBgM…Ty4Qwb): elide them in the middle, not at the end.
        self._give_ids_their_room()
        header.sectionResized.connect(self._on_header_section_resized)
        for action in (self.copy_id_action, self.delete_action):
            table.addAction(action)
        selection = table.selectionModel()
        selection.currentRowChanged.connect(self._on_log_current_row_changed)

    def _build_detail(self) -> None:
        self.detail = QTabWidget(self)
        self.detail.setObjectName("detailView")
        self.detail.setAccessibleName(tr("Message details"))
        self.summary_view = QTextBrowser(self.detail)
        self.summary_view.setObjectName("detailSummary")
        self.summary_view.setAccessibleName(tr("Summary and status timeline"))
        self.summary_view.setOpenLinks(False)
        # A scrollbar that came and went with the summary's length changed the text's width,
        # so the whole summary was laid out twice each time a longer one replaced a shorter
        # (half of every update's cost; the shown row's is set again at each status).
        self.summary_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.summary_view.anchorClicked.connect(self._on_summary_anchor_clicked)
        self.summary_view.setPlaceholderText(tr("Select a message to see what became of it."))
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.request_view = self._text_view("detailRequest", "Request as sent, token redacted", mono)
        self.response_view = self._text_view("detailResponse", "Raw response", mono)
        self.detail.addTab(self.summary_view, tr("Summary"))
        self.detail.addTab(self.request_view, tr("Request"))
        self.detail.addTab(self.response_view, tr("Response"))

        self.flight_bar = QWidget(self)
        self.flight_bar.setObjectName("inFlightBar")
        themed_style(self.flight_bar, "QWidget#inFlightBar { background: $info_surface; }")
        bar = QHBoxLayout(self.flight_bar)
        bar.setContentsMargins(8, 4, 8, 4)
        self.flight_label = QLabel(self.flight_bar)
        self.flight_label.setObjectName("inFlightLabel")
        self.flight_label.setAccessibleName(tr("Waiting for the answer"))
        cancel = QToolButton(self.flight_bar)
        cancel.setObjectName("inFlightCancelButton")
        cancel.setDefaultAction(self.cancel_send_action)
        bar.addWidget(self.flight_label, 1)
        bar.addWidget(cancel)
        self.flight_bar.hide()

    def _text_view(self, name: str, accessible: str, font: QFont) -> QPlainTextEdit:
        view = QPlainTextEdit(self.detail)
        view.setObjectName(name)
        view.setAccessibleName(accessible)
        view.setReadOnly(True)
        view.setFont(font)
        view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        return view

    def _build_layout(self) -> None:
        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 1)
        filters.addWidget(self.status_button)
        filters.addWidget(self.date_check)
        filters.addWidget(self.date_from_edit)
        dash = QLabel("–", self)
        dash.setAccessibleName(tr("to"))
        filters.addWidget(dash)
        filters.addWidget(self.date_to_edit)
        filters.addWidget(self.count_label)
        filters.addWidget(self.unseen_button)

        detail_box = QWidget(self)
        detail_layout = QVBoxLayout(detail_box)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.setSpacing(0)
        detail_layout.addWidget(self.flight_bar)
        detail_layout.addWidget(self.detail, 1)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("logSplitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(detail_box)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([330, 400])  # the detail (status and timeline first) gets a bit more

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.token_warning)
        layout.addWidget(self.splitter, 1)

    # ------------------------------------------------------------------ public API

    def refresh(self) -> None:
        """Re-query the log with the current search and filters (async)."""
        self._reload_timer.stop()
        self.model.reload()

    def on_row_changed(self, row_id: int) -> None:
        """A row was added or changed (a send finished, a status arrived)."""
        if not self.model.refresh_row(row_id):
            self._reload_timer.start()
        if self._current is not None and self._current.id == row_id:
            self._show_detail(row_id)

    def current_row_id(self) -> int | None:
        """The row the details show (None when none is selected)."""
        return self._current.id if self._current is not None else None

    def set_template_lookup(self, template_body: TemplateBody) -> None:
        """Where the summary finds a template's text, to show it with its variables filled in."""
        self._template_body = template_body

    def set_profiles(self, names: Sequence[str], *, sandbox: Collection[str] = ()) -> None:
        """The profiles the profile filter offers (the window passes every profile's name), and
        which of them are sandboxes: each row's time is marked with its profile's colour."""
        self.model.set_sandbox_profiles(names, sandbox)
        self.profile_menu.clear()
        for label in (ALL_PROFILES, *names):
            action = self.profile_menu.addAction(label.replace("&", "&&"))
            action.setCheckable(True)
            action.setChecked(
                (label == ALL_PROFILES and self._profile_filter is None) or label == self._profile_filter
            )
            action.triggered.connect(lambda _checked=False, n=label: self.set_profile_filter(n))
        self._update_status_button()

    def set_profile_filter(self, name: str | None) -> None:
        """Show one profile's messages (``None`` or ``ALL_PROFILES``: every profile's)."""
        self._profile_filter = None if name in (None, ALL_PROFILES) else name
        for action in self.profile_menu.actions():
            action.setChecked(action.text().replace("&&", "&") == (self._profile_filter or ALL_PROFILES))
        self._update_status_button()
        self._apply_filters()

    # ------------------------------------------------------------------ sends in flight

    def set_in_flight(self, row_id: int, started: float, read_timeout: float | None) -> None:
        """Row ``row_id`` is being sent: show its wait against ``read_timeout``, offer Cancel."""
        self.model.set_in_flight(row_id, started, read_timeout)
        self._flight_timer.start()
        self._update_flight_bar()
        self._update_actions()

    def end_in_flight(self, row_id: int) -> None:
        self.model.end_in_flight(row_id)
        if not self.model.in_flight_rows():
            self._flight_timer.stop()
        self._update_flight_bar()
        self._update_actions()

    def _on_flight_timer_timeout(self) -> None:
        self.model.tick()
        self._update_flight_bar()

    def _update_flight_bar(self) -> None:
        waiting = self.model.in_flight(self._current.id) if self._current is not None else None
        self.flight_bar.setVisible(waiting is not None)
        if waiting is not None:
            self.flight_label.setText(
                tr(
                    "Waiting for Whats91's answer: %1 (the read timeout). Cancel stops waiting; the "
                    "message may still arrive."
                ).replace("%1", str(waiting))
            )

    def _on_cancel_send_triggered(self) -> None:
        row_id = self.current_row_id()
        if row_id is not None and self.model.in_flight(row_id) is not None:
            self.cancel_requested.emit(row_id)

    # ------------------------------------------------------------------ failures not seen yet

    def add_unseen(self, row_id: int) -> None:
        """A failure the user has not looked at: counted on the log until its row is opened."""
        if row_id not in self._unseen and row_id != self.current_row_id():
            self._unseen.append(row_id)
            self._update_unseen_button()

    def unseen(self) -> list[int]:
        """Row ids of failures not looked at yet, oldest first."""
        return list(self._unseen)

    def _mark_seen(self, row_id: int) -> None:
        if row_id in self._unseen:
            self._unseen.remove(row_id)
            self._update_unseen_button()

    def _update_unseen_button(self) -> None:
        count = len(self._unseen)
        self.unseen_button.setVisible(count > 0)
        self.unseen_button.setText(tr("⚠ %1 unseen").replace("%1", str(count)))
        self.unseen_button.setToolTip(
            tr("%1 message%2 failed or ended unknown while you looked elsewhere: click to open the first")
            .replace("%1", str(count))
            .replace("%2", str("s" if count != 1 else ""))
        )

    def _on_unseen_button_clicked(self) -> None:
        if self._unseen:
            self.show_row(self._unseen[0])

    def show_row(self, row_id: int) -> None:
        """Bring ``row_id`` into view and open its details (a notification's "Show")."""
        self.select_row(row_id)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def select_row(self, row_id: int) -> None:
        """Select ``row_id`` in the table (once its page is loaded) and show its detail."""
        row = self.model.row_of(row_id)
        if row is None:
            self._pending_select = row_id
            self._show_detail(row_id)
            return
        self._pending_select = None
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))

    def show_reconcile_result(self, row_id: int, text: str) -> None:
        """Show what "Check before resending" found, next to that row's detail."""
        self._checking.discard(row_id)
        self._reconcile_text[row_id] = text
        self.on_row_changed(row_id)
        self._update_actions()

    def focus_search(self) -> None:
        """What Ctrl+F does (the window owns the shortcut)."""
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def current_entry(self) -> LogEntry | None:
        """The row shown in the detail view, as last read from the store."""
        return self._current

    def current_query(self) -> LogQuery:
        return self.model.query

    def shutdown(self) -> None:
        """Cancel pending reads (the window is closing)."""
        self._search_timer.stop()
        self._reload_timer.stop()
        self._flight_timer.stop()
        self._tasks.cancel_all()
        self.model.shutdown()

    # ------------------------------------------------------------------ filters

    def _on_search_text_changed(self, _text: str) -> None:
        self._search_timer.start()

    def _on_search_return_pressed(self) -> None:
        self._search_timer.stop()
        self._apply_filters()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Esc in a search box with text clears the search at once (an empty box lets Esc through)."""
        if (
            watched is self.search_edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and self.search_edit.text()
        ):
            self.search_edit.clear()
            self._on_search_return_pressed()
            return True
        return super().eventFilter(watched, event)

    def _on_status_filter_toggled(self, _checked: bool) -> None:
        self._update_status_button()
        self._apply_filters()

    def _on_status_filter_cleared(self) -> None:
        for action in self.status_actions.values():
            action.blockSignals(True)
            action.setChecked(False)
            action.blockSignals(False)
        self._update_status_button()
        self._apply_filters()

    def _update_status_button(self) -> None:
        chosen = [group for group, action in self.status_actions.items() if action.isChecked()]
        names = ", ".join(tr(group) for group in chosen)
        label = tr("Status: all") if not chosen else tr("Status: %1").replace("%1", names)
        text = label if len(label) <= 40 else tr("Status: %1 chosen").replace("%1", str(len(chosen)))
        profile = self._profile_filter
        if profile is not None:
            text += f" · {profile if len(profile) <= 16 else profile[:15] + '…'}"
            label += tr("; profile %1 only").replace("%1", profile)
        self.status_button.setText(text + "  ▾")
        self.status_button.setToolTip(label)

    def _on_date_filter_toggled(self, checked: bool) -> None:
        self.date_from_edit.setEnabled(checked)
        self.date_to_edit.setEnabled(checked)
        self._apply_filters()

    def _on_date_changed(self, _date: QDate) -> None:
        if self.date_check.isChecked():
            self._apply_filters()

    def set_status_filter(self, groups: set[str]) -> None:
        """Tick exactly these status groups (names from ``STATUS_GROUPS``)."""
        for group, action in self.status_actions.items():
            action.blockSignals(True)
            action.setChecked(group in groups)
            action.blockSignals(False)
        self._update_status_button()
        self._apply_filters()

    def build_query(self) -> LogQuery:
        statuses: set[str] = set()
        for group, action in self.status_actions.items():
            if action.isChecked():
                statuses |= STATUS_GROUPS[group][1]
        date_from = date_to = None
        if self.date_check.isChecked():
            first, last = self.date_from_edit.date(), self.date_to_edit.date()
            if first > last:
                first, last = last, first
            date_from = _day_start(first)
            date_to = _day_start(last.addDays(1))
        return LogQuery(
            text=self.search_edit.text().strip(),
            statuses=frozenset(statuses),
            date_from=date_from,
            date_to=date_to,
            profile=self._profile_filter,
        )

    def _apply_filters(self) -> None:
        if not hasattr(self, "model"):
            return
        query = self.build_query()
        if query != self.model.query:
            self.model.set_query(query)

    # ------------------------------------------------------------------ table and selection

    def _on_model_first_page_shown(self, length: int) -> None:
        if self.model.is_counting:
            self.count_label.setText(f"{length:,}+ messages (counting…)")
        self._reselect()

    def _on_model_loaded(self, count: int) -> None:
        query = self.model.query
        if count:
            self.count_label.setText(f"{count:,} message{'s' if count != 1 else ''}")
        elif query.is_empty:
            self.count_label.setText(tr("No messages yet"))
        else:
            self.count_label.setText(tr("No messages match"))
        self._reselect()

    def _reselect(self) -> None:
        """After a (re)load: select the row wanted or shown again; one the query leaves out is let go."""
        wanted = self._pending_select if self._pending_select is not None else self._showing
        if wanted is None:
            return
        row = self.model.row_of(wanted)
        if row is not None:
            self._pending_select = None
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        elif wanted == self._showing:
            self._tasks.spawn(self._drop_if_filtered_out(wanted, self.model.query))

    async def _drop_if_filtered_out(self, row_id: int, query: LogQuery) -> None:
        """The details follow the filter: a shown row the query no longer matches is unselected."""
        if query.is_empty:
            return
        try:
            rows = await self._store.page(query, 0, 1, before_id=row_id + 1)
        except Whats91Error:
            return
        if self._showing == row_id and query == self.model.query and not (rows and rows[0].id == row_id):
            self._pending_select = None
            self.table.clearSelection()
            self._clear_detail()

    def _on_header_section_clicked(self, section: int) -> None:
        header = self.table.horizontalHeader()
        order = Qt.SortOrder.AscendingOrder if self.model.descending else Qt.SortOrder.DescendingOrder
        if section == TIME:
            self.model.sort(TIME, order)
        header.setSortIndicator(
            TIME, Qt.SortOrder.DescendingOrder if self.model.descending else Qt.SortOrder.AscendingOrder
        )

    def _on_log_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        entry = self.model.entry_at(current.row())
        if entry is not None:
            if entry.id != self._pending_select:
                self._pending_select = None
            self._show_detail(entry.id)

    # ------------------------------------------------------------------ columns

    def _on_header_context_menu_requested(self, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.setObjectName("logColumnsMenu")
        menu.setAccessibleName(tr("Columns"))
        for column, name in enumerate(COLUMNS):
            action = menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(column))
            action.setEnabled(column not in ALWAYS_SHOWN_COLUMNS)
            action.toggled.connect(lambda shown, c=column: self.set_column_shown(c, shown))
        menu.addSeparator()
        menu.addAction(tr("Default columns"), self.reset_columns)
        menu.popup(self.table.horizontalHeader().viewport().mapToGlobal(pos))

    def set_column_shown(self, column: int, shown: bool) -> None:
        if column in ALWAYS_SHOWN_COLUMNS:
            return
        self.table.setColumnHidden(column, not shown)
        if shown and self.table.columnWidth(column) < 48:
            self.table.setColumnWidth(column, self._default_width(column))
        self.columns_changed.emit()

    def reset_columns(self) -> None:
        for column in range(len(COLUMNS)):
            self.table.setColumnHidden(column, column in DEFAULT_HIDDEN_COLUMNS)
            if column in DEFAULT_WIDTH_SAMPLES:
                self.table.setColumnWidth(column, self._default_width(column))
        self.columns_changed.emit()

    def _default_width(self, column: int) -> int:
        """A typical value's width in the table's font, plus room for the time's profile stripe."""
        sample = DEFAULT_WIDTH_SAMPLES.get(column, "Column")
        stripe = STRIPE_SIZE[0] + 4 if column == TIME else 0
        return self.table.fontMetrics().horizontalAdvance(sample) + 24 + stripe

    def column_state(self) -> dict[str, object]:
        """Which columns are shown and how wide they are, by name (for the window's settings)."""
        return {
            "hidden": [name for column, name in enumerate(COLUMNS) if self.table.isColumnHidden(column)],
            "widths": {
                name: self.table.columnWidth(column)
                for column, name in enumerate(COLUMNS)
                if column != PREVIEW and not self.table.isColumnHidden(column)
            },
        }

    def restore_column_state(self, state: object) -> None:
        """Apply what :meth:`column_state` returned; unknown names and bad values are ignored."""
        if not isinstance(state, dict):
            return
        hidden = state.get("hidden")
        if isinstance(hidden, list):
            names = {name for name in hidden if isinstance(name, str)}
            for column, name in enumerate(COLUMNS):
                self.table.setColumnHidden(column, name in names and column not in ALWAYS_SHOWN_COLUMNS)
        widths = state.get("widths")
        if isinstance(widths, dict):
            for column, name in enumerate(COLUMNS):
                width = widths.get(name)
                if column != PREVIEW and isinstance(width, int) and 40 <= width <= 1000:
                    self.table.setColumnWidth(column, width)

    def _on_header_section_resized(self, column: int, _old: int, _new: int) -> None:
        if column == MESSAGE_ID:
            self._give_ids_their_room()
        if column != PREVIEW:
            self.columns_changed.emit()

    def _give_ids_their_room(self) -> None:
        """Tell the model how wide the message id column's text may be: the column less the
        margins Qt keeps on each side of a cell's text."""
        table = self.table
        margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
        self.model.set_id_room(table.columnWidth(MESSAGE_ID) - 2 * margin, table.fontMetrics())

    def _on_log_context_menu_requested(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if index.isValid():
            self.table.selectRow(index.row())
        menu = QMenu(self)
        menu.setAccessibleName(tr("Log row actions"))
        menu.addAction(self.copy_id_action)
        menu.addAction(self.copy_curl_action)
        menu.addActions(self.row_menu_actions)
        menu.addSeparator()
        menu.addAction(self.reconcile_action)
        menu.addAction(self.refresh_status_action)
        menu.addAction(self.resend_action)
        menu.addAction(self.cancel_send_action)
        menu.addSeparator()
        menu.addAction(self.export_csv_action)
        menu.addAction(self.export_json_action)
        menu.addSeparator()
        menu.addAction(self.delete_action)
        menu.addAction(self.delete_shown_action)
        menu.popup(self.table.viewport().mapToGlobal(pos))

    # ------------------------------------------------------------------ detail

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._showing is not None:  # light ↔ dark
            self._show_detail(self._showing)  # the summary is HTML in the old scheme's colours

    def _show_detail(self, row_id: int) -> None:
        self._showing = row_id
        self._detail_generation += 1
        self._tasks.spawn(self._load_detail(self._detail_generation, row_id))

    async def _load_detail(self, generation: int, row_id: int) -> None:
        try:
            entry = await self._store.get(row_id)
            events = await self._store.events(row_id) if entry is not None else []
        except Whats91Error as err:
            self._bridge.report_error(
                tr("Could not read log row %1: %2").replace("%1", str(row_id)).replace("%2", str(err))
            )
            return
        if generation != self._detail_generation:
            return
        self._current = entry
        self._current_events = list(events)
        if entry is None:
            show_html(self.summary_view, "<p><i>This row is no longer in the log.</i></p>")
            show_plain(self.request_view, "")
            show_plain(self.response_view, "")
        else:
            self._mark_seen(row_id)
            show_plain(self.request_view, entry.request_text or "")
            show_plain(self.response_view, response_text(entry))
            # The summary's HTML is the costly view to set (parsed and laid out at once), and
            # the shown row's detail is set again at every status: it gets a turn of the loop
            # of its own, so a repaint or a key press can come in between.
            await asyncio.sleep(0)
            if generation != self._detail_generation:
                return
            show_html(
                self.summary_view,
                summary_html(
                    entry,
                    events,
                    reconcile_text=self._reconcile_text.get(row_id),
                    checking=row_id in self._checking,
                    message=message_of(entry),
                    template_body=self._template_body,
                ),
            )
        self._update_flight_bar()
        self._update_actions()
        self.detail_loaded.emit(row_id)

    def summary_text(self) -> str:
        """The summary as plain text (what a screen reader reads; tests use it too)."""
        return self.summary_view.toPlainText()

    def _on_summary_anchor_clicked(self, url: QUrl) -> None:
        if url.toString() == RECONCILE_LINK:
            self._on_reconcile_triggered()

    # ------------------------------------------------------------------ actions

    def _update_actions(self) -> None:
        entry = self._current
        idle = not self._busy
        settled = entry is not None and entry.state != "sending"
        self.copy_id_action.setEnabled(bool(entry and entry.message_id))
        self.copy_curl_action.setEnabled(bool(entry and entry.request_text))
        self.reconcile_action.setEnabled(
            entry is not None and needs_reconcile(entry) and entry.id not in self._checking
        )
        self.refresh_status_action.setEnabled(
            settled and entry is not None and not entry.is_final and entry.lookup_id is not None
        )
        self.resend_action.setEnabled(settled)
        self.cancel_send_action.setEnabled(entry is not None and self.model.in_flight(entry.id) is not None)
        self.delete_action.setEnabled(settled and idle)
        self.delete_shown_action.setEnabled(idle)
        self.export_csv_action.setEnabled(idle)
        self.export_json_action.setEnabled(idle)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_actions()

    def _on_copy_id_triggered(self) -> None:
        entry = self._current
        if entry is None or not entry.message_id:
            return
        QGuiApplication.clipboard().setText(entry.message_id)
        self._bridge.report_info(tr("Message ID copied"))

    def _on_include_token_toggled(self, checked: bool) -> None:
        self.token_warning.setVisible(checked)
        if checked:
            self._bridge.report_warning(tr(TOKEN_WARNING))

    def _on_copy_curl_triggered(self) -> None:
        entry = self._current
        if entry is None:
            return
        self.curl_requested.emit(entry.id, self.include_token_check.isChecked())

    def _on_reconcile_triggered(self) -> None:
        entry = self._current
        if entry is None or not needs_reconcile(entry) or entry.id in self._checking:
            return
        self._checking.add(entry.id)
        self._update_actions()
        self._show_detail(entry.id)
        self.reconcile_requested.emit(entry.id)

    def _on_refresh_status_triggered(self) -> None:
        entry = self._current
        if entry is None or entry.lookup_id is None or entry.is_final:
            return
        self.refresh_status_requested.emit(entry.id)

    def _on_resend_triggered(self) -> None:
        entry = self._current
        if entry is None or entry.state == "sending":
            return
        if needs_reconcile(entry) and not self._confirm(
            "Send again?",
            f"The first request {MAY_HAVE_REACHED}: its outcome is unknown. Sending again can "
            "deliver the message twice.\n\nUse “Check before resending” first. Send again anyway?",
        ):
            return
        verdict = settled_verdict(entry, self._current_events)
        if verdict is not None and not self._confirm(
            "Send a second copy?",
            f"{verdict} — send a second copy?\n\nThe person will get this message twice.",
        ):
            return
        self.resend_requested.emit(entry.id)

    def _on_export_csv_triggered(self) -> None:
        self._export("csv")

    def _on_export_json_triggered(self) -> None:
        self._export("json")

    def _export(self, kind: str) -> None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M")
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        suggested = str(Path(folder or Path.home()) / f"whats91-log-{stamp}.{kind}")
        file_filter = "CSV files (*.csv)" if kind == "csv" else "JSON files (*.json)"
        path, _ = QFileDialog.getSaveFileName(
            self, tr("Export log as %1").replace("%1", str(kind.upper())), suggested, file_filter
        )
        if not path:
            return
        if not path.lower().endswith(f".{kind}"):
            path += f".{kind}"
        self._tasks.spawn(self._write_export(kind, Path(path), self.model.query))

    async def _write_export(self, kind: str, path: Path, query: LogQuery) -> None:
        self._set_busy(True)
        try:
            if kind == "csv":
                count = await self._store.export_csv(query, path)
            else:
                count = await self._store.export_json(query, path)
        except (Whats91Error, OSError) as err:
            self._bridge.report_error(tr("Export failed: %1").replace("%1", str(err)))
        else:
            self._bridge.report_info(f"Exported {count:,} row{'s' if count != 1 else ''} to {path}")
        finally:
            self._set_busy(False)

    def _on_delete_triggered(self) -> None:
        entry = self._current
        if entry is None or entry.state == "sending" or self._busy:
            return
        if not self._confirm(
            "Delete row?",
            "Remove this message from the log on this computer?\n\n"
            "This does not unsend anything; WhatsApp and Whats91 keep their records.",
        ):
            return
        self._tasks.spawn(self._delete_rows([entry.id]))

    def _on_delete_shown_triggered(self) -> None:
        if self._busy:
            return
        count = self.model.rowCount()
        if not count:
            return
        scope = "the WHOLE log" if self.model.query.is_empty else "the current search and filters"
        if not self._confirm(
            "Delete rows?",
            f"Remove all {count:,} messages matching {scope} from the log on this computer?\n\n"
            "This does not unsend anything. Rows still sending are kept.",
        ):
            return
        self._tasks.spawn(self._delete_rows(None))

    async def _delete_rows(self, ids: list[int] | None) -> None:
        self._set_busy(True)
        try:
            targets = ids if ids is not None else await self._store.ids_for(self.model.query)
            deleted = await self._store.delete(targets)
        except Whats91Error as err:
            self._bridge.report_error(tr("Could not delete: %1").replace("%1", str(err)))
        else:
            if self._current is not None and self._current.id in targets:
                self._clear_detail()
            self._bridge.report_info(f"Deleted {deleted:,} row{'s' if deleted != 1 else ''} from the log")
            self.refresh()
        finally:
            self._set_busy(False)

    def _clear_detail(self) -> None:
        self._detail_generation += 1
        self._current = None
        self._showing = None
        self._current_events = []
        for view in (self.summary_view, self.request_view, self.response_view):
            show_plain(view, "")
        self._update_flight_bar()
        self._update_actions()

    def _confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes


def _day_start(day: QDate) -> float:
    return time.mktime((day.year(), day.month(), day.day(), 0, 0, 0, 0, 0, -1))
