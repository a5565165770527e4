"""Every scenario, many seeds: valid, SDK-clean, deterministic, and covering every field."""

from __future__ import annotations

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gcmock.scenarios import (
    SCENARIOS,
    DatasetValidator,
    GeneratorOptions,
    build_world,
    conversation_rng,
    generate,
    make_one,
    run_scenario,
    to_conversation_json,
    validate,
)
from gcmock.scenarios.engine.model import MEDIA_KEYS
from gcmock.scenarios.views.projection import FLAT_MEDIA, to_media_json
from gcmock.scenarios.world import World
from tests.sdk_oracle import sdk_problems

T0 = GeneratorOptions().start_ms
WORLD = build_world(11)

_FLAT_MODEL = {
    "call": "CallConversation",
    "callback": "CallbackConversation",
    "email": "EmailConversation",
    "message": "MessageConversation",
}


def _check(world: World, name: str, seed: int, horizon: int | None = None) -> None:
    conv = run_scenario(name, world, conversation_rng(seed, 0), T0, horizon=horizon)
    nested = to_conversation_json(conv)
    assert [str(v) for v in validate(nested, skew_ms=0)] == [], name
    assert sdk_problems(nested, "Conversation") == [], name
    for media in FLAT_MEDIA:
        if any(c.media == media for p in conv.participants for c in p.comms):
            flat = to_media_json(conv, media)
            assert [str(v) for v in validate(flat, skew_ms=0)] == [], (name, media)
            assert sdk_problems(flat, _FLAT_MODEL[media]) == [], (name, media)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2**32))
def test_every_scenario_is_valid_and_sdk_clean(name: str, seed: int) -> None:
    _check(WORLD, name, seed)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
@settings(max_examples=10, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32), cut=st.integers(0, 3_600_000))
def test_a_scenario_stopped_midway_is_valid_and_live(name: str, seed: int, cut: int) -> None:
    """Stopping at any horizon leaves a live (alerting, held, ACW...) but consistent state."""
    _check(WORLD, name, seed, horizon=T0 + cut)


@pytest.mark.parametrize("locale", ["en_GB", "de_DE", "fr_FR", "ja_JP"])
def test_other_locales_produce_valid_conversations(locale: str) -> None:
    world = build_world(3, "small", locale)
    for name in ("inbound_answered", "outbound", "callback", "message_sms"):
        _check(world, name, 5)


def test_same_seed_same_bytes_and_index_independence() -> None:
    a = [orjson.dumps(to_conversation_json(c)) for c in generate(WORLD, 42, 0, 30)]
    b = [orjson.dumps(to_conversation_json(c)) for c in generate(build_world(11), 42, 0, 30)]
    assert a == b
    tail = [orjson.dumps(to_conversation_json(c)) for c in generate(WORLD, 42, 20, 30)]
    assert tail == a[20:]
    assert orjson.dumps(to_conversation_json(make_one(WORLD, 42, 7, GeneratorOptions()))) == a[7]
    assert a != [orjson.dumps(to_conversation_json(c)) for c in generate(WORLD, 43, 0, 30)]


def test_dataset_of_every_scenario_has_no_violation() -> None:
    checker = DatasetValidator()
    problems = []
    for conv in generate(WORLD, 5, 0, 600):
        problems += checker.add(to_conversation_json(conv))
    assert [str(v) for v in problems] == []


def _filled(value: object) -> bool:
    return value not in (None, [], {}, "")


def test_every_participant_field_is_filled_somewhere() -> None:
    """All 50 fields of the SDK's Participant (the seed's 48 plus mediaRoles and
    bargedParticipantId) carry a value in at least one scenario; likewise every media list."""
    import PureCloudPlatformClientV2 as sdk

    fields = set(sdk.models.Participant().attribute_map.values())
    assert len(fields) == 50
    seen: set[str] = set()
    for name in sorted(SCENARIOS):
        for seed in range(40):
            conv = run_scenario(name, WORLD, conversation_rng(seed, 1), T0)
            for p in to_conversation_json(conv)["participants"]:
                seen |= {k for k, v in p.items() if _filled(v)}
    assert fields - seen == set()
    assert set(MEDIA_KEYS.values()) <= seen


def test_every_scenario_runs_in_the_default_mix() -> None:
    mix = GeneratorOptions().mix
    assert set(mix) == set(SCENARIOS) and all(w > 0 for w in mix.values())
    names = {make_one(WORLD, 9, i, GeneratorOptions()).scenario for i in range(2000)}
    assert names == set(SCENARIOS)
