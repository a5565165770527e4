"""One simulated day of the org: arrivals along the intraday profile run through the day's
schedule (:mod:`.schedule`) by the discrete-event core (:mod:`.des`), each answered or abandoned
arrival rendered by its scenario script with what the simulation decided pinned (queue, agent,
wait, ring-out, abandon time), so no user is ever on more work than their utilization allows.

Day ``d`` of seed ``s`` is a pure function of (world, s, d, options). Its draws:

====================  ==================================================================
volume                expected arrivals = 0.7 (target occupancy) x the agent seconds the
                      schedule is expected to put On Queue / the mix's mean agent work per
                      arrival (:data:`WORK_S`); the count is Poisson, the times an
                      inhomogeneous Poisson process along :func:`~..library.arrivals.rate`
                      (a time change of exponential gaps)
scenario              from the mix, per arrival, as the independent generator does;
                      ``inbound_abandoned_in_queue`` and ``inbound_reoffered`` are then plain
                      answered calls: whether a caller abandons or an offer rings out follows
                      from the simulation
queue                 in proportion to the queue's members On Queue at the arrival
patience              voice calls only: :data:`~..library.context.PATIENCE`
ring-out              8 % of voice and callback offers ring out (once per arrival)
before the queue      voice: IVR lognormal median 40 s (as the scripts); digital 0.3 s;
                      callbacks: requested 1-60 min (uniform) before the scheduled time
====================  ==================================================================

What is approximated: a colleague (transfer, consult, conference) or a supervisor (monitor,
coach, barge) is picked among the users free when the first agent answers and held until
their part starts, instead of being routed at that later moment; when nobody is free the
arrival is rendered as a plain answered call. Internal messages take no capacity, so their
two users are anyone logged in.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..engine.model import Conversation
from ..engine.routing import CALLBACK_ALERT_MS, HANDOFF_MS
from ..library.arrivals import DAY_MS, UTC_OFFSET_MINUTES, arrivals
from ..library.context import PATIENCE, NobodyFree, Pins, lognormal_ms
from ..library.generate import GeneratorOptions, conversation_rng
from ..library.registry import SCENARIOS, run_scenario
from ..world import User, World
from .des import Arrival, Booking, DayCore, Span, UserState
from .schedule import (
    day_rng,
    day_start,
    day_weight,
    night_crew,
    schedule_day,
    works_probability,
)

__all__ = [
    "MEDIA",
    "OCCUPANCY",
    "RING_OUT_SHARE",
    "WORK_S",
    "DayResult",
    "day_count",
    "expected_volume",
    "simulate_day",
]

OCCUPANCY = 0.7
RING_OUT_SHARE = 0.08
MEDIA = {
    "call": "call",
    "callback": "callback",
    "chat": "chat",
    "email": "email",
    "message": "message",
    "video": "call",
    "socialExpression": "message",
}
"""A scenario's media -> the utilization media it occupies an agent with."""
WORK_S = {"call": 420.0, "callback": 380.0, "chat": 200.0, "message": 200.0, "email": 460.0}
"""Mean agent-seconds of work per arrival of each media (talk, hold, transfers, ACW; a chat
or message counts a quarter, four fit at once), measured on the default scenarios."""
_DIRECT = frozenset({"inbound_abandoned_in_ivr", "voicemail", "internal_message"})
_PLAIN = {"inbound_abandoned_in_queue": "inbound_answered", "inbound_reoffered": "inbound_answered"}
_ON_QUEUE_S = 6.5 * 3600
"""Expected On Queue time of a working agent: the shift less breaks, meal and the rest."""


@dataclass(frozen=True, slots=True)
class DayResult:
    """A simulated day: its conversations in start order, the arrivals with their decisions,
    and each user's presence and routing-status spans."""

    day: int
    start_ms: int
    conversations: list[Conversation]
    arrivals: list[Arrival]
    presence: dict[str, list[Span]]
    routing: dict[str, list[Span]]


def _offset(world: World, options: GeneratorOptions) -> int:
    if options.utc_offset_minutes is not None:
        return options.utc_offset_minutes
    return UTC_OFFSET_MINUTES.get(world.locale, 0)


