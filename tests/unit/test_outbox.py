from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from tests.helpers.fake_client import FAKE_TOKEN, FakeSendClient
from tests.helpers.outbox import build_executor
from tests.helpers.stores import store_executor
from whats91_desktop.core.client import Whats91Client
from whats91_desktop.core.errors import ConnectError, ValidationError
from whats91_desktop.core.models import (
    Button,
    ButtonsMessage,
    ListMessage,
    ListRow,
    ListSection,
    MediaMessage,
    MetaMessage,
    Outcome,
    OutgoingMessage,
    Problem,
    RetryNotice,
    SendResult,
    TemplateMessage,
    TextMessage,
)
from whats91_desktop.core.outbox import Outbox, preview_of
from whats91_desktop.core.serialize import message_from_json, message_to_json
from whats91_desktop.core.store import AsyncMessageStore, LogEntry, LogQuery, MessageStore
from whats91_desktop.sandbox.constants import SANDBOX_BASE_URL, SANDBOX_TOKEN


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "messages.sqlite3"


MESSAGE = TextMessage(to="919000000001", text="Hello\nthere", sender_id="919999999999")


def run_send(db_path: Path, client: FakeSendClient, **kw: object) -> tuple[int, SendResult]:
    async def main() -> tuple[int, SendResult]:
        astore = await AsyncMessageStore.open(db_path, executor=store_executor())
        try:
            outbox = Outbox(astore, executor=build_executor())
            return await outbox.send(client, MESSAGE, profile="Production", **kw)  # type: ignore[arg-type]
        finally:
            await astore.aclose()

    return asyncio.run(main())


def run_send_message(db_path: Path, client: FakeSendClient, message: OutgoingMessage) -> int:
    async def main() -> int:
        astore = await AsyncMessageStore.open(db_path, executor=store_executor())
        try:
            outbox = Outbox(astore, executor=build_executor())
            row_id, _ = await outbox.send(client, message, profile="Production")
            return row_id
        finally:
            await astore.aclose()

    return asyncio.run(main())


def only_row(db_path: Path) -> LogEntry:
    store = MessageStore(db_path)
    try:
        [entry] = store.page(LogQuery(), 0, 10)
        return entry
    finally:
        store.close()


def test_send_logs_then_completes(db_path: Path) -> None:
    created: list[int] = []
    retries: list[RetryNotice] = []
    result = SendResult(outcome=Outcome.ACCEPTED, status="accepted", message_id="wamid.X", raw_request="")
    row_id, got = run_send(
        db_path, FakeSendClient(result), on_created=created.append, on_retry=retries.append, parent_id=None
    )
    assert got is result
    assert created == [row_id]
    assert len(retries) == 1
    entry = only_row(db_path)
    assert entry.id == row_id
    assert entry.state == "accepted"
    assert entry.message_id == "wamid.X"
    assert entry.recipient == "919000000001"
    assert entry.kind == "text"
    assert entry.profile == "Production"
    assert entry.sender_id == "919999999999"
    assert entry.preview == "Hello there"
    assert entry.request_text is not None
    assert "/chat" in entry.request_text
    assert FAKE_TOKEN not in entry.request_text  # redacted before it was stored


COMPOSED: list[OutgoingMessage] = [
    MESSAGE,
    MediaMessage(
        to="919000000001",
        media_type="image",
        url="https://example.com/c.jpg",
        caption="Cat",
        sender_id="9199",
    ),
    ButtonsMessage(to="919000000001", text="Confirm?", buttons=(Button("y", "Yes"), Button("n", "No"))),
    ListMessage(
        to="919000000001",
        text="Pick one",
        button_text="Menu",
        sections=(ListSection("S", (ListRow("a", "A", "first"), ListRow("b", "B"))),),
        header_text="Head",
        footer_text="Foot",
    ),
    TemplateMessage(
        to="919000000001",
        template_name="payment_reminder",
        parameters=("Asha", "INV-7"),
        button_parameters=("7",),
    ),
    MetaMessage(
        payload={
            "messaging_product": "whatsapp",
            "to": "919000000001",
            "type": "text",
            "text": {"body": "raw"},
        },
        phone_number_id="100000000000001",
    ),
]


