"""Rules across a whole dataset about the people in it, not one conversation at a time.

``user.overlap``: no user's interactions overlap beyond their utilization. Each agent or user
leg of a conversation occupies its user with one interaction of its media from its start to
the end of its after-call work; at every start the work already in progress plus the new one
must fit (``fits``, the engine's ``can_take``: the caller hands it in, so the rule lives once).
Legs starting at the same instant are taken in the order the platform can offer them (email,
then chats and messages, then voice).

``user.timeline``: with the users' routing-status timelines given, every agent leg lies inside
one stretch of INTERACTING (which implies On Queue) of its user.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .rules import Violation
from .vocabulary import time_of

__all__ = ["MEDIA_OF_KEY", "UserRules"]

MEDIA_OF_KEY = {
    "calls": "call",
    "callbacks": "callback",
    "chats": "chat",
    "emails": "email",
    "messages": "message",
}
"""The participant JSON's media lists that take capacity, and the utilization media of each."""

_TIE_ORDER = {"email": 0, "chat": 1, "message": 1, "callback": 2, "call": 2}

Fits = Callable[[str, Mapping[str, int]], bool]
Leg = tuple[int, int, int, str, str, str, bool]
"""(start, tie rank, end, media, conversation id, participant id, is an agent leg)."""


def _leg(conv_id: str, p: Mapping[str, Any]) -> Leg | None:
    media = next((m for key, m in MEDIA_OF_KEY.items() if p.get(key)), None)
    start = time_of(p, "startTime")
    if media is None or start is None:
        return None
    ends = [time_of(p, "endTime"), time_of(p, "endAcwTime")]
    wrapup = p.get("wrapup")
    if isinstance(wrapup, Mapping):
        ends.append(time_of(wrapup, "endTime"))
    end = max((e for e in ends if e is not None), default=start)
    agent = p.get("purpose") == "agent"
    return (start, _TIE_ORDER[media], max(end, start), media, conv_id, str(p.get("id")), agent)


class UserRules:
    """Collects every user's legs conversation by conversation; :meth:`finish` judges them."""

    def __init__(self, fits: Fits, routing: Mapping[str, Sequence[Sequence[Any]]] | None = None):
        self.fits = fits
        self.routing = routing
        self.legs: dict[str, list[Leg]] = {}

    def add(self, conversation: Mapping[str, Any]) -> None:
        cid = str(conversation.get("id", ""))
        for p in conversation.get("participants") or ():
            if not isinstance(p, Mapping) or p.get("purpose") not in ("agent", "user"):
                continue
            user = p.get("userId")
            leg = _leg(cid, p) if isinstance(user, str) else None
            if leg is not None:
                self.legs.setdefault(str(user), []).append(leg)

    def finish(self) -> list[Violation]:
        found: list[Violation] = []
        for user, legs in self.legs.items():
            legs.sort()
            found.extend(self._overlaps(user, legs))
            if self.routing is not None:
                found.extend(self._outside(user, legs))
        return found

    def _overlaps(self, user: str, legs: list[Leg]) -> list[Violation]:
        found = []
        active: list[Leg] = []
        for leg in legs:
            start, _, _, media, cid, pid, _ = leg
            active = [a for a in active if a[2] > start]
            load: dict[str, int] = {}
            for a in active:
                load[a[3]] = load.get(a[3], 0) + 1
            if not self.fits(media, load):
                others = ", ".join(sorted({a[4] for a in active}))
                found.append(
                    Violation(
                        cid,
                        pid,
                        "user.overlap",
                        f"user {user} takes a {media} while busy with {load} (in {others})",
                    )
                )
            active.append(leg)
        return found

    def _outside(self, user: str, legs: list[Leg]) -> list[Violation]:
        assert self.routing is not None
        spans: list[list[int]] = []
        for start, end, status, *_ in self.routing.get(user, ()):
            if status != "INTERACTING":
                continue
            if spans and spans[-1][1] >= start:
                spans[-1][1] = max(spans[-1][1], end)
            else:
                spans.append([start, end])
        starts = [s for s, _ in spans]
        found = []
        for start, _, end, _, cid, pid, agent in legs:
            k = bisect_right(starts, start) - 1
            if agent and not (k >= 0 and end <= spans[k][1]):
                found.append(
                    Violation(
                        cid,
                        pid,
                        "user.timeline",
                        f"user {user} works on it outside an On Queue/INTERACTING span",
                    )
                )
        return found
