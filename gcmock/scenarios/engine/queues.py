"""A queue's live state: who waits in it, how long its interactions take, and how long a new
(or a given) interaction can expect to wait.

The estimate is the platform's simple formula in spirit: the agents free now take the first
waiting interactions at once; every staffed agent (On Queue, not necessarily free) then frees up
once per average handle time, so the ``k``-th interaction beyond the free agents waits
``k * handle / staffed``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from .model import Conversation, Participant

__all__ = ["DEFAULT_HANDLE_MS", "estimated_wait_ms", "handle_ms", "waiting_in"]

DEFAULT_HANDLE_MS = 300_000
"""The handle time assumed for a queue none of whose interactions has finished yet."""


def _queued_since(conv: Conversation, queue_id: str) -> int | None:
    for p in conv.participants:
        if p.purpose == "acd" and p.active and p.queue_id == queue_id:
            return p.start
    return None


def waiting_in(conversations: Iterable[Conversation], queue_id: str) -> list[Conversation]:
    """The conversations waiting in the queue now, longest waiting first."""
    found = [(s, c.id, c) for c in conversations if (s := _queued_since(c, queue_id)) is not None]
    return [c for _, _, c in sorted(found, key=lambda x: (x[0], x[1]))]


def _handled_ms(p: Participant) -> int | None:
    connected, end = p.connected, p.end
    if connected is None or end is None or p.in_acw:
        return None
    return max(end, p.acw_end or 0) - connected


def handle_ms(conversations: Iterable[Conversation], queue_id: str) -> int:
    """Mean talk, hold and wrap-up time of the queue's finished agent legs in
    ``conversations`` (``DEFAULT_HANDLE_MS`` when there is none)."""
    total = count = 0
    for conv in conversations:
        for p in conv.participants:
            if p.purpose == "agent" and p.queue_id == queue_id:
                handled = _handled_ms(p)
                if handled is not None:
                    total += handled
                    count += 1
    return total // count if count else DEFAULT_HANDLE_MS


def estimated_wait_ms(ahead: int, free: int, staffed: int, handle: int) -> int | None:
    """The wait of an interaction with ``ahead`` others before it, ``free`` agents free now and
    ``staffed`` On Queue; None when nobody is On Queue (no estimate can be made)."""
    if free > ahead:
        return 0
    if staffed == 0:
        return None
    return math.ceil((ahead - free + 1) * handle / staffed)
