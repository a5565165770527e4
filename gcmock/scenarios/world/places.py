"""Locations: the org's offices, one per city its DIDs are in, with addresses in its locale.

Derived from a built :class:`World` through the directory's own random stream, so the world's
bytes do not change.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from faker import Faker

from .entities import World
from .ids import new_id

__all__ = ["COUNTRIES", "Location", "build_locations", "city_of"]

COUNTRIES: dict[str, tuple[str, str]] = {
    "en_US": ("US", "United States"),
    "en_GB": ("GB", "United Kingdom"),
    "de_DE": ("DE", "Germany"),
    "fr_FR": ("FR", "France"),
    "ja_JP": ("JP", "Japan"),
}
"""World locale -> (ISO 3166 country code, country name) of its offices."""


@dataclass(frozen=True, slots=True)
class Location:
    id: str
    name: str
    street: str
    city: str
    state: str
    """Region code where the country uses one in addresses (US states), else empty."""
    zipcode: str
    country: str
    country_name: str
    emergency_number: str
    numbers: tuple[str, ...]
    """The queues' DIDs in this city (E.164), in world order."""


def city_of(locality: str) -> tuple[str, str]:
    """``"San Jose CA"`` -> (``San Jose``, ``CA``); ``"Kyoto, Japan"`` -> (``Kyoto``, "")."""
    if "," in locality:
        return locality.split(",", 1)[0].strip(), ""
    city, _, state = locality.rpartition(" ")
    if city and len(state) == 2 and state.isupper():
        return city, state
    return locality, ""


_EMERGENCY = {"US": "911", "GB": "999", "DE": "112", "FR": "112", "JP": "110"}


def build_locations(world: World, rng: random.Random, fake: Faker) -> tuple[Location, ...]:
    """One location per city of the queues' DIDs, in the order the cities first appear."""
    by_city: dict[tuple[str, str], list[str]] = {}
    for queue in world.queues:
        for number in queue.dnis:
            by_city.setdefault(city_of(world.did_localities[number]), []).append(number)
    country, country_name = COUNTRIES[world.locale]
    return tuple(
        _location(rng, fake, city, state, numbers, country, country_name)
        for (city, state), numbers in by_city.items()
    )


def _location(
    rng: random.Random,
    fake: Faker,
    city: str,
    state: str,
    numbers: Sequence[str],
    country: str,
    country_name: str,
) -> Location:
    return Location(
        id=new_id(rng),
        name=f"{city} Office",
        street=fake.street_address(),
        city=city,
        state=state,
        zipcode=fake.postcode(),
        country=country,
        country_name=country_name,
        emergency_number=_EMERGENCY[country],
        numbers=tuple(numbers),
    )
