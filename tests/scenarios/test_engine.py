"""Operations of the conversation state machine, one behaviour per test."""

from __future__ import annotations

import random

import pytest

from gcmock.scenarios import (
    EngineError,
    assert_valid,
    build_world,
    to_call_json,
    to_conversation_json,
    validate,
)
from gcmock.scenarios.engine import control, routing, supervision, transfer, wrapup
from gcmock.scenarios.engine.model import Conversation, Participant
from gcmock.scenarios.world import SYSTEM_WRAPUP_TIMEOUT, World

T0 = 1_793_491_200_000


@pytest.fixture(scope="module")
def world() -> World:
    return build_world(7, "small")


def _ok(conv: Conversation) -> None:
    assert [str(v) for v in validate(to_conversation_json(conv), skew_ms=0)] == []
    assert [str(v) for v in validate(to_call_json(conv), skew_ms=0)] == []


def _inbound(world: World, seed: int = 1) -> tuple[Conversation, Participant]:
    """customer -> ivr -> acd -> agent connected; returns the conversation and the agent."""
    q = world.queues[0]
    conv = routing.start_inbound(
        world,
        random.Random(seed),
        T0,
        dnis=q.dnis[0],
        ani=world.caller_numbers[0],
        name=world.caller_localities[0],
        connected_after_ms=200,
    )
    routing.enter_ivr(conv, world, world.ivr_flows[0], T0 + 50)
    routing.route_to_queue(conv, world, q, T0 + 30_000)
    agent = routing.offer(conv, world, world.users_by_id[q.member_ids[0]], T0 + 40_000)
    routing.answer(conv, agent.id, T0 + 43_000)
    return conv, agent


def test_inbound_call_hands_off_with_transfer_and_wraps_up(world: World) -> None:
    conv, agent = _inbound(world)
    customer, ivr, acd = conv.participants[:3]
    assert [p.purpose for p in conv.participants] == ["customer", "ivr", "acd", "agent"]
    assert ivr.comm.disconnect_type == "transfer" and acd.comm.disconnect_type == "transfer"
    assert acd.end == agent.connected == T0 + 43_000
    assert agent.comm.peer_id == customer.comm.id == ivr.comm.peer_id
    control.disconnect(conv, customer.id, T0 + 200_000)
    assert customer.comm.disconnect_type == "endpoint"
    assert agent.comm.disconnect_type == "peer"
    assert agent.acw_start == agent.end == T0 + 200_000
    assert conv.end == T0 + 200_000 and not conv.settled
    code = world.queues[0].wrapup_code_ids[0]
    wrapup.wrap_up(conv, world, agent.id, code, T0 + 214_700, notes="done")
    assert agent.wrapup is not None and agent.wrapup.duration_seconds == 14
    assert conv.settled
    data = to_conversation_json(conv)
    assert {c["state"] for p in data["participants"] for c in p["calls"]} == {"terminated"}
    _ok(conv)


def test_every_offer_is_a_new_participant(world: World) -> None:
    q = world.queues[0]
    conv2 = routing.start_inbound(world, random.Random(2), T0, dnis=q.dnis[0], ani="+13125550100")
    routing.route_to_queue(conv2, world, q, T0 + 1000)
    user = world.users_by_id[q.member_ids[0]]
    a = routing.offer(conv2, world, user, T0 + 2000)
    routing.not_responding(conv2, a.id, T0 + 2000 + q.alerting_timeout_ms)
    b = routing.offer(conv2, world, user, T0 + 20_000)
    assert a.id != b.id and a.user_id == b.user_id
    assert a.connected is None and a.comm.disconnect_type == "system"
    routing.decline(conv2, b.id, T0 + 22_000)
    assert b.comm.disconnect_type == "client"
    assert conv2.customer.active, "the caller keeps waiting in queue after a declined offer"
    _ok(conv2)


def test_not_responding_before_the_alert_timeout_is_refused(world: World) -> None:
    q = world.queues[0]
    conv = routing.start_inbound(world, random.Random(3), T0, dnis=q.dnis[0], ani="+13125550100")
    routing.route_to_queue(conv, world, q, T0 + 1000)
    a = routing.offer(conv, world, world.users_by_id[q.member_ids[0]], T0 + 2000)
    with pytest.raises(EngineError) as err:
        routing.not_responding(conv, a.id, T0 + 2500)
    assert err.value.code == "alert.not.timed.out"


def test_answering_a_connected_leg_names_the_participant_and_state(world: World) -> None:
    conv, agent = _inbound(world)
    with pytest.raises(EngineError) as err:
        routing.answer(conv, agent.id, T0 + 50_000)
    assert err.value.code == "participant.not.alerting"
    assert agent.id in err.value.message and "connected" in err.value.message


