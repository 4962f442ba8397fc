"""The bulk engine's pure pieces (no I/O but the job file): see ``services/bulk`` for the engine.

- :mod:`~whats91_desktop.core.bulk.models`: jobs, rows, states, the dry-run report, progress;
- :mod:`~whats91_desktop.core.bulk.audience`: CSV files, pasted lists, contact books as audiences;
- :mod:`~whats91_desktop.core.bulk.contact_books`: contact books and the blacklist (§2.8, §2.9);
- :mod:`~whats91_desktop.core.bulk.compose`: one row's message from the spec's columns;
- :mod:`~whats91_desktop.core.bulk.dry_run`: every row checked before anything is sent;
- :mod:`~whats91_desktop.core.bulk.pacing`: the global rate, the pair gap and the job-wide holds;
- :mod:`~whats91_desktop.core.bulk.job_store`: the job file (its own SQLite schema) and its lease;
- :mod:`~whats91_desktop.core.bulk.results`: the per-row results CSV.
"""
