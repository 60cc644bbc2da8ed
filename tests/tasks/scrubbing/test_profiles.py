"""Payer profiles: every shipped YAML loads; a broken one fails with one line naming file and entry."""

import shutil
from pathlib import Path

import pytest

from config.profiles import PAYERS_DIR, load_profiles
from models.errors import ConfigError
from tasks.scrubbing.engine import profiles, ruleset
from tasks.scrubbing.registry import all_rules

CATALOGUE = {rule_id: r.parse_params for rule_id, r in all_rules().items()}


def test_every_shipped_profile_loads() -> None:
    loaded = profiles()
    assert set(loaded) >= {"_default", "medicare_part_b", "state_medicaid", "commercial_acme", "commercial_bluemeadow"}
    assert loaded["state_medicaid"].group_size.max == 10 and loaded["state_medicaid"].authorization.required
    assert str(loaded["medicare_part_b"].credentials["LMFT"]) == "2024-01-01"


def test_overrides_change_severity_and_params() -> None:
    acme, _ = ruleset("commercial_acme")
    carve = next(e for e in acme if e.rule.id == "ELIG_CARVE_OUT")
    assert carve.overridden_by == "commercial_acme"
    assert ruleset("commercial_acme")[1] != ruleset("medicare_part_b")[1]


def _broken(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "payers"
    shutil.copytree(PAYERS_DIR, folder)
    (folder / f"{name}.yaml").write_text(text)
    return folder


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "name: broken\nextends: _default\nrules:\n  - {id: NOT_A_RULE}\n",
            "broken.yaml: rules[0] (NOT_A_RULE): unknown rule ID",
        ),
        (
            "name: broken\nextends: _default\nrules:\n  - {id: DOC_SIGNED_LATE, params: {max_days: soon}}\n",
            "broken.yaml: rules[0] (DOC_SIGNED_LATE): params.max_days: Input should be a valid integer",
        ),
        (
            "name: broken\nextends: _default\nrules:\n  - {id: DOC_SIGNED_LATE}\n"
            "  - {id: DOC_SIGNED_LATE, severity: error}\n",
            "broken.yaml: rules[1] (DOC_SIGNED_LATE): rule listed twice",
        ),
        (
            "name: broken\nextends: _default\ngroup_size: {min: 2, max: 12}\ngroup_size: {min: 3, max: 8}\n",
            "broken.yaml: cannot read payer profile: duplicate key 'group_size'",
        ),
        (
            "name: broken\nextends: _default\ngroup_size: {min: 9, max: 3}\n",
            "broken.yaml: (top level): group_size.min is larger than group_size.max",
        ),
        (
            "name: broken\nextends: _default\ntelehealth: {convention: smoke_signals}\n",
            "broken.yaml: telehealth.convention: Input should be",
        ),
        ("name: other\n", "broken.yaml: name must be 'broken'"),
        ("name: broken\nextends: _default\nrules: 5\n", "broken.yaml: rules must be a list of rule changes"),
    ],
)
def test_broken_profiles_fail_with_one_line(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_profiles(CATALOGUE, _broken(tmp_path, "broken", text))
    assert len(err.value.lines) == 1, err.value.lines
    assert expected in err.value.lines[0]


def test_an_empty_rules_key_means_no_changes(tmp_path: Path) -> None:
    """`rules:` with nothing after it is YAML null (found by the fuzzer: it was a TypeError)."""
    folder = _broken(tmp_path, "_default", (PAYERS_DIR / "_default.yaml").read_text().replace("rules: []", "rules:"))
    assert load_profiles(CATALOGUE, folder)["_default"].rules == []


def test_duplicate_yaml_key_names_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        load_profiles(CATALOGUE, _broken(tmp_path, "dup", "name: dup\nname: dup\n"))
    assert "duplicate key 'name'" in err.value.lines[0]
