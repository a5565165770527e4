"""The admin API: reset, dump/load, journal, faults, clock, tokens, health."""

from __future__ import annotations

import time

from gcmock.mockserver.state import ServerState
from gcmock.scenarios import validate

from .conftest import T0, Api
from .helpers import inbound, participant


def test_health(api: Api, state: ServerState) -> None:
    data = api.client.get("/__admin/health").get_json()
    assert data == {
        "status": "ok",
        "seed": 3,
        "conversations": 200,
        "live": state.store.live_count,
        "now": "2026-11-01T00:00:00.000Z",
        "frozen": True,
    }


def test_reset_restores_the_served_conversations_byte_for_byte(
    api: Api, state: ServerState
) -> None:
    before = api.client.get("/__admin/conversations").get_data()
    call = inbound(api, state.world)
    api.ok("PATCH", f"/api/v2/conversations/{call.id}/participants/{call.agent}", {"held": True})
    api.client.post("/__admin/clock", json={"advanceMs": 3_600_000})
    assert api.client.get("/__admin/conversations").get_data() != before
    r = api.client.post("/__admin/reset")
    assert r.get_json()["now"] == "2026-11-01T00:00:00.000Z"
    assert api.client.get("/__admin/conversations").get_data() == before
    assert api.get(f"/api/v2/conversations/{call.id}").status_code == 404


def test_dump_and_load_round_trip(api: Api, state: ServerState) -> None:
    dump = api.client.get("/__admin/conversations").get_json()
    assert len(dump) == 200 and all(validate(c) == [] for c in dump[:20])
    r = api.client.post("/__admin/conversations?replace=true", json=dump[:3])
    assert r.get_json()["loaded"] == 3 and r.get_json()["conversations"] == 3
    assert api.client.get("/__admin/conversations").get_json() == dump[:3]
    r = api.client.post("/__admin/conversations", json=dump[3])
    assert r.get_json()["conversations"] == 4
    r = api.client.post("/__admin/conversations", json=[{"id": "x"}])
    assert r.status_code == 400 and r.get_json()["details"][0]["fieldName"] == "[0]"


def test_journal_records_filters_and_clears(api: Api) -> None:
    api.get("/api/v2/users?pageSize=2")
    api.get("/api/v2/routing/queues")
    api.patch("/api/v2/conversations/none/participants/none", {"held": True})
    api.client.get("/__admin/health")
    entries = api.client.get("/__admin/requests").get_json()["requests"]
    assert [e["path"] for e in entries] == [
        "/oauth/token",
        "/api/v2/users",
        "/api/v2/routing/queues",
        "/api/v2/conversations/none/participants/none",
    ]
    token, users, _, patch = entries
    assert token["body"] == {"grant_type": "client_credentials"}
    assert users["query"] == {"pageSize": ["2"]} and users["status"] == 200
    assert users["time"] == "2026-11-01T00:00:00.000Z" and users["correlationId"]
    assert patch["method"] == "PATCH" and patch["body"] == {"held": True} and patch["status"] == 404
    only = api.client.get("/__admin/requests?method=patch").get_json()["requests"]
    assert only == [patch]
    assert api.client.get("/__admin/requests?path=/api/v2/*s&limit=1").get_json()["requests"] == [
        entries[2]
    ]
    assert api.client.get("/__admin/requests?status=404").get_json()["requests"] == [patch]
    assert api.client.delete("/__admin/requests").status_code == 204
    assert api.client.get("/__admin/requests").get_json()["requests"] == []


def test_journal_hides_secrets_and_is_bounded(api: Api, state: ServerState) -> None:
    api.client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": "a", "client_secret": "s3cret"},
    )
    last = api.client.get("/__admin/requests?limit=1").get_json()["requests"][0]
    assert last["body"]["client_secret"] == "***" and last["status"] == 401
    for _ in range(state.config.journal_size + 5):
        api.get("/api/v2/routing/wrapupcodes/none")
    assert (
        len(api.client.get("/__admin/requests").get_json()["requests"]) == state.config.journal_size
    )


def test_error_fault_with_count(api: Api) -> None:
    r = api.client.post(
        "/__admin/faults",
        json={"method": "GET", "path": "/api/v2/users*", "status": 503, "count": 2},
    )
    assert r.status_code == 201
    fault = r.get_json()
    assert [api.get("/api/v2/users").status_code for _ in range(3)] == [503, 503, 200]
    assert api.get("/api/v2/routing/queues").status_code == 200
    assert api.client.get("/__admin/faults").get_json() == {"faults": []}
    assert fault["id"] and fault["count"] == 2


