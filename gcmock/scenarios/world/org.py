"""The org directory a data integration reads beyond users and queues: group and team
membership, routing skills and languages per user, IVR configurations, locations and telephony.

Everything is derived from a built :class:`World` through its own random stream (seeded from the
world's seed, size and locale), so the world and every conversation keep their bytes, and the
same world always gets the same directory.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from faker import Faker

from .entities import World
from .ids import new_id
from .places import Location, build_locations
from .telephony import Telephony, build_telephony, home_location

__all__ = ["IvrConfig", "OrgDirectory", "Proficiency", "build_directory", "org_directory"]

Proficiency = tuple[str, float]
"""(skill or language id, proficiency 0-5)."""


@dataclass(frozen=True, slots=True)
class IvrConfig:
    """An Architect IVR configuration: the DIDs that start its inbound call flow."""

    id: str
    name: str
    flow_id: str
    dnis: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OrgDirectory:
    locations: tuple[Location, ...]
    user_location: dict[str, str]
    """User id -> location id (the office of the user's site)."""
    telephony: Telephony
    group_members: dict[str, tuple[str, ...]]
    user_groups: dict[str, tuple[str, ...]]
    team_members: dict[str, tuple[str, ...]]
    user_skills: dict[str, tuple[Proficiency, ...]]
    user_languages: dict[str, tuple[Proficiency, ...]]
    ivr_configs: tuple[IvrConfig, ...]
    locations_by_id: dict[str, Location]
    _sorted: dict[Any, tuple[Any, ...]] = field(default_factory=dict, repr=False)

    def ordered(
        self, key: Any, items: Sequence[Any], sort_key: Callable[[Any], Any], reverse: bool
    ) -> tuple[Any, ...]:
        """``items`` sorted once per (key, reverse) and kept: listing a page then costs a slice."""
        cache_key = (key, reverse)
        found = self._sorted.get(cache_key)
        if found is None:
            found = self._sorted[cache_key] = tuple(sorted(items, key=sort_key, reverse=reverse))
        return found


def _ivr_configs(world: World, rng: random.Random) -> tuple[IvrConfig, ...]:
    """One IVR configuration per flow; each DID belongs to the flow serving the fewest queues
    that include its queue (a department flow before the main menu), none to two; a queue no flow
    serves has its DIDs on the first flow."""
    owner: dict[str, int] = {}
    for queue in world.queues:
        serving = [i for i, f in enumerate(world.ivr_flows) if queue.id in f.queue_ids] or [0]
        best = min(serving, key=lambda i: (len(world.ivr_flows[i].queue_ids), i))
        for number in queue.dnis:
            owner.setdefault(number, best)
    return tuple(
        IvrConfig(
            new_id(rng), f"{flow.name} IVR", flow.id, tuple(n for n, i in owner.items() if i == k)
        )
        for k, flow in enumerate(world.ivr_flows)
    )


def _memberships(world: World, rng: random.Random) -> dict[str, tuple[str, ...]]:
    """User id -> the groups the user is in: 0-2 each, supervisors in the first one."""
    groups = world.groups
    out: dict[str, tuple[str, ...]] = {}
    for user in world.users:
        n = min(len(groups), rng.choice((0, 1, 1, 2)))
        picked = {g.id for g in rng.sample(groups, n)}
        if user.is_supervisor and groups:
            picked.add(groups[0].id)
        out[user.id] = tuple(g.id for g in groups if g.id in picked)
    return out


def _proficiencies(world: World, rng: random.Random) -> tuple[dict[str, Any], dict[str, Any]]:
    """Each user's skills and languages: those of the user's queues, with a drawn proficiency."""
    skills, languages = {}, {}
    for user in world.users:
        queues = [world.queues_by_id[q] for q in user.queue_ids]
        skill_ids = dict.fromkeys(s for q in queues for s in q.skill_ids)
        language_ids = dict.fromkeys(q.language_id for q in queues)
        skills[user.id] = tuple((s, float(rng.randint(1, 5))) for s in skill_ids)
        languages[user.id] = tuple((lang, float(rng.randint(3, 5))) for lang in language_ids)
    return skills, languages


def build_directory(world: World) -> OrgDirectory:
    """The directory of ``world``: same world (seed, size, locale), same directory."""
    stream = f"gcmock-directory:{world.seed}:{world.size}:{world.locale}"
    rng = random.Random(stream)
    fake = Faker(world.locale)
    fake.seed_instance(stream)
    locations = build_locations(world, rng, fake)
    user_location = {u.id: home_location(u, locations, rng).id for u in world.users}
    configs = _ivr_configs(world, rng)
    owners = {n: (c.id, c.name) for c in configs for n in c.dnis}
    groups = _memberships(world, rng)
    skills, languages = _proficiencies(world, rng)
    by_name = sorted(world.users, key=lambda u: (u.name.lower(), u.id))
    return OrgDirectory(
        locations=locations,
        user_location=user_location,
        telephony=build_telephony(world, rng, locations, user_location, owners),
        group_members={
            g.id: tuple(u.id for u in by_name if g.id in groups[u.id]) for g in world.groups
        },
        user_groups=groups,
        team_members={t.id: tuple(u.id for u in by_name if u.team_id == t.id) for t in world.teams},
        user_skills=skills,
        user_languages=languages,
        ivr_configs=configs,
        locations_by_id={loc.id: loc for loc in locations},
    )


_CACHE: dict[int, tuple[World, OrgDirectory]] = {}
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 8


def org_directory(world: World) -> OrgDirectory:
    """The directory of ``world``, built once per world object (a few recent ones are kept)."""
    with _CACHE_LOCK:
        hit = _CACHE.get(id(world))
        if hit is not None and hit[0] is world:
            return hit[1]
    built = build_directory(world)
    with _CACHE_LOCK:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[id(world)] = (world, built)
    return built