def test_hold_confines_the_customer_and_resume_releases(world: World) -> None:
    conv, agent = _inbound(world)
    control.hold(conv, agent.id, T0 + 60_000)
    assert agent.comm.held and agent.comm.hold_start == T0 + 60_000
    assert conv.customer.comm.confined
    _ok(conv)
    with pytest.raises(EngineError):
        control.hold(conv, agent.id, T0 + 61_000)
    control.resume(conv, agent.id, T0 + 90_000)
    assert not agent.comm.held and not conv.customer.comm.confined
    assert [s.kind for s in agent.comm.segments] == ["alert", "interact", "hold", "interact"]
    _ok(conv)


def test_blind_transfer_to_queue(world: World) -> None:
    conv, a1 = _inbound(world)
    q2 = world.queues[1]
    acd = transfer.blind_transfer(conv, world, a1.id, T0 + 100_000, queue=q2)
    assert a1.comm.disconnect_type == "transfer" and a1.in_acw
    assert acd.purpose == "acd" and acd.queue_id == q2.id
    assert conv.transfers[-1].kind == "Unattended"
    a2 = routing.offer(conv, world, world.users_by_id[q2.member_ids[-1]], T0 + 110_000)
    routing.answer(conv, a2.id, T0 + 112_000)
    control.disconnect(conv, a2.id, T0 + 300_000)
    assert a2.comm.disconnect_type == "client"
    assert conv.customer.comm.disconnect_type == "peer"
    _ok(conv)


def test_blind_transfer_of_a_disconnected_agent_is_refused(world: World) -> None:
    conv, agent = _inbound(world)
    control.disconnect(conv, conv.customer.id, T0 + 100_000)
    with pytest.raises(EngineError) as err:
        transfer.blind_transfer(conv, world, agent.id, T0 + 101_000, queue=world.queues[1])
    assert err.value.status == 409


def test_consult_transfer_marks_and_completion(world: World) -> None:
    conv, a1 = _inbound(world)
    customer = conv.customer
    colleague = world.users_by_id[world.queues[0].member_ids[1]]
    a2 = transfer.start_consult(conv, world, customer.id, T0 + 100_000, user=colleague)
    assert customer.comm.confined and not customer.comm.held
    assert customer.consult_participant_id == customer.id
    assert a1.consult_participant_id == a2.consult_participant_id == customer.id
    assert a1.attributes["consultInitiator"] == "true"
    routing.answer(conv, a2.id, T0 + 104_000)
    _ok(conv)
    control.disconnect(conv, a1.id, T0 + 160_000)
    assert a1.comm.disconnect_type == "transfer.consult" and a1.in_acw
    assert not customer.comm.confined and a2.active and customer.active
    assert conv.transfers[-1].kind == "Attended"
    _ok(conv)


def test_consult_cancel_removes_every_mark(world: World) -> None:
    conv, a1 = _inbound(world)
    colleague = world.users_by_id[world.queues[0].member_ids[1]]
    a2 = transfer.start_consult(conv, world, conv.customer.id, T0 + 100_000, user=colleague)
    transfer.cancel_consult(conv, T0 + 103_000)
    assert a2.comm.disconnect_type == "client" and a2.connected is None
    assert all(p.consult_participant_id is None for p in conv.participants)
    assert a1.attributes == {} and not conv.customer.comm.confined
    assert a1.active and conv.consult is None
    _ok(conv)


def test_consult_to_queue_moves_destination_to_the_answering_agent(world: World) -> None:
    conv, _a1 = _inbound(world)
    q2 = world.queues[1]
    acd = transfer.start_consult(conv, world, conv.customer.id, T0 + 100_000, queue=q2)
    a2 = routing.offer(conv, world, world.users_by_id[q2.member_ids[-1]], T0 + 110_000)
    routing.answer(conv, a2.id, T0 + 113_000)
    assert conv.consult is not None and conv.consult.destination_id == a2.id
    assert not acd.active and a2.consult_participant_id == conv.customer.id
    _ok(conv)


def test_conference_then_initiator_leaves(world: World) -> None:
    conv, a1 = _inbound(world)
    colleague = world.users_by_id[world.queues[0].member_ids[1]]
    a2 = transfer.start_consult(conv, world, conv.customer.id, T0 + 100_000, user=colleague)
    routing.answer(conv, a2.id, T0 + 103_000)
    transfer.change_speak_to(conv, T0 + 110_000, "CONFERENCE")
    assert not conv.customer.comm.confined
    control.disconnect(conv, a1.id, T0 + 200_000)
    assert a1.comm.disconnect_type == "transfer.conference"
    _ok(conv)


