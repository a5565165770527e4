"""The package's import contracts: data flows world -> engine -> views -> (library | analytics),
the engine knows neither the server nor pytest, and no module imports itself back in a cycle.

Every ``import`` counts, also those inside functions and under ``TYPE_CHECKING``: a lazy import
hides a cycle from the interpreter, not from a reader.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "gcmock"

SCENARIO_RANKS = {
    "collector": 0,
    "validate": 0,
    "world": 1,
    "engine": 2,
    "views": 3,
    "library": 4,
    "analytics": 4,
    "simulation": 5,
}
"""A module of ``gcmock.scenarios.<part>`` imports only parts of a lower rank, or its own part.
The package's ``__init__`` (the public face) imports them all and is imported by none of them."""

FORBIDDEN = {
    "gcmock.scenarios": (
        *("gcmock.fixtures", "gcmock.mockserver", "gcmock.dataset", "gcmock.cli"),
        *("flask", "werkzeug", "waitress", "pytest", "responses", "httpx"),
    ),
    "gcmock.mockserver": ("gcmock.fixtures", "gcmock.cli", "pytest"),
    "gcmock.dataset": ("gcmock.fixtures", "gcmock.mockserver", "gcmock.cli", "flask", "pytest"),
    "gcmock.fixtures.factories": ("gcmock.mockserver", "gcmock.fixtures.plugin", "pytest"),
}
"""Which top-level layers a layer never imports: the engine is below every driver."""


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports(name: str, path: Path) -> Iterator[str]:
    """Absolute names of the modules (or packages) that ``name`` imports."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                yield sub if sub in MODULES else base


def internal_edges() -> dict[str, set[str]]:
    return {
        name: {dep for dep in imports(name, path) if dep in MODULES and dep != name}
        for name, path in MODULES.items()
    }


def part(name: str) -> str | None:
    """The engine part a module belongs to, or None outside ``gcmock.scenarios``'s parts."""
    pieces = name.split(".")
    if len(pieces) < 3 or pieces[:2] != ["gcmock", "scenarios"]:
        return None
    return pieces[2]


def test_every_engine_part_has_a_rank() -> None:
    parts = {part(name) for name in MODULES} - {None}
    assert parts == set(SCENARIO_RANKS), parts ^ set(SCENARIO_RANKS)


def test_engine_parts_import_only_downwards() -> None:
    upward = []
    for name, deps in internal_edges().items():
        mine = part(name)
        if mine is None:
            continue
        for dep in deps:
            theirs = part(dep)
            if dep == "gcmock.scenarios" or (
                theirs is not None
                and theirs != mine
                and SCENARIO_RANKS[theirs] >= SCENARIO_RANKS[mine]
            ):
                upward.append(f"{name} -> {dep}")
    assert not upward, "upward imports:\n" + "\n".join(sorted(upward))


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_never_imports_a_higher_one(layer: str) -> None:
    bad = [
        f"{name} -> {dep}"
        for name, path in MODULES.items()
        if name == layer or name.startswith(layer + ".")
        for dep in imports(name, path)
        if any(dep == f or dep.startswith(f + ".") for f in FORBIDDEN[layer])
    ]
    assert not bad, "\n".join(sorted(bad))


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the list of modules around it, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(edges.get(node, ())):
            if state.get(dep) == 1:
                return [*stack[stack.index(dep) :], dep]
            if dep not in state and (found := visit(dep)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycles() -> None:
    """A package's ``__init__`` re-exporting its own modules is not a cycle; anything else is."""
    edges = {
        name: {dep for dep in deps if not (name.startswith(dep + ".") and dep != "gcmock")}
        for name, deps in internal_edges().items()
    }
    cycle = find_cycle(edges)
    assert cycle is None, " -> ".join(cycle or [])


def test_the_checker_sees_a_cycle_and_an_upward_import() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
    assert "gcmock.scenarios.engine.model" in internal_edges()["gcmock.scenarios.engine.legs"]
