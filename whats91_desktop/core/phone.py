"""Phone-number normalisation: whatever the user typed -> the digits Whats91 expects.

Whats91 wants international digits without ``+`` (``918888888888``). People paste numbers in
every shape (``+91 88888-88888``, ``0091…``, ``(+91) …``, a bare national number), so we parse
with ``phonenumbers`` and refuse early, with a reason a person understands, anything WhatsApp
would refuse later.

Reasons name the country in English (``India (+91)``). The names come from a small table,
``core/data/country_names.json``, which ``scripts/gen_country_names.py`` copies from phonenumbers'
geocoder: importing the geocoder itself would load all of its prefix tables (~0.4 s, ~100 MiB).
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

import phonenumbers
from phonenumbers import (
    NumberParseException,
    PhoneMetadata,
    PhoneNumber,
    PhoneNumberFormat,
    ValidationResult,
)

__all__ = ["InvalidNumber", "NormalizedNumber", "country_name", "format_number", "normalize_number"]

# Spaces, dashes, dots, slashes and brackets are formatting, and so are invisible format
# characters (bidi marks that WhatsApp and browsers wrap copied numbers in, zero-width spaces);
# anything else that is not a digit or a leading "+" is a typo we should point out rather than
# guess around.
_FORMATTING = re.compile(r"[\s\-./()\[\]\u00a0\u2010-\u2015]")
_MINUS_SIGNS = frozenset("-\u2212\u2010\u2011\u2012\u2013\u2014\u2015\ufe63\uff0d")
_INTERNATIONAL_PREFIXES = ("011", "00")  # NANP and most of the world; "+" is handled by phonenumbers
_E164_MAX_DIGITS = 15


@dataclass(frozen=True)
class NormalizedNumber:
    digits: str  # "918888888888": what the API takes
    e164: str  # "+918888888888"
    formatted: str  # "+91 88888 88888", for display
    region: str | None  # "IN"; None for non-geographic numbers (+800 …)


class InvalidNumber(ValueError):
    """The number cannot be a WhatsApp recipient; ``str()`` is a reason to show the user."""


def normalize_number(raw: str, default_region: str = "IN") -> NormalizedNumber:
    """Parse ``raw`` as typed by a person; raise :class:`InvalidNumber` saying why it is unusable.

    A number without ``+`` is read as national for ``default_region`` first. If that is not a
    valid number, it is tried as international: after an ``00``/``011`` prefix, or as-is when it
    is too long to be national (``16505551234`` typed with region IN). A national-length typo is
    never reinterpreted as some other country's number.
    """
    text = "".join(ch for ch in (raw or "") if unicodedata.category(ch) != "Cf").strip()
    if not text:
        raise InvalidNumber("Enter a phone number.")
    if any(ch.isalpha() for ch in text):
        raise InvalidNumber("A phone number cannot contain letters.")
    if text[0] in _MINUS_SIGNS:
        # Dashes between digits are formatting; one in front reads as a negative number, which
        # a script that pasted it (or a spreadsheet) meant as something else: do not guess.
        raise InvalidNumber("A phone number cannot start with a minus sign; remove it.")
    compact = _FORMATTING.sub("", text)
    plus = compact.startswith("+")
    body = compact[1:] if plus else compact
    if not body:
        raise InvalidNumber("Enter the digits after '+'.")
    if not body.isdecimal():
        bad = sorted({ch for ch in body if not ch.isdecimal()})
        raise InvalidNumber(f"A phone number cannot contain {' '.join(repr(ch) for ch in bad)}.")
    if plus:
        candidates = ["+" + body]
    else:
        candidates = [body]
        for prefix in _INTERNATIONAL_PREFIXES:
            if body.startswith(prefix):
                candidates.append("+" + body[len(prefix) :])
                break
        if len(body) > _national_max_length(default_region):
            candidates.append("+" + body)

    first_reason: str | None = None
    for candidate in candidates:
        region = None if candidate.startswith("+") else default_region.upper()
        try:
            number = phonenumbers.parse(candidate, region)
        except NumberParseException as err:
            reason = _parse_error_reason(err, candidate)
        else:
            if phonenumbers.is_valid_number(number):
                return _normalized(number)
            reason = _invalid_reason(number)
        if first_reason is None:
            first_reason = reason
    raise InvalidNumber(first_reason or "Not a valid phone number.")


def format_number(digits: str) -> str:
    """Best-effort international format of stored digits for display; the input when unsure."""
    text = (digits or "").strip()
    if not text:
        return digits
    candidate = text if text.startswith("+") else "+" + text
    try:
        number = phonenumbers.parse(candidate, None)
    except NumberParseException:
        return digits
    if not phonenumbers.is_possible_number(number):
        return digits
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


@functools.lru_cache(maxsize=8192)
def readable_number(text: str) -> str:
    """A stored number (digits only) in international format; any other text (what a file or a
    person wrote) as it is. Cached: tables ask for it again at every paint, and formatting
    parses the number."""
    return format_number(text) if text.isdigit() else text


def _national_max_length(region: str) -> int:
    """Longest national mobile or fixed-line number of ``region`` (0 when the region is unknown)."""
    metadata = PhoneMetadata.metadata_for_region(region.upper())
    if metadata is None:
        return 0
    lengths = [
        length
        for desc in (metadata.mobile, metadata.fixed_line)
        if desc is not None
        for length in desc.possible_length
        if length > 0
    ]
    return max(lengths, default=0)


def _normalized(number: PhoneNumber) -> NormalizedNumber:
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    region = phonenumbers.region_code_for_number(number)
    return NormalizedNumber(
        digits=e164[1:],
        e164=e164,
        formatted=phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL),
        region=region if region and region != "001" else None,
    )


def _where(number: PhoneNumber) -> str:
    """Name the country for a reason: 'India (+91)', or just '+91' for a shared code."""
    code = number.country_code or 0
    name = country_name(phonenumbers.region_code_for_country_code(code))
    return f"{name} (+{code})" if name else f"+{code}"


def country_name(region: str | None) -> str:
    """English name of ``region`` (``"IN"`` -> ``"India"``), as phonenumbers' geocoder has it.

    ``""`` when there is none: unknown codes, ``"ZZ"``, ``"001"`` (non-geographic) and the
    few regions the geocoder does not name (AC, TA, XK).
    """
    return _country_names().get((region or "").upper(), "")


@functools.cache
def _country_names() -> dict[str, str]:
    """Read on first use, so that importing this module reads no file."""
    data = resources.files("whats91_desktop.core").joinpath("data", "country_names.json")
    names: dict[str, str] = json.loads(data.read_text(encoding="utf-8"))["names"]
    return names


def _invalid_reason(number: PhoneNumber) -> str:
    digits = len(str(number.country_code or "")) + len(str(number.national_number or ""))
    if digits > _E164_MAX_DIGITS:
        return f"Too long: {digits} digits; international numbers have at most {_E164_MAX_DIGITS}."
    reason = phonenumbers.is_possible_number_with_reason(number)
    where = _where(number)
    if reason == ValidationResult.INVALID_COUNTRY_CODE:
        return f"Unknown country code +{number.country_code}."
    if reason == ValidationResult.TOO_SHORT:
        return f"Too short for a number in {where}."
    if reason == ValidationResult.TOO_LONG:
        return f"Too long for a number in {where}."
    if reason == ValidationResult.INVALID_LENGTH:
        return f"Wrong number of digits for a number in {where}."
    if reason == ValidationResult.IS_POSSIBLE_LOCAL_ONLY:
        return f"Looks like a local number; add the area code for {where}."
    return f"Not a valid number for {where}."


def _parse_error_reason(err: NumberParseException, candidate: str) -> str:
    if err.error_type == NumberParseException.INVALID_COUNTRY_CODE:
        if candidate.startswith("+"):
            return "Unknown country code; check the digits after '+'."
        return "Unknown default region; start the number with + and its country code."
    if err.error_type in (NumberParseException.TOO_SHORT_AFTER_IDD, NumberParseException.TOO_SHORT_NSN):
        return "Too short to be a phone number."
    if err.error_type == NumberParseException.TOO_LONG:
        return f"Too long: international numbers have at most {_E164_MAX_DIGITS} digits."
    return "Not a phone number."
