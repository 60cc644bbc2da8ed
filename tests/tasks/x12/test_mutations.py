"""Readers given damaged files raise only the project's X12 parse error (never a crash), with one
located line that never names a Python exception."""

import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.errors import X12ParseError
from tasks.x12.detect import parse_each, parse_x12
from tests.fuzz.mutate import damaged_x12

FIXTURES = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "x12").glob("*.x12"))
TEXTS = [p.read_text() for p in FIXTURES]
PYTHON_WORDS = ("Error", "Exception", "Traceback", "list index", "object has no", "invalid literal", "NoneType")
EXAMPLES = int(os.environ.get("GROUPBILL_FUZZ_EXAMPLES", "600"))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_damaged_files_raise_only_x12_parse_errors(data: st.DataObject) -> None:
    text = data.draw(damaged_x12(data.draw(st.sampled_from(TEXTS)))).decode(errors="replace")
    for read in (parse_x12, parse_each):
        try:
            read(text)
        except X12ParseError as exc:
            message = str(exc)
            assert "\n" not in message and message.startswith("<x12>: ")
            assert not any(word in exc.reason for word in PYTHON_WORDS), message
