"""The server's clock: real by default, frozen/set/advanced through the admin API.

The engine never asks for the time; every write happens at ``Clock.now()``, so a frozen clock
makes a test's whole run deterministic.
"""

from __future__ import annotations

import threading
import time

__all__ = ["MAX_EPOCH_MS", "Clock", "wall_ms"]

MAX_EPOCH_MS = 253_402_300_799_999
"""9999-12-31T23:59:59.999Z: the last instant the timestamp format can show; a running clock
stops there."""


def wall_ms() -> int:
    return time.time_ns() // 1_000_000


class Clock:
    """Epoch milliseconds: the wall clock shifted by an offset, or a frozen instant."""

    def __init__(self, start_ms: int | None = None, *, frozen: bool = False) -> None:
        self._lock = threading.Lock()
        now = wall_ms()
        self._offset = 0 if start_ms is None else start_ms - now
        self._frozen: int | None = (start_ms if start_ms is not None else now) if frozen else None

    def now(self) -> int:
        frozen = self._frozen
        return frozen if frozen is not None else min(wall_ms() + self._offset, MAX_EPOCH_MS)

    @property
    def frozen(self) -> bool:
        return self._frozen is not None

    def freeze(self) -> None:
        """Stop time at the current instant."""
        with self._lock:
            if self._frozen is None:
                self._frozen = wall_ms() + self._offset

    def unfreeze(self) -> None:
        """Let time run on from the frozen instant."""
        with self._lock:
            if self._frozen is not None:
                self._offset = self._frozen - wall_ms()
                self._frozen = None

    def set(self, at_ms: int) -> None:
        """Jump to ``at_ms``; a frozen clock stays frozen there, a running one runs on from it."""
        with self._lock:
            if self._frozen is not None:
                self._frozen = at_ms
            else:
                self._offset = at_ms - wall_ms()

    def advance(self, by_ms: int) -> None:
        with self._lock:
            if self._frozen is not None:
                self._frozen += by_ms
            else:
                self._offset += by_ms