def test_429_fault_sends_retry_after_unless_told_not_to(api: Api) -> None:
    api.client.post(
        "/__admin/faults", json={"path": "/api/v2/routing/*", "status": 429, "count": 1}
    )
    r = api.get("/api/v2/routing/queues")
    assert r.status_code == 429 and r.headers["Retry-After"] == "1"
    body = r.get_json()
    assert body["code"] == "too.many.requests.retry.after" and body["status"] == 429
    assert body["contextId"] == r.headers["ININ-Correlation-Id"]
    api.client.post(
        "/__admin/faults", json={"path": "/api/v2/routing/*", "status": 429, "retryAfter": None}
    )
    r = api.get("/api/v2/routing/queues")
    assert r.status_code == 429 and "Retry-After" not in r.headers


def test_probability_faults_are_seeded(api: Api) -> None:
    def run() -> list[int]:
        api.client.delete("/__admin/faults")
        api.client.post(
            "/__admin/faults",
            json={"path": "/api/v2/users", "status": 500, "probability": 0.5, "seed": 7},
        )
        return [api.get("/api/v2/users").status_code for _ in range(20)]

    first = run()
    assert first == run()
    assert 0 < first.count(500) < 20


def test_latency_fault_and_removing_one(api: Api) -> None:
    fault = api.client.post(
        "/__admin/faults", json={"path": "/api/v2/users", "latencyMs": 150, "latencyMaxMs": 200}
    ).get_json()
    start = time.perf_counter()
    assert api.get("/api/v2/users").status_code == 200
    assert time.perf_counter() - start >= 0.15
    assert api.client.delete(f"/__admin/faults/{fault['id']}").status_code == 204
    assert api.client.delete(f"/__admin/faults/{fault['id']}").status_code == 404
    bad = api.client.post("/__admin/faults", json={"path": "*"})
    assert bad.status_code == 400


def test_admin_is_never_faulted(api: Api) -> None:
    api.client.post("/__admin/faults", json={"path": "*", "status": 500})
    assert api.client.get("/__admin/health").status_code == 200
    assert api.get("/api/v2/users").status_code == 500


def test_clock_freeze_set_advance(api: Api) -> None:
    c = api.client
    assert c.get("/__admin/clock").get_json()["epochMs"] == T0
    assert c.post("/__admin/clock", json={"advanceMs": 1500}).get_json()["epochMs"] == T0 + 1500
    r = c.post("/__admin/clock", json={"now": "2026-11-02T00:00:00Z"}).get_json()
    assert r["now"] == "2026-11-02T00:00:00.000Z" and r["frozen"] is True
    r = c.post("/__admin/clock", json={"freeze": False}).get_json()
    assert r["frozen"] is False
    time.sleep(0.01)
    assert c.get("/__admin/clock").get_json()["epochMs"] > T0 + 86_400_000
    assert c.post("/__admin/clock", json={"advanceMs": -5}).status_code == 400


def test_autopilot_answers_an_offer_when_time_passes(api: Api, state: ServerState) -> None:
    call = inbound(api, state.world, answered=False)
    assert participant(api, call.id, call.agent)["calls"][0]["state"] == "alerting"
    r = api.client.post("/__admin/clock", json={"advanceMs": 60_000}).get_json()
    assert r["advanced"] >= 1
    agent = participant(api, call.id, call.agent)
    assert agent["calls"][0]["state"] in ("connected", "disconnected")
    assert validate(api.ok("GET", f"/api/v2/conversations/{call.id}"), skew_ms=0) == []


def test_autopilot_offers_a_queued_call(api: Api, state: ServerState) -> None:
    call = inbound(api, state.world, offered=False)
    api.client.post("/__admin/clock", json={"advanceMs": 10_000})
    data = api.ok("GET", f"/api/v2/conversations/{call.id}")
    assert data["participants"][-1]["purpose"] == "agent"
    assert data["participants"][-1]["userId"] in call.queue.member_ids


def test_user_tokens(api: Api, state: ServerState) -> None:
    r = api.client.post("/__admin/tokens", json={"userId": "nobody"})
    assert r.status_code == 404
    r = api.client.post("/__admin/tokens", json={"expiresIn": 5})
    token = r.get_json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert api.client.get("/api/v2/users", headers=headers).status_code == 200
    api.client.post("/__admin/clock", json={"advanceMs": 5_000})
    assert api.client.get("/api/v2/users", headers=headers).status_code == 401
