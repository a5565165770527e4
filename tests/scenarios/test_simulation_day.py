"""A simulated day: its conversations valid, no user on more work than their utilization, every
agent leg inside that agent's On Queue/INTERACTING time, and the day a pure function of its
inputs. The independent generator breaks the same rule, so the rule can fail."""

from __future__ import annotations

from functools import lru_cache

from gcmock.scenarios import build_world, generate, to_conversation_json, validate
from gcmock.scenarios.engine.agents import can_take
from gcmock.scenarios.library.generate import GeneratorOptions
from gcmock.scenarios.simulation.day import DayResult, day_count, simulate_day
from gcmock.scenarios.validate.rules_users import UserRules

WORLD = build_world(4, "medium")
OPTIONS = GeneratorOptions()


@lru_cache(maxsize=4)
def _day(day: int) -> DayResult:
    return simulate_day(WORLD, 7, day, OPTIONS)


def _rules(convs: list, routing: dict | None) -> list:
    rules = UserRules(lambda media, load: can_take(media, load), routing)
    for conv in convs:
        rules.add(conv)
    return rules.finish()


def test_a_simulated_weekday_has_no_overlap_and_no_leg_outside_the_timeline() -> None:
    result = _day(1)
    docs = [to_conversation_json(c) for c in result.conversations]
    assert len(docs) > 2000
    assert _rules(docs, result.routing) == []
    bad = [v for d in docs for v in validate(d)]
    assert bad == []


def test_the_independent_generator_puts_agents_on_two_calls_at_once() -> None:
    options = GeneratorOptions(count=3000, days=1.0)
    docs = [to_conversation_json(c) for c in generate(WORLD, 7, 0, 3000, options)]
    found = _rules(docs, None)
    assert any(v.rule == "user.overlap" for v in found)


def test_the_timeline_rule_sees_a_leg_outside_interacting() -> None:
    result = _day(1)
    docs = [to_conversation_json(c) for c in result.conversations]
    routing = {
        u: [s for s in spans if s[2] != "INTERACTING"] for u, spans in result.routing.items()
    }
    assert any(v.rule == "user.timeline" for v in _rules(docs, routing))


def test_a_day_is_a_pure_function_and_its_count_is_known_beforehand() -> None:
    again = simulate_day(WORLD, 7, 1, OPTIONS)
    first = _day(1)
    assert [c.id for c in again.conversations] == [c.id for c in first.conversations]
    assert len(first.conversations) == day_count(WORLD, 7, 1, OPTIONS)
    starts = [c.start for c in first.conversations]
    assert starts == sorted(starts)


def test_queues_are_neither_empty_nor_drowning() -> None:
    result = _day(1)
    calls = [a for a in result.arrivals if a.kind == "acd" and a.media == "call"]
    answered = [a for a in calls if a.outcome == "answered"]
    waits = [a.wait_ms for a in answered if a.wait_ms is not None]
    within = sum(w <= 20_000 for w in waits) / len(waits)
    abandoned = sum(a.outcome == "abandoned" for a in calls) / len(calls)
    assert 0.6 < within < 0.99, within
    assert 0.01 < abandoned < 0.2, abandoned
    assert sum(1 for a in result.arrivals if a.rang_out) > 0
    statuses = {s[2] for spans in result.routing.values() for s in spans}
    assert statuses >= {"IDLE", "INTERACTING", "NOT_RESPONDING"}
    presences = {s[2] for spans in result.presence.values() for s in spans}
    assert presences >= {"Available", "On Queue", "Break", "Meal"}


def test_every_arrival_of_a_week_becomes_one_conversation() -> None:
    small = build_world(5, "small")
    for seed in (0, 1):
        for day in range(7):
            result = simulate_day(small, seed, day, OPTIONS)
            assert all(a.outcome != "waiting" for a in result.arrivals)
            assert len(result.conversations) == day_count(small, seed, day, OPTIONS)
