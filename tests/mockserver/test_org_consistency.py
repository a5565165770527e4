"""The directory agrees with itself and with the conversations' world: users' groups, teams,
divisions, locations and stations; sites hold edges; phones' lines and stations; DIDs are the
queues' DNIS, owned by the IVRs whose flows the conversations name; extensions are users'."""

from __future__ import annotations

import base64
import json
from typing import Any

import PureCloudPlatformClientV2 as sdk
import requests

from gcmock.mockserver import ServerConfig, create_app
from gcmock.mockserver.state import ServerState
from gcmock.scenarios.world import build_world
from gcmock.scenarios.world.org import build_directory, org_directory

from ..sdk_oracle import sdk_problems
from .conftest import Api
from .helpers import sdk_model

EDGES = "/api/v2/telephony/providers/edges"
ALL = "pageSize=500"


def test_directory_is_a_function_of_the_world_and_leaves_it_unchanged() -> None:
    world = build_world(5, "small", "de_DE")
    again = build_world(5, "small", "de_DE")
    assert build_directory(world) == build_directory(again)
    assert world == again
    assert build_directory(world) != build_directory(build_world(6, "small", "de_DE"))


def test_users_expand_agrees_with_groups_teams_divisions_and_locations(
    api: Api, state: ServerState
) -> None:
    world = state.world
    users = api.ok("GET", f"/api/v2/users?{ALL}&expand=groups,team,locations,station,skills")
    by_user = {u["id"]: u for u in users["entities"]}
    for group in api.ok("GET", f"/api/v2/groups?{ALL}")["entities"]:
        members = api.ok("GET", f"/api/v2/groups/{group['id']}/members?{ALL}")["entities"]
        assert group["memberCount"] == len(members)
        expected = {
            uid for uid, u in by_user.items() if group["id"] in {g["id"] for g in u["groups"]}
        }
        assert {m["id"] for m in members} == expected
    for team in api.ok("GET", "/api/v2/teams?pageSize=100")["entities"]:
        members = api.ok("GET", f"/api/v2/teams/{team['id']}/members?pageSize=100")["entities"]
        assert team["memberCount"] == len(members)
        assert {m["id"] for m in members} == {
            uid for uid, u in by_user.items() if u["team"]["id"] == team["id"]
        }
    divisions = {d["id"] for d in api.ok("GET", "/api/v2/authorization/divisions")["entities"]}
    locations = {x["id"] for x in api.ok("GET", "/api/v2/locations")["entities"]}
    for u in by_user.values():
        assert u["division"]["id"] in divisions
        assert u["locations"][0]["locationDefinition"]["id"] in locations
        assert sdk_problems(u, "User") == []
        skills = api.ok("GET", f"/api/v2/users/{u['id']}/routingskills")["entities"]
        assert skills == u["skills"]
        queue_skills = {
            s for q in world.users_by_id[u["id"]].queue_ids for s in world.queues_by_id[q].skill_ids
        }
        assert {s["id"] for s in skills} == queue_skills
    assert api.get("/api/v2/users?expand=everything").status_code == 400


def test_stations_phones_and_lines_agree(api: Api, state: ServerState) -> None:
    world = state.world
    stations = api.ok("GET", f"/api/v2/stations?{ALL}")["entities"]
    phones = {p["id"]: p for p in api.ok("GET", f"{EDGES}/phones?{ALL}")["entities"]}
    lines = {x["id"]: x for x in api.ok("GET", f"{EDGES}/lines?{ALL}")["entities"]}
    edges = {e["id"]: e for e in api.ok("GET", f"{EDGES}?{ALL}")["entities"]}
    assert sorted(s["webRtcUserId"] for s in stations) == sorted(u.id for u in world.users)
    by_line = {p["lines"][0]["id"]: p for p in phones.values()}
    assert set(by_line) == set(lines)
    for station in stations:
        phone = by_line[station["lineAppearanceId"]]
        line = lines[station["lineAppearanceId"]]
        assert phone["webRtcUser"]["id"] == station["webRtcUserId"]
        assert (
            line["loggedInUser"]["id"] == station["userId"]
            if "userId" in station
            else ("loggedInUser" not in line)
        )
        assert station["status"] == ("ASSOCIATED" if "userId" in station else "AVAILABLE")
        assert station["primaryEdge"]["id"] in edges
    agents = {u.id for u in world.agents}
    assert agents <= {s["userId"] for s in stations if "userId" in s}
    me = world.agents[0]
    expanded = api.ok("GET", f"/api/v2/users/{me.id}?expand=station")["station"]
    mine = next(s for s in stations if s["webRtcUserId"] == me.id)
    assert expanded["effectiveStation"]["id"] == mine["id"]


