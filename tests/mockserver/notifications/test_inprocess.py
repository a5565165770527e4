"""Notifications in-process: REST through the SDK's NotificationsApi, and the messages a
channel receives for a call driven through the SDK, read with ``org.notifications.listen``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import PureCloudPlatformClientV2 as sdk
import pytest
from PureCloudPlatformClientV2.rest import ApiException

import gcmock
from gcmock.mockserver.inprocess import GenesysMock
from gcmock.mockserver.notifications import hub as hub_module
from tests.sdk_oracle import sdk_problems

from .flow import T0, alerting_call, drive, topics


@pytest.fixture(scope="module")
def org() -> Iterator[GenesysMock]:
    with gcmock.mock(
        conversations=30, world_size="small", start_ms=T0, frozen=True, token_ttl_s=3 * 86400
    ) as mock:
        yield mock


@pytest.fixture
def api(org: GenesysMock) -> Any:
    org.reset()
    return org.sdk_client()


def test_channel_lifecycle_through_the_sdk(org: GenesysMock, api: Any) -> None:
    notifications = sdk.NotificationsApi(api)
    channel = notifications.post_notifications_channels()
    assert channel.connect_uri.endswith(f"/channels/{channel.id}")
    notifications.head_notifications_channel(channel.id)
    user = org.state.world.users[0].id
    wanted = [{"id": f"v2.users.{user}.conversations"}]
    put = notifications.put_notifications_channel_subscriptions(channel.id, wanted)
    assert [(t.id, t.state) for t in put.entities] == [(wanted[0]["id"], "Permitted")]
    more = [{"id": f"v2.users.{user}.conversations.calls"}]
    post = notifications.post_notifications_channel_subscriptions(channel.id, more)
    assert len(post.entities) == 2
    listed = notifications.get_notifications_channel_subscriptions(channel.id)
    assert {t.id for t in listed.entities} == {wanted[0]["id"], more[0]["id"]}
    notifications.put_notifications_channel_subscriptions(channel.id, more)
    listed = notifications.get_notifications_channel_subscriptions(channel.id)
    assert [t.id for t in listed.entities] == [more[0]["id"]]  # PUT replaces
    notifications.delete_notifications_channel_subscriptions(channel.id)
    assert notifications.get_notifications_channel_subscriptions(channel.id).entities == []
    ids = [c.id for c in notifications.get_notifications_channels().entities]
    assert ids == [channel.id]
    with pytest.raises(ApiException) as err:
        notifications.head_notifications_channel("00000000-0000-4000-8000-000000000000")
    assert err.value.status == 404


def test_bad_topics_are_refused_or_reported(org: GenesysMock, api: Any) -> None:
    notifications = sdk.NotificationsApi(api)
    channel = notifications.post_notifications_channels()
    conv_id = org.state.store.dump()[0].conv.id
    bad = [{"id": f"v2.conversations.{conv_id}"}, {"id": "v2.users.nobody.conversations"}]
    with pytest.raises(ApiException) as err:
        notifications.put_notifications_channel_subscriptions(channel.id, bad)
    assert err.value.status == 400
    assert notifications.get_notifications_channel_subscriptions(channel.id).entities == []
    good = {"id": f"v2.detail.events.conversation.{conv_id}.acw"}
    listing = notifications.put_notifications_channel_subscriptions(
        channel.id, [*bad, good], ignore_errors=True
    )
    states = {t.id: (t.state, t.rejection_reason) for t in listing.entities}
    assert states[good["id"]] == ("Permitted", None)
    assert all(states[b["id"]][0] == "Rejected" and states[b["id"]][1] for b in bad)


def test_topic_limit(org: GenesysMock, api: Any) -> None:
    notifications = sdk.NotificationsApi(api)
    channel = notifications.post_notifications_channels()
    ids = [f"00000000-0000-4000-8000-{i:012d}" for i in range(1001)]
    many = [{"id": f"v2.detail.events.conversation.{i}.acw"} for i in ids]
    notifications.put_notifications_channel_subscriptions(channel.id, many[:1000])
    with pytest.raises(ApiException) as err:
        notifications.post_notifications_channel_subscriptions(channel.id, many[1000:])
    assert err.value.status == 400
    listed = notifications.get_notifications_channel_subscriptions(channel.id)
    assert len(listed.entities) == 1000


def test_the_21st_channel_removes_the_least_recently_used(org: GenesysMock, api: Any) -> None:
    notifications = sdk.NotificationsApi(api)
    channels = [notifications.post_notifications_channels().id for _ in range(20)]
    notifications.get_notifications_channel_subscriptions(channels[0])  # used: kept
    newest = notifications.post_notifications_channels().id
    kept = {c.id for c in notifications.get_notifications_channels().entities}
    assert len(kept) == 20 and newest in kept and channels[0] in kept
    assert channels[1] not in kept


def test_a_channel_lives_24_hours_and_subscribing_extends_it(org: GenesysMock, api: Any) -> None:
    notifications = sdk.NotificationsApi(api)
    first = notifications.post_notifications_channels().id
    second = notifications.post_notifications_channels().id
    org.clock.advance(23 * 3600_000)
    notifications.put_notifications_channel_subscriptions(second, [])
    org.clock.advance(2 * 3600_000)
    with pytest.raises(ApiException):
        notifications.head_notifications_channel(first)
    notifications.head_notifications_channel(second)


def _drive(org: GenesysMock, api: Any) -> tuple[Any, list[dict[str, Any]]]:
    call = alerting_call(org)
    with org.notifications.listen(topics(call)) as listener:
        drive(api, org, call)
        return call, list(listener)


def test_a_driven_call_notifies_every_change_in_order(org: GenesysMock, api: Any) -> None:
    call, messages = _drive(org, api)
    user_topic = f"v2.users.{call.user_id}.conversations"
    states = [
        next(p for p in m["eventBody"]["participants"] if p["id"] == call.agent)
        for m in messages
        if m["topicName"] == user_topic
    ]
    calls = [s["calls"][0] for s in states]
    assert [c["state"] for c in calls] == ["connected"] * 3 + ["disconnected", "terminated"]
    assert [c["held"] for c in calls] == [False, True, False, False, False]
    assert "wrapup" in states[-1]
    prefix = f"v2.detail.events.conversation.{call.id}."
    details = [m["topicName"].removeprefix(prefix) for m in messages if prefix in m["topicName"]]
    assert details == ["user.end", "wrapup", "acw"]  # user.start came with the offer, earlier
    for m in messages:
        assert set(m) == {"topicName", "version", "eventBody", "metadata"}


def test_every_body_deserializes_into_its_sdk_model(org: GenesysMock, api: Any) -> None:
    from gcmock.scenarios.views.topics import parse_topic

    _, messages = _drive(org, api)
    assert messages
    for m in messages:
        topic = parse_topic(m["topicName"], org.state.world)
        assert not isinstance(topic, str)
        assert sdk_problems(m["eventBody"], topic.model) == []


def test_the_same_run_gives_the_same_messages(org: GenesysMock, api: Any) -> None:
    _, first = _drive(org, api)
    org.reset()
    _, second = _drive(org, org.sdk_client())
    assert first == second


def test_unsubscribed_traffic_projects_nothing(
    org: GenesysMock, api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    projected: list[str] = []
    real = hub_module.conversation_event

    def counting(conv: Any) -> Any:
        projected.append(conv.id)
        return real(conv)

    monkeypatch.setattr(hub_module, "conversation_event", counting)
    other = next(u for u in org.state.world.users if u.is_supervisor)
    with org.notifications.listen(f"v2.users.{other.id}.conversations") as listener:
        call = alerting_call(org)
        drive(api, org, call)
        assert list(listener) == [] and projected == []


def test_the_heartbeat_follows_the_frozen_clock(org: GenesysMock, api: Any) -> None:
    user = org.state.world.users[0].id
    with org.notifications.listen(f"v2.users.{user}.conversations") as listener:
        org.advance(29_000)
        assert [m for m in listener if m["topicName"] == "channel.metadata"] == []
        org.advance(1_000)
        beats = [m for m in listener if m["topicName"] == "channel.metadata"]
        assert beats == [
            {"topicName": "channel.metadata", "eventBody": {"message": "WebSocket Heartbeat"}}
        ]


def test_listen_refuses_what_the_platform_refuses(org: GenesysMock) -> None:
    with pytest.raises(ValueError, match="not a valid topic"):
        org.notifications.listen("v2.conversations.00000000-0000-4000-8000-000000000000")


def test_the_async_iterator_gives_the_same_messages(org: GenesysMock, api: Any) -> None:
    import asyncio

    user = org.state.world.users[0].id

    async def first_two() -> list[dict[str, Any]]:
        got = []
        with org.notifications.listen(f"v2.users.{user}.conversations") as listener:
            org.advance(60_000)
            async for message in listener:
                got.append(message)
                if len(got) == 2:
                    break
        return got

    beats = asyncio.run(first_two())
    assert [m["eventBody"]["message"] for m in beats] == ["WebSocket Heartbeat"] * 2
