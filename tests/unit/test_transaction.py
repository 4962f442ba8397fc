"""``immediate``: one write transaction, committed at the end or rolled back on any error."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from whats91_desktop.core.store.transaction import immediate


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE t(x)")
    return conn


def test_the_block_is_committed_when_it_ends(tmp_path: Path) -> None:
    conn = connect(tmp_path / "a.db")
    with immediate(conn):
        conn.execute("INSERT INTO t VALUES (1)")
    assert not conn.in_transaction
    assert sqlite3.connect(tmp_path / "a.db").execute("SELECT x FROM t").fetchall() == [(1,)]


def test_an_error_rolls_everything_back_and_is_the_one_raised(tmp_path: Path) -> None:
    conn = connect(tmp_path / "a.db")

    def insert_then_fail() -> None:
        with immediate(conn):
            conn.execute("INSERT INTO t VALUES (1)")
            raise ValueError("half way")

    with pytest.raises(ValueError, match="half way"):
        insert_then_fail()
    assert not conn.in_transaction
    assert conn.execute("SELECT count(*) FROM t").fetchone() == (0,)


def test_a_file_another_connection_is_writing_fails_at_begin(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    conn = connect(path)
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    conn.execute("BEGIN IMMEDIATE")
    ran: list[bool] = []

    def write() -> None:
        with immediate(other):
            ran.append(True)

    with pytest.raises(sqlite3.OperationalError, match="locked"):
        write()
    assert ran == []  # nothing of the block ran
