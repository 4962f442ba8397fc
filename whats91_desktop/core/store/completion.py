"""What a send's result writes to its row: computed once, written now or later.

:meth:`MessageStore.complete` writes these values at once; when it cannot, the same values go
to the journal (:mod:`whats91_desktop.core.store.journal`) and are written by the same
statement later. Keeping them as plain column values (not a ``SendResult``) means a later
process needs nothing but this module to finish the row exactly as the sending one would have.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from whats91_desktop.core.exchange_record import exchange_json
from whats91_desktop.core.models import SendResult
from whats91_desktop.core.store.entries import INTERRUPTED_MESSAGE

_UPDATE = (
    "UPDATE messages SET updated_at = :updated_at, outcome = :outcome, state = :outcome,"
    " status = :status, sender_id = coalesce(:sender_id, sender_id),"
    " phone_number_id = coalesce(:phone_number_id, phone_number_id),"
    " message_id = coalesce(:message_id, message_id), request_id = :request_id,"
    " queue_uid = :queue_uid, report_uid = :report_uid, error_code = :error_code,"
    " error_message = :error_message, http_status = :http_status, response_text = :response_text,"
    " request_text = CASE WHEN :request_text != '' THEN :request_text ELSE request_text END,"
    " exchange_json = :exchange_json"
    " WHERE id = :row_id"
)
_STILL_OPEN = " AND (state = 'sending' OR (state = 'unknown' AND error_message = :interrupted))"
"""A late result finishes only a row nothing else has finished: one still ``sending``, or one
the start-up recovery marked interrupted because its process had gone."""


_KEYS = (
    "outcome",
    "status",
    "sender_id",
    "phone_number_id",
    "message_id",
    "request_id",
    "queue_uid",
    "report_uid",
    "error_code",
    "error_message",
    "http_status",
    "response_text",
    "request_text",
    "exchange_json",
)


def completion_values(result: SendResult) -> dict[str, Any]:
    """The row's columns a send's result sets (JSON-safe, for the journal)."""
    return {
        "outcome": result.outcome.value,
        "status": result.status,
        "sender_id": result.sender_id,
        "phone_number_id": result.phone_number_id,
        "message_id": result.message_id,
        "request_id": result.request_id,
        "queue_uid": result.queue_uid,
        "report_uid": result.report_uid,
        "error_code": result.error_code,
        "error_message": result.error_message,
        "http_status": result.http_status,
        "response_text": result.raw_response,
        "request_text": result.raw_request,
        "exchange_json": exchange_json(result),
    }


def write_completion(
    conn: sqlite3.Connection,
    row_id: int,
    values: Mapping[str, Any],
    *,
    at: float,
    only_if_open: bool = False,
) -> bool:
    """Write ``values`` to the row and its first event, inside the caller's transaction.

    False when no row changed: it was deleted, or (``only_if_open``) something else finished it.
    """
    params = {
        **{key: values.get(key) for key in _KEYS},  # an older entry may lack a newer column
        "updated_at": at,
        "row_id": row_id,
        "interrupted": INTERRUPTED_MESSAGE,
    }
    cur = conn.execute(_UPDATE + (_STILL_OPEN if only_if_open else ""), params)
    if not cur.rowcount:
        return False
    conn.execute(
        "INSERT OR IGNORE INTO events(message_row, status, occurred_at, recorded_at, error_code,"
        " error_message, source) VALUES (?, ?, ?, ?, ?, ?, 'local')",
        (
            row_id,
            values.get("status") or values.get("outcome"),
            _iso(at),
            at,
            values.get("error_code"),
            values.get("error_message"),
        ),
    )
    return True


def _iso(at: float) -> str:
    """``at`` in the server's event-time format (UTC, milliseconds, ``Z``): a timeline sorts on it."""
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
