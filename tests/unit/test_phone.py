"""Phone-number normalisation: every way people type a number, and every way it can be wrong."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import phonenumbers
import pytest

from whats91_desktop.core.phone import (
    InvalidNumber,
    NormalizedNumber,
    country_name,
    format_number,
    normalize_number,
    readable_number,
)

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "raw",
    [
        "+91 88888-88888",
        "0091 8888888888",
        "918888888888",
        "8888888888",
        "(+91) 88888 88888",
        "+918888888888",
        " 88888 88888 ",
        "+91.88888.88888",
    ],
)
def test_indian_formats_normalise_to_the_same_digits(raw: str) -> None:
    assert normalize_number(raw, "IN").digits == "918888888888"


def test_normalized_number_fields() -> None:
    assert normalize_number("88888 88888", "IN") == NormalizedNumber(
        digits="918888888888", e164="+918888888888", formatted="+91 88888 88888", region="IN"
    )


@pytest.mark.parametrize(
    ("raw", "region", "digits"),
    [
        ("16505551234", "IN", "16505551234"),  # too long to be Indian: read as +1
        ("447911123456", "US", "447911123456"),
        ("011 44 7911 123456", "US", "447911123456"),  # NANP international prefix
        ("011 44 7911 123456", "IN", "447911123456"),  # 011 works whatever the region
        ("00 44 7911 123456", "US", "447911123456"),
        ("+1 (650) 555-1234", "IN", "16505551234"),
        ("0113 496 0000", "GB", "441134960000"),  # a valid national number wins over "011 = IDD"
        ("918888888888", "XX", "918888888888"),  # unknown region: still works as international
    ],
)
def test_international_fallbacks(raw: str, region: str, digits: str) -> None:
    assert normalize_number(raw, region).digits == digits


def test_region_is_lowercase_tolerant() -> None:
    assert normalize_number("8888888888", "in").digits == "918888888888"


def test_non_geographic_number_has_no_region() -> None:
    number = normalize_number("+800 1234 5678")
    assert number.digits == "80012345678"
    assert number.region is None


@pytest.mark.parametrize(
    ("raw", "region", "reason"),
    [
        ("", "IN", "Enter a phone number"),
        ("   ", "IN", "Enter a phone number"),
        ("abc", "IN", "cannot contain letters"),
        ("91888888888a", "IN", "cannot contain letters"),
        ("88888*88888", "IN", "cannot contain '*'"),
        ("12345", "IN", "Too short for a number in India (+91)"),
        ("+91 8888888888888888", "IN", "Too long"),
        ("12345678901234567890", "IN", "Too long"),
        ("98765 4321", "IN", "Not a valid number for India (+91)"),
        ("2015550123", "IN", "Not a valid number for India (+91)"),  # not re-read as Egypt's +20
        ("+999 12345678", "IN", "Unknown country code"),
        ("8888888888", "XX", "start the number with +"),
        ("+1 23", "IN", "Too short"),
    ],
)
def test_invalid_numbers_say_why(raw: str, region: str, reason: str) -> None:
    with pytest.raises(InvalidNumber) as info:
        normalize_number(raw, region)
    assert reason in str(info.value)


def test_invalid_number_is_a_value_error() -> None:
    assert issubclass(InvalidNumber, ValueError)


@pytest.mark.parametrize(
    ("digits", "shown"),
    [
        ("918888888888", "+91 88888 88888"),
        ("+16505551234", "+1 650-555-1234"),
        ("447911123456", "+44 7911 123456"),
        ("12", "12"),
        ("abc", "abc"),
        ("", ""),
    ],
)
def test_format_number_is_best_effort(digits: str, shown: str) -> None:
    assert format_number(digits) == shown


def test_a_lone_plus_says_what_is_missing() -> None:
    with pytest.raises(InvalidNumber, match=r"Enter the digits after '\+'"):
        normalize_number("+")
    with pytest.raises(InvalidNumber, match=r"Enter the digits after '\+'"):
        normalize_number(" + ")


@pytest.mark.parametrize(
    "raw",
    [
        "\u202a+91 88888 88888\u202c",  # how WhatsApp and browsers wrap a copied number
        "\u200e+918888888888",
        "+91\u200b8888888888",
        "\ufeff918888888888",
    ],
)
def test_invisible_format_characters_from_copy_paste_are_formatting(raw: str) -> None:
    assert normalize_number(raw).digits == "918888888888"


@pytest.mark.parametrize("raw", ["+91²8888888888", "9188888888⁸⁸"])
def test_superscript_digits_are_named_not_called_letters(raw: str) -> None:
    with pytest.raises(InvalidNumber) as info:
        normalize_number(raw)
    assert "letters" not in str(info.value)
    assert "cannot contain" in str(info.value)


def test_arabic_indic_and_fullwidth_digits_are_digits() -> None:
    assert normalize_number("+٩١ ٨٨٨٨٨ ٨٨٨٨٨").digits == "918888888888"
    assert normalize_number("+91８８８８８８８８８８").digits == "918888888888"


def test_an_absurdly_long_input_is_refused_quickly() -> None:
    with pytest.raises(InvalidNumber):
        normalize_number("9" * 100_000)


# --------------------------------------------------------------------------- country names


def test_country_names_are_the_geocoders_for_every_supported_region() -> None:
    """The table is what ``_where`` used to ask the geocoder, region for region (after a
    phonenumbers upgrade, ``scripts/gen_country_names.py`` regenerates it)."""
    from phonenumbers import geocoder

    regions = [*sorted(phonenumbers.SUPPORTED_REGIONS), "001", "ZZ", ""]
    assert {r: country_name(r) for r in regions} == {
        r: geocoder._region_display_name(r, "en") for r in regions
    }
    assert country_name("IN") == "India"
    assert country_name(None) == ""


def test_phone_reasons_do_not_load_the_geocoder() -> None:
    """Importing ``phonenumbers.geocoder`` costs ~0.4 s and ~100 MiB of start-up; a fresh process
    that imports this module and words a reason must not load it."""
    code = (
        "import sys\n"
        "from whats91_desktop.core.phone import InvalidNumber, normalize_number\n"
        "try:\n"
        "    normalize_number('12345', 'IN')\n"
        "except InvalidNumber as err:\n"
        "    print(err)\n"
        "print(sorted(m for m in sys.modules if m.startswith('phonenumbers.geo')))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert proc.stdout.splitlines() == ["Too short for a number in India (+91).", "[]"]


def test_readable_number_formats_stored_digits_and_leaves_other_text_as_written() -> None:
    assert readable_number("919876543210") == "+91 98765 43210"
    assert readable_number("98765") == "98765"  # not a possible number: as stored
    assert readable_number("+91 98765 43210x") == "+91 98765 43210x"  # what a file said
    assert readable_number("") == ""
