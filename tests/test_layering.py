"""Imports run one way: models <- config <- tasks <- flows <- deployments."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ["models", "config", "tasks", "flows", "deployments"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", ["models", "config"])
def test_no_prefect_or_requests_in_pure_layers(package: str) -> None:
    offenders = [str(p.relative_to(ROOT)) for p in _modules(package) if _imports(p) & {"prefect", "requests"}]
    assert offenders == []


def test_requests_only_in_the_clearinghouse_package() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for layer in LAYERS
        for p in _modules(layer)
        if "requests" in _imports(p) and "tasks/clearinghouse" not in p.as_posix()
    ]
    assert offenders == []


@pytest.mark.parametrize("index", range(len(LAYERS)))
def test_layers_import_only_downward(index: int) -> None:
    higher = set(LAYERS[index + 1 :])
    layer = LAYERS[index]
    offenders = [
        (str(p.relative_to(ROOT)), sorted(_imports(p) & higher)) for p in _modules(layer) if _imports(p) & higher
    ]
    assert offenders == []


def test_layering_check_sees_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import prefect\nfrom requests import get\nfrom tasks.x import y\n")
    assert _imports(bad) == {"prefect", "requests", "tasks"}
