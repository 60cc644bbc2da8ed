"""Goldens written by hand in other systems' style (ext_*.x12: their delimiters, line breaks and
situational segments; not produced by our writer): each reads to the JSON beside it, and each is
valid by pyx12 where pyx12 has a map, else by our reader.

After a deliberate change to the public JSON, regenerate the .json files with
    GROUPBILL_REGENERATE_GOLDENS=1 pytest tests/tasks/x12/test_external_goldens.py
and review the diff.
"""

import json
import os
from pathlib import Path

import pytest

from tasks.x12.detect import known_sets, parse_each, parse_file
from tasks.x12.referee import verdict

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "x12"
EXTERNAL = sorted(FIXTURES.glob("ext_*.x12"))
JUDGED_BY_PYX12 = ("835", "837", "999", "277")


@pytest.mark.parametrize("path", EXTERNAL, ids=lambda p: p.stem)
def test_external_golden_reads_to_its_json(path: Path) -> None:
    documents = [parsed.as_json() for _, parsed in parse_file(path.read_text())]
    found = documents[0] if len(documents) == 1 else documents
    expected = path.with_suffix(".json")
    if os.environ.get("GROUPBILL_REGENERATE_GOLDENS"):
        expected.write_text(json.dumps(found, indent=1) + "\n")
    assert json.loads(expected.read_text()) == found


@pytest.mark.parametrize("path", EXTERNAL, ids=lambda p: p.stem)
def test_external_golden_is_valid(path: Path) -> None:
    text = path.read_text()
    units = known_sets(text)
    judged = verdict(text, [(u.group.functional_id, u.group.version, u.kind) for u in units], parse_each)
    assert judged.valid, judged.problems
    assert (judged.judge == "pyx12") is all(u.kind in JUDGED_BY_PYX12 for u in units)


def test_the_goldens_cover_other_systems_layouts() -> None:
    """Different delimiters and line breaks, as other systems send them."""
    texts = {p.stem: p.read_bytes() for p in EXTERNAL}
    assert any(b"\r\n" in t for t in texts.values()) and any(b"\n" not in t for t in texts.values())
    assert any(t[3:4] == b"|" for t in texts.values()) and any(t[104:105] == b">" for t in texts.values())
    assert any(t[105:106] == b"\n" for t in texts.values())  # a line break as the segment terminator
