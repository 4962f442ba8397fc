"""Property-based hardening: whatever arrives, the readers answer with a typed result or a typed error.

The response parser, the envelope's readers, the validator, phone normalisation and the settings
loader all face input nobody controls (a proxy's page, a pasted number, a hand-edited file). Any
other exception escaping them would be a crash or, worse, an ``error`` that invites a resend.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from whats91_desktop.core import responses
from whats91_desktop.core.envelope import Envelope, parse_response
from whats91_desktop.core.errors import ApiError, Whats91Error
from whats91_desktop.core.models import MetaMessage, TextMessage
from whats91_desktop.core.phone import InvalidNumber, normalize_number
from whats91_desktop.core.settings import Settings, SettingsStore, settings_from_json
from whats91_desktop.core.validation import Checked, check_message

T = TypeVar("T")
E = TypeVar("E", bound=BaseException)

FAST = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30)
any_json = st.recursive(
    _scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=25,
)
_envelope_keys = st.sampled_from(
    [
        "success", "data", "message", "error", "error_code", "errorCode", "metadata", "messages",
        "contacts", "status", "queued", "templates", "pagination", "events", "balance", "template",
        "messageId", "requestId", "code", "details", "items", "wallet",
    ]
)  # fmt: skip
_shaped_value = st.recursive(
    _scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_envelope_keys, children, max_size=5),
    max_leaves=20,
)
shaped_json = st.dictionaries(_envelope_keys, _shaped_value, max_size=6)
"""Objects built from the keys the parser looks for, so the properties reach past the first check."""

statuses = st.sampled_from(
    [200, 201, 202, 204, 301, 302, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503, 520]
)
header_values = st.text(st.characters(codec="latin-1", exclude_characters="\r\n\x00"), max_size=20)
headers = st.dictionaries(
    st.sampled_from(["content-type", "retry-after", "x-request-id", "location"]), header_values, max_size=4
)


def outcome(call: Callable[[], T], expected: type[E]) -> T | E:
    """What ``call`` returns, or the ``expected`` error it raises (anything else escapes)."""
    try:
        return call()
    except expected as err:
        return err


def _parse(status: int, hdrs: dict[str, str], body: bytes | str) -> Envelope | ApiError:
    # As on the wire: header values are bytes (httpx keeps them so and reads them as latin-1).
    wire = httpx.Headers([(k.encode(), v.encode("latin-1")) for k, v in hdrs.items()])
    try:
        return parse_response(status, wire, body, data_may_be_list=True)
    except ApiError as err:
        return err


@FAST
@given(status=statuses, hdrs=headers, body=st.binary(max_size=300))
def test_any_bytes_are_an_envelope_or_an_api_error(status: int, hdrs: dict[str, str], body: bytes) -> None:
    result = _parse(status, hdrs, body)
    assert isinstance(result, Envelope | ApiError)


@FAST
@given(status=statuses, hdrs=headers, value=any_json | shaped_json)
def test_any_json_is_an_envelope_or_an_api_error(status: int, hdrs: dict[str, str], value: Any) -> None:
    result = _parse(status, hdrs, json.dumps(value))
    assert isinstance(result, Envelope | ApiError)


@FAST
@given(status=statuses, value=shaped_json)
def test_an_envelope_only_ever_comes_from_a_2xx(status: int, value: Any) -> None:
    result = _parse(status, {}, json.dumps(value))
    if isinstance(result, Envelope):
        assert 200 <= result.http_status < 300


_READERS: list[Callable[[Envelope], object]] = [
    responses.parse_template_page,
    responses.parse_template_detail,
    responses.parse_message_status,
    responses.parse_report_page,
    responses.parse_wallet,
]


@FAST
@pytest.mark.parametrize("reader", _READERS, ids=lambda f: f.__name__)
@given(data=st.dictionaries(_envelope_keys, _shaped_value, max_size=6) | any_json)
def test_every_reader_of_a_success_gives_a_typed_result_or_error(
    reader: Callable[[Envelope], object], data: Any
) -> None:
    envelope = _parse(200, {}, json.dumps({"success": True, "data": data}))
    if isinstance(envelope, ApiError):
        return  # e.g. `data` is not an object: already a typed error
    result = outcome(lambda: reader(envelope), Whats91Error)
    assert str(result) if isinstance(result, Whats91Error) else result is not None


@FAST
@given(value=st.dictionaries(_envelope_keys, _shaped_value, max_size=6) | any_json)
def test_any_template_json_is_a_template_or_none(value: Any) -> None:
    info = responses.parse_template(value)
    assert info is None or info.name


numbers = st.text(max_size=25) | st.from_regex(r"\A[+0-9 ()\-.]{0,25}\Z")
regions = st.sampled_from(["IN", "US", "GB", "DE", "BR", "ZZ", "", "xx", "in"])


@FAST
@given(raw=numbers, region=regions)
def test_any_number_normalises_or_says_why(raw: str, region: str) -> None:
    number = outcome(lambda: normalize_number(raw, region), InvalidNumber)
    if isinstance(number, InvalidNumber):
        assert str(number)
    else:
        assert number.digits.isdecimal()
        assert number.e164 == "+" + number.digits
        assert len(number.digits) <= 15


@FAST
@given(raw=numbers)
def test_normalising_is_idempotent(raw: str) -> None:
    try:
        number = normalize_number(raw, "IN")
    except InvalidNumber:
        return
    assert normalize_number(number.e164, "IN").digits == number.digits


@FAST
@given(
    to=numbers,
    text=st.text(max_size=40) | st.text(max_size=3).map(lambda t: t * 1400),
    sender=st.none() | numbers,
)
def test_any_text_message_is_checked_without_raising(to: str, text: str, sender: str | None) -> None:
    checked = check_message(TextMessage(to=to, text=text, sender_id=sender), check_files=False)
    assert isinstance(checked, Checked)
    assert all(p.field and p.message for p in checked.problems)
    if checked.ok:
        assert checked.message.to.isdecimal()  # type: ignore[union-attr]


@FAST
@given(
    payload=st.dictionaries(st.text(max_size=12), any_json, max_size=6) | shaped_json, to=st.none() | numbers
)
def test_any_meta_payload_is_checked_without_raising(payload: dict[str, Any], to: str | None) -> None:
    if to is not None:
        payload = {**payload, "to": to}
    checked = check_message(MetaMessage(payload=payload), check_files=False)
    assert isinstance(checked, Checked)
    assert all(p.field and p.message for p in checked.problems)


@FAST
@given(
    value=any_json
    | st.dictionaries(st.sampled_from(["version", "profiles", "preferences", "ui_state"]), any_json)
)
def test_settings_from_any_json_are_settings_or_refused(value: Any) -> None:
    result = outcome(lambda: settings_from_json(value), Exception)
    if isinstance(result, Exception):
        # The loader's own refusal, which SettingsStore.load turns into a moved-aside file.
        assert type(result).__name__ == "_Unusable", repr(result)
        return
    loaded, problems = result
    assert isinstance(loaded, Settings)
    assert all(isinstance(p, str) for p in problems)


_settings_files = (
    st.binary(max_size=200)
    | any_json.map(lambda v: json.dumps(v).encode())
    | st.dictionaries(
        st.sampled_from(["version", "profiles", "preferences", "active_profile"]), any_json
    ).map(lambda v: json.dumps({"version": 1, **v}).encode())
)


@FAST
@given(content=_settings_files)
def test_loading_any_settings_file_gives_settings_and_never_raises(content: bytes, tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    for leftover in tmp_path.iterdir():
        leftover.unlink()
    path.write_bytes(content)
    store = SettingsStore(path)
    loaded = store.load()
    assert isinstance(loaded, Settings)
    if store.notice is not None:
        assert store.backup_path is not None
        assert store.backup_path.read_bytes() == content


def test_deeply_nested_settings_are_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    content = ('{"version": 1, "ui_state": ' + "[" * 50_000 + "]" * 50_000 + "}").encode()
    path.write_bytes(content)
    store = SettingsStore(path)
    assert isinstance(store.load(), Settings)
    assert store.backup_path is not None
    assert store.backup_path.read_bytes() == content
