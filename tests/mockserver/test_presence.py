"""Presence and routing status of the served org, through the official SDK: every endpoint reads
into its model with nothing dropped, writes move the agent and the ACD follows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import PureCloudPlatformClientV2 as sdk
import pytest
from PureCloudPlatformClientV2.rest import ApiException

from gcmock.mockserver.inprocess import MockOrg
from gcmock.scenarios.world.presence import PRESENCE_DEFINITIONS

from .helpers import sdk_model
from .presence_kit import BREAK, ON_QUEUE, T0, checked, raw, set_presence


@pytest.fixture(scope="module")
def org() -> Iterator[MockOrg]:
    yield MockOrg(conversations=30, world_size="small", start_ms=T0, frozen=True)


@pytest.fixture
def client(org: MockOrg) -> Any:
    org.reset()
    return org.sdk_client()


def test_presence_definitions_in_both_families(client: Any) -> None:
    presence = sdk.PresenceApi(client)
    listing = checked(client, "OrganizationPresenceEntityListing", presence.get_presencedefinitions)
    assert [e.id for e in listing.entities] == [d.id for d in PRESENCE_DEFINITIONS]
    assert listing.total == len(PRESENCE_DEFINITIONS)
    one = checked(client, "OrganizationPresence", presence.get_presencedefinition, ON_QUEUE)
    assert one.system_presence == "On Queue"
    page = presence.get_presencedefinitions(page_size=3, page_number=2)
    assert [e.id for e in page.entities] == [d.id for d in PRESENCE_DEFINITIONS[3:6]]
    newer = checked(
        client, "OrganizationPresenceDefinitionEntityListing", presence.get_presence_definitions
    )
    assert {e.system_presence for e in newer.entities} >= {"OnQueue", "Break", "Available"}
    got = checked(client, "OrganizationPresenceDefinition", presence.get_presence_definition, BREAK)
    assert got.system_presence == "Break" and got.type == "System"
    for method in (presence.get_presencedefinition, presence.get_presence_definition):
        with pytest.raises(ApiException) as err:
            method("00000000-0000-4000-8000-000000000000")
        assert err.value.status == 404


def test_agents_start_on_queue_and_supervisors_available(org: MockOrg, client: Any) -> None:
    world = org.state.world
    presence, users = sdk.PresenceApi(client), sdk.UsersApi(client)
    agent, supervisor = world.agents[0], world.supervisors[0]
    got = checked(client, "UserPresence", presence.get_user_presences_purecloud, agent.id)
    assert got.presence_definition.id == ON_QUEUE and got.source == "PURECLOUD"
    status = checked(client, "RoutingStatus", users.get_user_routingstatus, supervisor.id)
    assert status.status == "OFF_QUEUE"
    sup = presence.get_user_presence(supervisor.id, "purecloud")
    assert sup.presence_definition.system_presence == "Available"


def test_patch_presence_moves_routing_status(org: MockOrg, client: Any) -> None:
    users, presence = sdk.UsersApi(client), sdk.PresenceApi(client)
    uid = org.state.world.agents[0].id
    got = set_presence(client, uid, BREAK)
    assert got.presence_definition.system_presence == "Break"
    assert users.get_user_routingstatus(uid).status == "OFF_QUEUE"
    body = sdk_model("UserPresence", presence_definition=sdk_model("PresenceDefinition"))
    body.presence_definition.id = ON_QUEUE
    again = checked(client, "UserPresence", presence.patch_user_presence, uid, "purecloud", body)
    assert again.presence_definition.system_presence == "On Queue"
    assert users.get_user_routingstatus(uid).status in ("IDLE", "INTERACTING", "COMMUNICATING")


def test_put_routing_status_moves_presence(org: MockOrg, client: Any) -> None:
    users, presence = sdk.UsersApi(client), sdk.PresenceApi(client)
    uid = org.state.world.agents[1].id
    off = checked(
        client,
        "RoutingStatus",
        users.put_user_routingstatus,
        uid,
        sdk_model("RoutingStatus", status="OFF_QUEUE"),
    )
    assert off.status == "OFF_QUEUE" and off.start_time is not None
    assert presence.get_user_presences_purecloud(uid).presence_definition.system_presence == (
        "Available"
    )
    users.put_user_routingstatus(uid, sdk_model("RoutingStatus", status="IDLE"))
    assert presence.get_user_presences_purecloud(uid).presence_definition.id == ON_QUEUE


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("PATCH", "presences/purecloud", {}, "presenceDefinition.id"),
        ("PATCH", "presences/purecloud", {"presenceDefinition": {"id": "nope"}}, None),
        (
            "PATCH",
            "presences/purecloud",
            {"presenceDefinition": {"systemPresence": "Napping"}},
            "presenceDefinition.systemPresence",
        ),
        ("PUT", "routingstatus", {"status": "INTERACTING"}, "status"),
        ("PUT", "routingstatus", {"status": "ASLEEP"}, "status"),
        ("PUT", "routingstatus", {}, "status"),
    ],
)
def test_bad_writes_are_400_naming_the_field(
    org: MockOrg, client: Any, method: str, path: str, body: Any, field: str | None
) -> None:
    uid = org.state.world.agents[0].id
    before = org.state.store.agent_status(uid)
    status, out = raw(org, method, f"/api/v2/users/{uid}/{path}", body)
    assert status == 400, out
    names = [d.get("fieldName") for d in out.get("details", [])]
    assert names == [field or "presenceDefinition.id"]
    assert org.state.store.agent_status(uid) == before


def test_unknown_user_or_source_is_404(org: MockOrg, client: Any) -> None:
    nobody = "00000000-0000-4000-8000-000000000000"
    for path in ("presences/purecloud", "routingstatus"):
        assert raw(org, "GET", f"/api/v2/users/{nobody}/{path}")[0] == 404
    uid = org.state.world.agents[0].id
    assert raw(org, "GET", f"/api/v2/users/{uid}/presences/skype")[0] == 404


def test_users_expand_presence_and_routing_status(org: MockOrg, client: Any) -> None:
    users = sdk.UsersApi(client)
    listing = checked(
        client,
        "UserEntityListing",
        users.get_users,
        page_size=100,
        expand=["presence", "routingStatus"],
    )
    for u in listing.entities:
        assert u.presence.presence_definition.id and u.routing_status.status
    uid = org.state.world.agents[0].id
    set_presence(client, uid, BREAK)
    one = checked(client, "User", users.get_user, uid, expand=["presence", "routingStatus"])
    assert one.presence.presence_definition.system_presence == "Break"
    assert one.routing_status.status == "OFF_QUEUE"
    assert users.get_user(uid).presence is None
