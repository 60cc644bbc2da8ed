"""Files as SFTP mailboxes deliver them: several interchanges, groups and sets; other X12 versions."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.errors import X12ParseError
from tasks.x12.detect import parse_each
from tasks.x12.envelope import read_interchange
from tasks.x12.interchanges import interchange_texts, read_interchanges, transaction_sets

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "x12"
ACK = (FIXTURES / "999_rejected.x12").read_text()
CLAIM_ACK = (FIXTURES / "277ca_rejected.x12").read_text()


def _piped(text: str) -> str:
    """The same interchange written with other delimiters: | between elements, > in composites, no line breaks."""
    return text.replace("*", "|").replace(":", ">").replace("~\n", "~")


def test_two_interchanges_are_each_read_with_file_wide_positions() -> None:
    units = transaction_sets(ACK + CLAIM_ACK)
    assert [u.kind for u in units] == ["999", "277"]
    first_277 = len(ACK.splitlines()) + 3  # ISA, GS, ST of the second interchange
    assert units[1].tset.first_segment == first_277
    assert units[0].text() == ACK and units[1].text() == CLAIM_ACK


def test_each_interchange_keeps_its_own_delimiters() -> None:
    units = transaction_sets(ACK + _piped(CLAIM_ACK))
    assert units[1].interchange.delimiters.element == "|" and units[1].interchange.delimiters.component == ">"
    assert units[1].tset.segments[0][:2] == ["BHT", "0085"]


def test_junk_after_the_last_iea_is_located() -> None:
    with pytest.raises(X12ParseError) as err:
        transaction_sets(ACK + "XYZ*1~\n")
    assert str(err.value) == f"<x12>: segment {len(ACK.splitlines()) + 1}: segments after IEA"


def test_a_broken_second_isa_is_located_in_the_file() -> None:
    with pytest.raises(X12ParseError) as err:
        read_interchanges(ACK + ACK[:60])
    assert f"segment {len(ACK.splitlines()) + 1}: ISA is truncated" in str(err.value)


def test_line_breaks_and_byte_order_marks_between_interchanges() -> None:
    assert len(interchange_texts("\ufeff" + ACK + "\r\n\r\n" + ACK)) == 2


@pytest.mark.parametrize(
    ("old", "new", "position"),
    [
        ("*00501*", "*00401*", 1),
        ("*005010X231A1~\nST", "*004010X092A1~\nST", 2),
    ],
)
def test_4010_is_refused_in_one_line(old: str, new: str, position: int) -> None:
    with pytest.raises(X12ParseError) as err:
        read_interchange(ACK.replace(old, new, 1))
    assert str(err.value) == f"<x12>: segment {position}: X12 version 004010 is not supported (5010 only)"


WRITTEN = sorted(p for p in FIXTURES.glob("*.x12") if not p.name.startswith(("ext_", "ta1_")))  # TA1: no sets


@st.composite
def _relaid(draw: st.DrawFn) -> tuple[str, list[Path]]:
    """One to three of our goldens as one file, each interchange with delimiters and line breaks of its own."""
    paths = draw(st.lists(st.sampled_from(WRITTEN), min_size=1, max_size=3))
    pieces = []
    for path in paths:
        element = draw(st.sampled_from("*|!"))
        component = draw(st.sampled_from(":>\\\\"))
        repetition = draw(st.sampled_from("^{"))
        terminator = draw(st.sampled_from(["~", "'", "\n"]))
        breaks = "" if terminator == "\n" else draw(st.sampled_from(["", "\n", "\r\n"]))
        text = path.read_text().replace("~\n", "~")
        table = str.maketrans({"*": element, ":": component, "^": repetition, "~": terminator})
        pieces.append(text.translate(table).replace(terminator, terminator + breaks))
    return draw(st.sampled_from(["", "\n", "\r\n"])).join(pieces), paths


@settings(max_examples=60, deadline=None)
@given(_relaid())
def test_any_delimiters_and_layout_per_interchange_read_the_same(case: tuple[str, list[Path]]) -> None:
    text, paths = case
    found = [parsed.as_json() for _, parsed in parse_each(text)]
    expected = [parsed.as_json() for path in paths for _, parsed in parse_each(path.read_text())]
    assert found == expected
