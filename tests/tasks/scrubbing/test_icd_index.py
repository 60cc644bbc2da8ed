"""The ICD-10-CM index answers exactly as simple-icd-10-cm does, and rebuilds a damaged cache."""

import json
import subprocess
from pathlib import Path

import pytest
import simple_icd_10_cm as icd

from models.errors import InfrastructureError
from tasks.scrubbing import icd_index as module
from tasks.scrubbing.rules.coding import billable, needs_code_first

ODD = ["f43.10", "F4.310", "F43.10 ", "", "XYZ", "F43.", ".F4310", "F40-F48", "5", "V00.01XA", "E08.36"]


def test_every_code_answers_as_the_library_does() -> None:
    codes = icd.get_all_codes(True) + icd.get_all_codes(False) + ODD
    for code in codes:
        valid = icd.is_valid_item(code)
        assert billable(code) == bool(valid and icd.is_leaf(code)), code
        first = code[:1] in "VWXY" or (valid and any(icd.get_code_first(c) for c in [code, *icd.get_ancestors(code)]))
        assert needs_code_first(code) == bool(first), code


def test_a_damaged_cache_is_built_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cached = tmp_path / "groupbill" / f"icd10cm-{module.version(module.LIBRARY)}.json"
    cached.parent.mkdir()
    cached.write_text('{"billable": [')
    module.icd_index.cache_clear()
    try:
        index = module.icd_index()
        assert "F43.10" in index.billable and "F4310" in index.billable and "F43" not in index.billable
        assert set(json.loads(cached.read_text())["billable"]) == index.billable
        assert list(cached.parent.glob("*.tmp")) == []
    finally:
        module.icd_index.cache_clear()


def test_a_child_that_fails_is_one_infrastructure_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    failed = subprocess.CompletedProcess([], 1, "", "Traceback...\nModuleNotFoundError: No module named 'x'\n")
    monkeypatch.setattr(module.subprocess, "run", lambda *a, **k: failed)
    module.icd_index.cache_clear()
    try:
        with pytest.raises(InfrastructureError, match="No module named 'x'"):
            module.icd_index()
    finally:
        module.icd_index.cache_clear()
