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


SHARED_CLI = {"flows.cli.common", "flows.cli.views", "flows.cli.quiet"}


def _cli_imports(path: Path) -> set[str]:
    """The flows.cli modules a module imports (at the top or inside functions)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("flows.cli"):
            found.add(node.module if node.module != "flows.cli" else f"flows.cli.{node.names[0].name}")
    return found


def test_the_command_line_is_one_package_without_a_cycle() -> None:
    """Each command module imports only the shared ones (common, views, quiet); only app.py assembles them."""
    commands = [
        p for p in (ROOT / "flows" / "cli").glob("*.py") if p.name not in {"__init__.py", "__main__.py", "app.py"}
    ]
    offenders = {p.name: sorted(_cli_imports(p) - SHARED_CLI) for p in commands if _cli_imports(p) - SHARED_CLI}
    assert len(commands) >= 10 and offenders == {}
    assert not list((ROOT / "flows").glob("cli_*.py"))  # no command module outside the package
