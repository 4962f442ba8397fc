"""The message log: every send, its request and reply (redacted), and its status events.

- :mod:`~whats91_desktop.core.store.entries`: what the log hands out (``LogEntry``, ``StoreError``);
- :mod:`~whats91_desktop.core.store.schema`: tables, full-text index and migrations v1 to v10;
- :mod:`~whats91_desktop.core.store.connection`: opening the file; moving a damaged one aside;
- :mod:`~whats91_desktop.core.store.completion`: what a send's result writes to its row;
- :mod:`~whats91_desktop.core.store.journal`: results the log could not take yet, kept until it can;
- :mod:`~whats91_desktop.core.store.search`: ``LogQuery`` and the SQL planned for it;
- :mod:`~whats91_desktop.core.store.process`: whether a send's process still runs;
- :mod:`~whats91_desktop.core.store.export`: CSV and JSON files;
- :mod:`~whats91_desktop.core.store.saved`: saved requests (``SavedRequest``), per profile;
- :mod:`~whats91_desktop.core.store.webhook_log`: what webhook deliveries change (statuses by
  message id, inbound messages per contact, one receipt per delivery);
- :mod:`~whats91_desktop.core.store.conversation_cache`: the Conversations pane's offline copy of
  the inbox and threads last read;
- :mod:`~whats91_desktop.core.store.sqlite_store`: ``MessageStore``, the log on one connection;
- :mod:`~whats91_desktop.core.store.async_store`: ``AsyncMessageStore``, the same calls awaited
  on one worker thread.
"""

from whats91_desktop.core.store.async_store import AsyncMessageStore
from whats91_desktop.core.store.entries import (
    INTERRUPTED_MESSAGE,
    LogEntry,
    QueryCancelled,
    SendingRow,
    StoreError,
)
from whats91_desktop.core.store.export import EXPORT_COLUMNS
from whats91_desktop.core.store.saved import NameTaken, SavedRequest
from whats91_desktop.core.store.schema import MIGRATIONS, SCHEMA_VERSION, migrate
from whats91_desktop.core.store.search import LogQuery, search_terms
from whats91_desktop.core.store.sqlite_store import MessageStore

__all__ = [
    "EXPORT_COLUMNS",
    "INTERRUPTED_MESSAGE",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "AsyncMessageStore",
    "LogEntry",
    "LogQuery",
    "MessageStore",
    "NameTaken",
    "QueryCancelled",
    "SavedRequest",
    "SendingRow",
    "StoreError",
    "migrate",
    "search_terms",
]
