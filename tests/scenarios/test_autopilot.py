"""Time passing moves conversations forward through engine operations only."""

from __future__ import annotations

import random

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from gcmock.scenarios import build_world, to_conversation_json, validate
from gcmock.scenarios.engine import routing, transfer
from gcmock.scenarios.engine.autopilot import advance, next_due

WORLD = build_world(2, "small")
T0 = 1_793_491_200_000


def _queued(seed: int):  # type: ignore[no-untyped-def]
    q = WORLD.queues[seed % len(WORLD.queues)]
    conv = routing.start_inbound(WORLD, random.Random(seed), T0, dnis=q.dnis[0], ani="+13125550199")
    routing.route_to_queue(conv, WORLD, q, T0 + 500)
    return conv


def test_a_queued_call_is_offered_and_answered() -> None:
    conv = _queued(1)
    advance(conv, WORLD, T0 + 120_000)
    agents = conv.by_purpose("agent")
    assert agents and agents[-1].comm.state == "connected"
    assert not any(p.active for p in conv.by_purpose("acd"))
    assert validate(to_conversation_json(conv), skew_ms=0) == []
    assert next_due(conv, WORLD) is None, "a connected call waits for people, not the clock"


def test_busy_agents_are_not_offered() -> None:
    conv = _queued(2)
    q = WORLD.queues_by_id[conv.customer.queue_id or ""]
    advance(conv, WORLD, T0 + 600_000, busy=set(q.member_ids))
    assert conv.by_purpose("agent") == []


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), steps=st.lists(st.integers(1, 60_000), min_size=1, max_size=8))
def test_advancing_in_steps_equals_advancing_at_once(seed: int, steps: list[int]) -> None:
    a, b = _queued(seed), _queued(seed)
    t = T0
    for s in steps:
        t += s
        advance(a, WORLD, t)
    advance(b, WORLD, t)
    assert orjson.dumps(to_conversation_json(a)) == orjson.dumps(to_conversation_json(b))
    assert validate(to_conversation_json(a), skew_ms=0) == []


def test_blind_transfer_to_queue_is_picked_up_and_acw_times_out() -> None:
    conv = _queued(3)
    advance(conv, WORLD, T0 + 60_000)
    a1 = conv.by_purpose("agent")[-1]
    target = next(q for q in WORLD.queues if q.id != a1.queue_id)
    transfer.blind_transfer(conv, WORLD, a1.id, T0 + 90_000, queue=target)
    advance(conv, WORLD, T0 + 3_600_000)
    assert conv.by_purpose("agent")[-1].queue_id == target.id
    if a1.wrapup_prompt in ("timeout", "forcedTimeout"):
        assert a1.wrapup is not None and a1.wrapup.code == "ININ-WRAP-UP-TIMEOUT"
    assert validate(to_conversation_json(conv), skew_ms=0) == []
