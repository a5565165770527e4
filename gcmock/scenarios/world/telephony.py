"""The org's telephony: sites (one per location) holding a pair of edges, their trunks and
outbound routes, one WebRTC phone with one line and one station per user, the DIDs (exactly the
queues' DNIS) in one pool per site, and the users' extensions."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .entities import User, World
from .ids import new_id
from .places import Location

__all__ = [
    "Did",
    "DidPool",
    "Edge",
    "Extension",
    "OutboundRoute",
    "Phone",
    "Site",
    "Telephony",
    "Trunk",
    "build_telephony",
    "home_location",
]


@dataclass(frozen=True, slots=True)
class Edge:
    id: str
    name: str
    site_id: str
    ip: str
    serial: str


@dataclass(frozen=True, slots=True)
class Site:
    id: str
    name: str
    location_id: str
    edge_ids: tuple[str, ...]
    caller_id: str
    """The site's main number: its location's first DID."""


@dataclass(frozen=True, slots=True)
class Trunk:
    id: str
    name: str
    trunk_type: str
    """``EXTERNAL`` (carrier SIP, carries the customers' calls) or ``PHONE`` (the phones')."""
    edge_id: str
    trunk_base_id: str
    trunk_base_name: str


@dataclass(frozen=True, slots=True)
class OutboundRoute:
    id: str
    name: str
    site_id: str
    trunk_base_id: str
    trunk_base_name: str


@dataclass(frozen=True, slots=True)
class Phone:
    """A user's WebRTC phone, its single line and the station users log in to."""

    id: str
    name: str
    user_id: str
    site_id: str
    edge_id: str
    line_id: str
    line_name: str
    station_id: str
    logged_in: bool
    """Whether the owner is logged in to the station now (agents always are)."""


@dataclass(frozen=True, slots=True)
class DidPool:
    id: str
    site_id: str
    start: str
    end: str


@dataclass(frozen=True, slots=True)
class Did:
    id: str
    number: str
    pool_id: str
    owner_id: str
    owner_name: str
    owner_type: str


@dataclass(frozen=True, slots=True)
class Extension:
    id: str
    number: str
    user_id: str
    pool_id: str


@dataclass(frozen=True, slots=True)
class Telephony:
    sites: tuple[Site, ...]
    edges: tuple[Edge, ...]
    trunks: tuple[Trunk, ...]
    outbound_routes: tuple[OutboundRoute, ...]
    phones: tuple[Phone, ...]
    did_pools: tuple[DidPool, ...]
    dids: tuple[Did, ...]
    extensions: tuple[Extension, ...]
    site_of_location: dict[str, str]
    phone_of_user: dict[str, Phone]
    phone_base_id: str
    """The org's one WebRTC phone base settings."""
    by_id: dict[str, object]
    """Every entity above by its id (a phone's line and station ids map to the phone)."""


def _shared(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def home_location(user: User, locations: Sequence[Location], rng: random.Random) -> Location:
    """The office of the user's desk number (the one sharing the longest prefix with its
    DIDs), or a drawn one for users without a desk number."""
    if not user.work_phone:
        return rng.choice(locations)
    return max(locations, key=lambda loc: max(_shared(user.work_phone, n) for n in loc.numbers))


def _site(world: World, rng: random.Random, loc: Location, n: int) -> tuple[Site, list[Edge]]:
    site_id = new_id(rng)
    slug = loc.city.lower().replace(" ", "-")
    edges = []
    for i in (1, 2):
        ip = world.edge_ip if n == 0 and i == 1 else f"10.{n + 1}.{rng.randrange(256)}.{i}"
        edges.append(
            Edge(
                new_id(rng),
                f"{world.org_name}-{slug}-edge-0{i}",
                site_id,
                ip,
                f"{rng.getrandbits(40):010X}",
            )
        )
    site = Site(site_id, loc.city, loc.id, tuple(e.id for e in edges), loc.numbers[0])
    return site, edges


def build_telephony(
    world: World,
    rng: random.Random,
    locations: Sequence[Location],
    user_locations: Mapping[str, str],
    did_owners: Mapping[str, tuple[str, str]],
) -> Telephony:
    """Everything from the locations, where each user sits and who owns each DID (IVR configs)."""
    sites: list[Site] = []
    edges: list[Edge] = []
    trunks: list[Trunk] = []
    routes: list[OutboundRoute] = []
    pools: list[DidPool] = []
    dids: list[Did] = []
    for n, loc in enumerate(locations):
        site, site_edges = _site(world, rng, loc, n)
        sites.append(site)
        edges += site_edges
        base_id, base_name = new_id(rng), f"{loc.city} SIP Trunk"
        for edge in site_edges:
            trunks.append(
                Trunk(
                    new_id(rng),
                    f"{base_name} - {edge.name}",
                    "EXTERNAL",
                    edge.id,
                    base_id,
                    base_name,
                )
            )
            trunks.append(
                Trunk(
                    new_id(rng),
                    f"Phone Trunk - {edge.name}",
                    "PHONE",
                    edge.id,
                    new_id(rng),
                    "WebRTC Phone Trunk",
                )
            )
        routes.append(
            OutboundRoute(new_id(rng), f"{loc.city} Outbound", site.id, base_id, base_name)
        )
        pool = DidPool(new_id(rng), site.id, min(loc.numbers), max(loc.numbers))
        pools.append(pool)
        for number in loc.numbers:
            owner_id, owner_name = did_owners[number]
            dids.append(Did(new_id(rng), number, pool.id, owner_id, owner_name, "IVR_CONFIG"))
    site_of = {s.location_id: s for s in sites}
    phones = tuple(_phone(rng, u, site_of[user_locations[u.id]]) for u in world.users)
    extensions = _extensions(world, rng)
    by_id: dict[str, object] = {
        x.id: x for group in (sites, edges, trunks, routes, pools, dids, extensions) for x in group
    }
    for phone in phones:
        by_id.update(dict.fromkeys((phone.id, phone.line_id, phone.station_id), phone))
    return Telephony(
        sites=tuple(sites),
        edges=tuple(edges),
        trunks=tuple(trunks),
        outbound_routes=tuple(routes),
        phones=phones,
        did_pools=tuple(pools),
        dids=tuple(sorted(dids, key=lambda d: d.number)),
        extensions=extensions,
        site_of_location={s.location_id: s.id for s in sites},
        phone_of_user={p.user_id: p for p in phones},
        phone_base_id=new_id(rng),
        by_id=by_id,
    )


def _phone(rng: random.Random, user: User, site: Site) -> Phone:
    hex_id = user.station_address.removeprefix("sip:").partition("+")[0]
    return Phone(
        id=new_id(rng),
        name=f"{user.name} WebRTC Phone",
        user_id=user.id,
        site_id=site.id,
        edge_id=site.edge_ids[0],
        line_id=new_id(rng),
        line_name=hex_id,
        station_id=new_id(rng),
        logged_in=not user.is_supervisor or rng.random() < 0.5,
    )


def _extensions(world: World, rng: random.Random) -> tuple[Extension, ...]:
    """One extension per user: the last digits of the desk number when free, else drawn."""
    digits = 4 if len(world.users) < 8000 else 5
    low = 10 ** (digits - 1)
    pool_id = new_id(rng)
    taken: dict[str, None] = {}
    out = []
    for user in world.users:
        number = user.work_phone[-digits:] if user.work_phone else ""
        while not number or number in taken or int(number) < low:
            number = str(rng.randrange(low, 10 * low))
        taken[number] = None
        out.append(Extension(new_id(rng), number, user.id, pool_id))
    return tuple(out)