def _work_per_arrival(mix: Mapping[str, float]) -> float:
    total = sum(w for w in mix.values() if w > 0)
    work = 0.0
    for name, w in mix.items():
        if w > 0 and name not in _DIRECT:
            work += w * WORK_S.get(MEDIA.get(SCENARIOS[name].media, ""), 0.0)
    return max(work / total, 1.0)


def expected_volume(world: World, midnight: int, options: GeneratorOptions) -> float:
    """The expected arrivals of the day starting at ``midnight``."""
    weight = day_weight(midnight, _offset(world, options))
    crew = night_crew(world)
    staffed = sum(works_probability(u, weight, u.id in crew) for u in world.agents) * _ON_QUEUE_S
    return OCCUPANCY * staffed / _work_per_arrival(options.mix)


def _quantiles(world: World, seed: int, day: int, options: GeneratorOptions) -> list[float]:
    """The day's arrivals as points of (0, 1): exponential gaps at the expected volume."""
    midnight = day_start(options.start_ms, day, _offset(world, options))
    lam = expected_volume(world, midnight, options)
    rng = day_rng(seed, day, "arrivals")
    points: list[float] = []
    q = rng.expovariate(lam)
    while q < 1.0:
        points.append(q)
        q += rng.expovariate(lam)
    return points


def day_count(world: World, seed: int, day: int, options: GeneratorOptions) -> int:
    """How many conversations day ``day`` holds (without simulating it)."""
    return len(_quantiles(world, seed, day, options))


class _Day:
    """The per-day state of a run: the core, the picker, and each arrival's stream."""

    def __init__(self, world: World, seed: int, day: int, options: GeneratorOptions) -> None:
        self.world, self.seed, self.day = world, seed, day
        self.offset = _offset(world, options)
        self.midnight = day_start(options.start_ms, day, self.offset)
        self.mix = options.mix
        names = sorted(n for n, w in options.mix.items() if w > 0)
        total = sum(options.mix[n] for n in names)
        self.names, self.cum = names, []
        acc = 0.0
        for n in names:
            acc += options.mix[n] / total
            self.cum.append(acc)
        self.conversations: list[tuple[int, int, Conversation]] = []
        self.scenario: dict[int, str] = {}
        self.start: dict[int, int] = {}
        self.core = self._core()

    def _core(self) -> DayCore:
        plan = schedule_day(self.world, self.seed, self.midnight, self.offset)
        shifts = {s.user_id: s for s in plan}
        users = [
            UserState(u.id, not u.is_supervisor, u.queue_ids, shift=shifts.get(u.id))
            for u in self.world.users
        ]
        agents = {u.id for u in self.world.agents}
        members = {q.id: tuple(m for m in q.member_ids if m in agents) for q in self.world.queues}
        return DayCore(
            users,
            members,
            self._serve,
            rng=day_rng(self.seed, self.day, "core"),
            alert_ms=self._alert_ms,
        )

    def _alert_ms(self, a: Arrival) -> int:
        if a.media == "callback":
            return CALLBACK_ALERT_MS
        assert a.queue_id is not None
        return self.world.queues_by_id[a.queue_id].alerting_timeout_ms

    def rng(self, index: int, salt: str = "") -> random.Random:
        return conversation_rng(self.seed, index, f"day{salt}:{self.day}")

    def arrivals(self, points: list[float]) -> list[Arrival]:
        profile = arrivals(self.midnight, DAY_MS, self.offset)
        out = []
        for j, q in enumerate(points):
            rng = self.rng(j)
            u = rng.random()
            name = self.names[min(bisect_right(self.cum, u), len(self.names) - 1)]
            scenario = SCENARIOS[name]
            at = profile.at(q)
            media = MEDIA.get(scenario.media, "call")
            kind = "direct" if name in _DIRECT else ("outbound" if name == "outbound" else "acd")
            a = Arrival(j, at, media, kind, u=rng.random())
            if kind == "acd" and media == "call":
                a.patience_ms = lognormal_ms(rng, *PATIENCE)
            if kind == "acd" and media in ("call", "callback"):
                a.ring_out = rng.random() < RING_OUT_SHARE
            if media == "callback":
                a.at -= a.at % 60_000
                self.start[j] = a.at - rng.randint(60, 3600) * 1000
            elif kind == "acd" and scenario.media == "call":
                self.start[j] = a.at - lognormal_ms(rng, 40, 0.5, 5, 300) - 400
            elif kind == "acd":
                self.start[j] = a.at - 300
            else:
                self.start[j] = a.at
            self.scenario[j] = name
            out.append(a)
        return out

    # -- rendering -----------------------------------------------------------------------
    def _serve(self, a: Arrival, user_id: str | None, at: int) -> list[Booking]:
        users = self.world.users_by_id
        queue = self.world.queues_by_id[a.queue_id] if a.queue_id else None
        picked: list[str] = []

        def pick(role: str, queue_id: str | None, exclude: tuple[str, ...]) -> User | None:
            if a.kind == "direct":
                uid = self.core.pick("present", None, exclude)
                return users[uid] if uid else self.world.agents[0]
            uid = self.core.pick(role, queue_id, exclude)
            if uid is None:
                return None
            picked.append(uid)
            return users[uid]

        name = self.scenario[a.index]
        rang_out = a.rang_out if a.rang_out and a.rang_out[0] != user_id else None
        rang = users[rang_out[0]] if rang_out else None
        pins = Pins(
            queue=queue,
            agent=users[user_id] if user_id else None,
            simulated=True,
            queued_at=a.at - HANDOFF_MS[1],
            offer_at=rang_out[1] if rang_out else (a.answered_at or None),
            reoffer_at=a.answered_at if rang_out else None,
            abandon_at=a.abandoned_at,
            rang_out=rang,
            pick=pick,
        )
        if a.outcome == "abandoned":
            name = "inbound_abandoned_in_queue"
        elif a.outcome == "answered" and rang_out and a.media == "call":
            name = "inbound_reoffered"
        elif a.outcome == "answered":
            name = _PLAIN.get(name, name)
        start = at if a.kind == "outbound" else self.start[a.index]
        try:
            conv = run_scenario(name, self.world, self.rng(a.index), start, pins=pins)
        except NobodyFree:
            for uid in picked:
                self.core.release(uid)
            picked.clear()
            name = "inbound_answered" if a.media == "call" else name
            retry = self.rng(a.index, "-retry")
            conv = run_scenario(name, self.world, retry, start, pins=pins)
        self.conversations.append((conv.start, a.index, conv))
        return _bookings(conv, a, user_id, picked, self.core.release)


