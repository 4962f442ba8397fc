"""The Bulk room: one message to a list of recipients, checked first, sent by the bulk engine
(:mod:`whats91_desktop.services.bulk`), followed live, and kept as a job to reopen."""
