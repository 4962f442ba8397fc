"""Reading an audience: the CSV variants a spreadsheet writes, pasted lists, the spec's columns."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from whats91_desktop.core.bulk.audience import AudienceError, from_pasted, parse_csv, read_csv
from whats91_desktop.core.bulk.compose import fill_text, placeholders, render_row
from whats91_desktop.core.bulk.models import BulkSpec
from whats91_desktop.core.bulk.pacing import Pacer
from whats91_desktop.core.models import TemplateMessage, TextMessage

ROWS = [("phone", "name"), ("919810000001", "Åsa"), ("919810000002", "José")]


def _csv(separator: str) -> str:
    return "".join(separator.join(row) + "\r\n" for row in ROWS)


@pytest.mark.parametrize("separator", [",", ";", "\t"])
@pytest.mark.parametrize("bom", [b"", codecs.BOM_UTF8])
def test_utf8_with_or_without_bom_and_any_separator(separator: str, bom: bytes) -> None:
    audience = parse_csv(bom + _csv(separator).encode("utf-8"))
    assert audience.columns == ("phone", "name")
    assert [row.values for row in audience.rows] == [ROWS[1], ROWS[2]]


def test_utf16_with_bom_is_read_too() -> None:
    audience = parse_csv(_csv(";").encode("utf-16"))
    assert audience.rows[1].values == ROWS[2]


def test_quoted_fields_keep_separators_and_line_breaks_and_lines_are_counted() -> None:
    data = 'phone,note\n919810000001,"Line one\nline two, with a comma"\n919810000002,"say ""hi"""\n'
    audience = parse_csv(data.encode())
    assert audience.rows[0].values == ("919810000001", "Line one\nline two, with a comma")
    assert audience.rows[1].values == ("919810000002", 'say "hi"')
    assert [row.line for row in audience.rows] == [2, 4]


def test_separator_is_taken_from_the_header_outside_quotes() -> None:
    audience = parse_csv(b'"name, full";phone\nAsha;919810000001\n')
    assert audience.columns == ("name, full", "phone")


def test_windows_1252_is_refused_naming_the_line_and_read_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("phone,name\n919810000001,Asha\n919810000002,Jos\u00e9\n".encode("cp1252"))
    with pytest.raises(AudienceError) as caught:
        read_csv(path)
    assert caught.value.line == 3
    assert caught.value.fallback_encoding == "cp1252"
    assert "Line 3 of excel.csv is not UTF-8" in str(caught.value)
    assert read_csv(path, encoding="cp1252").rows[1].values == ("919810000002", "José")


def test_a_row_with_more_fields_than_the_header_names_its_line() -> None:
    with pytest.raises(AudienceError) as caught:
        parse_csv(b"phone,name\n919810000001,Asha\n919810000002,Ravi,extra\n")
    assert caught.value.line == 3


def test_blank_and_duplicate_header_names_become_usable_names() -> None:
    audience = parse_csv(b"phone,,name,name\n919810000001,x,a,b\n")
    assert audience.columns == ("phone", "column 2", "name", "name (2)")


@pytest.mark.parametrize(("data", "line"), [(b"", 1), (b"phone\n", 1), (b"\n\nphone,name\n", 3)])
def test_empty_files_and_header_only_files_are_refused(data: bytes, line: int) -> None:
    with pytest.raises(AudienceError) as caught:
        parse_csv(data)
    assert caught.value.line == line


def test_pasted_numbers_one_per_line_or_separated() -> None:
    audience = from_pasted("+91 98100 00001\n919810000002, 919810000003;\n\n 919810000004 ")
    assert audience.columns == ("phone",)
    assert [row.values[0] for row in audience.rows] == [
        "+91 98100 00001", "919810000002", "919810000003", "919810000004"
    ]  # fmt: skip
    with pytest.raises(AudienceError):
        from_pasted(" \n ")


def test_text_placeholders_take_the_rows_values_but_never_profile_variables() -> None:
    assert placeholders("Hi {name}, order {order id} {{customer}} {name}") == ["name", "order id"]
    assert (
        fill_text("Hi {name} {{customer}} {missing}", {"name": "{Asha}"})
        == "Hi {Asha} {{customer}} {missing}"
    )


def test_render_row_maps_every_template_part() -> None:
    audience = parse_csv(b"to,a,b,img,btn\n919810000001,x,y,https://e.com/i.png,code1\n")
    spec = BulkSpec(
        to_column="to",
        template_name="order_shipped",
        param_columns=("a", "b"),
        header_media_column="img",
        button_param_columns=("btn",),
    )
    message = render_row(audience, spec, audience.rows[0])
    assert message == TemplateMessage(
        to="919810000001",
        template_name="order_shipped",
        parameters=("x", "y"),
        button_parameters=("code1",),
        media_url="https://e.com/i.png",
    )
    text = render_row(audience, BulkSpec(to_column="to", text="{a}-{b}"), audience.rows[0])
    assert text == TextMessage(to="919810000001", text="x-y")


# --------------------------------------------------------------------------- pacing (pure)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_pacer_spaces_turns_and_holds_and_slows_down() -> None:
    import asyncio

    clock = Clock()
    pacer = Pacer(10, clock=clock, sleep=clock.sleep)

    async def go() -> list[float]:
        times = []
        for index in range(5):
            await pacer.turn(f"r{index}")
            times.append(clock.now)
        pacer.hold(2.0)
        await pacer.turn("r9")
        times.append(clock.now)
        assert pacer.slow_down(0) == 5.0
        await pacer.turn("r10")
        times.append(clock.now)
        await pacer.turn("r0")  # first sent at 100.0: waits out the 6 s pair gap
        times.append(clock.now)
        return times

    times = asyncio.run(go())
    assert [round(t - 100.0, 3) for t in times] == [0.0, 0.1, 0.2, 0.3, 0.4, 2.4, 2.5, 6.0]


def test_an_interrupt_ends_a_pair_gap_or_hold_wait_at_once() -> None:
    """A pause or cancel must not wait out a 6 s pair gap or a 30 s Retry-After hold."""
    import asyncio

    async def go() -> tuple[bool, bool, bool, float]:
        pacer = Pacer(None)  # the real clock and sleep
        assert await pacer.turn("a")
        gap = asyncio.ensure_future(pacer.turn("a"))  # 6 s pair gap
        pacer.hold(30.0)
        held = asyncio.ensure_future(pacer.turn("b"))
        await asyncio.sleep(0.05)
        started = asyncio.get_running_loop().time()
        pacer.interrupt()
        results = await asyncio.wait_for(asyncio.gather(gap, held), 1.0)
        waited = asyncio.get_running_loop().time() - started
        pacer.hold(0)
        later = asyncio.ensure_future(pacer.turn("c"))  # a wait begun after the interrupt still waits
        await asyncio.sleep(0.05)
        still_waiting = not later.done()
        later.cancel()
        return results[0], results[1], still_waiting, waited

    gap_taken, hold_taken, still_waiting, waited = asyncio.run(go())
    assert gap_taken is False
    assert hold_taken is False
    assert still_waiting
    assert waited < 0.5
