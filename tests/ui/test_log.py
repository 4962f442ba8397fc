"""LogPane and MessageLogModel over a real store with a few thousand rows (pytest-qt + qasync)."""

from __future__ import annotations

import csv
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QLineEdit, QMessageBox, QTableView, QTabWidget

from benchmarks._fill import fill_log
from tests.helpers.stores import store_executor
from tests.ui.conftest import run_on_loop
from whats91_desktop.core.meta_errors import hint_for
from whats91_desktop.core.models import StatusEvent
from whats91_desktop.core.store import AsyncMessageStore, LogQuery, MessageStore, QueryCancelled
from whats91_desktop.ui.bridge import MessageBridge
from whats91_desktop.ui.log.detail import UNKNOWN_BANNER, event_time
from whats91_desktop.ui.log.model import (
    ENVIRONMENT_COLOURS,
    LOADING,
    MESSAGE_ID,
    ROW_ID_ROLE,
    SANDBOX_ROLE,
    STATUS,
    MessageLogModel,
)
from whats91_desktop.ui.log.pane import LogPane

N_ROWS = 3000
BASE_TIME = time.time() - N_ROWS * 60
STATUS_CYCLE = ("read", "delivered", "sent", "failed", "read", "accepted")


def make_rows(n: int = N_ROWS) -> list[dict[str, Any]]:
    rows = []
    for i in range(n):
        status: str | None = STATUS_CYCLE[i % len(STATUS_CYCLE)]
        state = "accepted"
        if i % 97 == 0:
            status, state = None, "unknown"
        failed = status == "failed"
        rows.append(
            {
                "created_at": BASE_TIME + i * 60,
                "profile": "work",
                "sender_id": "919999999999",
                "recipient": f"91987{i:07d}",
                "kind": "text",
                "preview": f"Hello customer {i}, your order is ready",
                "state": state,
                "outcome": state,
                "status": status,
                "message_id": f"wamid.TEST{i:06d}" if state == "accepted" else None,
                "error_code": "131026" if failed else None,
                "error_message": "Message undeliverable" if failed else None,
                "request_text": (
                    "POST https://graph.whats91.com/api/v2/chat\n"
                    f"Authorization: Bearer [REDACTED]\n\n{{}}#{i}"
                ),
                "response_text": '{"success":true,"data":{"status":"accepted"}}',
            }
        )
    return rows


ROWS = make_rows()


@pytest.fixture
def store(qtbot: Any, tmp_path: Path) -> Iterator[AsyncMessageStore]:
    sync = MessageStore(tmp_path / "log.sqlite3")
    fill_log(sync.path, ROWS)
    async_store = AsyncMessageStore(sync, executor=store_executor())
    yield async_store
    run_on_loop(qtbot, async_store.aclose())


@pytest.fixture
def bridge() -> MessageBridge:
    return MessageBridge()


@pytest.fixture
def pane(qtbot: Any, store: AsyncMessageStore, bridge: MessageBridge) -> Iterator[LogPane]:
    widget = LogPane(store, bridge)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.model.loaded, timeout=5000):
        widget.resize(1200, 800)
        widget.show()
    yield widget
    widget.shutdown()


def wait_loaded(qtbot: Any, pane: LogPane) -> None:
    qtbot.waitUntil(lambda: not pane.model.is_loading, timeout=5000)


def expected(pred: Any) -> int:
    return sum(1 for r in ROWS if pred(r))


def newest_id_where(store: AsyncMessageStore, qtbot: Any, query: LogQuery) -> int:
    ids = run_on_loop(qtbot, store.ids_for(query))
    return ids[0]


def show_row(qtbot: Any, pane: LogPane, row_id: int) -> None:
    with qtbot.waitSignal(pane.detail_loaded, check_params_cb=lambda rid: rid == row_id, timeout=5000):
        pane.select_row(row_id)


# --------------------------------------------------------------------------- the model


