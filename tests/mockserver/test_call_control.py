"""Writes through the engine: answer, hold, mute, record, hang up, attributes and wrap-up."""

from __future__ import annotations

from gcmock.mockserver.state import ServerState
from gcmock.scenarios import validate

from .conftest import T0, Api
from .helpers import inbound, participant

CALLS = "/api/v2/conversations/calls"


def _valid(api: Api, cid: str) -> None:
    assert validate(api.ok("GET", f"/api/v2/conversations/{cid}"), skew_ms=0) == []
    assert validate(api.ok("GET", f"{CALLS}/{cid}"), skew_ms=0) == []


def test_answer_an_offer(api: Api, state: ServerState) -> None:
    call = inbound(api, state.world, answered=False)
    assert participant(api, call.id, call.agent)["calls"][0]["state"] == "alerting"
    r = api.patch(f"{CALLS}/{call.id}/participants/{call.agent}", {"state": "connected"})
    assert r.status_code == 202 and r.get_data() == b""
    agent = participant(api, call.id, call.agent)
    assert agent["calls"][0]["state"] == "connected"
    assert agent["connectedTime"] == "2026-11-01T00:00:00.000Z"  # the server clock, T0
    _valid(api, call.id)


def test_hold_resume_mute_record_are_desired_states(api: Api, state: ServerState) -> None:
    call = inbound(api, state.world)
    path = f"{CALLS}/{call.id}/participants/{call.agent}"
    api.ok("PATCH", path, {"held": True, "muted": True, "recording": True})
    flat = next(
        p for p in api.ok("GET", f"{CALLS}/{call.id}")["participants"] if p["id"] == call.agent
    )
    assert flat["held"] and flat["muted"] and flat["recording"]
    customer = participant(api, call.id, call.customer)
    assert customer["calls"][0]["confined"] is True
    api.ok("PATCH", path, {"held": True})  # already held: nothing to do
    api.client.post("/__admin/clock", json={"advanceMs": 30_000})
    api.ok("PATCH", path, {"held": False, "muted": False})
    flat = next(
        p for p in api.ok("GET", f"{CALLS}/{call.id}")["participants"] if p["id"] == call.agent
    )
    assert not flat["held"] and not flat["muted"]
    holds = [
        s
        for s in participant(api, call.id, call.agent)["calls"][0]["segments"]
        if s["type"] == "Hold"
    ]
    assert len(holds) == 1 and holds[0]["endTime"] == "2026-11-01T00:00:30.000Z"
    _valid(api, call.id)


def test_hang_up_then_wrap_up(api: Api, state: ServerState) -> None:
    call = inbound(api, state.world)
    base = f"{CALLS}/{call.id}/participants/{call.agent}"
    api.ok("PATCH", base, {"state": "disconnected"})
    agent = participant(api, call.id, call.agent)
    assert agent["calls"][0]["disconnectType"] == "client" and "startAcwTime" in agent
    codes = api.ok("GET", f"{base}/wrapupcodes")
    assert {c["id"] for c in codes} == set(call.queue.wrapup_code_ids)
    assert api.ok("GET", f"{base}/wrapup") == {}
    api.client.post("/__admin/clock", json={"advanceMs": 12_345})
    comm = agent["calls"][0]["id"]
    r = api.post(f"{base}/communications/{comm}/wrapup", {"code": codes[0]["id"], "notes": "ok"})
    assert r.status_code == 202
    assigned = api.ok("GET", f"{base}/communications/{comm}/wrapup")
    assert assigned == {
        "code": codes[0]["id"],
        "notes": "ok",
        "tags": [],
        "durationSeconds": 12,
        "endTime": "2026-11-01T00:00:12.345Z",
    }
    assert (
        api.ok("GET", f"/api/v2/conversations/{call.id}/participants/{call.agent}/wrapup")
        == assigned
    )
    _valid(api, call.id)


def test_wrap_up_through_patch_and_a_bad_code(api: Api, state: ServerState) -> None:
    call = inbound(api, state.world)
    base = f"/api/v2/conversations/{call.id}/participants/{call.agent}"
    api.ok("PATCH", base, {"state": "disconnected"})
    r = api.patch(base, {"wrapup": {"code": "not-a-code"}})
    assert r.status_code == 400 and r.get_json()["code"] == "wrapup.code.invalid"
    api.ok("PATCH", base, {"wrapup": {"code": call.queue.wrapup_code_ids[1], "tags": ["vip"]}})
    agent = participant(api, call.id, call.agent)
    assert agent["wrapup"]["code"] == call.queue.wrapup_code_ids[1]
    assert agent["wrapup"]["tags"] == ["vip"]


