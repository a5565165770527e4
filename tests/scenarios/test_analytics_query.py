"""Detail queries and aggregates: the index answers exactly what a brute-force pass over the same
records gives (written here independently), whether it holds the records or follows the
conversations and reads them lazily, and invalid queries name their problem."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
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
from gcmock.scenarios.analytics.aggregates import parse_aggregate_query
from gcmock.scenarios.analytics.details import parse_details_query
from gcmock.scenarios.analytics.index import AnalyticsIndex
from gcmock.scenarios.analytics.vocabulary import QueryError
from gcmock.scenarios.engine.model import Conversation
from gcmock.scenarios.views.analytics import to_analytics
from gcmock.scenarios.views.timestamps import iso
from tests.sdk_oracle import sdk_problems

Json = dict[str, Any]
T0 = GeneratorOptions().start_ms
DAY = 86_400_000
WORLD = build_world(11)


def _ms(text: str) -> int:
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)


def _dataset() -> list[Conversation]:
    """400 finished conversations over 3 days, plus 60 stopped midway (live)."""
    convs = list(generate(WORLD, 3, 0, 400, GeneratorOptions(days=3)))
    names = sorted(SCENARIOS)
    for i in range(60):
        rng = conversation_rng(4, i)
        start = T0 + rng.randrange(3 * DAY)
        conv = run_scenario(
            names[i % len(names)], WORLD, rng, start, horizon=start + rng.randrange(600_000)
        )
        convs.append(conv)
    return convs


CONVERSATIONS = _dataset()
BY_ID = {c.id: c for c in CONVERSATIONS}
RECORDS = [to_analytics(c, with_attributes=True, world=WORLD) for c in CONVERSATIONS]
INDEX = AnalyticsIndex()
for _r in RECORDS:
    INDEX.add(_r)
FOLLOWING = AnalyticsIndex(WORLD, BY_ID.get)
"""The same conversations, followed: each example reads some more of them."""
FOLLOWING.follow(sorted((c.start, c.id) for c in CONVERSATIONS))
INDEXES = pytest.mark.parametrize("index", [INDEX, FOLLOWING], ids=["records", "following"])


# ---------------------------------------------------------------------------------------------
# the brute-force oracle


def _segments(record: Json) -> Iterator[tuple[Json, Json, Json]]:
    for p in record["participants"]:
        for s in p["sessions"]:
            for seg in s["segments"]:
                yield p, s, seg


def _segment_value(p: Json, s: Json, seg: Json, dim: str) -> Any:
    if dim in ("purpose", "userId"):
        return p.get(dim)
    if dim in ("mediaType", "direction", "ani", "dnis"):
        return s.get(dim)
    if dim == "requestedRoutingSkillId":
        return seg.get("requestedRoutingSkillIds")
    return seg.get(dim)


def _conversation_value(record: Json, key: str) -> Any:
    if key == "divisionId":
        return record["divisionIds"]
    if key in record:
        return record[key]
    values = [
        m["value"] for _, s in _sessions(record) for m in s.get("metrics", []) if m["name"] == key
    ]
    return sum(values) if values else None


def _sessions(record: Json) -> Iterator[tuple[Json, Json]]:
    for p in record["participants"]:
        for s in p["sessions"]:
            yield p, s


def _pred(pred: Json, value: Any) -> bool:
    op = pred.get("operator", "matches")
    if op == "exists":
        return value is not None
    if op == "notExists":
        return value is None
    values = value if isinstance(value, list) else [value]
    if "value" in pred:
        return pred["value"] in [str(v) for v in values if v is not None]
    r = pred["range"]
    nums = [v for v in values if isinstance(v, int)]
    return any(
        ("gt" not in r or v > r["gt"])
        and ("gte" not in r or v >= r["gte"])
        and ("lt" not in r or v < r["lt"])
        for v in nums
    )


def _holds(f: Json, value_of: Any) -> bool:
    results = [
        _pred(p, value_of(p.get("dimension") or p.get("metric"))) for p in f.get("predicates", [])
    ]
    results += [_holds(c, value_of) for c in f.get("clauses", [])]
    return any(results) if f["type"] == "or" else all(results)


def _brute_matches(record: Json, q: Json) -> bool:
    for f in q.get("segmentFilters", []):
        if not any(
            _holds(f, lambda d, x=x: _segment_value(x[0], x[1], x[2], d)) for x in _segments(record)
        ):
            return False
    for f in q.get("conversationFilters", []):
        if not _holds(f, lambda d: _conversation_value(record, d)):
            return False
    for f in q.get("evaluationFilters", []):
        if not any(_holds(f, lambda d, e=e: e.get(d)) for e in record.get("evaluations", [])):
            return False
    return True


def _brute_ids(q: Json, *, job: bool = False) -> list[str]:
    lo_text, hi_text = q["interval"].split("/")
    lo, hi = _ms(lo_text), _ms(hi_text)
    hits = []
    for r in RECORDS:
        start = _ms(r["conversationStart"])
        end = _ms(r["conversationEnd"]) if "conversationEnd" in r else None
        active = start < hi and (end is None or end >= lo)
        touched = job or start >= lo - lo % DAY
        if active and touched and _brute_matches(r, q):
            hits.append((start, end, r["conversationId"]))
    if q.get("orderBy") in ("conversationEnd", "segmentEnd"):
        hits.sort(key=lambda h: (float("inf") if h[1] is None else h[1], h[2]))
    else:
        hits.sort(key=lambda h: (h[0], h[2]))
    if q.get("order") == "desc":
        hits.reverse()
    return [h[2] for h in hits]


# ---------------------------------------------------------------------------------------------
# random queries over values that occur in the data


def _values(dim: str) -> list[str]:
    seen = {
        str(v)
        for r in RECORDS
        for x in _segments(r)
        for v in [_segment_value(*x, dim)]
        if isinstance(v, str)
    }
    return sorted(seen)


SEGMENT_DIMS = [
    "queueId",
    "userId",
    "mediaType",
    "direction",
    "purpose",
    "wrapUpCode",
    "ani",
    "dnis",
    "disconnectType",
    "segmentType",
]
VALUES = {dim: _values(dim) for dim in SEGMENT_DIMS}
IDS = [r["conversationId"] for r in RECORDS]
EVALUATORS = sorted({e["userId"] for r in RECORDS for e in r.get("evaluations", [])})


@st.composite
def segment_predicate(draw: st.DrawFn) -> Json:
    kind = draw(st.sampled_from(["value", "value", "value", "exists", "segmentEnd", "skill"]))
    if kind == "segmentEnd":
        return {
            "dimension": "segmentEnd",
            "operator": draw(st.sampled_from(["exists", "notExists"])),
        }
    if kind == "skill":
        return {"type": "dimension", "dimension": "requestedRoutingSkillId", "operator": "exists"}
    dim = draw(st.sampled_from(SEGMENT_DIMS))
    if kind == "exists":
        return {"dimension": dim, "operator": draw(st.sampled_from(["exists", "notExists"]))}
    return {
        "type": "dimension",
        "dimension": dim,
        "operator": "matches",
        "value": draw(st.sampled_from(VALUES[dim])),
    }


@st.composite
def conversation_predicate(draw: st.DrawFn) -> Json:
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return {
            "dimension": "originatingDirection",
            "value": draw(st.sampled_from(["inbound", "outbound"])),
        }
    if kind == 1:
        return {
            "dimension": "conversationEnd",
            "operator": draw(st.sampled_from(["exists", "notExists"])),
        }
    if kind == 2:
        return {"dimension": "conversationId", "value": draw(st.sampled_from(IDS))}
    if kind == 3:
        return {
            "dimension": "divisionId",
            "value": draw(st.sampled_from(sorted(WORLD.divisions_by_id))),
        }
    metric = draw(st.sampled_from(["tHandle", "tTalk", "nTransferred", "tAcd", "nConsult"]))
    if draw(st.booleans()):
        return {"type": "metric", "metric": metric, "operator": "exists"}
    bound = draw(st.sampled_from(["gt", "gte", "lt"]))
    return {"metric": metric, "range": {bound: draw(st.integers(0, 900_000))}}


def _filter(draw: st.DrawFn, pred: Any, clauses: bool) -> Json:
    f: Json = {
        "type": draw(st.sampled_from(["and", "or"])),
        "predicates": draw(st.lists(pred, min_size=1, max_size=3)),
    }
    if clauses and draw(st.booleans()):
        f["clauses"] = [
            {
                "type": draw(st.sampled_from(["and", "or"])),
                "predicates": draw(st.lists(pred, min_size=1, max_size=2)),
            }
        ]
    return f


@st.composite
def details_query(draw: st.DrawFn, job: bool = False) -> Json:
    start = T0 + draw(st.integers(-DAY // 60_000, 4 * DAY // 60_000)) * 60_000
    length = draw(st.sampled_from(["PT1H", "PT6H", "P1D", "P2D", "P4D"]))
    q: Json = {"interval": f"{iso(start)}/{length}"}
    if draw(st.booleans()):
        q["segmentFilters"] = [
            _filter(draw, segment_predicate(), True) for _ in range(draw(st.integers(1, 2)))
        ]
    if draw(st.integers(0, 2)) == 0:
        q["conversationFilters"] = [_filter(draw, conversation_predicate(), False)]
    if EVALUATORS and draw(st.integers(0, 5)) == 0:
        q["evaluationFilters"] = [
            {
                "type": "or",
                "predicates": [{"dimension": "userId", "value": draw(st.sampled_from(EVALUATORS))}],
            }
        ]
    if draw(st.booleans()):
        q["order"] = draw(st.sampled_from(["asc", "desc", "unordered"]))
        q["orderBy"] = draw(
            st.sampled_from(["conversationStart", "conversationEnd", "segmentStart", "segmentEnd"])
        )
    if not job and draw(st.booleans()):
        q["paging"] = {"pageSize": draw(st.integers(1, 100)), "pageNumber": draw(st.integers(1, 4))}
    return q


def _absolute(q: Json) -> Json:
    """The same query with the interval spelled start/end, which the oracle reads."""
    lo, hi = q["interval"].split("/")
    start = _ms(lo)
    length = {"PT1H": 3_600_000, "PT6H": 6 * 3_600_000, "P1D": DAY, "P2D": 2 * DAY, "P4D": 4 * DAY}[
        hi
    ]
    return {**q, "interval": f"{iso(start)}/{iso(start + length)}"}


@INDEXES
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(q=details_query())
def test_details_query_pages_equal_a_brute_force_filter(index: AnalyticsIndex, q: Json) -> None:
    expected = _brute_ids(_absolute(q))
    result = index.query(parse_details_query(q))
    size = q.get("paging", {}).get("pageSize", 25)
    number = q.get("paging", {}).get("pageNumber", 1)
    page = expected[(number - 1) * size : number * size]
    assert result["totalHits"] == len(expected)
    assert [c["conversationId"] for c in result.get("conversations", [])] == page
    assert sdk_problems(result, "AnalyticsConversationQueryResponse") == []


@INDEXES
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(q=details_query(job=True))
def test_async_job_search_keeps_every_conversation_active_in_the_interval(
    index: AnalyticsIndex, q: Json
) -> None:
    assert index.search(parse_details_query(q, job=True)) == _brute_ids(_absolute(q), job=True)


def test_a_day_and_a_queue_select_the_queued_conversations_of_that_day() -> None:
    queue = WORLD.queues[0].id
    q = {
        "interval": f"{iso(T0 + DAY)}/{iso(T0 + 2 * DAY)}",
        "segmentFilters": [
            {"type": "and", "predicates": [{"dimension": "queueId", "value": queue}]}
        ],
        "paging": {"pageSize": 100},
    }
    result = INDEX.query(parse_details_query(q))
    assert 0 < result["totalHits"] == len(_brute_ids(q))
    for c in result["conversations"]:
        assert T0 + DAY <= _ms(c["conversationStart"]) < T0 + 2 * DAY
        assert any(seg.get("queueId") == queue for _, _, seg in _segments(c))
        assert all("attributes" not in p for p in c["participants"])


def test_the_blog_query_finds_conversations_still_waiting_in_a_queue() -> None:
    """segmentType interact + queueId + segmentEnd notExists, conversationEnd notExists."""
    waiting = next(
        (r, seg["queueId"])
        for r in RECORDS
        for p, _, seg in _segments(r)
        if p["purpose"] == "acd" and "segmentEnd" not in seg
    )
    record, queue = waiting
    q = {
        "interval": f"{iso(T0 - DAY)}/{iso(T0 + 5 * DAY)}",
        "segmentFilters": [
            {
                "type": "and",
                "predicates": [
                    {"dimension": "segmentType", "value": "interact"},
                    {"dimension": "queueId", "value": queue},
                    {"dimension": "segmentEnd", "operator": "notExists"},
                ],
            }
        ],
        "conversationFilters": [
            {
                "type": "and",
                "predicates": [{"dimension": "conversationEnd", "operator": "notExists"}],
            }
        ],
        "paging": {"pageSize": 100},
    }
    ids = [
        c["conversationId"] for c in INDEX.query(parse_details_query(q)).get("conversations", [])
    ]
    assert record["conversationId"] in ids and ids == _brute_ids(q)


def test_replace_and_remove_keep_the_index_equal_to_brute_force() -> None:
    """A live conversation's record replaced by its finished one moves between answers."""
    index = AnalyticsIndex()
    rng_seed, start = 77, T0 + DAY + 3_600_000
    live = to_analytics(
        run_scenario(
            "inbound_answered", WORLD, conversation_rng(rng_seed, 0), start, horizon=start + 30_000
        ),
        with_attributes=True,
    )
    done = to_analytics(
        run_scenario("inbound_answered", WORLD, conversation_rng(rng_seed, 0), start),
        with_attributes=True,
    )
    index.add(live)
    with pytest.raises(ValueError, match="already indexed"):
        index.add(live)
    open_q = parse_details_query(
        {
            "interval": f"{iso(T0)}/P3D",
            "conversationFilters": [
                {
                    "type": "and",
                    "predicates": [{"dimension": "conversationEnd", "operator": "notExists"}],
                }
            ],
        }
    )
    wrapped = parse_details_query(
        {
            "interval": f"{iso(T0)}/P3D",
            "segmentFilters": [
                {"type": "or", "predicates": [{"dimension": "segmentType", "value": "wrapup"}]}
            ],
        }
    )
    assert index.search(open_q) == [live["conversationId"]] and index.search(wrapped) == []
    index.replace(done)
    assert index.search(open_q) == [] and index.search(wrapped) == [done["conversationId"]]
    assert index.records([done["conversationId"]])[0] == {
        **done,
        "participants": [
            {k: v for k, v in p.items() if k != "attributes"} for p in done["participants"]
        ],
    }
    assert index.records([done["conversationId"]], with_attributes=True) == [done]
    index.remove(done["conversationId"])
    index.remove(done["conversationId"])
    assert len(index) == 0 and index.search(wrapped) == []