def test_model_counts_then_loads_only_the_pages_it_is_asked_for(qtbot: Any, store: AsyncMessageStore) -> None:
    fetches: list[int] = []
    original = store.page

    async def counting_page(query: LogQuery, offset: int, limit: int, **kwargs: Any) -> Any:
        fetches.append(offset)
        return await original(query, offset, limit, **kwargs)

    store.page = counting_page  # type: ignore[method-assign]
    model = MessageLogModel(store, page_size=200, max_pages=3)
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.reload()
    assert model.rowCount() == N_ROWS
    assert fetches == [0]
    assert model.cached_pages() == 1
    # newest first: row 0 is the last inserted row
    assert model.data(model.index(0, 3)) == "+91 98700 02999"
    assert model.data(model.index(0, 0)) == time.strftime(
        "%Y-%m-%d %H:%M:%S", time.localtime(ROWS[-1]["created_at"])
    )

    # The next page down is read by keyset (below the last id shown), not by a deep OFFSET.
    with qtbot.waitSignal(model.page_loaded, timeout=5000):
        assert model.data(model.index(200, 0)) == LOADING
    assert fetches == [0, 0]
    assert model.data(model.index(200, 0), ROW_ID_ROLE) == N_ROWS - 200
    assert model.data(model.index(199, 0), ROW_ID_ROLE) == N_ROWS - 199

    # A far row is not there yet: "…", and ONE fetch however often it is asked for.
    index = model.index(2500, 0)
    with qtbot.waitSignal(model.page_loaded, timeout=5000) as blocker:
        for _ in range(5):
            assert model.data(index) == LOADING
            assert model.data(model.index(2550, 5)) == LOADING
    assert blocker.args == [2500 // 200]
    assert fetches == [0, 0, 2400]
    assert model.data(index, ROW_ID_ROLE) == N_ROWS - 2500

    # The cache is capped (LRU): touching more pages never keeps more than max_pages.
    for page in (3, 5, 7, 9):
        with qtbot.waitSignal(model.page_loaded, timeout=5000):
            model.data(model.index(page * 200, 0))
    assert model.cached_pages() == 3
    model.shutdown()


def test_status_column_has_a_coloured_dot_and_tooltip_with_hint(qtbot: Any, store: AsyncMessageStore) -> None:
    model = MessageLogModel(store)
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.set_query(LogQuery(statuses=frozenset({"failed"})))
    index = model.index(0, STATUS)
    assert model.data(index) == "failed"
    assert not model.data(index, Qt.ItemDataRole.DecorationRole).isNull()
    tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert "131026" in tip
    assert (hint_for("131026") or "") in tip
    model.shutdown()


def test_time_header_click_reverses_the_order(qtbot: Any, pane: LogPane) -> None:
    model = pane.model
    header = pane.table.horizontalHeader()
    header.sectionClicked.emit(0)
    assert not model.descending
    first = model.index(0, 3)
    if model.data(first) == LOADING:
        with qtbot.waitSignal(model.page_loaded, timeout=5000):
            model.data(first)
    assert model.data(first) == "+91 98700 00000"
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder


def test_order_toggle_keeps_the_selected_row(qtbot: Any, pane: LogPane) -> None:
    row_id = pane.model.data(pane.model.index(3, 0), ROW_ID_ROLE)
    show_row(qtbot, pane, row_id)
    pane.table.horizontalHeader().sectionClicked.emit(0)
    (selected,) = pane.table.selectionModel().selectedRows()
    assert selected.row() == N_ROWS - 1 - 3


# --------------------------------------------------------------------------- search and filters


def test_object_names_and_accessible_names(pane: LogPane) -> None:
    assert isinstance(pane.findChild(QTableView, "messageLog"), QTableView)
    assert isinstance(pane.findChild(QLineEdit, "logSearchEdit"), QLineEdit)
    assert isinstance(pane.findChild(QTabWidget, "detailView"), QTabWidget)
    for widget in (
        pane.table,
        pane.search_edit,
        pane.detail,
        pane.status_button,
        pane.date_check,
        pane.date_from_edit,
        pane.date_to_edit,
        pane.include_token_check,
        pane.summary_view,
        pane.request_view,
        pane.response_view,
    ):
        assert widget.accessibleName(), widget.objectName()


def test_search_by_recipient_fragment_narrows_the_rows(qtbot: Any, pane: LogPane) -> None:
    with qtbot.waitSignal(pane.model.loaded, timeout=5000):
        qtbot.keyClicks(pane.search_edit, "00012")
    assert pane.model.rowCount() == expected(lambda r: "00012" in r["recipient"])
    assert 0 < pane.model.rowCount() < N_ROWS
    assert pane.count_label.text().startswith(f"{pane.model.rowCount():,} message")

    # Formatted input is searched by its digits.
    pane.search_edit.setText("+91 98700 01234")
    with qtbot.waitSignal(pane.model.loaded, timeout=5000):
        pane.search_edit.returnPressed.emit()
    assert pane.model.rowCount() == 1
    assert pane.model.data(pane.model.index(0, 3)) == "+91 98700 01234"


def test_search_is_debounced(qtbot: Any, pane: LogPane) -> None:
    calls: list[LogQuery] = []
    original = pane.model.set_query

    def recording_set_query(query: LogQuery) -> None:
        calls.append(query)
        original(query)

    pane.model.set_query = recording_set_query  # type: ignore[method-assign]
    with qtbot.waitSignal(pane.model.loaded, timeout=5000):
        qtbot.keyClicks(pane.search_edit, "wamid.TEST")
    assert [q.text for q in calls] == ["wamid.TEST"]


def test_search_by_message_id(qtbot: Any, pane: LogPane) -> None:
    with qtbot.waitSignal(pane.model.loaded, timeout=5000):
        pane.search_edit.setText("wamid.TEST001234")
    assert pane.model.rowCount() == 1
    assert pane.model.data(pane.model.index(0, 7)) == "wamid.TEST001234"


def test_search_by_error_word(qtbot: Any, pane: LogPane) -> None:
    with qtbot.waitSignal(pane.model.loaded, timeout=5000):
        pane.search_edit.setText("undeliverable")
    assert pane.model.rowCount() == expected(lambda r: r["error_message"])


def test_status_filter(qtbot: Any, pane: LogPane) -> None:
    with qtbot.waitSignal(pane.model.loaded, timeout=5000):
        pane.status_actions["Failed / rejected"].setChecked(True)
    assert pane.model.rowCount() == expected(lambda r: r["status"] == "failed")
    assert "Failed" in pane.status_button.text()

    with qtbot.waitSignal(pane.model.loaded, timeout=5000):
        pane.status_actions["Unknown"].setChecked(True)
    assert pane.model.rowCount() == expected(lambda r: r["status"] == "failed" or r["state"] == "unknown")

    with qtbot.waitSignal(pane.model.loaded, timeout=5000):
        pane.set_status_filter(set())
    assert pane.model.rowCount() == N_ROWS


def test_date_range_filter(qtbot: Any, pane: LogPane) -> None:
    newest = time.localtime(ROWS[-1]["created_at"])
    day = pane.date_to_edit.date().fromString(time.strftime("%Y-%m-%d", newest), "yyyy-MM-dd")
    pane.date_from_edit.setDate(day)
    pane.date_to_edit.setDate(day)
    with qtbot.waitSignal(pane.model.loaded, timeout=5000):
        pane.date_check.setChecked(True)
    start = time.mktime((newest.tm_year, newest.tm_mon, newest.tm_mday, 0, 0, 0, 0, 0, -1))
    assert pane.model.rowCount() == expected(lambda r: r["created_at"] >= start)
    with qtbot.waitSignal(pane.model.loaded, timeout=5000):
        pane.date_check.setChecked(False)
    assert pane.model.rowCount() == N_ROWS


# --------------------------------------------------------------------------- detail view


def test_detail_shows_timeline_and_hint_for_131026(
    qtbot: Any, pane: LogPane, store: AsyncMessageStore
) -> None:
    row_id = newest_id_where(store, qtbot, LogQuery(statuses=frozenset({"failed"})))
    events = [
        StatusEvent("accepted", "2026-06-05T08:00:00.000Z"),
        StatusEvent("sent", "2026-06-05T08:00:01.000Z"),
        StatusEvent(
            "failed", "2026-06-05T08:00:03.000Z", error_code="131026", error_message="Message undeliverable"
        ),
    ]
    run_on_loop(qtbot, store.add_events(row_id, events, "failed"))
    show_row(qtbot, pane, row_id)

    text = pane.summary_text()
    # Most important first: the status and the failure, then the timeline, then the fields.
    assert text.startswith("● Failed")
    assert text.index("131026") < text.index("Timeline") < text.index("Details") < text.index("Message ID")
    timeline = text[text.index("Timeline") : text.index("Details")]
    assert timeline.index("accepted") < timeline.index("sent") < timeline.index("failed")
    assert "delivered" not in timeline  # a failed message never reached these steps
    assert event_time("2026-06-05T08:00:03.000Z")[11:] in timeline  # each step with its (local) time
    assert "131026" in text
    assert "Message undeliverable" in text
    assert (hint_for("131026") or "?") in text
    assert "Authorization: Bearer [REDACTED]" in pane.request_view.toPlainText()
    assert '"success": true' in pane.response_view.toPlainText()  # pretty-printed
    assert pane.table.selectionModel().selectedRows()[0].data(ROW_ID_ROLE) == row_id
    assert not pane.reconcile_action.isEnabled()


def test_unknown_row_offers_check_before_resending(
    qtbot: Any, pane: LogPane, store: AsyncMessageStore
) -> None:
    row_id = newest_id_where(store, qtbot, LogQuery(statuses=frozenset({"unknown"})))
    show_row(qtbot, pane, row_id)
    assert UNKNOWN_BANNER in pane.summary_text()
    assert pane.reconcile_action.isEnabled()

    with qtbot.waitSignal(pane.reconcile_requested, timeout=2000) as blocker:
        pane.reconcile_action.trigger()
    assert blocker.args == [row_id]
    assert not pane.reconcile_action.isEnabled()  # one check at a time

    with qtbot.waitSignal(pane.detail_loaded, timeout=5000):
        pane.show_reconcile_result(row_id, "No message to +91 appears in the reports since 10:00")
    assert "No message to +91 appears" in pane.summary_text()
    assert pane.reconcile_action.isEnabled()


def test_send_again_on_an_unknown_row_asks_first(
    qtbot: Any, pane: LogPane, store: AsyncMessageStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    row_id = newest_id_where(store, qtbot, LogQuery(statuses=frozenset({"unknown"})))
    show_row(qtbot, pane, row_id)
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: answers.pop(0))
    with qtbot.assertNotEmitted(pane.resend_requested):
        pane.resend_action.trigger()
    with qtbot.waitSignal(pane.resend_requested, timeout=2000) as blocker:
        pane.resend_action.trigger()
    assert blocker.args == [row_id]


def test_on_row_changed_updates_the_row_and_its_detail(
    qtbot: Any, pane: LogPane, store: AsyncMessageStore
) -> None:
    row_id = pane.model.data(pane.model.index(0, 0), ROW_ID_ROLE)
    show_row(qtbot, pane, row_id)
    run_on_loop(qtbot, store.add_events(row_id, [StatusEvent("read", "2030-01-01T00:00:00Z")], "read"))
    with qtbot.waitSignal(pane.model.dataChanged, timeout=5000):
        pane.on_row_changed(row_id)
    assert pane.model.data(pane.model.index(0, STATUS)) == "read ✓✓"
    qtbot.waitUntil(lambda: "2030-01-01" in pane.summary_text() or "2029-12-31" in pane.summary_text())


def test_refresh_inserts_a_new_row_above_without_resetting(
    qtbot: Any, pane: LogPane, store: AsyncMessageStore
) -> None:
    row_id = pane.model.data(pane.model.index(2, 0), ROW_ID_ROLE)
    show_row(qtbot, pane, row_id)
    resets: list[bool] = []
    pane.model.modelReset.connect(lambda: resets.append(True))
    new_id = run_on_loop(
        qtbot,
        store.create_sending(
            profile="work",
            sender_id=None,
            recipient="919812345678",
            kind="text",
            preview="Just typed",
            request_text="POST",
        ),
    )
    with qtbot.waitSignal(pane.model.rowsInserted, timeout=5000):
        pane.refresh()
    assert pane.model.data(pane.model.index(0, 0), ROW_ID_ROLE) == new_id
    assert pane.model.rowCount() == N_ROWS + 1
    (selected,) = pane.table.selectionModel().selectedRows()
    assert selected.row() == 3
    assert resets == []


# --------------------------------------------------------------------------- actions


def test_export_csv_writes_exactly_the_filtered_rows(
    qtbot: Any,
    pane: LogPane,
    store: AsyncMessageStore,
    bridge: MessageBridge,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with qtbot.waitSignal(pane.model.loaded, timeout=5000):
        pane.status_actions["Failed / rejected"].setChecked(True)
    target = tmp_path / "export"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "CSV files (*.csv)"))
    with qtbot.waitSignal(bridge.info, timeout=5000) as blocker:
        pane.export_csv_action.trigger()
    path = tmp_path / "export.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        records = list(csv.DictReader(handle))
    assert len(records) == pane.model.rowCount() == expected(lambda r: r["status"] == "failed")
    shown = [pane.model.data(pane.model.index(row, 0), ROW_ID_ROLE) for row in range(min(200, len(records)))]
    assert [int(r["id"]) for r in records[: len(shown)]] == shown
    assert {r["status"] for r in records} == {"failed"}
    assert f"Exported {len(records):,} rows" in blocker.args[0]