def _bookings(
    conv: Conversation,
    a: Arrival,
    primary: str | None,
    picked: list[str],
    release: Callable[[str], None],
) -> list[Booking]:
    """What the rendered conversation occupies each user with (the ring-out alert excluded:
    the core counted it already)."""
    spans: dict[tuple[str, str], list[int]] = {}
    acd: dict[str, bool] = {}
    for p in conv.participants:
        if p.user_id is None or p.purpose not in ("agent", "user"):
            continue
        if a.rang_out and p.user_id == a.rang_out[0] and p.connected is None:
            continue
        media = MEDIA.get(p.comm.media)
        if media is None:
            continue
        end = max(p.end or p.start, p.acw_end or 0)
        key = (p.user_id, media)
        span = spans.setdefault(key, [p.start, end])
        span[0], span[1] = min(span[0], p.start), max(span[1], end)
        acd[p.user_id] = acd.get(p.user_id, False) or p.purpose == "agent"
    out = []
    for (uid, media), (start, end) in spans.items():
        if uid == primary and media == a.media and a.answered_at is not None:
            start = a.answered_at
        out.append(Booking(uid, media, start, max(end, start), acd[uid]))
    booked = {b.user_id for b in out}
    for uid in picked:
        if uid not in booked:
            release(uid)
    return out


def simulate_day(world: World, seed: int, day: int, options: GeneratorOptions) -> DayResult:
    """Day ``day`` of dataset ``seed``: see the module's docstring."""
    sim = _Day(world, seed, day, options)
    arrivals_ = sim.arrivals(_quantiles(world, seed, day, options))
    sim.core.run(arrivals_)
    convs = [conv for _, _, conv in sorted(sim.conversations, key=lambda x: x[:2])]
    users = sim.core.users.values()
    return DayResult(
        day,
        sim.midnight,
        convs,
        arrivals_,
        {u.id: u.presence_spans for u in users if u.presence_spans},
        {u.id: u.routing_spans for u in users if u.routing_spans},
    )
