"""Who works when: each user's shift, breaks and meal on day ``d`` of seed ``s``, and the presence
plan that follows, all in the world's local time (:data:`~..library.arrivals.UTC_OFFSET_MINUTES`).

Day ``d`` is the local day starting at the ``d``-th local midnight at or after the window start.
Every draw comes from the day's own stream (BLAKE2b of seed, day), so a day does not depend on
any other. The distributions:

=====================  =====================================================================
works today            agent: 0.92 x w^0.7 where w is the day's volume relative to the busiest
                       weekday (92 % on a Monday, 38 % on a Sunday: small teams need more
                       slack), the night crew 90 %; supervisor: 95 % weekdays, 20 % weekends
shift length           agents: 8.5 h (70 %, 8 h paid + 30 min meal), 6 h (15 %), 4 h (15 %);
                       supervisors: 9 h
shift start            agents: greedy staffing on half hours: each agent (in a shuffled order)
                       takes the start whose shift covers the most unmet demand, the demand
                       being the intraday arrival profile (:func:`~..library.arrivals.rate`)
                       scaled to the day's agent hours; plus 0-10 min of lateness (uniform).
                       The night crew (every 12th agent of the world) starts at 00:00; the
                       others start at 06:00 or later and end by 24:00, so an evening overrun
                       never meets the same person's next shift. Supervisors: 08:00-09:00
breaks                 15 min, about every 2 h worked (uniform +-15 min around 2 h, 6.25 h
                       for the 8.5 h shift, 2 h and 4 h for 6 h, 2 h for 4 h)
meal                   30 min, 8.5 h (and supervisor) shifts only, at 4 h +-30 min
meeting / training     meeting 30 min (10 % of agent shifts, 50 % of supervisor shifts, 60
                       min), training 60 min (5 % of agent shifts), in a free gap of the shift
away                   5 min (uniform 2-8 min) away from the desk in 20 % of agent shifts
login                  Available for 1-4 min (uniform) after the shift starts, then On Queue
=====================  =====================================================================

Supervisors never go On Queue: they are Available between their meetings and meal.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

from ..library.arrivals import DAY_MS, HOURLY_WEEKDAY, HOURLY_WEEKEND, WEEKDAY_FACTOR
from ..world import User, World

__all__ = [
    "MINUTE_MS",
    "NIGHT_CREW_EVERY",
    "SLOT_MS",
    "Activity",
    "Shift",
    "day_rng",
    "day_start",
    "day_weight",
    "night_crew",
    "presence_plan",
    "schedule_day",
    "works_probability",
]

MINUTE_MS = 60_000
SLOT_MS = 30 * MINUTE_MS
"""Shifts start on half hours (before lateness)."""
NIGHT_CREW_EVERY = 12
_SLOTS = DAY_MS // SLOT_MS
_DAY_SHIFT_FIRST_SLOT = 12  # 06:00
_BUSIEST_WEEKDAY = max(WEEKDAY_FACTOR[:5]) * sum(HOURLY_WEEKDAY)


@dataclass(frozen=True, slots=True)
class Activity:
    """A planned stretch off queue inside a shift: Break, Meal, Meeting, Training or Away."""

    start: int
    duration: int
    presence: str


@dataclass(frozen=True, slots=True)
class Shift:
    """One user's working day: logged in from ``start`` to ``end``; ``activities`` in order."""

    user_id: str
    start: int
    end: int
    login_ms: int
    activities: tuple[Activity, ...]
    on_queue: bool
    """Agents work On Queue between activities; supervisors are Available."""


def day_rng(seed: int, day: int, salt: str) -> random.Random:
    """The stream of one purpose (``salt``) of day ``day`` of seed ``seed``."""
    digest = hashlib.blake2b(f"{salt}:{seed}:{day}".encode(), digest_size=16).digest()
    return random.Random(int.from_bytes(digest, "big"))


