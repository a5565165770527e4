"""Named scenario scripts: realistic sequences of engine operations with random timings.

Timings (all drawn from the conversation's own random stream, in ms):

================  =========================================================================
IVR               lognormal, median 40 s, sigma 0.5, clipped to 5 s .. 5 min
queue wait        exponential, mean 45 s, clipped to 2 s .. 15 min
abandon patience  lognormal, median 60 s, sigma 0.8, clipped to 3 s .. 15 min
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

from ..engine import control, routing, supervision, transfer, wrapup
from ..engine.legs import first_communication, join
from ..engine.model import Conversation, Participant, new_id
from ..views.projection import iso
from ..world import ExternalContact, Queue, User, World

__all__ = ["SCENARIOS", "Pins", "Scenario", "ScriptContext", "run_scenario"]


class _Horizon(Exception):
    """Raised inside a script when its next operation falls after the horizon."""


@dataclass(frozen=True, slots=True)
class Pins:
    """Choices a caller fixes instead of drawing them: the first queue, the first agent offered,
    the supervisor and the customer (a known contact) a script would otherwise pick."""

    queue: Queue | None = None
    agent: User | None = None
    supervisor: User | None = None
    customer: ExternalContact | None = None


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
            raise _Horizon
        return self.t

    def sync(self, conv: Conversation) -> None:
        """Move the cursor to the conversation's last change (operations add hand-off gaps)."""
        if conv.events:
            self.t = max(self.t, conv.events[-1].at)

    def lognormal(self, median_s: float, sigma: float, lo_s: float, hi_s: float) -> int:
        v = self.rng.lognormvariate(math.log(median_s), sigma)
        return int(min(max(v, lo_s), hi_s) * 1000)

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
        members = self.pools.agents_of.get(queue.id)
        if members is None:  # a queue from outside the world
            users = self.world.users_by_id
            members = tuple(m for m in queue.member_ids if not users[m].is_supervisor)
        ids = [m for m in members if m not in exclude] if exclude else members
        if not ids:
            ids = [u.id for u in self.world.users if not u.is_supervisor and u.id not in exclude]
        return self.world.users_by_id[self.choice(ids)]

    def supervisor(self) -> User:
        if self.pins.supervisor is not None:
            return self.pins.supervisor
        return self.choice(self.pools.supervisors)  # type: ignore[no-any-return]

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
        return self.exponential(45, 2, 900)

    def acw(self, p: Participant) -> int:
        limit = (p.wrapup_timeout_ms or 600_000) / 1000 - 1
        return self.lognormal(25, 0.6, 2, max(2.0, limit))


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    description: str
    media: str
    weight: float
    """Share in the default contact-center mix (relative)."""
    script: Callable[[ScriptContext], Conversation]


SCENARIOS: dict[str, Scenario] = {}


def _scenario(
    name: str, description: str, media: str = "call", weight: float = 1.0
) -> Callable[[Callable[[ScriptContext], Conversation]], Callable[[ScriptContext], Conversation]]:
    def register(
        fn: Callable[[ScriptContext], Conversation],
    ) -> Callable[[ScriptContext], Conversation]:
        SCENARIOS[name] = Scenario(name, description, media, weight, fn)
        return fn

    return register


def run_scenario(
    name: str,
    world: World,
    rng: random.Random,
    start: int,
    *,
    horizon: int | None = None,
    conversation_id: str | None = None,
    pins: Pins | None = None,
) -> Conversation:
    """Run scenario ``name`` from ``start``; stop before any operation later than ``horizon``."""
    try:
        scenario = SCENARIOS[name]
    except KeyError:
        raise KeyError(
            f"unknown scenario {name!r}; valid names: {', '.join(sorted(SCENARIOS))}"
        ) from None
    ctx = ScriptContext(world, rng, start, horizon, conversation_id, pins)
    try:
        conv = scenario.script(ctx)
    except _Horizon:
        if ctx.conversation is None:
            raise ValueError(f"scenario {name} starts after the horizon") from None
        conv = ctx.conversation
    conv.scenario = name
    return conv


