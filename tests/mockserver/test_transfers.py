"""Blind and consult transfers, supervisors and outbound calls, through the engine."""

from __future__ import annotations

import pytest

from gcmock.mockserver.state import ServerState
from gcmock.scenarios import validate

from .conftest import Api
from .helpers import free_agents, inbound, participant

CALLS = "/api/v2/conversations/calls"


def _valid(api: Api, cid: str) -> dict:  # type: ignore[type-arg]
    data = api.ok("GET", f"/api/v2/conversations/{cid}")
    assert validate(data, skew_ms=0) == []
    return data  # type: ignore[no-any-return]


def test_blind_transfer_to_an_agent(api: Api, state: ServerState) -> None:
    call = inbound(api, state.world)
    other = free_agents(state.world, call.queue)[1]
    r = api.post(
        f"/api/v2/conversations/{call.id}/participants/{call.agent}/replace/agent",
        {"userId": other.id},
    )
    assert r.status_code == 202
    data = _valid(api, call.id)
    old = next(p for p in data["participants"] if p["id"] == call.agent)
    assert old["calls"][0]["disconnectType"] == "transfer"
    new = data["participants"][-1]
    assert new["userId"] == other.id and new["calls"][0]["state"] == "alerting"
    assert data["recentTransfers"][-1]["transferType"] == "Unattended"


def test_blind_transfer_to_a_queue_by_name_then_autopilot_offers_it(
    api: Api, state: ServerState
) -> None:
    call = inbound(api, state.world)
    target = state.world.queues[1]
    api.ok(
        "POST",
        f"/api/v2/conversations/{call.id}/participants/{call.agent}/replace/queue",
        {"queueName": target.name.lower()},
    )
    data = _valid(api, call.id)
    acd = data["participants"][-1]
    assert acd["purpose"] == "acd" and acd["queueId"] == target.id
    # time passes: the engine's autopilot offers the call to a free agent of that queue
    api.client.post("/__admin/clock", json={"advanceMs": 60_000})
    data = _valid(api, call.id)
    agents = [
        p for p in data["participants"] if p["purpose"] == "agent" and p.get("queueId") == target.id
    ]
    assert agents and agents[-1]["userId"] in target.member_ids


@pytest.mark.parametrize("how", ["transfer", "contact", "replace"])
def test_blind_transfer_to_a_number(api: Api, state: ServerState, how: str) -> None:
    call = inbound(api, state.world)
    contact = state.world.contacts[0]
    base = f"/api/v2/conversations/{call.id}/participants/{call.agent}"
    if how == "transfer":
        api.ok("POST", f"{base}/transfer", {"address": "+13125550199"})
        expected = "tel:+13125550199"
    elif how == "contact":
        api.ok("POST", f"{base}/replace/contact/external", {"contactId": contact.id})
        expected = f"tel:{contact.phone}"
    else:
        api.ok(
            "POST",
            f"{CALLS}/{call.id}/participants/{call.agent}/replace",
            {"address": "+13125550199"},
        )
        expected = "tel:+13125550199"
    external = _valid(api, call.id)["participants"][-1]
    assert external["purpose"] == "external" and external["address"] == expected


def test_transfer_destinations_are_checked(api: Api, state: ServerState) -> None:
    call = inbound(api, state.world)
    base = f"/api/v2/conversations/{call.id}/participants/{call.agent}"
    r = api.post(f"{base}/replace/agent", {"userId": "nobody"})
    assert r.status_code == 400 and r.get_json()["details"][0]["fieldName"] == "userId"
    r = api.post(f"{base}/replace/agent", {})
    assert r.status_code == 400
    r = api.post(f"{base}/replace", {"address": "+13125550199", "queueId": call.queue.id})
    assert r.status_code == 400  # the engine wants exactly one destination
    r = api.post(f"{base}/replace/contact/external", {"contactId": "none"})
    assert r.status_code == 400


def test_consult_transfer_completed_by_the_initiator_hanging_up(
    api: Api, state: ServerState
) -> None:
    call = inbound(api, state.world)
    colleague = free_agents(state.world, call.queue)[1]
    consult = f"{CALLS}/{call.id}/participants/{call.customer}/consult"
    data = api.ok(
        "POST", f"{consult}/agent", {"userId": colleague.id, "consultingUserId": call.user.id}
    )
    dest = data["destinationParticipantId"]
    assert participant(api, call.id, call.customer)["calls"][0]["confined"] is True
    api.ok("PATCH", f"{CALLS}/{call.id}/participants/{dest}", {"state": "connected"})
    assert api.ok("PATCH", consult, {"speakTo": "BOTH"}) == {"destinationParticipantId": dest}
    api.client.post("/__admin/clock", json={"advanceMs": 5_000})
    api.ok("PATCH", f"{CALLS}/{call.id}/participants/{call.agent}", {"state": "disconnected"})
    data = _valid(api, call.id)
    initiator = next(p for p in data["participants"] if p["id"] == call.agent)
    assert initiator["calls"][0]["disconnectType"] == "transfer.consult"
    assert data["recentTransfers"][-1]["transferType"] == "Attended"
    dest_p = next(p for p in data["participants"] if p["id"] == dest)
    assert dest_p["calls"][0]["state"] == "connected"


