"""E.164 numbering plans per locale: real area codes with their city, mobile ranges and the share
of callers on mobiles, and the draws of numbers in them (a caller, a DID in the org's cities)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Area", "area_number", "country_iso", "home_areas", "is_mobile", "phone_number"]


@dataclass(frozen=True, slots=True)
class Area:
    """A range of numbers sharing a prefix and the locality callers from it are shown with."""

    prefix: str
    """National digits after the country code that select the area, e.g. ``312`` or ``20``."""
    subscriber: int
    """How many digits follow the prefix."""
    locality: str


@dataclass(frozen=True, slots=True)
class _NumberPlan:
    country_code: str
    iso: str
    geographic: tuple[Area, ...]
    mobile: tuple[Area, ...]
    mobile_share: float


def _us_areas(table: str) -> tuple[Area, ...]:
    """Parse ``City ST: 312 773; ...`` into NANP areas (7 subscriber digits each)."""
    areas = []
    for entry in table.split(";"):
        locality, codes = entry.split(":")
        areas += [Area(code, 7, locality.strip()) for code in codes.split()]
    return tuple(areas)


def _areas(country: str, table: Sequence[tuple[str, str, int]]) -> tuple[Area, ...]:
    return tuple(Area(prefix, n, f"{city}, {country}") for city, prefix, n in table)


def _mobile(country: str, prefixes: str, subscriber: int) -> tuple[Area, ...]:
    return tuple(Area(p, subscriber, country) for p in prefixes.split())


_PLANS: dict[str, _NumberPlan] = {
    "en_US": _NumberPlan(
        "1",
        "US",
        _us_areas(
            "Chicago IL: 312 773 872; New York NY: 212 646 718 347; Los Angeles CA: 213 310 323;"
            "Houston TX: 713 281 832; Phoenix AZ: 602 480; Philadelphia PA: 215 267;"
            "San Antonio TX: 210; San Diego CA: 619 858; Dallas TX: 214 469 972; Austin TX: 512;"
            "Seattle WA: 206; Denver CO: 303 720; Boston MA: 617; Atlanta GA: 404 678 770;"
            "Miami FL: 305 786; Orlando FL: 407; Tampa FL: 813; Indianapolis IN: 317;"
            "Lawrenceburg IN: 812; Columbus OH: 614; Cleveland OH: 216; Detroit MI: 313;"
            "Minneapolis MN: 612; St Louis MO: 314; Kansas City MO: 816; Nashville TN: 615;"
            "Charlotte NC: 704 980; Raleigh NC: 919; Portland OR: 503 971; Las Vegas NV: 702;"
            "Salt Lake City UT: 801; San Francisco CA: 415; San Jose CA: 408; Sacramento CA: 916;"
            "Baltimore MD: 410; Washington DC: 202; Pittsburgh PA: 412; Milwaukee WI: 414;"
            "Louisville KY: 502; Oklahoma City OK: 405; Albuquerque NM: 505; Omaha NE: 402;"
            "New Orleans LA: 504; Honolulu HI: 808; Boise ID: 208; Richmond VA: 804"
        ),
        (),
        0.0,
    ),
    "en_GB": _NumberPlan(
        "44",
        "GB",
        _areas(
            "United Kingdom",
            [
                ("London", "20", 8),
                ("Birmingham", "121", 7),
                ("Manchester", "161", 7),
                ("Leeds", "113", 7),
                ("Sheffield", "114", 7),
                ("Nottingham", "115", 7),
                ("Leicester", "116", 7),
                ("Bristol", "117", 7),
                ("Reading", "118", 7),
                ("Edinburgh", "131", 7),
                ("Glasgow", "141", 7),
                ("Liverpool", "151", 7),
                ("Newcastle upon Tyne", "191", 7),
                ("Cardiff", "29", 8),
                ("Belfast", "28", 8),
            ],
        ),
        _mobile("United Kingdom", "73 74 75 77 78 79", 8),
        0.55,
    ),
    "de_DE": _NumberPlan(
        "49",
        "DE",
        _areas(
            "Germany",
            [
                ("Berlin", "30", 8),
                ("Hamburg", "40", 8),
                ("Munich", "89", 8),
                ("Cologne", "221", 7),
                ("Frankfurt", "69", 8),
                ("Stuttgart", "711", 7),
                ("Dusseldorf", "211", 7),
                ("Dortmund", "231", 7),
                ("Essen", "201", 7),
                ("Leipzig", "341", 7),
                ("Bremen", "421", 7),
                ("Dresden", "351", 7),
                ("Hanover", "511", 7),
                ("Nuremberg", "911", 7),
            ],
        ),
        _mobile("Germany", "151 152 157 159 176 177 178 179", 8)
        + _mobile("Germany", "160 170 171 175", 7),
        0.5,
    ),
    "fr_FR": _NumberPlan(
        "33",
        "FR",
        _areas(
            "France",
            [
                ("Paris", "1", 8),
                ("Lyon", "472", 6),
                ("Lyon", "478", 6),
                ("Marseille", "491", 6),
                ("Toulouse", "561", 6),
                ("Nice", "493", 6),
                ("Nantes", "240", 6),
                ("Strasbourg", "388", 6),
                ("Montpellier", "467", 6),
                ("Bordeaux", "556", 6),
                ("Lille", "320", 6),
                ("Rennes", "299", 6),
                ("Grenoble", "476", 6),
            ],
        ),
        _mobile("France", "6 7", 8),
        0.6,
    ),
    "ja_JP": _NumberPlan(
        "81",
        "JP",
        _areas(
            "Japan",
            [
                ("Tokyo", "3", 8),
                ("Osaka", "6", 8),
                ("Nagoya", "52", 7),
                ("Yokohama", "45", 7),
                ("Sapporo", "11", 7),
                ("Fukuoka", "92", 7),
                ("Kobe", "78", 7),
                ("Kyoto", "75", 7),
                ("Sendai", "22", 7),
                ("Hiroshima", "82", 7),
            ],
        ),
        _mobile("Japan", "70 80 90", 8),
        0.6,
    ),
}
"""A small numbering plan per locale: real area codes with their city, and mobile ranges."""


def _plan(locale: str) -> _NumberPlan:
    return _PLANS.get(locale, _PLANS["en_US"])


def _number_in(rng: random.Random, plan: _NumberPlan, area: Area) -> str:
    """A subscriber number in ``area``: first digit 2-9; NANP exchanges avoid N11 and 555."""
    n = area.subscriber
    while True:
        subscriber = str(rng.randrange(2 * 10 ** (n - 1), 10**n))
        if plan.country_code != "1" or (subscriber[1:3] != "11" and subscriber[:3] != "555"):
            return f"+{plan.country_code}{area.prefix}{subscriber}"


def phone_number(rng: random.Random, locale: str, *, mobile: bool | None = None) -> tuple[str, str]:
    """Draw ``(E.164 number, locality)`` for ``locale``; ``mobile=None`` mixes like real callers.

    Mobile numbers have the country name as locality; US mobiles are geographic, so there
    ``mobile`` only chooses a geographic number. Unknown locales use the US plan.
    """
    plan = _plan(locale)
    if mobile is None:
        mobile = rng.random() < plan.mobile_share
    area = rng.choice(plan.mobile if mobile and plan.mobile else plan.geographic)
    return _number_in(rng, plan, area), area.locality


def home_areas(rng: random.Random, locale: str, count: int = 3) -> list[Area]:
    """Draw ``count`` of the locale's geographic areas: the cities an org has its offices in."""
    geographic = _plan(locale).geographic
    return rng.sample(geographic, min(count, len(geographic)))


def area_number(rng: random.Random, locale: str, areas: Sequence[Area]) -> tuple[str, str]:
    """Draw ``(E.164 number, locality)`` in one of ``areas`` (of ``locale``'s plan)."""
    area = rng.choice(areas)
    return _number_in(rng, _plan(locale), area), area.locality


def is_mobile(number: str) -> bool:
    """Whether an E.164 number is in a mobile range of a known plan (never true for US numbers)."""
    for plan in _PLANS.values():
        if number.startswith(f"+{plan.country_code}"):
            national = number[len(plan.country_code) + 1 :]
            return any(national.startswith(a.prefix) for a in plan.mobile)
    return False


def country_iso(number: str) -> str:
    """The ISO country (``GB``) of an E.164 number of a known plan, else an empty string."""
    return next((p.iso for p in _PLANS.values() if number.startswith(f"+{p.country_code}")), "")
