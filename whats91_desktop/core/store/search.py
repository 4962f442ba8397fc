"""Filtering and searching the log: :class:`LogQuery`, and the SQL planned for it.

A text search goes through the FTS5 index (see :mod:`whats91_desktop.core.store.schema`).
With the trigram tokenizer only fragments of three or more characters can use it; shorter ones
fall back to ``LIKE`` over the same columns.

"Newest first" means most recently logged: pages are ordered by row id, which grows with
every insert. That lets one page of a search, a status filter or a date range stop after
``limit`` rows instead of sorting every match (a million-row log stays interactive), and it
keeps the order stable if the system clock jumps back.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class LogQuery:
    """A filter over the log: all given parts must match.

    ``text``: every whitespace-separated fragment must occur in the recipient, preview,
    message id, request id or error (case-insensitive; a phone-number-like input is reduced
    to its digits). ``statuses``: the row's ``display_status`` is one of them.
    ``date_from <= created_at < date_to`` (epoch seconds). ``profile``: exact name.
    A ``job:<id>`` fragment of ``text`` keeps only that bulk job's rows (schema v10).
    """

    text: str = ""
    statuses: frozenset[str] = field(default_factory=frozenset)
    date_from: float | None = None
    date_to: float | None = None
    profile: str | None = None

    @property
    def is_empty(self) -> bool:
        return self == LogQuery()


JOB_TOKEN = "job:"
_PHONE_LIKE = re.compile(r"[\d\s+().\-]+")


def search_terms(text: str) -> list[str]:
    """Split user input into search fragments; a phone-number-like input becomes its digits."""
    text = text.strip()
    if not text:
        return []
    if _PHONE_LIKE.fullmatch(text) and sum(c.isdigit() for c in text) >= 3:
        return ["".join(c for c in text if c.isdigit())]
    return text.split()


def _is_job(term: str) -> bool:
    return term.startswith(JOB_TOKEN) and term != JOB_TOKEN


def _fts_phrase(term: str) -> str:
    """One FTS5 phrase, so the fragment's punctuation (``-``, ``:``, quotes) is text, not syntax."""
    return '"' + term.replace('"', '""') + '"'


def _like_pattern(term: str) -> str:
    """``%term%`` with LIKE's own wildcards escaped, so ``50%`` or ``a_b`` match literally."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True)
class Plan:
    """SQL pieces for one ``LogQuery``.

    Results are ordered by row id, newest first: ids grow with each insert, so this is the
    order rows were logged in, and it lets SQLite walk the FTS index, the status and profile
    indexes or the table itself in order and stop after one page.
    """

    source: str  # FROM clause
    order: str  # the id column to order and bound on
    clauses: tuple[str, ...]
    params: tuple[Any, ...]
    match: str | None  # the FTS expression, when the text search uses the index
    only_match: bool  # nothing but the FTS expression filters

    def where(self, *extra: str) -> str:
        clauses = (*self.clauses, *extra)
        return (" WHERE " + " AND ".join(clauses)) if clauses else ""


_SHORT_TERM_COLUMNS = (
    "m.recipient",
    "coalesce(m.body, m.preview)",
    "m.message_id",
    "m.request_id",
    "m.error_code",
    "m.error_message",
)


def plan_query(query: LogQuery, *, trigram: bool, id_bounds: tuple[int, int] | None = None) -> Plan:
    """Build the query. ``id_bounds`` (min and max id of the rows in the date range) lets a
    page walk ids instead of sorting the whole range; the date test itself stays exact."""
    clauses: list[str] = []
    params: list[Any] = []
    terms = search_terms(query.text)
    jobs = [t.removeprefix(JOB_TOKEN) for t in terms if _is_job(t)]
    terms = [t for t in terms if not _is_job(t)]
    min_len = 3 if trigram else 1
    long_terms = [t for t in terms if len(t) >= min_len]
    short_terms = [t for t in terms if len(t) < min_len]
    match: str | None = None
    if long_terms:
        suffix = "" if trigram else "*"
        match = " AND ".join(_fts_phrase(t) + suffix for t in long_terms)
        # CROSS JOIN keeps the FTS index as the outer loop: testing MATCH row by row is far slower.
        source, order = "messages_fts f CROSS JOIN messages m ON m.id = f.rowid", "f.rowid"
        clauses.append("messages_fts MATCH ?")
        params.append(match)
    else:
        source, order = "messages m", "m.id"
    for term in short_terms:
        clauses.append("(" + " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in _SHORT_TERM_COLUMNS) + ")")
        params.extend([_like_pattern(term)] * len(_SHORT_TERM_COLUMNS))
    if query.statuses:
        marks = ", ".join("?" for _ in query.statuses)
        clauses.append(f"coalesce(m.status, m.state) IN ({marks})")
        params.extend(sorted(query.statuses))
    if id_bounds is not None:
        clauses.append(f"{order} BETWEEN ? AND ?")
        params.extend(id_bounds)
    created = "+m.created_at" if id_bounds is not None else "m.created_at"  # "+": use the id range
    if query.date_from is not None:
        clauses.append(f"{created} >= ?")
        params.append(query.date_from)
    if query.date_to is not None:
        clauses.append(f"{created} < ?")
        params.append(query.date_to)
    for job in jobs:
        clauses.append("m.job_id = ?")
        params.append(job)
    if query.profile is not None:
        clauses.append("m.profile = ?")
        params.append(query.profile)
    only_match = match is not None and len(clauses) == 1
    return Plan(source, order, tuple(clauses), tuple(params), match, only_match)


def plan_page(conn: sqlite3.Connection, query: LogQuery, *, trigram: bool) -> Plan | None:
    """The plan for listing rows; None when the date range holds no rows at all."""
    bounds: tuple[int, int] | None = None
    if query.date_from is not None or query.date_to is not None:
        clauses, params = [], []
        if query.date_from is not None:
            clauses.append("created_at >= ?")
            params.append(query.date_from)
        if query.date_to is not None:
            clauses.append("created_at < ?")
            params.append(query.date_to)
        lo, hi = conn.execute(
            f"SELECT min(id), max(id) FROM messages WHERE {' AND '.join(clauses)}", params
        ).fetchone()
        if lo is None:
            return None
        bounds = (lo, hi)
    return plan_query(query, trigram=trigram, id_bounds=bounds)
