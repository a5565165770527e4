"""The agents of a live org: each user's presence and routing status over time, and whom the ACD
may offer an interaction to.

A :class:`Roster` holds what people set (a presence, a routing status); the rest of an agent's
state follows from their interactions, summed up in a :class:`Work`: the routing status is
derived with :func:`.agents.routing_status`, never stored, so it cannot drift from the
conversations. Defaults: agents start On Queue (IDLE), supervisors Available. An offer that
rings out makes the agent NOT_RESPONDING for ``NOT_RESPONDING_MS``, after which they are IDLE
again; any presence or routing-status write ends the spell at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from ..world import World
from ..world.presence import (
    DEFAULT_UTILIZATION,
    ON_QUEUE,
    PRESENCE_DEFINITIONS_BY_ID,
    PresenceDefinition,
    presence_definition,
)
from .agents import can_take, routing_status
from .model import Conversation, EngineError, Participant

__all__ = [
    "NOT_RESPONDING_MS",
    "SETTABLE_STATUSES",
    "AgentStatus",
    "Presence",
    "Roster",
    "Work",
    "leg_history",
    "rang_out_at",
    "work_of",
]

NOT_RESPONDING_MS = 60_000
"""How long an agent who let an offer ring out stays NOT_RESPONDING before going back to IDLE."""

SETTABLE_STATUSES = ("OFF_QUEUE", "IDLE")
"""The routing statuses a client may set: the others follow from the agent's work."""

_NEVER = -(2**62)


@dataclass(frozen=True, slots=True)
class Work:
    """What a user is doing, summed over their live interactions (wrap-up included), and when
    they last finished one or let an offer ring out."""

    load: Mapping[str, int] = field(default_factory=dict)
    """Live interactions per media (``call``, ``chat``...)."""
    acd: int = 0
    """How many of them came through a queue."""
    busy_since: int | None = None
    """When the earliest live interaction started."""
    idle_since: int | None = None
    """When the last finished interaction (wrap-up included) ended."""
    rang_out: int | None = None
    """When the last offer to the user timed out."""


def rang_out_at(p: Participant) -> int | None:
    """When the offer ``p`` timed out (the agent did not respond), or None if it did not."""
    c = p.comm if p.comms else None
    if c is None or p.purpose != "agent" or c.connected is not None:
        return None
    if c.alerting_start is None or c.disconnect_type != "system" or c.disconnected is None:
        return None
    return c.disconnected


def _ended_at(p: Participant) -> int | None:
    """When ``p``'s work ended (its ACW included), or None while it goes on."""
    if p.active or p.in_acw:
        return None
    end = p.end
    return max(end or 0, p.acw_end or 0) if end is not None else None


def leg_history(conv: Conversation) -> dict[str, tuple[int | None, int | None]]:
    """Per user of ``conv``: when their last finished leg ended, and their last ring-out."""
    out: dict[str, tuple[int | None, int | None]] = {}
    for p in conv.participants:
        if not p.user_id:
            continue
        ended, rang = _ended_at(p), rang_out_at(p)
        if ended is None and rang is None:
            continue
        last, last_rang = out.get(p.user_id, (None, None))
        if ended is not None and rang is None:
            last = ended if last is None else max(last, ended)
        if rang is not None:
            last_rang = rang if last_rang is None else max(last_rang, rang)
        out[p.user_id] = (last, last_rang)
    return out


def work_of(
    user_id: str,
    conversations: Iterable[Conversation],
    idle_since: int | None = None,
    rang_out: int | None = None,
) -> Work:
    """The user's :class:`Work` over ``conversations`` (those they may be on)."""
    load: dict[str, int] = {}
    acd = 0
    busy: int | None = None
    for conv in conversations:
        for p in conv.participants:
            if p.user_id != user_id or not (p.active or p.in_acw) or not p.comms:
                continue
            media = p.comm.media
            load[media] = load.get(media, 0) + 1
            acd += p.purpose == "agent" and p.queue_id is not None
            busy = p.start if busy is None else min(busy, p.start)
    return Work(load, acd, busy, idle_since, rang_out)


@dataclass(frozen=True, slots=True)
class Presence:
    definition: PresenceDefinition
    since: int
    message: str = ""


@dataclass(frozen=True, slots=True)
class AgentStatus:
    """A user's presence and routing status at one instant."""

    user_id: str
    presence: Presence
    status: str
    status_since: int


@dataclass(slots=True)
class _Agent:
    presence: Presence
    on_queue_since: int | None
    """When the presence last became On Queue (None while it is not)."""
    off_queue_since: int
    cleared: int
    """The last write: a ring-out before it no longer makes the agent NOT_RESPONDING."""


