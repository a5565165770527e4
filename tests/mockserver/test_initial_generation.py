"""The conversations a server starts with: a script stopped before its conversation exists is
skipped, a script that fails is an error, never a silent skip."""

from __future__ import annotations

import random

import pytest

from gcmock.mockserver import ServerConfig
from gcmock.mockserver.state import generated
from gcmock.scenarios import build_world
from gcmock.scenarios.engine.model import Conversation
from gcmock.scenarios.library.context import ScriptContext, StartsAfterHorizon
from gcmock.scenarios.library.registry import SCENARIOS, Scenario, run_scenario

from .conftest import T0

WORLD = build_world(3, "small")


def _broken(ctx: ScriptContext) -> Conversation:
    raise ValueError("a scenario bug: queue index out of range")


def _config(name: str) -> ServerConfig:
    return ServerConfig(
        seed=3,
        conversations=20,
        world_size="small",
        start_ms=T0,
        mix=(("inbound_answered", 1.0), (name, 1.0)),
    )


def test_a_failing_scenario_surfaces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(SCENARIOS, "broken", Scenario("broken", "fails", "call", 1.0, _broken))
    with pytest.raises(ValueError, match="a scenario bug"):
        list(generated(_config("broken"), WORLD, T0))


def test_a_scenario_starting_after_the_horizon_is_skipped() -> None:
    with pytest.raises(StartsAfterHorizon):
        run_scenario("inbound_answered", WORLD, random.Random(1), T0, horizon=T0 - 1)
    made = list(generated(_config("inbound_answered"), WORLD, T0))
    assert len(made) == 20
    assert all(c.start < T0 for c in made)