def test_export_json_writes_the_filtered_rows(
    qtbot: Any, pane: LogPane, bridge: MessageBridge, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    with qtbot.waitSignal(pane.model.loaded, timeout=5000):
        pane.search_edit.setText("wamid.TEST00012")
    target = tmp_path / "rows.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    with qtbot.waitSignal(bridge.info, timeout=5000):
        pane.export_json_action.trigger()
    records = json.loads(target.read_text(encoding="utf-8"))
    assert len(records) == pane.model.rowCount() > 0


def test_cancelled_export_writes_nothing(
    qtbot: Any, pane: LogPane, bridge: MessageBridge, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    with qtbot.assertNotEmitted(bridge.info, wait=200):
        pane.export_csv_action.trigger()
    assert list(tmp_path.glob("*.csv")) == []


def test_delete_removes_the_row_after_confirmation(
    qtbot: Any, pane: LogPane, store: AsyncMessageStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    row_id = pane.model.data(pane.model.index(0, 0), ROW_ID_ROLE)
    show_row(qtbot, pane, row_id)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    pane.delete_action.trigger()
    assert run_on_loop(qtbot, store.get(row_id)) is not None

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(pane.model.loaded, timeout=5000):
        pane.delete_action.trigger()
    assert pane.model.rowCount() == N_ROWS - 1
    assert run_on_loop(qtbot, store.get(row_id)) is None
    assert pane.current_entry() is None


def test_delete_all_shown_deletes_only_the_filtered_rows(
    qtbot: Any, pane: LogPane, store: AsyncMessageStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    with qtbot.waitSignal(pane.model.loaded, timeout=5000):
        pane.set_status_filter({"Unknown"})
    unknown = pane.model.rowCount()
    assert unknown == expected(lambda r: r["state"] == "unknown")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(pane.model.loaded, timeout=5000):
        pane.delete_shown_action.trigger()
    assert pane.model.rowCount() == 0
    assert pane.count_label.text() == "No messages match"
    assert run_on_loop(qtbot, store.count(LogQuery())) == N_ROWS - unknown


def test_copy_as_curl_is_redacted_by_default(qtbot: Any, pane: LogPane, bridge: MessageBridge) -> None:
    row_id = pane.model.data(pane.model.index(0, 0), ROW_ID_ROLE)
    show_row(qtbot, pane, row_id)
    assert not pane.include_token_check.isChecked()
    assert not pane.token_warning.isVisible()
    with qtbot.waitSignal(pane.curl_requested, timeout=2000) as blocker:
        pane.copy_curl_action.trigger()
    assert blocker.args == [row_id, False]

    with qtbot.waitSignal(bridge.warning, timeout=2000) as warned:
        pane.include_token_check.setChecked(True)
    assert "token" in warned.args[0]
    assert pane.token_warning.isVisible()
    with qtbot.waitSignal(pane.curl_requested, timeout=2000) as blocker:
        pane.copy_curl_action.trigger()
    assert blocker.args == [row_id, True]


def test_keyboard_ctrl_c_copies_the_message_id_and_delete_deletes(
    qtbot: Any, pane: LogPane, store: AsyncMessageStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = pane.model.row_of(newest_id_where(store, qtbot, LogQuery(statuses=frozenset({"read"}))))
    assert row is not None
    row_id = pane.model.data(pane.model.index(row, 0), ROW_ID_ROLE)
    show_row(qtbot, pane, row_id)
    pane.activateWindow()
    pane.table.setFocus()
    qtbot.waitUntil(pane.table.hasFocus)
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(pane.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == f"wamid.TEST{row_id - 1:06d}"

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(pane.model.loaded, timeout=5000):
        qtbot.keyClick(pane.table, Qt.Key.Key_Delete)
    assert run_on_loop(qtbot, store.get(row_id)) is None


def test_focus_search(qtbot: Any, pane: LogPane) -> None:
    pane.activateWindow()
    pane.search_edit.setText("abc")
    pane.table.setFocus()
    pane.focus_search()
    qtbot.waitUntil(pane.search_edit.hasFocus)
    assert pane.search_edit.selectedText() == "abc"


def test_esc_in_the_search_box_clears_the_search(qtbot: Any, pane: LogPane) -> None:
    with qtbot.waitSignal(pane.model.loaded, timeout=5000):
        pane.search_edit.setText("customer 12")
        pane.search_edit.returnPressed.emit()
    assert pane.model.rowCount() < N_ROWS
    pane.search_edit.setFocus()
    with qtbot.waitSignal(pane.model.loaded, timeout=5000):
        qtbot.keyClick(pane.search_edit, Qt.Key.Key_Escape)
    assert pane.search_edit.text() == ""
    assert pane.model.rowCount() == N_ROWS


# --------------------------------------------------------------------------- the details follow the filter


def test_a_selected_row_the_filter_leaves_out_is_unselected(
    qtbot: Any, pane: LogPane, store: AsyncMessageStore
) -> None:
    row_id = newest_id_where(store, qtbot, LogQuery(text="customer 1500,"))
    show_row(qtbot, pane, row_id)
    assert pane.resend_action.isEnabled()
    with qtbot.waitSignal(pane.model.loaded, timeout=5000):
        pane.search_edit.setText("customer 2999,")
        pane.search_edit.returnPressed.emit()
    qtbot.waitUntil(lambda: pane.current_entry() is None, timeout=5000)
    assert not pane.table.selectionModel().hasSelection()
    assert pane.summary_text() == ""
    assert not pane.resend_action.isEnabled()
    assert not pane.copy_id_action.isEnabled()


def test_a_selected_row_the_filter_keeps_stays_selected_even_beyond_the_first_page(
    qtbot: Any, pane: LogPane, store: AsyncMessageStore
) -> None:
    oldest_read = run_on_loop(qtbot, store.ids_for(LogQuery(statuses=frozenset({"read"}))))[-1]
    show_row(qtbot, pane, oldest_read)
    with qtbot.waitSignal(pane.model.loaded, timeout=5000):
        pane.status_actions["Read"].setChecked(True)
    assert pane.model.rowCount() > pane.model._page_size  # the row is not on the first page
    qtbot.wait(200)
    entry = pane.current_entry()
    assert entry is not None
    assert entry.id == oldest_read


def test_the_profile_filter_keeps_sandbox_and_production_apart(qtbot: Any, pane: LogPane) -> None:
    pane.set_profiles(["work", "Sandbox"])
    offered = [a.text() for a in pane.profile_menu.actions()]
    assert offered == ["All profiles", "work", "Sandbox"]
    with qtbot.waitSignal(pane.model.loaded, timeout=5000):
        pane.profile_menu.actions()[2].trigger()
    assert pane.model.rowCount() == 0
    assert pane.count_label.text() == "No messages match"
    assert pane.status_button.text() == "Status: all · Sandbox  ▾"
    with qtbot.waitSignal(pane.model.loaded, timeout=5000):
        pane.set_profile_filter("work")
    assert pane.model.rowCount() == N_ROWS
    assert pane.build_query().profile == "work"


def test_each_row_carries_its_profiles_sandbox_or_production_colour(qtbot: Any, pane: LogPane) -> None:
    model = pane.model
    time_cell = model.index(0, 0)
    assert model.data(time_cell, SANDBOX_ROLE) is None  # "work" is not known yet: no stripe
    pane.set_profiles(["work", "Sandbox"], sandbox={"Sandbox"})
    assert model.data(time_cell, SANDBOX_ROLE) is False  # production: the badge's red
    assert model.data(time_cell, Qt.ItemDataRole.ToolTipRole) == "Sent through “work” (PRODUCTION)"
    pane.table.viewport().repaint()
    image = pane.table.viewport().grab().toImage()
    rect = pane.table.visualRect(time_cell)
    start = [image.pixelColor(x, rect.center().y()).name() for x in range(rect.left(), rect.left() + 12)]
    assert ENVIRONMENT_COLOURS[False] in start  # the stripe opens the cell, before the time


def test_message_ids_are_elided_in_the_middle_to_their_column(qtbot: Any, pane: LogPane) -> None:
    """Ids differ at the end: a narrow column keeps both ends; a screen reader gets the whole id."""
    model = pane.model
    row = next(r for r in range(50) if (e := model.entry_at(r)) is not None and e.message_id)
    entry = model.entry_at(row)
    assert entry is not None
    full = entry.message_id or ""
    cell = model.index(row, MESSAGE_ID)
    pane.table.setColumnWidth(MESSAGE_ID, pane.table.fontMetrics().horizontalAdvance(full) + 40)
    assert model.data(cell) == full
    pane.table.setColumnWidth(MESSAGE_ID, 90)
    shown = model.data(cell)
    assert "…" in shown
    head, tail = shown.split("…")
    assert full.startswith(head)
    assert full.endswith(tail)
    assert model.data(cell, Qt.ItemDataRole.AccessibleTextRole) == full


# --------------------------------------------------------------------------- speed


def test_a_search_shows_its_first_page_before_the_rows_are_counted(
    qtbot: Any, pane: LogPane, store: AsyncMessageStore
) -> None:
    """The count of a common word over a big log is slow; the first page must not wait for it."""
    sync_count = store.store.count
    release = threading.Event()

    def slow_count(query: LogQuery | None = None, *, cancel: threading.Event | None = None) -> int:
        release.wait(5)
        return sync_count(query, cancel=cancel)

    store.store.count = slow_count  # type: ignore[method-assign]
    try:
        with qtbot.waitSignal(pane.model.first_page_shown, timeout=5000) as first:
            pane.search_edit.setText("customer")
            pane.search_edit.returnPressed.emit()
        assert first.args == [pane.model._page_size]
        assert pane.model.is_counting
        assert pane.model.data(pane.model.index(0, 5)) != LOADING
        assert "counting" in pane.count_label.text()
        with qtbot.waitSignal(pane.model.loaded, timeout=5000):
            release.set()
        assert pane.model.rowCount() == N_ROWS
        assert pane.count_label.text() == f"{N_ROWS:,} messages"
    finally:
        release.set()
        store.store.count = sync_count  # type: ignore[method-assign]


def test_a_newer_search_cancels_the_count_of_the_one_before(
    qtbot: Any, pane: LogPane, store: AsyncMessageStore
) -> None:
    """One worker serves the store: a count left running would make the next search wait."""
    sync_count = store.store.count
    cancelled: list[str] = []

    def count(query: LogQuery | None = None, *, cancel: threading.Event | None = None) -> int:
        if query is not None and query.text == "customer":  # the slow one: runs until cancelled
            assert cancel is not None
            assert cancel.wait(5)
            cancelled.append(query.text)
            raise QueryCancelled("the count was cancelled")
        return sync_count(query, cancel=cancel)

    store.store.count = count  # type: ignore[method-assign]
    try:
        loaded: list[int] = []
        pane.model.loaded.connect(loaded.append)
        with qtbot.waitSignal(pane.model.first_page_shown, timeout=5000):
            pane.search_edit.setText("customer")
            pane.search_edit.returnPressed.emit()
        with qtbot.waitSignal(pane.model.loaded, timeout=3000):
            pane.search_edit.setText("customer 12")
            pane.search_edit.returnPressed.emit()
        assert cancelled == ["customer"]
        assert loaded == [pane.model.rowCount()]  # only the newer search finished
        assert pane.model.query.text == "customer 12"
    finally:
        store.store.count = sync_count  # type: ignore[method-assign]
