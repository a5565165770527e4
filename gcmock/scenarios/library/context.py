"""What a scenario script runs with: the world, its random stream with the timing draws, a time
cursor that stops at the horizon, and the choices a caller pinned.

Timings (all drawn from the conversation's own random stream, in ms):

================  =========================================================================
IVR               lognormal, median 40 s, sigma 0.5, clipped to 5 s .. 5 min
queue wait        exponential, mean 45 s, clipped to 2 s .. 15 min (unless pinned)
abandon patience  lognormal, median 60 s, sigma 0.8, clipped to 3 s .. 15 min (``PATIENCE``)
alerting          uniform 1.5 s .. 7 s (always inside the queue's alerting timeout)
talk              lognormal, median 4 min, sigma 0.7, clipped to 20 s .. 1 h
hold              lognormal, median 40 s, sigma 0.6, clipped to 5 s .. 10 min
consult talk      lognormal, median 60 s, sigma 0.5, clipped to 10 s .. 10 min
ACW               lognormal, median 25 s, sigma 0.6, clipped to 2 s .. the queue's timeout
digital handling  lognormal, median 10 min (messages, chat) / 6 min (email), sigma 0.6
================  =========================================================================

A script may be stopped at a ``horizon`` (the server's "now"): operations due later are not
applied, which leaves the conversation live (alerting, connected, held or in ACW) yet valid.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..engine.model import Conversation, Participant
from ..world import ExternalContact, Queue, User, World

__all__ = [
    "PATIENCE",
    "Horizon",
    "NobodyFree",
    "Pick",
    "Pins",
    "ScriptContext",
    "StartsAfterHorizon",
    "lognormal_ms",
]

PATIENCE = (60.0, 0.8, 3.0, 900.0)
"""How long a caller waits in queue before hanging up: lognormal (median s, sigma, min s, max s)."""


class Horizon(Exception):
    """Raised inside a script when its next operation falls after the horizon."""


class StartsAfterHorizon(ValueError):
    """A script stopped at the horizon before its conversation existed: there is nothing to
    return. Callers that skip such a script catch this, never a bare ``ValueError`` (which
    would hide a bug in a script)."""


class NobodyFree(Exception):
    """Raised inside a script when the caller's :attr:`Pins.pick` finds no free user."""


Pick = Callable[[str, "str | None", tuple[str, ...]], "User | None"]
"""``pick(role, queue_id, exclude)``: a user for a part (``agent`` or ``supervisor``), or None."""


def lognormal_ms(
    rng: random.Random, median_s: float, sigma: float, lo_s: float, hi_s: float
) -> int:
    v = rng.lognormvariate(math.log(median_s), sigma)
    return int(min(max(v, lo_s), hi_s) * 1000)


@dataclass(frozen=True, slots=True)
class Pins:
    """Choices a caller fixes instead of drawing them: the first queue, the first agent offered,
    the supervisor and the customer (a known contact) a script would otherwise pick.

    The simulation also pins the times its queues decided (epoch ms): when the customer reaches
    the queue (``queued_at``), the first offer (``offer_at``), the offer after a ring-out
    (``reoffer_at``), the hang-up of a caller who gave up (``abandon_at``); the agent whose
    first offer rang out (``rang_out``, None: no ring-out when ``simulated``); and ``pick``,
    which finds every further user (a colleague, a supervisor) among the free.
    """

    queue: Queue | None = None
    agent: User | None = None
    supervisor: User | None = None
    customer: ExternalContact | None = None
    simulated: bool = False
    queued_at: int | None = None
    offer_at: int | None = None
    reoffer_at: int | None = None
    abandon_at: int | None = None
    rang_out: User | None = None
    pick: Pick | None = None


class _Pools:
    """Per-world draw pools (agents of each queue, supervisors), computed once, not per draw.

    The tuples keep the world's order, so drawing from them gives exactly the draws the
    per-call list comprehensions gave.
    """

    __slots__ = ("agents_of", "supervisors", "world")

    def __init__(self, world: World) -> None:
        self.world = world
        users = world.users_by_id
        self.agents_of = {
            q.id: tuple(m for m in q.member_ids if not users[m].is_supervisor) for q in world.queues
        }
        self.supervisors = tuple(u for u in world.users if u.is_supervisor)


_POOLS: dict[int, _Pools] = {}


def _pools(world: World) -> _Pools:
    pools = _POOLS.get(id(world))
    if pools is None or pools.world is not world:
        if len(_POOLS) >= 16:
            _POOLS.clear()
        pools = _POOLS[id(world)] = _Pools(world)
    return pools


_NO_PINS = Pins()


