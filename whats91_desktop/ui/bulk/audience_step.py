"""Step 1 of a bulk send: who gets the message — a CSV file, a pasted list or a contact book.

Each source reads in the background (the file on the engine's thread, the books over the
network) and reports its problem next to its own field: a CSV that is not UTF-8 names the line
and offers "Read as Windows-1252"; a number-scoped token that may not list contact books is
told plainly that it needs a global token. What the user typed or picked stays as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import qasync
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from whats91_desktop.core.bulk.audience import AudienceError
from whats91_desktop.core.bulk.contact_books import ContactBook
from whats91_desktop.core.bulk.models import Audience
from whats91_desktop.core.errors import ForbiddenError, Whats91Error
from whats91_desktop.core.models import Profile
from whats91_desktop.services.bulk.service import BulkService
from whats91_desktop.ui.bulk.widgets import button, named, problem_label, show_problem
from whats91_desktop.ui.i18n import tr

SCOPE_TEXT = (
    "Contact books belong to the whole account, so Whats91 lists them only for a global token. "
    "This profile's token is limited to one number: add a profile with a global token (Whats91 "
    "console → API tokens) to use contact books, or export the book as CSV."
)


class AudienceStep(QWidget):
    loaded = Signal(object)
    """An :class:`Audience` was read (from any source)."""

    def __init__(
        self, bulk: BulkService, current_profile: Callable[[], Profile | None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("bulkAudienceStep")
        self.bulk = bulk
        self._profile = current_profile
        self.books: list[ContactBook] = []
        self.tabs = named(QTabWidget(self), "bulkAudienceTabs", tr("Audience source"))
        self.tabs.addTab(self._build_csv(), tr("CSV file"))
        self.tabs.addTab(self._build_paste(), tr("Pasted numbers"))
        self.tabs.addTab(self._build_books(), tr("Contact book"))
        self.tabs.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.summary_label = QLabel(tr("No audience yet."), self)
        self.summary_label.setObjectName("bulkAudienceSummary")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        layout.addWidget(self.summary_label)

    # ------------------------------------------------------------------ building

    def _build_csv(self) -> QWidget:
        page = QWidget(self)
        self.file_edit = named(QLineEdit(page), "bulkCsvEdit", tr("CSV file"))
        self.file_edit.setPlaceholderText(tr("customers.csv — UTF-8, comma, semicolon or tab separated"))
        self.file_edit.returnPressed.connect(lambda: self._on_load_csv_clicked())
        self.browse_button = button(page, tr("Browse…"), "bulkCsvBrowseButton", self._on_browse_clicked)
        self.load_csv_button = button(page, tr("Load"), "bulkCsvLoadButton", self._on_load_csv_clicked)
        self.csv_error = problem_label(page, "bulkCsvError")
        self.cp1252_button = button(
            page,
            tr("Read as Windows-1252"),
            "bulkCsvCp1252Button",
            lambda: self._on_load_csv_clicked("cp1252"),
        )
        self.cp1252_button.hide()
        row = QHBoxLayout()
        row.addWidget(self.file_edit, 1)
        row.addWidget(self.browse_button)
        row.addWidget(self.load_csv_button)
        problem_row = QHBoxLayout()
        problem_row.addWidget(self.csv_error, 1)
        problem_row.addWidget(self.cp1252_button)
        layout = QVBoxLayout(page)
        layout.addLayout(row)
        layout.addLayout(problem_row)
        layout.addStretch(1)
        return page

    def _build_paste(self) -> QWidget:
        page = QWidget(self)
        self.paste_edit = named(QPlainTextEdit(page), "bulkPasteEdit", tr("Pasted numbers"))
        self.paste_edit.setPlaceholderText(
            tr("One number per line (or separated by commas), e.g. +91 98765 43210")
        )
        self.paste_edit.setMaximumHeight(90)
        self.use_paste_button = button(
            page, tr("Use these numbers"), "bulkPasteUseButton", self._on_use_paste_clicked
        )
        self.paste_error = problem_label(page, "bulkPasteError")
        layout = QVBoxLayout(page)
        layout.addWidget(self.paste_edit)
        row = QHBoxLayout()
        row.addWidget(self.paste_error, 1)
        row.addWidget(self.use_paste_button)
        layout.addLayout(row)
        return page

    def _build_books(self) -> QWidget:
        page = QWidget(self)
        self.books_button = button(
            page, tr("List contact books"), "bulkBooksListButton", self._on_list_books_clicked
        )
        self.books_combo = named(QComboBox(page), "bulkBooksCombo", tr("Contact book"))
        self.books_combo.setMinimumContentsLength(24)
        self.books_combo.setEnabled(False)
        self.use_book_button = button(
            page, tr("Use this book"), "bulkBookUseButton", self._on_use_book_clicked
        )
        self.use_book_button.setEnabled(False)
        self.books_error = problem_label(page, "bulkBooksError")
        row = QHBoxLayout()
        row.addWidget(self.books_button)
        row.addWidget(self.books_combo, 1)
        row.addWidget(self.use_book_button)
        layout = QVBoxLayout(page)
        layout.addLayout(row)
        layout.addWidget(self.books_error)
        layout.addStretch(1)
        return page

    # ------------------------------------------------------------------ CSV

    def _on_browse_clicked(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            tr("Choose the recipients' CSV file"),
            self.file_edit.text(),
            "CSV files (*.csv *.txt);;All files (*)",
        )
        if path:
            self.file_edit.setText(path)
            self._on_load_csv_clicked()

    @qasync.asyncSlot()
    async def _on_load_csv_clicked(self, encoding: str = "utf-8") -> None:
        text = self.file_edit.text().strip()
        path = _expanded(text)
        if not text:
            show_problem(self.csv_error, tr("Choose a CSV file first."))
            return
        self._set_csv_busy(True)
        try:
            audience = await self.bulk.load_csv(path, encoding=encoding)
        except AudienceError as err:
            show_problem(self.csv_error, str(err))
            self.cp1252_button.setVisible(err.fallback_encoding == "cp1252")
            return
        except OSError as err:
            show_problem(
                self.csv_error,
                tr("%1 cannot be read: %2.").replace("%1", str(text)).replace("%2", str(err.strerror or err)),
            )
            return
        finally:
            self._set_csv_busy(False)
        show_problem(self.csv_error, "")
        self.cp1252_button.hide()
        self._use(audience)

    def _set_csv_busy(self, busy: bool) -> None:
        for widget in (self.load_csv_button, self.browse_button, self.cp1252_button):
            widget.setEnabled(not busy)

    # ------------------------------------------------------------------ pasted

    def _on_use_paste_clicked(self) -> None:
        try:
            audience = self.bulk.load_pasted(self.paste_edit.toPlainText())
        except AudienceError as err:
            show_problem(self.paste_error, str(err))
            return
        if not audience.rows:
            show_problem(self.paste_error, tr("Paste at least one number."))
            return
        show_problem(self.paste_error, "")
        self._use(audience)

    # ------------------------------------------------------------------ contact books

    @qasync.asyncSlot()
    async def _on_list_books_clicked(self) -> None:
        profile = self._profile()
        if profile is None:
            return
        self.books_button.setEnabled(False)
        try:
            books = await self.bulk.contact_books(profile)
        except ForbiddenError as err:
            show_problem(self.books_error, _scope_text(err))
            return
        except Whats91Error as err:
            show_problem(
                self.books_error, tr("The contact books could not be listed: %1").replace("%1", str(err))
            )
            return
        finally:
            self.books_button.setEnabled(True)
        self.books = books
        self.books_combo.clear()
        for book in books:
            self.books_combo.addItem(f"{book.name} ({book.contact_count} contacts)")
        self.books_combo.setEnabled(bool(books))
        self.use_book_button.setEnabled(bool(books))
        show_problem(self.books_error, "" if books else tr("This account has no active contact book."))

    @qasync.asyncSlot()
    async def _on_use_book_clicked(self) -> None:
        profile = self._profile()
        row = self.books_combo.currentIndex()
        if profile is None or not 0 <= row < len(self.books):
            return
        self.use_book_button.setEnabled(False)
        try:
            audience = await self.bulk.load_contact_book(profile, self.books[row])
        except ForbiddenError as err:
            show_problem(self.books_error, _scope_text(err))
            return
        except Whats91Error as err:
            show_problem(self.books_error, tr("The contacts could not be read: %1").replace("%1", str(err)))
            return
        finally:
            self.use_book_button.setEnabled(True)
        show_problem(self.books_error, "")
        self._use(audience)

    # ------------------------------------------------------------------ result

    def _use(self, audience: Audience) -> None:
        columns = ", ".join(audience.columns)
        self.summary_label.setText(
            tr("%1 rows from %2 · columns: %3")
            .replace("%1", str(len(audience.rows)))
            .replace("%2", str(audience.source))
            .replace("%3", str(columns))
        )
        self.loaded.emit(audience)


def _scope_text(err: ForbiddenError) -> str:
    """The engine's text already says it plainly for TOKEN_SCOPE_NOT_ALLOWED; add the way out."""
    if err.code == "TOKEN_SCOPE_NOT_ALLOWED":
        return SCOPE_TEXT
    return f"Whats91 refused to list contact books: {err}"


def _expanded(text: str) -> Path:
    """``~/customers.csv`` as typed in a shell (no file system access)."""
    return Path(text).expanduser()
