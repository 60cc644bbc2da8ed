"""Loop tables and the walker: every golden fits its guide; situational segments are accepted,
qualifiers route segments to their loop, and what the guide puts nowhere is refused and located."""

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.errors import X12ParseError
from tasks.x12.envelope import read_interchange
from tasks.x12.guides.x212 import REQUEST_276, RESPONSE_277
from tasks.x12.guides.x214 import ACK_277CA
from tasks.x12.guides.x217 import REVIEW_278
from tasks.x12.guides.x221a1 import REMIT_835
from tasks.x12.guides.x222a1 import CLAIM_837P
from tasks.x12.guides.x231a1 import ACK_999
from tasks.x12.guides.x279a1 import INQUIRY_270, RESPONSE_271
from tasks.x12.interchanges import transaction_sets
from tasks.x12.loops import Loop, fit, shown
from tasks.x12.status277 import is_claim_status
from tasks.x12.values import Period, parse_period

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "x12"
TABLES = {
    "270": INQUIRY_270,
    "271": RESPONSE_271,
    "999": ACK_999,
    "277": ACK_277CA,
    "835": REMIT_835,
    "837": CLAIM_837P,
    "278": REVIEW_278,
    "276": REQUEST_276,
}
CLAIM = (FIXTURES / "837p_group_with_addon.x12").read_text()


def _tree(text: str) -> Loop:
    """The first set of `text` fitted to its guide (edited texts keep their old SE counts)."""
    interchange = read_interchange(text, strict=False)
    tset = interchange.groups[0].sets[0]
    return fit(tset, TABLES[tset.set_id], interchange.delimiters)


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.x12")), ids=lambda p: p.stem)
def test_every_fixture_fits_its_guide(path: Path) -> None:
    for unit in transaction_sets(path.read_text()):
        table = RESPONSE_277 if is_claim_status(unit) else TABLES[unit.kind]
        root = fit(unit.tset, table, unit.interchange.delimiters)
        assert sum(1 for _ in _segments(root)) == len(unit.tset.segments) + 1  # nothing dropped (+ ST)


def _segments(loop: Loop):  # type: ignore[no-untyped-def]
    yield from loop.segs
    for child in loop.children:
        yield from _segments(child)


def test_loops_nest_as_the_guide_says() -> None:
    claim = _tree(CLAIM).need_loop("2000A").need_loop("2000B").need_loop("2300")
    assert [c.name for c in claim.children] == ["2310B", "2400", "2400"]
    assert claim.need("REF", "G1")[2] == "PA44100231"


def test_a_qualifier_routes_a_segment_back_to_the_claim() -> None:
    """REF*G1 may not sit in 2310B (rendering provider): after NM1*82/PRV it still belongs to 2300."""
    moved = CLAIM.replace("REF*G1*PA44100231~\n", "").replace(
        "PRV*PE*PXC*1041C0700X~\n", "PRV*PE*PXC*1041C0700X~\nREF*G1*PA44100231~\n"
    )
    claim = _tree(moved).need_loop("2000A").need_loop("2000B").need_loop("2300")
    assert claim.need("REF", "G1")[2] == "PA44100231" and claim.need_loop("2310B").first("REF") is None


def test_an_unlisted_qualifier_stays_in_the_innermost_loop_holding_the_segment() -> None:
    odd = CLAIM.replace("PRV*PE*PXC*1041C0700X~\n", "PRV*PE*PXC*1041C0700X~\nREF*ZZ*X1~\n")
    rendering = _tree(odd).need_loop("2000A").need_loop("2000B").need_loop("2300").need_loop("2310B")
    assert rendering.need("REF")[1] == "ZZ"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("SBR*P*18", "XYZ*P*18", "unexpected XYZ in loop 2000B (subscriber hierarchical level)"),
        ("NM1*82*1", "NM1*ZZ*1", "unexpected NM1*ZZ in loop 2300 (claim information)"),
        ("HL*2*1*22*0", "HL*2*1*99*0", "unexpected HL level 99 in loop 2010AA (billing provider name)"),
    ],
)
def test_what_the_guide_puts_nowhere_is_refused_with_its_place(old: str, new: str, message: str) -> None:
    assert old in CLAIM
    with pytest.raises(X12ParseError) as err:
        _tree(CLAIM.replace(old, new))
    assert message in str(err.value) and "segment " in str(err.value)


def test_the_first_segment_after_st_is_required() -> None:
    with pytest.raises(X12ParseError) as err:
        _tree(CLAIM.replace("BHT*", "BXT*"))
    assert str(err.value) == "<x12>: segment 4: expected BHT, found BXT"


def test_messages_show_codes_never_data() -> None:
    assert shown(["N3", "ADA"]) == "N3" and shown(["REF", "G1", "PA1"]) == "REF*G1"
    assert shown(["NM1", "IL", "1", "DOE"]) == "NM1*IL" and shown(["HL", "3", "2", "22"]) == "HL level 22"


@pytest.mark.parametrize(
    ("qualifier", "text", "expected"),
    [
        ("D8", "20240815", Period(date(2024, 8, 15))),
        ("RD8", "20240815-20240820", Period(date(2024, 8, 15), date(2024, 8, 20))),
        ("DT", "202408151030", Period(date(2024, 8, 15))),
        ("RDT", "202408150900-202408201700", Period(date(2024, 8, 15), date(2024, 8, 20))),
    ],
)
def test_dates_are_read_by_their_format_qualifier(qualifier: str, text: str, expected: Period) -> None:
    assert parse_period(qualifier, text, "DTP03") == expected


@pytest.mark.parametrize(
    ("qualifier", "text", "message"),
    [
        ("RD8", "20240820-20240815", "DTP03 range ends before it starts"),
        ("RD8", "20240815", "DTP03 is not a RD8 range"),
        ("D8", "2024-08-15", "DTP03 is not a CCYYMMDD date"),
        ("D6", "240815", "DTP03 has date format 'D6', not one of D8, RD8, DT, RDT"),
    ],
)
def test_bad_dates_name_the_element_not_the_value(qualifier: str, text: str, message: str) -> None:
    with pytest.raises(X12ParseError) as err:
        parse_period(qualifier, text, "DTP03")
    assert message in str(err.value) and text not in str(err.value)


@given(st.dates(), st.dates())
def test_any_two_dates_make_a_range_in_order_or_a_located_refusal(a: date, b: date) -> None:
    text = f"{a:%Y%m%d}-{b:%Y%m%d}" if a.year >= 1000 and b.year >= 1000 else "00000000-00000000"
    try:
        period = parse_period("RD8", text, "DTP03")
    except X12ParseError as exc:
        assert "DTP03" in exc.reason and "Error" not in exc.reason
    else:
        assert period == Period(a, b) and a <= b