def test_a_followed_store_is_read_when_queried_and_tracked_as_it_changes() -> None:
    """Following costs nothing until a query reaches a conversation; a changed one (a new
    state object, as the store publishes) is read again; following the same states again (a
    reset) keeps what was read; a conversation the store lost is forgotten."""
    start = T0 + DAY + 3_600_000
    live = run_scenario(
        "inbound_answered", WORLD, conversation_rng(78, 0), start, horizon=start + 30_000
    )
    done = run_scenario("inbound_answered", WORLD, conversation_rng(78, 0), start)
    store = {live.id: live}
    index = AnalyticsIndex(WORLD, store.get)
    index.follow([(live.start, live.id)])
    assert len(index) == 0, "nothing read before a query needs it"
    day = parse_details_query({"interval": f"{iso(T0 + 2 * DAY)}/P1D"})
    assert index.search(day) == [] and len(index) == 0, "another day reads nothing"
    open_q = parse_details_query(
        {
            "interval": f"{iso(T0)}/P3D",
            "conversationFilters": [
                {
                    "type": "and",
                    "predicates": [{"dimension": "conversationEnd", "operator": "notExists"}],
                }
            ],
        }
    )
    assert index.search(open_q) == [live.id] and len(index) == 1
    store[live.id] = done
    index.track([live.id])
    assert index.search(open_q) == []
    assert index.records([done.id], with_attributes=True) == [
        to_analytics(done, with_attributes=True, world=WORLD)
    ]
    index.follow([(done.start, done.id)])
    assert len(index) == 1, "the same state is not read again"
    del store[done.id]
    index.follow([])
    assert len(index) == 0 and index.records([done.id]) == []
    with pytest.raises(TypeError, match="no conversations to follow"):
        AnalyticsIndex().track([done.id])


