"""The roster's rules: defaults, what a write does, the routing status and its start time derived
from presence and work, and whom the ACD may offer to, in which order."""

from __future__ import annotations

import pytest

from gcmock.scenarios import EngineError, build_world
from gcmock.scenarios.engine.roster import NOT_RESPONDING_MS, Roster, Work
from gcmock.scenarios.world.presence import presence_definition

WORLD = build_world(2, "small")
T0 = 1_793_491_200_000
A, B, C = (u.id for u in WORLD.agents[:3])
SUPERVISOR = WORLD.supervisors[0].id
NONE = Work()


def test_agents_start_on_queue_and_idle_supervisors_available() -> None:
    roster = Roster(WORLD, T0)
    a = roster.status(A, NONE, T0 + 5)
    assert (a.presence.definition.system_presence, a.status, a.status_since) == (
        "On Queue",
        "IDLE",
        T0,
    )
    s = roster.status(SUPERVISOR, NONE, T0 + 5)
    assert (s.presence.definition.system_presence, s.status) == ("Available", "OFF_QUEUE")


def test_bad_writes_name_their_field_and_change_nothing() -> None:
    roster = Roster(WORLD, T0)
    with pytest.raises(EngineError) as err:
        roster.set_presence(A, "nope", T0 + 1)
    assert (err.value.status, err.value.field) == (400, "presenceDefinition.id")
    with pytest.raises(EngineError) as err:
        roster.set_routing_status(A, "INTERACTING", T0 + 1)
    assert (err.value.status, err.value.field) == (400, "status")
    assert roster.status(A, NONE, T0 + 2).status_since == T0
    with pytest.raises(EngineError) as err:
        roster.presence("nobody")
    assert err.value.status == 404


def test_routing_status_follows_work_and_its_start_time() -> None:
    roster = Roster(WORLD, T0)
    on_call = Work({"call": 1}, acd=1, busy_since=T0 + 100)
    assert roster.status(A, on_call, T0 + 200).status == "INTERACTING"
    assert roster.status(A, on_call, T0 + 200).status_since == T0 + 100
    direct = Work({"call": 1}, acd=0, busy_since=T0 + 100)
    assert roster.status(A, direct, T0 + 200).status == "COMMUNICATING"
    done = Work(idle_since=T0 + 900)
    assert roster.status(A, done, T0 + 1000).status_since == T0 + 900
    roster.set_presence(A, presence_definition("Break").id, T0 + 2000)
    off = roster.status(A, done, T0 + 3000)
    assert (off.status, off.status_since) == ("OFF_QUEUE", T0 + 2000)
    roster.set_routing_status(A, "IDLE", T0 + 4000)
    back = roster.status(A, done, T0 + 5000)
    assert (back.presence.definition.system_presence, back.status) == ("On Queue", "IDLE")
    assert back.status_since == T0 + 4000


def test_a_ring_out_is_a_spell_that_ends_by_time_or_by_a_write() -> None:
    roster = Roster(WORLD, T0)
    rang = Work(idle_since=T0 + 10, rang_out=T0 + 10)
    assert roster.status(A, rang, T0 + 11).status == "NOT_RESPONDING"
    later = roster.status(A, rang, T0 + 10 + NOT_RESPONDING_MS)
    assert (later.status, later.status_since) == ("IDLE", T0 + 10 + NOT_RESPONDING_MS)
    roster.set_routing_status(A, "IDLE", T0 + 20)
    assert roster.status(A, rang, T0 + 21).status == "IDLE"


def test_offers_go_to_the_longest_idle_with_room() -> None:
    roster = Roster(WORLD, T0)
    work = {
        A: Work(idle_since=T0 + 500),
        B: Work(idle_since=T0 + 100),
        C: Work({"chat": 1}, acd=1, busy_since=T0 + 50),
    }
    at = T0 + 1000
    assert [u for _, u in roster.offerable((A, B, C), "call", work.__getitem__, at)] == [B, A, C]
    work[B] = Work({"call": 1}, acd=1, busy_since=T0 + 600)
    assert [u for _, u in roster.offerable((A, B, C), "call", work.__getitem__, at)] == [A, C]
    assert [u for _, u in roster.offerable((A, B, C), "chat", work.__getitem__, at)] == [A, C]
    roster.set_presence(A, presence_definition("Meal").id, at)
    assert [u for _, u in roster.offerable((A, B, C), "chat", work.__getitem__, at)] == [C]
    tied = Roster(WORLD, T0)
    ids = [u for _, u in tied.offerable((C, B, A), "call", lambda _u: NONE, at)]
    assert ids == sorted((A, B, C)), "ties broken by id"
