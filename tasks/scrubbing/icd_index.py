"""ICD-10-CM answers the rules need, from a small index of simple-icd-10-cm's code set.

simple-icd-10-cm builds its whole code tree when imported (about 180 MB and 2.5 s); the rules only ask
whether a code is billable and whether it must not come first. A child process asks the library those
two questions for every code, once per library version, and leaves the answers in a cache file; the
billing process loads two sets of strings (a few MB). The library stays the authority: nothing here
reads its data files.

    python -m tasks.scrubbing.icd_index     (prints the index as JSON: what the child does)
"""

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from models.errors import InfrastructureError

LIBRARY = "simple_icd_10_cm"


@dataclass(frozen=True)
class IcdIndex:
    """Valid leaf codes and codes that must not be listed first, each with and without its dot."""

    billable: frozenset[str]
    code_first: frozenset[str]


@lru_cache(maxsize=1)
def icd_index() -> IcdIndex:
    """The index for the installed library version: from the cache file, else built by a child process."""
    path = _cache_dir() / f"icd10cm-{version(LIBRARY)}.json"
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        data = _build_in_child()
        _save(path, data)
    return IcdIndex(frozenset(data["billable"]), frozenset(data["code_first"]))


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "groupbill"


def _build_in_child() -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "tasks.scrubbing.icd_index"],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise InfrastructureError(f"could not index ICD-10-CM codes with {LIBRARY}: {last}")
    return dict(json.loads(done.stdout))


def _save(path: Path, data: dict[str, Any]) -> None:
    """Best effort and atomic: a read-only home only means the next process builds it again."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(data))
        partial.replace(path)
    except OSError:
        pass


def _ask_library() -> dict[str, list[str]]:
    """Every code's answers, from the library itself (run in the child)."""
    import simple_icd_10_cm as icd

    billable: list[str] = []
    code_first: list[str] = []
    # the two lists run in the same order (the library's remove_dot is a linear search per call)
    for code, undotted in zip(icd.get_all_codes(True), icd.get_all_codes(False), strict=True):
        forms = sorted({code, undotted})
        if icd.is_leaf(code):
            billable += forms
        if any(icd.get_code_first(c) for c in [code, *icd.get_ancestors(code)]):
            code_first += forms
    return {"billable": billable, "code_first": code_first}


if __name__ == "__main__":
    json.dump(_ask_library(), sys.stdout)
