"""The discrete-event core: FIFO queues, longest-idle routing under the utilization, ring-outs
that leave the agent NOT_RESPONDING, abandonment, breaks that wait for the work to end."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from gcmock.scenarios.engine.agents import can_take
from gcmock.scenarios.simulation.des import Arrival, Booking, DayCore, UserState
from gcmock.scenarios.simulation.schedule import Activity, Shift

MIN = 60_000


def _agent(name: str, start: int = 0, end: int = 600 * MIN, activities=()) -> UserState:
    return UserState(name, True, ("q",), shift=Shift(name, start, end, 0, tuple(activities), True))


def _core(users: list[UserState], handle_ms, rng: random.Random | None = None) -> DayCore:
    def serve(a: Arrival, uid: str | None, at: int) -> list[Booking]:
        return [] if uid is None else [Booking(uid, a.media, at, at + handle_ms(a))]

    return DayCore(users, {"q": tuple(u.id for u in users)}, serve, rng=rng or random.Random(0))


def _interacting(u: UserState) -> list[tuple[int, int]]:
    return [(s, e) for s, e, v in u.routing_spans if v == "INTERACTING"]


def test_one_agent_answers_in_arrival_order() -> None:
    a = _agent("a")
    core = _core([a], lambda arr: 5 * MIN)
    arrivals = [Arrival(i, MIN + i * 1000, "call") for i in range(3)]
    core.run(arrivals)
    assert [x.answered_at for x in arrivals] == [MIN, 6 * MIN, 11 * MIN]
    assert _interacting(a) == [(MIN, 16 * MIN)]
    assert a.presence_spans == [(0, 600 * MIN, "On Queue")]


def test_the_longest_idle_agent_gets_the_call() -> None:
    a, b = _agent("a"), _agent("b")
    core = _core([a, b], lambda arr: MIN)
    arrivals = [Arrival(0, MIN, "call"), Arrival(1, 3 * MIN, "call"), Arrival(2, 4 * MIN, "call")]
    core.run(arrivals)
    assert [x.agent_id for x in arrivals] == ["a", "b", "a"]


def test_chats_share_an_agent_up_to_the_utilization_and_a_call_may_interrupt_them() -> None:
    a = _agent("a")
    core = _core([a], lambda arr: 10 * MIN)
    chats = [Arrival(i, MIN, "chat") for i in range(5)]
    call = Arrival(5, 2 * MIN, "call")
    core.run([*chats, call])
    assert [c.answered_at for c in chats[:4]] == [MIN] * 4
    assert call.answered_at == 2 * MIN  # the fifth chat does not fit, the call does
    assert chats[4].answered_at == 12 * MIN  # and no chat reaches an agent on a call


def test_a_ring_out_leaves_the_agent_not_responding_and_the_next_one_answers() -> None:
    a, b = _agent("a"), _agent("b")
    core = _core([a, b], lambda arr: MIN)
    call = Arrival(0, MIN, "call", ring_out=True)
    core.run([call])
    assert call.rang_out == ("a", MIN, MIN + 8000)
    assert call.agent_id == "b" and call.answered_at == MIN + 8000
    statuses = [v for _, _, v in a.routing_spans]
    assert statuses[:4] == ["IDLE", "INTERACTING", "NOT_RESPONDING", "IDLE"]


def test_callers_abandon_when_nobody_answers_in_time() -> None:
    a = _agent("a")
    core = _core([a], lambda arr: 10 * MIN)
    first = Arrival(0, MIN, "call", patience_ms=MIN)
    second = Arrival(1, MIN + 1, "call", patience_ms=MIN)
    core.run([first, second])
    assert first.outcome == "answered"
    assert second.outcome == "abandoned" and second.abandoned_at == 2 * MIN + 1


def test_a_break_waits_for_the_call_to_end_and_keeps_its_length() -> None:
    a = _agent("a", activities=[Activity(10 * MIN, 15 * MIN, "Break")])
    core = _core([a], lambda arr: 10 * MIN)
    call = Arrival(0, 5 * MIN, "call")
    late = Arrival(1, 16 * MIN, "call")
    core.run([call, late])
    assert (15 * MIN, 30 * MIN, "Break") in a.presence_spans
    assert late.answered_at == 30 * MIN


def test_the_last_agent_stays_until_the_queue_is_empty() -> None:
    a = _agent("a", end=10 * MIN)
    core = _core([a], lambda arr: 8 * MIN)
    calls = [Arrival(0, MIN, "call"), Arrival(1, 2 * MIN, "call")]
    core.run(calls)
    assert calls[1].answered_at == 9 * MIN
    assert a.presence_spans[-1] == (0, 17 * MIN, "On Queue")


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32), st.integers(1, 4))
def test_no_agent_ever_holds_more_than_the_utilization(seed: int, agents: int) -> None:
    rng = random.Random(seed)
    breaks = [Activity(60 * MIN, 15 * MIN, "Break")]
    users = [_agent(f"a{i}", activities=breaks) for i in range(agents)]
    media = ("call", "chat", "email", "message", "callback")
    arrivals = [
        Arrival(i, rng.randrange(120 * MIN), rng.choice(media), ring_out=rng.random() < 0.2)
        for i in range(40)
    ]
    arrivals.sort(key=lambda x: x.at)
    booked: list[Booking] = []

    def serve(a: Arrival, uid: str | None, at: int) -> list[Booking]:
        b = [Booking(uid, a.media, at, at + rng.randrange(1, 20 * MIN))] if uid else []
        booked.extend(b)
        return b

    core = DayCore(users, {"q": tuple(u.id for u in users)}, serve, rng=rng)
    core.run(arrivals)
    assert all(a.outcome == "answered" for a in arrivals)
    for u in users:
        mine = [b for b in booked if b.user_id == u.id]  # in the order they were assigned
        for k, b in enumerate(mine):
            load: dict[str, int] = {}
            for o in mine[:k]:
                if o.start <= b.start < o.end:
                    load[o.media] = load.get(o.media, 0) + 1
            assert can_take(b.media, load), (b, load)
        breaks = [(s, e) for s, e, p in u.presence_spans if p == "Break"]
        assert all(not (s < b.end and b.start < e) for b in mine for s, e in breaks)
