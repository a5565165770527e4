"""glibc heap settings: keep freed memory while writing dataset blocks, and few malloc arenas
in the server.

A block is about a thousand JSON documents (~8 MB) that live until they are written, then
are freed together. glibc hands the top of its heap back to the kernel as soon as more than
128 KB is free, so every block faulted its pages in again: about a fault per 4 KB written,
a tenth of a generating process's CPU time. Raising the thresholds once keeps that memory
(the process stays at the size it already reached) and the faults go away.

The server's threads (waitress's workers, the admin pool, the streaming listener) each get a
malloc arena of their own by default, and memory freed in one arena is not reused by the
others: under a mixed load, RSS grew by a third over ten minutes with every Python structure
flat. The threads mostly take turns under the GIL, so two arenas are enough for them.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from collections.abc import Callable

__all__ = ["few_arenas", "keep_freed_memory"]

_M_TRIM_THRESHOLD = -1
_M_TOP_PAD = -2
_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8
SERVER_ARENAS = 2
_SETTINGS = ((_M_TRIM_THRESHOLD, 64 << 20), (_M_TOP_PAD, 16 << 20), (_M_MMAP_THRESHOLD, 4 << 20))
"""Return the heap's top only past 64 MB free, grow it 16 MB at a time, and serve blocks up to
4 MB from the heap rather than from ``mmap`` (fixed values also stop glibc's own tuning)."""


def keep_freed_memory() -> None:
    """Apply :data:`_SETTINGS` with glibc's ``mallopt``; a no-op elsewhere (macOS, musl...)."""
    mallopt = _mallopt()
    if mallopt is not None:
        for param, value in _SETTINGS:
            mallopt(param, value)


def few_arenas(count: int = SERVER_ARENAS) -> bool:
    """At most ``count`` malloc arenas for the threads started from now on; whether glibc
    took the setting (False elsewhere)."""
    mallopt = _mallopt()
    return mallopt is not None and mallopt(_M_ARENA_MAX, count) == 1


def _mallopt() -> Callable[[int, int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    name = ctypes.util.find_library("c")
    try:
        mallopt = ctypes.CDLL(name).mallopt if name else None
    except (OSError, AttributeError):
        mallopt = None
    if mallopt is None:
        return None
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    found: Callable[[int, int], int] = mallopt
    return found