class Roster:
    """Every user's presence, as set at the start or by writes since; not thread-safe (the
    caller holds its lock)."""

    def __init__(self, world: World, at: int) -> None:
        self.world = world
        self._agents: dict[str, _Agent] = {}
        on_queue, available = presence_definition(ON_QUEUE), presence_definition("Available")
        for user in world.users:
            definition = available if user.is_supervisor else on_queue
            queued = definition is on_queue
            self._agents[user.id] = _Agent(Presence(definition, at), at if queued else None, at, at)

    def _agent(self, user_id: str) -> _Agent:
        agent = self._agents.get(user_id)
        if agent is None:
            raise EngineError("user.not.found", f"user {user_id} not found", status=404)
        return agent

    def presence(self, user_id: str) -> Presence:
        return self._agent(user_id).presence

    def set_presence(
        self, user_id: str, definition_id: str, at: int, message: str | None = None
    ) -> None:
        """Set the user's presence (a primary definition's id); the ACD follows: On Queue
        makes them routable, anything else takes them off queue."""
        agent = self._agent(user_id)
        definition = PRESENCE_DEFINITIONS_BY_ID.get(definition_id)
        if definition is None:
            raise EngineError(
                "presence.definition.not.found",
                f"presence definition {definition_id} not found",
                status=400,
                field="presenceDefinition.id",
            )
        was_queued = agent.on_queue_since is not None
        queued = definition.system_presence == ON_QUEUE
        if queued and not was_queued:
            agent.on_queue_since = at
        elif not queued and was_queued:
            agent.on_queue_since = None
            agent.off_queue_since = at
        keep = agent.presence.message if message is None else message
        if definition is not agent.presence.definition or keep != agent.presence.message:
            since = at if definition is not agent.presence.definition else agent.presence.since
            agent.presence = Presence(definition, since, keep)
        agent.cleared = at

    def set_routing_status(self, user_id: str, status: str, at: int) -> None:
        """What the platform does on ``PUT /routingstatus``: IDLE puts the user On Queue (and
        ends a NOT_RESPONDING spell), OFF_QUEUE makes an On Queue user Available."""
        agent = self._agent(user_id)
        if status not in SETTABLE_STATUSES:
            raise EngineError(
                "routing.status.not.settable",
                f"routing status {status} cannot be set; only {' or '.join(SETTABLE_STATUSES)}",
                status=400,
                field="status",
            )
        if status == "IDLE":
            self.set_presence(user_id, presence_definition(ON_QUEUE).id, at)
        elif agent.on_queue_since is not None:
            self.set_presence(user_id, presence_definition("Available").id, at)
        agent.cleared = at

    def not_responding_until(self, user_id: str, work: Work) -> int | None:
        """When the user's NOT_RESPONDING spell ends, if a ring-out still counts."""
        agent = self._agent(user_id)
        if work.rang_out is None or work.rang_out < agent.cleared:
            return None
        return work.rang_out + NOT_RESPONDING_MS

    def status(self, user_id: str, work: Work, at: int) -> AgentStatus:
        """The user's presence and routing status at ``at`` given their ``work``."""
        agent = self._agent(user_id)
        until = self.not_responding_until(user_id, work)
        responding = until is None or at >= until
        system = agent.presence.definition.system_presence
        status = routing_status(system, work.load, acd_load=work.acd, not_responding=not responding)
        if status == "OFF_QUEUE":
            since = agent.off_queue_since
        elif status == "NOT_RESPONDING":
            since = work.rang_out or at
        else:
            started = agent.on_queue_since if agent.on_queue_since is not None else at
            marks = (work.idle_since, until) if status == "IDLE" else (work.busy_since, None)
            since = max([started, *(m for m in marks if m is not None and m <= at)])
        return AgentStatus(user_id, agent.presence, status, since)

    def offerable(
        self,
        members: Iterable[str],
        media: str,
        work: Callable[[str], Work],
        at: int,
        utilization: Mapping[str, int] = DEFAULT_UTILIZATION,
    ) -> list[tuple[int, str]]:
        """(free since, user id) of the ``members`` the ACD may offer ``media`` to at ``at``:
        On Queue, not NOT_RESPONDING, with room under the utilization; IDLE ones first,
        longest idle first, then by id."""
        found: list[tuple[int, int, str]] = []
        for uid in members:
            agent = self._agents.get(uid)
            if agent is None or agent.on_queue_since is None:
                continue
            w = work(uid)
            state = self.status(uid, w, at)
            if state.status == "NOT_RESPONDING" or not can_take(media, w.load, utilization):
                continue
            found.append((state.status != "IDLE", state.status_since, uid))
        found.sort()
        return [(since, uid) for _, since, uid in found]
