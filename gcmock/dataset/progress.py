"""A one-line progress bar with rate and ETA, for stderr when it is a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["Progress"]

_WIDTH = 24
_EVERY_S = 0.2


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


class Progress:
    """Counts conversations; redraws at most five times a second; silent when disabled."""

    def __init__(self, total: int, stream: TextIO | None = None, *, enabled: bool = True) -> None:
        self.total = total
        self.done = 0
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.started = time.monotonic()
        self._drawn = 0.0

    def advance(self, n: int) -> None:
        self.done += n
        now = time.monotonic()
        if self.enabled and (now - self._drawn >= _EVERY_S or self.done >= self.total):
            self._drawn = now
            self.stream.write("\r" + self.line(now - self.started))
            self.stream.flush()

    def line(self, elapsed: float) -> str:
        """``[#####-----]  41%  410,000/1,000,000  17.2k conv/s  ETA 0:00:34``."""
        frac = self.done / self.total if self.total else 1.0
        filled = int(frac * _WIDTH)
        rate = self.done / elapsed if elapsed > 0 else 0.0
        eta = _clock((self.total - self.done) / rate) if rate > 0 else "-:--:--"
        return (
            f"[{'#' * filled}{'-' * (_WIDTH - filled)}] {frac:4.0%}  "
            f"{self.done:,}/{self.total:,}  {rate / 1000:.1f}k conv/s  ETA {eta}"
        )

    def close(self) -> None:
        if self.enabled and self._drawn:
            self.stream.write("\n")
            self.stream.flush()
