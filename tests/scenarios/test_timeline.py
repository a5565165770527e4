"""The timeline renderer against the conversations it draws: a lane per participant, a bar per
segment and per after-call work at the pixels its times give, the consult, supervision and
transfer links between the right lanes, live bars ending at now, and the same bytes each time."""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gcmock.scenarios import SCENARIOS, build_world, conversation_rng, routing, run_scenario
from gcmock.scenarios.views.projection import to_conversation_json
from gcmock.scenarios.views.timeline import GUTTER, RIGHT, epoch_ms, layout
from gcmock.scenarios.views.timeline_svg import timeline_svg
from tests.timeline_expect import expected_bars, latest

START = 1_793_491_200_000
WORLD = build_world(0, "small")


def scenario_json(name: str, seed: int = 0) -> dict[str, Any]:
    return to_conversation_json(run_scenario(name, WORLD, conversation_rng(seed, 0), START))


def test_consult_transfer_lanes_bars_links_and_pixels() -> None:
    conv = scenario_json("consult_transfer")
    t = layout(conv, width=1000)
    people = conv["participants"]
    assert [lane.participant_id for lane in t.lanes] == [p["id"] for p in people]
    assert [lane.role for lane in t.lanes] == ["customer", "IVR", "queue", "agent", "agent"]
    assert {(b.participant_id, b.kind, b.start, b.end) for b in t.bars} == expected_bars(conv)
    assert len(t.bars) == len(expected_bars(conv))

    start, end = epoch_ms(conv["startTime"]), latest(conv)
    scale = (1000 - GUTTER - RIGHT) / (end - start)
    for b in t.bars:
        assert b.x == pytest.approx(GUTTER + (b.start - start) * scale)
        assert b.width == pytest.approx(max((b.end - b.start) * scale, 1.0))

    initiator = next(i for i, p in enumerate(people) if p["attributes"].get("consultInitiator"))
    consulted = next(
        i
        for i, p in enumerate(people)
        if p.get("consultParticipantId") and i != initiator and p["purpose"] == "agent"
    )
    consult = [k for k in t.links if k.kind == "consult"]
    assert [(k.source, k.target, k.at) for k in consult] == [
        (initiator, consulted, epoch_ms(people[consulted]["startTime"]))
    ]
    issued = epoch_ms(conv["recentTransfers"][0]["dateIssued"])
    transfer = [k for k in t.links if k.kind == "transfer"]
    assert [(k.source, k.target, k.at) for k in transfer] == [(initiator, consulted, issued)]
    assert [(m.kind, m.lane, m.at) for m in t.marks] == [("transfer", initiator, issued)]


@pytest.mark.parametrize(
    ("name", "kind"), [("monitored", "monitor"), ("coached", "coach"), ("barged", "barge")]
)
def test_supervision_links_the_supervisor_to_the_agent(name: str, kind: str) -> None:
    conv = scenario_json(name)
    t = layout(conv)
    supervisor = next(i for i, p in enumerate(conv["participants"]) if p["purpose"] == "user")
    agent = next(i for i, p in enumerate(conv["participants"]) if p["purpose"] == "agent")
    assert t.lanes[supervisor].role == "supervisor"
    assert [(k.kind, k.source, k.target) for k in t.links] == [(kind, supervisor, agent)]
    assert [b.kind for b in t.bars if b.lane == supervisor] == [kind]


def test_blind_transfer_to_queue_links_to_the_new_queue_leg() -> None:
    conv = scenario_json("blind_transfer_to_queue")
    t = layout(conv)
    queues = [i for i, p in enumerate(conv["participants"]) if p["purpose"] == "acd"]
    first_agent = next(i for i, p in enumerate(conv["participants"]) if p["purpose"] == "agent")
    assert [(k.kind, k.source, k.target) for k in t.links] == [("transfer", first_agent, queues[1])]


def _holds(conv: dict[str, Any]) -> set[tuple[str, int, int]]:
    return {
        (p["id"], epoch_ms(s["startTime"]), epoch_ms(s["endTime"]))
        for p in conv["participants"]
        for call in p["calls"]
        for s in call["segments"]
        if s["type"] == "Hold"
    }


def test_hold_bars_come_from_hold_segments() -> None:
    convs = (scenario_json("inbound_answered", seed) for seed in range(60))
    conv = next(c for c in convs if _holds(c))
    bars = {(b.participant_id, b.start, b.end) for b in layout(conv).bars if b.kind == "hold"}
    assert bars == _holds(conv)


def test_a_live_conversation_is_drawn_to_now_and_grows() -> None:
    queue = WORLD.queues[0]
    conv = routing.start_inbound(WORLD, random.Random(4), START, dnis=queue.dnis[0], ani="+1312")
    routing.route_to_queue(conv, WORLD, queue, START + 2_000)
    data = to_conversation_json(conv)
    early, later = layout(data, START + 60_000), layout(data, START + 120_000)
    assert early.live and later.live
    waiting = [b for b in early.bars if b.kind == "queue"]
    assert len(waiting) == 1 and waiting[0].open and waiting[0].end == START + 60_000
    assert early.end == START + 60_000 and later.end == START + 120_000
    assert 'class="now"' in timeline_svg(data, START + 60_000)
    assert 'data-open="true"' in timeline_svg(data, START + 60_000)


def test_media_without_segments_get_their_connected_span() -> None:
    conv = scenario_json("video")
    t = layout(conv)
    agent = next(i for i, p in enumerate(conv["participants"]) if p["purpose"] == "agent")
    talk = [b for b in t.bars if b.lane == agent and b.kind == "talk"]
    video = conv["participants"][agent]["videos"][0]
    assert [(b.start, b.end) for b in talk] == [
        (epoch_ms(video["connectedTime"]), epoch_ms(video["disconnectedTime"]))
    ]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(sorted(SCENARIOS)), st.integers(0, 10_000), st.integers(400, 2000))
def test_same_conversation_same_bytes_and_everything_inside(
    name: str, seed: int, width: int
) -> None:
    conv = scenario_json(name, seed)
    svg = timeline_svg(conv, width=width)
    assert timeline_svg(orjson.loads(orjson.dumps(conv)), width=width) == svg
    root = ET.fromstring(svg)
    assert root.get("data-conversation-id") == conv["id"]
    t = layout(conv, width=width)
    assert len(t.lanes) == len(conv["participants"])
    for b in t.bars:
        assert b.x >= GUTTER - 0.01 and b.x + b.width <= width - RIGHT + 1.01
        assert (
            t.lanes[b.lane].y <= b.y
            and b.y + b.height <= t.lanes[b.lane].y + t.lanes[b.lane].height
        )
    for k in t.links:
        assert 0 <= k.source < len(t.lanes) and 0 <= k.target < len(t.lanes)
    svg_bars = root.findall(".//{http://www.w3.org/2000/svg}rect[@class='bar']")
    assert len(svg_bars) == len(t.bars)
