"""The topics served: every per-media variant the platform accepts, their schemas in
``availabletopics``, and the routes and topics ``docs/coverage.md`` lists."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import PureCloudPlatformClientV2 as sdk
import pytest

import gcmock
from gcmock.mockserver.inprocess import GenesysMock
from gcmock.mockserver.routes import ROUTES
from gcmock.scenarios.views.topics import TOPICS

from .flow import T0, alerting_call, drive

PLATFORM_SUFFIXES = {
    "callbacks",
    "calls",
    "chats",
    "cobrowseSessions",
    "emails",
    "messages",
    "screenshares",
    "socialexpressions",
    "videos",
}
"""The per-media suffixes of ``v2.users.{id}.conversations`` and
``v2.routing.queues.{id}.conversations`` in the platform's notification topic map."""

COVERAGE = Path(__file__).resolve().parents[3] / "docs" / "coverage.md"


@pytest.fixture(scope="module")
def org() -> Iterator[GenesysMock]:
    with gcmock.mock(conversations=30, world_size="small", start_ms=T0, frozen=True) as mock:
        yield mock


def _media_topics(user: str, queue: str) -> list[str]:
    users = [f"v2.users.{user}.conversations.{s}" for s in sorted(PLATFORM_SUFFIXES)]
    return users + [f"v2.routing.queues.{queue}.conversations.{s}" for s in PLATFORM_SUFFIXES]


def test_every_per_media_variant_is_accepted(org: GenesysMock) -> None:
    org.reset()
    notifications = sdk.NotificationsApi(org.sdk_client())
    channel = notifications.post_notifications_channels()
    world = org.state.world
    wanted = _media_topics(world.users[0].id, world.queues[0].id)
    listing = notifications.put_notifications_channel_subscriptions(
        channel.id, [{"id": t} for t in wanted]
    )
    assert {(t.id, t.state) for t in listing.entities} == {(t, "Permitted") for t in wanted}


def test_availabletopics_serves_each_variant_with_its_sdk_model(org: GenesysMock) -> None:
    api = sdk.NotificationsApi(org.sdk_client())
    served = {t.id: t for t in api.get_notifications_availabletopics().entities}
    for scope in ("v2.users.{id}", "v2.routing.queues.{id}"):
        for suffix in PLATFORM_SUFFIXES:
            topic = served[f"{scope}.conversations.{suffix}"]
            model = topic.schema["title"]
            assert getattr(sdk.models, model) is not None
            assert topic.schema["properties"], model


def test_media_the_engine_never_makes_are_silent(org: GenesysMock) -> None:
    org.reset()
    call = alerting_call(org)
    silent = [
        t
        for t in _media_topics(call.user_id, call.queue_id)
        if not t.endswith((".calls", ".callbacks", ".emails", ".messages"))
    ]
    calls = f"v2.users.{call.user_id}.conversations.calls"
    with (
        org.notifications.listen(silent) as quiet,
        org.notifications.listen(calls) as loud,
    ):
        drive(org.sdk_client(), org, call)
        assert [m for m in quiet if "metadata" in m] == []
        assert len([m for m in loud if "metadata" in m]) >= 4


def _handlers(prefix: str) -> set[str]:
    return {r.handler for r in ROUTES if r.path.startswith(prefix)}


def test_coverage_lists_the_notification_routes_and_topics() -> None:
    text = COVERAGE.read_text()
    for handler in _handlers("/api/v2/notifications") | _handlers("/api/v2/tokens"):
        assert f"`{handler}`" in text, handler
    for t in TOPICS:
        assert f"| `{t.template}` | `{t.model}` |" in text, t.template
    templates: Any = {t.template for t in TOPICS}
    for s in PLATFORM_SUFFIXES:
        assert f"v2.users.{{id}}.conversations.{s}" in templates
