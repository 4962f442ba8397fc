"""The Webhooks room in the window, on the sandbox: destinations, the one-time secret, the local
receiver with its live deliveries, test events and replay; and the whole loop from a sandbox
destination to the message log's timeline."""

from __future__ import annotations

import time
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QPushButton, QTableView, QWidget

from tests.helpers.sandbox_fixtures import FakeClock
from tests.helpers.webhooks import recording_endpoint
from tests.ui.conftest import MessageRecorder, run_on_loop
from whats91_desktop.core.models import SendResult
from whats91_desktop.core.webhooks import EventCatalog
from whats91_desktop.services.container import DesktopServices
from whats91_desktop.ui.main_window import MainWindow
from whats91_desktop.ui.webhooks.form import WebhookForm
from whats91_desktop.ui.webhooks.pane import WebhooksPane

NORMAL = "918888888888"


@pytest.fixture
def pane(qtbot: Any, window: MainWindow) -> WebhooksPane:
    found = window.findChild(WebhooksPane, "webhooksPane")
    assert found is not None
    window.panes.show_pane("Webhooks")
    qtbot.waitUntil(lambda: found.catalog is not None, timeout=5000)
    return found


@pytest.fixture
def receiver(qtbot: Any, pane: WebhooksPane) -> Any:
    run_on_loop(qtbot, pane.hub.start(port=0, profile="Sandbox"))
    pane._update_receiver()
    yield pane.hub.receiver
    run_on_loop(qtbot, pane.hub.stop())


def open_form(qtbot: Any, pane: WebhooksPane) -> WebhookForm:
    qtbot.mouseClick(pane.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pane.form is not None and pane.form.isVisible(), timeout=3000)
    assert pane.form is not None
    return pane.form


def fill_form(form: WebhookForm, *, name: str, url: str, events: tuple[str, ...]) -> None:
    form.name_edit.setText(name)
    form.url_edit.setText(url)
    events_list = form.findChild(QListWidget, "webhookEventsList")
    for row in range(events_list.count()):
        item = events_list.item(row)
        item.setCheckState(Qt.CheckState.Checked if item.text() in events else Qt.CheckState.Unchecked)


def create_hook(qtbot: Any, pane: WebhooksPane, url: str, events: tuple[str, ...]) -> str:
    form = open_form(qtbot, pane)
    fill_form(form, name="Local", url=url, events=events)
    assert form.save_button.isEnabled()
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pane.secret_dialog is not None, timeout=5000)
    assert pane.secret_dialog is not None
    secret = pane.secret_dialog.secret_edit.text()
    pane.secret_dialog.accept()
    return secret


def send_message(qtbot: Any, win: MainWindow, to: str) -> tuple[int, SendResult]:
    win.panes.show_pane("Messages")
    recipient = win.findChild(QLineEdit, "recipientEdit")
    recipient.clear()
    qtbot.keyClicks(recipient, to)
    body = win.findChild(QWidget, "messageEdit")
    body.setFocus()
    qtbot.keyClicks(body, "webhook loop")
    button = win.findChild(QPushButton, "sendButton")
    qtbot.waitUntil(button.isEnabled, timeout=3000)
    with qtbot.waitSignal(win.send_finished, timeout=15_000) as blocker:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    row_id, result = blocker.args
    return row_id, result


def test_the_webhooks_room_is_on_the_rail_with_the_catalog_loaded(
    pane: WebhooksPane, window: MainWindow
) -> None:
    assert window.findChild(QWidget, "paneRail").isVisible()
    assert "message.status.delivered" in (pane.catalog.event_keys if pane.catalog else ())
    assert pane.findChild(QTableView, "webhooksTable") is not None
    assert "0 destinations" in pane.destinations_note.text()


def test_the_form_shows_problems_next_to_fields_and_warns_about_loopback(
    qtbot: Any, pane: WebhooksPane
) -> None:
    form = open_form(qtbot, pane)
    fill_form(form, name="CRM", url="http://crm.example.com/hook", events=())
    url_problem = form.findChild(QLabel, "endpointUrlProblem")
    events_problem = form.findChild(QLabel, "eventsProblem")
    assert "https" in url_problem.text()
    assert url_problem.isVisible()
    assert "at least one" in events_problem.text()
    assert not form.save_button.isEnabled()
    fill_form(form, name="CRM", url="http://127.0.0.1:8092/webhooks/whats91", events=("message.status.read",))
    assert form.save_button.isEnabled()
    assert "only the built-in sandbox" in form.findChild(QLabel, "webhookWarnings").text()
    form.reject()


