"""The package cites nothing its users do not have: no reference document outside the
repository (the facts the code relies on are in ``docs/``, in the project's words)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NAMES = ("genesys-api", "endpoints.md", "models.md", "DESIGN", "§", "reference/", "/work/shared")
SOURCES = sorted(
    p for p in (ROOT / "gcmock").rglob("*") if p.suffix in (".py", ".js", ".html", ".css", ".md")
)


def test_sources_are_found() -> None:
    assert ROOT / "gcmock" / "scenarios" / "engine" / "transfer.py" in SOURCES


@pytest.mark.parametrize("name", NAMES)
def test_no_source_cites_an_outside_reference(name: str) -> None:
    citing = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in SOURCES
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if name in line
    ]
    assert citing == []


def test_the_cited_docs_exist() -> None:
    for p in SOURCES:
        text = p.read_text(encoding="utf-8")
        for doc in ("docs/realism.md", "docs/coverage.md"):
            if doc in text:
                assert (ROOT / doc).is_file(), (p, doc)