def test_a_conversation_changed_before_it_was_first_read_is_found_once() -> None:
    """A conversation the store changes (or that a job reads) while it still waits to be read
    is one entry: counted once, and forgotten cleanly when the store loses it."""
    start = T0 + DAY + 3_600_000
    live = run_scenario(
        "inbound_answered", WORLD, conversation_rng(79, 0), start, horizon=start + 30_000
    )
    done = run_scenario("inbound_answered", WORLD, conversation_rng(79, 0), start)
    store = {live.id: live}
    index = AnalyticsIndex(WORLD, store.get)
    index.follow([(live.start, live.id)])
    store[live.id] = done
    index.track([live.id])
    index.track([live.id])
    week = parse_details_query({"interval": f"{iso(T0)}/P3D"})
    assert index.search(week) == [done.id] and len(index) == 1
    assert len(index.records([done.id])) == 1
    assert index.search(week) == [done.id]
    del store[done.id]
    index.follow([])
    assert index.search(week) == [] and len(index) == 0


# ---------------------------------------------------------------------------------------------
# aggregates


GROUPS = ["queueId", "userId", "mediaType", "direction", "wrapUpCode", "purpose"]
METRICS = [
    "tHandle",
    "tTalk",
    "tAcw",
    "tHeld",
    "tAlert",
    "tAnswered",
    "tAcd",
    "tAbandon",
    "nOffered",
    "nTransferred",
    "nConnected",
    "tIvr",
    "nOverSla",
    "tShortAbandon",
    "nConversations",
]


