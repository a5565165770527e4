"""Size limits that keep the package readable: one idea per module, one step per function.

* A module of ``gcmock/`` has at most :data:`MAX_MODULE_LINES` lines (the aim is ~500; past that,
  split it along its seams into modules whose names say what they hold).
* A function (or method) has at most :data:`MAX_FUNCTION_LINES` lines, counted from its ``def``
  to its last line, unless its docstring says why it is long: the docstring must contain the
  word "long" (for example "It is long because each line is one draw of the seeded stream").
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "gcmock"
MAX_MODULE_LINES = 550
MAX_FUNCTION_LINES = 60


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def long_functions(source: str, name: str = "<source>") -> Iterator[str]:
    """``name:line function (n lines)`` of each function over the limit without a reason."""
    for node in ast.walk(ast.parse(source, name)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        assert node.end_lineno is not None
        lines = node.end_lineno - node.lineno + 1
        reason = "long" in (ast.get_docstring(node) or "").lower()
        if lines > MAX_FUNCTION_LINES and not reason:
            yield f"{name}:{node.lineno} {node.name} ({lines} lines)"


def test_no_module_is_over_the_limit() -> None:
    over = [
        f"{p.relative_to(PACKAGE.parent)} ({n} lines)"
        for p in modules()
        if (n := len(p.read_text().splitlines())) > MAX_MODULE_LINES
    ]
    assert not over, "split these modules:\n" + "\n".join(over)


def test_no_function_is_long_without_a_reason() -> None:
    found = [
        line
        for p in modules()
        for line in long_functions(p.read_text(), str(p.relative_to(PACKAGE.parent)))
    ]
    assert not found, "split these functions or say in the docstring why they are long:\n" + (
        "\n".join(found)
    )


def _function(lines: int, docstring: str | None) -> str:
    doc = f'    """{docstring}"""\n' if docstring is not None else ""
    return "def f():\n" + doc + "    x = 1\n" * (lines - 1 - (doc != ""))


@pytest.mark.parametrize(
    ("lines", "docstring", "flagged"),
    [
        (MAX_FUNCTION_LINES, None, False),
        (MAX_FUNCTION_LINES + 1, None, True),
        (MAX_FUNCTION_LINES + 1, "Adds one.", True),
        (MAX_FUNCTION_LINES + 1, "Long because each line is one draw of the stream.", False),
    ],
)
def test_the_checker_counts_lines_and_reads_the_reason(
    lines: int, docstring: str | None, flagged: bool
) -> None:
    source = _function(lines, docstring)
    assert len(source.splitlines()) == lines
    assert bool(list(long_functions(source))) is flagged
