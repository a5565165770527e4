"""The random generator: conversation ``i`` of a dataset is a pure function of (seed, i, options).

Its random stream comes from a BLAKE2b hash of (seed, i), never from Python's ``hash()``, the
wall clock or a shared generator, so a conversation does not depend on how many were generated,
in which order, or in which process.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from .library import SCENARIOS, run_scenario
from .model import Conversation
from .world import World

__all__ = [
    "DEFAULT_START_MS",
    "GeneratorOptions",
    "conversation_rng",
    "generate",
    "make_one",
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
    """``"inbound_answered=55,voicemail=2"`` -> weights; unknown names and bad weights raise."""
    mix: dict[str, float] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        name, sep, weight = part.partition("=")
        name = name.strip()
        if name not in SCENARIOS:
            raise ValueError(
                f"unknown scenario {name!r}; valid names: {', '.join(sorted(SCENARIOS))}"
            )
        try:
            w = float(weight) if sep else 1.0
        except ValueError:
            raise ValueError(f"weight of {name} must be a number, not {weight!r}") from None
        if not w >= 0 or w == float("inf"):
            raise ValueError(f"weight of {name} must be a finite number >= 0, not {weight}")
        mix[name] = w
    if not mix or sum(mix.values()) <= 0:
        raise ValueError("the mix needs at least one scenario with a positive weight")
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
        for name, c in zip(self.names, self.cum, strict=True):
            if u < c:
                return name
        return self.names[-1]


def pick_scenario(rng: random.Random, mix: Mapping[str, float]) -> str:
    return _Picker(mix).pick(rng.random())


def make_one(world: World, seed: int, index: int, options: GeneratorOptions) -> Conversation:
    """Conversation ``index``: its scenario, start time and content come from its own stream."""
    return _make(world, seed, index, options, _Picker(options.mix))


def _make(
    world: World, seed: int, index: int, options: GeneratorOptions, picker: _Picker
) -> Conversation:
    rng = conversation_rng(seed, index)
    name = picker.pick(rng.random())
    span = int(options.days * 86_400_000)
    start = options.start_ms + int(rng.random() * span)
    return run_scenario(name, world, rng, start, horizon=options.horizon_ms)


def generate(
    world: World,
    seed: int,
    start: int = 0,
    stop: int | None = None,
    options: GeneratorOptions | None = None,
) -> Iterator[Conversation]:
    """Conversations ``start`` .. ``stop - 1`` of dataset ``seed`` (endless without ``stop``)."""
    options = options or GeneratorOptions()
    picker = _Picker(options.mix)
    i = start
    while stop is None or i < stop:
        yield _make(world, seed, i, options, picker)
        i += 1