def test_consult_to_a_queue_as_a_conference_then_cancel(api: Api, state: ServerState) -> None:
    call = inbound(api, state.world)
    consult = f"{CALLS}/{call.id}/participants/{call.customer}/consult"
    data = api.ok("POST", f"{consult}/queue", {"queueId": state.world.queues[1].id})
    assert participant(api, call.id, data["destinationParticipantId"])["purpose"] == "acd"
    api.ok("PATCH", consult, {"speakTo": "CONFERENCE"})
    r = api.delete(consult)
    assert r.status_code == 202
    data = _valid(api, call.id)
    assert not any(p.get("consultParticipantId") for p in data["participants"])
    assert api.delete(consult).status_code == 409  # nothing left to cancel


def test_consult_to_an_address_and_the_deprecated_form(api: Api, state: ServerState) -> None:
    call = inbound(api, state.world)
    base = f"{CALLS}/{call.id}/participants/{call.customer}"
    api.ok("POST", f"{base}/voice/consult", {"address": "+13125550177", "speakTo": "OBJECT"})
    assert (
        api.post(f"{base}/consult", {"destination": {"address": "+13125550188"}}).status_code == 409
    )
    api.ok("DELETE", f"{base}/consult")
    api.ok("POST", f"{base}/consult", {"destination": {"queueId": call.queue.id}})
    _valid(api, call.id)


def test_consult_needs_the_consulting_user_on_the_call(api: Api, state: ServerState) -> None:
    call = inbound(api, state.world)
    r = api.post(
        f"{CALLS}/{call.id}/participants/{call.customer}/consult/agent",
        {
            "userId": free_agents(state.world, call.queue)[1].id,
            "consultingUserId": state.world.users[-1].id,
        },
    )
    assert r.status_code == 400 and r.get_json()["details"][0]["fieldName"] == "consultingUserId"


@pytest.mark.parametrize(
    ("mode", "field"),
    [
        ("monitor", "monitoredParticipantId"),
        ("coach", "coachedParticipantId"),
        ("barge", "bargedParticipantId"),
    ],
)
def test_supervisor_joins(api: Api, state: ServerState, mode: str, field: str) -> None:
    call = inbound(api, state.world)
    r = api.post(f"{CALLS}/{call.id}/participants/{call.agent}/{mode}")
    assert r.status_code == 202
    data = _valid(api, call.id)
    sup = data["participants"][-1]
    assert sup[field] == call.agent
    assert state.world.users_by_id[sup["userId"]].is_supervisor
    r = api.post(f"{CALLS}/{call.id}/participants/{call.agent}/{mode}")
    assert r.status_code == 409 and r.get_json()["code"] == "participant.already.monitored"
    r = api.post(f"{CALLS}/{call.id}/participants/{call.customer}/{mode}")
    assert r.status_code == 409


def test_a_supervisor_token_joins_as_that_supervisor(api: Api, state: ServerState) -> None:
    call = inbound(api, state.world)
    boss = state.world.supervisors[-1]
    r = api.client.post(
        f"{CALLS}/{call.id}/participants/{call.agent}/monitor",
        headers={"Authorization": f"Bearer {api.user_token(boss.id)}"},
    )
    assert r.status_code == 202
    assert _valid(api, call.id)["participants"][-1]["userId"] == boss.id


def test_place_a_call(api: Api, state: ServerState) -> None:
    user = state.world.agents[0]
    queue = next(q for q in state.world.queues if user.id in q.member_ids)
    r = api.post(CALLS, {"phoneNumber": "+13125550100"})
    assert r.status_code == 400  # client credentials: no user to call from
    data = api.ok(
        "POST",
        f"{CALLS}/user/{user.id}",
        {"phoneNumber": "+13125550100", "callFromQueueId": queue.id},
    )
    cid = data["id"]
    assert data["selfUri"] == f"{CALLS}/{cid}"
    conv = _valid(api, cid)
    agent, customer = conv["participants"]
    assert agent["userId"] == user.id and agent["calls"][0]["state"] == "dialing"
    api.ok("PATCH", f"{CALLS}/{cid}/participants/{customer['id']}", {"state": "connected"})
    assert participant(api, cid, agent["id"])["calls"][0]["state"] == "connected"
    r = api.client.post(
        CALLS,
        json={"phoneNumber": "+13125550101"},
        headers={"Authorization": f"Bearer {api.user_token(user.id)}"},
    )
    assert r.status_code == 200
    assert api.post(f"{CALLS}/user/nobody", {"phoneNumber": "+1312"}).status_code == 404
    assert api.post(f"{CALLS}/user/{user.id}", {}).status_code == 400


def test_created_ids_replay_after_reset(api: Api, state: ServerState) -> None:
    user = state.world.agents[0]
    first = api.ok("POST", f"{CALLS}/user/{user.id}", {"phoneNumber": "+13125550100"})["id"]
    api.client.post("/__admin/reset")
    again = api.ok("POST", f"{CALLS}/user/{user.id}", {"phoneNumber": "+13125550100"})["id"]
    assert first == again
