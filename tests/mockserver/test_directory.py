"""Users, queues and wrap-up codes: the paging envelope and the filters."""

from __future__ import annotations

from gcmock.mockserver.state import ServerState
from gcmock.scenarios.views.directory import queue_json, user_json, wrapup_code_json
from gcmock.scenarios.world import jabber_id

from ..sdk_oracle import sdk_problems
from .conftest import Api


def test_paging_envelope_is_relative_and_drops_links_at_the_ends(api: Api) -> None:
    first = api.ok("GET", "/api/v2/users?pageSize=5")
    total = first["total"]
    assert first["pageCount"] == -(-total // 5)
    assert first["selfUri"] == "/api/v2/users?pageSize=5&pageNumber=1"
    assert first["nextUri"] == "/api/v2/users?pageSize=5&pageNumber=2"
    assert "previousUri" not in first
    last = api.ok("GET", first["lastUri"])
    assert "nextUri" not in last and last["previousUri"].endswith(
        f"pageNumber={last['pageCount'] - 1}"
    )
    seen = []
    page = first
    while True:
        seen += [u["id"] for u in page["entities"]]
        if "nextUri" not in page:
            break
        page = api.ok("GET", page["nextUri"])
    assert len(seen) == len(set(seen)) == total
    beyond = api.ok("GET", f"/api/v2/users?pageSize=5&pageNumber={first['pageCount'] + 3}")
    assert beyond["entities"] == [] and "nextUri" not in beyond


def test_other_query_parameters_stay_in_the_uris(api: Api) -> None:
    data = api.ok("GET", "/api/v2/routing/queues?pageSize=1&sortOrder=descending")
    assert data["nextUri"] == "/api/v2/routing/queues?pageSize=1&pageNumber=2&sortOrder=descending"


def test_users_filters_sort_and_expand(api: Api, state: ServerState) -> None:
    world = state.world
    a, b = world.users[0], world.users[1]
    data = api.ok("GET", f"/api/v2/users?id={a.id},{b.id}")
    assert {u["id"] for u in data["entities"]} == {a.id, b.id}
    data = api.ok("GET", f"/api/v2/users?id={a.id}&id={b.id}&sortOrder=descending")
    names = [u["name"] for u in data["entities"]]
    assert names == sorted(names, key=str.lower, reverse=True)
    data = api.ok("GET", f"/api/v2/users?jabberId={jabber_id(world, a)}")
    assert [u["id"] for u in data["entities"]] == [a.id]
    one = api.ok("GET", f"/api/v2/users/{a.id}?expand=team")
    assert one == user_json(world, a, ("team",))
    assert sdk_problems(one, "User") == []
    assert api.get("/api/v2/users/nobody").status_code == 404


def test_users_me_needs_a_user_token(api: Api, state: ServerState) -> None:
    assert api.get("/api/v2/users/me").status_code == 400
    user = state.world.users[2]
    r = api.client.get(
        "/api/v2/users/me", headers={"Authorization": f"Bearer {api.user_token(user.id)}"}
    )
    assert r.get_json()["id"] == user.id


def test_queues_by_name_wildcards_division_and_id(api: Api, state: ServerState) -> None:
    world = state.world
    queue = world.queues[0]
    exact = api.ok("GET", f"/api/v2/routing/queues?name={queue.name.upper()}")
    assert [q["id"] for q in exact["entities"]] == [queue.id]
    prefix = queue.name[:3]
    wild = api.ok("GET", f"/api/v2/routing/queues?name={prefix}*")
    assert queue.id in {q["id"] for q in wild["entities"]}
    assert all(q["name"].lower().startswith(prefix.lower()) for q in wild["entities"])
    by_div = api.ok("GET", f"/api/v2/routing/queues?divisionId={queue.division_id}&pageSize=100")
    assert {q["id"] for q in by_div["entities"]} == {
        q.id for q in world.queues if q.division_id == queue.division_id
    }
    one = api.ok("GET", f"/api/v2/routing/queues/{queue.id}")
    assert one == queue_json(world, queue) and sdk_problems(one, "Queue") == []
    assert api.get("/api/v2/routing/queues/none").status_code == 404


def test_wrapup_codes_of_the_org_and_of_a_queue(api: Api, state: ServerState) -> None:
    world = state.world
    queue = world.queues[1]
    codes = api.ok("GET", f"/api/v2/routing/queues/{queue.id}/wrapupcodes?pageSize=100")
    assert {c["id"] for c in codes["entities"]} == set(queue.wrapup_code_ids)
    listing = api.ok("GET", "/api/v2/routing/wrapupcodes?pageSize=100&sortBy=id")
    ids = [c["id"] for c in listing["entities"]]
    assert ids == sorted(ids) and len(ids) == len(world.wrapup_codes)
    assert sdk_problems(listing, "WrapupCodeEntityListing") == []
    code = world.wrapup_codes[0]
    assert api.ok("GET", f"/api/v2/routing/wrapupcodes/{code.id}") == wrapup_code_json(world, code)
    assert api.get("/api/v2/routing/wrapupcodes/none").status_code == 404