def day_start(start_ms: int, day: int, utc_offset_minutes: int) -> int:
    """The epoch ms of local midnight opening day ``day`` (day 0: the first at or after start)."""
    offset = utc_offset_minutes * MINUTE_MS
    first = -((-start_ms - offset) // DAY_MS) * DAY_MS - offset  # ceil to a local midnight
    return first + day * DAY_MS


def _weekday(midnight: int, utc_offset_minutes: int) -> int:
    return ((midnight + utc_offset_minutes * MINUTE_MS) // DAY_MS + 3) % 7


def day_weight(midnight: int, utc_offset_minutes: int) -> float:
    """The day's arrival volume relative to the busiest weekday (Monday = 1)."""
    weekday = _weekday(midnight, utc_offset_minutes)
    hourly = HOURLY_WEEKDAY if weekday < 5 else HOURLY_WEEKEND
    return WEEKDAY_FACTOR[weekday] * sum(hourly) / _BUSIEST_WEEKDAY


def works_probability(user: User, weight: float, night_crew: bool = False) -> float:
    if user.is_supervisor:
        return 0.95 if weight > 0.5 else 0.2
    return 0.9 if night_crew else 0.92 * weight**0.7


def night_crew(world: World) -> frozenset[str]:
    """The agents who work the night shift (every :data:`NIGHT_CREW_EVERY`-th agent)."""
    return frozenset(u.id for i, u in enumerate(world.agents) if i % NIGHT_CREW_EVERY == 0)


def _demand(midnight: int, utc_offset_minutes: int) -> list[float]:
    weekday = _weekday(midnight, utc_offset_minutes)
    hourly = HOURLY_WEEKDAY if weekday < 5 else HOURLY_WEEKEND
    return [hourly[s // 2] for s in range(_SLOTS)]


def _best_start(deficit: list[float], length: int, rng: random.Random) -> int:
    """The day-shift start slot whose shift covers the most unmet demand (ties: random)."""
    best, best_score = _DAY_SHIFT_FIRST_SLOT, float("-inf")
    window = sum(deficit[_DAY_SHIFT_FIRST_SLOT : _DAY_SHIFT_FIRST_SLOT + length])
    for s in range(_DAY_SHIFT_FIRST_SLOT, _SLOTS - length + 1):
        if s > _DAY_SHIFT_FIRST_SLOT:
            window += deficit[s + length - 1] - deficit[s - 1]
        score = window + rng.random() * 1e-6
        if score > best_score:
            best, best_score = s, score
    return best


def _agent_length(rng: random.Random) -> int:
    """Shift length in slots: 8.5 h (70 %), 6 h (15 %), 4 h (15 %)."""
    u = rng.random()
    return 17 if u < 0.7 else (12 if u < 0.85 else 8)


def _activities(rng: random.Random, start: int, length_ms: int, supervisor: bool) -> list[Activity]:
    hour = 60 * MINUTE_MS
    breaks = {8.5: (2.0, 6.25), 6.0: (2.0, 4.0), 4.0: (2.0,), 9.0: (2.0, 6.5)}
    plan: list[Activity] = []
    for at_h in breaks.get(length_ms / hour, ()):
        at = start + int(at_h * hour) + rng.randint(-15, 15) * MINUTE_MS
        plan.append(Activity(at, 15 * MINUTE_MS, "Break"))
    if length_ms >= 8.5 * hour:
        at = start + 4 * hour + rng.randint(-30, 30) * MINUTE_MS
        plan.append(Activity(at, 30 * MINUTE_MS, "Meal"))
    extras = (
        [("Meeting", 0.5, 60)]
        if supervisor
        else [("Meeting", 0.1, 30), ("Training", 0.05, 60), ("Away", 0.2, 0)]
    )
    for presence, p, minutes in extras:
        if rng.random() >= p:
            continue
        duration = (minutes or rng.randint(2, 8)) * MINUTE_MS
        at = start + hour + rng.randrange(max(1, length_ms - 2 * hour - duration))
        if all(at + duration <= a.start or at >= a.start + a.duration for a in plan):
            plan.append(Activity(at, duration, presence))
    plan.sort(key=lambda a: a.start)
    return plan


def schedule_day(world: World, seed: int, midnight: int, utc_offset_minutes: int) -> list[Shift]:
    """The shifts of day starting at ``midnight``, in the world's user order."""
    rng = day_rng(seed, midnight, "schedule")
    weight = day_weight(midnight, utc_offset_minutes)
    crew = night_crew(world)
    working = [u for u in world.users if rng.random() < works_probability(u, weight, u.id in crew)]
    agents = [u for u in working if not u.is_supervisor]
    lengths = {u.id: (17 if u.id in crew else _agent_length(rng)) for u in agents}
    demand = _demand(midnight, utc_offset_minutes)
    scale = sum(lengths.values()) / sum(demand)
    deficit = [d * scale for d in demand]
    starts: dict[str, int] = {}
    order = sorted((u for u in agents if u.id in crew), key=lambda u: u.id)
    rest = [u for u in agents if u.id not in crew]
    rng.shuffle(rest)
    for u in [*order, *rest]:
        length = lengths[u.id]
        slot = 0 if u.id in crew else _best_start(deficit, length, rng)
        starts[u.id] = slot
        for s in range(slot, slot + length):
            deficit[s] -= 1
    shifts = []
    for u in working:
        if u.is_supervisor:
            start = midnight + 16 * SLOT_MS + rng.randint(0, 60) * MINUTE_MS
            length_ms = 18 * SLOT_MS
        else:
            start = midnight + starts[u.id] * SLOT_MS + rng.randint(0, 10) * MINUTE_MS
            length_ms = lengths[u.id] * SLOT_MS
        end = min(start + length_ms, midnight + DAY_MS)
        login = rng.randint(1, 4) * MINUTE_MS
        plan = _activities(rng, start, length_ms, u.is_supervisor)
        kept = tuple(a for a in plan if start + login < a.start and a.start + a.duration < end)
        shifts.append(Shift(u.id, start, end, login, kept, on_queue=not u.is_supervisor))
    return shifts


def presence_plan(shift: Shift) -> list[tuple[int, int, str]]:
    """The presence spans the shift plans if no work delays a change: Available while logging
    in, then On Queue (supervisors: Available) between the activities; Offline outside."""
    base = "On Queue" if shift.on_queue else "Available"
    spans: list[tuple[int, int, str]] = []
    t = shift.start
    if shift.login_ms:
        spans.append((t, t + shift.login_ms, "Available"))
        t += shift.login_ms
    for a in shift.activities:
        spans.append((t, a.start, base))
        spans.append((a.start, a.start + a.duration, a.presence))
        t = a.start + a.duration
    spans.append((t, shift.end, base))
    merged: list[tuple[int, int, str]] = []
    for span in spans:
        if merged and merged[-1][2] == span[2] and merged[-1][1] == span[0]:
            merged[-1] = (merged[-1][0], span[1], span[2])
        elif span[0] < span[1]:
            merged.append(span)
    return merged
