"""The simulation core against queueing theory: one queue, Poisson arrivals, exponential
handling, N agents On Queue all day. Without patience, the service level and the average speed
of answer are within 5 % of Erlang C; with exponential patience, the abandoned share is within
5 % of Erlang A. Run with ``-s`` to see the figures README quotes."""

from __future__ import annotations

import random

from gcmock.scenarios.library.arrivals import DAY_MS, HOUR_MS
from gcmock.scenarios.simulation.des import Arrival, Booking, DayCore, UserState
from gcmock.scenarios.simulation.erlang import (
    erlang_a,
    erlang_c,
    erlang_c_asa,
    erlang_c_service_level,
)
from gcmock.scenarios.simulation.schedule import Shift
from gcmock.scenarios.world.entities import DEFAULT_SERVICE_LEVEL_MS

AGENTS, AHT_S, LOAD = 10, 300.0, 8.5
LAM = LOAD / AHT_S
DAYS = 20
DAYS_WITH_PATIENCE = 100
"""Abandonment is a rarer, burstier event than waiting: it needs more days to settle."""


def _day(seed: int, patience_s: float | None) -> list[Arrival]:
    """One day: Poisson arrivals, exponential handling; the first and last hour left out."""
    rng = random.Random(seed)
    users = [
        UserState(f"a{i}", True, ("q",), shift=Shift(f"a{i}", 0, DAY_MS, 0, (), True))
        for i in range(AGENTS)
    ]
    arrivals, t = [], rng.expovariate(LAM)
    while t * 1000 < DAY_MS:
        patience = None if patience_s is None else int(rng.expovariate(1 / patience_s) * 1000)
        arrivals.append(Arrival(len(arrivals), int(t * 1000), "call", patience_ms=patience))
        t += rng.expovariate(LAM)

    def serve(a: Arrival, uid: str | None, at: int) -> list[Booking]:
        if uid is None:
            return []
        return [Booking(uid, "call", at, at + int(rng.expovariate(1 / AHT_S) * 1000))]

    DayCore(users, {"q": tuple(u.id for u in users)}, serve, rng=rng).run(arrivals)
    return [a for a in arrivals if HOUR_MS <= a.at < DAY_MS - HOUR_MS]


def test_erlang_formulas_on_textbook_values() -> None:
    assert abs(erlang_c(2, 1.0) - 1 / 3) < 1e-12
    assert abs(erlang_c_asa(2, 1.0, 60) - 20.0) < 1e-9
    assert erlang_c(5, 5.0) == 1.0
    # with patience far longer than any wait, Erlang A tends to Erlang C's zero abandonment
    assert erlang_a(AGENTS, LAM, AHT_S, 1e9)["abandoned"] < 1e-5


def test_service_level_and_speed_of_answer_match_erlang_c() -> None:
    waits = [a.wait_ms / 1000 for s in range(DAYS) for a in _day(s, None) if a.wait_ms is not None]
    threshold = DEFAULT_SERVICE_LEVEL_MS / 1000
    sl = sum(w <= threshold for w in waits) / len(waits)
    asa = sum(waits) / len(waits)
    sl_c = erlang_c_service_level(AGENTS, LOAD, AHT_S, threshold)
    asa_c = erlang_c_asa(AGENTS, LOAD, AHT_S)
    print(f"\nErlang C N={AGENTS} A={LOAD} AHT={AHT_S:.0f}s calls={len(waits)}")
    print(f"service level {sl:.4f} vs {sl_c:.4f}; ASA {asa:.2f}s vs {asa_c:.2f}s")
    assert abs(sl - sl_c) / sl_c < 0.05
    assert abs(asa - asa_c) / asa_c < 0.05


def test_abandonment_matches_erlang_a() -> None:
    patience = 60.0
    calls = [a for s in range(DAYS_WITH_PATIENCE) for a in _day(1000 + s, patience)]
    abandoned = sum(a.outcome == "abandoned" for a in calls) / len(calls)
    expected = erlang_a(AGENTS, LAM, AHT_S, patience)["abandoned"]
    print(f"\nErlang A N={AGENTS} A={LOAD} patience={patience:.0f}s calls={len(calls)}")
    print(f"abandoned {abandoned:.4f} vs {expected:.4f}")
    assert abs(abandoned - expected) / expected < 0.05
