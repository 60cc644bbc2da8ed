"""What fixes each rule: data, complete, validated when loaded."""

from pathlib import Path

import pytest

from config.reference_data import rule_fixes
from models.errors import ConfigError
from tasks.scrubbing.registry import all_rules


def test_every_rule_says_what_fixes_it() -> None:
    fixes = rule_fixes()
    assert set(all_rules()) - set(fixes.fixes) == set()
    assert all(text.strip().endswith(".") for text in fixes.fixes.values())


def test_a_broken_file_is_one_line_per_problem(tmp_path: Path) -> None:
    path = tmp_path / "fixes.yaml"
    path.write_text("DOC_NOTE_MISSING: ''\nnot-a-rule: Fix it.\nDOC_NOTE_UNSIGNED: [a, b]\n")
    with pytest.raises(ConfigError) as caught:
        rule_fixes.__wrapped__(path)
    assert caught.value.lines == [
        f"{path}: DOC_NOTE_MISSING: expected one non-empty line saying what fixes it",
        f"{path}: not-a-rule: not a rule ID (e.g. DOC_NOTE_MISSING)",
        f"{path}: DOC_NOTE_UNSIGNED: expected one non-empty line saying what fixes it",
    ]
    path.write_text("[1, 2]")
    with pytest.raises(ConfigError, match="expected a mapping of rule ID to what fixes it"):
        rule_fixes.__wrapped__(path)