# ---------------------------------------------------------------------------------------------
# building blocks


def _inbound(
    ctx: ScriptContext,
    *,
    media: str = "call",
    ivr: bool = True,
    queue: Queue | None = None,
    extra: dict[str, Any] | None = None,
    address: str | None = None,
) -> tuple[Conversation, Queue]:
    """Customer arrives, (voice) goes through the IVR, lands in a queue."""
    w = ctx.world
    queue = queue or ctx.queue()
    number, locality, contact = ctx.caller()
    voice = media in ("call",)
    dnis = ctx.choice(queue.dnis) if voice else (address or queue.calling_party_number)
    conv = routing.start_inbound(
        w,
        ctx.rng,
        ctx.at(),
        conversation_id=ctx.conversation_id,
        media=media,
        dnis=dnis,
        ani=number if voice else (address_of(contact, number, media)),
        name=(contact.name if contact else (locality if voice else None)),
        contact=contact if voice else None,
        extra=extra,
        connected_after_ms=ctx.rng.randint(50, 250) if voice else 0,
    )
    if contact is not None and not voice:
        c = conv.customer
        c.name = contact.name
        c.external_contact_id = contact.id
        c.external_contact_division_id = contact.division_id
        c.external_organization_id = contact.organization_id
        c.locale = contact.locale
    ctx.keep(conv)
    if voice and ivr:
        flow = ctx.choice(w.ivr_flows)
        routing.enter_ivr(conv, w, flow, ctx.at(ctx.rng.randint(20, 70)))
        ctx.at(ctx.lognormal(40, 0.5, 5, 300))
    routing.route_to_queue(
        conv,
        w,
        queue,
        ctx.at(ctx.rng.randint(200, 400) if not ivr else 0),
        priority=ctx.rng.choice((0, 0, 0, 5, 10)),
    )
    ctx.sync(conv)
    return conv, queue


def address_of(contact: ExternalContact | None, number: str, media: str) -> str:
    """The customer's address on a digital channel."""
    if media == "email":
        return contact.email if contact else f"{number.lstrip('+')}@example.net"
    return number


def _connect_agent(
    ctx: ScriptContext, conv: Conversation, queue: Queue, exclude: tuple[str, ...] = ()
) -> Participant:
    """Offer the queued conversation to an agent who answers after ringing."""
    user = ctx.agent(queue, exclude)
    p = routing.offer(conv, ctx.world, user, ctx.at())
    routing.answer(conv, p.id, ctx.at(ctx.alerting()))
    return p


