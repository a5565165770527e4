"""Details queries over many stored conversations: through the mock server, against a linear scan.

Builds a mock server holding N conversations (default 100,000 over a 7-day window), then sends
``POST /api/v2/analytics/conversations/details/query`` for "one day, one queue, first page"
through the app (Flask's test client, so no socket costs are counted) and prints:

- the first query: the server has read no conversation for analytics yet, so this includes
  following the whole store and reading the conversations of that day;
- later queries: the median of ``--repeat`` more runs of the same query;
- the first query of another day, and a query whose two predicates must hold on the same
  segment (the postings only narrow the candidates, whose records are then projected);
- for comparison, what a first query cost before the index read conversations lazily:
  projecting every record and indexing them all (``AnalyticsIndex.add``, with the postings of
  every indexed dimension);
- a linear scan of the same records applying the same definition (``analytics.rows.matches``),
  which must give the same answer, and the ratios.

Then the aggregates query of a wallboard (one day by queue and media type, half-hourly, the
usual queue metrics) over a server holding one day of ``--day-count`` conversations (default
48,000): the first query (reading and projecting the day's records), the second (grouping
their kept contributions by shape), the median of later ones, against the previous path
measured in the same run (decode every record of the day and pass over it:
``aggregates.aggregate_records``), which must give the same answer.

    python benchmarks/analytics.py [--count 100000] [--repeat 30] [--day-count 48000]
        [--only details|aggregates]
"""

from __future__ import annotations

import argparse
import base64
import functools
import gc
import resource
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import orjson
from flask.testing import FlaskClient

from gcmock.mockserver import ServerConfig, create_app
from gcmock.mockserver.state import ServerState
from gcmock.scenarios.analytics.aggregates import aggregate_records, parse_aggregate_query
from gcmock.scenarios.analytics.details import DetailQuery, parse_details_query
from gcmock.scenarios.analytics.index import AnalyticsIndex
from gcmock.scenarios.analytics.intervals import parse_interval
from gcmock.scenarios.analytics.rows import matches
from gcmock.scenarios.views.analytics import to_analytics
from gcmock.scenarios.views.analytics_values import (
    INDEXED_CONVERSATION_DIMENSIONS,
    INDEXED_SEGMENT_DIMENSIONS,
)
from gcmock.scenarios.views.timestamps import iso

DAY = 86_400_000
ANCHOR = 1_793_491_200_000
"""The server clock at start (a Sunday midnight, UTC): the window is the week before it."""
PATH = "/api/v2/analytics/conversations/details/query"
AGGREGATES = "/api/v2/analytics/conversations/aggregates/query"
WALLBOARD_METRICS = ["nOffered", "tHandle", "tTalk", "tAnswered", "tAbandon", "nTransferred"]
"""The issue's wallboard metrics, less ``oServiceLevel``, which gcmock does not serve yet; its
ingredients (``nOverSla`` and the answered count ``tAnswered``) are measured instead."""


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


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t = time.perf_counter()
    result = fn()
    return (time.perf_counter() - t) * 1000, result


def _median_ms(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    runs = [_timed(fn) for _ in range(repeat)]
    return statistics.median(ms for ms, _ in runs), runs[-1][1]


def _ids(response: dict[str, Any]) -> tuple[int, list[str]]:
    return response["totalHits"], [c["conversationId"] for c in response.get("conversations", [])]


def _client(config: ServerConfig) -> tuple[FlaskClient, ServerState, dict[str, str]]:
    app = create_app(config)
    gc.freeze()  # as `gcmock serve` does once its conversations are built
    client = app.test_client()
    secret = base64.b64encode(f"{config.client_id}:{config.client_secret}".encode()).decode()
    r = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {secret}"},
    )
    headers = {"Authorization": f"Bearer {r.get_json()['access_token']}"}
    # a first request that reads no analytics: the autopilot's catch-up at the start clock and
    # Flask's first-request costs are not the query's
    client.get("/api/v2/analytics/conversations/details/jobs/availability", headers=headers)
    state: ServerState = app.extensions["gcmock"]
    return client, state, headers


def _query(day: int, *predicates: dict[str, str]) -> dict[str, Any]:
    return {
        "interval": f"{iso(day)}/{iso(day + DAY)}",
        "segmentFilters": [{"type": "and", "predicates": list(predicates)}],
    }


def _every_posting(day: int) -> dict[str, Any]:
    """A query naming every indexed dimension: the previous design kept postings for all of
    them from the start, this one builds those of a dimension when a query first names it."""
    predicates = [{"dimension": d, "value": "-"} for d in INDEXED_SEGMENT_DIMENSIONS]
    conversation = [{"dimension": d, "value": "-"} for d in INDEXED_CONVERSATION_DIMENSIONS]
    return {
        "interval": f"{iso(day)}/{iso(day + DAY)}",
        "segmentFilters": [{"type": "or", "predicates": predicates}],
        "conversationFilters": [{"type": "or", "predicates": conversation}],
    }


