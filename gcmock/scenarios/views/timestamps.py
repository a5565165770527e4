"""The one timestamp format the API emits, formatted fast (bulk generation formats millions)."""

from __future__ import annotations

import time

__all__ = [
    "cached_iso",
    "iso",
]

_DAYS: dict[int, str] = {}
_CLOCK = tuple(
    f"T{h:02d}:{m:02d}:{s:02d}." for h in range(24) for m in range(60) for s in range(60)
)
_MILLIS = tuple(f"{m:03d}Z" for m in range(1000))
_RECENT: dict[int, str] = {}
_RECENT_MAX = 4096


def iso(ms: int) -> str:
    """Integer epoch ms -> ``yyyy-MM-ddTHH:mm:ss.SSSZ``, the only timestamp format we emit.

    Formatting is the hottest call of bulk generation: a conversation formats ~40 times but
    only ~8 distinct instants, so recent results are kept (bounded), and a miss is table
    look-ups: each day's date once, then precomputed ``THH:MM:SS.`` and ``SSSZ`` strings.
    """
    text = _RECENT.get(ms)
    if text is None:
        if len(_RECENT) >= _RECENT_MAX:
            _RECENT.clear()
        day, rest = divmod(ms, 86_400_000)
        date = _DAYS.get(day)
        if date is None:
            date = _DAYS[day] = time.strftime("%Y-%m-%d", time.gmtime(day * 86_400))
        text = _RECENT[ms] = date + _CLOCK[rest // 1000] + _MILLIS[rest % 1000]
    return text


cached_iso = _RECENT.get
"""``iso(ms)`` if it was formatted lately, else None: the hot loops try this before calling
:func:`iso` (the cache is only ever cleared, never replaced, so this stays bound to it)."""
