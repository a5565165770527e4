"""The served org's ACD follows presence and routing status: a call waits while nobody is On
Queue, an agent on a call gets no second one, a ring-out makes the agent NOT_RESPONDING for a
while; queue members and the estimated wait show it, and every change is notified."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import PureCloudPlatformClientV2 as sdk
import pytest
from PureCloudPlatformClientV2.rest import ApiException

from gcmock.mockserver.inprocess import MockOrg
from gcmock.scenarios import to_conversation_json, validate
from gcmock.scenarios.engine import routing
from gcmock.scenarios.engine.roster import NOT_RESPONDING_MS
from gcmock.scenarios.views.timestamps import iso
from gcmock.scenarios.world import Queue

from ..sdk_oracle import sdk_problems
from .presence_kit import (
    BREAK,
    ON_QUEUE,
    T0,
    agents_of,
    checked,
    offered_to,
    queued_call,
    raw,
    set_presence,
)


@pytest.fixture(scope="module")
def org() -> Iterator[MockOrg]:
    yield MockOrg(conversations=30, world_size="small", start_ms=T0, frozen=True)


@pytest.fixture
def client(org: MockOrg) -> Any:
    org.reset()
    return org.sdk_client()


def _queue(org: MockOrg) -> Queue:
    """The queue with the most agents (the small world's Billing), in an org whose served
    conversations are dropped (none of them competes for the agents a test frees)."""
    world = org.state.world
    org.state.store.load((), replace=True)
    return max(world.queues, key=lambda q: len(agents_of(world, q)))


def _all_on_break(org: MockOrg, client: Any, queue: Queue) -> list[str]:
    agents = agents_of(org.state.world, queue)
    for uid in agents:
        set_presence(client, uid, BREAK)
    return agents


def test_a_call_waits_while_everyone_is_on_break_and_goes_to_who_comes_back(
    org: MockOrg, client: Any
) -> None:
    queue = _queue(org)
    agents = _all_on_break(org, client, queue)
    conv = queued_call(org, queue)
    org.advance(600_000)
    assert offered_to(org, conv.id) == [], "nobody On Queue: the call waits"
    back = agents[2]
    set_presence(client, back, ON_QUEUE)
    assert offered_to(org, conv.id) == [], "the offer takes the ACD a moment"
    org.advance(6_000)
    assert offered_to(org, conv.id) == [back]
    offer = org.state.store.snapshot(conv.id).conv.by_purpose("agent")[0]
    assert offer.start > org.clock.now() - 6_000, "offered after they came back, not before"
    assert validate(to_conversation_json(org.state.store.snapshot(conv.id).conv)) == []


def test_an_agent_on_a_call_is_never_offered_a_second(org: MockOrg, client: Any) -> None:
    queue = _queue(org)
    agents = _all_on_break(org, client, queue)
    only = agents[0]
    set_presence(client, only, ON_QUEUE)
    first = queued_call(org, queue, seed=1)
    org.advance(60_000)
    conv = org.state.store.snapshot(first.id).conv
    legs = [p for p in conv.by_purpose("agent") if p.user_id == only]
    assert legs and legs[-1].active
    second = queued_call(org, queue, seed=2)
    org.advance(600_000)
    assert only not in offered_to(org, second.id)
    status = sdk.UsersApi(client).get_user_routingstatus(only)
    assert status.status in ("INTERACTING", "NOT_RESPONDING")


def _rang_out_call(org: MockOrg, queue: Queue, user_id: str) -> tuple[str, int]:
    """A call whose offer to ``user_id`` rang out 10 s ago, back in the queue."""
    world, now = org.state.world, org.clock.now()
    user = world.users_by_id[user_id]
    conv = routing.start_inbound(
        world, random.Random(5), now - 60_000, dnis=queue.dnis[0], ani="+13125550142"
    )
    routing.route_to_queue(conv, world, queue, now - 50_000)
    timeout = queue.alerting_timeout_ms
    offer = routing.offer(conv, world, user, now - 10_000 - timeout)
    routing.not_responding(conv, offer.id, now - 10_000)
    org.add(conv)
    return conv.id, now - 10_000


def test_a_ring_out_makes_the_agent_not_responding_for_a_while(org: MockOrg, client: Any) -> None:
    queue = _queue(org)
    agents = _all_on_break(org, client, queue)
    only = agents[1]
    set_presence(client, only, ON_QUEUE)
    org.advance(30_000)
    cid, rang = _rang_out_call(org, queue, only)
    users = sdk.UsersApi(client)
    status = users.get_user_routingstatus(only)
    assert status.status == "NOT_RESPONDING"
    assert status.start_time.timestamp() * 1000 == rang
    org.advance(rang + NOT_RESPONDING_MS - org.clock.now() - 1)
    assert users.get_user_routingstatus(only).status == "NOT_RESPONDING"
    assert offered_to(org, cid) == [only], "not offered again during the spell"
    org.advance(1)
    assert users.get_user_routingstatus(only).status == "IDLE"
    org.advance(6_000)
    assert offered_to(org, cid) == [only, only]


def test_putting_the_agent_idle_ends_the_spell(org: MockOrg, client: Any) -> None:
    queue = _queue(org)
    only = _all_on_break(org, client, queue)[1]
    set_presence(client, only, ON_QUEUE)
    org.advance(30_000)
    _rang_out_call(org, queue, only)
    users = sdk.UsersApi(client)
    assert users.get_user_routingstatus(only).status == "NOT_RESPONDING"
    users.put_user_routingstatus(only, _status("IDLE"))
    assert users.get_user_routingstatus(only).status == "IDLE"


def _status(value: str) -> Any:
    body = sdk.RoutingStatus()
    body.status = value
    return body


def test_queue_members_with_routing_status_presence_and_filters(org: MockOrg, client: Any) -> None:
    routing_api = sdk.RoutingApi(client)
    world = org.state.world
    queue = _queue(org)
    away = agents_of(world, queue)[0]
    set_presence(client, away, BREAK)
    listing = checked(
        client,
        "QueueMemberEntityListing",
        routing_api.get_routing_queue_members,
        queue.id,
        page_size=100,
        expand=["presence"],
    )
    assert {m.id for m in listing.entities} == set(queue.member_ids)
    by_id = {m.id: m for m in listing.entities}
    assert by_id[away].routing_status.status == "OFF_QUEUE"
    assert by_id[away].user.presence.presence_definition.system_presence == "Break"
    assert all(m.joined for m in listing.entities)
    off = routing_api.get_routing_queue_members(queue.id, routing_status=["OFF_QUEUE"])
    assert away in {m.id for m in off.entities}
    assert all(m.routing_status.status == "OFF_QUEUE" for m in off.entities)
    on_break = routing_api.get_routing_queue_members(queue.id, presence=["Break"])
    assert [m.id for m in on_break.entities] == [away]
    assert routing_api.get_routing_queue_members(queue.id, joined=False).entities == []
    page = routing_api.get_routing_queue_members(queue.id, page_size=2, page_number=2)
    names = sorted((world.users_by_id[u].name, u) for u in queue.member_ids)
    assert [m.id for m in page.entities] == [u for _, u in names[2:4]]
    status, out = raw(org, "GET", f"/api/v2/routing/queues/{queue.id}/members?routingStatus=NAP")
    assert status == 400 and out["details"][0]["fieldName"] == "routingStatus"
    with pytest.raises(ApiException) as err:
        routing_api.get_routing_queue_members("00000000-0000-4000-8000-000000000000")
    assert err.value.status == 404


def test_estimated_wait_follows_the_queue_and_its_staff(org: MockOrg, client: Any) -> None:
    routing_api = sdk.RoutingApi(client)
    queue = _queue(org)
    agents = _all_on_break(org, client, queue)
    waiting = [queued_call(org, queue, seed=s) for s in (11, 12)]
    nobody = checked(
        client,
        "EstimatedWaitTimePredictions",
        routing_api.get_routing_queue_estimatedwaittime,
        queue.id,
    )
    assert nobody.results == [], "nobody On Queue: no estimate"
    set_presence(client, agents[0], ON_QUEUE)
    one = routing_api.get_routing_queue_estimatedwaittime(queue.id)
    assert one.results[0].estimated_wait_time_seconds > 0
    first = routing_api.get_routing_queue_estimatedwaittime(queue.id, conversation_id=waiting[0].id)
    assert first.results[0].estimated_wait_time_seconds == 0, "one agent free for the first"
    assert first.results[0].intent == "CALL"
    status, out = raw(
        org,
        "GET",
        f"/api/v2/routing/queues/{queue.id}/estimatedwaittime?conversationId=nope",
    )
    assert status == 400 and out["details"][0]["fieldName"] == "conversationId"


def test_presence_and_routing_status_changes_are_notified(org: MockOrg, client: Any) -> None:
    uid = org.state.world.agents[0].id
    topics = [f"v2.users.{uid}.presence", f"v2.users.{uid}.routingStatus"]
    with org.notifications.listen(topics) as listener:
        set_presence(client, uid, BREAK)
        set_presence(client, uid, BREAK)  # no change, no message
        sdk.UsersApi(client).put_user_routingstatus(uid, _status("IDLE"))
        messages = list(listener)
    got = [(m["topicName"].rsplit(".", 1)[-1], m["eventBody"]) for m in messages]
    assert [t for t, _ in got] == ["presence", "routingStatus", "presence", "routingStatus"]
    assert got[0][1]["presenceDefinition"]["id"] == BREAK
    assert got[1][1] == {
        "id": uid,
        "routingStatus": {"status": "OFF_QUEUE", "startTime": iso(org.clock.now())},
    }
    assert got[2][1]["presenceDefinition"]["id"] == ON_QUEUE
    assert got[3][1]["routingStatus"]["status"] == "IDLE"
    models = {"presence": "PresenceEventUserPresence"}
    for topic, body in got:
        assert sdk_problems(body, models.get(topic, "UserRoutingStatusUserRoutingStatus")) == []
    listed = sdk.NotificationsApi(client).get_notifications_availabletopics()
    assert {"v2.users.{id}.presence", "v2.users.{id}.routingStatus"} <= {
        t.id for t in listed.entities
    }
