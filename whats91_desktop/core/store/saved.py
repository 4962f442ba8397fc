"""Saved requests: composed messages kept by name, per profile, in the log's database.

An integrator builds a request once ("Order shipped — Asha") and comes back to it, as in a
Postman collection. Each one is the composed message as JSON (``serialize.message_to_json``:
messages carry no token) with its ``{{variables}}`` unresolved, so the same request serves
every customer. Names are unique within a profile, ignoring case, so a list sorted by name
never shows two entries a person cannot tell apart.

The methods are mixed into :class:`~whats91_desktop.core.store.sqlite_store.MessageStore`, so
they share its one connection, lock and worker thread (``AsyncMessageStore`` awaits them).
"""

from __future__ import annotations

import re
import sqlite3
import time
import unicodedata
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

from whats91_desktop.core.models import OutgoingMessage
from whats91_desktop.core.serialize import message_from_json, message_to_json
from whats91_desktop.core.store.entries import StoreError

NAME_MAX = 100

_COLUMNS = "id, profile, name, kind, recipient, message_json, created_at, updated_at"
_COPY_SUFFIX = re.compile(r" \(copy(?: (\d+))?\)$")


class NameTaken(StoreError):
    """Another saved request of the profile already has this name (ignoring case)."""


def check_name(name: str) -> str | None:
    """Why ``name`` cannot name a saved request, or None (the UI says it next to the field)."""
    if not name.strip():
        return "Give the request a name."
    if name != name.strip():
        return "No spaces at the start or end."
    if len(name) > NAME_MAX:
        return f"At most {NAME_MAX} characters."
    if any(unicodedata.category(c).startswith("C") for c in name):
        return "No control characters."
    return None


@dataclass(frozen=True)
class SavedRequest:
    id: int
    profile: str
    name: str
    kind: str
    recipient: str
    """The recipient as typed (``{{variables}}`` and all); a Meta payload's ``to``."""
    message_json: str
    created_at: float
    updated_at: float

    def message(self) -> OutgoingMessage:
        """The composed message; ``ValueError`` (or ``KeyError``) for JSON this app cannot read."""
        return message_from_json(self.message_json)


class _Connected(Protocol):
    """What the mixin needs of the store it is mixed into."""

    def _locked(self) -> AbstractContextManager[sqlite3.Connection]: ...

    def _tx(self) -> AbstractContextManager[sqlite3.Connection]: ...


def _valid(name: str) -> str:
    problem = check_name(name)
    if problem:
        raise StoreError(f"the request cannot be saved as {name!r}: {problem}")
    return name


def _one(conn: sqlite3.Connection, saved_id: int) -> SavedRequest | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM saved_requests WHERE id = ?", (saved_id,)).fetchone()
    return SavedRequest(*row) if row else None


def _refuse_taken(conn: sqlite3.Connection, profile: str, name: str, *, other_than: int = -1) -> None:
    taken = conn.execute(
        "SELECT name FROM saved_requests WHERE profile = ? AND name = ? COLLATE NOCASE AND id != ?",
        (profile, name, other_than),
    ).fetchone()
    if taken:
        raise NameTaken(f"a saved request named “{taken[0]}” already exists in “{profile}”")


def _names(conn: sqlite3.Connection, profile: str) -> Iterator[str]:
    for (name,) in conn.execute("SELECT name FROM saved_requests WHERE profile = ?", (profile,)):
        yield name.casefold()


def copy_name(name: str, taken: set[str]) -> str:
    """``Name (copy)``, then ``Name (copy 2)``…: the first one not in ``taken`` (casefolded)."""
    base = _COPY_SUFFIX.sub("", name)
    number = 1
    while True:
        suffix = " (copy)" if number == 1 else f" (copy {number})"
        candidate = base[: NAME_MAX - len(suffix)] + suffix
        if candidate.casefold() not in taken:
            return candidate
        number += 1