def _session_dims(p: Json, s: Json) -> Json:
    queues = {seg["queueId"] for seg in s["segments"] if "queueId" in seg}
    assert len(queues) <= 1
    codes = [seg["wrapUpCode"] for seg in s["segments"] if "wrapUpCode" in seg]
    return {
        "queueId": next(iter(queues), None),
        "userId": p.get("userId"),
        "mediaType": s["mediaType"],
        "direction": s["direction"],
        "wrapUpCode": codes[0] if codes else None,
        "purpose": p["purpose"],
    }


def _brute_aggregate(q: Json) -> dict[tuple[tuple[tuple[str, str], ...], str, str], Json]:
    lo_text, hi_text = q["interval"].split("/")
    lo, hi = _ms(lo_text), _ms(hi_text)
    step = {"PT30M": 1_800_000, "PT1H": 3_600_000, "P1D": DAY, None: hi - lo}[q.get("granularity")]
    cells: dict[tuple[tuple[tuple[str, str], ...], str, str], list[int]] = {}
    for r in RECORDS:
        for p, s in _sessions(r):
            dims = _session_dims(p, s)
            flt = q.get("filter")
            if flt and not _holds(flt, lambda d, dims=dims: dims.get(d)):
                continue
            group = tuple((g, dims[g]) for g in q.get("groupBy", []) if dims[g] is not None)
            for m in s.get("metrics", []):
                at = _ms(m["emitDate"])
                if m["name"] in q["metrics"] and lo <= at < hi:
                    b = lo + (at - lo) // step * step
                    key = (group, f"{iso(b)}/{iso(min(hi, b + step))}", m["name"])
                    cells.setdefault(key, []).append(m["value"])
    out = {}
    for key, values in cells.items():
        if key[2].startswith("n"):
            out[key] = {"count": sum(values)}
        else:
            out[key] = {
                "max": max(values),
                "min": min(values),
                "count": len(values),
                "sum": sum(values),
            }
    return out


