"""Random sequences of operations through HTTP keep every invariant.

Hypothesis drives a live server: each example loads three fresh calls (connected, alerting,
queued), then applies random call-control requests to random participants and lets time pass.
Whatever the order, no response is a 5xx, refusals are 400/404/409 in the ErrorBody shape, and
after every step both projections of every conversation pass ``validate``.
"""

from __future__ import annotations

import random
from typing import Any

import requests
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from gcmock.mockserver.serve import BackgroundServer
from gcmock.scenarios import World, to_conversation_json, validate
from gcmock.scenarios.engine import routing

from .conftest import T0

SPEAK_TO = ("DESTINATION", "OBJECT", "BOTH", "CONFERENCE")


def _calls(world: World, seed: int) -> list[dict[str, Any]]:
    out = []
    for i, stage in enumerate(("connected", "alerting", "queued")):
        queue = world.queues[i % len(world.queues)]
        user = world.users_by_id[queue.member_ids[0]]
        t = T0 - 600_000
        conv = routing.start_inbound(
            world, random.Random(seed * 10 + i), t, dnis=queue.dnis[0], ani="+13125550142"
        )
        routing.route_to_queue(conv, world, queue, t + 1000 if stage != "queued" else T0 - 1000)
        if stage != "queued":
            agent = routing.offer(conv, world, user, t + 5000 if stage == "connected" else T0)
            if stage == "connected":
                routing.answer(conv, agent.id, t + 8000)
        out.append(to_conversation_json(conv))
    return out