def test_sites_hold_edges_trunks_and_routes(api: Api, state: ServerState) -> None:
    sites = api.ok("GET", f"{EDGES}/sites?{ALL}")["entities"]
    edges = api.ok("GET", f"{EDGES}?{ALL}")["entities"]
    locations = {x["id"]: x for x in api.ok("GET", f"/api/v2/locations?{ALL}")["entities"]}
    for site in sites:
        held = {e["id"] for e in site["edges"]}
        assert held == {e["id"] for e in edges if e["site"]["id"] == site["id"]}
        assert site["location"]["id"] in locations
        only = api.ok("GET", f"{EDGES}?site.id={site['id']}")["entities"]
        assert {e["id"] for e in only} == held
    assert state.world.edge_ip in {e["interfaces"][0]["ipAddress"] for e in edges}
    trunks = api.ok("GET", f"{EDGES}/trunks?{ALL}")["entities"]
    routes = api.ok("GET", f"{EDGES}/outboundroutes?{ALL}")["entities"]
    external = {t["trunkBase"]["id"] for t in trunks if t["trunkType"] == "EXTERNAL"}
    assert {r["externalTrunkBases"][0]["id"] for r in routes} == external
    assert {t["edge"]["id"] for t in trunks} == {e["id"] for e in edges}


def test_dids_are_the_queues_dnis_owned_by_the_ivrs_of_the_conversations_flows(
    api: Api, state: ServerState
) -> None:
    world = state.world
    dids = api.ok("GET", f"{EDGES}/dids?{ALL}")["entities"]
    numbers = [d["phoneNumber"] for d in dids]
    assert sorted(numbers) == sorted(n for q in world.queues for n in q.dnis)
    ivrs = api.ok("GET", f"/api/v2/architect/ivrs?{ALL}")["entities"]
    owned = [n for ivr in ivrs for n in ivr.get("dnis", [])]
    assert sorted(owned) == sorted(numbers)
    owner = {n: ivr["id"] for ivr in ivrs for n in ivr.get("dnis", [])}
    assert all(d["owner"]["id"] == owner[d["phoneNumber"]] for d in dids)
    flows = {f["id"] for f in api.ok("GET", f"/api/v2/flows?{ALL}")["entities"]}
    named = {p.flow_id for s in state.store.dump() for p in s.conv.participants if p.flow_id}
    assert named and named <= flows
    assert {ivr["openHoursFlow"]["id"] for ivr in ivrs} <= flows
    pools = api.ok("GET", f"{EDGES}/didpools?{ALL}")["entities"]
    for did in dids:
        pool = next(p for p in pools if p["id"] == did["didPool"]["id"])
        assert pool["startPhoneNumber"] <= did["phoneNumber"] <= pool["endPhoneNumber"]
    one = numbers[0]
    assert [
        d["phoneNumber"]
        for d in api.ok("GET", f"{EDGES}/dids?phoneNumber=%2B{one[1:]}")["entities"]
    ] == [one]


def test_extensions_are_the_users_and_locations_in_the_worlds_country(
    api: Api, state: ServerState
) -> None:
    world = state.world
    extensions = api.ok("GET", f"{EDGES}/extensions?{ALL}")["entities"]
    assert sorted(e["owner"]["id"] for e in extensions) == sorted(u.id for u in world.users)
    assert len({e["number"] for e in extensions}) == len(extensions)
    number_of = {e["owner"]["id"]: e["number"] for e in extensions}
    taken: set[str] = set()
    for user in world.users:
        desk = user.work_phone[-4:]
        if user.work_phone and desk not in taken and desk >= "1000":
            assert number_of[user.id] == desk
        taken.add(number_of[user.id])
    for location in api.ok("GET", "/api/v2/locations")["entities"]:
        assert location["address"]["country"] == "US"
        assert location["address"]["city"] in {
            world.did_localities[n].rsplit(" ", 1)[0] for n in world.did_localities
        }


