"""When conversations arrive: an intraday and weekday profile over the dataset window.

Contact centers are busiest from 9:00 to 17:00 local time on weekdays, quiet at night and on
weekends. The profile is a piecewise-constant arrival rate per local hour; :class:`Arrivals`
integrates it over the window once, so turning a quantile into a time is a bisection.

Local time is a fixed UTC offset per world locale (standard time, no daylight saving): tz
databases change between releases, and the same seed must give the same bytes everywhere.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "HOURLY_WEEKDAY",
    "HOURLY_WEEKEND",
    "UTC_OFFSET_MINUTES",
    "WEEKDAY_FACTOR",
    "Arrivals",
    "arrivals",
    "rate",
]

HOUR_MS = 3_600_000
DAY_MS = 86_400_000

HOURLY_WEEKDAY = (
    *(0.06, 0.04, 0.03, 0.03, 0.04, 0.08, 0.20, 0.45),
    *(0.80, 1.00, 1.00, 0.95, 0.85, 0.90, 0.95, 0.90),
    *(0.80, 0.55, 0.38, 0.28, 0.20, 0.14, 0.10, 0.08),
)
"""Relative arrival rate per local hour (0-23) on a weekday; the peak is 10:00-11:00."""

HOURLY_WEEKEND = (
    *(0.05, 0.03, 0.03, 0.03, 0.03, 0.05, 0.08, 0.14),
    *(0.22, 0.30, 0.34, 0.35, 0.34, 0.33, 0.32, 0.30),
    *(0.27, 0.22, 0.18, 0.15, 0.12, 0.10, 0.08, 0.06),
)
"""Relative arrival rate per local hour on Saturday and Sunday: flatter and about a third."""

WEEKDAY_FACTOR = (1.15, 1.05, 1.0, 1.0, 0.95, 1.0, 0.85)
"""Monday .. Sunday: Mondays are busiest, Sundays quieter than Saturdays."""

UTC_OFFSET_MINUTES = {"en_US": -360, "en_GB": 0, "de_DE": 60, "fr_FR": 60, "ja_JP": 540}
"""The local time of a world's contact center: US Central, London, Berlin, Paris, Tokyo."""


def rate(local_ms: int) -> float:
    """The relative arrival rate at a local time (epoch ms shifted by the UTC offset)."""
    day, rest = divmod(local_ms, DAY_MS)
    weekday = (day + 3) % 7  # 1970-01-01 was a Thursday; Monday is 0
    hourly = HOURLY_WEEKDAY if weekday < 5 else HOURLY_WEEKEND
    return hourly[rest // HOUR_MS] * WEEKDAY_FACTOR[weekday]


@dataclass(frozen=True, slots=True)
class Arrivals:
    """The arrival-time distribution over ``[start_ms, start_ms + span_ms)``.

    ``bounds[k]`` is where bucket ``k`` (one local hour, cut at the window's edges) starts and
    ``cum[k]`` the probability of arriving before it; ``bounds[-1]`` is the window's end.
    """

    start_ms: int
    span_ms: int
    bounds: tuple[int, ...]
    cum: tuple[float, ...]

    def at(self, q: float) -> int:
        """The ``q``-quantile (``0 <= q < 1``) in integer ms: non-decreasing in ``q``, and every
        result lies inside the window (the bucket offset is clamped, so float rounding cannot
        carry a time into the next bucket)."""
        if self.span_ms <= 0:
            return self.start_ms
        cum = self.cum
        last = len(self.bounds) - 2
        k = min(max(bisect_right(cum, q) - 1, 0), last)
        length = self.bounds[k + 1] - self.bounds[k]
        width = cum[k + 1] - cum[k]
        frac = (q - cum[k]) / width if width > 0 else 0.0
        return self.bounds[k] + min(max(int(frac * length), 0), length - 1)

    def nth(self, index: int, count: int, u: float) -> int:
        """Arrival of conversation ``index`` of ``count``: the ``(index + u) / count`` quantile.

        With ``0 <= u < 1`` drawn per conversation, index order is time order, so a contiguous
        slice of indices is a contiguous stretch of time and shards concatenate in order.
        """
        return self.at((index + u) / count)


@lru_cache(maxsize=32)
def arrivals(start_ms: int, span_ms: int, utc_offset_minutes: int) -> Arrivals:
    """The (cached) distribution for a window and a local time offset."""
    offset = utc_offset_minutes * 60_000
    end = start_ms + max(span_ms, 0)
    bounds = [start_ms]
    weights: list[float] = []
    t = start_ms
    while t < end:
        nxt = min(t - (t + offset) % HOUR_MS + HOUR_MS, end)
        weights.append(rate(t + offset) * (nxt - t))
        bounds.append(nxt)
        t = nxt
    total = sum(weights)
    cum = [0.0]
    acc = 0.0
    for w in weights:
        acc += w
        cum.append(acc / total)
    return Arrivals(start_ms, max(span_ms, 0), tuple(bounds), tuple(cum))