class CallControl(RuleBasedStateMachine):
    server: BackgroundServer
    world: World
    token: str

    def __init__(self) -> None:
        super().__init__()
        self.http = requests.Session()
        self.http.headers["Authorization"] = self.token
        self.base = self.server.url
        self.seed = 0
        admin = self.base + "/__admin"
        self.http.post(admin + "/clock", json={"now": T0, "freeze": True})
        docs = _calls(self.world, random.randrange(1 << 30))
        r = self.http.post(admin + "/conversations?replace=true", json=docs)
        assert r.status_code == 200, r.text
        self.ids = [d["id"] for d in docs]

    def teardown(self) -> None:
        self.http.close()

    # -- helpers -------------------------------------------------------------------------------
    def conv(self, cid: str) -> dict[str, Any]:
        r = self.http.get(f"{self.base}/api/v2/conversations/{cid}")
        assert r.status_code == 200, r.text
        data: dict[str, Any] = r.json()
        return data

    def pick(self, data: st.DataObject, purposes: tuple[str, ...] = ()) -> tuple[str, str]:
        cid = data.draw(st.sampled_from(self.ids))
        parts = [
            p for p in self.conv(cid)["participants"] if not purposes or p["purpose"] in purposes
        ]
        if not parts:
            parts = self.conv(cid)["participants"]
        return cid, data.draw(st.sampled_from([p["id"] for p in parts]))

    def send(self, method: str, path: str, body: Any = None) -> None:
        r = self.http.request(method, self.base + path, json=body)
        assert r.status_code < 500, (method, path, body, r.status_code, r.text)
        if r.status_code >= 400:
            assert r.status_code in (400, 404, 409), (path, body, r.text)
            err = r.json()
            assert err["status"] == r.status_code and err["code"] and err["contextId"]

    def user(self, data: st.DataObject) -> str:
        return data.draw(st.sampled_from([u.id for u in self.world.agents]))

    # -- rules ---------------------------------------------------------------------------------
    @rule(data=st.data(), state=st.sampled_from(["connected", "disconnected"]))
    def set_state(self, data: st.DataObject, state: str) -> None:
        cid, pid = self.pick(data)
        self.send(
            "PATCH", f"/api/v2/conversations/calls/{cid}/participants/{pid}", {"state": state}
        )

    @rule(data=st.data(), held=st.booleans(), muted=st.booleans())
    def hold_mute(self, data: st.DataObject, held: bool, muted: bool) -> None:
        cid, pid = self.pick(data, ("agent", "user"))
        body = data.draw(
            st.sampled_from([{"held": held}, {"muted": muted}, {"held": held, "muted": muted}])
        )
        self.send("PATCH", f"/api/v2/conversations/{cid}/participants/{pid}", body)

    @rule(data=st.data(), skip=st.booleans())
    def wrap_up(self, data: st.DataObject, skip: bool) -> None:
        cid, pid = self.pick(data, ("agent",))
        if skip:
            body: dict[str, Any] = {"wrapupSkipped": True}
        else:
            code = data.draw(st.sampled_from([c.id for c in self.world.wrapup_codes]))
            body = {"wrapup": {"code": code}}
        self.send("PATCH", f"/api/v2/conversations/calls/{cid}/participants/{pid}", body)

    @rule(data=st.data(), kind=st.sampled_from(["agent", "queue", "address"]))
    def blind_transfer(self, data: st.DataObject, kind: str) -> None:
        cid, pid = self.pick(data, ("agent",))
        base = f"/api/v2/conversations/{cid}/participants/{pid}"
        if kind == "agent":
            self.send("POST", f"{base}/replace/agent", {"userId": self.user(data)})
        elif kind == "queue":
            queue = data.draw(st.sampled_from([q.id for q in self.world.queues]))
            self.send("POST", f"{base}/replace/queue", {"queueId": queue})
        else:
            self.send("POST", f"{base}/transfer", {"address": "+13125550111"})

    @rule(
        data=st.data(),
        kind=st.sampled_from(["agent", "queue", "address"]),
        speak_to=st.sampled_from(SPEAK_TO),
    )
    def consult(self, data: st.DataObject, kind: str, speak_to: str) -> None:
        cid, pid = self.pick(data, ("customer",))
        base = f"/api/v2/conversations/calls/{cid}/participants/{pid}"
        if kind == "agent":
            self.send(
                "POST", f"{base}/consult/agent", {"userId": self.user(data), "speakTo": speak_to}
            )
        elif kind == "queue":
            queue = data.draw(st.sampled_from([q.id for q in self.world.queues]))
            self.send("POST", f"{base}/consult/queue", {"queueId": queue, "speakTo": speak_to})
        else:
            self.send(
                "POST", f"{base}/voice/consult", {"address": "+13125550122", "speakTo": speak_to}
            )

    @rule(data=st.data(), speak_to=st.sampled_from(SPEAK_TO), cancel=st.booleans())
    def change_consult(self, data: st.DataObject, speak_to: str, cancel: bool) -> None:
        cid, pid = self.pick(data, ("customer",))
        path = f"/api/v2/conversations/calls/{cid}/participants/{pid}/consult"
        if cancel:
            self.send("DELETE", path)
        else:
            self.send("PATCH", path, {"speakTo": speak_to})

    @rule(data=st.data(), mode=st.sampled_from(["monitor", "coach", "barge"]))
    def supervise(self, data: st.DataObject, mode: str) -> None:
        cid, pid = self.pick(data, ("agent",))
        self.send("POST", f"/api/v2/conversations/calls/{cid}/participants/{pid}/{mode}")

    @rule(data=st.data())
    def attributes(self, data: st.DataObject) -> None:
        cid, pid = self.pick(data)
        value = data.draw(st.text(max_size=8))
        self.send(
            "PATCH",
            f"/api/v2/conversations/{cid}/participants/{pid}/attributes",
            {"attributes": {"k": value}},
        )

    @rule(ms=st.integers(min_value=0, max_value=120_000))
    def time_passes(self, ms: int) -> None:
        r = self.http.post(self.base + "/__admin/clock", json={"advanceMs": ms})
        assert r.status_code == 200, r.text

    # -- invariants ----------------------------------------------------------------------------
    @invariant()
    def every_conversation_is_valid(self) -> None:
        for cid in self.ids:
            data = self.conv(cid)
            assert validate(data, skew_ms=0) == [], data
            flat = self.http.get(f"{self.base}/api/v2/conversations/calls/{cid}").json()
            assert validate(flat, skew_ms=0) == [], flat


def test_random_call_control_keeps_every_invariant(
    server: BackgroundServer, http: requests.Session, state: Any
) -> None:
    CallControl.server = server
    CallControl.world = state.world
    CallControl.token = http.headers["Authorization"]
    run = CallControl.TestCase
    run.settings = settings(
        max_examples=30,
        stateful_step_count=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    run().runTest()