def test_user_search_post_and_its_q64_pages(api: Api, state: ServerState) -> None:
    world = state.world
    body = {
        "pageSize": 3,
        "query": [{"type": "CONTAINS", "fields": ["name", "email"], "value": "e"}],
    }
    first = api.ok("POST", "/api/v2/users/search", body)
    expected = {u.id for u in world.users if "e" in u.name.lower() or "e" in u.email.lower()}
    assert first["total"] == len(expected) and first["types"] == ["users"]
    assert sdk_problems(first, "UsersSearchResponse") == []
    seen = [u["id"] for u in first["results"]]
    page = first
    while "nextPage" in page:
        page = api.ok("GET", page["nextPage"])
        seen += [u["id"] for u in page["results"]]
    assert len(seen) == len(set(seen)) and set(seen) == expected
    user = world.users[3]
    exact = {"query": [{"type": "EXACT", "fields": ["email"], "value": user.email.upper()}]}
    assert [u["id"] for u in api.ok("POST", "/api/v2/users/search", exact)["results"]] == [user.id]
    bad = api.post(
        "/api/v2/users/search", {"query": [{"type": "EXACT", "fields": ["shoe"], "value": "x"}]}
    )
    assert bad.status_code == 400 and bad.get_json()["details"][0]["fieldName"] == "query[0].fields"
    garbage = base64.b64encode(b"not json").decode()
    assert api.get(f"/api/v2/users/search?q64={garbage}").status_code == 400
    assert api.get("/api/v2/users/search?q64=%C2%B0%7D").status_code == 400


def test_contacts_search_and_reach(api: Api, state: ServerState) -> None:
    contact = state.world.contacts[7]
    hits = api.ok("GET", f"/api/v2/externalcontacts/contacts?q={contact.last_name.lower()}")
    assert contact.id in {c["id"] for c in hits["entities"]}
    assert all(contact.last_name.lower() in json.dumps(c).lower() for c in hits["entities"])
    by_phone = api.ok("GET", f"/api/v2/externalcontacts/contacts?q=%2B{contact.phone[1:]}")
    assert [c["id"] for c in by_phone["entities"]] == [contact.id]
    far = api.get("/api/v2/externalcontacts/contacts?pageSize=100&pageNumber=11")
    assert far.status_code == 400 and far.get_json()["details"][0]["fieldName"] == "pageNumber"
    org = state.world.organizations[0]
    found = api.ok("GET", f"/api/v2/externalcontacts/organizations?q={org.name[:4]}")
    assert org.id in {o["id"] for o in found["entities"]}


def test_cursor_lists_refuse_a_bad_cursor_and_walk_back(api: Api) -> None:
    assert api.get("/api/v2/teams?after=zzz").status_code == 400
    first = api.ok("GET", "/api/v2/teams?pageSize=1")
    second = api.ok("GET", first["nextUri"])
    back = api.ok("GET", second["previousUri"])
    assert back["entities"] == first["entities"]
    assessments = api.ok("GET", "/api/v2/routing/assessments")
    assert assessments["entities"] == [] and "nextUri" not in assessments


def test_every_list_through_the_official_sdk(
    sdk_client: Any, state: ServerState, http: requests.Session
) -> None:
    world = state.world
    directory = org_directory(world)
    tel = sdk.TelephonyProvidersEdgeApi(sdk_client)
    routing = sdk.RoutingApi(sdk_client)
    contacts = sdk.ExternalContactsApi(sdk_client)
    architect = sdk.ArchitectApi(sdk_client)
    user = world.users[0]
    calls = [
        (sdk.GroupsApi(sdk_client).get_groups, len(world.groups)),
        (
            lambda **kw: sdk.GroupsApi(sdk_client).get_group_members(world.groups[0].id, **kw),
            len(directory.group_members[world.groups[0].id]),
        ),
        (sdk.TeamsApi(sdk_client).get_teams, len(world.teams)),
        (
            lambda **kw: sdk.TeamsApi(sdk_client).get_team_members(world.teams[0].id, **kw),
            len(directory.team_members[world.teams[0].id]),
        ),
        (sdk.AuthorizationApi(sdk_client).get_authorization_divisions, len(world.divisions)),
        (sdk.LocationsApi(sdk_client).get_locations, len(directory.locations)),
        (sdk.StationsApi(sdk_client).get_stations, len(world.users)),
        (tel.get_telephony_providers_edges, len(directory.telephony.edges)),
        (tel.get_telephony_providers_edges_sites, len(directory.telephony.sites)),
        (tel.get_telephony_providers_edges_phones, len(world.users)),
        (tel.get_telephony_providers_edges_lines, len(world.users)),
        (tel.get_telephony_providers_edges_dids, len(directory.telephony.dids)),
        (tel.get_telephony_providers_edges_didpools, len(directory.telephony.did_pools)),
        (tel.get_telephony_providers_edges_extensions, len(world.users)),
        (
            tel.get_telephony_providers_edges_outboundroutes,
            len(directory.telephony.outbound_routes),
        ),
        (tel.get_telephony_providers_edges_trunks, len(directory.telephony.trunks)),
        (routing.get_routing_skills, len(world.skills)),
        (routing.get_routing_languages, len(world.languages)),
        (routing.get_routing_assessments, 0),
        (
            lambda **kw: routing.get_user_routingskills(user.id, **kw),
            len(directory.user_skills[user.id]),
        ),
        (
            lambda **kw: routing.get_user_routinglanguages(user.id, **kw),
            len(directory.user_languages[user.id]),
        ),
        (contacts.get_externalcontacts_contacts, 100),
        (contacts.get_externalcontacts_organizations, len(world.organizations)),
        (architect.get_architect_ivrs, len(directory.ivr_configs)),
        (architect.get_flows, len(world.ivr_flows)),
    ]
    for method, count in calls:
        listing = method(page_size=100)
        raw = json.loads(sdk_client.last_response.data)
        assert "outdated_sdk_version" not in json.dumps(listing.to_dict(), default=str)
        assert len(listing.entities) == count, method
        assert sdk_problems(raw, type(listing).__name__) == [], method
    util = routing.get_routing_utilization()
    assert util.utilization["call"].maximum_capacity == 1
    users = sdk.UsersApi(sdk_client).get_users(
        page_size=100, expand=["groups", "locations", "station", "skills", "languages"]
    )
    assert len(users.entities) == len(world.users)
    assert all(u.station.default_station is not None for u in users.entities)
    search = sdk.SearchApi(sdk_client).post_users_search(
        sdk_model(
            "UserSearchRequest",
            query=[sdk_model("UserSearchCriteria", type="EXACT", fields=["id"], value=user.id)],
        )
    )
    assert [u.id for u in search.results] == [user.id]
    me_token = http.post(http.base + "/__admin/tokens", json={"userId": user.id}).json()[
        "access_token"
    ]  # type: ignore[attr-defined]
    client = sdk.ApiClient()
    client.access_token = me_token
    assert sdk.UsersApi(client).get_users_me().id == user.id


