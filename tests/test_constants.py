"""Code sets that mean one thing are defined once: two copies drift apart (a CLP02 set gaining the
crossover codes in one module only, a filing-indicator set missing Medicare Part A in another)."""

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ONCE = ("PROCESSED", "CLOSED", "REVERSAL", "MEDICARE_FILING", "MEDICAID_FILING", "CROSSOVER_STATUSES")


def _top_level_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    targets = [t for node in tree.body if isinstance(node, ast.Assign) for t in node.targets]
    targets += [node.target for node in tree.body if isinstance(node, ast.AnnAssign)]
    return {t.id for t in targets if isinstance(t, ast.Name)}


def test_shared_code_sets_have_one_definition() -> None:
    found: dict[str, list[str]] = defaultdict(list)
    for package in ("models", "config", "tasks", "flows"):
        for path in sorted((ROOT / package).rglob("*.py")):
            for name in _top_level_names(path) & set(ONCE):
                found[name].append(str(path.relative_to(ROOT)))
    assert {name: paths for name, paths in found.items() if len(paths) > 1} == {}
    assert set(found) == set(ONCE) - {"CLOSED"}  # CLOSED is the lifecycle's TERMINAL_STATUSES
