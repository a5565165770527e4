"""The scenario registry: a script becomes a named scenario with ``@scenario(...)``, and
:func:`run_scenario` runs one by name.

Adding a scenario
-----------------
1. Write the script in the family module it belongs to (``inbound``, ``outbound``, ``transfers``,
   ``supervised``, ``callbacks``, ``digital``): a function of a :class:`ScriptContext` returning
   the conversation, decorated with ``@scenario(name, description, media=..., weight=...)``.
   Build it from the engine operations and the shared steps of :mod:`.blocks`; draw every choice
   and delay from ``ctx`` and pass every time through ``ctx.at(...)``, so the horizon can stop it.
2. Add its test: it runs under ``tests/scenarios/test_scenarios.py``'s checks for every
   registered scenario (valid JSON, deterministic, horizon-safe) without being listed there;
   test what is particular to it next to them.

Nothing else names it: the decorator registers it, the generator's default mix gives it
``weight``, and ``gcmock generate --mix`` and the ``gc_conversation`` factory accept its name.
The order of :data:`SCENARIOS` is the order the family modules are imported in (the library
package's ``__init__``) and the order of the scripts inside them; a new family module is one
import line there.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from ..engine.model import Conversation
from ..world import World
from .context import Horizon, Pins, ScriptContext

__all__ = ["SCENARIOS", "Scenario", "Script", "run_scenario", "scenario"]

Script = Callable[[ScriptContext], Conversation]


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    description: str
    media: str
    weight: float
    """Share in the default contact-center mix (relative)."""
    script: Script


SCENARIOS: dict[str, Scenario] = {}


def scenario(
    name: str, description: str, media: str = "call", weight: float = 1.0
) -> Callable[[Script], Script]:
    """Register the decorated script as scenario ``name``; a name is registered once."""

    def register(fn: Script) -> Script:
        if name in SCENARIOS:
            raise ValueError(f"scenario {name!r} is already registered")
        SCENARIOS[name] = Scenario(name, description, media, weight, fn)
        return fn

    return register


def run_scenario(
    name: str,
    world: World,
    rng: random.Random,
    start: int,
    *,
    horizon: int | None = None,
    conversation_id: str | None = None,
    pins: Pins | None = None,
) -> Conversation:
    """Run scenario ``name`` from ``start``; stop before any operation later than ``horizon``."""
    try:
        scenario = SCENARIOS[name]
    except KeyError:
        raise KeyError(
            f"unknown scenario {name!r}; valid names: {', '.join(sorted(SCENARIOS))}"
        ) from None
    ctx = ScriptContext(world, rng, start, horizon, conversation_id, pins)
    try:
        conv = scenario.script(ctx)
    except Horizon:
        if ctx.conversation is None:
            raise ValueError(f"scenario {name} starts after the horizon") from None
        conv = ctx.conversation
    conv.scenario = name
    return conv