def test_contact_pages_stop_at_the_first_thousand_records() -> None:
    app = create_app(ServerConfig(seed=0, conversations=0, world_size="medium", frozen=True))
    client = app.test_client()
    token = client.post("/__admin/tokens", json={}).get_json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    first = client.get("/api/v2/externalcontacts/contacts?pageSize=100", headers=headers)
    data = first.get_json()
    assert data["total"] == 2000 and data["lastUri"].endswith("pageNumber=10")
    tenth = client.get(data["lastUri"], headers=headers).get_json()
    assert len(tenth["entities"]) == 100 and "nextUri" not in tenth
    assert client.get(tenth["selfUri"].replace("=10", "=11"), headers=headers).status_code == 400


def _ids(api: Api, uri: str) -> set[str]:
    return {e["id"] for e in api.ok("GET", uri)["entities"]}


def test_list_filters(api: Api, state: ServerState) -> None:
    world = state.world
    d = org_directory(world)
    skill = world.skills[0]
    assert _ids(api, f"/api/v2/routing/skills?name={skill.name.upper()}") == {skill.id}
    assert _ids(api, f"/api/v2/routing/skills?id={skill.id}") == {skill.id}
    assert _ids(api, "/api/v2/groups?jabberId=x@y") == set()
    user = world.supervisors[0]
    phone = d.telephony.phone_of_user[user.id]
    assert _ids(api, f"/api/v2/stations?webRtcUserId={user.id}") == {phone.station_id}
    logged_in = _ids(api, f"{EDGES}/phones?lines.loggedInUser.id={user.id}")
    assert logged_in == ({phone.id} if phone.logged_in else set())
    assert _ids(api, f"{EDGES}/phones?webRtcUser.id={user.id}") == {phone.id}
    ivr = d.ivr_configs[0]
    owned = {x.id for x in d.telephony.dids if x.owner_id == ivr.id}
    assert _ids(api, f"{EDGES}/dids?{ALL}&owner.id={ivr.id}") == owned
    assert _ids(api, f"/api/v2/architect/ivrs?dnis=%2B{ivr.dnis[0][1:]}") == {ivr.id}
    phones = {t.id for t in d.telephony.trunks if t.trunk_type == "PHONE"}
    assert _ids(api, f"{EDGES}/trunks?{ALL}&trunkType=PHONE") == phones
    assert _ids(api, "/api/v2/flows?type=inboundcall") == {f.id for f in world.ivr_flows}
    assert _ids(api, "/api/v2/flows?type=bot") == set()
    assert _ids(api, "/api/v2/authorization/divisions?name=home") == {world.home_division.id}
    team = world.teams[1]
    assert team.id in _ids(api, f"/api/v2/teams?name={team.name[:6]}")