class SavedRequestsMixin:
    """Saved requests on the store's connection: each call is one transaction."""

    def save_request(self: _Connected, profile: str, name: str, message: OutgoingMessage) -> SavedRequest:
        """Keep ``message`` as a new request called ``name``; ``NameTaken`` if the name is used."""
        name = _valid(name)
        now = time.time()
        with self._tx() as conn:
            _refuse_taken(conn, profile, name)
            cur = conn.execute(
                "INSERT INTO saved_requests(profile, name, kind, recipient, message_json, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (profile, name, message.kind, message.to, message_to_json(message), now, now),
            )
            assert cur.lastrowid is not None
            saved = _one(conn, cur.lastrowid)
        assert saved is not None
        return saved

    def update_request(self: _Connected, saved_id: int, message: OutgoingMessage) -> SavedRequest | None:
        """Replace the message kept under ``saved_id`` (its name stays); None when it is gone."""
        with self._tx() as conn:
            conn.execute(
                "UPDATE saved_requests SET kind = ?, recipient = ?, message_json = ?, updated_at = ?"
                " WHERE id = ?",
                (message.kind, message.to, message_to_json(message), time.time(), saved_id),
            )
            return _one(conn, saved_id)

    def rename_request(self: _Connected, saved_id: int, name: str) -> SavedRequest | None:
        """Give the request a new name (``NameTaken`` if another has it); None when it is gone."""
        name = _valid(name)
        with self._tx() as conn:
            current = _one(conn, saved_id)
            if current is None:
                return None
            _refuse_taken(conn, current.profile, name, other_than=saved_id)
            conn.execute(
                "UPDATE saved_requests SET name = ?, updated_at = ? WHERE id = ?",
                (name, time.time(), saved_id),
            )
            return _one(conn, saved_id)

    def duplicate_request(self: _Connected, saved_id: int) -> SavedRequest | None:
        """A copy named ``… (copy)`` (or ``(copy 2)``…) in the same profile; None when it is gone."""
        now = time.time()
        with self._tx() as conn:
            current = _one(conn, saved_id)
            if current is None:
                return None
            name = copy_name(current.name, set(_names(conn, current.profile)))
            cur = conn.execute(
                "INSERT INTO saved_requests(profile, name, kind, recipient, message_json, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (current.profile, name, current.kind, current.recipient, current.message_json, now, now),
            )
            assert cur.lastrowid is not None
            return _one(conn, cur.lastrowid)

    def delete_request(self: _Connected, saved_id: int) -> bool:
        """Forget the request; False when it was already gone."""
        with self._tx() as conn:
            return conn.execute("DELETE FROM saved_requests WHERE id = ?", (saved_id,)).rowcount > 0

    def saved_request(self: _Connected, saved_id: int) -> SavedRequest | None:
        with self._locked() as conn:
            return _one(conn, saved_id)

    def saved_requests(self: _Connected, profile: str) -> list[SavedRequest]:
        """The profile's requests, by name (ignoring case)."""
        with self._locked() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM saved_requests WHERE profile = ? ORDER BY name COLLATE NOCASE, id",
                (profile,),
            ).fetchall()
        return [SavedRequest(*row) for row in rows]

    def move_requests(self: _Connected, old_profile: str, new_profile: str) -> int:
        """A renamed profile keeps its requests; returns how many moved.

        Where the new profile already has a request of the same name, the moved one is saved
        as a copy (``… (copy)``) rather than lost.
        """
        if old_profile == new_profile:
            return 0
        with self._tx() as conn:
            rows = conn.execute(
                "SELECT id, name FROM saved_requests WHERE profile = ? ORDER BY id", (old_profile,)
            ).fetchall()
            taken = set(_names(conn, new_profile))
            for saved_id, name in rows:
                if name.casefold() in taken:
                    name = copy_name(name, taken)
                taken.add(name.casefold())
                conn.execute(
                    "UPDATE saved_requests SET profile = ?, name = ? WHERE id = ?",
                    (new_profile, name, saved_id),
                )
            return len(rows)