def aggregates(args: argparse.Namespace) -> int:
    """The wallboard's aggregates query over one day of ``args.day_count`` conversations."""
    config = ServerConfig(
        seed=1, conversations=args.day_count, start_ms=ANCHOR, frozen=True, window_ms=DAY
    )
    t = time.perf_counter()
    client, state, headers = _client(config)
    print(f"server with one day of {args.day_count} conversations built in", end=" ")
    print(f"{time.perf_counter() - t:.1f} s")
    built = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    day = ANCHOR - DAY
    body = {
        "interval": f"{iso(day)}/{iso(day + DAY)}",
        "granularity": "PT30M",
        "groupBy": ["queueId", "mediaType"],
        "metrics": [*WALLBOARD_METRICS, "nOverSla"],
    }

    def post() -> dict[str, Any]:
        r = client.post(AGGREGATES, json=body, headers=headers)
        assert r.status_code == 200, r.get_data(as_text=True)
        answer: dict[str, Any] = r.get_json()
        return answer

    first, answer = _timed(post)
    collected, _ = _timed(gc.collect)  # what the first query built, which a later one would pay
    second, _ = _timed(post)
    later, again = _median_ms(post, args.repeat)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    q = parse_aggregate_query(body)
    convs = [snap.conv for snap in state.store.by_start()]
    records = [to_analytics(c, with_attributes=True, world=state.world) for c in convs]
    blobs = [orjson.dumps(r) for r in records]  # kept as the index kept them before

    def previous() -> dict[str, Any]:
        return aggregate_records((orjson.loads(b) for b in blobs), q)

    slow, expected = _median_ms(previous, args.scan_repeat)
    if answer != expected or again != expected:
        print("MISMATCH: the aggregates differ from aggregate_records", file=sys.stderr)
        return 1
    groups = len(answer.get("results", []))
    print(
        f"aggregates, one day by queueId+mediaType, PT30M, {len(q.metrics)} metrics"
        f" ({groups} groups): first query {first:.0f} ms (then a full collection"
        f" {collected:.0f} ms), second {second:.0f} ms, later {later:.0f} ms"
        f" (median of {args.repeat}); previous path {slow:.0f} ms: later"
        f" {slow / later:.1f}x faster; peak RSS {built:.0f} MB built,"
        f" {peak:.0f} MB after the queries"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--scan-repeat", type=int, default=3)
    parser.add_argument("--day-count", type=int, default=48_000)
    parser.add_argument("--only", choices=["details", "aggregates"])
    args = parser.parse_args(argv)
    if args.only != "details" and aggregates(args):
        return 1
    if args.only == "aggregates":
        return 0

    config = ServerConfig(
        seed=1, conversations=args.count, start_ms=ANCHOR, frozen=True, window_ms=7 * DAY
    )
    t = time.perf_counter()
    client, state, headers = _client(config)
    print(f"server with {args.count} conversations built in {time.perf_counter() - t:.1f} s")

    def post(body: dict[str, Any]) -> dict[str, Any]:
        r = client.post(PATH, json=body, headers=headers)
        assert r.status_code == 200, r.get_data(as_text=True)
        answer: dict[str, Any] = r.get_json()
        return answer

    queue = state.world.queues[0].id
    by_queue = {"dimension": "queueId", "value": queue}
    day = ANCHOR - 4 * DAY  # a Wednesday
    one_day = _query(day, by_queue)
    other_day = _query(day - DAY, by_queue)
    same_segment = _query(day, by_queue, {"dimension": "segmentType", "value": "hold"})

    first, answer = _timed(functools.partial(post, one_day))
    later, _ = _median_ms(functools.partial(post, one_day), args.repeat)
    first_other, other_answer = _timed(functools.partial(post, other_day))
    first_same, same_answer = _timed(functools.partial(post, same_segment))
    later_same, _ = _median_ms(functools.partial(post, same_segment), args.repeat)

    # the baseline: every record, as the previous design projected and indexed on first query
    convs = [snap.conv for snap in state.store.by_start()]
    t = time.perf_counter()
    records = [to_analytics(c, with_attributes=True, world=state.world) for c in convs]
    projected = time.perf_counter() - t
    eager = AnalyticsIndex(state.world)
    t = time.perf_counter()
    for r in records:
        eager.add(r)
    eager.search(parse_details_query(_every_posting(day)))  # the postings it built on add
    indexed = time.perf_counter() - t
    for r in records:  # the scan compares with the sync shape the server returns
        for p in r["participants"]:
            p.pop("attributes", None)

    rows = [
        ("one day + queueId", one_day, answer, first, later),
        ("previous day + queueId", other_day, other_answer, first_other, None),
        (
            "one day + queueId AND segmentType=hold (same segment)",
            same_segment,
            same_answer,
            first_same,
            later_same,
        ),
    ]
    print(
        f"eager indexing (the first query before): projecting {projected:.1f} s"
        f" + indexing {indexed:.1f} s = {projected + indexed:.1f} s"
    )
    for name, body, got, first_ms, later_ms in rows:
        q = parse_details_query(body)
        slow, expected = _median_ms(functools.partial(linear_scan, records, q), args.scan_repeat)
        if _ids(got) != _ids(expected):
            print(f"MISMATCH for {name}: {_ids(got)} != {_ids(expected)}", file=sys.stderr)
            return 1
        line = f"{name}: totalHits {got['totalHits']}, first query {first_ms:.0f} ms"
        if later_ms is not None:
            line += f", later {later_ms:.2f} ms (median of {args.repeat})"
        line += f"; linear scan {slow:.0f} ms: first {slow / first_ms:.1f}x faster"
        if later_ms is not None:
            line += f", later {slow / later_ms:.0f}x"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
