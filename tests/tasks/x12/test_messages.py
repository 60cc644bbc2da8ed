"""Refusals name the segment that is wrong (position and element) and never a Python exception."""

from pathlib import Path

import pytest

from models.errors import X12ParseError
from tasks.x12.detect import parse_x12

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "x12"
PAID = (FIXTURES / "835_paid.x12").read_text()


def _refusal(text: str) -> str:
    with pytest.raises(X12ParseError) as err:
        parse_x12(text)
    return str(err.value)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("SVC*HC:90853", "SVC*90853", "segment 17: SVC01 has no procedure code"),
        ("CLP*GB0000000101*1*75", "CLP*GB0000000101*1*7x5", "segment 15: CLP03 '7x5' is not a number"),
        ("CAS*CO*45*27", "CAS*CO*45", "segment 19: CAS03 is missing"),
        ("DTM*472*20261124", "DTM*472*2026112", "segment 18: DTM02 is not a CCYYMMDD date"),
    ],
)
def test_835_refusals_blame_the_segment_that_is_wrong(old: str, new: str, expected: str) -> None:
    """A malformed SVC01 was once blamed on the segment after it (the line was built late)."""
    assert old in PAID
    assert expected in _refusal(PAID.replace(old, new))


@pytest.mark.parametrize("amount", ["1E99", "NaN", "+5", "9" * 19, "1.2.3", "-"])
def test_amounts_that_x12_cannot_hold_are_refused_by_element(amount: str) -> None:
    """An exponent or a 19-digit amount once reached Decimal.quantize and crashed (InvalidOperation)."""
    message = _refusal(PAID.replace("CLP*GB0000000101*1*75", f"CLP*GB0000000101*1*{amount}"))
    assert "segment 15: CLP03 " in message and "is not a number" in message and "Operation" not in message
