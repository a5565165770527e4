"""Predicates and filters: parsed from a query body, tested against one row.

Filters in one list and filters of different kinds are ANDed. A segment filter holds when one
segment (seen with its session's and participant's dimensions) satisfies it as a whole; an
evaluation, survey or resolution filter when one evaluation/survey/resolution does; a
conversation filter tests the conversation's dimensions and, for metrics, each metric summed
over every session (the rows are built by :mod:`.rows`). Predicates: ``matches`` (the default)
compares ``value`` as text or tests ``range``; ``exists``/``notExists`` test presence.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .vocabulary import PROPERTY_TYPES, Kind, QueryError, check_keys, require

__all__ = [
    "Filter",
    "Predicate",
    "as_number",
    "as_text",
    "parse_filter",
]


def as_text(value: Any) -> str:
    """A row value as a predicate's ``value`` compares it: JSON booleans in lower case."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def as_number(value: Any) -> float | None:
    """A row value as a ``range`` tests it; None for anything but a number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


_Range = tuple[float | None, float | None, float | None, float | None]


@dataclass(frozen=True, slots=True)
class Predicate:
    """``key operator value|range``: ``key`` names a row entry (a dimension or a metric)."""

    key: str
    operator: str
    value: str | None = None
    range: _Range | None = None
    """(gt, gte, lt, lte)."""

    def test(self, row: Mapping[str, Any]) -> bool:
        v = row.get(self.key)
        if self.operator == "exists":
            return v is not None
        if self.operator == "notExists":
            return v is None
        if v is None:
            return False
        values = v if isinstance(v, list) else (v,)
        if self.value is not None:
            return any(as_text(x) == self.value for x in values)
        return any(self._in_range(as_number(x)) for x in values)

    def _in_range(self, x: float | None) -> bool:
        assert self.range is not None
        if x is None:
            return False
        gt, gte, lt, lte = self.range
        return (
            (gt is None or x > gt)
            and (gte is None or x >= gte)
            and (lt is None or x < lt)
            and (lte is None or x <= lte)
        )


@dataclass(frozen=True, slots=True)
class Filter:
    """An ``and``/``or`` of predicates and clauses, tested against one row."""

    kind: str
    any_of: bool
    predicates: tuple[Predicate, ...]
    clauses: tuple[Filter, ...] = ()

    def test(self, row: Mapping[str, Any]) -> bool:
        parts: Iterator[bool] = (p.test(row) for p in self.predicates)
        clauses = (c.test(row) for c in self.clauses)
        if self.any_of:
            return any(parts) or any(clauses)
        return all(parts) and all(clauses)


def _parse_range(obj: Any, path: str) -> _Range:
    require(obj, dict, path, "an object with gt, gte, lt or lte")
    check_keys(obj, ("gt", "gte", "lt", "lte"), path, "NumericRange")
    if not obj:
        raise QueryError(path, "needs at least one of gt, gte, lt, lte")
    for key in ("gt", "gte", "lt", "lte"):
        if obj.get(key) is not None and as_number(obj[key]) is None:
            raise QueryError(f"{path}.{key}", "must be a number")
    gt, gte, lt, lte = (as_number(obj.get(k)) for k in ("gt", "gte", "lt", "lte"))
    return gt, gte, lt, lte


def _parse_predicate(obj: Any, kind: Kind, path: str) -> Predicate:
    require(obj, dict, path, "an object")
    fields = ["type", "dimension", "metric", "operator", "value", "range"]
    if kind.properties:
        fields += ["property", "propertyType"]
    check_keys(obj, fields, path, kind.model)
    sides = [k for k in ("dimension", "metric", "property") if obj.get(k) is not None]
    ptype = obj.get("type")
    if ptype is None:
        if len(sides) != 1:
            raise QueryError(
                path,
                "needs exactly one of dimension, metric"
                + (", property" if kind.properties else ""),
            )
        ptype = sides[0]
    valid_types = (
        ("dimension", "metric", "property") if kind.properties else ("dimension", "metric")
    )
    if ptype not in valid_types:
        raise QueryError(f"{path}.type", f"must be one of {', '.join(valid_types)}, not {ptype!r}")
    name = obj.get(ptype)
    if not isinstance(name, str):
        raise QueryError(f"{path}.{ptype}", f"is required for a {ptype} predicate")
    if ptype == "dimension" and name not in kind.dimensions:
        raise QueryError(f"{path}.dimension", f"unknown {kind.name} dimension {name!r}")
    if ptype == "metric" and name not in kind.metrics:
        raise QueryError(f"{path}.metric", f"unknown {kind.name} metric {name!r}")
    key = name
    if ptype == "property":
        ptt = obj.get("propertyType")
        if ptt not in PROPERTY_TYPES:
            raise QueryError(
                f"{path}.propertyType", f"must be one of {', '.join(sorted(PROPERTY_TYPES))}"
            )
        key = f"property:{name}"
    operator = obj.get("operator", "matches")
    if operator not in ("matches", "exists", "notExists"):
        raise QueryError(
            f"{path}.operator", f"must be matches, exists or notExists, not {operator!r}"
        )
    value = obj.get("value")
    if value is not None and not isinstance(value, str):
        raise QueryError(f"{path}.value", "must be a string")
    rng = obj.get("range")
    if operator == "matches":
        if (value is None) == (rng is None):
            raise QueryError(path, "a matches predicate needs either a value or a range")
    elif value is not None or rng is not None:
        raise QueryError(path, f"an {operator} predicate takes no value or range")
    parsed = _parse_range(rng, f"{path}.range") if rng is not None else None
    return Predicate(key, operator, value, parsed)


def parse_filter(obj: Any, kind: Kind, path: str, *, clause: bool = False) -> Filter:
    require(obj, dict, path, "an object")
    fields = ("type", "predicates") if clause else ("type", "clauses", "predicates")
    check_keys(obj, fields, path, "clause" if clause else "filter")
    ftype = obj.get("type")
    if ftype not in ("and", "or"):
        raise QueryError(f"{path}.type", f"must be and or or, not {ftype!r}")
    preds = require(obj.get("predicates") or [], list, f"{path}.predicates", "a list")
    clauses = [] if clause else require(obj.get("clauses") or [], list, f"{path}.clauses", "a list")
    if not preds and not clauses:
        raise QueryError(path, "needs at least one predicate" + ("" if clause else " or clause"))
    return Filter(
        kind.name,
        ftype == "or",
        tuple(_parse_predicate(p, kind, f"{path}.predicates[{i}]") for i, p in enumerate(preds)),
        tuple(
            parse_filter(c, kind, f"{path}.clauses[{i}]", clause=True)
            for i, c in enumerate(clauses)
        ),
    )
