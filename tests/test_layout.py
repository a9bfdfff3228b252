"""The package layout is the pipeline: each stage imports only from earlier stages.

ARCHITECTURE.md draws the data flow as core → content → view → state → render →
site and workflow; this test reads every module's imports (including those inside functions and
under ``TYPE_CHECKING``) so that the rule stays true as the code grows.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "statusgen"

# A stage may import from its own stage and from any stage of a lower rank. ``site`` and
# ``workflow`` are siblings: both come after rendering, neither knows the other.
RANK = {"core": 0, "content": 1, "view": 2, "state": 3, "render": 4, "site": 5, "workflow": 5}
TOP_LEVEL = {"__init__.py", "__main__.py", "cli.py"}


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _stage(module: str) -> str | None:
    """``statusgen.render.pages`` → ``render``; None for the top-level modules."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "statusgen" else None


def _dotted(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every ``statusgen`` module that ``path`` imports, absolute or relative."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = _dotted(path).split(".")
    if path.name != "__init__.py":
        here = here[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("statusgen"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            if module.startswith("statusgen"):
                found.add(module)
    return found


def test_the_package_itself_imports_nothing() -> None:
    """Every stage may import ``statusgen`` (for ``__version__``), so it imports nothing."""
    assert not [m for m in _imports(PACKAGE / "__init__.py") if m.startswith("statusgen")]


def test_top_level_holds_only_the_entry_points() -> None:
    top = {p.name for p in PACKAGE.glob("*.py")}
    assert top <= TOP_LEVEL
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert packages == set(RANK)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_flow_one_way(path: Path) -> None:
    stage = _stage(_dotted(path))
    if stage is None:
        return  # the CLI assembles everything
    for module in _imports(path):
        if module == "statusgen":
            continue  # the package itself: its version, which every stage may name
        target = _stage(module)
        assert target is not None, f"{path.name} imports the top-level {module}"
        earlier_or_same = RANK[target] < RANK[stage] or target == stage
        assert earlier_or_same, f"{_dotted(path)} ({stage}) imports {module} ({target})"


def test_no_import_cycle() -> None:
    graph = {_dotted(p): {m for m in _imports(p) if m != _dotted(p)} for p in _modules()}
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(node: str, trail: list[str]) -> None:
        if state.get(node) == 2:
            return
        assert state.get(node) != 1, "import cycle: " + " → ".join([*trail, node])
        state[node] = 1
        for target in sorted(graph.get(node, ())):
            if target in graph:
                visit(target, [*trail, node])
        state[node] = 2

    for node in sorted(graph):
        visit(node, [])
