"""What a long run accumulates stays bounded: expired tokens and analytics jobs are dropped on
the server clock, minting does not look at every live token, reset revokes minted tokens, and a
participant's attributes are capped by the platform's limits."""

from __future__ import annotations

from typing import Any

from gcmock.mockserver.auth import Tokens
from gcmock.mockserver.routes.analytics import JOB_EXPIRY_MS
from gcmock.scenarios.engine.control import MAX_ATTRIBUTE_CHARS, MAX_ATTRIBUTES

from .conftest import T0, Api, login
from .helpers import inbound

A = "/api/v2/analytics/conversations"
WINDOW = "2026-10-31T22:00:00Z/2026-11-01T00:00:00Z"


class _NoScan(dict[str, Any]):
    """A token table that fails if anything walks it."""

    def items(self) -> Any:
        raise AssertionError("minting walked every token")

    def values(self) -> Any:
        raise AssertionError("minting walked every token")

    def __iter__(self) -> Any:
        raise AssertionError("minting walked every token")


def test_minting_does_not_walk_every_live_token() -> None:
    tokens = Tokens()
    for _ in range(100):
        tokens.issue(T0, 3600)
    tokens._tokens = _NoScan(tokens._tokens)
    fresh = tokens.issue(T0, 3600)
    assert tokens.check(fresh.value, T0) == fresh


def test_expired_tokens_are_dropped_on_the_server_clock() -> None:
    tokens = Tokens()
    old = [tokens.issue(T0, 60) for _ in range(50)]
    kept = tokens.issue(T0, 7200)
    tokens.issue(T0 + 61_000, 60)
    assert len(tokens) == 2
    assert tokens.check(old[0].value, T0 + 61_000) is None
    assert tokens.check(kept.value, T0 + 61_000) == kept


def test_reset_revokes_minted_tokens_only(api: Api, state: Any) -> None:
    user = state.world.users[0].id
    minted = api.user_token(user)
    headers = {"Authorization": f"Bearer {minted}"}
    assert api.client.get("/api/v2/users/me", headers=headers).status_code == 200
    assert api.client.post("/__admin/reset").status_code == 200
    assert api.client.get("/api/v2/users/me", headers=headers).status_code == 401
    assert api.get("/api/v2/users?pageSize=1").status_code == 200, "client token survives"


def test_expired_analytics_jobs_are_dropped(api: Api) -> None:
    from gcmock.mockserver.routes.analytics import _analytics

    for _ in range(5):
        assert api.post(f"{A}/details/jobs", {"interval": WINDOW}).status_code == 202
    api.client.post("/__admin/clock", json={"advanceMs": JOB_EXPIRY_MS})
    api.token = login(api.client)  # the first one expired too
    assert api.post(f"{A}/details/jobs", {"interval": WINDOW}).status_code == 202
    with api.client.application.app_context():
        assert len(_analytics().jobs) == 1


def test_attribute_maps_past_the_limits_are_400s_that_change_nothing(api: Api, state: Any) -> None:
    call = inbound(api, state.world)
    path = f"/api/v2/conversations/{call.id}/participants/{call.customer}/attributes"
    before = api.ok("GET", f"/api/v2/conversations/{call.id}")
    too_many = {f"k{i}": "v" for i in range(MAX_ATTRIBUTES + 1)}
    r = api.patch(path, {"attributes": too_many})
    assert r.status_code == 400 and r.get_json()["details"][0]["fieldName"] == "attributes"
    half = MAX_ATTRIBUTES // 2
    assert api.patch(path, {"attributes": {f"a{i}": "v" for i in range(half)}}).status_code == 202
    r = api.patch(path, {"attributes": {f"b{i}": "v" for i in range(half + 1)}})
    assert r.status_code == 400 and r.get_json()["details"][0]["fieldName"] == "attributes"
    big = {f"c{i}": "x" * 4096 for i in range(MAX_ATTRIBUTE_CHARS // 4096)}
    r = api.patch(path, {"attributes": big})
    assert r.status_code == 400 and r.get_json()["code"] == "attributes.too.large"
    after = api.ok("GET", f"/api/v2/conversations/{call.id}")
    customer = next(p for p in after["participants"] if p["id"] == call.customer)
    assert len(customer["attributes"]) == half
    assert len(after["participants"]) == len(before["participants"])
