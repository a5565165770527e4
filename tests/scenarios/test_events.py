"""Notification event projections: every body fits the SDK model of its topic, and detail
events come exactly once each however a conversation's changes are grouped."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gcmock.scenarios import SCENARIOS, GeneratorOptions, build_world, conversation_rng
from gcmock.scenarios import run_scenario as run
from gcmock.scenarios.views.detail import DETAIL_KINDS, detail_events, new_detail_events
from gcmock.scenarios.views.events import MEDIA_TOPICS, conversation_event, media_event
from gcmock.scenarios.views.history import has_media
from gcmock.scenarios.views.topics import TOPICS, parse_topic
from tests.sdk_oracle import sdk_problems

WORLD = build_world(0)
START = GeneratorOptions().start_ms
CUTS = (20_000, 90_000, None)


def _conv(name: str, seed: int, cut: int | None):  # type: ignore[no-untyped-def]
    return run(
        name, WORLD, conversation_rng(seed, 0), START, horizon=None if cut is None else START + cut
    )


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_bodies_fit_the_sdk_models(name: str) -> None:
    for cut in CUTS:
        try:
            conv = _conv(name, 1, cut)
        except ValueError:
            continue
        body = conversation_event(conv)
        assert sdk_problems(body, "ConversationEventTopicConversation") == []
        assert sdk_problems(body, "QueueConversationEventTopicConversation") == []
        for suffix, media in MEDIA_TOPICS.items():
            if has_media(conv, media):
                model = next(
                    t.model
                    for t in TOPICS
                    if t.template.endswith(f"users.{{id}}.conversations.{suffix}")
                )
                assert sdk_problems(media_event(conv, media), model) == []
        for event in detail_events(conv):
            assert sdk_problems(event.body, DETAIL_KINDS[event.kind]) == []


@settings(max_examples=30, deadline=None)
@given(
    name=st.sampled_from(sorted(SCENARIOS)),
    seed=st.integers(0, 2**16),
    cuts=st.lists(st.integers(1_000, 600_000), max_size=4),
)
def test_detail_events_come_once_each_in_any_grouping(
    name: str, seed: int, cuts: list[int]
) -> None:
    states = []
    for cut in [*sorted(cuts), None]:
        try:
            states.append(_conv(name, seed, cut))
        except ValueError:
            continue
    seen: list[object] = []
    before = None
    for state in states:
        seen += [e.key for e in new_detail_events(before, state)]
        before = state
    final = [e.key for e in detail_events(states[-1])] if states else []
    assert len(seen) == len(set(seen))
    assert set(seen) == set(final)


def test_topics_are_parsed_as_the_platform_does() -> None:
    user, queue = WORLD.users[0].id, WORLD.queues[0].id
    conv = "00000000-0000-4000-8000-000000000001"
    assert parse_topic(f"v2.users.{user}.conversations.calls", WORLD).variant == "calls"  # type: ignore[union-attr]
    assert parse_topic(f"v2.routing.queues.{queue}.conversations", WORLD).scope == "queues"  # type: ignore[union-attr]
    assert parse_topic(f"v2.detail.events.conversation.{conv}.acw", WORLD).variant == "acw"  # type: ignore[union-attr]
    for bad in (
        f"v2.conversations.{conv}",
        f"v2.users.{user}.conversations.faxes",
        f"v2.detail.events.conversation.{conv}.nothing",
        f"v2.users.{conv}.conversations",
        "v2.users.me.conversations",
    ):
        assert isinstance(parse_topic(bad, WORLD), str), bad


def test_a_consult_marker_is_no_attribute_update() -> None:
    """A conference cut mid-consult has the initiator's ``consultInitiator`` marker, which the
    conference then drops: announcing it would be an event the final state denies."""
    live = _conv("conference", 3, 200_000)
    assert any(p.attributes.get("consultInitiator") for p in live.participants)
    assert [e for e in detail_events(live) if e.kind == "attributes"] == []
