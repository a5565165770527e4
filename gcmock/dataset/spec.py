"""What a dataset is: every option that decides its bytes, in one picklable value.

A :class:`DatasetSpec` travels to worker processes and Dask tasks; each builds (and caches) the
world from it, so any process given the same spec and index range produces the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from gcmock.scenarios import SCENARIOS, Conversation, GeneratorOptions, World, build_world, generate
from gcmock.scenarios.library.generate import DEFAULT_START_MS
from gcmock.scenarios.world import LOCALES, SIZES

__all__ = ["FORMATS", "SHAPES", "DatasetSpec", "cached_world", "shard_range"]

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
        return generate(self.world(), self.seed, start, stop, self.options())

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
        }
