"""Queue observations at an instant equal a count of the conversations' states then: each
conversation is run once up to that instant (its state fields are the oracle) and once further
on (the observations must read the instant off its timeline)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gcmock.scenarios import (
    SCENARIOS,
    GeneratorOptions,
    build_world,
    conversation_rng,
    run_scenario,
)
from gcmock.scenarios.analytics.observations import (
    OBSERVATION_MEDIA_TYPES,
    USER_STATE_OBSERVATIONS,
    observe_queues,
    parse_observation_query,
)
from gcmock.scenarios.analytics.vocabulary import QueryError
from gcmock.scenarios.engine.model import ENDED_STATES, Conversation
from gcmock.scenarios.views.analytics_facts import ANALYTICS_MEDIA_TYPES
from gcmock.scenarios.views.timestamps import iso

Json = dict[str, Any]
WORLD = build_world(8)
T0 = GeneratorOptions().start_ms
HOUR = 3_600_000
NAMES = sorted(SCENARIOS)
QUEUES = [q.id for q in WORLD.queues]
MEMBERS = {q.id: len(q.member_ids) for q in WORLD.queues}
ALL = {
    "filter": {"type": "or", "predicates": [{"dimension": "queueId", "value": q} for q in QUEUES]},
    "metrics": ["oWaiting", "oAlerting", "oInteracting", "oLongestWaiting", "oMemberUsers"],
    "detailMetrics": ["oWaiting", "oAlerting", "oInteracting"],
}


def _run(name: str, seed: int, start: int, horizon: int | None) -> Conversation | None:
    try:
        return run_scenario(name, WORLD, conversation_rng(seed, 0), start, horizon=horizon)
    except ValueError:  # it starts after the horizon: not there yet
        return None


def _counted(
    convs: list[Conversation], t: int
) -> tuple[Counter[tuple[str, str, str]], dict[Any, set[str]]]:
    """The simple count: each conversation once per (queue, media, state) its legs are in now."""
    counts: Counter[tuple[str, str, str]] = Counter()
    ids: dict[Any, set[str]] = {}
    for conv in convs:
        states = set()
        legs = [
            p
            for p in conv.participants
            if p.queue_id
            and p.comms
            and p.comm.start <= t  # a step may run a little past the horizon it was given
            and ANALYTICS_MEDIA_TYPES[p.comm.media] in OBSERVATION_MEDIA_TYPES
        ]
        ringing = {p.queue_id for p in legs if p.purpose == "agent" and p.comm.state == "alerting"}
        for p in legs:
            media = ANALYTICS_MEDIA_TYPES[p.comm.media]
            if p.purpose == "agent" and p.comm.state == "alerting":
                states.add((p.queue_id, media, "oAlerting"))
            elif p.purpose == "agent" and (p.comm.state not in ENDED_STATES or p.in_acw):
                states.add((p.queue_id, media, "oInteracting"))
            elif (
                p.purpose == "acd"
                and p.comm.state not in ENDED_STATES
                and p.queue_id not in ringing
            ):
                states.add((p.queue_id, media, "oWaiting"))
        for key in states:
            counts[key] += 1
            ids.setdefault(key, set()).add(conv.id)
    return counts, ids


def _observed(result: Json) -> tuple[dict[Any, Json], dict[Any, set[str]]]:
    stats, ids = {}, {}
    for container in result["results"]:
        group = container["group"]
        for datum in container["data"]:
            key = (group["queueId"], group.get("mediaType"), datum["metric"])
            stats[key] = datum["stats"]
            ids[key] = {o["conversationId"] for o in datum.get("observations", ())}
    return stats, ids


conversation = st.tuples(
    st.sampled_from(NAMES), st.integers(0, 10_000), st.integers(0, HOUR), st.integers(0, HOUR)
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drawn=st.lists(conversation, min_size=1, max_size=12), at=st.integers(0, 2 * HOUR))
def test_observations_equal_a_count_of_the_states_at_that_instant(
    drawn: list[tuple[str, int, int, int]], at: int
) -> None:
    t = T0 + at
    now = [_run(name, seed, T0 + start, t) for name, seed, start, _ in drawn]
    later = [_run(name, seed, T0 + start, t + more) for name, seed, start, more in drawn]
    result = observe_queues(
        [c for c in later if c is not None], t, parse_observation_query(ALL), WORLD
    )
    stats, ids = _observed(result)
    counts, expected_ids = _counted([c for c in now if c is not None], t)
    for (queue, media, metric), stat in stats.items():
        if metric == "oMemberUsers":
            assert media is None
            assert stat == {"count": MEMBERS[queue]}
            continue
        if metric == "oLongestWaiting":
            waiting = [
                t - p.comm.start
                for c in now
                if c is not None and c.id in expected_ids.get((queue, media, "oWaiting"), ())
                for p in c.participants
                if p.purpose == "acd" and p.queue_id == queue and p.comm.state not in ENDED_STATES
            ]
            assert stat.get("calculatedMetricValue") == (max(waiting) if waiting else None)
            continue
        assert stat == {"count": counts[(queue, media, metric)]}, (drawn, at, queue, media, metric)
        assert ids[(queue, media, metric)] == expected_ids.get((queue, media, metric), set())
    assert all((q, m, name) in stats for q, m, name in counts), (drawn, at, counts)


def test_a_media_type_filter_keeps_only_that_media() -> None:
    queue = QUEUES[0]
    body = {
        "filter": {
            "type": "and",
            "clauses": [
                {"type": "or", "predicates": [{"dimension": "queueId", "value": queue}]},
                {"type": "or", "predicates": [{"dimension": "mediaType", "value": "chat"}]},
            ],
        },
        "metrics": ["oWaiting", "oMemberUsers"],
    }
    result = observe_queues([], T0, parse_observation_query(body), WORLD)
    assert result == {
        "results": [
            {
                "group": {"queueId": queue},
                "data": [
                    {
                        "metric": "oMemberUsers",
                        "stats": {"count": MEMBERS[queue]},
                    }
                ],
            },
            {
                "group": {"queueId": queue, "mediaType": "chat"},
                "data": [{"metric": "oWaiting", "stats": {"count": 0}}],
            },
        ]
    }


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"metrics": ["oWaiting"]}, "filter"),
        (
            {
                **ALL,
                "filter": {
                    "type": "or",
                    "predicates": [{"dimension": "mediaType", "value": "voice"}],
                },
            },
            "filter",
        ),
        ({**ALL, "metrics": ["oWaiting", "nOffered"]}, "metrics[1]"),
        (
            {
                **ALL,
                "filter": {"type": "or", "predicates": [{"dimension": "userId", "value": "x"}]},
            },
            "filter.predicates[0].dimension",
        ),
        *[({**ALL, "metrics": [m]}, "metrics[0]") for m in USER_STATE_OBSERVATIONS],
        ({**ALL, "detailMetrics": ["oOnQueueUsers"]}, "detailMetrics[0]"),
        ({**ALL, "interval": f"{iso(T0)}/PT1H"}, "interval"),
    ],
)
def test_an_invalid_observation_query_names_its_problem(body: Json, field: str) -> None:
    with pytest.raises(QueryError) as err:
        parse_observation_query(body)
    assert err.value.field == field


def test_a_user_state_metric_is_refused_as_not_served_yet() -> None:
    with pytest.raises(QueryError, match="oOnQueueUsers is not served yet"):
        parse_observation_query({**ALL, "metrics": ["oOnQueueUsers"]})
