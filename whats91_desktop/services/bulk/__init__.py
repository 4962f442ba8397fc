"""The bulk engine (no Qt): :class:`~whats91_desktop.services.bulk.service.BulkService` is the
one entry point for the Bulk pane and ``whats91-desktop bulk``.

- ``service.py``: the front door (audience, dry run, plan, start, jobs, roll-up, export);
- ``runner.py``: one job's run: claims, pacing, sends through the outbox, pause/resume/cancel;
- ``recovery.py``: rows a dead run left behind, reconciled through the reports before any send;
- ``audience_reader.py``: contact books and the blacklist read page by page;
- ``job_files.py``: the job file's calls, awaited on its worker thread;
- ``client.py``: what the engine needs of ``Whats91Client``.
"""