def _maybe_hold(ctx: ScriptContext, conv: Conversation, agent: Participant, p: float) -> None:
    if ctx.chance(p):
        control.hold(conv, agent.id, ctx.at(ctx.talk() // 3))
        control.resume(conv, agent.id, ctx.at(ctx.lognormal(40, 0.6, 5, 600)))


def _end_and_wrap(
    ctx: ScriptContext,
    conv: Conversation,
    talk_ms: int | None = None,
    *,
    agent_hangs_up: float = 0.3,
) -> None:
    """Talk, hang up (customer 70 %, agent 30 %), then every leg owing wrap-up wraps up."""
    at = ctx.at(ctx.talk() if talk_ms is None else talk_ms)
    live_agents = [p for p in conv.participants if p.purpose == "agent" and p.active]
    if live_agents and ctx.chance(agent_hangs_up):
        control.disconnect(conv, live_agents[-1].id, at)
    elif conv.customer.active:
        control.disconnect(conv, conv.customer.id, at)
    _wrap_all(ctx, conv)


def _wrap_all(ctx: ScriptContext, conv: Conversation) -> None:
    pending = [p for p in conv.participants if p.acw_start is not None and p.acw_end is None]
    if len(pending) > 1:
        pending.sort(key=lambda p: p.acw_start or 0)
    plans: list[tuple[int, Participant, str]] = []
    for p in pending:
        assert p.acw_start is not None
        prompt = p.wrapup_prompt
        if prompt in ("timeout", "forcedTimeout") and ctx.chance(0.25):
            plans.append((p.acw_start + (p.wrapup_timeout_ms or 0), p, "timeout"))
        elif prompt in ("optional", "agentRequested") and ctx.chance(0.2):
            plans.append((p.acw_start + ctx.uniform(1, 6), p, "skip"))
        else:
            plans.append((p.acw_start + ctx.acw(p), p, "code"))
    if len(plans) > 1:
        plans.sort(key=lambda x: x[0])
    for due, p, how in plans:
        at = ctx.at(max(0, due - ctx.t))
        if how == "timeout":
            wrapup.wrapup_timeout(conv, ctx.world, p.id, at)
        elif how == "skip":
            wrapup.skip_wrapup(conv, p.id, at)
        else:
            codes = wrapup.wrapup_codes_for(ctx.world, p)
            notes = ctx.choice(ctx.world.wrapup_notes) if ctx.chance(0.4) else None
            wrapup.wrap_up(conv, ctx.world, p.id, ctx.choice(codes), at, notes=notes)


def _decorate_agent(ctx: ScriptContext, conv: Conversation, agent: Participant) -> None:
    """Rarer agent-side fields: screen recording, flagging, a quality evaluation."""
    if ctx.chance(0.3):
        agent.screen_recording_state = "active"
    agent.script_id = ctx.choice(ctx.world.script_ids) if ctx.chance(0.5) else None
    if ctx.chance(0.1):
        sup = ctx.supervisor()
        agent.evaluations.append(
            {
                "id": conv.new_id(),
                "name": "Quality evaluation",
                "conversation": {"id": conv.id, "selfUri": f"/api/v2/conversations/{conv.id}"},
                "evaluationForm": {"id": conv.new_id(), "name": "Standard voice form"},
                "evaluator": {"id": sup.id, "name": sup.name, "selfUri": f"/api/v2/users/{sup.id}"},
                "agent": {
                    "id": agent.user_id,
                    "name": agent.name,
                    "selfUri": f"/api/v2/users/{agent.user_id}",
                },
                "status": "PENDING",
                "selfUri": f"/api/v2/quality/conversations/{conv.id}/evaluations",
            }
        )


# ---------------------------------------------------------------------------------------------
# voice


@_scenario(
    "inbound_answered", "Customer calls, IVR, queue, an agent answers, talks, wraps up.", weight=45
)
def inbound_answered(ctx: ScriptContext) -> Conversation:
    conv, queue = _inbound(ctx)
    ctx.at(ctx.queue_wait())
    agent = _connect_agent(ctx, conv, queue)
    _decorate_agent(ctx, conv, agent)
    if ctx.chance(0.05):
        control.flag(conv, agent.id, ctx.at(ctx.uniform(5, 30)))
    _maybe_hold(ctx, conv, agent, 0.25)
    _end_and_wrap(ctx, conv)
    return conv


@_scenario("inbound_abandoned_in_queue", "Customer hangs up while waiting in queue.", weight=8)
def inbound_abandoned_in_queue(ctx: ScriptContext) -> Conversation:
    conv, queue = _inbound(ctx)
    patience = ctx.lognormal(60, 0.8, 3, 900)
    if ctx.chance(0.3):
        # the first offer rang out before the caller gave up
        user = ctx.agent(queue)
        p = routing.offer(conv, ctx.world, user, ctx.at(min(patience // 2, 20_000)))
        routing.not_responding(conv, p.id, ctx.at(p.alerting_timeout_ms or 8000))
    control.disconnect(conv, conv.customer.id, ctx.at(patience))
    return conv


@_scenario("inbound_abandoned_in_ivr", "Customer hangs up in the IVR menu.", weight=5)
def inbound_abandoned_in_ivr(ctx: ScriptContext) -> Conversation:
    w = ctx.world
    queue = ctx.queue()
    number, locality, contact = ctx.caller()
    conv = ctx.keep(
        routing.start_inbound(
            w,
            ctx.rng,
            ctx.at(),
            conversation_id=ctx.conversation_id,
            dnis=ctx.choice(queue.dnis),
            ani=number,
            name=contact.name if contact else locality,
            contact=contact,
            connected_after_ms=ctx.rng.randint(50, 250),
        ),
    )
    routing.enter_ivr(conv, w, ctx.choice(w.ivr_flows), ctx.at(ctx.rng.randint(20, 70)))
    control.disconnect(conv, conv.customer.id, ctx.at(ctx.lognormal(25, 0.6, 3, 300)))
    return conv


@_scenario(
    "inbound_reoffered", "The first agent does not answer (or declines); a second does.", weight=5
)
def inbound_reoffered(ctx: ScriptContext) -> Conversation:
    conv, queue = _inbound(ctx)
    ctx.at(ctx.queue_wait())
    first = routing.offer(conv, ctx.world, ctx.agent(queue), ctx.at())
    if ctx.chance(0.6):
        routing.not_responding(conv, first.id, ctx.at(first.alerting_timeout_ms or 8000))
    else:
        routing.decline(conv, first.id, ctx.at(ctx.uniform(1, 5)))
    ctx.at(ctx.uniform(1, 4))
    agent = _connect_agent(ctx, conv, queue, exclude=(first.user_id or "",))
    _decorate_agent(ctx, conv, agent)
    _end_and_wrap(ctx, conv)
    return conv


@_scenario(
    "outbound", "An agent dials a customer from a queue (or a user calls out directly).", weight=10
)
def outbound(ctx: ScriptContext) -> Conversation:
    w = ctx.world
    from_queue = ctx.chance(0.7)
    queue = ctx.queue()
    user = ctx.agent(queue)
    number, _, contact = ctx.caller()
    conv = ctx.keep(
        routing.place_call(
            w,
            ctx.rng,
            ctx.at(),
            user=user,
            number=number,
            queue=queue if from_queue else None,
            contact=contact,
            conversation_id=ctx.conversation_id,
        ),
    )
    caller, far = conv.participants
    if ctx.chance(0.8):
        routing.answer(conv, far.id, ctx.at(ctx.uniform(3, 20)))
        _maybe_hold(ctx, conv, caller, 0.1)
        at = ctx.at(ctx.talk())
        control.disconnect(conv, caller.id if ctx.chance(0.5) else far.id, at)
    else:
        control.disconnect(conv, caller.id, ctx.at(ctx.uniform(15, 40)))
    _wrap_all(ctx, conv)
    return conv


@_scenario(
    "blind_transfer_to_agent", "Agent transfers the caller straight to a colleague.", weight=3
)
def blind_transfer_to_agent(ctx: ScriptContext) -> Conversation:
    conv, queue = _inbound(ctx)
    ctx.at(ctx.queue_wait())
    a1 = _connect_agent(ctx, conv, queue)
    colleague = ctx.agent(queue, exclude=(a1.user_id or "",))
    a2 = transfer.blind_transfer(conv, ctx.world, a1.id, ctx.at(ctx.talk() // 2), user=colleague)
    routing.answer(conv, a2.id, ctx.at(ctx.alerting()))
    _end_and_wrap(ctx, conv, agent_hangs_up=0.2)
    return conv


@_scenario(
    "blind_transfer_to_queue",
    "Agent sends the caller to another queue; an agent there picks up.",
    weight=5,
)
def blind_transfer_to_queue(ctx: ScriptContext) -> Conversation:
    conv, queue = _inbound(ctx)
    ctx.at(ctx.queue_wait())
    a1 = _connect_agent(ctx, conv, queue)
    target = ctx.queue(exclude=queue.id)
    transfer.blind_transfer(conv, ctx.world, a1.id, ctx.at(ctx.talk() // 2), queue=target)
    ctx.sync(conv)
    ctx.at(ctx.queue_wait())
    _connect_agent(ctx, conv, target, exclude=(a1.user_id or "",))
    _end_and_wrap(ctx, conv)
    return conv


@_scenario("blind_transfer_external", "Agent transfers the caller to an outside number.", weight=2)
def blind_transfer_external(ctx: ScriptContext) -> Conversation:
    conv, queue = _inbound(ctx)
    ctx.at(ctx.queue_wait())
    a1 = _connect_agent(ctx, conv, queue)
    number = ctx.choice(ctx.world.external_numbers)
    ext = transfer.blind_transfer(conv, ctx.world, a1.id, ctx.at(ctx.talk() // 2), address=number)
    routing.answer(conv, ext.id, ctx.at(ctx.uniform(3, 15)))
    _end_and_wrap(ctx, conv)
    return conv


def _consult(ctx: ScriptContext, conv: Conversation, queue: Queue, a1: Participant) -> Participant:
    """A1 consults a colleague (directly, or through a queue 30 % of the time); it answers."""
    at = ctx.at(ctx.talk() // 2)
    if ctx.chance(0.3):
        target = ctx.queue(exclude=queue.id)
        transfer.start_consult(conv, ctx.world, conv.customer.id, at, queue=target)
        ctx.sync(conv)
        user = ctx.agent(target, exclude=(a1.user_id or "",))
        dest = routing.offer(conv, ctx.world, user, ctx.at(ctx.queue_wait() // 2))
    else:
        user = ctx.agent(queue, exclude=(a1.user_id or "",))
        dest = transfer.start_consult(conv, ctx.world, conv.customer.id, at, user=user)
    routing.answer(conv, dest.id, ctx.at(ctx.alerting()))
    return dest


@_scenario("consult_transfer", "Agent consults a colleague, then hands the caller over.", weight=4)
def consult_transfer(ctx: ScriptContext) -> Conversation:
    conv, queue = _inbound(ctx)
    ctx.at(ctx.queue_wait())
    a1 = _connect_agent(ctx, conv, queue)
    _consult(ctx, conv, queue, a1)
    control.disconnect(conv, a1.id, ctx.at(ctx.lognormal(60, 0.5, 10, 600)))
    _end_and_wrap(ctx, conv, agent_hangs_up=0.2)
    return conv


@_scenario("consult_cancelled", "Agent consults a colleague, then returns to the caller.", weight=2)
def consult_cancelled(ctx: ScriptContext) -> Conversation:
    conv, queue = _inbound(ctx)
    ctx.at(ctx.queue_wait())
    a1 = _connect_agent(ctx, conv, queue)
    user = ctx.agent(queue, exclude=(a1.user_id or "",))
    dest = transfer.start_consult(
        conv, ctx.world, conv.customer.id, ctx.at(ctx.talk() // 2), user=user
    )
    if ctx.chance(0.5):
        routing.answer(conv, dest.id, ctx.at(ctx.alerting()))
        transfer.cancel_consult(conv, ctx.at(ctx.lognormal(40, 0.5, 5, 300)))
    else:
        transfer.cancel_consult(conv, ctx.at(ctx.uniform(2, 6)))
    _end_and_wrap(ctx, conv)
    return conv


@_scenario("conference", "Agent brings a colleague in; the three talk together.", weight=2)
def conference(ctx: ScriptContext) -> Conversation:
    conv, queue = _inbound(ctx)
    ctx.at(ctx.queue_wait())
    a1 = _connect_agent(ctx, conv, queue)
    _consult(ctx, conv, queue, a1)
    transfer.change_speak_to(conv, ctx.at(ctx.uniform(10, 60)), "CONFERENCE")
    if ctx.chance(0.5):
        control.disconnect(conv, a1.id, ctx.at(ctx.talk() // 2))
    _end_and_wrap(ctx, conv, agent_hangs_up=0.0)
    return conv


def _supervised(ctx: ScriptContext, mode: str) -> Conversation:
    conv, queue = _inbound(ctx)
    ctx.at(ctx.queue_wait())
    agent = _connect_agent(ctx, conv, queue)
    _decorate_agent(ctx, conv, agent)
    talk = ctx.talk()
    join = getattr(supervision, mode)
    if mode == "barge":
        control.flag(conv, agent.id, ctx.at(talk // 4))
    sup = join(conv, ctx.world, agent.id, ctx.supervisor(), ctx.at(talk // 4))
    if mode == "monitor" and ctx.chance(0.5):
        routing.add_media(
            conv,
            sup.id,
            "screenMonitoring",
            ctx.at(1000),
            extra={
                "targetUser": {"id": agent.user_id, "selfUri": f"/api/v2/users/{agent.user_id}"},
                "monitoringType": "ConversationLevel",
                "count": 1,
            },
        )
    if ctx.chance(0.4):
        control.disconnect(conv, sup.id, ctx.at(talk // 4))
    _end_and_wrap(ctx, conv, talk_ms=talk // 3)
    return conv


@_scenario("monitored", "A supervisor silently listens to the agent's call.", weight=2)
def monitored(ctx: ScriptContext) -> Conversation:
    return _supervised(ctx, "monitor")


@_scenario("coached", "A supervisor whispers to the agent during the call.", weight=1)
def coached(ctx: ScriptContext) -> Conversation:
    return _supervised(ctx, "coach")


@_scenario("barged", "The agent flags the call and a supervisor barges in.", weight=1)
def barged(ctx: ScriptContext) -> Conversation:
    return _supervised(ctx, "barge")


@_scenario(
    "callback",
    "Customer schedules a callback; an agent takes it later.",
    media="callback",
    weight=3,
)
def callback(ctx: ScriptContext) -> Conversation:
    w = ctx.world
    queue = ctx.queue()
    number, locality, contact = ctx.caller()
    now = ctx.at()
    scheduled = now + ctx.uniform(60, 3600)
    scheduled -= scheduled % 60_000
    scheduled = max(scheduled, now)
    conv = ctx.keep(
        routing.schedule_callback(
            w,
            ctx.rng,
            now,
            queue=queue,
            number=number,
            name=contact.name if contact else (locality or number),
            scheduled_ms=scheduled,
            contact=contact,
            conversation_id=ctx.conversation_id,
        ),
    )
    routing.route_to_queue(conv, w, queue, ctx.at(scheduled - ctx.t), handoff_ms=0)
    ctx.at(ctx.queue_wait())
    if ctx.chance(0.2):
        p = routing.offer(conv, w, ctx.agent(queue), ctx.at())
        routing.not_responding(conv, p.id, ctx.at(p.alerting_timeout_ms or 30_000))
    _connect_agent(ctx, conv, queue)
    _end_and_wrap(ctx, conv, agent_hangs_up=0.6)
    return conv


@_scenario("voicemail", "Customer gives up waiting and leaves a voicemail.", weight=2)
def voicemail(ctx: ScriptContext) -> Conversation:
    conv, _ = _inbound(ctx)
    ctx.at(ctx.queue_wait())
    vm = routing.leave_to_voicemail(conv, ctx.at(), user=None)
    if ctx.world.groups:
        vm.group_id = ctx.choice(ctx.world.groups).id
    control.disconnect(conv, conv.customer.id, ctx.at(ctx.lognormal(30, 0.5, 5, 180)))
    return conv


# ---------------------------------------------------------------------------------------------
# other media


def _digital(
    ctx: ScriptContext, media: str, extra: dict[str, Any], median_s: float
) -> tuple[Conversation, Participant]:
    conv, queue = _inbound(ctx, media=media, ivr=False, extra=extra)
    ctx.at(ctx.queue_wait())
    agent = _connect_agent(ctx, conv, queue)
    agent.comm.extra.update({k: v for k, v in extra.items() if k in _AGENT_SIDE})
    _decorate_agent(ctx, conv, agent)
    ctx.at(ctx.lognormal(median_s, 0.6, 30, 7200))
    return conv, agent


_AGENT_SIDE = frozenset({"type", "subject", "socialMediaHub", "recipientCountry"})


def _message_extra(ctx: ScriptContext, kind: str) -> dict[str, Any]:
    msgs = [
        {
            "messageId": ctx.rng.getrandbits(64).to_bytes(8, "big").hex(),
            "messageStatus": "received",
            "messageTime": iso(ctx.t + i * 30_000),
            "messageSegmentCount": 1,
        }
        for i in range(ctx.rng.randint(1, 4))
    ]
    extra: dict[str, Any] = {
        "type": kind,
        "recipientCountry": "US",
        "recipientType": "mobile" if kind == "sms" else "webmessaging",
        "authenticated": False,
        "messages": msgs,
        "engagementSource": "SMS" if kind == "sms" else "WebChat",
    }
    return extra


@_scenario("message_sms", "An SMS conversation routed to an agent.", media="message", weight=3)
def message_sms(ctx: ScriptContext) -> Conversation:
    conv, _ = _digital(ctx, "message", _message_extra(ctx, "sms"), 600)
    _end_and_wrap(ctx, conv, talk_ms=0, agent_hangs_up=0.9)
    return conv


@_scenario(
    "message_webmessaging",
    "A web messaging conversation routed to an agent.",
    media="message",
    weight=4,
)
def message_webmessaging(ctx: ScriptContext) -> Conversation:
    conv, _ = _digital(ctx, "message", _message_extra(ctx, "webmessaging"), 600)
    _end_and_wrap(ctx, conv, talk_ms=0, agent_hangs_up=0.9)
    return conv


@_scenario("email", "An inbound email handled by an agent.", media="email", weight=4)
def email(ctx: ScriptContext) -> Conversation:
    extra = {
        "subject": ctx.choice(ctx.world.email_subjects),
        "messagesSent": 1,
        "autoGenerated": False,
        "spam": False,
        "messageId": ctx.rng.getrandbits(128).to_bytes(16, "big").hex(),
    }
    conv, agent = _digital(ctx, "email", extra, 360)
    agent.comm.extra["messagesSent"] = 1
    _end_and_wrap(ctx, conv, talk_ms=0, agent_hangs_up=1.0)
    return conv


@_scenario("chat", "A legacy web chat (chat v2) with an agent.", media="chat", weight=2)
def chat(ctx: ScriptContext) -> Conversation:
    extra = {
        "roomId": f"{ctx.rng.getrandbits(96):024x}@conference.{ctx.world.org_name}.orgspan.com"
    }
    conv, _ = _digital(ctx, "chat", extra, 600)
    conv.customer.attributes.update(
        {"context._genesys_source": "web", "context._genesys_pageTitle": "Support"}
    )
    _end_and_wrap(ctx, conv, talk_ms=0, agent_hangs_up=0.5)
    return conv


@_scenario(
    "cobrowse", "A chat where the agent starts a cobrowse session.", media="chat", weight=0.5
)
def cobrowse(ctx: ScriptContext) -> Conversation:
    conv, agent = _digital(ctx, "chat", {}, 300)
    session = f"{ctx.rng.getrandbits(64):016x}"
    start = ctx.at()
    routing.add_media(
        conv,
        conv.customer.id,
        "cobrowse",
        start,
        extra={"cobrowseSessionId": session, "cobrowseRole": "sharer"},
    )
    routing.add_media(
        conv,
        agent.id,
        "cobrowse",
        ctx.at(ctx.uniform(1, 5)),
        extra={
            "cobrowseSessionId": session,
            "cobrowseRole": "viewer",
            "viewerUrl": f"https://cobrowse.example/v/{session}",
        },
    )
    end = ctx.at(ctx.lognormal(180, 0.5, 20, 1800))
    control.end_media(conv, agent.id, "cobrowse", end)
    control.end_media(conv, conv.customer.id, "cobrowse", end)
    _end_and_wrap(ctx, conv, talk_ms=ctx.uniform(10, 120), agent_hangs_up=0.5)
    return conv


@_scenario("video", "A video call between a customer and an agent.", media="video", weight=0.5)
def video(ctx: ScriptContext) -> Conversation:
    extra = {"audioMuted": False, "videoMuted": False, "sharingScreen": False, "peerCount": 2}
    conv, agent = _digital(ctx, "video", {}, 300)
    conv.customer.comm.extra.update(extra)
    agent.comm.extra.update(extra)
    _end_and_wrap(ctx, conv, talk_ms=0)
    return conv


@_scenario("screenshare", "A call during which the customer shares their screen.", weight=0.5)
def screenshare(ctx: ScriptContext) -> Conversation:
    conv, queue = _inbound(ctx)
    ctx.at(ctx.queue_wait())
    agent = _connect_agent(ctx, conv, queue)
    agent.screen_recording_state = "active"
    start = ctx.at(ctx.uniform(30, 120))
    routing.add_media(
        conv, conv.customer.id, "screenshare", start, extra={"sharing": True, "peerCount": 1}
    )
    routing.add_media(
        conv,
        agent.id,
        "screenshare",
        ctx.at(ctx.uniform(1, 4)),
        extra={"sharing": False, "peerCount": 1},
    )
    end = ctx.at(ctx.lognormal(180, 0.5, 20, 1800))
    control.end_media(conv, agent.id, "screenshare", end)
    control.end_media(conv, conv.customer.id, "screenshare", end)
    _end_and_wrap(ctx, conv, talk_ms=ctx.uniform(10, 120))
    return conv


@_scenario(
    "social_expression",
    "A public social media post routed to an agent.",
    media="socialExpression",
    weight=0.5,
)
def social_expression(ctx: ScriptContext) -> Conversation:
    extra = {
        "socialMediaId": f"{ctx.rng.getrandbits(62)}",
        "socialMediaHub": "Twitter",
        "socialUserName": f"@user{ctx.rng.randint(1000, 99999)}",
        "previewText": ctx.choice(ctx.world.message_texts),
    }
    conv, _ = _digital(ctx, "socialExpression", extra, 300)
    _end_and_wrap(ctx, conv, talk_ms=0, agent_hangs_up=1.0)
    return conv


@_scenario(
    "internal_message", "Two users exchange internal messages.", media="internalMessage", weight=0.5
)
def internal_message(ctx: ScriptContext) -> Conversation:
    w = ctx.world
    a = ctx.agent(ctx.queue())
    b = ctx.agent(ctx.queue(), exclude=(a.id,))
    at = ctx.at()
    conv = Conversation(
        id=ctx.conversation_id or new_id(ctx.rng),
        rng=ctx.rng,
        start=at,
        media="internalMessage",
        originating_direction="outbound",
        division_ids=[w.home_division.id],
    )
    ctx.keep(conv)
    extra = {"sourceUserId": a.id, "targetUserId": b.id}
    comms = first_communication(conv, at, extra=extra)
    src = join(
        conv,
        Participant(
            new_id(conv.rng),
            "user",
            at,
            comms,
            name=a.name,
            user_id=a.id,
            team_id=a.team_id,
            address=a.email,
            participant_type="Internal",
        ),
    )
    comms = first_communication(
        conv, at, state="alerting", segment="alert", peer=src.comm, extra=extra
    )
    dst = join(
        conv,
        Participant(
            new_id(conv.rng),
            "user",
            at,
            comms,
            name=b.name,
            user_id=b.id,
            team_id=b.team_id,
            address=b.email,
            participant_type="Internal",
        ),
    )
    src.comm.peer_id = dst.comm.id
    conv.log(at, "start", src.id, media="internalMessage")
    routing.answer(conv, dst.id, ctx.at(ctx.uniform(5, 120)))
    control.disconnect(conv, src.id, ctx.at(ctx.lognormal(120, 0.6, 10, 1800)))
    return conv
