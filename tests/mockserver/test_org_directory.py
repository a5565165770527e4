"""The org directory: every list pages as the platform does and yields each entity once, every
response reads into the SDK's model with nothing dropped, and the entities agree with each other
and with the conversations' world."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from gcmock.dataset.commands import world_cmd
from gcmock.mockserver.directory_queries import CONTACTS_MAX, CURSOR_MAX, PAGE_MAX
from gcmock.mockserver.state import ServerState
from gcmock.scenarios.world import World
from gcmock.scenarios.world.org import OrgDirectory, org_directory

from ..sdk_oracle import sdk_problems
from .conftest import Api

EDGES = "/api/v2/telephony/providers/edges"


@dataclass(frozen=True)
class Listing:
    path: str
    model: str
    maximum: int
    ids: Callable[[World, OrgDirectory], list[str]]
    """The ids the whole list must hold, from the world and its directory."""
    cursor: bool = False


LISTINGS = (
    Listing("/api/v2/users", "UserEntityListing", 500, lambda w, d: [u.id for u in w.users]),
    Listing(
        "/api/v2/groups", "GroupEntityListing", PAGE_MAX, lambda w, d: [g.id for g in w.groups]
    ),
    Listing(
        "/api/v2/groups/{group}/members",
        "UserEntityListing",
        PAGE_MAX,
        lambda w, d: list(d.group_members[w.groups[0].id]),
    ),
    Listing(
        "/api/v2/teams", "TeamEntityListing", CURSOR_MAX, lambda w, d: [t.id for t in w.teams], True
    ),
    Listing(
        "/api/v2/teams/{team}/members",
        "TeamMemberEntityListing",
        CURSOR_MAX,
        lambda w, d: [u.id for u in w.users if u.team_id == w.teams[0].id],
        True,
    ),
    Listing(
        "/api/v2/authorization/divisions",
        "AuthzDivisionEntityListing",
        PAGE_MAX,
        lambda w, d: [x.id for x in w.divisions],
    ),
    Listing(
        "/api/v2/locations",
        "LocationEntityListing",
        PAGE_MAX,
        lambda w, d: [x.id for x in d.locations],
    ),
    Listing(
        "/api/v2/stations",
        "StationEntityListing",
        PAGE_MAX,
        lambda w, d: [p.station_id for p in d.telephony.phones],
    ),
    Listing(EDGES, "EdgeEntityListing", PAGE_MAX, lambda w, d: [x.id for x in d.telephony.edges]),
    Listing(
        f"{EDGES}/sites",
        "SiteEntityListing",
        PAGE_MAX,
        lambda w, d: [x.id for x in d.telephony.sites],
    ),
    Listing(
        f"{EDGES}/phones",
        "PhoneEntityListing",
        PAGE_MAX,
        lambda w, d: [x.id for x in d.telephony.phones],
    ),
    Listing(
        f"{EDGES}/lines",
        "LineEntityListing",
        PAGE_MAX,
        lambda w, d: [x.line_id for x in d.telephony.phones],
    ),
    Listing(
        f"{EDGES}/dids", "DIDEntityListing", PAGE_MAX, lambda w, d: [x.id for x in d.telephony.dids]
    ),
    Listing(
        f"{EDGES}/didpools",
        "DIDPoolEntityListing",
        PAGE_MAX,
        lambda w, d: [x.id for x in d.telephony.did_pools],
    ),
    Listing(
        f"{EDGES}/extensions",
        "ExtensionEntityListing",
        PAGE_MAX,
        lambda w, d: [x.id for x in d.telephony.extensions],
    ),
    Listing(
        f"{EDGES}/outboundroutes",
        "OutboundRouteEntityListing",
        PAGE_MAX,
        lambda w, d: [x.id for x in d.telephony.outbound_routes],
    ),
    Listing(
        f"{EDGES}/sites/{{site}}/outboundroutes",
        "OutboundRouteBaseEntityListing",
        PAGE_MAX,
        lambda w, d: [
            x.id for x in d.telephony.outbound_routes if x.site_id == d.telephony.sites[0].id
        ],
    ),
    Listing(
        f"{EDGES}/trunks",
        "TrunkEntityListing",
        PAGE_MAX,
        lambda w, d: [x.id for x in d.telephony.trunks],
    ),
    Listing(
        "/api/v2/routing/skills",
        "SkillEntityListing",
        PAGE_MAX,
        lambda w, d: [x.id for x in w.skills],
    ),
    Listing(
        "/api/v2/routing/languages",
        "LanguageEntityListing",
        PAGE_MAX,
        lambda w, d: [x.id for x in w.languages],
    ),
    Listing(
        "/api/v2/routing/queues", "QueueEntityListing", 500, lambda w, d: [q.id for q in w.queues]
    ),
    Listing(
        "/api/v2/routing/wrapupcodes",
        "WrapupCodeEntityListing",
        500,
        lambda w, d: [c.id for c in w.wrapup_codes],
    ),
    Listing(
        "/api/v2/routing/queues/{queue}/wrapupcodes",
        "WrapupCodeEntityListing",
        500,
        lambda w, d: list(w.queues[0].wrapup_code_ids),
    ),
    Listing("/api/v2/routing/assessments", "AssessmentListing", CURSOR_MAX, lambda w, d: [], True),
    Listing(
        "/api/v2/users/{user}/routingskills",
        "UserSkillEntityListing",
        PAGE_MAX,
        lambda w, d: [s for s, _ in d.user_skills[w.users[-1].id]],
    ),
    Listing(
        "/api/v2/users/{user}/routinglanguages",
        "UserLanguageEntityListing",
        PAGE_MAX,
        lambda w, d: [s for s, _ in d.user_languages[w.users[-1].id]],
    ),
    Listing(
        "/api/v2/externalcontacts/contacts",
        "ContactListing",
        CONTACTS_MAX,
        lambda w, d: [c.id for c in w.contacts],
    ),
    Listing(
        "/api/v2/externalcontacts/organizations",
        "ExternalOrganizationListing",
        CONTACTS_MAX,
        lambda w, d: [o.id for o in w.organizations],
    ),
    Listing(
        "/api/v2/architect/ivrs",
        "IVREntityListing",
        PAGE_MAX,
        lambda w, d: [x.id for x in d.ivr_configs],
    ),
    Listing(
        "/api/v2/flows", "FlowEntityListing", PAGE_MAX, lambda w, d: [f.id for f in w.ivr_flows]
    ),
)


def _path(listing: Listing, world: World) -> str:
    return listing.path.format(
        group=world.groups[0].id,
        team=world.teams[0].id,
        queue=world.queues[0].id,
        user=world.users[-1].id,
        site=org_directory(world).telephony.sites[0].id,
    )


def walk(api: Api, first: str) -> list[str]:
    """Every id a client gets following ``nextUri`` from ``first`` until it is absent."""
    seen: list[str] = []
    uri: str | None = first
    while uri is not None:
        data = api.ok("GET", uri)
        seen += [e["id"] for e in data["entities"]]
        uri = data.get("nextUri")
    return seen


def _sizes(maximum: int, total: int) -> list[int]:
    """Every page size up to ``maximum``: those above ``total + 1`` all give one page, so the
    walk takes ``total + 1`` and ``maximum`` as their representatives."""
    return sorted({*range(1, min(maximum, total + 1) + 1), maximum})


@pytest.mark.parametrize("listing", LISTINGS, ids=lambda x: x.path)
def test_following_next_uri_yields_each_entity_once_at_every_page_size(
    api: Api, state: ServerState, listing: Listing
) -> None:
    world = state.world
    expected = listing.ids(world, org_directory(world))
    path = _path(listing, world)
    for size in _sizes(listing.maximum, len(expected)):
        seen = walk(api, f"{path}?pageSize={size}")
        assert len(seen) == len(set(seen)) == len(expected), (path, size)
        assert set(seen) == set(expected), (path, size)


@pytest.mark.parametrize("listing", LISTINGS, ids=lambda x: x.path)
def test_every_page_reads_into_the_sdk_model_and_over_the_maximum_is_a_400(
    api: Api, state: ServerState, listing: Listing
) -> None:
    path = _path(listing, state.world)
    data = api.ok("GET", f"{path}?pageSize=2")
    assert sdk_problems(data, listing.model) == []
    assert data["selfUri"].startswith(path)
    if not listing.cursor:
        assert data["firstUri"] == f"{path}?pageSize=2&pageNumber=1"
        assert data["pageCount"] == -(-data["total"] // 2)
    r = api.get(f"{path}?pageSize={listing.maximum + 1}")
    assert r.status_code == 400
    assert r.get_json()["details"][0]["fieldName"] == "pageSize"


SINGLES = (
    ("/api/v2/groups/{}", "Group", lambda w, d: w.groups[0].id),
    ("/api/v2/teams/{}", "Team", lambda w, d: w.teams[0].id),
    ("/api/v2/authorization/divisions/{}", "AuthzDivision", lambda w, d: w.divisions[1].id),
    ("/api/v2/locations/{}", "LocationDefinition", lambda w, d: d.locations[0].id),
    ("/api/v2/stations/{}", "Station", lambda w, d: d.telephony.phones[0].station_id),
    (EDGES + "/{}", "Edge", lambda w, d: d.telephony.edges[0].id),
    (EDGES + "/sites/{}", "Site", lambda w, d: d.telephony.sites[0].id),
    (EDGES + "/phones/{}", "Phone", lambda w, d: d.telephony.phones[0].id),
    (EDGES + "/lines/{}", "Line", lambda w, d: d.telephony.phones[0].line_id),
    (EDGES + "/dids/{}", "DID", lambda w, d: d.telephony.dids[0].id),
    (EDGES + "/didpools/{}", "DIDPool", lambda w, d: d.telephony.did_pools[0].id),
    (EDGES + "/extensions/{}", "Extension", lambda w, d: d.telephony.extensions[0].id),
    (EDGES + "/trunks/{}", "Trunk", lambda w, d: d.telephony.trunks[0].id),
    ("/api/v2/routing/skills/{}", "RoutingSkill", lambda w, d: w.skills[0].id),
    ("/api/v2/routing/languages/{}", "Language", lambda w, d: w.languages[0].id),
    ("/api/v2/externalcontacts/contacts/{}", "ExternalContact", lambda w, d: w.contacts[0].id),
    (
        "/api/v2/externalcontacts/organizations/{}",
        "ExternalOrganization",
        lambda w, d: w.organizations[0].id,
    ),
    ("/api/v2/architect/ivrs/{}", "IVR", lambda w, d: d.ivr_configs[0].id),
    ("/api/v2/flows/{}", "Flow", lambda w, d: w.ivr_flows[0].id),
)


@pytest.mark.parametrize(("template", "model", "pick"), SINGLES, ids=[s[1] for s in SINGLES])
def test_one_entity_by_id_and_a_404_for_an_unknown_one(
    api: Api, state: ServerState, template: str, model: str, pick: Any
) -> None:
    world = state.world
    entity_id = pick(world, org_directory(world))
    data = api.ok("GET", template.format(entity_id))
    assert data["id"] == entity_id and sdk_problems(data, model) == []
    assert data["selfUri"] == template.format(entity_id)
    missing = api.get(template.format("nope"))
    assert missing.status_code == 404 and missing.get_json()["code"] == "not.found"


SERVED = {
    "users.json": "/api/v2/users",
    "queues.json": "/api/v2/routing/queues",
    "wrapupcodes.json": "/api/v2/routing/wrapupcodes",
    "externalcontacts.json": "/api/v2/externalcontacts/contacts",
    "externalorganizations.json": "/api/v2/externalcontacts/organizations",
    "skills.json": "/api/v2/routing/skills",
    "languages.json": "/api/v2/routing/languages",
    "teams.json": "/api/v2/teams",
    "groups.json": "/api/v2/groups",
    "divisions.json": "/api/v2/authorization/divisions",
    "locations.json": "/api/v2/locations",
    "stations.json": "/api/v2/stations",
    "edges.json": EDGES,
    "sites.json": f"{EDGES}/sites",
    "phones.json": f"{EDGES}/phones",
    "lines.json": f"{EDGES}/lines",
    "dids.json": f"{EDGES}/dids",
    "didpools.json": f"{EDGES}/didpools",
    "extensions.json": f"{EDGES}/extensions",
    "outboundroutes.json": f"{EDGES}/outboundroutes",
    "trunks.json": f"{EDGES}/trunks",
    "ivrs.json": "/api/v2/architect/ivrs",
    "flows.json": "/api/v2/flows",
}
"""What ``gcmock world`` writes -> the list the server serves it in."""


def test_gcmock_world_writes_every_kind_exactly_as_served(
    api: Api, state: ServerState, tmp_path: Path
) -> None:
    config = state.config
    out = tmp_path / "world"
    args = ["--seed", str(config.seed), "--out", str(out), "--world-size", config.world_size]
    result = CliRunner().invoke(world_cmd, [*args, "--locale", config.locale])
    assert result.exit_code == 0, result.output
    written = {p.name for p in out.glob("*.json") if p.name != "manifest.json"}
    assert written == set(SERVED)
    for name, path in SERVED.items():
        entities = json.loads((out / name).read_text())
        served: list[dict[str, Any]] = []
        uri: str | None = f"{path}?pageSize=100"
        while uri is not None:
            data = api.ok("GET", uri)
            served += data["entities"]
            uri = data.get("nextUri")
        key = lambda e: e["id"]  # noqa: E731
        assert sorted(entities, key=key) == sorted(served, key=key), name


def test_an_outbound_route_is_read_on_its_site(api: Api, state: ServerState) -> None:
    tel = org_directory(state.world).telephony
    route = tel.outbound_routes[0]
    listed = next(
        r for r in api.ok("GET", f"{EDGES}/outboundroutes")["entities"] if r["id"] == route.id
    )
    assert listed["selfUri"] == f"{EDGES}/sites/{route.site_id}/outboundroutes/{route.id}"
    one = api.ok("GET", f"{EDGES}/sites/{route.site_id}/outboundroutes/{route.id}")
    assert sdk_problems(one, "OutboundRouteBase") == [] and one["id"] == route.id
    other = next(s for s in tel.sites if s.id != route.site_id)
    assert api.get(f"{EDGES}/sites/{other.id}/outboundroutes/{route.id}").status_code == 404
