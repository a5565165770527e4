"""The aggregates query (``ConversationAggregationQuery``) and its answer.

Aggregates bucket every session metric by its ``emitDate``, grouped by the requested dimensions
of its session, participant and conversation: ``n`` metrics report ``count`` (the sum of their
values), the others ``count``/``sum``/``min``/``max``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..views.timestamps import iso
from .filters import Filter, as_text, parse_filter
from .intervals import duration_ms, parse_interval
from .rows import conversation_row, flatten_into, record_ms
from .vocabulary import (
    AGGREGATE_DIMENSIONS,
    AGGREGATE_KIND,
    CONVERSATION_METRICS,
    QueryError,
    check_keys,
    require,
)

__all__ = [
    "AggregateQuery",
    "Cells",
    "aggregate_records",
    "aggregate_response",
    "group_keys",
    "metric_observations",
    "parse_aggregate_query",
]


@dataclass(frozen=True, slots=True)
class AggregateQuery:
    """A validated ``ConversationAggregationQuery``."""

    start: int
    end: int
    granularity: int | None
    group_by: tuple[str, ...]
    metrics: tuple[str, ...]
    filter: Filter | None = None
    flatten: bool = False


_UNSUPPORTED_AGGREGATE_FIELDS = ("views", "sortMetric", "limit", "alternateTimeDimension")


def parse_aggregate_query(body: Any) -> AggregateQuery:
    """Validate an aggregates query body; raise :class:`QueryError` naming the first problem."""
    require(body, dict, "body", "a JSON object (ConversationAggregationQuery)")
    for key in _UNSUPPORTED_AGGREGATE_FIELDS:
        if body.get(key) is not None:
            raise QueryError(key, "is not supported by gcmock")
    check_keys(
        body,
        (
            "interval",
            "granularity",
            "timeZone",
            "groupBy",
            "filter",
            "metrics",
            "flattenMultivaluedDimensions",
            "queryType",
        ),
        "",
        "ConversationAggregationQuery",
    )
    if "interval" not in body:
        raise QueryError("interval", "is required")
    start, end = parse_interval(body["interval"])
    granularity = None
    if body.get("granularity") is not None:
        g = require(body["granularity"], str, "granularity", "an ISO-8601 duration")
        granularity = duration_ms(g, "granularity")
    tz = body.get("timeZone")
    if tz is not None:
        try:
            ZoneInfo(require(tz, str, "timeZone", "a time zone name"))
        except (ZoneInfoNotFoundError, ValueError):
            raise QueryError("timeZone", f"unknown time zone {tz!r}") from None
    if body.get("queryType", "groupBy") != "groupBy":
        raise QueryError("queryType", "gcmock supports only groupBy")
    group_by = tuple(require(body.get("groupBy") or [], list, "groupBy", "a list of dimensions"))
    for i, dim in enumerate(group_by):
        if dim not in AGGREGATE_DIMENSIONS:
            raise QueryError(f"groupBy[{i}]", f"unknown dimension {dim!r}")
    metrics = tuple(require(body.get("metrics") or [], list, "metrics", "a list of metrics"))
    if not metrics:
        raise QueryError("metrics", "needs at least one metric")
    for i, name in enumerate(metrics):
        if name not in CONVERSATION_METRICS:
            raise QueryError(f"metrics[{i}]", f"unknown metric {name!r}")
    flt = None
    if body.get("filter") is not None:
        flt = parse_filter(body["filter"], AGGREGATE_KIND, "filter")
    flatten = bool(body.get("flattenMultivaluedDimensions", False))
    return AggregateQuery(start, end, granularity, group_by, metrics, flt, flatten)


def metric_observations(
    record: Mapping[str, Any],
) -> Iterator[tuple[str, int, int, dict[str, Any]]]:
    """(name, value, emit ms, dimensions) for every session metric of a record.

    The dimensions are the conversation's, the participant's, the session's and those of its
    segments (the last segment wins, so ``disconnectType`` is how the session ended).
    """
    conv = conversation_row(record, metrics=False)
    for p in record.get("participants", ()):
        for s in p.get("sessions", ()):
            metrics = s.get("metrics")
            if not metrics:
                continue
            dims = dict(conv)
            flatten_into(p, dims)
            flatten_into(s, dims)
            for seg in s.get("segments", ()):
                flatten_into(seg, dims)
            for key in ("segmentStart", "segmentEnd", "segmentType"):
                dims.pop(key, None)
            for m in metrics:
                yield m["name"], m["value"], record_ms(m["emitDate"]), dims


def group_keys(
    dims: Mapping[str, Any], group_by: Sequence[str], flatten: bool
) -> list[tuple[str, ...]]:
    """The group keys of one observation: a multi-valued dimension makes one group per value
    with ``flattenMultivaluedDimensions``, else one group for the sorted, joined values."""
    keys: list[tuple[str, ...]] = [()]
    for dim in group_by:
        v = dims.get(dim)
        if v is None:
            values = [""]
        elif isinstance(v, list):
            texts = sorted(as_text(x) for x in v)
            values = texts if flatten and texts else [",".join(texts)]
        else:
            values = [as_text(v)]
        keys = [(*k, x) for k in keys for x in values]
    return keys


def _stats(name: str, values: list[int]) -> dict[str, Any]:
    if name.startswith("n"):
        return {"count": sum(values)}
    return {"max": max(values), "min": min(values), "count": len(values), "sum": sum(values)}


Cells = dict[tuple[tuple[str, ...], int, str], list[int]]
"""(group key, bucket, metric) -> the values observed there."""


def aggregate_records(records: Iterable[Mapping[str, Any]], q: AggregateQuery) -> dict[str, Any]:
    """The ``ConversationAggregateQueryResponse`` over ``records`` (``{}`` when nothing matched)."""
    wanted = set(q.metrics)
    cells: Cells = {}
    for record in records:
        for name, value, at, dims in metric_observations(record):
            if name not in wanted or not q.start <= at < q.end:
                continue
            if q.filter is not None and not q.filter.test(dims):
                continue
            bucket = (at - q.start) // q.granularity if q.granularity else 0
            for key in group_keys(dims, q.group_by, q.flatten):
                cells.setdefault((key, bucket, name), []).append(value)
    return aggregate_response(cells, q)


def aggregate_response(cells: Cells, q: AggregateQuery) -> dict[str, Any]:
    """The response for the values collected in ``cells``: groups and buckets sorted, metrics
    in the query's order."""
    if not cells:
        return {}
    nested: dict[tuple[str, ...], dict[int, dict[str, list[int]]]] = {}
    for (key, bucket, name), values in cells.items():
        nested.setdefault(key, {}).setdefault(bucket, {})[name] = values
    results = []
    for key in sorted(nested):
        group = {dim: v for dim, v in zip(q.group_by, key, strict=True) if v}
        data = []
        for bucket in sorted(nested[key]):
            lo = q.start + bucket * (q.granularity or 0)
            hi = min(q.end, lo + q.granularity) if q.granularity else q.end
            by_name = nested[key][bucket]
            data.append(
                {
                    "interval": f"{iso(lo)}/{iso(hi)}",
                    "metrics": [
                        {"metric": n, "stats": _stats(n, by_name[n])}
                        for n in q.metrics
                        if n in by_name
                    ],
                }
            )
        container: dict[str, Any] = {"group": group} if group else {}
        container["data"] = data
        results.append(container)
    return {"results": results}
