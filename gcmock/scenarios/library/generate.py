"""The random generator: conversation ``i`` of a dataset is a pure function of (seed, i, options).

Its random stream comes from a BLAKE2b hash of (seed, i), never from Python's ``hash()``, the
wall clock or a shared generator, so a conversation does not depend on how many were generated,
in which order, or in which process. Its start time follows the intraday and weekday profile of
:mod:`.arrivals`; when the dataset size is known (``GeneratorOptions.count``) conversation ``i``
starts at the ``(i + u) / count`` quantile, so index order is time order.
"""

from __future__ import annotations

import hashlib
import random
from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from ..engine.model import Conversation
from ..world import World
from .arrivals import UTC_OFFSET_MINUTES, arrivals
from .registry import SCENARIOS, run_scenario

__all__ = [
    "DEFAULT_START_MS",
    "GeneratorOptions",
    "conversation_rng",
    "generate",
    "make_one",
    "maker",
    "parse_mix",
    "pick_scenario",
]

DEFAULT_START_MS = 1_793_491_200_000
"""2026-11-01T00:00:00.000Z: the default dataset window start."""


def conversation_rng(seed: int, index: int, salt: str = "conversation") -> random.Random:
    """The independent random stream of conversation ``index`` of dataset ``seed``."""
    digest = hashlib.blake2b(f"{salt}:{seed}:{index}".encode(), digest_size=16).digest()
    return random.Random(int.from_bytes(digest, "big"))


def parse_mix(text: str) -> dict[str, float]:
    """``"inbound_answered=55,voicemail=2"`` -> weights (a bare name weighs 1).

    Any problem raises one ``ValueError`` line that names it and lists the valid names.
    """
    mix: dict[str, float] = {}
    problem = None
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        name, sep, weight = (x.strip() for x in part.partition("="))
        try:
            w = float(weight) if sep else 1.0
        except ValueError:
            w = float("nan")
        if name not in SCENARIOS:
            problem = f"unknown scenario {name!r}"
        elif not 0 <= w < float("inf"):
            problem = f"bad weight in {part!r} (a number >= 0)"
        else:
            mix[name] = w
            continue
        break
    if problem is None and sum(mix.values()) <= 0:
        problem = "no scenario has a positive weight"
    if problem is not None:
        raise ValueError(f"{problem}; valid names: {', '.join(sorted(SCENARIOS))}")
    return mix


@dataclass(frozen=True)
class GeneratorOptions:
    mix: Mapping[str, float] = field(
        default_factory=lambda: {name: s.weight for name, s in SCENARIOS.items()}
    )
    start_ms: int = DEFAULT_START_MS
    days: float = 7.0
    horizon_ms: int | None = None
    """Stop every script at this time: conversations still running then stay live."""
    count: int | None = None
    """The dataset size: conversation ``i`` then starts at the ``(i + u) / count`` quantile of
    the arrival profile (index order is time order); ``None`` draws each start independently."""
    utc_offset_minutes: int | None = None
    """Local time of the contact center; ``None`` takes the world locale's (``arrivals``)."""


class _Picker:
    def __init__(self, mix: Mapping[str, float]) -> None:
        self.names = sorted(n for n, w in mix.items() if w > 0)
        total = sum(mix[n] for n in self.names)
        acc = 0.0
        self.cum: list[float] = []
        for n in self.names:
            acc += mix[n] / total
            self.cum.append(acc)

    def pick(self, u: float) -> str:
        """The first scenario whose cumulative share exceeds ``u`` (the last one if none)."""
        return self.names[min(bisect_right(self.cum, u), len(self.names) - 1)]


def pick_scenario(rng: random.Random, mix: Mapping[str, float]) -> str:
    return _Picker(mix).pick(rng.random())


def make_one(world: World, seed: int, index: int, options: GeneratorOptions) -> Conversation:
    """Conversation ``index``: its scenario, start time and content come from its own stream."""
    return maker(world, options)(seed, index)


def maker(world: World, options: GeneratorOptions) -> Callable[[int, int], Conversation]:
    """``make(seed, index)`` = :func:`make_one` with the per-run work (scenario picker, arrival
    profile) done once, for callers that make many conversations one by one."""
    return _Plan(world, options).make


class _Plan:
    """What every conversation of a run shares: the scenario picker and the arrival profile."""

    def __init__(self, world: World, options: GeneratorOptions) -> None:
        self.world = world
        self.picker = _Picker(options.mix)
        offset = options.utc_offset_minutes
        if offset is None:
            offset = UTC_OFFSET_MINUTES.get(world.locale, 0)
        self.arrivals = arrivals(options.start_ms, int(options.days * 86_400_000), offset)
        self.count = options.count
        self.horizon = options.horizon_ms

    def make(self, seed: int, index: int) -> Conversation:
        rng = conversation_rng(seed, index)
        name = self.picker.pick(rng.random())
        u = rng.random()
        count = self.count
        start = self.arrivals.at(u) if count is None else self.arrivals.nth(index, count, u)
        return run_scenario(name, self.world, rng, start, horizon=self.horizon)


def generate(
    world: World,
    seed: int,
    start: int = 0,
    stop: int | None = None,
    options: GeneratorOptions | None = None,
) -> Iterator[Conversation]:
    """Conversations ``start`` .. ``stop - 1`` of dataset ``seed`` (endless without ``stop``)."""
    plan = _Plan(world, options or GeneratorOptions())
    i = start
    while stop is None or i < stop:
        yield plan.make(seed, i)
        i += 1
