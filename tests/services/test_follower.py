"""StatusFollower against the in-process sandbox, with one fake clock for both sides.

The follower's sleep advances the clock the sandbox computes its status histories from,
so "wait 8 seconds" takes no time. Rows are created by really sending through the
Outbox; every test then checks that following and reconciling sent nothing more.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.outbox import build_executor
from tests.helpers.sandbox_fixtures import FakeClock
from tests.helpers.stores import store_executor
from whats91_desktop.core.client import Whats91Client
from whats91_desktop.core.errors import ConfigError, ServerError
from whats91_desktop.core.models import (
    MessageReport,
    MessageStatus,
    Outcome,
    OutgoingMessage,
    ReportPage,
    SendResult,
    TemplateMessage,
    TextMessage,
)
from whats91_desktop.core.outbox import Outbox, preview_of
from whats91_desktop.core.serialize import message_to_json
from whats91_desktop.core.store import AsyncMessageStore, MessageStore
from whats91_desktop.sandbox.app import create_app
from whats91_desktop.sandbox.constants import (
    BLACKLISTED_RECIPIENT,
    FAILED_UNDELIVERABLE_RECIPIENT,
    NORMAL_RECIPIENT,
    QUEUED_RECIPIENT,
    SANDBOX_BASE_URL,
    SANDBOX_SENDERS,
    SANDBOX_TOKEN,
    SLOW_RECIPIENT,
)
from whats91_desktop.sandbox.state import SandboxState
from whats91_desktop.sandbox.transport import sandbox_transport
from whats91_desktop.services.follower import StatusFollower

SENDER = SANDBOX_SENDERS[0][0]
PROFILE = "sandbox"


@dataclass
class World:
    clock: FakeClock
    state: SandboxState
    client: Whats91Client
    store: AsyncMessageStore
    outbox: Outbox
    updates: list[int]
    sleeps: list[float]

    def follower(self, client: Any = None, **kwargs: Any) -> StatusFollower:
        chosen = client if client is not None else self.client

        async def fake_sleep(seconds: float) -> None:
            self.sleeps.append(seconds)
            self.clock.advance(seconds)
            await asyncio.sleep(0)

        options: dict[str, Any] = {
            "on_update": self.updates.append,
            "sleep": fake_sleep,
            "clock": self.clock,
            "wall_clock": self.clock,
        }
        options.update(kwargs)
        return StatusFollower(self.store, lambda profile: chosen if profile == PROFILE else None, **options)

    async def send(self, to: str) -> int:
        row_id, _ = await self.outbox.send(
            self.client, TextMessage(to=to, text="hello", sender_id=SENDER), profile=PROFILE
        )
        return row_id

    def send_requests(self) -> int:
        return sum(1 for r in self.state.requests if r.is_send)

    async def unknown_row(
        self, to: str, *, error: str | None = None, message: OutgoingMessage | None = None
    ) -> int:
        """A logged send whose outcome never came back (the log knows no id for it); a text
        "hello" unless ``message`` says what was composed."""
        row_id = await self.store.create_sending(
            profile=PROFILE,
            sender_id=SENDER,
            recipient=to,
            kind=message.kind if message is not None else "text",
            preview=preview_of(message) if message is not None else "hello",
            request_text="POST /chat",
            message_json=message_to_json(message) if message is not None else None,
        )
        await self.store.mark_outcome(row_id, Outcome.UNKNOWN, error_message=error)
        return row_id

    async def send_unlogged(self, to: str) -> None:
        """A request that reached the sandbox while the log learned nothing of it."""
        await self.client.send(TextMessage(to=to, text="hello", sender_id=SENDER))


@asynccontextmanager
async def world(tmp_path: Path, *, read_timeout: float = 5.0) -> AsyncIterator[World]:
    clock = FakeClock(start=time.time())
    state = SandboxState(clock=clock, seed=7)
    client = Whats91Client(
        SANDBOX_BASE_URL,
        SANDBOX_TOKEN,
        transport=sandbox_transport(create_app(state)),
        read_timeout=read_timeout,
    )
    store = AsyncMessageStore(MessageStore(tmp_path / "log.sqlite3"), executor=store_executor())
    try:
        yield World(clock, state, client, store, Outbox(store, executor=build_executor()), [], [])
    finally:
        await client.aclose()
        await store.aclose()


async def run_until(follower: StatusFollower, done: Callable[[], bool], *, limit: float = 10.0) -> None:
    """Run the follower loop until ``done()`` (bounded in real time: the store works on a
    thread), then cancel it: it must stop cleanly."""
    task = asyncio.ensure_future(follower.run())
    try:
        async with asyncio.timeout(limit):
            while not (done() or task.done()):  # noqa: ASYNC110 - polls state owned by other tasks
                await asyncio.sleep(0.002)
        assert not task.done(), "the loop must not end by itself"
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


def test_accepted_message_is_followed_until_read(tmp_path: Path) -> None:
    async def go() -> None:
        async with world(tmp_path) as w:
            row_id = await w.send(NORMAL_RECIPIENT)
            sends = w.send_requests()
            follower = w.follower()
            follower.track(row_id)
            await run_until(follower, lambda: not follower.tracked)

            row = await w.store.get(row_id)
            assert row is not None
            assert row.status == "read"
            statuses = [e.status for e in await w.store.events(row_id)]
            assert statuses[-1] == "read"
            assert {"sent", "delivered", "read"} <= set(statuses)
            assert row_id in w.updates
            assert w.sleeps[0] == 2.0
            assert w.send_requests() == sends == 1

    asyncio.run(go())


def test_failed_message_ends_failed_with_meta_code(tmp_path: Path) -> None:
    async def go() -> None:
        async with world(tmp_path) as w:
            row_id = await w.send(FAILED_UNDELIVERABLE_RECIPIENT)
            follower = w.follower()
            follower.track(row_id)
            await run_until(follower, lambda: not follower.tracked)

            row = await w.store.get(row_id)
            assert row is not None
            assert row.status == "failed"
            assert row.error_code == "131026"
            failed = [e for e in await w.store.events(row_id) if e.status == "failed"]
            assert failed
            assert failed[0].error_code == "131026"
            assert w.send_requests() == 1

    asyncio.run(go())


def test_queued_message_gets_its_message_id(tmp_path: Path) -> None:
    async def go() -> None:
        async with world(tmp_path) as w:
            row_id = await w.send(QUEUED_RECIPIENT)
            before = await w.store.get(row_id)
            assert before is not None
            assert before.state == "queued"
            assert before.message_id is None
            assert before.report_uid or before.queue_uid

            follower = w.follower()
            follower.track(row_id)
            found: list[str] = []

            def has_id() -> bool:
                return bool(found)

            async def watch() -> None:
                while True:
                    row = await w.store.get(row_id)
                    if row is not None and row.message_id:
                        found.append(row.message_id)
                        return
                    await asyncio.sleep(0)

            watcher = asyncio.ensure_future(watch())
            await run_until(follower, has_id)
            await watcher
            (message,) = w.state.messages_to(QUEUED_RECIPIENT)
            assert found == [message.wamid]
            assert w.send_requests() == 1

    asyncio.run(go())


class FlakyClient:
    """Fails the first ``failures`` status look-ups with a server error, then delegates."""

    def __init__(self, inner: Whats91Client, failures: int) -> None:
        self.inner = inner
        self.failures = failures
        self.calls = 0

    async def fetch_status(self, message_id: str, sender_id: str | None = None) -> MessageStatus:
        self.calls += 1
        if self.calls <= self.failures:
            raise ServerError("upstream hiccup", http_status=502, code="BAD_GATEWAY")
        return await self.inner.fetch_status(message_id, sender_id=sender_id)

    async def list_reports(self, **kwargs: Any) -> Any:
        return await self.inner.list_reports(**kwargs)


def test_transient_errors_do_not_stop_the_loop(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    async def go() -> None:
        async with world(tmp_path) as w:
            row_id = await w.send(NORMAL_RECIPIENT)
            flaky = FlakyClient(w.client, failures=2)
            follower = w.follower(flaky)
            follower.track(row_id)
            await run_until(follower, lambda: not follower.tracked)
            row = await w.store.get(row_id)
            assert row is not None
            assert row.status == "read"
            assert flaky.calls >= 3
            # Backoff grew while failing: 2 s, then 4 s, then 8 s.
            assert w.sleeps[:3] == [2.0, 4.0, 8.0]
            assert w.send_requests() == 1

    with caplog.at_level("WARNING", logger="whats91_desktop.services.follower"):
        asyncio.run(go())
    assert any("will retry" in r.getMessage() for r in caplog.records)
    assert all(SANDBOX_TOKEN not in r.getMessage() for r in caplog.records)


def test_follow_up_stops_at_max_age(tmp_path: Path) -> None:
    async def go() -> None:
        async with world(tmp_path) as w:
            row_id = await w.send(QUEUED_RECIPIENT)  # ends "delivered": never final
            follower = w.follower(max_age_seconds=60.0)
            follower.track(row_id)
            await run_until(follower, lambda: not follower.tracked)
            assert sum(w.sleeps) >= 60.0

    asyncio.run(go())


def test_poll_once_without_a_client_raises_config_error(tmp_path: Path) -> None:
    async def go() -> None:
        async with world(tmp_path) as w:
            row_id = await w.send(NORMAL_RECIPIENT)
            follower = StatusFollower(w.store, lambda profile: None, on_update=w.updates.append)
            with pytest.raises(ConfigError):
                await follower.poll_once(row_id)
            w.clock.advance(10)
            assert await w.follower().poll_once(row_id) is True
            row = await w.store.get(row_id)
            assert row is not None
            assert row.status == "read"

    asyncio.run(go())


def test_track_wakes_a_sleeping_loop(tmp_path: Path) -> None:
    async def go() -> None:
        async with world(tmp_path) as w:
            first = await w.send(QUEUED_RECIPIENT)
            second = await w.send(NORMAL_RECIPIENT)

            async def sleep(seconds: float) -> None:
                # Short pauses are real; the long one would outlast the test unless woken.
                await asyncio.sleep(seconds if seconds < 1 else 3600)

            follower = w.follower(sleep=sleep, clock=time.monotonic, schedule=(0.01, 1000.0))
            follower.track(first)
            task = asyncio.ensure_future(follower.run())
            for _ in range(200):
                await asyncio.sleep(0.01)
                if w.state.requests_to("status"):
                    break
            await asyncio.sleep(0.05)  # now in the long sleep
            w.clock.advance(10)
            follower.track(second)
            for _ in range(200):
                await asyncio.sleep(0.01)
                row = await w.store.get(second)
                if row is not None and row.status == "read":
                    break
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            row = await w.store.get(second)
            assert row is not None
            assert row.status == "read"
            assert follower.tracked == {first}

    asyncio.run(go())


def test_reconcile_finds_a_slow_message_and_never_resends(tmp_path: Path) -> None:
    async def go() -> None:
        async with world(tmp_path, read_timeout=0.2) as w:
            row_id = await w.send(SLOW_RECIPIENT)
            row = await w.store.get(row_id)
            assert row is not None
            assert row.state == "unknown"
            sends = w.send_requests()

            follower = w.follower()
            result = await follower.reconcile(row_id)

            (message,) = w.state.messages_to(SLOW_RECIPIENT)
            assert result.found is True
            assert result.message_id == message.wamid
            assert result.status == "accepted"
            assert "do not send it again" in result.explanation
            after = await w.store.get(row_id)
            assert after is not None
            assert after.message_id == message.wamid
            assert after.state == Outcome.ACCEPTED.value
            assert after.display_status == "accepted"
            assert row_id in follower.tracked
            assert row_id in w.updates
            assert w.send_requests() == sends == 1

    asyncio.run(go())


def test_reconcile_does_not_find_a_message_never_sent(tmp_path: Path) -> None:
    async def go() -> None:
        async with world(tmp_path) as w:
            await w.send(NORMAL_RECIPIENT)  # another recipient's message must not match
            row_id = await w.store.create_sending(
                profile=PROFILE,
                sender_id=SENDER,
                recipient="919812345678",
                kind="text",
                preview="hello",
                request_text="POST /chat",
            )
            await w.store.mark_outcome(row_id, Outcome.UNKNOWN, error_message="no answer within 30s")
            sends = w.send_requests()

            result = await w.follower().reconcile(row_id)

            assert result.found is False
            assert result.message_id is None
            assert result.status is None
            assert "This message to +91 98123 45678 is not in the reports since" in result.explanation
            assert result.explanation.endswith("it is probably safe to send again.")
            row = await w.store.get(row_id)
            assert row is not None
            assert row.state == "unknown"
            assert row.status is None
            assert w.send_requests() == sends

    asyncio.run(go())


def test_reconcile_ignores_a_message_owned_by_another_row(tmp_path: Path) -> None:
    async def go() -> None:
        async with world(tmp_path) as w:
            await w.send(NORMAL_RECIPIENT)  # a logged, accepted message to the same person
            row_id = await w.store.create_sending(
                profile=PROFILE,
                sender_id=SENDER,
                recipient=NORMAL_RECIPIENT,
                kind="text",
                preview="second",
                request_text="POST /chat",
            )
            await w.store.mark_outcome(row_id, Outcome.UNKNOWN, error_message="dropped")
            result = await w.follower().reconcile(row_id)
            assert result.found is False

    asyncio.run(go())


def test_resume_tracks_unfinished_rows(tmp_path: Path) -> None:
    async def go() -> None:
        async with world(tmp_path) as w:
            row_id = await w.send(NORMAL_RECIPIENT)
            await w.send(BLACKLISTED_RECIPIENT)  # rejected: nothing to follow
            follower = w.follower()
            assert await follower.resume() == 1
            assert follower.tracked == {row_id}

    asyncio.run(go())


def test_reconcile_stores_the_report_uid_and_follows_a_message_without_id(tmp_path: Path) -> None:
    async def go() -> None:
        async with world(tmp_path) as w:
            row_id = await w.unknown_row(QUEUED_RECIPIENT)
            await w.send_unlogged(QUEUED_RECIPIENT)  # queued: no message id until the reconnect
            (message,) = w.state.messages_to(QUEUED_RECIPIENT)
            follower = w.follower(max_age_seconds=60.0)

            result = await follower.reconcile(row_id)

            assert result.found is True
            assert (result.message_id, result.report_uid) == (None, message.report_uid)
            assert result.status == "waiting_reconnect"
            assert f"report {message.report_uid}" in result.explanation
            row = await w.store.get(row_id)
            assert row is not None
            assert (row.report_uid, row.message_id) == (message.report_uid, None)
            assert (row.state, row.status) == (Outcome.QUEUED.value, "waiting_reconnect")
            assert row.error_message is None
            assert row.error_code is None
            assert row_id in follower.tracked

            await run_until(follower, lambda: not follower.tracked)  # ends at max age: "delivered"
            polled = {r.query.get("messageId") for r in w.state.requests_to("status")}
            assert message.report_uid in polled
            row = await w.store.get(row_id)
            assert row is not None
            assert row.message_id == message.wamid
            assert row.status == "delivered"
            assert w.send_requests() == 1

    asyncio.run(go())


def test_a_found_row_loses_the_stale_timeout_error(tmp_path: Path) -> None:
    """Once the reports show the message arrived, "no answer within 0.2 s" is no longer true."""

    async def go() -> None:
        async with world(tmp_path, read_timeout=0.2) as w:
            timed_out = await w.send(SLOW_RECIPIENT)
            before = await w.store.get(timed_out)
            assert before is not None
            assert before.error_message
            result = await w.follower().reconcile(timed_out)
            assert result.found
            assert result.explanation.startswith("Found in the reports as accepted at ")
            after = await w.store.get(timed_out)
            assert after is not None
            assert after.error_message is None
            assert after.error_code is None

    asyncio.run(go())


def test_a_report_of_another_template_is_not_this_message(tmp_path: Path) -> None:
    async def go() -> None:
        async with world(tmp_path) as w:
            template = TemplateMessage(to=NORMAL_RECIPIENT, template_name="login_otp", parameters=("1234",))
            row_id = await w.unknown_row(NORMAL_RECIPIENT, error="no answer within 30s", message=template)
            # A text to the same number in the same minutes, that no log row owns.
            await w.send_unlogged(NORMAL_RECIPIENT)
            result = await w.follower().reconcile(row_id)
            assert result.found is False
            assert "is not in the reports" in result.explanation

    asyncio.run(go())

    asyncio.run(go())


def test_a_report_taken_by_one_row_is_not_found_again_for_another(tmp_path: Path) -> None:
    async def go() -> None:
        async with world(tmp_path) as w:
            first = await w.unknown_row(QUEUED_RECIPIENT, error="dropped")
            second = await w.unknown_row(QUEUED_RECIPIENT, error="dropped")
            await w.send_unlogged(QUEUED_RECIPIENT)  # only one of them reached WhatsApp
            follower = w.follower()
            assert (await follower.reconcile(first)).found is True
            result = await follower.reconcile(second)
            assert result.found is False
            assert "probably safe to send again" in result.explanation
            row = await w.store.get(second)
            assert row is not None
            assert (row.state, row.report_uid, row.message_id) == ("unknown", None, None)
            assert follower.tracked == {first}

    asyncio.run(go())


def test_concurrent_reconciles_never_share_a_report(tmp_path: Path) -> None:
    async def go() -> None:
        async with world(tmp_path) as w:
            rows = [await w.unknown_row(NORMAL_RECIPIENT) for _ in range(3)]
            await w.send_unlogged(NORMAL_RECIPIENT)
            follower = w.follower()
            results = await asyncio.gather(*(follower.reconcile(r) for r in rows))
            assert sorted(r.found for r in results) == [False, False, True]
            (message,) = w.state.messages_to(NORMAL_RECIPIENT)
            found = await w.store.find(message_id=message.wamid)
            assert found is not None
            assert found.id == rows[[r.found for r in results].index(True)]

    asyncio.run(go())


def test_reconcile_ignores_a_queued_report_owned_by_its_report_uid(tmp_path: Path) -> None:
    async def go() -> None:
        async with world(tmp_path) as w:
            owner = await w.send(QUEUED_RECIPIENT)  # logged with its report uid, no message id yet
            row_id = await w.unknown_row(QUEUED_RECIPIENT, error="dropped")
            w.clock.advance(10)  # reconnected: the report now has a message id the owner lacks
            owner_row = await w.store.get(owner)
            assert owner_row is not None
            assert owner_row.message_id is None
            assert owner_row.report_uid
            result = await w.follower().reconcile(row_id)
            assert result.found is False
            row = await w.store.get(row_id)
            assert row is not None
            assert row.state == "unknown"
            assert row.message_id is None

    asyncio.run(go())


class ReportsWithoutIds:
    """A reports endpoint that gives no message id nor report uid (the shape is undocumented)."""

    def __init__(self, count: int) -> None:
        at = datetime.now(UTC).isoformat()
        self.reports = tuple(
            MessageReport(
                message_id=None,
                report_uid=None,
                receiver=NORMAL_RECIPIENT,
                status="delivered",
                latest_status="delivered",
                occurred_at=at,
            )
            for _ in range(count)
        )

    async def fetch_status(self, message_id: str, sender_id: str | None = None) -> MessageStatus:
        raise AssertionError("nothing to poll: the row has no id")

    async def list_reports(self, **kwargs: Any) -> ReportPage:
        return ReportPage(reports=self.reports)


@pytest.mark.parametrize(
    ("reports", "logged", "found"),
    [
        (1, 0, True),  # nobody else could own it
        (1, 1, False),  # the logged, accepted message may be the one in the reports
        (2, 1, True),  # one more report than the log can account for
    ],
)
def test_reports_without_ids_are_matched_only_when_unaccounted_for(
    tmp_path: Path, reports: int, logged: int, found: bool
) -> None:
    async def go() -> None:
        async with world(tmp_path) as w:
            for _ in range(logged):
                await w.send(NORMAL_RECIPIENT)
            row_id = await w.unknown_row(NORMAL_RECIPIENT, error="dropped")
            follower = w.follower(ReportsWithoutIds(reports))
            result = await follower.reconcile(row_id)
            assert result.found is found
            row = await w.store.get(row_id)
            assert row is not None
            assert row.state == ("accepted" if found else "unknown")
            assert (row.message_id, row.report_uid) == (None, None)
            assert not follower.tracked  # no id to poll with
            if found:
                # Now this row accounts for one of the reports: another unknown row gets none.
                other = await w.unknown_row(NORMAL_RECIPIENT, error="dropped")
                assert (await follower.reconcile(other)).found is False

    asyncio.run(go())


def test_reconcile_ignores_a_report_owned_by_a_row_that_knows_only_its_queue_uid(tmp_path: Path) -> None:
    async def go() -> None:
        async with world(tmp_path) as w:
            owner = await w.store.create_sending(
                profile="Sandbox",
                sender_id=None,
                recipient=NORMAL_RECIPIENT,
                kind="text",
                preview="x",
                request_text="",
            )
            await w.store.complete(owner, SendResult(outcome=Outcome.QUEUED, queue_uid="que_owned"))
            row_id = await w.unknown_row(NORMAL_RECIPIENT, error="dropped")
            reports = ReportsWithoutIds(1)
            reports.reports = tuple(
                dataclasses.replace(r, report_uid="rpt_new", queue_uid="que_owned") for r in reports.reports
            )
            result = await w.follower(reports).reconcile(row_id)
            assert result.found is False
            row = await w.store.get(row_id)
            assert row is not None
            assert row.report_uid is None

    asyncio.run(go())