def test_create_shows_the_secret_once_and_the_row_can_be_deactivated(
    qtbot: Any, pane: WebhooksPane, messages: MessageRecorder, context: DesktopServices
) -> None:
    secret = create_hook(
        qtbot, pane, "https://crm.example.com/webhooks/whats91", ("message.status.delivered",)
    )
    assert secret.startswith("whsec_")
    assert pane.destinations.rowCount() == 1
    assert any("created" in t for t in messages.texts("info"))
    hook = pane.destinations.items()[0]
    assert run_on_loop(qtbot, context.webhooks.secrets.get(hook.uid)) == secret  # type: ignore[union-attr]
    pane.table.selectRow(0)
    assert pane.toggle_button.text() == "Deactivate"
    qtbot.mouseClick(pane.toggle_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not pane.destinations.items()[0].active, timeout=5000)
    assert pane.toggle_button.text() == "Reactivate"
    qtbot.mouseClick(pane.toggle_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pane.destinations.items()[0].active, timeout=5000)


def test_a_refused_create_keeps_the_form_and_says_why(qtbot: Any, pane: WebhooksPane) -> None:
    # A catalog that lists an event the server then refuses (a stale catalog, say).
    pane.catalog = EventCatalog(("message.invalid", *(pane.catalog.event_keys if pane.catalog else ())))
    form = open_form(qtbot, pane)
    fill_form(form, name="CRM", url="https://crm.example.com/h", events=("message.invalid",))
    assert form.save_button.isEnabled()
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    error = form.findChild(QLabel, "webhookServerError")
    qtbot.waitUntil(error.isVisible, timeout=5000)
    assert "Unsupported webhook event: message.invalid" in error.text()
    assert "Reload the event catalog" in error.text()
    assert form.isVisible()
    assert form.name_edit.text() == "CRM"
    assert pane.destinations.rowCount() == 0
    form.reject()


def test_the_receiver_says_where_to_point_whats91(qtbot: Any, pane: WebhooksPane, receiver: Any) -> None:
    assert receiver.local_url() in pane.url_label.text()
    assert "tunnel or a public https address" in pane.reach_label.text()
    pane.all_interfaces_check.setChecked(True)
    assert pane.exposed_label.isVisibleTo(pane)


def test_test_events_arrive_as_live_deliveries_and_replay(
    qtbot: Any, pane: WebhooksPane, receiver: Any
) -> None:
    create_hook(qtbot, pane, receiver.local_url(), ("template.status_update",))
    pane.table.selectRow(0)
    [action] = [a for a in pane.test_menu.actions() if a.text() == "message.status.delivered"]
    action.trigger()
    qtbot.waitUntil(lambda: pane.deliveries.rowCount() == 1, timeout=5000)
    record = pane.deliveries.items()[0]
    assert record.signature_valid is True
    pane.bad_signature_action.setChecked(True)
    action.trigger()
    qtbot.waitUntil(lambda: pane.deliveries.rowCount() == 2, timeout=5000)
    assert pane.deliveries.items()[1].signature_valid is False
    assert "bad signature" in pane.counters_label.text()
    pane.deliveries_table.selectRow(0)
    detail = pane.detail.toPlainText()
    assert "X-Whats91-Signature" in detail
    assert "message.status.delivered" in detail
    qtbot.mouseClick(pane.replay_store_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pane.deliveries.rowCount() == 3, timeout=5000)
    assert pane.deliveries.items()[2].source == "replay"


def test_the_whole_loop_moves_the_log_timeline(
    qtbot: Any,
    pane: WebhooksPane,
    receiver: Any,
    window: MainWindow,
    clock: FakeClock,
    context: DesktopServices,
) -> None:
    events = ("message.status.sent", "message.status.delivered", "message.status.read")
    create_hook(qtbot, pane, receiver.local_url(), events)
    clock.now = max(clock.now, time.time())  # the sandbox's clock agrees with ours, as Whats91's would
    row_id, result = send_message(qtbot, window, NORMAL)
    assert result.message_id
    clock.advance(5)
    qtbot.waitUntil(lambda: pane.deliveries.rowCount() == 3, timeout=10_000)
    assert all(r.trusted for r in pane.deliveries.items())
    entry = run_on_loop(qtbot, context.store.get(row_id))
    assert entry is not None
    assert entry.status == "read"
    statuses = [e.status for e in run_on_loop(qtbot, context.store.events(row_id))]
    assert statuses[-3:] == ["sent", "delivered", "read"]