class ScriptContext:
    """What a script needs: the world, the random stream, and a time cursor."""

    def __init__(
        self,
        world: World,
        rng: random.Random,
        start: int,
        horizon: int | None = None,
        conversation_id: str | None = None,
        pins: Pins | None = None,
    ) -> None:
        self.world = world
        self.pools = _pools(world)
        self.pins = pins or _NO_PINS
        self._pinned_agent_used = False
        self._pinned_wait_used = False
        self.rng = rng
        self.t = start
        self.horizon = horizon
        self.conversation_id = conversation_id
        self.conversation: Conversation | None = None
        """Set by the script as soon as the conversation exists, so a horizon stop returns it."""

    def keep(self, conv: Conversation) -> Conversation:
        self.conversation = conv
        return conv

    def at(self, delay_ms: int = 0) -> int:
        """Advance the cursor by ``delay_ms`` and return it; stop the script past the horizon."""
        if delay_ms > 0:
            self.t += int(delay_ms)
        if self.horizon is not None and self.t > self.horizon:
            raise Horizon
        return self.t

    def sync(self, conv: Conversation) -> None:
        """Move the cursor to the conversation's last change (operations add hand-off gaps)."""
        if conv.events:
            self.t = max(self.t, conv.events[-1].at)

    def lognormal(self, median_s: float, sigma: float, lo_s: float, hi_s: float) -> int:
        return lognormal_ms(self.rng, median_s, sigma, lo_s, hi_s)

    def exponential(self, mean_s: float, lo_s: float, hi_s: float) -> int:
        v = self.rng.expovariate(1.0 / mean_s)
        return int(min(max(v, lo_s), hi_s) * 1000)

    def uniform(self, lo_s: float, hi_s: float) -> int:
        return int(self.rng.uniform(lo_s, hi_s) * 1000)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def choice(self, seq: tuple[Any, ...] | list[Any]) -> Any:
        return self.rng.choice(seq)

    # -- draws from the world ------------------------------------------------------------
    def queue(self, exclude: str | None = None) -> Queue:
        if self.pins.queue is not None and self.pins.queue.id != exclude:
            return self.pins.queue
        queues = self.world.queues
        if exclude is not None:
            queues = tuple(q for q in queues if q.id != exclude) or queues
        return self.choice(queues)  # type: ignore[no-any-return]

    def agent(self, queue: Queue, exclude: tuple[str, ...] = ()) -> User:
        pinned = self.pins.agent
        if pinned is not None and not self._pinned_agent_used and pinned.id not in exclude:
            self._pinned_agent_used = True
            return pinned
        if self.pins.pick is not None:
            return self._picked("agent", queue.id, exclude)
        members = self.pools.agents_of.get(queue.id)
        if members is None:  # a queue from outside the world
            users = self.world.users_by_id
            members = tuple(m for m in queue.member_ids if not users[m].is_supervisor)
        ids = [m for m in members if m not in exclude] if exclude else members
        if not ids:
            ids = [u.id for u in self.world.users if not u.is_supervisor and u.id not in exclude]
        return self.world.users_by_id[self.choice(ids)]

    def _picked(self, role: str, queue_id: str | None, exclude: tuple[str, ...]) -> User:
        assert self.pins.pick is not None
        user = self.pins.pick(role, queue_id, exclude)
        if user is None:
            raise NobodyFree(role)
        return user

    def supervisor(self) -> User:
        """The supervisor who joins the conversation (monitor, coach, barge)."""
        if self.pins.supervisor is not None:
            return self.pins.supervisor
        if self.pins.pick is not None:
            return self._picked("supervisor", None, ())
        return self.choice(self.pools.supervisors)  # type: ignore[no-any-return]

    def evaluator(self) -> User:
        """The supervisor who evaluates the agent later: no part in the conversation itself."""
        if self.pins.supervisor is not None:
            return self.pins.supervisor
        return self.choice(self.pools.supervisors)  # type: ignore[no-any-return]

    def first_offered(self, queue: Queue) -> User:
        """The agent offered the conversation first when that offer goes unanswered."""
        return self.pins.rang_out or self.agent(queue)

    def ring_out(self, queue: Queue, p: float) -> User | None:
        """The agent whose offer rings out before anyone answers (chance ``p``), or None."""
        if self.pins.simulated:
            return self.pins.rang_out
        return self.agent(queue) if self.chance(p) else None

    def until(self, when: int | None, default_ms: int) -> int:
        """The delay to a pinned time ``when`` (none if it is past), else ``default_ms``."""
        return default_ms if when is None else max(0, when - self.t)

    def wait(self, default_ms: int) -> int:
        """The wait before the first offer: to the pinned ``offer_at`` once, else the default."""
        if self.pins.offer_at is not None and not self._pinned_wait_used:
            self._pinned_wait_used = True
            return max(0, self.pins.offer_at - self.t)
        return default_ms

    def patience(self) -> int:
        return self.lognormal(*PATIENCE)

    def caller(self) -> tuple[str, str | None, ExternalContact | None]:
        """(E.164 number, locality name, known contact or None): 40 % are known contacts."""
        if self.pins.customer is not None:
            pinned = self.pins.customer
            return pinned.phone, pinned.locality, pinned
        if self.world.contacts and self.chance(0.4):
            c: ExternalContact = self.choice(self.world.contacts)
            return c.phone, c.locality, c
        i = self.rng.randrange(len(self.world.caller_numbers))
        return self.world.caller_numbers[i], self.world.caller_localities[i], None

    # -- timings ---------------------------------------------------------------------------
    def talk(self) -> int:
        return self.lognormal(240, 0.7, 20, 3600)

    def alerting(self) -> int:
        return self.uniform(1.5, 7)

    def queue_wait(self) -> int:
        return self.wait(self.exponential(45, 2, 900))

    def acw(self, p: Participant) -> int:
        limit = (p.wrapup_timeout_ms or 600_000) / 1000 - 1
        return self.lognormal(25, 0.6, 2, max(2.0, limit))