def test_customer_hangs_up_mid_consult(world: World) -> None:
    conv, _a1 = _inbound(world)
    colleague = world.users_by_id[world.queues[0].member_ids[1]]
    a2 = transfer.start_consult(conv, world, conv.customer.id, T0 + 100_000, user=colleague)
    control.disconnect(conv, conv.customer.id, T0 + 101_000)
    assert not conv.active and conv.consult is None
    assert all(p.consult_participant_id is None for p in conv.participants)
    assert a2.comm.disconnect_type == "peer"
    _ok(conv)


@pytest.mark.parametrize("mode", ["monitor", "coach", "barge"])
def test_supervisor_ends_with_the_agent(world: World, mode: str) -> None:
    conv, agent = _inbound(world)
    sup = world.supervisors[0]
    s = getattr(supervision, mode)(conv, world, agent.id, sup, T0 + 60_000)
    ref = {
        "monitor": s.monitored_participant_id,
        "coach": s.coached_participant_id,
        "barge": s.barged_participant_id,
    }[mode]
    assert ref == agent.id and s.purpose == "user"
    with pytest.raises(EngineError):
        getattr(supervision, mode)(conv, world, agent.id, world.supervisors[-1], T0 + 61_000)
    control.disconnect(conv, agent.id, T0 + 120_000)
    assert s.end == agent.end and s.comm.disconnect_type == "peer"
    _ok(conv)


def test_wrapup_timeout_and_skip_rules(world: World) -> None:
    conv, agent = _inbound(world)
    control.disconnect(conv, conv.customer.id, T0 + 100_000)
    timeout = agent.wrapup_timeout_ms or 0
    with pytest.raises(EngineError):
        wrapup.wrapup_timeout(conv, world, agent.id, T0 + 100_000 + timeout - 1)
    wrapup.wrapup_timeout(conv, world, agent.id, T0 + 100_000 + timeout)
    assert agent.wrapup is not None and agent.wrapup.code == SYSTEM_WRAPUP_TIMEOUT
    with pytest.raises(EngineError) as err:
        wrapup.skip_wrapup(conv, agent.id, T0 + 500_000)
    assert err.value.code == "participant.not.in.acw"
    _ok(conv)


def test_wrapup_code_outside_the_queue_is_rejected(world: World) -> None:
    conv, agent = _inbound(world)
    control.disconnect(conv, conv.customer.id, T0 + 100_000)
    foreign = next(c.id for c in world.wrapup_codes if c.id not in world.queues[0].wrapup_code_ids)
    with pytest.raises(EngineError) as err:
        wrapup.wrap_up(conv, world, agent.id, foreign, T0 + 110_000)
    assert err.value.code == "wrapup.code.invalid" and err.value.status == 400


def test_outbound_call_connects_both_legs(world: World) -> None:
    user = world.users_by_id[world.queues[0].member_ids[0]]
    conv = routing.place_call(
        world, random.Random(5), T0, user=user, number="+13125550111", queue=world.queues[0]
    )
    agent, customer = conv.participants
    assert agent.comm.direction == customer.comm.direction == "outbound"
    assert agent.comm.state == "dialing" and customer.comm.state == "contacting"
    _ok(conv)
    routing.answer(conv, customer.id, T0 + 9000)
    assert agent.comm.connected == customer.comm.connected == T0 + 9000
    control.disconnect(conv, agent.id, T0 + 99_000)
    assert agent.comm.disconnect_type == "client" and customer.comm.disconnect_type == "peer"
    _ok(conv)


def test_operations_must_not_go_back_in_time(world: World) -> None:
    conv, agent = _inbound(world)
    with pytest.raises(EngineError) as err:
        control.hold(conv, agent.id, T0)
    assert err.value.code == "time.out.of.order"


def test_consult_commands_must_name_the_customer_being_transferred(world: World) -> None:
    conv, a1 = _inbound(world)
    colleague = world.users_by_id[world.queues[0].member_ids[1]]
    transfer.start_consult(conv, world, conv.customer.id, T0 + 100_000, user=colleague)
    with pytest.raises(EngineError) as err:
        transfer.cancel_consult(conv, T0 + 101_000, object_id=a1.id)
    assert err.value.code == "consult.not.found" and err.value.status == 404
    transfer.change_speak_to(conv, T0 + 102_000, "BOTH", object_id=conv.customer.id)
    assert conv.consult is not None and conv.consult.speak_to == "BOTH"


def test_assert_valid_names_conversation_participant_and_rule(world: World) -> None:
    conv, agent = _inbound(world)
    assert_valid(conv)
    data = to_conversation_json(conv)
    data["participants"][3]["connectedTime"] = "2001-01-01T00:00:00.000Z"
    with pytest.raises(AssertionError) as err:
        assert_valid(data)
    text = str(err.value)
    assert conv.id[:8] in text and agent.id[:8] in text and "[times.order]" in text
