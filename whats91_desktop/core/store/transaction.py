"""One write transaction on an autocommit SQLite connection, for every writer of our files.

The log's writes, its journal replay, its schema migrations and the bulk job file all open
their transactions here, so each takes the write lock the same way and rolls back the same way.
No imports from the rest of the store: the schema module uses it too.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator


@contextlib.contextmanager
def immediate(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One ``BEGIN IMMEDIATE`` transaction on an autocommit connection, committed when the
    block ends and rolled back when it raises.

    IMMEDIATE takes the write lock up front, so a database another process is writing fails
    (after the busy timeout) at ``BEGIN``, before the block has done anything, rather than
    midway at its first write. A failed rollback is suppressed so the caller sees the error
    that ended the block, not the rollback's.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        raise
