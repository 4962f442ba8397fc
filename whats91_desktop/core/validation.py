"""Pure checks of an outgoing message against the documented limits, before any I/O.

Whats91 documents few limits and no error codes for breaking them (see the API reference), and
Meta rejects a bad message only after Whats91 has logged and possibly billed it. So we check
everything we know locally and report *every* problem at once, each with the field path the UI
highlights (``buttons[1].title``) and a sentence that names the limit. Limits Whats91 does not
state are Meta's, as the reference notes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, assert_never
from urllib.parse import urlsplit

from whats91_desktop.core.errors import ValidationError
from whats91_desktop.core.meta_schema import infer_message_type, validate_meta_payload
from whats91_desktop.core.models import (
    ButtonsMessage,
    ListMessage,
    MediaMessage,
    MediaType,
    MetaMessage,
    OutgoingMessage,
    Problem,
    TemplateInfo,
    TemplateMessage,
    TextMessage,
)
from whats91_desktop.core.phone import InvalidNumber, normalize_number

__all__ = [
    "ALLOWED_UPLOAD_EXTENSIONS",
    "MEDIA_EXTENSIONS",
    "Checked",
    "UnusableUpload",
    "check_message",
    "check_template_against",
    "is_blank",
    "open_upload",
]

# Lengths are counted in Unicode code points (Python's ``len``), as Meta's limits say
# "characters": 😀 counts 1 (2 UTF-16 units), a flag 2, a ZWJ family emoji each of its parts.
TEXT_MAX = 4096  # Meta's limit; Whats91 states none
INTERACTIVE_BODY_MAX = 1024  # body of a quick-reply buttons message (Meta's interactive body.text)
LIST_BODY_MAX = TEXT_MAX  # body of a /chat list message
BUTTONS_MAX = 3
BUTTON_TITLE_MAX = 20
BUTTON_ID_MAX = 256
LIST_ROWS_MAX = 10  # in total, across all sections
ROW_TITLE_MAX = 24
ROW_DESCRIPTION_MAX = 72
ROW_ID_MAX = 200
LIST_BUTTON_TEXT_MAX = 20
SECTION_TITLE_MAX = 24
SECTIONS_MAX = 10
HEADER_TEXT_MAX = 60
FOOTER_TEXT_MAX = 60
CAPTION_MAX = 1024
TEMPLATE_NAME_MAX = 512
TEMPLATE_PARAMETER_MAX = 1024
TEMPLATE_PARAMETERS_MAX = 100  # body variables; no template has anywhere near this many
TEMPLATE_BUTTON_PARAMETERS_MAX = 10  # a template has at most 10 buttons
UPLOAD_MAX_BYTES = 16 * 1024 * 1024

_IMAGE = frozenset({"jpg", "jpeg", "png", "gif"})
_VIDEO = frozenset({"mp4", "3gp", "3gpp"})
_AUDIO = frozenset({"mp3"})
# The documented upload whitelist (chat-media page); also applied to /send uploads.
ALLOWED_UPLOAD_EXTENSIONS: frozenset[str] = (
    frozenset({"pdf", "txt", "doc", "docx", "xls", "xlsx", "csv"}) | _IMAGE | _VIDEO | _AUDIO
)
# Which of those each media type can carry, so a .pdf sent as "image" is caught. A document may
# be any allowed file (WhatsApp delivers documents as opaque files).
MEDIA_EXTENSIONS: Mapping[MediaType, frozenset[str]] = {
    "image": _IMAGE,
    "video": _VIDEO,
    "audio": _AUDIO,
    "document": ALLOWED_UPLOAD_EXTENSIONS,
}
_HEADER_MEDIA: Mapping[str, MediaType] = {"IMAGE": "image", "VIDEO": "video", "DOCUMENT": "document"}

# Meta template names: lowercase letters, digits and underscores.
TEMPLATE_NAME_PATTERN = re.compile(r"^[a-z0-9_]+$")
# Meta error 132018: template variables cannot hold new lines, tabs or more than 4 spaces in a row.
_BAD_TEMPLATE_WHITESPACE = re.compile(r"[\n\r\t]| {5,}")
# Letters that draw nothing (Hangul and halfwidth fillers, the blank Braille pattern): with the
# white space and the format characters (zero-width space and joiners, BOM, bidi marks), text
# made only of these looks empty to the recipient, and WhatsApp treats it so.
_INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def is_blank(text: str | None) -> bool:
    """Whether ``text`` shows nothing: only white space, format characters or fillers."""
    return text is None or all(
        ch.isspace() or ch in _INVISIBLE or unicodedata.category(ch) == "Cf" for ch in text
    )


class UnusableUpload(Exception):
    """A file that cannot be uploaded; ``str()`` is the reason, a sentence for the user."""


@contextlib.contextmanager
def open_upload(path: Path, *, limit: int = UPLOAD_MAX_BYTES) -> Iterator[IO[bytes]]:
    """``path`` open for reading as an upload, after the checks that validate and send share:
    it exists, opens for us, is a regular file (never a FIFO or a device, which would block a
    read), and is neither empty nor over ``limit``. Raises :class:`UnusableUpload`.

    One function, so that ``validate`` never calls valid a file that ``send`` would refuse.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise UnusableUpload(f"File not found: {path}") from None
    except IsADirectoryError:
        raise UnusableUpload(f"Not a file: {path}") from None
    except OSError as err:
        raise UnusableUpload(f"Cannot read the file: {err.strerror or type(err).__name__}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnusableUpload(f"Not a file: {path}")
        if info.st_size > limit:
            raise UnusableUpload(_too_large(info.st_size, limit))
        if info.st_size == 0:
            raise UnusableUpload("The file is empty.")
        file = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with file:
        yield file


def _too_large(size: int, limit: int) -> str:
    mb = 1024 * 1024
    return f"The file is {size / mb:.1f} MB; the limit is {limit / mb:g} MB."


@dataclass(frozen=True)
class Checked:
    """A message with its numbers normalised to digits, and everything wrong with it."""

    message: OutgoingMessage
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def raise_for_problems(self) -> OutgoingMessage:
        """The normalised message, or :class:`ValidationError` carrying every problem."""
        if self.problems:
            raise ValidationError(self.problems)
        return self.message


class _Problems(list[Problem]):
    def add(self, field: str, message: str) -> None:
        self.append(Problem(field, message))

    def text(self, field: str, label: str, value: str | None, limit: int, *, required: bool = False) -> None:
        """Required (not blank: see :func:`is_blank`) when asked, and at most ``limit`` characters."""
        if value is None or is_blank(value):
            if required:
                self.add(field, f"Enter the {label[0].lower() + label[1:]}.")
            return
        if len(value) > limit:
            self.add(field, f"{label} is {len(value)} characters; the limit is {limit}.")


def check_message(
    message: OutgoingMessage, *, default_region: str = "IN", check_files: bool = True
) -> Checked:
    """Every problem of ``message``, and the message with ``to``/``sender_id`` as digits.

    ``check_files=False`` skips what needs the file system (existence, size), for checks run
    while the user is still typing; extensions are checked either way.
    """
    problems = _Problems()
    changes: dict[str, Any] = {}

    if isinstance(message, MetaMessage):
        payload = _check_meta(message, problems, default_region)
        if payload is not message.payload:
            changes["payload"] = payload
        if message.phone_number_id is not None and not message.phone_number_id.strip().isdigit():
            problems.add("phone_number_id", "A phone number ID is digits only.")
    else:
        to = _number(message.to, "to", problems, default_region)
        if to is not None and to != message.to:
            changes["to"] = to

    if message.sender_id is not None:
        if not message.sender_id.strip():
            changes["sender_id"] = None  # blank means "the token's default sender"
        else:
            sender = _number(message.sender_id, "sender", problems, default_region)
            if sender is not None and sender != message.sender_id:
                changes["sender_id"] = sender

    match message:
        case TextMessage():
            problems.text("text", "Message text", message.text, TEXT_MAX, required=True)
        case ButtonsMessage():
            _check_buttons(message, problems)
        case ListMessage():
            _check_list(message, problems)
        case MediaMessage():
            _check_media(message, problems, check_files)
        case TemplateMessage():
            _check_template(message, problems, check_files)
        case MetaMessage():
            pass  # its payload was checked above, before the sender, as its recipient lives there
        case _:
            assert_never(message)

    taken = {p.field for p in problems}
    problems.extend(p for p in _not_valid_text(message) if p.field not in taken)
    checked = dataclasses.replace(message, **changes) if changes else message
    return Checked(checked, tuple(problems))


def check_template_against(info: TemplateInfo, message: TemplateMessage) -> list[Problem]:
    """Problems only visible once the template is known: variable counts and header media."""
    problems = _Problems()
    name = info.name or message.template_name
    expected = info.body_variable_count
    if len(message.parameters) != expected:
        problems.add(
            "parameters",
            f"Template '{name}' has {_count(expected, 'body variable')}; {_given(len(message.parameters))}.",
        )
    expected = info.button_variable_count
    if len(message.button_parameters) != expected:
        problems.add(
            "button_parameters",
            f"Template '{name}' has {_count(expected, 'button variable')}; "
            f"{_given(len(message.button_parameters))}.",
        )
    header = (info.header_type or "").upper()
    if info.needs_media:
        if not message.media_url and message.media_file is None:
            problems.add(
                "media",
                f"Template '{name}' needs a media header ({header.lower()}): give a media URL or a file.",
            )
        if message.media_file is not None:
            media_type = _HEADER_MEDIA[header]
            ext = _extension(message.media_file)
            if ext in ALLOWED_UPLOAD_EXTENSIONS and ext not in MEDIA_EXTENSIONS[media_type]:
                use = _options(MEDIA_EXTENSIONS[media_type])
                problems.add("media.file", f"A .{ext} file cannot be the {media_type} header; use {use}.")
    return list(problems)


# --------------------------------------------------------------------------- pieces


_FIELD_OF_ATTRIBUTE = {
    "sender_id": "sender",
    "url": "media.url",
    "media_url": "media.url",
    "media_id": "media",
}
_NOT_TEXT = "Contains characters that are not valid text; retype it."
_NUL = "Contains a NUL character (\\0), which WhatsApp cannot carry; remove it."


def _not_valid_text(message: OutgoingMessage) -> list[Problem]:
    """Strings with no UTF-8 form anywhere in the message (lone surrogates, which Python makes
    from undecodable command-line bytes and Qt can hold), or with a NUL: neither can be sent.
    (Iterative: a Meta payload may be nested deeper than Python's recursion limit.)"""
    found: list[Problem] = []
    pending: list[tuple[Any, str]] = [(message, "")]
    while pending:
        value, path = pending.pop()
        if isinstance(value, str):
            if not _is_utf8(value):
                found.append(Problem(path, _NOT_TEXT))
            elif "\x00" in value:
                found.append(Problem(path, _NUL))
        elif isinstance(value, Mapping):
            for key, item in value.items():
                if _is_utf8(str(key)):
                    pending.append((item, f"{path}.{key}"))
                else:
                    found.append(Problem(path, f"A key {_NOT_TEXT[0].lower()}{_NOT_TEXT[1:]}"))
        elif isinstance(value, list | tuple):
            pending.extend((item, f"{path}[{index}]") for index, item in enumerate(value))
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            for item in dataclasses.fields(value):
                if item.init:
                    name = item.name if path else _FIELD_OF_ATTRIBUTE.get(item.name, item.name)
                    pending.append((getattr(value, item.name), f"{path}.{name}" if path else name))
    return sorted(found, key=lambda p: p.field)


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _given(n: int) -> str:
    return "none given" if n == 0 else f"{n} given"


def _options(extensions: Iterable[str]) -> str:
    items = sorted(extensions)
    return ", ".join(items[:-1]) + " or " + items[-1] if len(items) > 1 else "".join(items)


def _number(raw: str, field: str, problems: _Problems, region: str) -> str | None:
    """Digits of ``raw``, or None after recording why it is not a number."""
    if not raw or not raw.strip():
        problems.add(field, "Enter the recipient's phone number.")
        return None
    try:
        return normalize_number(raw, region).digits
    except InvalidNumber as err:
        problems.add(field, str(err))
        return None


def _check_buttons(message: ButtonsMessage, problems: _Problems) -> None:
    problems.text("text", "Body text", message.text, INTERACTIVE_BODY_MAX, required=True)
    if not message.buttons:
        problems.add("buttons", "Add at least one button.")
    elif len(message.buttons) > BUTTONS_MAX:
        problems.add("buttons", f"{len(message.buttons)} buttons; the limit is {BUTTONS_MAX}.")
    for index, button in enumerate(message.buttons):
        problems.text(f"buttons[{index}].id", "Button ID", button.id, BUTTON_ID_MAX, required=True)
        problems.text(
            f"buttons[{index}].title", "Button title", button.title, BUTTON_TITLE_MAX, required=True
        )
    _duplicates(problems, "Button ID", [(f"buttons[{i}].id", b.id) for i, b in enumerate(message.buttons)])
    _duplicates(
        problems, "Button title", [(f"buttons[{i}].title", b.title) for i, b in enumerate(message.buttons)]
    )


def _check_list(message: ListMessage, problems: _Problems) -> None:
    problems.text("text", "Body text", message.text, LIST_BODY_MAX, required=True)
    problems.text("button_text", "Button text", message.button_text, LIST_BUTTON_TEXT_MAX, required=True)
    problems.text("header_text", "Header", message.header_text, HEADER_TEXT_MAX)
    problems.text("footer_text", "Footer", message.footer_text, FOOTER_TEXT_MAX)
    sections = message.sections
    if not sections:
        problems.add("sections", "Add at least one section.")
    elif len(sections) > SECTIONS_MAX:
        problems.add("sections", f"{len(sections)} sections; the limit is {SECTIONS_MAX}.")
    total = sum(len(section.rows) for section in sections)
    if total > LIST_ROWS_MAX:
        problems.add("sections", f"The list has {total} rows; the limit is {LIST_ROWS_MAX} in total.")
    row_ids: list[tuple[str, str]] = []
    for s, section in enumerate(sections):
        base = f"sections[{s}]"
        if len(sections) > 1 and not section.title.strip():
            problems.add(
                f"{base}.title", "Each section needs a title when the list has more than one section."
            )
        problems.text(f"{base}.title", "Section title", section.title, SECTION_TITLE_MAX)
        if not section.rows:
            problems.add(f"{base}.rows", "Add at least one row to this section.")
        for r, row in enumerate(section.rows):
            field = f"{base}.rows[{r}]"
            problems.text(f"{field}.id", "Row ID", row.id, ROW_ID_MAX, required=True)
            problems.text(f"{field}.title", "Row title", row.title, ROW_TITLE_MAX, required=True)
            problems.text(f"{field}.description", "Row description", row.description, ROW_DESCRIPTION_MAX)
            row_ids.append((f"{field}.id", row.id))
    _duplicates(problems, "Row ID", row_ids)


def _duplicates(problems: _Problems, label: str, fields: Sequence[tuple[str, str]]) -> None:
    seen: set[str] = set()
    for field, value in fields:
        key = value.strip()
        if key and key in seen:
            problems.add(field, f"{label} '{key}' is used more than once; each must be unique.")
        seen.add(key)


def _check_media(message: MediaMessage, problems: _Problems, check_files: bool) -> None:
    url = message.url if message.url and message.url.strip() else None
    media_id = message.media_id if message.media_id and message.media_id.strip() else None
    given = [s for s in (url, media_id, message.file_path) if s is not None]
    if len(given) != 1:
        problems.add("media", "Give exactly one of: URL, media ID, file.")
    if url is not None:
        _check_url(url, "media.url", problems)
    if message.file_path is not None:
        _check_file(message.file_path, message.media_type, "media.file", problems, check_files)
    if message.caption and message.caption.strip():
        if message.media_type == "audio":
            problems.add("caption", "Audio messages cannot have a caption.")
        else:
            problems.text("caption", "Caption", message.caption, CAPTION_MAX)
    if message.filename and message.filename.strip() and message.media_type != "document":
        problems.add("filename", "Only documents have a file name.")


def _check_url(url: str, field: str, problems: _Problems) -> None:
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:
        problems.add(field, "This is not a valid URL.")
        return
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        unsupported = f"Unsupported URL scheme '{scheme}': " if scheme else ""
        problems.add(field, f"{unsupported}The media URL must start with http:// or https://.")
    elif not host:
        problems.add(field, "The media URL has no host name.")


def _extension(path: Path) -> str:
    return path.suffix.lower().lstrip(".")


def _check_file(
    path: Path, media_type: MediaType | None, field: str, problems: _Problems, check_files: bool
) -> None:
    ext = _extension(path)
    if not ext:
        problems.add(field, f"The file has no extension; allowed: {_options(ALLOWED_UPLOAD_EXTENSIONS)}.")
    elif ext not in ALLOWED_UPLOAD_EXTENSIONS:
        problems.add(
            field, f".{ext} files cannot be uploaded; allowed: {_options(ALLOWED_UPLOAD_EXTENSIONS)}."
        )
    elif media_type is not None and ext not in MEDIA_EXTENSIONS[media_type]:
        problems.add(
            field,
            f"A .{ext} file cannot be sent as {media_type}; use {_options(MEDIA_EXTENSIONS[media_type])}.",
        )
    if not check_files:
        return
    try:
        with open_upload(path):
            pass
    except UnusableUpload as err:
        problems.add(field, str(err))


def _check_template(message: TemplateMessage, problems: _Problems, check_files: bool) -> None:
    name = message.template_name.strip()
    if not name:
        problems.add("template_name", "Enter the template name.")
    elif len(name) > TEMPLATE_NAME_MAX:
        problems.add(
            "template_name", f"Template name is {len(name)} characters; the limit is {TEMPLATE_NAME_MAX}."
        )
    elif not TEMPLATE_NAME_PATTERN.match(name):
        problems.add("template_name", "Template names use only lowercase letters, digits and underscores.")
    for field, values, limit in (
        ("parameters", message.parameters, TEMPLATE_PARAMETERS_MAX),
        ("button_parameters", message.button_parameters, TEMPLATE_BUTTON_PARAMETERS_MAX),
    ):
        if len(values) > limit:
            problems.add(field, f"{len(values)} values given; no template takes more than {limit}.")
    for index, value in enumerate(message.parameters[:TEMPLATE_PARAMETERS_MAX]):
        _check_variable(problems, f"parameters[{index}]", f"Variable {{{{{index + 1}}}}}", value)
    for index, value in enumerate(message.button_parameters[:TEMPLATE_BUTTON_PARAMETERS_MAX]):
        _check_variable(problems, f"button_parameters[{index}]", f"Button variable {index + 1}", value)
    media_url = message.media_url if message.media_url and message.media_url.strip() else None
    if media_url is not None and message.media_file is not None:
        problems.add("media", "Give a media URL or a file, not both.")
    if media_url is not None:
        _check_url(media_url, "media.url", problems)
    if message.media_file is not None:
        _check_file(message.media_file, None, "media.file", problems, check_files)


def _check_variable(problems: _Problems, field: str, label: str, value: str) -> None:
    if is_blank(value):
        problems.add(field, f"{label} is empty.")
    elif len(value) > TEMPLATE_PARAMETER_MAX:
        problems.add(field, f"{label} is {len(value)} characters; the limit is {TEMPLATE_PARAMETER_MAX}.")
    elif _BAD_TEMPLATE_WHITESPACE.search(value):
        problems.add(
            field, f"{label} has a line break, a tab or more than 4 spaces in a row; WhatsApp rejects those."
        )


# --------------------------------------------------------------------------- Meta JSON


def _check_meta(message: MetaMessage, problems: _Problems, region: str) -> Mapping[str, Any]:
    """Schema problems, then our limits; returns the payload with ``to`` as digits when valid."""
    payload = message.payload
    found = validate_meta_payload(payload, default_region=region)
    problems.extend(found)
    if not isinstance(payload, Mapping):
        return payload
    taken = {p.field for p in found}
    problems.extend(p for p in _meta_limits(payload) if p.field not in taken)
    to = payload.get("to")
    if isinstance(to, str) and payload.get("recipient_type", "individual") != "group":
        try:
            digits = normalize_number(to, region).digits
        except InvalidNumber:
            return payload
        if digits != to:
            return {**payload, "to": digits}
    return payload


def _meta_limits(payload: Mapping[str, Any]) -> list[Problem]:
    """The limits the schema does not state (text length, totals, uniqueness, blanks)."""
    problems = _Problems()
    kind = infer_message_type(payload)
    obj = payload.get(kind) if kind else None
    if not isinstance(obj, Mapping):
        return []
    base = f"payload.{kind}"
    if kind == "text":
        body = obj.get("body")
        problems.text(
            f"{base}.body", "Message text", body if isinstance(body, str) else None, TEXT_MAX, required=True
        )
    elif kind in ("image", "video", "document", "audio", "sticker"):
        caption = obj.get("caption")
        if isinstance(caption, str) and caption.strip():
            if kind in ("audio", "sticker"):
                problems.add(f"{base}.caption", f"{kind.capitalize()} messages cannot have a caption.")
            else:
                problems.text(f"{base}.caption", "Caption", caption, CAPTION_MAX)
        if "filename" in obj and kind != "document":
            problems.add(f"{base}.filename", "Only documents have a file name.")
    elif kind == "interactive":
        _meta_interactive(obj, base, problems)
    elif kind == "template":
        name = obj.get("name")
        if isinstance(name, str) and not TEMPLATE_NAME_PATTERN.match(name):
            problems.add(f"{base}.name", "Template names use only lowercase letters, digits and underscores.")
    return list(problems)


def _meta_interactive(interactive: Mapping[str, Any], base: str, problems: _Problems) -> None:
    body = interactive.get("body")
    if isinstance(body, Mapping) and isinstance(body.get("text"), str) and is_blank(body["text"]):
        problems.add(f"{base}.body.text", "Enter the body text.")
    action = interactive.get("action")
    if not isinstance(action, Mapping):
        return
    buttons = action.get("buttons")
    if isinstance(buttons, list):
        ids: list[tuple[str, str]] = []
        titles: list[tuple[str, str]] = []
        for index, button in enumerate(buttons):
            reply = button.get("reply") if isinstance(button, Mapping) else None
            if not isinstance(reply, Mapping):
                continue
            field = f"{base}.action.buttons[{index}].reply"
            for key, label, bucket in (("id", "Button ID", ids), ("title", "Button title", titles)):
                value = reply.get(key)
                if isinstance(value, str):
                    if not value.strip():
                        problems.add(f"{field}.{key}", f"{label} is empty.")
                    bucket.append((f"{field}.{key}", value))
        _duplicates(problems, "Button ID", ids)
        _duplicates(problems, "Button title", titles)
    sections = action.get("sections")
    if isinstance(sections, list) and interactive.get("type") == "list":
        field = f"{base}.action.sections"
        rows = [s.get("rows") if isinstance(s, Mapping) else None for s in sections]
        total = sum(len(r) for r in rows if isinstance(r, list))
        if total > LIST_ROWS_MAX:
            problems.add(field, f"The list has {total} rows; the limit is {LIST_ROWS_MAX} in total.")
        row_ids: list[tuple[str, str]] = []
        for s, section in enumerate(sections):
            if not isinstance(section, Mapping):
                continue
            title = section.get("title")
            if len(sections) > 1 and not (isinstance(title, str) and title.strip()):
                problems.add(
                    f"{field}[{s}].title",
                    "Each section needs a title when the list has more than one section.",
                )
            section_rows = section.get("rows")
            if not isinstance(section_rows, list):
                continue
            if not section_rows:
                problems.add(f"{field}[{s}].rows", "Add at least one row to this section.")
            for r, row in enumerate(section_rows):
                if not isinstance(row, Mapping):
                    continue
                for key, label in (("id", "Row ID"), ("title", "Row title")):
                    value = row.get(key)
                    if isinstance(value, str) and not value.strip():
                        problems.add(f"{field}[{s}].rows[{r}].{key}", f"{label} is empty.")
                if isinstance(row.get("id"), str):
                    row_ids.append((f"{field}[{s}].rows[{r}].id", row["id"]))
        _duplicates(problems, "Row ID", row_ids)
