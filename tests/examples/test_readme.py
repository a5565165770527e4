"""Every ```python block of README.md runs as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCKS = re.findall(r"^```python\n(.*?)^```", README.read_text(), flags=re.S | re.M)


def test_readme_has_examples() -> None:
    assert len(BLOCKS) >= 3


EXAMPLES = Path(__file__).resolve().parent
SNIPPETS = [b for b in BLOCKS if not b.startswith("# tests/examples/")]
FILES = [b for b in BLOCKS if b.startswith("# tests/examples/")]


@pytest.mark.parametrize("code", SNIPPETS, ids=[f"block{i}" for i in range(len(SNIPPETS))])
def test_readme_example_runs(code: str) -> None:
    exec(compile(code, str(README), "exec"), {"__name__": "readme_example"})


@pytest.mark.parametrize("code", FILES, ids=[b.splitlines()[0][2:] for b in FILES])
def test_readme_shows_the_example_files_verbatim(code: str) -> None:
    """Test files shown in README run under pytest from tests/examples/; they must match."""
    path = EXAMPLES / code.splitlines()[0].removeprefix("# tests/examples/")
    assert path.read_text() == code