def test_state_conflicts_are_409_with_the_engine_code(api: Api, state: ServerState) -> None:
    call = inbound(api, state.world)
    base = f"{CALLS}/{call.id}/participants/{call.agent}"
    r = api.post(f"{base}/communications/x/wrapup", {"code": call.queue.wrapup_code_ids[0]})
    assert r.status_code == 404
    comm = participant(api, call.id, call.agent)["calls"][0]["id"]
    r = api.post(f"{base}/communications/{comm}/wrapup", {"code": call.queue.wrapup_code_ids[0]})
    assert r.status_code == 409 and r.get_json()["code"] == "participant.not.in.acw"
    api.ok("PATCH", base, {"state": "disconnected"})
    r = api.patch(base, {"held": True})
    assert r.status_code == 409 and r.get_json()["code"] == "participant.not.connected"
    r = api.post(
        f"/api/v2/conversations/{call.id}/participants/{call.agent}/replace/queue",
        {"queueId": call.queue.id},
    )
    assert r.status_code == 409
    r = api.patch(f"{CALLS}/{call.id}/participants/nobody", {"held": True})
    assert r.status_code == 404 and r.get_json()["code"] == "participant.not.found"


def test_a_refused_request_changes_nothing(api: Api, state: ServerState) -> None:
    call = inbound(api, state.world)
    before = api.ok("GET", f"/api/v2/conversations/{call.id}")
    # hold would apply, the wrap-up cannot (not in ACW): neither happens
    r = api.patch(
        f"{CALLS}/{call.id}/participants/{call.agent}",
        {"held": True, "wrapup": {"code": call.queue.wrapup_code_ids[0]}},
    )
    assert r.status_code == 409
    assert api.ok("GET", f"/api/v2/conversations/{call.id}") == before


def test_unsupported_fields_are_400_not_ignored(api: Api, state: ServerState) -> None:
    call = inbound(api, state.world)
    r = api.patch(f"{CALLS}/{call.id}/participants/{call.agent}", {"confined": True})
    assert r.status_code == 400 and r.get_json()["details"][0]["fieldName"] == "confined"


def test_attributes_merge(api: Api, state: ServerState) -> None:
    call = inbound(api, state.world)
    generic = f"/api/v2/conversations/{call.id}/participants/{call.customer}/attributes"
    r = api.patch(generic, {"attributes": {"account": "42"}})
    assert r.status_code == 202
    data = api.ok(
        "PATCH",
        f"{CALLS}/{call.id}/participants/{call.customer}/attributes",
        {"attributes": {"tier": "gold"}},
    )
    assert data == {"attributes": {"account": "42", "tier": "gold"}}
    assert participant(api, call.id, call.customer)["attributes"] == data["attributes"]
    r = api.patch(generic, {"attributes": {"n": 1}})
    assert r.status_code == 400 and r.get_json()["details"][0]["fieldName"] == "attributes.n"


def test_recording_state(api: Api, state: ServerState) -> None:
    call = inbound(api, state.world)
    r = api.call("PUT", f"{CALLS}/{call.id}/recordingstate", {"recordingState": "ACTIVE"})
    assert r.status_code == 200 and r.get_json() == "ACTIVE"
    assert api.ok("GET", f"{CALLS}/{call.id}")["recordingState"] == "active"
    assert api.ok("GET", f"/api/v2/conversations/{call.id}")["recordingState"] == "ACTIVE"


def test_disconnect_a_secondary_communication_only(api: Api, state: ServerState) -> None:
    call = inbound(api, state.world)
    comm = participant(api, call.id, call.customer)["calls"][0]["id"]
    path = f"{CALLS}/{call.id}/participants/{call.customer}/communications/{comm}"
    assert api.patch(path, {"state": "connected"}).status_code == 400
    assert api.patch(path, {"state": "disconnected"}).status_code == 202
    customer = participant(api, call.id, call.customer)
    assert customer["calls"][0]["disconnectType"] == "endpoint"
    assert participant(api, call.id, call.agent)["calls"][0]["disconnectType"] == "peer"


def test_writes_happen_at_the_clock_now(api: Api, state: ServerState) -> None:
    call = inbound(api, state.world)
    api.client.post("/__admin/clock", json={"now": T0 + 90_000})
    api.ok("PATCH", f"{CALLS}/{call.id}/participants/{call.customer}", {"state": "disconnected"})
    assert state.store.snapshot(call.id).conv.customer.end == T0 + 90_000
