"""What a dataset is: every option that decides its bytes, in one picklable value.

A :class:`DatasetSpec` travels to worker processes and Dask tasks; each builds (and caches) the
world from it, so any process given the same spec and index range produces the same bytes.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import Any

from gcmock.scenarios import SCENARIOS, Conversation, GeneratorOptions, World, build_world, generate
from gcmock.scenarios.library.generate import DEFAULT_START_MS
from gcmock.scenarios.simulation.day import DayResult, day_count, simulate_day
from gcmock.scenarios.world import LOCALES, SIZES

__all__ = [
    "FORMATS",
    "SHAPES",
    "DatasetSpec",
    "cached_world",
    "day_bounds",
    "shard_range",
    "simulated_day",
]

FORMATS = ("ndjson", "json", "parquet")
SHAPES = ("conversation", "call", "analytics")


@lru_cache(maxsize=4)
def cached_world(seed: int, size: str, locale: str) -> World:
    """One world per (seed, size, locale) per process: Faker runs once, not once per block."""
    return build_world(seed, size, locale)


def shard_range(count: int, index: int, shards: int) -> tuple[int, int]:
    """The contiguous index slice of shard ``index`` of ``shards`` (sizes differ by at most 1)."""
    if shards < 1 or not 0 <= index < shards:
        raise ValueError(f"shard must be I/N with 0 <= I < N, not {index}/{shards}")
    return count * index // shards, count * (index + 1) // shards


@dataclass(frozen=True, slots=True)
class DatasetSpec:
    """Dataset ``seed`` of ``count`` conversations: world, mix, arrival window and output form.

    ``mix`` is empty for the default contact-center blend. ``gzip`` compresses text output;
    ``tables`` writes flat warehouse tables instead of the nested shape (Parquet only).
    ``simulate`` makes it whole simulated days (:mod:`gcmock.scenarios.simulation.day`) from
    ``start_ms`` on, as many as ``count`` needs (the last one cut), instead of independent
    conversations spread over ``days``; blocks and shards then follow the days.
    """

    seed: int = 0
    count: int = 1000
    mix: tuple[tuple[str, float], ...] = ()
    start_ms: int = DEFAULT_START_MS
    days: float = 7.0
    world_size: str = "medium"
    locale: str = "en_US"
    shape: str = "conversation"
    format: str = "ndjson"
    tables: bool = False
    gzip: bool = False
    simulate: bool = False

    def __post_init__(self) -> None:
        problem = self._problem()
        if problem:
            raise ValueError(problem)

    def _problem(self) -> str | None:
        unknown = sorted({name for name, _ in self.mix} - set(SCENARIOS))
        checks = (
            (self.count < 0, f"count must be >= 0, not {self.count}"),
            (not self.days > 0, f"days must be > 0, not {self.days}"),
            (bool(unknown), f"unknown scenario {unknown[0] if unknown else ''!r}"),
            (self.world_size not in SIZES, f"unknown world size {self.world_size!r}"),
            (self.locale not in LOCALES, f"unknown locale {self.locale!r}"),
            (self.shape not in SHAPES, f"unknown shape {self.shape!r}"),
            (self.format not in FORMATS, f"unknown format {self.format!r}"),
            (self.tables and self.format != "parquet", "--tables needs --format parquet"),
            (
                self.format == "parquet" and self.shape != "conversation",
                f"--format parquet writes the conversation shape, not {self.shape}",
            ),
            (self.format == "parquet" and self.gzip, "Parquet is compressed already: drop .gz"),
        )
        return next((message for bad, message in checks if bad), None)

    def options(self) -> GeneratorOptions:
        """Generator options: arrivals spread over the window in index order."""
        mix = dict(self.mix) if self.mix else GeneratorOptions().mix
        return GeneratorOptions(mix=mix, start_ms=self.start_ms, days=self.days, count=self.count)

    def world(self) -> World:
        return cached_world(self.seed, self.world_size, self.locale)

    def conversations(self, start: int, stop: int) -> Iterator[Conversation]:
        """Conversations ``start`` .. ``stop - 1`` of this dataset."""
        if not self.simulate:
            return generate(self.world(), self.seed, start, stop, self.options())
        return self._simulated(start, stop)

    def _simulated(self, start: int, stop: int) -> Iterator[Conversation]:
        bounds = day_bounds(self)
        day = max(bisect_right(bounds, start) - 1, 0)
        while day < len(bounds) - 1 and bounds[day] < stop:
            lo = max(start, bounds[day]) - bounds[day]
            hi = min(stop, bounds[day + 1]) - bounds[day]
            yield from islice(simulated_day(self, day).conversations, lo, hi)
            day += 1

    def days_starting(self, start: int, stop: int) -> list[int]:
        """The simulated days whose first conversation is in ``[start, stop)``."""
        bounds = day_bounds(self)
        return [d for d in range(len(bounds) - 1) if start <= bounds[d] < stop]

    def day_ranges(self, start: int, stop: int) -> Iterator[tuple[int, int]]:
        """``[start, stop)`` cut at the simulated days' boundaries (the blocks of a simulated
        dataset: a worker simulates a day once)."""
        lo = start
        for cut in day_bounds(self)[1:]:
            if cut > lo:
                hi = min(cut, stop)
                yield lo, hi
                lo = hi
            if lo >= stop:
                return

    def shard(self, index: int, shards: int) -> tuple[int, int]:
        """The index slice of shard ``index`` of ``shards``: whole days when simulated."""
        if not self.simulate:
            return shard_range(self.count, index, shards)
        bounds = day_bounds(self)
        days = len(bounds) - 1
        first, last = shard_range(days, index, shards)
        return bounds[first], bounds[last]

    def describe(self) -> dict[str, Any]:
        """The spec as manifest JSON."""
        return {
            "seed": self.seed,
            "count": self.count,
            "mix": dict(self.mix) if self.mix else "default",
            "start": self.start_ms,
            "days": self.days,
            "worldSize": self.world_size,
            "locale": self.locale,
            "shape": self.shape,
            "format": self.format,
            "tables": self.tables,
            "gzip": self.gzip,
            **({"simulate": "day"} if self.simulate else {}),
        }


@lru_cache(maxsize=8)
def day_bounds(spec: DatasetSpec) -> list[int]:
    """Where each simulated day starts in the dataset's index order, and the count last."""
    bounds = [0]
    world, options = spec.world(), spec.options()
    while bounds[-1] < spec.count:
        day = len(bounds) - 1
        bounds.append(min(bounds[-1] + day_count(world, spec.seed, day, options), spec.count))
    if len(bounds) == 1:
        bounds.append(0)
    return bounds


@lru_cache(maxsize=2)
def simulated_day(spec: DatasetSpec, day: int) -> DayResult:
    """Day ``day`` simulated (kept for the next block of the same day)."""
    return simulate_day(spec.world(), spec.seed, day, spec.options())
