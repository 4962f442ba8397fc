"""The message log pane: search and filters, the lazy table, actions, and the detail view.

All disk work goes through ``AsyncMessageStore`` as tasks on the qasync loop; dialogs (file
choosers, confirmations) run in ordinary slots before any task starts, never inside one.
Sending, checking the reports and building curl commands belong to the window: the pane
asks for them with signals (``resend_requested``, ``reconcile_requested``, ``curl_requested``).
"""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import (
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QStandardPaths,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QAction, QFont, QFontDatabase, QGuiApplication, QKeySequence
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
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from whats91_desktop.core.errors import Whats91Error
from whats91_desktop.core.store import AsyncMessageStore, LogEntry, LogQuery
from whats91_desktop.ui.bridge import MessageBridge
from whats91_desktop.ui.log.detail import (
    RECONCILE_LINK,
    needs_reconcile,
    pretty_response,
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
    TIME,
    TYPE,
    MessageLogModel,
)
from whats91_desktop.ui.tasks import TaskSet

DEFAULT_HIDDEN_COLUMNS = frozenset({PROFILE, SENDER, TYPE})
"""Right-click the header to show them; the preview already says ``[template …]``, ``[image]``…"""
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
TOKEN_WARNING = (
    "The copied command will contain your token in plain text. "
    "Do not paste it into chats, tickets or screenshots."
)


class ElideMiddleDelegate(QStyledItemDelegate):
    """Draws its column's text elided in the middle (``wamid.HBgM…Ty4Qwb``)."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle


class LogPane(QWidget):
    """Every message sent from this computer, searchable, with what became of it."""

    resend_requested = Signal(int)
    """Row id; the user explicitly asked to send this message again (a NEW row)."""
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
        self._detail_generation = 0
        self._pending_select: int | None = None
        self._reconcile_text: dict[int, str] = {}
        self._checking: set[int] = set()
        self._busy = False

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

        self.search_edit.textChanged.connect(self._on_search_text_changed)
        self.search_edit.returnPressed.connect(self._on_search_return_pressed)
        self.model.loaded.connect(self._on_model_loaded)
        self.model.load_failed.connect(self._bridge.report_error)

        self._update_actions()
        self.model.reload()

    # ------------------------------------------------------------------ construction

    def _build_filters(self) -> None:
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("logSearchEdit")
        self.search_edit.setPlaceholderText("Search recipient, text, message id or error…")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName("Search the message log")
        self.search_edit.setToolTip("Search recipient, text, message id, request id or error (Ctrl+F)")

        self.status_button = QToolButton(self)
        self.status_button.setObjectName("logStatusFilter")
        self.status_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        # The style's own indicator is drawn over the text's last letter: a ▾ in the text instead.
        self.status_button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0px; }")
        self.status_button.setAccessibleName("Filter by status")
        self.status_menu = QMenu(self.status_button)
        self.status_actions: dict[str, QAction] = {}
        for group in STATUS_GROUPS:
            action = self.status_menu.addAction(group)
            action.setCheckable(True)
            action.toggled.connect(self._on_status_filter_toggled)
            self.status_actions[group] = action
        self.status_menu.addSeparator()
        self.status_menu.addAction("All statuses", self._on_status_filter_cleared)
        self.status_button.setMenu(self.status_menu)
        self._update_status_button()

        self.date_check = QCheckBox("Dates", self)
        self.date_check.setObjectName("logDateFilterCheck")
        self.date_check.setAccessibleName("Only messages between two dates")
        self.date_check.setToolTip("Unticked: any date")
        today = QDate.currentDate()
        self.date_from_edit = self._date_edit("logDateFromEdit", "From date", today.addDays(-7))
        self.date_to_edit = self._date_edit("logDateToEdit", "To date", today)
        self.date_check.toggled.connect(self._on_date_filter_toggled)
        self.date_from_edit.dateChanged.connect(self._on_date_changed)
        self.date_to_edit.dateChanged.connect(self._on_date_changed)
        self._on_date_filter_toggled(False)

        self.count_label = QLabel(self)
        self.count_label.setObjectName("logCountLabel")
        self.count_label.setAccessibleName("Number of messages shown")

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

        self.include_token_check = QCheckBox("Include token", self)
        self.include_token_check.setObjectName("curlIncludeTokenCheck")
        self.include_token_check.setAccessibleName("Include the access token in copied curl commands")
        self.include_token_check.setToolTip("Off: the command uses $WHATS91_TOKEN instead of your token")
        self.include_token_check.setChecked(False)
        self.include_token_check.toggled.connect(self._on_include_token_toggled)
        self.token_warning = QLabel(TOKEN_WARNING, self)
        self.token_warning.setObjectName("curlTokenWarning")
        self.token_warning.setAccessibleName("Token warning")
        self.token_warning.setWordWrap(True)
        self.token_warning.setStyleSheet("color: #b00020; font-weight: bold")
        self.token_warning.setVisible(False)

        # The row actions used all day; exporting and deleting live in the menus (File, Message,
        # and the row's context menu), so the bar never overflows into a » chevron.
        self.toolbar = QToolBar("Log actions", self)
        self.toolbar.setObjectName("logToolBar")
        self.toolbar.setAccessibleName("Log actions")
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
        table.setAccessibleName("Message log")
        table.setAccessibleDescription("Newest first. Enter a search above; select a row to see its details.")
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
        header.setToolTip("Right-click to choose the columns")
        # Widths from the font, never from the data: sizing to contents would read every page.
        metrics = table.fontMetrics()
        for column, sample in DEFAULT_WIDTH_SAMPLES.items():
            table.setColumnWidth(column, metrics.horizontalAdvance(sample) + 24)
        for column in DEFAULT_HIDDEN_COLUMNS:
            table.setColumnHidden(column, True)
        # Ids differ at the end (wamid.HBgM…Ty4Qwb): elide them in the middle, not at the end.
        self._middle_elide = ElideMiddleDelegate(table)
        table.setItemDelegateForColumn(MESSAGE_ID, self._middle_elide)
        header.sectionResized.connect(self._on_header_section_resized)
        for action in (self.copy_id_action, self.delete_action):
            table.addAction(action)
        selection = table.selectionModel()
        selection.currentRowChanged.connect(self._on_log_current_row_changed)

    def _build_detail(self) -> None:
        self.detail = QTabWidget(self)
        self.detail.setObjectName("detailView")
        self.detail.setAccessibleName("Message details")
        self.summary_view = QTextBrowser(self.detail)
        self.summary_view.setObjectName("detailSummary")
        self.summary_view.setAccessibleName("Summary and status timeline")
        self.summary_view.setOpenLinks(False)
        self.summary_view.anchorClicked.connect(self._on_summary_anchor_clicked)
        self.summary_view.setPlaceholderText("Select a message to see what became of it.")
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.request_view = self._text_view("detailRequest", "Request as sent, token redacted", mono)
        self.response_view = self._text_view("detailResponse", "Raw response", mono)
        self.detail.addTab(self.summary_view, "Summary")
        self.detail.addTab(self.request_view, "Request")
        self.detail.addTab(self.response_view, "Response")

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
        dash.setAccessibleName("to")
        filters.addWidget(dash)
        filters.addWidget(self.date_to_edit)
        filters.addWidget(self.count_label)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("logSplitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
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
        self._tasks.cancel_all()
        self.model.shutdown()

    # ------------------------------------------------------------------ filters

    def _on_search_text_changed(self, _text: str) -> None:
        self._search_timer.start()

    def _on_search_return_pressed(self) -> None:
        self._search_timer.stop()
        self._apply_filters()

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
        label = "Status: all" if not chosen else "Status: " + ", ".join(chosen)
        self.status_button.setText((label if len(label) <= 40 else f"Status: {len(chosen)} chosen") + "  ▾")
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
        )

    def _apply_filters(self) -> None:
        if not hasattr(self, "model"):
            return
        query = self.build_query()
        if query != self.model.query:
            self.model.set_query(query)

    # ------------------------------------------------------------------ table and selection

    def _on_model_loaded(self, count: int) -> None:
        query = self.model.query
        if count:
            self.count_label.setText(f"{count:,} message{'s' if count != 1 else ''}")
        elif query.is_empty:
            self.count_label.setText("No messages yet")
        else:
            self.count_label.setText("No messages match")
        wanted = self._pending_select
        if wanted is None and self._current is not None:
            wanted = self._current.id
        if wanted is not None:
            row = self.model.row_of(wanted)
            if row is not None:
                self._pending_select = None
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))

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
        menu.setAccessibleName("Columns")
        for column, name in enumerate(COLUMNS):
            action = menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(column))
            action.setEnabled(column not in ALWAYS_SHOWN_COLUMNS)
            action.toggled.connect(lambda shown, c=column: self.set_column_shown(c, shown))
        menu.addSeparator()
        menu.addAction("Default columns", self.reset_columns)
        menu.popup(self.table.horizontalHeader().viewport().mapToGlobal(pos))

    def set_column_shown(self, column: int, shown: bool) -> None:
        if column in ALWAYS_SHOWN_COLUMNS:
            return
        self.table.setColumnHidden(column, not shown)
        if shown and self.table.columnWidth(column) < 48:
            sample = DEFAULT_WIDTH_SAMPLES.get(column, "Column")
            self.table.setColumnWidth(column, self.table.fontMetrics().horizontalAdvance(sample) + 24)
        self.columns_changed.emit()

    def reset_columns(self) -> None:
        metrics = self.table.fontMetrics()
        for column in range(len(COLUMNS)):
            self.table.setColumnHidden(column, column in DEFAULT_HIDDEN_COLUMNS)
            if column in DEFAULT_WIDTH_SAMPLES:
                self.table.setColumnWidth(
                    column, metrics.horizontalAdvance(DEFAULT_WIDTH_SAMPLES[column]) + 24
                )
        self.columns_changed.emit()

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
        if column != PREVIEW:
            self.columns_changed.emit()

    def _on_log_context_menu_requested(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if index.isValid():
            self.table.selectRow(index.row())
        menu = QMenu(self)
        menu.setAccessibleName("Log row actions")
        menu.addAction(self.copy_id_action)
        menu.addAction(self.copy_curl_action)
        menu.addSeparator()
        menu.addAction(self.reconcile_action)
        menu.addAction(self.refresh_status_action)
        menu.addAction(self.resend_action)
        menu.addSeparator()
        menu.addAction(self.export_csv_action)
        menu.addAction(self.export_json_action)
        menu.addSeparator()
        menu.addAction(self.delete_action)
        menu.addAction(self.delete_shown_action)
        menu.popup(self.table.viewport().mapToGlobal(pos))

    # ------------------------------------------------------------------ detail

    def _show_detail(self, row_id: int) -> None:
        self._detail_generation += 1
        self._tasks.spawn(self._load_detail(self._detail_generation, row_id))

    async def _load_detail(self, generation: int, row_id: int) -> None:
        try:
            entry = await self._store.get(row_id)
            events = await self._store.events(row_id) if entry is not None else []
        except Whats91Error as err:
            self._bridge.report_error(f"Could not read log row {row_id}: {err}")
            return
        if generation != self._detail_generation:
            return
        self._current = entry
        if entry is None:
            self.summary_view.setHtml("<p><i>This row is no longer in the log.</i></p>")
            self.request_view.setPlainText("")
            self.response_view.setPlainText("")
        else:
            self.summary_view.setHtml(
                summary_html(
                    entry,
                    events,
                    reconcile_text=self._reconcile_text.get(row_id),
                    checking=row_id in self._checking,
                )
            )
            self.request_view.setPlainText(entry.request_text or "")
            self.response_view.setPlainText(pretty_response(entry.response_text) or "(no response)")
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
        self._bridge.report_info("Message ID copied")

    def _on_include_token_toggled(self, checked: bool) -> None:
        self.token_warning.setVisible(checked)
        if checked:
            self._bridge.report_warning(TOKEN_WARNING)

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
            "The first request may have reached WhatsApp: its outcome is unknown. Sending again can "
            "deliver the message twice.\n\nUse “Check before resending” first. Send again anyway?",
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
        path, _ = QFileDialog.getSaveFileName(self, f"Export log as {kind.upper()}", suggested, file_filter)
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
            self._bridge.report_error(f"Export failed: {err}")
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
            self._bridge.report_error(f"Could not delete: {err}")
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
        self.summary_view.clear()
        self.request_view.clear()
        self.response_view.clear()
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
