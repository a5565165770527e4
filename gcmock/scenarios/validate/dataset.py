"""Rules across a dataset (ids never reappear, one name per id) and the readers of files of
conversations (JSON, NDJSON, gzipped or not)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterator, Mapping
from os import PathLike
from pathlib import Path
from typing import Any

from .checker import Checker, validate
from .rules import CLOCK_SKEW_MS, Violation

__all__ = ["DatasetValidator", "iter_conversations", "validate_file"]

_loads: Callable[[bytes], Any]
try:
    import orjson

    _loads = orjson.loads
except ImportError:  # pragma: no cover - orjson is a dependency, json is the fallback
    _loads = json.loads


class DatasetValidator:
    """Validates conversations one by one and adds the rules that span the whole dataset."""

    def __init__(self, *, skew_ms: int = CLOCK_SKEW_MS) -> None:
        self.skew_ms = skew_ms
        self.violations: list[Violation] = []
        self.conversations = 0
        self._ids: set[str] = set()
        self._names: dict[tuple[str, str], str] = {}

    def add(self, conversation: Mapping[str, Any]) -> list[Violation]:
        """Check one more conversation; return (and keep) what it breaks."""
        self.conversations += 1
        if not isinstance(conversation, Mapping):
            found = validate(conversation)
            self.violations.extend(found)
            return found
        checker = Checker(conversation, self.skew_ms)
        found = checker.run()
        cid = checker.cid
        if cid:
            if cid in self._ids:
                found.append(
                    Violation(
                        cid,
                        None,
                        "dataset.id",
                        f"conversation id {cid} was already used in the dataset",
                    )
                )
            self._ids.add(cid)
        for ident in checker.ids:
            if ident in self._ids:
                found.append(
                    Violation(
                        cid,
                        None,
                        "dataset.id",
                        f"id {ident} already appears in another conversation",
                    )
                )
        self._ids.update(checker.ids)
        for (kind, ident), (name, pid) in checker.names.items():
            seen = self._names.setdefault((kind, ident), name)
            if seen != name:
                found.append(
                    Violation(
                        cid,
                        pid,
                        "dataset.name",
                        f"{kind} {ident} is named "
                        f"{name!r} here but {seen!r} in an earlier conversation",
                    )
                )
        self.violations.extend(found)
        return found


def iter_conversations(path: str | PathLike[str]) -> Iterator[Any | Violation]:
    """Yield the parsed conversations of a file, or a json.parse Violation for what won't parse.

    ``.json`` holds one conversation, a list, or a paging envelope with ``entities``;
    ``.ndjson``/``.jsonl`` one conversation per line; any of them may end in ``.gz``.
    """
    name = Path(path).name
    compressed = name.endswith(".gz")
    if compressed:
        name = name[:-3]
    opener = gzip.open if compressed else open
    with opener(path, "rb") as stream:
        if name.endswith((".ndjson", ".jsonl")):
            for number, line in enumerate(stream, 1):
                if line.strip():
                    yield _parse(line, f"<line {number}>")
            return
        document = _parse(stream.read(), "<file>")
    if (
        isinstance(document, dict)
        and "participants" not in document
        and isinstance(document.get("entities"), list)
    ):
        yield from document["entities"]
    elif isinstance(document, list):
        yield from document
    else:
        yield document


def _parse(data: bytes, where: str) -> Any:
    try:
        return _loads(data)
    except ValueError as error:
        return Violation(where, None, "json.parse", str(error))


def validate_file(
    path: str | PathLike[str], *, skew_ms: int = CLOCK_SKEW_MS
) -> Iterator[Violation]:
    """Every violation in a file, the dataset rules included, as they are found."""
    dataset = DatasetValidator(skew_ms=skew_ms)
    for item in iter_conversations(path):
        if isinstance(item, Violation):
            yield item
        else:
            yield from dataset.add(item)
