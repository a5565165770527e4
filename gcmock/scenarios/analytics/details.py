"""The details query (``ConversationQuery``, or an async job's ``AsyncConversationQuery``).

``interval`` ``start/end`` (either side may be an ISO-8601 duration), half-open. A synchronous
query keeps conversations with activity in the interval that *started on a day touched by the
interval* (UTC); an async job keeps every conversation with activity in the interval, or only
those started since the start date's midnight with ``startOfDayIntervalMatching``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .filters import Filter, parse_filter
from .intervals import parse_interval
from .vocabulary import (
    DAY_MS,
    DEFAULT_PAGE_SIZE,
    KINDS,
    MAX_PAGE_SIZE,
    QueryError,
    check_keys,
    require,
)

__all__ = [
    "DetailQuery",
    "parse_details_query",
]


@dataclass(frozen=True, slots=True)
class DetailQuery:
    """A validated ``ConversationQuery`` (or, with ``job``, an ``AsyncConversationQuery``)."""

    start: int
    end: int
    filters: tuple[Filter, ...] = ()
    order: str = "asc"
    order_by: str = "conversationStart"
    page_size: int = DEFAULT_PAGE_SIZE
    page_number: int = 1
    job: bool = False
    start_of_day: bool = False
    limit: int | None = None

    def in_interval(self, start: int, end: int | None) -> bool:
        """Activity in the interval; a sync query also needs a start on a touched UTC day."""
        if start >= self.end or (end is not None and end < self.start):
            return False
        if self.job:
            return not self.start_of_day or start >= self.start - self.start % DAY_MS
        return self.start - self.start % DAY_MS <= start

    def start_bounds(self, max_span: int) -> tuple[int, int]:
        """The conversation starts that can match, for a bisect over starts (live ones aside)."""
        lo = self.start - self.start % DAY_MS
        if self.job and not self.start_of_day:
            lo = min(lo, self.start - max_span)
        return lo, self.end


_SORTS = ("conversationStart", "conversationEnd", "segmentStart", "segmentEnd")
_FILTER_KEYS = tuple(KINDS)


def parse_details_query(body: Any, *, job: bool = False) -> DetailQuery:
    """Validate a details query body; raise :class:`QueryError` naming the first problem."""
    model = "AsyncConversationQuery" if job else "ConversationQuery"
    require(body, dict, "body", f"a JSON object ({model})")
    if "aggregations" in body and not job:
        raise QueryError("aggregations", "faceted aggregations are not supported by gcmock")
    extra = ("limit", "startOfDayIntervalMatching") if job else ("paging",)
    check_keys(body, ("interval", "order", "orderBy", *_FILTER_KEYS, *extra), "", model)
    if "interval" not in body:
        raise QueryError("interval", "is required")
    start, end = parse_interval(body["interval"])
    order = body.get("order", "asc")
    if order not in ("asc", "desc", "unordered"):
        raise QueryError("order", f"must be asc, desc or unordered, not {order!r}")
    order_by = body.get("orderBy", "conversationStart")
    if order_by not in _SORTS:
        raise QueryError("orderBy", f"must be one of {', '.join(_SORTS)}, not {order_by!r}")
    filters: list[Filter] = []
    for key, kind in KINDS.items():
        items = require(body.get(key) or [], list, key, "a list of filters")
        filters += [parse_filter(f, kind, f"{key}[{i}]") for i, f in enumerate(items)]
    page_size, page_number = DEFAULT_PAGE_SIZE, 1
    paging = body.get("paging")
    if paging is not None:
        require(paging, dict, "paging", "an object")
        check_keys(paging, ("pageSize", "pageNumber"), "paging", "PagingSpec")
        page_size = require(paging.get("pageSize", page_size), int, "paging.pageSize", "an integer")
        page_number = require(paging.get("pageNumber", 1), int, "paging.pageNumber", "an integer")
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise QueryError(
                "paging.pageSize", f"must be between 1 and {MAX_PAGE_SIZE}, not {page_size}"
            )
        if page_number < 1:
            raise QueryError("paging.pageNumber", f"must be 1 or more, not {page_number}")
    limit = None
    if job and body.get("limit") is not None:
        limit = require(body["limit"], int, "limit", "an integer")
        if limit < 1:
            raise QueryError("limit", f"must be 1 or more, not {limit}")
    start_of_day = False
    if job and body.get("startOfDayIntervalMatching") is not None:
        start_of_day = require(
            body["startOfDayIntervalMatching"], bool, "startOfDayIntervalMatching", "a boolean"
        )
    return DetailQuery(
        start,
        end,
        tuple(filters),
        order,
        order_by,
        page_size,
        page_number,
        job,
        start_of_day,
        limit,
    )
