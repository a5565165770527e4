"""What one conversation adds to the aggregates queries of one shape, worked out once.

Every session of a record enters an aggregates query the same way whatever its interval,
granularity and metrics: with the group keys of its dimensions and only if the filter holds
for them. Those depend on the query's *shape* (``groupBy``, ``flattenMultivaluedDimensions``,
``filter``) alone, so the index keeps them per conversation and shape, with the session's
metric observations by name and emit time; a later query of that shape then adds numbers
instead of decoding and flattening the records again (a dashboard polls the same query).
:class:`ShapeTable` holds those of many conversations sorted by emit time per metric and group,
so a query takes each bucket's values as one slice.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from typing import Any

from .aggregates import (
    AggregateQuery,
    Cells,
    aggregate_response,
    group_keys,
    metric_observations,
)
from .filters import Filter

__all__ = [
    "Contribution",
    "Shape",
    "ShapeTable",
    "contributions",
    "shape_of",
]

Shape = tuple[tuple[str, ...], bool, Filter | None]
"""(group by, flatten, filter): what decides how a session enters a query."""


Keys = tuple[tuple[str, ...], ...]
Contribution = Mapping[str, tuple[tuple[int, int, Keys], ...]]
"""metric name -> ((emit ms, value, group keys of its session), ...) for the sessions a
shape's filter lets through."""


def shape_of(q: AggregateQuery) -> Shape:
    return q.group_by, q.flatten, q.filter


def contributions(record: Mapping[str, Any], shape: Shape) -> Contribution:
    """The metric observations of ``record`` that a query of ``shape`` counts (its filter holds
    for their session's dimensions), each with its group keys."""
    group_by, flatten, flt = shape
    out: dict[str, list[tuple[int, int, Keys]]] = {}
    dims: dict[str, Any] | None = None
    keys: Keys | None = None
    for name, value, at, session_dims in metric_observations(record):
        if session_dims is not dims:  # the metrics come one session at a time
            dims = session_dims
            passes = flt is None or flt.test(dims)
            keys = tuple(group_keys(dims, group_by, flatten)) if passes else None
        if keys is not None:
            out.setdefault(name, []).append((at, value, keys))
    return {name: tuple(observed) for name, observed in out.items()}


class ShapeTable:
    """The contributions of many conversations to one shape, by metric and group key, sorted by
    emit time: a query takes each bucket's values as one slice, found by bisection.

    An observation is found by its emit time alone, which selects the same conversations as
    the query's interval does (activity in it) as long as it was emitted within its
    conversation's span; the few that were not (*strays*) are tested one by one.
    """

    def __init__(self) -> None:
        self._columns: dict[str, dict[tuple[str, ...], list[tuple[int, int]]]] = {}
        self._sorted: dict[tuple[str, tuple[str, ...]], tuple[list[int], list[int]]] = {}
        self._strays: list[tuple[int, int | None, str, int, int, Keys]] = []
        self._members: set[str] = set()
        self._covered: list[tuple[int, int]] = []

    def __contains__(self, conversation_id: object) -> bool:
        return conversation_id in self._members

    def add(self, conversation_id: str, start: int, end: int | None, c: Contribution) -> None:
        """Add a conversation (active from ``start`` to ``end``, None while live)."""
        self._members.add(conversation_id)
        columns = self._columns
        for name, observed in c.items():
            column = columns.get(name)
            if column is None:
                column = columns[name] = {}
            for at, value, keys in observed:
                if at < start or (end is not None and at > end):
                    self._strays.append((start, end, name, at, value, keys))
                    continue
                for key in keys:
                    cell = column.get(key)
                    if cell is None:
                        column[key] = [(at, value)]
                    else:
                        cell.append((at, value))
                    self._sorted.pop((name, key), None)

    def covers(self, start: int, end: int) -> bool:
        """Whether every conversation active in ``[start, end)`` was added (see :meth:`cover`)."""
        return any(lo <= start and end <= hi for lo, hi in self._covered)

    def cover(self, start: int, end: int) -> None:
        """Note that every conversation active in ``[start, end)`` has been added."""
        self._covered.append((start, end))

    def response(self, q: AggregateQuery) -> dict[str, Any]:
        """The ``ConversationAggregateQueryResponse`` over the added conversations: what
        :func:`~.aggregates.aggregate_records` gives over those active in the interval."""
        start, end, step = q.start, q.end, q.granularity
        cells: Cells = {}
        for name in dict.fromkeys(q.metrics):
            for key in self._columns.get(name, ()):
                ats, values = self._column(name, key)
                i, last = bisect.bisect_left(ats, start), bisect.bisect_left(ats, end)
                while i < last:
                    bucket = (ats[i] - start) // step if step else 0
                    j = (
                        bisect.bisect_left(ats, start + (bucket + 1) * step, i, last)
                        if step
                        else last
                    )
                    cells[(key, bucket, name)] = values[i:j]
                    i = j
        wanted = set(q.metrics)
        for lo, hi, name, at, value, keys in self._strays:
            active = lo < end and (hi is None or hi >= start)
            if name in wanted and active and start <= at < end:
                bucket = (at - start) // step if step else 0
                for key in keys:
                    cells.setdefault((key, bucket, name), []).append(value)
        return aggregate_response(cells, q)

    def _column(self, name: str, key: tuple[str, ...]) -> tuple[list[int], list[int]]:
        found = self._sorted.get((name, key))
        if found is None:
            pairs = sorted(self._columns[name][key])
            found = self._sorted[(name, key)] = ([a for a, _ in pairs], [v for _, v in pairs])
        return found
