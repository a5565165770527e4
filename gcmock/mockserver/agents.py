"""The served org's agents beside the store's conversations.

The rules are the engine's (:mod:`gcmock.scenarios.engine.roster`); this keeps what they need
that the live conversations alone do not hold: the roster of presences, each user's last
finished leg and last ring-out (their conversations may have settled since), when a
NOT_RESPONDING spell ends (a wake-up for the store's clock), and the last state told to
listeners, so a change is announced once. The store's lock guards it.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable

from gcmock.scenarios import Conversation, World
from gcmock.scenarios.engine.roster import (
    NOT_RESPONDING_MS,
    AgentStatus,
    Roster,
    Work,
    leg_history,
    work_of,
)

__all__ = ["AgentChange", "Agents"]

AgentChange = tuple[AgentStatus | None, AgentStatus]
"""(before, after) of a user whose presence or routing status changed."""


def _later(a: int | None, b: int | None) -> int | None:
    if a is None:
        return b
    return a if b is None else max(a, b)


class Agents:
    def __init__(self, world: World, at: int) -> None:
        self.roster = Roster(world, at)
        self._history: dict[str, tuple[int | None, int | None]] = {}
        self._wakes: list[tuple[int, str]] = []
        self._told: dict[str, AgentStatus] = {}
        self._changes: list[AgentChange] = []

    def forget_conversations(self) -> None:
        """The conversations were replaced: their history goes, the presences people set stay."""
        self._history = {}
        self._wakes = []

    def record(self, conv: Conversation) -> set[str]:
        """Take in ``conv``'s finished legs; the users whose history moved."""
        moved: set[str] = set()
        for user, (ended, rang) in leg_history(conv).items():
            before = self._history.get(user, (None, None))
            after = (_later(before[0], ended), _later(before[1], rang))
            if after != before:
                self._history[user] = after
                moved.add(user)
                if after[1] != before[1] and after[1] is not None:
                    heapq.heappush(self._wakes, (after[1] + NOT_RESPONDING_MS, user))
        return moved

    def work(self, user_id: str, conversations: Iterable[Conversation]) -> Work:
        idle, rang = self._history.get(user_id, (None, None))
        return work_of(user_id, conversations, idle, rang)

    @property
    def next_wake(self) -> int | None:
        return self._wakes[0][0] if self._wakes else None

    def woken(self, now: int) -> set[str]:
        """Users whose NOT_RESPONDING spell ended by ``now``."""
        out: set[str] = set()
        while self._wakes and self._wakes[0][0] <= now:
            out.add(heapq.heappop(self._wakes)[1])
        return out

    def observe(self, users: Iterable[str], status_of: Callable[[str], AgentStatus]) -> None:
        """Note the users whose presence or routing status changed since last told."""
        for user in sorted(users):
            after = status_of(user)
            before = self._told.get(user)
            if before is None or (before.presence, before.status) != (after.presence, after.status):
                self._told[user] = after
                self._changes.append((before, after))

    def settle(self, users: Iterable[str], status_of: Callable[[str], AgentStatus]) -> None:
        """Take the users' state as told, without announcing it (a reset, a replacing load)."""
        for user in users:
            self._told[user] = status_of(user)
        self._changes = []

    def drain(self) -> list[AgentChange]:
        out, self._changes = self._changes, []
        return out