def test_the_secret_never_reaches_settings_logs_or_the_log_database(
    qtbot: Any, pane: WebhooksPane, receiver: Any, window: MainWindow, context: DesktopServices
) -> None:
    secret = create_hook(qtbot, pane, receiver.local_url(), ("message.status.read",))
    [action] = [a for a in pane.test_menu.actions() if a.text() == "message.status.read"]
    action.trigger()
    qtbot.waitUntil(lambda: pane.deliveries.rowCount() == 1, timeout=5000)
    pane.deliveries_table.selectRow(0)
    assert secret not in pane.detail.toPlainText()
    window.save_ui_state()
    run_on_loop(qtbot, context.services.settings.aclose())
    paths = context.services.paths
    for folder in (paths.config_dir, paths.log_dir, paths.data_dir):
        for path in folder.rglob("*") if folder.exists() else ():
            if path.is_file():
                assert secret.encode() not in path.read_bytes(), path


def test_edit_sends_only_what_changed_and_keeps_the_token_private(
    qtbot: Any, pane: WebhooksPane, context: DesktopServices
) -> None:
    form = open_form(qtbot, pane)
    fill_form(form, name="CRM", url="https://crm.example.com/h", events=("message.status.read",))
    form.header_edit.setText("X-CRM-Token")
    form.token_edit.setText("shared-token")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pane.secret_dialog is not None, timeout=5000)
    assert pane.secret_dialog is not None
    pane.secret_dialog.accept()
    hook = pane.destinations.items()[0]
    assert hook.has_verification_token
    secrets = context.webhooks.secrets
    assert secrets is not None
    assert run_on_loop(qtbot, secrets.get(hook.uid, "verification")) == "shared-token"
    pane.table.selectRow(0)
    qtbot.mouseClick(pane.edit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pane.form is not None and pane.form.isVisible(), timeout=3000)
    edit = pane.form
    assert edit is not None
    assert edit.token_edit.text() == ""  # never pre-filled
    assert not edit.save_button.isEnabled()  # nothing changed yet
    edit.name_edit.setText("CRM (renamed)")
    qtbot.mouseClick(edit.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pane.destinations.items()[0].name == "CRM (renamed)", timeout=5000)
    sent = context.services.sandbox.state.requests_to("webhook_update")[-1].fields["webhook"]
    assert sent == {"name": "CRM (renamed)"}


def test_reveal_shows_the_stored_secret_again(qtbot: Any, pane: WebhooksPane) -> None:
    secret = create_hook(qtbot, pane, "https://crm.example.com/h", ("message.status.read",))
    pane.table.selectRow(0)
    qtbot.mouseClick(pane.reveal_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pane.secret_dialog is not None, timeout=5000)
    dialog = pane.secret_dialog
    assert dialog is not None
    assert dialog.secret_edit.text() == secret
    assert "only this once" not in dialog.findChild(QLabel, "secretIntro").text()
    dialog.accept()


def test_the_forward_switch_relays_deliveries_and_shows_the_answer(
    qtbot: Any, pane: WebhooksPane, receiver: Any
) -> None:
    endpoint_context = recording_endpoint(status=204)
    endpoint = run_on_loop(qtbot, endpoint_context.__aenter__())
    try:
        create_hook(qtbot, pane, receiver.local_url(), ("message.status.read",))
        pane.forward_edit.setText(endpoint.url)
        pane.forward_check.setChecked(True)
        assert pane.hub.forward_url == endpoint.url
        pane.table.selectRow(0)
        [more] = [a for a in pane.test_menu.actions() if a.text().startswith("Status of a logged message")]
        more.trigger()
        qtbot.waitUntil(
            lambda: pane.sample_dialog is not None and pane.sample_dialog.isVisible(), timeout=3000
        )
        dialog = pane.sample_dialog
        assert dialog is not None
        dialog.event_combo.setCurrentText("message.status.read")
        dialog.target_edit.setText(receiver.local_url())  # to our receiver, which forwards it
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "HTTP 200" in dialog.result_view.toPlainText(), timeout=5000)
        qtbot.waitUntil(lambda: len(endpoint.requests) == 1, timeout=5000)
        qtbot.waitUntil(
            lambda: pane.deliveries.rowCount() == 1 and pane.deliveries.items()[0].forward is not None
        )
        record = pane.deliveries.items()[0]
        assert endpoint.requests[0].body == record.body
        assert "HTTP 204" in pane.deliveries.data(pane.deliveries.index(0, 7))
        dialog.reject()
        pane.forward_check.setChecked(False)
        assert pane.hub.forward_url is None
    finally:
        run_on_loop(qtbot, endpoint_context.__aexit__(None, None, None))


def test_a_forward_url_elsewhere_over_http_is_refused_next_to_the_field(pane: WebhooksPane) -> None:
    pane.forward_edit.setText("http://example.com/hook")
    pane.forward_check.setChecked(True)
    assert "plain http only to this computer" in pane.forward_note.text()
    assert pane.hub.forward_url is None
