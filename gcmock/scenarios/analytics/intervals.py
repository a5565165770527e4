"""ISO-8601 intervals, durations and instants of a query body, as epoch milliseconds."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

from .vocabulary import QueryError

__all__ = [
    "duration_ms",
    "instant_ms",
    "parse_interval",
]

_DURATION = re.compile(
    r"P(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?"
)


def duration_ms(text: str, path: str) -> int:
    """An ISO-8601 duration (weeks to seconds) as a positive number of ms."""
    m = _DURATION.fullmatch(text)
    if m is None or text in ("P", "PT") or text.endswith("T"):
        raise QueryError(
            path, f"{text!r} is not an ISO-8601 duration in weeks, days, hours, minutes, seconds"
        )
    g = {k: float(v) if v else 0.0 for k, v in m.groupdict().items()}
    ms = int(((((g["w"] * 7 + g["d"]) * 24 + g["h"]) * 60 + g["m"]) * 60 + g["s"]) * 1000)
    if ms <= 0:
        raise QueryError(path, f"duration {text!r} must be positive")
    return ms


def instant_ms(text: str, path: str) -> int:
    """An ISO-8601 date-time as epoch ms (UTC when it names no zone)."""
    try:
        t = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        raise QueryError(path, f"{text!r} is not an ISO-8601 date-time") from None
    if t.tzinfo is None:
        t = t.replace(tzinfo=timezone.utc)
    return int(t.timestamp() * 1000)


def parse_interval(value: Any, path: str = "interval") -> tuple[int, int]:
    """``start/end`` (either may be a duration) -> (start ms, end ms), half-open."""
    if not isinstance(value, str) or value.count("/") != 1:
        raise QueryError(path, "must be an ISO-8601 interval such as 2026-11-01T00:00:00Z/P1D")
    left, right = value.split("/")
    if left.startswith("P") and right.startswith("P"):
        raise QueryError(path, "needs at least one date-time")
    if left.startswith("P"):
        end = instant_ms(right, path)
        start = end - duration_ms(left, path)
    else:
        start = instant_ms(left, path)
        end = start + duration_ms(right, path) if right.startswith("P") else instant_ms(right, path)
    if end <= start:
        raise QueryError(path, "the interval end must be after its start")
    return start, end