@INDEXES
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_aggregates_equal_the_sums_of_the_detail_records(
    index: AnalyticsIndex, data: st.DataObject
) -> None:
    start = T0 + data.draw(st.integers(0, 3 * 24)) * 3_600_000
    hours = data.draw(st.sampled_from([1, 6, 24, 72]))
    q: Json = {
        "interval": f"{iso(start)}/{iso(start + hours * 3_600_000)}",
        "groupBy": data.draw(st.lists(st.sampled_from(GROUPS), unique=True, max_size=3)),
        "metrics": data.draw(
            st.lists(st.sampled_from(METRICS), unique=True, min_size=1, max_size=5)
        ),
    }
    granularity = data.draw(st.sampled_from([None, "PT30M", "PT1H", "P1D"]))
    if granularity:
        q["granularity"] = granularity
    if data.draw(st.booleans()):
        dim = data.draw(st.sampled_from(["mediaType", "queueId", "purpose"]))
        q["filter"] = {
            "type": "or",
            "predicates": [
                {"dimension": dim, "value": v}
                for v in data.draw(st.lists(st.sampled_from(VALUES[dim]), min_size=1, max_size=2))
            ],
        }
    result = index.aggregate(parse_aggregate_query(q))
    assert sdk_problems(result, "ConversationAggregateQueryResponse") == []
    got = {}
    for container in result.get("results", []):
        group = tuple(
            sorted(container.get("group", {}).items(), key=lambda kv: q["groupBy"].index(kv[0]))
        )
        for bucket in container["data"]:
            for m in bucket["metrics"]:
                got[(group, bucket["interval"], m["metric"])] = m["stats"]
    assert got == _brute_aggregate(q)


