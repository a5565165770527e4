"""Details query over many stored conversations: the index against a linear scan.

Stores N analytics records (default 100,000 conversations spread over the default 7-day window),
then answers "one day, one queue, first page" with :class:`AnalyticsIndex` and with a scan of
every record applying the same definition (``analytics_query.matches``), checks that both give
the same answer, and prints the medians and their ratio. A second query, whose two predicates
must hold on the same segment, shows the cost when the postings only narrow the candidates.

    python benchmarks/analytics.py [--count 100000] [--repeat 30]
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from gcmock.scenarios import GeneratorOptions, build_world, generate
from gcmock.scenarios.analytics import to_analytics
from gcmock.scenarios.analytics_query import (
    AnalyticsIndex,
    DetailQuery,
    matches,
    parse_details_query,
    parse_interval,
)
from gcmock.scenarios.projection import iso

DAY = 86_400_000


def _ms(text: str) -> int:
    return parse_interval(f"{text}/PT1S")[0]


def linear_scan(records: list[dict[str, Any]], q: DetailQuery) -> dict[str, Any]:
    """The same answer without an index: test every record, sort, cut the page."""
    hits = []
    for r in records:
        start = _ms(r["conversationStart"])
        end = _ms(r["conversationEnd"]) if "conversationEnd" in r else None
        if q.in_interval(start, end) and matches(r, q.filters):
            hits.append((start, r["conversationId"], r))
    hits.sort(key=lambda h: (h[0], h[1]))
    first = (q.page_number - 1) * q.page_size
    page = [h[2] for h in hits[first : first + q.page_size]]
    return {"conversations": page, "totalHits": len(hits)}


def _median_ms(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times = []
    result = None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), result


def _ids(response: dict[str, Any]) -> tuple[int, list[str]]:
    return response["totalHits"], [c["conversationId"] for c in response.get("conversations", [])]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--scan-repeat", type=int, default=3)
    args = parser.parse_args(argv)

    world = build_world(11)
    t = time.perf_counter()
    records = [to_analytics(c, with_attributes=True) for c in generate(world, 1, 0, args.count)]
    built = time.perf_counter() - t
    index = AnalyticsIndex()
    t = time.perf_counter()
    for r in records:
        index.add(r)
    indexed = time.perf_counter() - t
    for r in records:  # the scan compares with the sync shape the index returns
        for p in r["participants"]:
            p.pop("attributes", None)
    print(f"{args.count} conversations: projected in {built:.1f} s, indexed in {indexed:.1f} s")

    day = GeneratorOptions().start_ms + 2 * DAY
    queue = world.queues[0].id
    queries = {
        "one day + queueId": {
            "interval": f"{iso(day)}/{iso(day + DAY)}",
            "segmentFilters": [
                {"type": "and", "predicates": [{"dimension": "queueId", "value": queue}]}
            ],
        },
        "one day + queueId AND segmentType=hold (same segment)": {
            "interval": f"{iso(day)}/{iso(day + DAY)}",
            "segmentFilters": [
                {
                    "type": "and",
                    "predicates": [
                        {"dimension": "queueId", "value": queue},
                        {"dimension": "segmentType", "value": "hold"},
                    ],
                }
            ],
        },
    }
    for name, body in queries.items():
        q = parse_details_query(body)
        fast, answer = _median_ms(functools.partial(index.query, q), args.repeat)
        slow, expected = _median_ms(functools.partial(linear_scan, records, q), args.scan_repeat)
        if _ids(answer) != _ids(expected):
            print(f"MISMATCH for {name}: {_ids(answer)} != {_ids(expected)}", file=sys.stderr)
            return 1
        print(
            f"{name}: totalHits {answer['totalHits']}, index {fast:.2f} ms"
            f" (median of {args.repeat}), linear scan {slow:.0f} ms, {slow / fast:.0f}x faster"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
