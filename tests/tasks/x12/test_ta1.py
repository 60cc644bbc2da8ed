"""TA1 interchange acknowledgments: written byte for byte as the golden files, read back, and refused
when malformed."""

import os
from datetime import datetime
from pathlib import Path

import pytest

from models.errors import X12ParseError
from tasks.x12.envelope import Header
from tasks.x12.interchanges import transaction_sets
from tasks.x12.ta1 import InterchangeAck, Ta1, read_ta1, write_ta1

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "x12"
HEADER = Header("SANDBOX", "GROUPBILL", 501, datetime(2026, 11, 27, 6, 5))
GOLDENS = {
    "ta1_rejected": Ta1(HEADER, (InterchangeAck("000000012", "261127", "0600", "R", "008"),)),
    "ta1_accepted": Ta1(HEADER, (InterchangeAck("000000013", "261127", "0600", "A", "000"),)),
}


@pytest.mark.parametrize("name", sorted(GOLDENS))
def test_writer_produces_the_golden_and_the_reader_reads_it_back(name: str) -> None:
    path = FIXTURES / f"{name}.x12"
    text = write_ta1(GOLDENS[name])
    if os.environ.get("GROUPBILL_REGENERATE_GOLDENS"):
        path.write_text(text)
    assert path.read_text() == text
    assert read_ta1(text) == GOLDENS[name]
    assert transaction_sets(text) == []  # no functional group: nothing for the set readers


def test_the_note_code_in_words() -> None:
    rejected = GOLDENS["ta1_rejected"].acks[0]
    assert rejected.note_in_words == "008 invalid interchange receiver ID"
    assert InterchangeAck("000000001", "261127", "0600", "R", "020").note_in_words.startswith("020 invalid test")


def test_a_ta1_before_the_groups_of_an_interchange_is_read_too() -> None:
    text = (FIXTURES / "999_accepted.x12").read_text()
    isa, rest = text.split("\n", 1)
    both = f"{isa}\nTA1*000000044*261127*0600*E*000~\n{rest}"
    assert read_ta1(both).acks[0].code == "E"
    assert [unit.kind for unit in transaction_sets(both)] == ["999"]


@pytest.mark.parametrize(
    ("segment", "said"),
    [
        ("TA1*12*261127*0600*R*008~", "TA101"),
        ("TA1*000000012*261127*0600*X*008~", "TA104"),
        ("TA1*000000012*261127*0600*R*8~", "TA105"),
        ("TA1*000000012*261199*0600*R*008~", "TA102"),
    ],
)
def test_a_malformed_ta1_is_one_line_naming_the_element(segment: str, said: str) -> None:
    text = (FIXTURES / "ta1_rejected.x12").read_text().replace("TA1*000000012*261127*0600*R*008~", segment)
    with pytest.raises(X12ParseError, match=said) as caught:
        read_ta1(text)
    assert caught.value.segment == 2 and "\n" not in str(caught.value)


def test_a_file_without_ta1_is_refused() -> None:
    with pytest.raises(X12ParseError, match="no TA1"):
        read_ta1((FIXTURES / "999_accepted.x12").read_text())
