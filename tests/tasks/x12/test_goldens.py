"""Golden X12 files: our writers produce them byte for byte, our readers read them back to the same
objects, re-rendering gives the same text, and pyx12 accepts every one it has a map for."""

import os
from pathlib import Path

import pytest

from tasks.x12.detect import parse_x12, read_x12_file
from tasks.x12.referee import pyx12_problems
from tests.tasks.x12.goldens import all_goldens, render

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "x12"
GOLDENS = all_goldens()
NO_PYX12_MAP = ("270_", "271_", "276_", "277_", "278_")  # pyx12 indexes no X279A1, X212 or X217 map


@pytest.mark.parametrize("name", sorted(GOLDENS))
def test_writer_produces_the_golden_file(name: str) -> None:
    path = FIXTURES / f"{name}.x12"
    text = render(GOLDENS[name])
    if os.environ.get("GROUPBILL_REGENERATE_GOLDENS"):
        path.write_text(text)
    assert path.read_text() == text


@pytest.mark.parametrize("name", sorted(GOLDENS))
def test_golden_parses_and_rerenders_to_the_same_text(name: str) -> None:
    text = read_x12_file(FIXTURES / f"{name}.x12")
    kind, parsed = parse_x12(text)
    assert name.startswith(kind) or (kind == "837" and name.startswith("837p")) or (kind == "277")
    assert parsed == GOLDENS[name]
    assert render(parsed) == text


@pytest.mark.parametrize("name", sorted(n for n in GOLDENS if not n.startswith(NO_PYX12_MAP)))
def test_pyx12_accepts_the_golden(name: str) -> None:
    assert pyx12_problems((FIXTURES / f"{name}.x12").read_text()) == []


def test_goldens_parse_without_line_breaks() -> None:
    for name in GOLDENS:
        text = (FIXTURES / f"{name}.x12").read_text().replace("~\n", "~")
        assert parse_x12(text)[1] == GOLDENS[name]
