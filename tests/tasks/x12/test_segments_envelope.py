"""Delimiters, segment splitting and envelopes: counts computed, control numbers paired, errors located."""

from datetime import datetime

import pytest

from models.errors import X12ParseError
from tasks.x12.envelope import Header, read_interchange, write_interchange
from tasks.x12.segments import DEFAULT_DELIMITERS, Delimiters, SegmentWriter, split_segments

HEADER = Header("GROUPBILL", "SANDBOX", 42, datetime(2026, 11, 27, 6, 0))


def _text(delimiters: Delimiters = DEFAULT_DELIMITERS) -> str:
    w = SegmentWriter(delimiters)
    w.add("BHT", "0019", "00", "REF", "20261127", "0600", "CH")
    w.add("HI", ("ABK", "F331"), ("ABF", "F411"))
    return write_interchange(HEADER, "HC", "005010X222A1", [("837", w.segments), ("837", w.segments)], delimiters)


def test_counts_and_control_numbers_are_computed() -> None:
    ic = read_interchange(_text())
    assert ic.control_number == "000000042" and ic.problems == []
    assert [s.control_number for s in ic.groups[0].sets] == ["0001", "0002"]
    assert ic.groups[0].sets[0].segments[1] == ["HI", "ABK:F331", "ABF:F411"]


def test_isa_is_fixed_width() -> None:
    isa = _text().split("~")[0]
    assert len(isa) == 105 and isa[103:105] == "*:"


@pytest.mark.parametrize("delimiters", [Delimiters("|", ">", "^", "\n"), Delimiters("*", ":", "^", "~")])
def test_any_declared_delimiters_are_honoured(delimiters: Delimiters) -> None:
    text = _text(delimiters)
    found, segments = split_segments(text)
    assert found == delimiters
    assert segments[4][:2] == ["HI", f"ABK{delimiters.component}F331"]


def test_without_line_breaks_and_with_crlf() -> None:
    text = _text()
    assert split_segments(text.replace("~\n", "~"))[1] == split_segments(text)[1]
    assert split_segments(text.replace("~\n", "~\r\n"))[1] == split_segments(text)[1]


def test_trailing_empty_elements_and_components_are_dropped() -> None:
    w = SegmentWriter()
    w.add("NM1", "IL", "1", "DOE", "JANE", "", "", "", "", None)
    w.add("SV1", ("HC", "90853", ""), "75", "UN", "1", "", "", ("1", ""))
    assert w.segments == ["NM1*IL*1*DOE*JANE", "SV1*HC:90853*75*UN*1***1"]


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda t: "", "segment 1: empty input"),
        (lambda t: "\x00\x01binary", "segment 1: binary data"),
        (lambda t: "GS*HC*X~", "segment 1: does not start with an ISA segment"),
        (lambda t: t[:80], "segment 1: ISA is truncated"),
        (lambda t: t.replace("*", "!", 3), "segment 1: ISA has"),
        (lambda t: t.replace("SE*4*0001", "SE*5*0001"), "segment 6: SE01 says 5 segments, counted 4"),
        (lambda t: t.replace("SE*4*0002", "SE*4*0009"), "SE02 0009 does not match ST02 0002"),
        (lambda t: t.replace("GE*2*42", "GE*3*42"), "GE01 says 3 transaction sets, found 2"),
        (lambda t: t.replace("IEA*1*000000042", "IEA*1*000000043"), "IEA02 000000043 does not match ISA13"),
        (lambda t: t.rsplit("IEA", 1)[0], "missing IEA"),
        (lambda t: t[:-10], "last segment has no terminator"),
        (lambda t: t.replace("BHT", "B@T", 1), "bad segment ID 'B@T'"),
    ],
)
def test_malformed_envelopes_are_located(mutate, reason: str) -> None:
    with pytest.raises(X12ParseError) as err:
        read_interchange(mutate(_text()))
    assert reason in str(err.value)


def test_control_number_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError):
        write_interchange(Header("A", "B", 1_000_000_000, HEADER.created), "HC", "005010X222A1", [])
