"""The scenario registry: a script decorated with ``@scenario`` anywhere is a scenario everywhere,
with no central list to edit (see "Adding a scenario" in ``gcmock.scenarios.library.registry``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from gcmock.scenarios import (
    SCENARIOS,
    Conversation,
    GeneratorOptions,
    build_world,
    conversation_rng,
    parse_mix,
    run_scenario,
    to_conversation_json,
    validate,
)
from gcmock.scenarios.engine import control
from gcmock.scenarios.library.blocks import connect_agent, end_and_wrap, inbound
from gcmock.scenarios.library.context import ScriptContext
from gcmock.scenarios.library.registry import scenario

NAME = "test_only_flagged_call"
T0 = GeneratorOptions().start_ms


def _flagged_call(ctx: ScriptContext) -> Conversation:
    """What a newcomer writes: an answered call the agent flags, built from the shared steps."""
    conv, queue = inbound(ctx)
    ctx.at(ctx.queue_wait())
    agent = connect_agent(ctx, conv, queue)
    control.flag(conv, agent.id, ctx.at(ctx.uniform(5, 30)))
    end_and_wrap(ctx, conv)
    return conv


@pytest.fixture
def registered() -> Iterator[None]:
    scenario(NAME, "An answered call the agent flags.", weight=2)(_flagged_call)
    try:
        yield
    finally:
        del SCENARIOS[NAME]


def test_a_scenario_registered_outside_the_library_runs_everywhere(registered: None) -> None:
    assert list(SCENARIOS)[-1] == NAME
    assert SCENARIOS[NAME].weight == 2 and SCENARIOS[NAME].media == "call"
    assert GeneratorOptions().mix[NAME] == 2
    assert parse_mix(f"{NAME}=1") == {NAME: 1.0}
    conv = run_scenario(NAME, build_world(3), conversation_rng(5, 0), T0)
    assert conv.scenario == NAME
    assert [str(v) for v in validate(to_conversation_json(conv), skew_ms=0)] == []
    assert any(p.flagged_reason == "general" for p in conv.participants)


def test_a_scenario_name_is_registered_once(registered: None) -> None:
    with pytest.raises(ValueError, match="already registered"):
        scenario(NAME, "a second script under the same name")(_flagged_call)
    assert SCENARIOS[NAME].script is _flagged_call


def test_the_library_registers_its_scenarios_in_family_order() -> None:
    """The library package imports the families; their first scenarios come in that order."""
    names = list(SCENARIOS)
    firsts = ["inbound_answered", "outbound", "blind_transfer_to_agent", "monitored", "callback"]
    assert [names.index(n) for n in firsts] == sorted(names.index(n) for n in firsts)
    assert NAME not in SCENARIOS