@pytest.mark.parametrize("message", COMPOSED, ids=lambda m: m.kind)
def test_the_composed_message_is_kept_without_the_token(db_path: Path, message: OutgoingMessage) -> None:
    client = FakeSendClient(SendResult(outcome=Outcome.ACCEPTED))
    row_id = run_send_message(db_path, client, message)
    entry = only_row(db_path)  # read back by a new connection, as a later session would
    assert entry.id == row_id
    assert entry.message_json == message_to_json(message)
    assert message_from_json(entry.message_json) == message
    assert FAKE_TOKEN not in entry.message_json
    assert "Bearer" not in entry.message_json
    assert FAKE_TOKEN in client.build_request(message).headers["Authorization"]  # the token was at hand


def test_a_later_session_rebuilds_the_same_request(db_path: Path) -> None:
    """What the main window's "Send again" and "Copy as curl" do with a row from an earlier run."""
    message = COMPOSED[4]
    run_send_message(db_path, FakeSendClient(SendResult(outcome=Outcome.ACCEPTED)), message)
    entry = only_row(db_path)
    stored = getattr(entry, "message_json", None)
    assert isinstance(stored, str)
    rebuilt = message_from_json(stored)

    async def requests() -> tuple[httpx.Request, httpx.Request]:
        async with Whats91Client(SANDBOX_BASE_URL, SANDBOX_TOKEN) as client:
            return client.build_request(message), client.build_request(rebuilt)

    original, again = asyncio.run(requests())
    assert (again.method, again.url, again.content) == (original.method, original.url, original.content)


def test_explicit_preview_and_parent(db_path: Path) -> None:
    result = SendResult(outcome=Outcome.ACCEPTED)
    first, _ = run_send(db_path, FakeSendClient(result), preview="custom")
    second, _ = run_send(db_path, FakeSendClient(result), preview="again", parent_id=first)
    store = MessageStore(db_path)
    assert store.get(first).preview == "custom"  # type: ignore[union-attr]
    assert store.get(second).parent_id == first  # type: ignore[union-attr]
    store.close()


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (RuntimeError("boom w91_live_leaked0000000000000000000"), "unknown"),
        (ConnectError("connection refused"), "unreachable"),
        (ValidationError([Problem("to", "bad number")]), "invalid"),
    ],
)
def test_unexpected_error_never_leaves_sending(db_path: Path, error: Exception, outcome: str) -> None:
    async def behaviour(message: OutgoingMessage) -> SendResult:
        raise error

    with pytest.raises(type(error)):
        run_send(db_path, FakeSendClient(behaviour=behaviour))
    entry = only_row(db_path)
    assert entry.state == outcome
    assert entry.outcome == outcome
    assert entry.error_message
    assert type(error).__name__ in entry.error_message
    assert "w91_live_leaked" not in entry.error_message


def test_cancelled_send_is_unknown(db_path: Path) -> None:
    started = asyncio.Event()

    async def behaviour(message: OutgoingMessage) -> SendResult:
        started.set()
        await asyncio.sleep(3600)
        raise AssertionError("not reached")

    async def main() -> None:
        astore = await AsyncMessageStore.open(db_path, executor=store_executor())
        task = asyncio.create_task(
            Outbox(astore, executor=build_executor()).send(
                FakeSendClient(behaviour=behaviour), MESSAGE, profile="P"
            )
        )
        await started.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await astore.aclose()

    asyncio.run(main())
    entry = only_row(db_path)
    assert entry.state == "unknown"
    assert "Cancelled" in (entry.error_message or "")


def test_failing_on_created_marks_not_sent(db_path: Path) -> None:
    client = FakeSendClient(SendResult(outcome=Outcome.ACCEPTED))

    def on_created(row_id: int) -> None:
        raise KeyError("ui gone")

    with pytest.raises(KeyError):
        run_send(db_path, client, on_created=on_created)
    assert client.sent == []
    assert only_row(db_path).state == "unreachable"