def test_aggregate_over_a_day_by_queue_counts_offers_and_handle_time() -> None:
    q = {
        "interval": f"{iso(T0)}/P1D",
        "groupBy": ["queueId"],
        "metrics": ["nOffered", "tHandle"],
        "granularity": "PT12H",
    }
    result = INDEX.aggregate(parse_aggregate_query(q))
    assert {c["group"]["queueId"] for c in result["results"] if "group" in c} <= {
        x.id for x in WORLD.queues
    }
    offered = sum(
        m["stats"]["count"]
        for c in result["results"]
        for b in c["data"]
        for m in b["metrics"]
        if m["metric"] == "nOffered"
    )
    assert offered > 0
    assert (
        INDEX.aggregate(parse_aggregate_query({**q, "interval": f"{iso(T0 - 10 * DAY)}/P1D"})) == {}
    )


# ---------------------------------------------------------------------------------------------
# invalid queries

GOOD = {"interval": "2026-11-01T00:00:00.000Z/2026-11-02T00:00:00.000Z"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "interval"),
        ({"interval": "yesterday"}, "interval"),
        ({"interval": "2026-11-02T00:00:00Z/2026-11-01T00:00:00Z"}, "interval"),
        ({"interval": "2026-11-01T00:00:00Z/P1Y"}, "interval"),
        ({**GOOD, "paging": {"pageSize": 101}}, "paging.pageSize"),
        ({**GOOD, "paging": {"pageSize": 10, "pageNumber": 0}}, "paging.pageNumber"),
        ({**GOOD, "order": "random"}, "order"),
        ({**GOOD, "orderBy": "queueId"}, "orderBy"),
        (
            {
                **GOOD,
                "segmentFilters": [
                    {"type": "and", "predicates": [{"dimension": "queue", "value": "x"}]}
                ],
            },
            "segmentFilters[0].predicates[0].dimension",
        ),
        (
            {
                **GOOD,
                "segmentFilters": [
                    {
                        "type": "and",
                        "predicates": [{"dimension": "queueId", "operator": "like", "value": "x"}],
                    }
                ],
            },
            "segmentFilters[0].predicates[0].operator",
        ),
        (
            {
                **GOOD,
                "segmentFilters": [
                    {"type": "xor", "predicates": [{"dimension": "queueId", "value": "x"}]}
                ],
            },
            "segmentFilters[0].type",
        ),
        (
            {**GOOD, "segmentFilters": [{"type": "and", "predicates": [{"dimension": "queueId"}]}]},
            "segmentFilters[0].predicates[0]",
        ),
        (
            {
                **GOOD,
                "segmentFilters": [
                    {
                        "type": "and",
                        "predicates": [
                            {"dimension": "queueId", "operator": "exists", "value": "x"}
                        ],
                    }
                ],
            },
            "segmentFilters[0].predicates[0]",
        ),
        ({**GOOD, "segmentFilters": [{"type": "and"}]}, "segmentFilters[0]"),
        (
            {
                **GOOD,
                "conversationFilters": [
                    {"type": "and", "predicates": [{"metric": "tTalk", "range": {"above": 3}}]}
                ],
            },
            "conversationFilters[0].predicates[0].range.above",
        ),
        (
            {
                **GOOD,
                "conversationFilters": [
                    {"type": "and", "predicates": [{"metric": "tSpeaking", "range": {"gt": 3}}]}
                ],
            },
            "conversationFilters[0].predicates[0].metric",
        ),
        (
            {
                **GOOD,
                "conversationFilters": [
                    {"type": "and", "predicates": [{"dimension": "queueId", "value": "x"}]}
                ],
            },
            "conversationFilters[0].predicates[0].dimension",
        ),
        (
            {
                **GOOD,
                "evaluationFilters": [
                    {"type": "and", "predicates": [{"dimension": "mediaType", "value": "voice"}]}
                ],
            },
            "evaluationFilters[0].predicates[0].dimension",
        ),
        ({**GOOD, "pageSize": 10}, "pageSize"),
        (
            {**GOOD, "aggregations": [{"type": "termFrequency", "dimension": "queueId"}]},
            "aggregations",
        ),
    ],
)
def test_an_invalid_details_query_names_its_problem(body: Json, field: str) -> None:
    with pytest.raises(QueryError) as err:
        parse_details_query(body)
    assert err.value.field == field


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"metrics": ["tHandle"]}, "interval"),
        ({**GOOD}, "metrics"),
        ({**GOOD, "metrics": ["tSpeaking"]}, "metrics[0]"),
        ({**GOOD, "metrics": ["tHandle"], "groupBy": ["segmentType"]}, "groupBy[0]"),
        ({**GOOD, "metrics": ["tHandle"], "granularity": "P1M"}, "granularity"),
        ({**GOOD, "metrics": ["tHandle"], "timeZone": "Mars/Olympus"}, "timeZone"),
        ({**GOOD, "metrics": ["tHandle"], "views": [{"name": "slow"}]}, "views"),
        (
            {
                **GOOD,
                "metrics": ["tHandle"],
                "filter": {
                    "type": "and",
                    "predicates": [{"dimension": "segmentType", "value": "x"}],
                },
            },
            "filter.predicates[0].dimension",
        ),
    ],
)
def test_an_invalid_aggregate_query_names_its_problem(body: Json, field: str) -> None:
    with pytest.raises(QueryError) as err:
        parse_aggregate_query(body)
    assert err.value.field == field


