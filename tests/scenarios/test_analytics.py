"""The analytics detail record: every metric equals what its segments imply, for every scenario,
many seeds and any horizon; the record agrees with the REST projection and the SDK, survives a
JSON round trip through the loader, and its indexed values read off the engine state equal
those of the record."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gcmock.scenarios import (
    SCENARIOS,
    GeneratorOptions,
    build_world,
    conversation_rng,
    run_scenario,
    to_conversation_json,
)
from gcmock.scenarios.analytics.query import record_values
from gcmock.scenarios.engine import control, routing, transfer, wrapup
from gcmock.scenarios.engine.model import MEDIA_KEYS, Conversation
from gcmock.scenarios.views.analytics import (
    ANALYTICS_DISCONNECT_TYPES,
    SHORT_ABANDON_MS,
    indexed_values,
    to_analytics,
)
from gcmock.scenarios.views.loader import from_conversation_json
from tests.sdk_oracle import sdk_problems

T0 = GeneratorOptions().start_ms
WORLD = build_world(11)

Json = dict[str, Any]


def _ms(text: str) -> int:
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)


def _dur(seg: Json) -> int:
    return _ms(seg["segmentEnd"]) - _ms(seg["segmentStart"])


def _closed(session: Json, kind: str) -> list[Json]:
    return [s for s in session["segments"] if s["segmentType"] == kind and "segmentEnd" in s]


def _metrics(session: Json) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = {}
    for m in session.get("metrics", []):
        out.setdefault(m["name"], []).append((m["value"], _ms(m["emitDate"])))
    return out


def _one(metrics: dict[str, list[tuple[int, int]]], name: str) -> int | None:
    values = metrics.get(name)
    if values is None:
        return None
    assert len(values) == 1, name
    return values[0][0]


def _sessions(record: Json) -> list[tuple[Json, Json]]:
    return [(p, s) for p in record["participants"] for s in p["sessions"]]


def _is_supervisor(s: Json) -> bool:
    return any(
        k in s for k in ("monitoredParticipantId", "coachedParticipantId", "bargedParticipantId")
    )


def _check_rules(conv: Conversation, record: Json, horizon: int | None) -> None:
    """The metric arithmetic of genesys-api.md §9.3, checked on the record alone."""
    start = _ms(record["conversationStart"])
    end = _ms(record["conversationEnd"]) if "conversationEnd" in record else None
    open_segments = [
        seg for _, s in _sessions(record) for seg in s["segments"] if "segmentEnd" not in seg
    ]
    assert (end is None) == bool(open_segments) == (not conv.settled)
    # start_inbound sets the customer's connect a few ms ahead, so "now" is at least that
    known = [_ms(seg["segmentStart"]) for _, s in _sessions(record) for seg in s["segments"]]
    now = None if horizon is None else max(horizon, *known)
    acd_waits: dict[tuple[str, int], int] = {}
    answered: list[tuple[str, int, int]] = []
    consults: dict[str, list[int]] = {}
    for e in conv.events:
        if e.kind == "consult.start" and e.participant_id is not None:
            consults.setdefault(e.participant_id, []).append(e.at)
    counted = [
        (p, s)
        for p, s in _sessions(record)
        for m in s.get("metrics", [])
        if m["name"] == "nConversations"
    ]
    assert [(p["participantId"], s["sessionId"]) for p, s in counted] == [
        (conv.customer.id, conv.customer.comm.id)
    ], "nConversations once, on the customer's first session"
    for p, s in _sessions(record):
        m = _metrics(s)
        segs = s["segments"]
        if "nConversations" in m:
            assert m["nConversations"] == [(1, _ms(segs[0]["segmentStart"]))]
        if s is p["sessions"][0]:
            consulted = [at for _, at in m.get("nConsult", [])]
            assert consulted == consults.get(p["participantId"], []), "the event log's consults"
        for seg in segs:
            lo = _ms(seg["segmentStart"])
            assert lo >= start
            if "segmentEnd" in seg:
                assert lo <= _ms(seg["segmentEnd"])
                assert end is None or _ms(seg["segmentEnd"]) <= end
            if "disconnectType" in seg:
                assert seg["disconnectType"] in ANALYTICS_DISCONNECT_TYPES.values()
        for name, values in m.items():
            for value, emit in values:
                assert value >= 0, name
                assert start <= emit and (end is None or emit <= end), name
                assert now is None or emit <= now, name
        primary = s is p["sessions"][0]
        purpose = p["purpose"]
        if not primary:
            continue
        if purpose == "acd":
            assert _one(m, "nOffered") == 1
            if "tAcd" in m:
                wait = _one(m, "tAcd") or 0
                assert wait == sum(_dur(x) for x in segs) == _one(m, "tWait")
                acd_waits[(segs[0]["queueId"], m["tAcd"][0][1])] = wait
                sla = WORLD.queues_by_id[segs[0]["queueId"]].service_level_duration_ms
                over = "selectedAgentId" in s and wait > sla
                assert m.get("nOverSla") == ([(1, m["tAcd"][0][1])] if over else None)
                if "tAbandon" in m:
                    assert _one(m, "tAbandon") == wait and "selectedAgentId" not in s
                short = "tAbandon" in m and wait < SHORT_ABANDON_MS
                assert m.get("tShortAbandon") == (m["tAbandon"] if short else None)
            else:
                assert all("segmentEnd" not in x for x in segs)
                assert not {"nOverSla", "tAbandon", "tShortAbandon"} & m.keys()
        elif purpose == "ivr":
            assert _one(m, "nFlow") == 1
            if "tIvr" in m:
                assert (
                    _one(m, "tIvr") == sum(_dur(x) for x in _closed(s, "ivr")) == _one(m, "tFlow")
                )
                exit_metric = (
                    "tFlowExit" if segs[-1]["disconnectType"] == "transfer" else "tFlowDisconnect"
                )
                assert _one(m, exit_metric) == _one(m, "tFlow")
                assert s["flow"]["exitReason"] in ("TRANSFER", "DISCONNECT")
        elif purpose in ("customer", "external"):
            if "tConnected" in m:
                assert _one(m, "tConnected") == sum(_dur(x) for x in _closed(s, "interact"))
        elif purpose in ("agent", "user") and not _is_supervisor(s):
            talk = sum(_dur(x) for x in _closed(s, "interact"))
            held = sum(_dur(x) for x in _closed(s, "hold"))
            assert sum(v for v, _ in m.get("tTalk", [])) == talk
            assert sum(v for v, _ in m.get("tHeld", [])) == held
            assert len(m.get("tTalk", [])) == len(_closed(s, "interact"))
            alerts = _closed(s, "alert")
            assert [v for v, _ in m.get("tAlert", [])] == [_dur(x) for x in alerts]
            timed_out = [_dur(x) for x in alerts if x.get("disconnectType") == "system"]
            assert [v for v, _ in m.get("tNotResponding", [])] == timed_out
            if "tTalkComplete" in m:
                assert _one(m, "tTalkComplete") == talk
                assert (_one(m, "tHeldComplete") or 0) == held
            wrap = _closed(s, "wrapup")
            if wrap:
                assert _one(m, "tAcw") == _dur(wrap[0])
            else:
                assert "tAcw" not in m
            if "tHandle" in m:
                assert _one(m, "tHandle") == (
                    (_one(m, "tTalkComplete") or 0)
                    + (_one(m, "tHeldComplete") or 0)
                    + (_one(m, "tAcw") or 0)
                )
            if "tAnswered" in m:
                answered.append(
                    (segs[0]["queueId"], m["tAnswered"][0][1], _one(m, "tAnswered") or 0)
                )
        elif _is_supervisor(s):
            for kind, name in (
                ("monitoring", "tMonitoring"),
                ("coaching", "tCoaching"),
                ("barging", "tBarging"),
            ):
                assert [v for v, _ in m.get(name, [])] == [_dur(x) for x in _closed(s, kind)]
            assert "tTalk" not in m and "tHandle" not in m
    for queue_id, at, value in answered:
        assert acd_waits.get((queue_id, at)) == value, "tAnswered(agent) == tAcd(acd)"


def _check_projection(conv: Conversation, record: Json) -> None:
    """Ids, names and timings agree with the REST projection of the same state."""
    rest = to_conversation_json(conv)
    assert record["conversationId"] == rest["id"]
    assert record["conversationStart"] == rest["startTime"]
    assert [p["participantId"] for p in record["participants"]] == [
        p["id"] for p in rest["participants"]
    ]
    for p, rp in zip(record["participants"], rest["participants"], strict=True):
        assert p["purpose"] == rp["purpose"] and p.get("userId") == rp.get("userId")
        comms = [c for key in MEDIA_KEYS.values() for c in rp.get(key, [])]
        assert sorted(s["sessionId"] for s in p["sessions"]) == sorted(c["id"] for c in comms)
        wrap = [
            seg for s in p["sessions"] for seg in s["segments"] if seg["segmentType"] == "wrapup"
        ]
        if "wrapup" in rp:
            assert wrap[0]["wrapUpCode"] == rp["wrapup"]["code"]
            assert wrap[0]["segmentStart"] == rp["startAcwTime"]
            assert wrap[0]["segmentEnd"] == rp["endAcwTime"]
        assert bool(wrap) == ("startAcwTime" in rp)
    if "endTime" in rest and conv.settled:
        assert record["conversationEnd"] >= rest["endTime"]


def _check(name: str, seed: int, horizon: int | None = None) -> Json:
    conv = run_scenario(name, WORLD, conversation_rng(seed, 0), T0, horizon=horizon)
    record = to_analytics(conv, world=WORLD)
    assert sdk_problems(record, "AnalyticsConversationWithoutAttributes") == [], name
    assert indexed_values(conv) == record_values(record), "what an index reads off the state"
    full = to_analytics(conv, with_attributes=True, world=WORLD)
    assert sdk_problems(full, "AnalyticsConversation") == [], name
    assert all("attributes" in p for p in full["participants"])
    assert all("attributes" not in p for p in record["participants"])
    _check_rules(conv, record, horizon)
    _check_projection(conv, record)
    return record


def _totals(record: Json) -> Counter[str]:
    out: Counter[str] = Counter()
    for _, s in _sessions(record):
        for m in s.get("metrics", []):
            if m["name"] in (
                "nTransferred",
                "nBlindTransferred",
                "nConsult",
                "nConsultTransferred",
            ):
                out[m["name"]] += m["value"]
    return out


_TRANSFERS: dict[str, tuple[dict[str, int], ...]] = {
    "blind_transfer_to_agent": ({"nTransferred": 1, "nBlindTransferred": 1},),
    "blind_transfer_to_queue": ({"nTransferred": 1, "nBlindTransferred": 1},),
    "blind_transfer_external": ({"nTransferred": 1, "nBlindTransferred": 1},),
    "consult_transfer": ({"nTransferred": 1, "nConsult": 1, "nConsultTransferred": 1},),
    "consult_cancelled": ({"nConsult": 1},),
    "conference": ({"nConsult": 1}, {"nTransferred": 1, "nConsult": 1, "nConsultTransferred": 1}),
}
"""Transfer counts a finished run of each scenario carries; any other scenario carries none."""


@pytest.mark.parametrize("name", sorted(SCENARIOS))
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2**32))
def test_every_scenario_obeys_the_metric_rules(name: str, seed: int) -> None:
    record = _check(name, seed)
    assert "conversationEnd" in record
    assert dict(_totals(record)) in _TRANSFERS.get(name, ({},))


@pytest.mark.parametrize("name", sorted(SCENARIOS))
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2**32), cut=st.integers(0, 3_600_000))
def test_a_live_conversation_has_open_segments_and_only_emitted_metrics(
    name: str, seed: int, cut: int
) -> None:
    _check(name, seed, horizon=T0 + cut)


def test_the_inbound_record_follows_the_real_2024_voice_sample() -> None:
    """customer system -> interact; ivr with its flow; acd nOffered/tAcd; agent alert ->
    interact -> wrapup with tAnswered = tAcd and tHandle = tTalk + tHeld + tAcw (§9.3)."""
    record = _check("inbound_answered", 4)
    customer, ivr, acd, agent = record["participants"][:4]
    assert [s["segmentType"] for s in customer["sessions"][0]["segments"]] == ["system", "interact"]
    flow = ivr["sessions"][0]["flow"]
    assert flow["flowType"] == "INBOUNDCALL" and flow["exitReason"] == "TRANSFER"
    assert (
        flow["transferType"] == "ACD"
        and flow["transferTargetAddress"] == acd["sessions"][0]["segments"][0]["queueId"]
    )
    assert ivr["participantName"] == flow["flowName"]
    assert acd["participantName"] == flow["transferTargetName"]
    kinds = [s["segmentType"] for s in agent["sessions"][0]["segments"]]
    assert kinds[0] == "alert" and kinds[-1] == "wrapup" and "interact" in kinds
    acd_m, agent_m = _metrics(acd["sessions"][0]), _metrics(agent["sessions"][0])
    assert _one(agent_m, "tAnswered") == _one(acd_m, "tAcd")
    assert customer["sessions"][0]["selectedAgentId"] == agent["userId"]
    assert all(
        s["peerId"] == customer["sessions"][0]["sessionId"]
        for p in (ivr, acd, agent)
        for s in p["sessions"]
    )


def test_disconnect_types_are_camel_case_and_transfers_show_on_the_wrapup_segment() -> None:
    record = _check("consult_transfer", 9)
    agents = [p for p in record["participants"] if p["purpose"] == "agent"]
    first = agents[0]["sessions"][0]["segments"]
    assert first[-1]["segmentType"] == "wrapup" and first[-1]["disconnectType"] == "consultTransfer"
    record = _check("blind_transfer_to_queue", 9)
    first = next(p for p in record["participants"] if p["purpose"] == "agent")["sessions"][0]
    assert first["segments"][-1]["disconnectType"] == "transfer"
    assert _one(_metrics(first), "nBlindTransferred") == 1


def test_a_transfer_and_a_consult_driven_step_by_step_show_in_the_record() -> None:
    """Operations applied one at a time (as the server does) are reflected at each step."""
    world = WORLD
    queue, t = world.queues[0], T0
    alice, bob, carol = (world.users_by_id[i] for i in queue.member_ids[:3])
    conv = routing.start_inbound(world, random.Random(7), t, dnis=queue.dnis[0], ani="+13125550142")
    routing.route_to_queue(conv, world, queue, t + 1_000)
    agent = routing.offer(conv, world, alice, t + 5_000)
    assert "tAlert" not in _metrics(
        to_analytics(conv, world=WORLD)["participants"][-1]["sessions"][0]
    )
    routing.answer(conv, agent.id, t + 8_000)
    control.hold(conv, agent.id, t + 20_000)
    control.resume(conv, agent.id, t + 50_000)
    colleague = transfer.start_consult(conv, world, conv.customer.id, t + 60_000, user=bob)
    routing.answer(conv, colleague.id, t + 63_000)
    mid = to_analytics(conv, world=WORLD)
    assert "conversationEnd" not in mid
    m = _metrics(mid["participants"][-2]["sessions"][0])
    assert _one(m, "nConsult") == 1 and "nConsultTransferred" not in m and "tHeldComplete" not in m
    assert m["tHeld"] == [(30_000, t + 50_000)]
    control.disconnect(conv, agent.id, t + 90_000)
    wrapup.wrap_up(conv, world, agent.id, queue.wrapup_code_ids[0], t + 100_000)
    last = transfer.blind_transfer(conv, world, colleague.id, t + 120_000, user=carol)
    routing.answer(conv, last.id, t + 123_000)
    control.disconnect(conv, conv.customer.id, t + 200_000)
    wrapup.wrap_up(conv, world, colleague.id, queue.wrapup_code_ids[1], t + 210_000)
    wrapup.wrap_up(conv, world, last.id, queue.wrapup_code_ids[0], t + 220_000)
    record = to_analytics(conv, world=WORLD)
    assert sdk_problems(record, "AnalyticsConversationWithoutAttributes") == []
    _check_rules(conv, record, None)
    a1, a2, a3 = (_metrics(p["sessions"][0]) for p in record["participants"][-3:])
    assert _one(a1, "nConsultTransferred") == 1 and _one(a1, "tHeldComplete") == 30_000
    assert _one(a1, "tTalkComplete") == 12_000 + 40_000
    assert _one(a1, "tHandle") == 52_000 + 30_000 + 10_000
    assert _one(a2, "nBlindTransferred") == 1 and _one(a2, "tAcw") == 90_000
    assert "nTransferred" not in a3 and _one(a3, "tAcw") == 20_000
    assert (
        record["conversationEnd"]
        == record["participants"][-1]["sessions"][0]["segments"][-1]["segmentEnd"]
    )


def test_abandon_and_voicemail_are_measured_on_the_acd_leg() -> None:
    for seed in range(10):
        acd = next(
            p
            for p in _check("inbound_abandoned_in_queue", seed)["participants"]
            if p["purpose"] == "acd"
        )
        m = _metrics(acd["sessions"][0])
        assert _one(m, "tAbandon") == _one(m, "tAcd")
        acd = next(p for p in _check("voicemail", seed)["participants"] if p["purpose"] == "acd")
        m = _metrics(acd["sessions"][0])
        assert _one(m, "tFlowOut") == _one(m, "tAcd") and "tAbandon" not in m


def test_outbound_supervision_and_digital_sessions_carry_their_own_metrics() -> None:
    seen: Counter[str] = Counter()
    for name in (
        "outbound",
        "monitored",
        "coached",
        "barged",
        "callback",
        "message_sms",
        "email",
        "cobrowse",
        "voicemail",
    ):
        for seed in range(6):
            for _, s in _sessions(_check(name, seed)):
                seen.update({m["name"] for m in s.get("metrics", [])})
                seen.update({f"media:{s['mediaType']}"})
    for metric in (
        "nOutbound",
        "tDialing",
        "tContacting",
        "tMonitoring",
        "tCoaching",
        "tBarging",
        "tVoicemail",
        "nConnected",
    ):
        assert seen[metric] > 0, metric
    for media in ("voice", "callback", "message", "email", "chat", "cobrowse"):
        assert seen[f"media:{media}"] > 0, media


_JSON_GAPS = {"video": ("scriptId",)}
"""What the nested Conversation JSON cannot carry, by session media: the video model has no
``scriptId`` (nor segments or hold state: the loader rebuilds the segments the engine lays out,
and no scenario holds a video call). Neither can it show that a recording was switched on and
off again (only the server does that)."""


def _without_gaps(record: Json) -> Json:
    for _, s in _sessions(record):
        for key in _JSON_GAPS.get(s["mediaType"], ()):
            s.pop(key, None)
    return record


@pytest.mark.parametrize("name", sorted(SCENARIOS))
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2**32), cut=st.none() | st.integers(0, 3_600_000))
def test_the_record_survives_a_json_round_trip_through_the_loader(
    name: str, seed: int, cut: int | None
) -> None:
    """Loaded from its Conversation JSON (a dataset line, an admin upload), a conversation has
    the same record: the IVR flow, consults, conference segments, video segments and the
    direction of secondary sessions are read back from what the JSON shows of them."""
    horizon = None if cut is None else T0 + cut
    conv = run_scenario(name, WORLD, conversation_rng(seed, 0), T0, horizon=horizon)
    data = orjson.dumps(to_conversation_json(conv))
    loaded = from_conversation_json(orjson.loads(data))
    assert orjson.dumps(to_conversation_json(loaded)) == data
    for attributes in (False, True):
        before = to_analytics(conv, with_attributes=attributes, world=WORLD)
        after = to_analytics(loaded, with_attributes=attributes, world=WORLD)
        assert _without_gaps(after) == _without_gaps(before), name
    assert indexed_values(loaded) == indexed_values(conv)


def test_service_level_and_short_abandons_are_measured_on_the_acd_leg() -> None:
    """Both outcomes of each rule occur (the rules are checked on every record by
    ``_check_rules``); a caller giving up within 10 s is rare, hence many seeds."""
    seen: Counter[str] = Counter()
    for seed in range(600):
        for name in ("inbound_answered", "inbound_abandoned_in_queue"):
            conv = run_scenario(name, WORLD, conversation_rng(seed, 0), T0)
            for _, s in _sessions(to_analytics(conv, world=WORLD)):
                names = {m["name"] for m in s.get("metrics", [])}
                if "tAcd" in names and "selectedAgentId" in s:
                    seen["over" if "nOverSla" in names else "within"] += 1
                if "tAbandon" in names:
                    seen["short" if "tShortAbandon" in names else "long"] += 1
    assert min(seen[k] for k in ("over", "within", "short", "long")) > 0, seen
