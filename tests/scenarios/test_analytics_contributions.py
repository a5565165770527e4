"""The aggregates fast path (contributions kept per shape, shape tables) answers exactly what a
straightforward pass over the records of the conversations active in the interval answers,
whatever the queries before it and the changes between them."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gcmock.scenarios import (
    SCENARIOS,
    GeneratorOptions,
    build_world,
    conversation_rng,
    generate,
    run_scenario,
)
from gcmock.scenarios.analytics.aggregates import aggregate_records, parse_aggregate_query
from gcmock.scenarios.analytics.contributions import (
    ShapeTable,
    contributions,
    shape_of,
)
from gcmock.scenarios.analytics.details import DetailQuery
from gcmock.scenarios.analytics.index import AnalyticsIndex
from gcmock.scenarios.analytics.rows import record_ms
from gcmock.scenarios.engine.model import Conversation
from gcmock.scenarios.views.analytics import to_analytics
from gcmock.scenarios.views.timestamps import iso

Json = dict[str, Any]
WORLD = build_world(5)
T0 = GeneratorOptions().start_ms
HOUR = 3_600_000
NAMES = sorted(SCENARIOS)
FINISHED = list(generate(WORLD, 9, 0, 150, GeneratorOptions(days=2)))


def _live_pair(i: int) -> tuple[Conversation, Conversation]:
    """A conversation stopped midway and the same one run to its end."""
    rng_seed, start = 31 + i, T0 + (i * 5 * HOUR) % (2 * 24 * HOUR)
    name = NAMES[i % len(NAMES)]
    live = run_scenario(name, WORLD, conversation_rng(rng_seed, i), start, horizon=start + 90_000)
    done = run_scenario(name, WORLD, conversation_rng(rng_seed, i), start)
    return live, done


PAIRS = [_live_pair(i) for i in range(12)]
SHAPES: list[Json] = [
    {"groupBy": ["queueId", "mediaType"]},
    {"groupBy": ["userId"], "flattenMultivaluedDimensions": True},
    {
        "groupBy": ["purpose", "direction"],
        "filter": {
            "type": "or",
            "predicates": [
                {"dimension": "mediaType", "value": "voice"},
                {"dimension": "mediaType", "value": "message"},
            ],
        },
    },
    {},
]
METRICS = ["nOffered", "tHandle", "tTalk", "tAnswered", "tAbandon", "nTransferred", "nOverSla"]


def _record(conv: Conversation) -> Json:
    return to_analytics(conv, with_attributes=True, world=WORLD)


def _straightforward(convs: list[Conversation], body: Json) -> Json:
    """Every conversation active in the interval, projected and passed over."""
    q = parse_aggregate_query(body)
    window = DetailQuery(q.start, q.end, job=True)
    records = [_record(c) for c in convs]
    active = [
        r
        for r in records
        if window.in_interval(
            record_ms(r["conversationStart"]),
            record_ms(r["conversationEnd"]) if "conversationEnd" in r else None,
        )
    ]
    return aggregate_records(active, q)


step = st.one_of(
    st.tuples(
        st.just("query"),
        st.integers(0, len(SHAPES) - 1),
        st.integers(0, 47),
        st.sampled_from([1, 6, 24, 48]),
        st.sampled_from([None, "PT30M", "PT1H", "P1D"]),
        st.lists(st.sampled_from(METRICS), min_size=1, max_size=4),
    ),
    st.tuples(st.just("finish"), st.integers(0, len(PAIRS) - 1)),
)


def _body(shape: int, hour: int, hours: int, granularity: str | None, metrics: list[str]) -> Json:
    start = T0 + hour * HOUR
    body = {**SHAPES[shape], "interval": f"{iso(start)}/{iso(start + hours * HOUR)}"}
    body["metrics"] = metrics
    if granularity:
        body["granularity"] = granularity
    return body


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(step, min_size=1, max_size=8))
def test_the_fast_path_equals_a_pass_over_the_active_records(steps: list[Any]) -> None:
    """A followed store, queried in several shapes while live conversations finish: each
    answer equals the straightforward one, so no kept contribution outlives its state."""
    current = {c.id: c for c in FINISHED} | {live.id: live for live, _ in PAIRS}
    index = AnalyticsIndex(WORLD, current.get)
    index.follow(sorted((c.start, c.id) for c in current.values()))
    for kind, *args in steps:
        if kind == "finish":
            done = PAIRS[args[0]][1]
            current[done.id] = done
            index.track({done.id: None})
            continue
        body = _body(*args)
        got = index.aggregate(parse_aggregate_query(body))
        assert got == _straightforward(list(current.values()), body)
        assert index.aggregate(parse_aggregate_query(body)) == got  # from the shape table


def test_conversations_that_finish_change_the_next_answer_of_the_same_query() -> None:
    current = {c.id: c for c in FINISHED} | {live.id: live for live, _ in PAIRS}
    index = AnalyticsIndex(WORLD, current.get)
    index.follow(sorted((c.start, c.id) for c in current.values()))
    body = _body(0, 0, 48, "PT1H", METRICS)
    before = index.aggregate(parse_aggregate_query(body))
    for _, done in PAIRS:
        current[done.id] = done
    index.track(dict.fromkeys(done.id for _, done in PAIRS))
    after = index.aggregate(parse_aggregate_query(body))
    assert after != before
    assert after == _straightforward(list(current.values()), body)


def test_a_metric_emitted_outside_its_conversation_counts_only_when_the_conversation_does() -> None:
    """A stray emit time (before its conversation started) is found by the conversation's
    activity, as a pass over the active records finds it, not by the emit time alone."""
    record = _record(FINISHED[0])
    start = record_ms(record["conversationStart"])
    session = next(
        s for p in record["participants"] for s in p.get("sessions", ()) if s.get("metrics")
    )
    session["metrics"][0]["emitDate"] = iso(start - 10 * 24 * HOUR)
    name = session["metrics"][0]["name"]
    end = record_ms(record["conversationEnd"])
    for lo in (start - 10 * 24 * HOUR - HOUR, start - HOUR):
        hi = max(end + HOUR, lo + 2 * HOUR)
        q = parse_aggregate_query({"interval": f"{iso(lo)}/{iso(hi)}", "metrics": [name]})
        table = ShapeTable()
        table.add(record["conversationId"], start, end, contributions(record, shape_of(q)))
        active = DetailQuery(q.start, q.end, job=True).in_interval(start, end)
        expected = aggregate_records([record] if active else [], q)
        assert table.response(q) == expected
    far = parse_aggregate_query(
        {"interval": f"{iso(start - 10 * 24 * HOUR - HOUR)}/PT2H", "metrics": [name]}
    )
    table = ShapeTable()
    table.add(record["conversationId"], start, end, contributions(record, shape_of(far)))
    assert table.response(far) == {}  # the conversation is not active then
