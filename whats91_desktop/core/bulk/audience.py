"""Reading an audience: a CSV file, a pasted list of numbers, or a Whats91 contact book.

A CSV file is read the way a spreadsheet writes it: UTF-8 with or without a byte-order mark
(UTF-16 too, when it has one), fields separated by commas, semicolons (Excel in much of Europe
and India) or tabs — whichever the header line uses — and quoted fields that hold separators,
quotes or line breaks. Any other encoding is refused with the first line that is not UTF-8, so
the user is never shown mangled names; :class:`AudienceError` then offers Windows-1252, the
usual culprit (Excel's "CSV" on Windows), which the caller passes back as ``encoding``.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from whats91_desktop.core.bulk.contact_books import Contact
from whats91_desktop.core.bulk.models import Audience, AudienceRow
from whats91_desktop.core.errors import Whats91Error

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_ROWS = 200_000
SEPARATORS = (",", ";", "\t")
FALLBACK_ENCODING = "cp1252"
PASTED_COLUMN = "phone"

_SEPARATOR_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


class AudienceError(Whats91Error):
    """The audience cannot be read. ``line`` is the file line at fault (1-based) when there
    is one; ``fallback_encoding`` is set when reading the file as that encoding may work."""

    def __init__(
        self, message: str, *, line: int | None = None, fallback_encoding: str | None = None
    ) -> None:
        super().__init__(message)
        self.line = line
        self.fallback_encoding = fallback_encoding


def read_csv(path: Path, encoding: str = "utf-8") -> Audience:
    """The audience in the CSV file at ``path``; raises :class:`AudienceError`."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise AudienceError(f"{path.name} is {size // (1024 * 1024)} MB; the limit is 64 MB.")
        data = path.read_bytes()
    except OSError as err:
        raise AudienceError(f"{path.name} could not be read: {err.strerror or err}") from err
    return parse_csv(data, encoding=encoding, source=path.name)


def parse_csv(data: bytes, *, encoding: str = "utf-8", source: str = "CSV") -> Audience:
    """The audience in CSV ``data``; see the module docstring for what is accepted."""
    text = _decode(data, encoding, source)
    if not text.strip():
        raise AudienceError(f"{source} is empty.", line=1)
    separator = detect_separator(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for record in reader:
            if any(cell.strip() for cell in record):
                records.append((start, record))
                if len(records) > MAX_ROWS + 1:
                    raise AudienceError(
                        f"{source} has more than {MAX_ROWS:,} rows; split it into smaller files."
                    )
            start = reader.line_num + 1
    except csv.Error as err:
        raise AudienceError(
            f"Line {start} of {source} is not valid CSV ({err}); check its quotes.", line=start
        ) from err
    header_line, header = records[0]
    columns = _column_names(header)
    if len(records) == 1:
        raise AudienceError(f"{source} has a header (line {header_line}) but no rows.", line=header_line)
    rows = []
    for line, record in records[1:]:
        if len(record) > len(columns) and any(cell.strip() for cell in record[len(columns) :]):
            raise AudienceError(
                f"Line {line} of {source} has {len(record)} fields but the header has {len(columns)}"
                f" ({_SEPARATOR_NAMES[separator]}-separated); quote fields that contain a"
                f" {_SEPARATOR_NAMES[separator]}.",
                line=line,
            )
        rows.append(AudienceRow(line, tuple(cell.strip() for cell in record[: len(columns)])))
    return Audience(columns, tuple(rows), source)


def detect_separator(text: str) -> str:
    """The separator the header line uses most (outside quotes); a comma when it uses none."""
    header = _first_record(text)
    counts = {sep: header.count(sep) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _first_record(text: str) -> str:
    """The header record without its quoted parts (a quoted name may hold any separator)."""
    out: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif not quoted:
            if ch in "\r\n":
                break
            out.append(ch)
    return "".join(out)


def _decode(data: bytes, encoding: str, source: str) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise AudienceError(f"{source} starts like UTF-16 but is not: {err.reason}.") from err
    wanted = codecs.lookup(encoding).name
    codec = "utf-8-sig" if wanted in ("utf-8", "utf-8-sig") else encoding
    try:
        return data.decode(codec)
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        fallback = FALLBACK_ENCODING if codec == "utf-8-sig" else None
        offer = " It may be Windows-1252 (Excel's CSV on Windows): read it as that." if fallback else ""
        raise AudienceError(
            f"Line {line} of {source} is not {_encoding_name(codec)} text"
            f" (byte 0x{data[err.start]:02x}).{offer}",
            line=line,
            fallback_encoding=fallback,
        ) from err


def _encoding_name(codec: str) -> str:
    return "UTF-8" if codec == "utf-8-sig" else codec


def _column_names(header: Sequence[str]) -> tuple[str, ...]:
    """Header cells as unique, non-empty names (``column 3``, ``name (2)``)."""
    names: list[str] = []
    for index, cell in enumerate(header):
        name = cell.strip() or f"column {index + 1}"
        base, n = name, 2
        while name in names:
            name, n = f"{base} ({n})", n + 1
        names.append(name)
    return tuple(names)


_PASTE_SPLIT = re.compile(r"[\r\n,;\t]+")


def from_pasted(text: str) -> Audience:
    """Numbers pasted one per line (or separated by commas, semicolons or tabs), in a single
    column ``phone``; ``line`` is each number's position in the list."""
    numbers = [part.strip() for part in _PASTE_SPLIT.split(text) if part.strip()]
    if not numbers:
        raise AudienceError("Paste at least one phone number.")
    rows = tuple(AudienceRow(index + 1, (number,)) for index, number in enumerate(numbers))
    return Audience((PASTED_COLUMN,), rows, "pasted list")


CONTACT_COLUMNS = ("phone", "displayName", "email", "companyName")


def from_contacts(contacts: Iterable[Contact], *, source: str) -> Audience:
    """Contacts as rows: the fixed contact fields, then one column per custom field (in the
    order they first appear). ``line`` is the contact's position in the book."""
    contacts = list(contacts)
    custom: dict[str, None] = {}
    for contact in contacts:
        custom.update((key, None) for key in contact.custom_fields if key not in CONTACT_COLUMNS)
    columns = (*CONTACT_COLUMNS, *custom)
    rows = []
    for index, contact in enumerate(contacts):
        fixed = (
            contact.phone_e164 or contact.phone,
            contact.display_name,
            contact.email,
            contact.company_name,
        )
        extra = tuple(contact.custom_fields.get(key, "") for key in custom)
        rows.append(AudienceRow(index + 1, (*(v or "" for v in fixed), *extra)))
    if not rows:
        raise AudienceError(f"The contact book {source.removeprefix('book: ')!r} has no contacts.")
    return Audience(columns, tuple(rows), source)