def test_a_cancel_before_the_request_starts_marks_not_sent(db_path: Path) -> None:
    """Cancelled in the loop turn after the row is shown: nothing left, the row says so."""
    client = FakeSendClient(SendResult(outcome=Outcome.ACCEPTED))

    def on_created(_row_id: int) -> None:
        task = asyncio.current_task()
        assert task is not None
        task.cancel()

    with pytest.raises(asyncio.CancelledError):
        run_send(db_path, client, on_created=on_created)
    assert client.sent == []
    entry = only_row(db_path)
    assert entry.state == "unreachable"
    assert "Not sent" in (entry.error_message or "")


def test_build_request_error_sends_nothing_and_logs_nothing(db_path: Path) -> None:
    class Broken(FakeSendClient):
        def build_request(self, message: OutgoingMessage) -> httpx.Request:
            raise ValidationError([Problem("to", "missing")])

    with pytest.raises(ValidationError):
        run_send(db_path, Broken(SendResult(outcome=Outcome.ACCEPTED)))
    store = MessageStore(db_path)
    assert store.count() == 0
    store.close()


# --------------------------------------------------------------------------- previews


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (TextMessage(to="1", text="Hi  there\n\nfriend"), "Hi there friend"),
        (MediaMessage(to="1", media_type="image", url="https://x/y.jpg", caption="Cat"), "[image] Cat"),
        (MediaMessage(to="1", media_type="document", file_path=Path("/tmp/inv.pdf")), "[document] inv.pdf"),
        (
            TemplateMessage(to="1", template_name="payment_reminder", parameters=("p1", "p2")),
            "[template payment_reminder] p1, p2",
        ),
        (
            ListMessage(
                to="1",
                text="Pick one",
                button_text="Menu",
                sections=(ListSection("S", (ListRow("a", "A"),)),),
            ),
            "[list] Pick one",
        ),
        (ButtonsMessage(to="1", text="Confirm?", buttons=(Button("y", "Yes"),)), "[buttons] Confirm?"),
        (MetaMessage(payload={"to": "1", "type": "text", "text": {"body": "raw hi"}}), "[meta:text] raw hi"),
        (
            MetaMessage(payload={"to": "1", "type": "template", "template": {"name": "hello_world"}}),
            "[meta:template] hello_world",
        ),
        (MetaMessage(payload={"to": "1"}), "[meta:message]"),
    ],
)
def test_preview_of(message: OutgoingMessage, expected: str) -> None:
    assert preview_of(message) == expected


def test_preview_is_clipped() -> None:
    preview = preview_of(TextMessage(to="1", text="x" * 500))
    assert len(preview) == 120
    assert preview.endswith("…")


class _ThreadRecordingClient(FakeSendClient):
    """Records on which thread the request was built."""

    build_threads: list[str]

    def build_request(self, message: OutgoingMessage) -> httpx.Request:
        import threading

        self.build_threads.append(threading.current_thread().name)
        return super().build_request(message)


def test_the_request_is_built_once_off_the_loop_thread_and_handed_to_send(db_path: Path) -> None:
    import threading

    client = _ThreadRecordingClient(result=SendResult(outcome=Outcome.ACCEPTED, message_id="wamid.x"))
    client.build_threads = []
    run_send(db_path, client)
    assert len(client.build_threads) == 1
    assert client.build_threads[0] != threading.main_thread().name
    assert client.build_threads[0].startswith("whats91-build")
    assert len(client.requests) == 1
    assert isinstance(client.requests[0], httpx.Request)


def test_the_client_sends_the_prebuilt_request_without_building_again(tmp_path: Path) -> None:
    image = tmp_path / "photo.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    message = MediaMessage(to="918888888888", media_type="image", file_path=image)
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200, json={"success": True, "data": {"messageId": "wamid.1", "status": "accepted"}}
        )

    async def main() -> SendResult:
        async with Whats91Client(
            "https://example.test/api/v2", "w91_live_x", transport=httpx.MockTransport(handler)
        ) as client:
            built = client.build_request(message)
            image.unlink()  # a second build would fail: the file is gone
            return await client.send(message, request=built)

    result = asyncio.run(main())
    assert result.outcome is Outcome.ACCEPTED
    assert len(seen) == 1
    assert b"photo.png" in seen[0].read()
