"""Readers given damaged files raise only the project's X12 parse error (never a crash)."""

import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.errors import X12ParseError
from tasks.x12.detect import parse_x12

FIXTURES = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "x12").glob("*.x12"))
TEXTS = [p.read_text() for p in FIXTURES]


def _segments(text: str) -> list[str]:
    return [s for s in text.split("~\n") if s]


def _join(segments: list[str]) -> str:
    return "~\n".join(segments) + "~\n"


@st.composite
def damaged(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(TEXTS))
    segments = _segments(text)
    kind = draw(st.sampled_from(["drop", "duplicate", "truncate", "garble", "swap", "empty_element"]))
    i = draw(st.integers(0, len(segments) - 1))
    if kind == "drop":
        return _join(segments[:i] + segments[i + 1 :])
    if kind == "duplicate":
        return _join(segments[: i + 1] + segments[i:])
    if kind == "truncate":
        return text[: draw(st.integers(0, len(text) - 1))]
    if kind == "swap":
        j = draw(st.integers(0, len(segments) - 1))
        segments[i], segments[j] = segments[j], segments[i]
        return _join(segments)
    if kind == "empty_element":
        parts = segments[i].split("*")
        parts[draw(st.integers(0, len(parts) - 1))] = ""
        segments[i] = "*".join(parts)
        return _join(segments)
    position = draw(st.integers(0, len(text) - 1))
    junk = draw(st.text(alphabet=st.characters(codec="ascii"), min_size=1, max_size=4))
    return text[:position] + junk + text[position + len(junk) :]


EXAMPLES = int(os.environ.get("GROUPBILL_FUZZ_EXAMPLES", "600"))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged())
def test_damaged_files_raise_only_x12_parse_errors(text: str) -> None:
    try:
        parse_x12(text)
    except X12ParseError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("<x12>: ")
