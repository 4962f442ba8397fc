"""The live deliveries list, and the text shown for the one selected (headers and body redacted).

The list mirrors the hub's records as they arrive (newest last), keeping as many as the hub
does; a forward that finishes later updates its row in place.
"""

from __future__ import annotations

import time

from PySide6.QtGui import QColor

from whats91_desktop.services.webhooks.hub import MAX_RECORDS
from whats91_desktop.services.webhooks.records import DeliveryRecord
from whats91_desktop.ui.palette import adapt
from whats91_desktop.ui.webhooks.table_model import ListTableModel

_BAD = "#c5221f"
_UNCHECKED = "#b06000"
SIGNATURE, TOKEN = 2, 3


def _verdict(value: bool | None, unchecked: str) -> str:
    return {True: "valid", False: "INVALID", None: unchecked}[value]


def delivery_cells(record: DeliveryRecord) -> tuple[str, ...]:
    data = record.delivery
    what = data.status or (f"from {data.contact}" if data.kind == "inbound" and data.contact else "")
    if data.kind == "template":
        what = f"{data.template_name or '?'}: {data.status or '?'}"
    forward = record.forward.summary() if record.forward is not None else ""
    return (
        time.strftime("%H:%M:%S", time.localtime(record.received_at))
        + (" (replay)" if record.source == "replay" else ""),
        data.event or "—",
        _verdict(record.signature_valid, "not checked"),
        _verdict(record.verification_token_valid, "—"),
        data.message_id or "",
        what,
        record.problem or record.outcome,
        forward,
    )


class DeliveriesModel(ListTableModel[DeliveryRecord]):
    columns = ("Time", "Event", "Signature", "Token", "Message id", "Status / from", "Result", "Forward")

    def __init__(self, limit: int = MAX_RECORDS) -> None:
        super().__init__()
        self._limit = limit

    def cells(self, item: DeliveryRecord) -> tuple[str, ...]:
        return delivery_cells(item)

    def colour(self, item: DeliveryRecord, column: int) -> QColor | None:
        value = {SIGNATURE: item.signature_valid, TOKEN: item.verification_token_valid}.get(
            column, item.trusted
        )
        if value is False:
            return QColor(adapt(_BAD))
        if value is None and column == SIGNATURE:
            return QColor(adapt(_UNCHECKED))
        return None

    def add(self, record: DeliveryRecord) -> None:
        self.append(record)
        self.drop_first(len(self._items) - self._limit)

    def refresh(self, record: DeliveryRecord) -> None:
        row = next((r for r, item in enumerate(self._items) if item.id == record.id), None)
        if row is not None:
            self.row_changed(row)


def detail_text(record: DeliveryRecord) -> str:
    """What the detail view shows: the verdicts, the request as it came (redacted), the forward."""
    lines = [
        f"{record.method} {record.path}  ·  {record.size} bytes  ·  "
        + time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(record.received_at)),
        f"Event: {record.event or '—'}  ·  webhook {record.delivery.webhook_uid or '—'}",
        f"Signature: {_verdict(record.signature_valid, 'not checked (no signing secret known here)')}",
        f"Verification token: {_verdict(record.verification_token_valid, 'not configured')}",
        f"Trusted: {'yes' if record.trusted else 'no'}  ·  {record.outcome}",
    ]
    if record.problem:
        lines.append(f"Problem: {record.problem}")
    lines += ["", "Headers:"]
    lines += [f"  {name}: {value}" for name, value in record.shown_headers()]
    lines += ["", "Body:", record.shown_body() or "(empty)"]
    if record.forward is not None:
        forward = record.forward
        lines += ["", f"Forwarded to {forward.url}: {forward.summary()}"]
        if forward.body:
            lines.append(forward.body)
    return "\n".join(lines)
