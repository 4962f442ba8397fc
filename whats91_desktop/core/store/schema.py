"""The log's tables, indexes and full-text index, built by numbered migrations (v1 to v10).

Search uses an FTS5 index over recipient, message text, message id, request id and the error;
with SQLite ≥ 3.34 it is a trigram index, so any fragment of three or more characters matches
(``8888`` finds ``918888800000``). Triggers keep it in step with the ``messages`` table.

A database whose ``user_version`` is below :data:`SCHEMA_VERSION` is brought up to it by
:func:`migrate`, one step per transaction, so a failed step leaves the file as it was.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from whats91_desktop.core.store.transaction import immediate

SCHEMA_VERSION = 11
TRIGRAM_AVAILABLE = sqlite3.sqlite_version_info >= (3, 34, 0)


def _fts_source(prefix: str) -> str:
    p = prefix
    return (
        f"{p}recipient, {p}preview, {p}message_id, {p}request_id, "
        f"trim(coalesce({p}error_code, '') || ' ' || coalesce({p}error_message, ''))"
    )


def _fts_triggers(source: Callable[[str], str], watched: str) -> list[str]:
    """The three triggers that keep ``messages_fts`` in step with ``messages``.

    ``source(prefix)`` gives the indexed values of a row; ``watched`` the columns whose
    update re-indexes it.
    """
    return [
        f"""
        CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
            INSERT INTO messages_fts(rowid, recipient, preview, message_id, request_id, error_text)
            VALUES (new.id, {source("new.")});
        END
        """,
        f"""
        CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
            INSERT INTO messages_fts(messages_fts, rowid, recipient, preview, message_id, request_id,
                                     error_text)
            VALUES ('delete', old.id, {source("old.")});
        END
        """,
        f"""
        CREATE TRIGGER messages_fts_update
        AFTER UPDATE OF {watched} ON messages
        BEGIN
            INSERT INTO messages_fts(messages_fts, rowid, recipient, preview, message_id, request_id,
                                     error_text)
            VALUES ('delete', old.id, {source("old.")});
            INSERT INTO messages_fts(rowid, recipient, preview, message_id, request_id, error_text)
            VALUES (new.id, {source("new.")});
        END
        """,
    ]


def _schema_v1(conn: sqlite3.Connection) -> None:
    tokenizer = "trigram" if TRIGRAM_AVAILABLE else "unicode61"
    statements = [
        """
        CREATE TABLE messages(
            id INTEGER PRIMARY KEY,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            profile TEXT NOT NULL DEFAULT '',
            sender_id TEXT,
            phone_number_id TEXT,
            recipient TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL DEFAULT '',
            preview TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL,
            outcome TEXT,
            status TEXT,
            message_id TEXT,
            request_id TEXT,
            queue_uid TEXT,
            report_uid TEXT,
            error_code TEXT,
            error_message TEXT,
            http_status INTEGER,
            request_text TEXT,
            response_text TEXT,
            parent_id INTEGER REFERENCES messages(id) ON DELETE SET NULL
        )
        """,
        "CREATE INDEX messages_created_at ON messages(created_at)",
        "CREATE INDEX messages_status ON messages(status)",
        # Each index ends in the rowid, so a filtered page walks it in id order without sorting.
        "CREATE INDEX messages_display_status ON messages(coalesce(status, state))",
        "CREATE INDEX messages_state ON messages(state)",
        "CREATE INDEX messages_profile ON messages(profile)",
        "CREATE INDEX messages_message_id ON messages(message_id) WHERE message_id IS NOT NULL",
        "CREATE INDEX messages_report_uid ON messages(report_uid) WHERE report_uid IS NOT NULL",
        "CREATE INDEX messages_queue_uid ON messages(queue_uid) WHERE queue_uid IS NOT NULL",
        "CREATE INDEX messages_parent ON messages(parent_id) WHERE parent_id IS NOT NULL",
        """
        CREATE TABLE events(
            id INTEGER PRIMARY KEY,
            message_row INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
            status TEXT NOT NULL,
            occurred_at TEXT NOT NULL DEFAULT '',
            recorded_at REAL NOT NULL,
            error_code TEXT,
            error_message TEXT,
            UNIQUE(message_row, status, occurred_at)
        )
        """,
        """
        CREATE VIEW messages_fts_source AS
            SELECT id, recipient, preview, message_id, request_id,
                   trim(coalesce(error_code, '') || ' ' || coalesce(error_message, '')) AS error_text
            FROM messages
        """,
        f"""
        CREATE VIRTUAL TABLE messages_fts USING fts5(
            recipient, preview, message_id, request_id, error_text,
            content='messages_fts_source', content_rowid='id', tokenize='{tokenizer}'
        )
        """,
        *_fts_triggers(_fts_source, "recipient, preview, message_id, request_id, error_code, error_message"),
    ]
    # One statement at a time: ``executescript`` would commit the migration's transaction.
    for statement in statements:
        conn.execute(statement)


def _schema_v2(conn: sqlite3.Connection) -> None:
    """Keep the composed message, so rows from earlier sessions can be sent again."""
    conn.execute("ALTER TABLE messages ADD COLUMN message_json TEXT")


def _schema_v3(conn: sqlite3.Connection) -> None:
    """Tell the event we record at send time (``local``) from the server's own events.

    The server's event for the same status later replaces the local one, so a timeline never
    shows "accepted" twice.
    """
    conn.execute("ALTER TABLE events ADD COLUMN source TEXT NOT NULL DEFAULT 'server'")


def _fts_source_v4(prefix: str) -> str:
    p = prefix
    return (
        f"{p}recipient, coalesce({p}body, {p}preview), {p}message_id, {p}request_id, "
        f"trim(coalesce({p}error_code, '') || ' ' || coalesce({p}error_message, ''))"
    )


def _schema_v4(conn: sqlite3.Connection) -> None:
    """Search the whole message text, not just its 120-character preview.

    ``body`` holds the full searchable text; the index reads ``coalesce(body, preview)``, which
    for older rows (no body) is exactly what was indexed before, so no rebuild is needed.
    """
    conn.execute("ALTER TABLE messages ADD COLUMN body TEXT")
    for name in ("messages_fts_insert", "messages_fts_delete", "messages_fts_update"):
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("DROP VIEW messages_fts_source")
    statements = [
        """
        CREATE VIEW messages_fts_source AS
            SELECT id, recipient, coalesce(body, preview) AS preview, message_id, request_id,
                   trim(coalesce(error_code, '') || ' ' || coalesce(error_message, '')) AS error_text
            FROM messages
        """,
        *_fts_triggers(
            _fts_source_v4, "recipient, preview, body, message_id, request_id, error_code, error_message"
        ),
    ]
    for statement in statements:
        conn.execute(statement)


def _schema_v5(conn: sqlite3.Connection) -> None:
    """Remember which process is sending a row, so start-up recovery never marks another
    running instance's (or a CLI's) in-flight send as interrupted."""
    conn.execute("ALTER TABLE messages ADD COLUMN owner_pid INTEGER")


def _schema_v6(conn: sqlite3.Connection) -> None:
    """Keep what a send looked like on the wire (status line, redacted headers, timing, the waits
    before it) for the Response tab and the summary (``core.exchange_record``)."""
    conn.execute("ALTER TABLE messages ADD COLUMN exchange_json TEXT")


def _schema_v7(conn: sqlite3.Connection) -> None:
    """Saved requests (``core.store.saved``): composed messages kept by name, per profile.

    Unique by name within a profile, ignoring case; the unique index also serves the
    profile's list, sorted by name.
    """
    conn.execute(
        """
        CREATE TABLE saved_requests(
            id INTEGER PRIMARY KEY,
            profile TEXT NOT NULL,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            recipient TEXT NOT NULL DEFAULT '',
            message_json TEXT NOT NULL,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        )
        """
    )
    conn.execute("CREATE UNIQUE INDEX saved_requests_name ON saved_requests(profile, name COLLATE NOCASE)")


def _schema_v8(conn: sqlite3.Connection) -> None:
    """What webhook deliveries bring (``core.store.webhook_log``): inbound messages per contact in
    ``conversation_messages`` (with a direction, for the conversations view), statuses of message
    ids no row has yet in ``webhook_statuses``, and a receipt per delivery body, so a retried
    delivery changes nothing twice."""
    statements = [
        """
        CREATE TABLE conversation_messages(
            id INTEGER PRIMARY KEY,
            profile TEXT NOT NULL DEFAULT '',
            sender_id TEXT,
            contact TEXT NOT NULL,
            direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
            kind TEXT NOT NULL DEFAULT 'text',
            text TEXT,
            message_id TEXT,
            occurred_at TEXT NOT NULL DEFAULT '',
            received_at REAL NOT NULL,
            source TEXT NOT NULL DEFAULT 'webhook',
            payload_json TEXT,
            webhook_uid TEXT,
            UNIQUE(direction, message_id)
        )
        """,
        "CREATE INDEX conversation_messages_contact ON conversation_messages(contact, received_at)",
        """
        CREATE TABLE webhook_statuses(
            id INTEGER PRIMARY KEY,
            message_id TEXT NOT NULL,
            status TEXT NOT NULL,
            occurred_at TEXT NOT NULL DEFAULT '',
            recorded_at REAL NOT NULL,
            recipient TEXT,
            error_code TEXT,
            error_message TEXT,
            webhook_uid TEXT,
            profile TEXT NOT NULL DEFAULT '',
            UNIQUE(message_id, status, occurred_at)
        )
        """,
        "CREATE TABLE webhook_receipts(digest TEXT PRIMARY KEY, received_at REAL NOT NULL, event TEXT)"
        " WITHOUT ROWID",
        "CREATE INDEX webhook_receipts_received_at ON webhook_receipts(received_at)",
    ]
    for statement in statements:
        conn.execute(statement)


def _schema_v9(conn: sqlite3.Connection) -> None:
    """The Conversations pane's offline copy (``core.store.conversation_cache``): the last inbox
    and the last thread of each contact read from the server, per profile and sender, as the
    JSON the pane shows, with when it was read. ``contact`` is ``''`` for the inbox itself.
    One row per key, replaced whole, so the pane opens at once and without the network."""
    conn.execute(
        """
        CREATE TABLE conversation_cache(
            profile TEXT NOT NULL,
            sender_id TEXT NOT NULL DEFAULT '',
            contact TEXT NOT NULL DEFAULT '',
            payload_json TEXT NOT NULL,
            fetched_at REAL NOT NULL,
            PRIMARY KEY(profile, sender_id, contact)
        ) WITHOUT ROWID
        """
    )


def _schema_v10(conn: sqlite3.Connection) -> None:
    """Link a bulk job's sends to their job (``core.bulk``): the log's detail names the job, a
    ``job:<id>`` search lists its rows, and a resumed job settles only its own ``sending`` rows.
    NULL for every other send, so the partial index holds bulk rows only."""
    conn.execute("ALTER TABLE messages ADD COLUMN job_id TEXT")
    conn.execute("CREATE INDEX messages_job ON messages(job_id, id) WHERE job_id IS NOT NULL")


def _schema_v11(conn: sqlite3.Connection) -> None:
    """An index of the row ids alone, for jumping deep into the unfiltered log.

    A page at 50 % of a million rows steps over half a million rows; over the table itself that
    reads every skipped row's record (a gigabyte of pages: 67 ms even cached), over this index
    a few thousand pages of ids (12 ms). It costs an insert a few bytes and one more b-tree."""
    conn.execute("CREATE INDEX messages_ids ON messages(id)")


# Index i migrates from user_version i to i + 1. Append only: a released step never changes.
MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _schema_v1,
    _schema_v2,
    _schema_v3,
    _schema_v4,
    _schema_v5,
    _schema_v6,
    _schema_v7,
    _schema_v8,
    _schema_v9,
    _schema_v10,
    _schema_v11,
)


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the schema to ``SCHEMA_VERSION``, each step in its own transaction."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    while version < SCHEMA_VERSION:
        with immediate(conn):
            MIGRATIONS[version](conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")
        version += 1
    return int(version)


def uses_trigram(conn: sqlite3.Connection) -> bool:
    """Whether this file's index was built with the trigram tokenizer (it was, if SQLite had it
    when the file was created); short search fragments are planned differently without it."""
    row = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'messages_fts'").fetchone()
    return bool(row and "trigram" in row[0])