def test_intervals_accept_durations_on_either_side() -> None:
    a = parse_details_query({"interval": "2026-11-01T00:00:00Z/P1DT12H"})
    b = parse_details_query({"interval": "P1DT12H/2026-11-02T12:00:00.000Z"})
    c = parse_details_query({"interval": "2026-11-01T01:00:00+01:00/2026-11-02T12:00:00Z"})
    assert (a.start, a.end) == (b.start, b.end) == (c.start, c.end) == (T0, T0 + DAY + DAY // 2)


def test_an_async_job_finds_a_conversation_live_since_long_before_the_interval() -> None:
    """No finished conversation is that long, so only the live set can supply it."""
    index = AnalyticsIndex()
    start = T0 + 3_600_000
    conv = run_scenario(
        "inbound_answered", WORLD, conversation_rng(5, 0), start, horizon=start + 90_000
    )
    index.add(to_analytics(conv, with_attributes=True))
    later = f"{iso(T0 + 2 * DAY)}/P1D"
    assert index.search(parse_details_query({"interval": later}, job=True)) == [conv.id]
    assert index.search(parse_details_query({"interval": later})) == []
    midnight = parse_details_query(
        {"interval": later, "startOfDayIntervalMatching": True}, job=True
    )
    assert index.search(midnight) == []
