"""The fast structural validator catches what would make a clearinghouse reject the file."""

from pathlib import Path

import pytest

from tasks.x12.validate837 import validate_837p

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "x12"
GOOD = (FIXTURES / "837p_group_with_addon.x12").read_text()


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("837p_*.x12")))
def test_golden_837s_are_clean(name: str) -> None:
    assert validate_837p((FIXTURES / name).read_text()) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("SV1*HC:90853*75*", "SV1*HC:90853*70*", "CLM02 95 does not equal the sum of SV102 90"),
        ("XX*1987654328", "XX*198765432", "NM1*82 needs an NPI"),
        ("N4*SPRINGFIELD*IL*627011234", "N4*SPRINGFIELD*IL*62701", "billing provider ZIP must be 9 digits"),
        ("*11:B:1*", "*11:B:5*", "CLM05 must be POS:B:frequency"),
        ("HI*ABK:F331*ABF:F411", "HI*ABF:F331*ABK:F411", "HI must start with ABK"),
        ("HI*ABK:F331*ABF:F411", "HI*ABK:F33.1*ABF:F411", "is not an ICD-10-CM code without a dot"),
        ("UN*1***1:2", "UN*1***1:3", "SV107 pointers '1:3'"),
        ("UN*1***1:2", "UN*1***1:1", "must be distinct"),
        ("UN*1***1:2", "UN*0***1:2", "SV104 must be positive"),
        ("MI*W123456789", "MI*", "subscriber has no member ID"),
        ("DTP*472*D8*20261124~\nREF*6R*GB0000000101L1", "REF*6R*GB0000000101L1", "needs DTP*472*D8 right after SV1"),
        ("N3*400 RIVER RD STE 200~\nN4*SPRINGFIELD*IL*627011234~\n", "", "must be followed by N3, N4"),
        ("CLM*GB0000000101*", "CLM*GB00000001010000000001*", "CLM01 must be 1 to 20 characters"),
    ],
)
def test_structural_problems_are_found_and_located(old: str, new: str, expected: str) -> None:
    assert old in GOOD
    problems = validate_837p(GOOD.replace(old, new))
    assert any(expected in p.message for p in problems), [str(p) for p in problems]
    assert all(p.segment >= 1 for p in problems)


def test_problems_inside_a_claim_name_the_claim() -> None:
    problems = validate_837p(GOOD.replace("UN*1***1:2", "UN*1***1:3"))
    assert [p.claim for p in problems] == ["GB0000000101"]
    assert str(problems[0]).startswith("segment ")


def test_envelope_problems_are_reported_not_raised() -> None:
    problems = validate_837p(GOOD.replace("SE*32*0001", "SE*36*0001"))
    assert any("SE01 says 36" in p.message for p in problems)
    assert validate_837p("garbage")[0].message == "does not start with an ISA segment"
