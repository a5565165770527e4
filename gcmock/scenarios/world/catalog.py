"""The org world: everything a conversation refers to, built once per (seed, size, locale).

Faker is slow per call, so it runs only here; conversations draw from the precomputed pools with
the random stream they are handed. Every entity is an immutable record; the directory JSON the mock
server serves is produced by the ``*_json`` functions of this module.

The entities themselves are made by the factory_boy factories of :mod:`gcmock.fixtures.factories`
(imported lazily, since they import this module), so a hand-made ``UserFactory()`` and a user of a
built world look alike. This module owns the catalogues (queue names, wrap-up codes, titles...),
the per-country phone number plans and the JSON projections.
"""

from __future__ import annotations

import random
import threading
import uuid
from collections.abc import Callable, Collection, Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import factory.random
from factory.faker import Faker as FactoryFaker

if TYPE_CHECKING:
    from gcmock.fixtures.factories import Person

__all__ = [
    "DEFAULT_SERVICE_LEVEL_MS",
    "LOCALES",
    "SIZES",
    "SYSTEM_WRAPUP_TIMEOUT",
    "Division",
    "ExternalContact",
    "ExternalOrganization",
    "Group",
    "IvrFlow",
    "Language",
    "Queue",
    "Skill",
    "Team",
    "User",
    "World",
    "WorldSize",
    "WrapupCode",
    "build_world",
    "division_ref",
    "external_contact_json",
    "external_contact_ref",
    "external_organization_json",
    "group_json",
    "jabber_id",
    "language_json",
    "locale_tag",
    "new_id",
    "phone_number",
    "queue_json",
    "queue_ref",
    "skill_json",
    "station_address",
    "team_json",
    "team_ref",
    "user_json",
    "user_ref",
    "wrapup_code_json",
]

LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR", "ja_JP")
"""Faker locales a world can be built for."""

SYSTEM_WRAPUP_TIMEOUT = "ININ-WRAP-UP-TIMEOUT"
"""The code Genesys assigns when ACW times out: its id and name are both this string."""

WrapupPrompt = Literal["mandatory", "optional", "agentRequested", "timeout", "forcedTimeout"]

JsonDict = dict[str, Any]


@dataclass(frozen=True, slots=True)
class WorldSize:
    """How many of each entity a world has; ``wrapup_codes`` counts the system code too."""

    queues: int
    agents: int
    supervisors: int
    wrapup_codes: int
    contacts: int
    ivr_flows: int
    organizations: int
    callers: int = 3000
    """Unknown caller numbers in ``World.caller_numbers``."""
    external_numbers: int = 100


SIZES: dict[str, WorldSize] = {
    "small": WorldSize(
        queues=4,
        agents=20,
        supervisors=2,
        wrapup_codes=10,
        contacts=200,
        ivr_flows=2,
        organizations=20,
        callers=500,
        external_numbers=20,
    ),
    "medium": WorldSize(
        queues=8,
        agents=60,
        supervisors=6,
        wrapup_codes=20,
        contacts=2000,
        ivr_flows=4,
        organizations=100,
        callers=3000,
        external_numbers=100,
    ),
    "large": WorldSize(
        queues=40,
        agents=600,
        supervisors=40,
        wrapup_codes=60,
        contacts=20000,
        ivr_flows=12,
        organizations=1000,
        callers=20000,
        external_numbers=500,
    ),
}


@dataclass(frozen=True, slots=True)
class Division:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Skill:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Language:
    """A routing language (``/api/v2/routing/languages``) a queue is tagged with."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Team:
    id: str
    name: str
    division_id: str


@dataclass(frozen=True, slots=True)
class Group:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class User:
    id: str
    name: str
    email: str
    username: str
    department: str
    title: str
    locale: str
    """BCP-47 style language tag, e.g. ``en-US``."""
    division_id: str
    team_id: str
    is_supervisor: bool
    queue_ids: tuple[str, ...]
    station_address: str
    """WebRTC station SIP address used as the agent leg's address/dnis."""
    manager_id: str = ""
    """The supervisor leading the user's team; empty for supervisors."""
    work_phone: str = ""
    """E.164 desk number shown in the user's ``addresses``; empty when the user has none."""
    version: int = 1


@dataclass(frozen=True, slots=True)
class WrapupCode:
    id: str
    name: str
    division_id: str
    description: str = ""
    date_created_ms: int = 0
    """0 means unknown: ``dateCreated`` is then left out of the JSON."""


DEFAULT_SERVICE_LEVEL_MS = 20_000
"""A queue's service level target unless set: Genesys' default 80 % answered in 20 s."""


@dataclass(frozen=True, slots=True)
class Queue:
    id: str
    name: str
    division_id: str
    description: str
    wrapup_code_ids: tuple[str, ...]
    skill_ids: tuple[str, ...]
    language_id: str
    language_name: str
    dnis: tuple[str, ...]
    """E.164 numbers (``+1312...``) customers dial to reach this queue."""
    member_ids: tuple[str, ...]
    alerting_timeout_ms: int
    wrapup_timeout_ms: int
    wrapup_prompt: WrapupPrompt
    calling_party_number: str
    date_created_ms: int
    service_level_percentage: float = 0.8
    service_level_duration_ms: int = DEFAULT_SERVICE_LEVEL_MS


@dataclass(frozen=True, slots=True)
class IvrFlow:
    id: str
    name: str
    queue_ids: tuple[str, ...]
    """Queues the flow transfers to."""


@dataclass(frozen=True, slots=True)
class ExternalOrganization:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class ExternalContact:
    id: str
    first_name: str
    last_name: str
    phone: str
    """E.164, ``+`` and digits."""
    email: str
    organization_id: str
    division_id: str
    locale: str
    locality: str
    """Geo name Genesys shows for the caller, e.g. ``Lawrenceburg IN``."""

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True, slots=True)
class World:
    """The immutable catalogue of one org plus the pools conversations draw from."""

    seed: int
    size: str
    locale: str
    org_name: str
    """Short org name used in station SIP addresses (``...+{org}.orgspan.com``)."""
    edge_ip: str
    home_division: Division
    divisions: tuple[Division, ...]
    skills: tuple[Skill, ...]
    teams: tuple[Team, ...]
    groups: tuple[Group, ...]
    users: tuple[User, ...]
    queues: tuple[Queue, ...]
    wrapup_codes: tuple[WrapupCode, ...]
    """Includes the system code ``ININ-WRAP-UP-TIMEOUT`` (last)."""
    ivr_flows: tuple[IvrFlow, ...]
    organizations: tuple[ExternalOrganization, ...]
    contacts: tuple[ExternalContact, ...]
    caller_numbers: tuple[str, ...]
    """E.164 numbers of unknown callers, drawn per conversation."""
    caller_localities: tuple[str, ...]
    """Geo names paired index-by-index with ``caller_numbers``."""
    did_localities: dict[str, str]
    """DNIS (E.164) -> geo name shown on the IVR leg."""
    external_numbers: tuple[str, ...]
    """E.164 numbers outside the org (blind/consult transfers to an external party)."""
    script_ids: tuple[str, ...]
    email_subjects: tuple[str, ...]
    message_texts: tuple[str, ...]
    wrapup_notes: tuple[str, ...]
    users_by_id: dict[str, User] = field(repr=False)
    queues_by_id: dict[str, Queue] = field(repr=False)
    wrapup_codes_by_id: dict[str, WrapupCode] = field(repr=False)
    contacts_by_id: dict[str, ExternalContact] = field(repr=False)
    languages: tuple[Language, ...] = ()
    """Routing languages used by the queues: the locale's own first."""
    divisions_by_id: dict[str, Division] = field(default_factory=dict, repr=False)
    teams_by_id: dict[str, Team] = field(default_factory=dict, repr=False)
    skills_by_id: dict[str, Skill] = field(default_factory=dict, repr=False)
    organizations_by_id: dict[str, ExternalOrganization] = field(default_factory=dict, repr=False)
    contacts_by_phone: dict[str, ExternalContact] = field(default_factory=dict, repr=False)
    """Caller-id lookup: a call from one of these numbers is a known customer."""

    @property
    def agents(self) -> tuple[User, ...]:
        return tuple(u for u in self.users if not u.is_supervisor)

    @property
    def supervisors(self) -> tuple[User, ...]:
        return tuple(u for u in self.users if u.is_supervisor)


# --- ids and small helpers --------------------------------------------------------------------


def new_id(rng: random.Random) -> str:
    """A lowercase UUID v4 drawn from ``rng`` (never ``uuid4()``), so ids replay with the seed."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def locale_tag(locale: str) -> str:
    """Faker locale ``en_US`` -> language tag ``en-US`` as Genesys shows it."""
    return locale.replace("_", "-")


def station_address(rng: random.Random, org: str) -> str:
    """A WebRTC station address in the real format (the 24-hex part doubles as the jabber id)."""
    return (
        f"sip:{rng.getrandbits(96):024x}+{org}.orgspan.com;tgrp={new_id(rng)};"
        f"trunk-context={org}@localhost"
    )


def jabber_id(world: World, user: User) -> str:
    """The user's chat jabber id: the same 24 hex digits as the station address."""
    hex_id = user.station_address.removeprefix("sip:").partition("+")[0]
    return f"{hex_id}@{world.org_name}.orgspan.com"


T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


def weighted(rng: random.Random, table: Sequence[tuple[T, float]]) -> T:
    """Draw one value of a ``(value, weight)`` table."""
    values = [v for v, _ in table]
    weights = [w for _, w in table]
    return rng.choices(values, weights)[0]


# --- catalogues ---------------------------------------------------------------------------------

CORE_QUEUES = ("Customer Service", "Billing", "Tech Support", "Sales")
"""Every world has these queues first, in this order."""

QUEUE_DEPARTMENTS: dict[str, str] = {
    **dict.fromkeys(
        (
            "Customer Service",
            "General Inquiries",
            "Account Management",
            "Order Status",
            "Returns",
            "Refunds",
            "Shipping & Delivery",
            "Claims",
            "Complaints",
            "Loyalty Program",
            "Warranty",
            "Appointments",
            "Card Services",
            "Fraud & Security",
            "Customer Care",
            "Member Services",
            "Store Support",
            "Escalations",
            "VIP Support",
            "Feedback",
            "Accessibility Support",
            "Moving Services",
        ),
        "Customer Service",
    ),
    **dict.fromkeys(
        ("Billing", "Payments", "Collections", "Billing Disputes", "Autopay", "Invoices"),
        "Billing",
    ),
    **dict.fromkeys(
        (
            "Tech Support",
            "Tech Support Tier 2",
            "Internet Support",
            "Mobile Support",
            "TV Support",
            "Device Setup",
            "Outage Reporting",
            "Helpdesk",
            "Installations",
            "Password Reset",
            "Network Operations",
            "Field Service",
        ),
        "Technical Support",
    ),
    **dict.fromkeys(
        (
            "Sales",
            "New Customers",
            "Upgrades",
            "Renewals",
            "Retention",
            "Business Sales",
            "Partner Sales",
            "Outbound Sales",
            "Quotes",
            "Cancellations",
        ),
        "Sales",
    ),
}
"""Realistic contact-center queue names and the department their agents sit in."""

QUEUE_NAMES = tuple(QUEUE_DEPARTMENTS)

DEPARTMENT_BLURBS = {
    "Customer Service": "Orders, accounts and general questions",
    "Billing": "Invoices, payments, refunds and payment plans",
    "Technical Support": "Troubleshooting, setup and outages",
    "Sales": "New business, upgrades, renewals and retention",
}

AGENT_TITLES: dict[str, tuple[str, ...]] = {
    "Customer Service": (
        "Customer Service Representative",
        "Customer Service Advisor",
        "Contact Center Agent",
        "Senior Customer Service Representative",
    ),
    "Billing": ("Billing Specialist", "Billing Representative", "Accounts Receivable Specialist"),
    "Technical Support": (
        "Technical Support Specialist",
        "Technical Support Representative",
        "Support Engineer",
        "Senior Support Engineer",
    ),
    "Sales": (
        "Sales Representative",
        "Inside Sales Representative",
        "Account Executive",
        "Retention Specialist",
    ),
}
DEPARTMENTS = tuple(AGENT_TITLES)

SUPERVISOR_DEPARTMENT = "Contact Center Operations"
SUPERVISOR_TITLES = (
    "Contact Center Supervisor",
    "Team Leader",
    "Customer Service Supervisor",
    "Contact Center Manager",
)

DIVISION_NAMES = ("Customer Service", "Sales")
"""Divisions besides Home; Sales queues live in Sales, all other queues in Customer Service."""

SKILL_NAMES = (
    "Tier 2",
    "VIP",
    "Complaints Handling",
    "Product Expert",
    "Retention",
    "Fraud Prevention",
    "Outbound Calling",
    "Email Handling",
    "Chat Handling",
    "Escalations",
    "Returns",
    "Payments",
    "Networking",
    "Mobile Devices",
    "Business Accounts",
    "Collections",
    "Claims",
    "Onboarding",
    "Accessibility",
    "Social Media",
)
"""Skills beyond the one-per-department skill (named after the department)."""

TEAM_NAMES = (
    "Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India", "Juliett",
    "Kilo", "Lima", "Mike", "November", "Oscar", "Papa", "Quebec", "Romeo", "Sierra", "Tango",
    "Uniform", "Victor", "Whiskey", "X-ray", "Yankee", "Zulu",
)  # fmt: skip

GROUP_NAMES = (
    "All Agents",
    "Supervisors",
    "Contact Center",
    "Billing Team",
    "Tech Support Team",
    "Sales Team",
    "Early Shift",
    "Late Shift",
    "Weekend Shift",
    "New Hires",
    "Quality Assurance",
    "Workforce Management",
    "Escalation Desk",
    "Trainers",
    "Remote Agents",
)

IVR_FLOWS: tuple[tuple[str, str], ...] = (
    ("Main Menu", "*"),
    ("Billing Self-Service", "Billing"),
    ("Tech Support Triage", "Technical Support"),
    ("Sales Inbound", "Sales"),
    ("After Hours", ""),
    ("Customer Care Inbound", "Customer Service"),
    ("Payment IVR", "Billing"),
    ("Order Status IVR", "Customer Service"),
    ("Holiday Closure", ""),
    ("Callback Offer", ""),
    ("Outage Message", "Technical Support"),
    ("VIP Line", ""),
    ("Emergency Routing", ""),
    ("Survey Transfer", ""),
    ("Partner Line", "Sales"),
)
"""IVR flows in build order with the department they serve: ``*`` every queue (so each queue is
reachable), ``""`` a couple of random queues."""
IVR_FLOW_NAMES = tuple(name for name, _ in IVR_FLOWS)

WRAPUP_CODES: tuple[tuple[str, str], ...] = (
    ("Resolved", "Issue resolved during the contact"),
    ("Follow-up required", "Agent or back office must contact the customer again"),
    ("Escalated to Tier 2", ""),
    ("Callback scheduled", "Customer asked to be called back"),
    ("Transferred", ""),
    ("Information provided", ""),
    ("Sale completed", "Customer placed an order"),
    ("Not interested", ""),
    ("Wrong number", ""),
    ("Customer hung up", "Customer disconnected before the issue was handled"),
    ("Refund issued", ""),
    ("Payment taken", ""),
    ("Billing dispute", "Customer disputes a charge"),
    ("Password reset", ""),
    ("Order status inquiry", ""),
    ("Complaint logged", "Complaint recorded for the complaints team"),
    ("Cancellation request", ""),
    ("Cancellation saved", "Customer kept the service after a retention offer"),
    ("Technician dispatched", ""),
    ("Voicemail left", ""),
    ("Resolved - First Contact", ""),
    ("Quote provided", ""),
    ("Payment arrangement", "Instalment plan agreed"),
    ("Address updated", ""),
    ("Account locked", ""),
    ("Order placed", ""),
    ("Return authorized", ""),
    ("Replacement sent", ""),
    ("Outage reported", ""),
    ("Complaint resolved", ""),
    ("Product inquiry", ""),
    ("Warranty claim", ""),
    ("Fraud reported", "Suspected fraud passed to the security team"),
    ("Card blocked", ""),
    ("Duplicate contact", ""),
    ("Spam", ""),
    ("No answer", ""),
    ("Test contact", "Internal test, exclude from reporting"),
    ("Survey completed", ""),
    ("Upsell accepted", ""),
    ("Upsell declined", ""),
    ("Renewal completed", ""),
    ("Appointment booked", ""),
    ("Appointment cancelled", ""),
    ("Documents requested", ""),
    ("Claim opened", ""),
    ("Claim status update", ""),
    ("Language barrier", ""),
    ("Internal call", ""),
    ("Do not call", "Customer asked not to be contacted again"),
    ("Promise to pay", ""),
    ("Email sent", ""),
    ("Case created", ""),
    ("Case updated", ""),
    ("Feedback received", ""),
    ("Unresolved - technical issue", ""),
    ("Shipping delay", ""),
    ("Damaged item", ""),
    ("Misrouted", "Contact reached the wrong queue"),
    ("Other", ""),
)
"""Wrap-up code names (unique) with an optional description; the first ones are the common ones."""

SYSTEM_WRAPUP_DESCRIPTION = "Assigned by the system when after-call work times out"

ALERTING_TIMEOUTS_MS = ((8000, 0.7), (10000, 0.1), (15000, 0.12), (20000, 0.08))
WRAPUP_TIMEOUTS_MS = ((60000, 0.3), (120000, 0.5), (180000, 0.2))
WRAPUP_PROMPTS: tuple[tuple[WrapupPrompt, float], ...] = (
    ("mandatory", 0.35),
    ("optional", 0.25),
    ("timeout", 0.3),
    ("agentRequested", 0.05),
    ("forcedTimeout", 0.05),
)
SERVICE_LEVELS = (((0.8, 20000), 0.6), ((0.9, 30000), 0.25), ((0.8, 60000), 0.15))
"""(percentage, durationMs): 80/20 is the industry default."""

LANGUAGES: dict[str, tuple[str, str]] = {
    "en_US": ("English", "Spanish"),
    "en_GB": ("English", "Welsh"),
    "de_DE": ("German", "English"),
    "fr_FR": ("French", "English"),
    "ja_JP": ("Japanese", "English"),
}
"""Per locale: the language most queues speak and the one of the extra language queue."""

ORG_WORDS = (
    ("blue", "north", "bright", "summit", "harbor", "cedar", "silver", "river", "maple", "atlas"),
    ("peak", "wind", "line", "point", "bridge", "field", "stone", "gate", "works", "wave"),
)

CREATED_FROM_MS = 1546300800000
"""2019-01-01T00:00:00Z: directory entities are created during the three years after this."""
CREATED_SPAN_MS = 3 * 365 * 86400000


def created_ms(rng: random.Random) -> int:
    """A plausible creation time for a directory entity (fixed epoch, so no wall clock)."""
    return CREATED_FROM_MS + rng.randrange(CREATED_SPAN_MS)


# --- phone numbers ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Area:
    prefix: str
    """National digits after the country code that select the area, e.g. ``312`` or ``20``."""
    subscriber: int
    """How many digits follow the prefix."""
    locality: str


@dataclass(frozen=True, slots=True)
class _NumberPlan:
    country_code: str
    iso: str
    geographic: tuple[_Area, ...]
    mobile: tuple[_Area, ...]
    mobile_share: float


def _us_areas(table: str) -> tuple[_Area, ...]:
    """Parse ``City ST: 312 773; ...`` into NANP areas (7 subscriber digits each)."""
    areas = []
    for entry in table.split(";"):
        locality, codes = entry.split(":")
        areas += [_Area(code, 7, locality.strip()) for code in codes.split()]
    return tuple(areas)


def _areas(country: str, table: Sequence[tuple[str, str, int]]) -> tuple[_Area, ...]:
    return tuple(_Area(prefix, n, f"{city}, {country}") for city, prefix, n in table)


def _mobile(country: str, prefixes: str, subscriber: int) -> tuple[_Area, ...]:
    return tuple(_Area(p, subscriber, country) for p in prefixes.split())


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


def _number_in(rng: random.Random, plan: _NumberPlan, area: _Area) -> str:
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


def _geo_number(rng: random.Random, locale: str, areas: Sequence[_Area]) -> tuple[str, str]:
    area = rng.choice(areas)
    return _number_in(rng, _plan(locale), area), area.locality


def _is_mobile(number: str) -> bool:
    for plan in _PLANS.values():
        if number.startswith(f"+{plan.country_code}"):
            national = number[len(plan.country_code) + 1 :]
            return any(national.startswith(a.prefix) for a in plan.mobile)
    return False


def _country_iso(number: str) -> str:
    return next((p.iso for p in _PLANS.values() if number.startswith(f"+{p.country_code}")), "")


# --- text pools ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Phrases:
    messages: tuple[str, ...]
    subjects: tuple[str, ...]
    notes: tuple[str, ...]


_PHRASES: dict[str, _Phrases] = {
    "en": _Phrases(
        messages=(
            "Hi, I have a question about my last bill.",
            "My order {order} still hasn't arrived.",
            "I was charged twice this month, can you check?",
            "Can I change the delivery address for order {order}?",
            "The app keeps logging me out.",
            "I'd like to cancel my subscription.",
            "How do I reset my password?",
            "I got an email saying my payment of {amount} failed.",
            "The item arrived damaged. What are my options?",
            "Can someone call me back this afternoon?",
            "Thanks, that fixed it!",
            "My internet has been down since this morning.",
            "I never received the refund of {amount}.",
            "Do you have any discounts for existing customers?",
            "Hi {name}, thanks for reaching out! How can I help you today?",
            "Let me look into that for you, one moment please.",
            "Could you please confirm the email address on the account?",
            "I can see order {order} is out for delivery today.",
            "I've issued a refund of {amount}; it should appear within 3-5 business days.",
            "I've escalated this to our technical team, they'll follow up by email.",
            "Is there anything else I can help you with?",
            "Thanks for your patience, {name}.",
            "Could you try restarting the device and let me know if that helps?",
        ),
        subjects=(
            "Question about invoice {invoice}",
            "Order {order} not delivered",
            "Refund request for order {order}",
            "Change of address",
            "Complaint: damaged item",
            "Cancel my subscription",
            "Payment of {amount} failed",
            "Re: Your support ticket {ticket}",
            "Request for callback",
            "Unable to log in",
            "Warranty claim for order {order}",
            "Update my billing details",
        ),
        notes=(
            "Customer satisfied, no follow-up.",
            "Refund of {amount} processed.",
            "Escalated to Tier 2, ticket {ticket}.",
            "Sent password reset link.",
            "Callback scheduled for tomorrow.",
            "Explained charges on latest invoice.",
            "Updated shipping address on order {order}.",
            "Customer will call back with account number.",
            "Replacement sent for order {order}.",
            "Issue not resolved, awaiting engineering.",
            "Offered 10% retention discount, accepted.",
            "Verified identity, updated contact details.",
        ),
    ),
    "de": _Phrases(
        messages=(
            "Hallo, ich habe eine Frage zu meiner letzten Rechnung.",
            "Meine Bestellung {order} ist noch nicht angekommen.",
            "Mir wurde diesen Monat doppelt abgebucht, können Sie das prüfen?",
            "Kann ich die Lieferadresse für die Bestellung {order} ändern?",
            "Die App meldet mich ständig ab.",
            "Ich möchte mein Abo kündigen.",
            "Wie setze ich mein Passwort zurück?",
            "Laut einer E-Mail ist meine Zahlung über {amount} fehlgeschlagen.",
            "Der Artikel ist beschädigt angekommen. Was kann ich tun?",
            "Kann mich heute Nachmittag jemand zurückrufen?",
            "Danke, jetzt funktioniert es!",
            "Mein Internet ist seit heute Morgen ausgefallen.",
            "Ich habe die Erstattung über {amount} nie erhalten.",
            "Hallo {name}, danke für Ihre Nachricht! Wie kann ich Ihnen helfen?",
            "Einen Moment bitte, ich schaue mir das für Sie an.",
            "Können Sie mir bitte die E-Mail-Adresse Ihres Kontos bestätigen?",
            "Ihre Bestellung {order} wird heute zugestellt.",
            "Ich habe eine Erstattung über {amount} veranlasst, sie kommt in 3-5 Werktagen an.",
            "Ich habe das an unser Technik-Team weitergeleitet, Sie erhalten eine E-Mail.",
            "Kann ich sonst noch etwas für Sie tun?",
            "Vielen Dank für Ihre Geduld, {name}.",
        ),
        subjects=(
            "Frage zur Rechnung {invoice}",
            "Bestellung {order} nicht geliefert",
            "Erstattung für Bestellung {order}",
            "Adressänderung",
            "Reklamation: beschädigter Artikel",
            "Kündigung meines Abos",
            "Zahlung über {amount} fehlgeschlagen",
            "AW: Ihr Support-Ticket {ticket}",
            "Bitte um Rückruf",
            "Anmeldung nicht möglich",
            "Garantiefall zu Bestellung {order}",
            "Änderung meiner Bankverbindung",
        ),
        notes=(
            "Kunde zufrieden, kein Follow-up nötig.",
            "Erstattung über {amount} veranlasst.",
            "An 2nd Level eskaliert, Ticket {ticket}.",
            "Link zum Zurücksetzen des Passworts gesendet.",
            "Rückruf für morgen vereinbart.",
            "Positionen der letzten Rechnung erklärt.",
            "Lieferadresse für Bestellung {order} geändert.",
            "Kunde meldet sich mit Kundennummer zurück.",
            "Ersatz für Bestellung {order} versendet.",
            "Problem ungelöst, wartet auf Technik.",
            "10 % Halterabatt angeboten, angenommen.",
            "Identität geprüft, Kontaktdaten aktualisiert.",
        ),
    ),
    "fr": _Phrases(
        messages=(
            "Bonjour, j'ai une question sur ma dernière facture.",
            "Ma commande {order} n'est toujours pas arrivée.",
            "J'ai été prélevé deux fois ce mois-ci, pouvez-vous vérifier ?",
            "Puis-je modifier l'adresse de livraison de la commande {order} ?",
            "L'application me déconnecte sans arrêt.",
            "Je souhaite résilier mon abonnement.",
            "Comment réinitialiser mon mot de passe ?",
            "J'ai reçu un e-mail indiquant que mon paiement de {amount} a échoué.",
            "L'article est arrivé endommagé. Que puis-je faire ?",
            "Quelqu'un peut-il me rappeler cet après-midi ?",
            "Merci, ça fonctionne maintenant !",
            "Ma connexion internet est coupée depuis ce matin.",
            "Je n'ai jamais reçu le remboursement de {amount}.",
            "Bonjour {name}, merci de nous avoir contactés ! Comment puis-je vous aider ?",
            "Je regarde cela pour vous, un instant s'il vous plaît.",
            "Pouvez-vous me confirmer l'adresse e-mail du compte ?",
            "Votre commande {order} sera livrée aujourd'hui.",
            "J'ai effectué un remboursement de {amount}, visible sous 3 à 5 jours ouvrés.",
            "J'ai transmis votre demande à notre équipe technique, elle vous répondra par e-mail.",
            "Puis-je vous aider pour autre chose ?",
            "Merci pour votre patience, {name}.",
        ),
        subjects=(
            "Question sur la facture {invoice}",
            "Commande {order} non livrée",
            "Demande de remboursement pour la commande {order}",
            "Changement d'adresse",
            "Réclamation : article endommagé",
            "Résiliation de mon abonnement",
            "Échec du paiement de {amount}",
            "RE : Votre ticket {ticket}",
            "Demande de rappel",
            "Impossible de me connecter",
            "Garantie pour la commande {order}",
            "Mise à jour de mes coordonnées bancaires",
        ),
        notes=(
            "Client satisfait, pas de suivi.",
            "Remboursement de {amount} effectué.",
            "Escaladé au niveau 2, ticket {ticket}.",
            "Lien de réinitialisation envoyé.",
            "Rappel prévu demain.",
            "Explication des frais de la dernière facture.",
            "Adresse de livraison modifiée pour la commande {order}.",
            "Le client rappellera avec son numéro de compte.",
            "Remplacement envoyé pour la commande {order}.",
            "Problème non résolu, en attente de l'équipe technique.",
            "Remise de fidélité de 10 % proposée, acceptée.",
            "Identité vérifiée, coordonnées mises à jour.",
        ),
    ),
    "ja": _Phrases(
        messages=(
            "こんにちは、先月の請求書について質問があります。",
            "注文番号{order}の商品がまだ届いていません。",
            "今月二重に請求されているようです。確認してもらえますか。",
            "注文{order}の配送先住所を変更できますか。",
            "アプリから何度もログアウトされてしまいます。",
            "サブスクリプションを解約したいです。",
            "パスワードのリセット方法を教えてください。",
            "{amount}の支払いが失敗したというメールが届きました。",
            "届いた商品が破損していました。交換をお願いします。",
            "今日の午後に折り返し電話をもらえますか。",
            "ありがとうございます、解決しました。",
            "今朝からインターネットがつながりません。",
            "{amount}の返金がまだ届いていません。",
            "{name}様、お問い合わせありがとうございます。ご用件をお伺いします。",
            "確認いたしますので、少々お待ちください。",
            "アカウントに登録されているメールアドレスを教えていただけますか。",
            "ご注文{order}は本日お届け予定です。",
            "{amount}の返金手続きを行いました。3〜5営業日以内に反映されます。",
            "技術担当に引き継ぎました。メールにてご連絡いたします。",
            "他にご不明な点はございますか。",
            "お待たせいたしました、{name}様。",
        ),
        subjects=(
            "請求書{invoice}についての質問",
            "注文{order}が届かない",
            "注文{order}の返金依頼",
            "住所変更のお願い",
            "破損商品についての苦情",
            "サブスクリプション解約のお願い",
            "{amount}の支払い失敗について",
            "RE: サポートチケット{ticket}",
            "折り返し電話のお願い",
            "ログインできません",
            "注文{order}の保証請求",
            "支払い情報の変更",
        ),
        notes=(
            "お客様納得、フォロー不要。",
            "{amount}の返金処理済み。",
            "二次対応へエスカレーション、チケット{ticket}。",
            "パスワードリセットのリンクを送付。",
            "明日折り返し予定。",
            "最新の請求内容を説明。",
            "注文{order}の配送先を変更。",
            "アカウント番号確認後にお客様より折り返し。",
            "注文{order}の交換品を発送。",
            "未解決、技術部門の回答待ち。",
            "10%の継続割引を提案し承諾。",
            "本人確認済み、連絡先を更新。",
        ),
    ),
}
"""Chat/SMS lines, email subjects and agent notes per language, with slots filled per draw."""


def _amount(rng: random.Random, locale: str) -> str:
    cents = rng.randrange(500, 50000)
    if locale == "ja_JP":
        return f"{cents * 2:,}円"
    if locale in ("de_DE", "fr_FR"):
        return f"{cents // 100},{cents % 100:02d} €"
    return f"{'£' if locale == 'en_GB' else '$'}{cents // 100}.{cents % 100:02d}"


def _fill(
    rng: random.Random, locale: str, templates: Sequence[str], count: int, name: Callable[[], str]
) -> tuple[str, ...]:
    """Render ``count`` lines from ``templates``, deduplicated in draw order."""
    lines = []
    for _ in range(count):
        template = rng.choice(templates)
        lines.append(
            template.format(
                order=rng.randrange(1000000, 9999999),
                invoice=f"INV-{rng.randrange(100000, 999999)}",
                ticket=f"#{rng.randrange(100000, 999999)}",
                amount=_amount(rng, locale),
                name=name() if "{name}" in template else "",
            )
        )
    return tuple(dict.fromkeys(lines))


# --- building -----------------------------------------------------------------------------------

_BUILD_LOCK = threading.Lock()


@contextmanager
def _seeded(seed: int, size: str, locale: str) -> Iterator[random.Random]:
    """Give factory_boy and the locale's Faker streams derived from (seed, size, locale).

    factory_boy's shared ``randgen`` is re-seeded and the Faker instance factory_boy uses for
    ``locale`` gets a private ``random.Random``; both are put back afterwards, so building a world
    neither depends on nor disturbs what other code did with them. String seeds are hashed with
    SHA-512 by ``random``, so the streams do not depend on ``PYTHONHASHSEED``.
    """
    randgen = factory.random.randgen
    fake = FactoryFaker._get_faker(locale)  # type: ignore[no-untyped-call]
    with _BUILD_LOCK:
        saved_state, saved_random = randgen.getstate(), fake.random
        try:
            randgen.seed(f"gcmock-world:{seed}:{size}:{locale}")
            fake.random = random.Random(f"gcmock-faker:{seed}:{size}:{locale}")
            with FactoryFaker.override_default_locale(locale):
                yield randgen
        finally:
            randgen.setstate(saved_state)
            fake.random = saved_random


def _team_name(i: int) -> str:
    """``Team Alpha`` ... ``Team Zulu``, then ``Team Alpha 2``...: unique for any count."""
    lap = i // len(TEAM_NAMES)
    return f"Team {TEAM_NAMES[i % len(TEAM_NAMES)]}" + (f" {lap + 1}" if lap else "")


def _unique(draw: Callable[[], T], key: Callable[[T], K], taken: dict[K, None]) -> T:
    """Redraw until ``key`` is new, then reserve it (dict, not set: ordering must not vary)."""
    for _ in range(1000):
        value = draw()
        if key(value) not in taken:
            taken[key(value)] = None
            return value
    raise RuntimeError("could not draw a unique value in 1000 attempts")


def build_world(seed: int = 0, size: str = "medium", locale: str = "en_US") -> World:
    """Build the world for (seed, size, locale); same arguments, same world, byte for byte.

    The result depends only on the arguments (and the Faker/Python versions), never on global
    random state; the global state used while building is restored (see ``_seeded``). Not safe
    to run while another thread uses factory_boy. The default world takes about 0.3 s.
    """
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}; expected one of {sorted(SIZES)}")
    if locale not in LOCALES:
        raise ValueError(f"unknown locale {locale!r}; expected one of {list(LOCALES)}")
    with _seeded(seed, size, locale) as rng:
        return _Builder(rng, seed, size, locale).build()


class _Builder:
    """One world build: the shared stream, the locale, and the numbers already handed out."""

    def __init__(self, rng: random.Random, seed: int, size: str, locale: str) -> None:
        self.rng = rng
        self.seed = seed
        self.size_name = size
        self.size = SIZES[size]
        self.locale = locale
        self.tag = locale_tag(locale)
        self.org = rng.choice(ORG_WORDS[0]) + rng.choice(ORG_WORDS[1])
        plan = _plan(locale)
        self.home_areas = rng.sample(plan.geographic, min(3, len(plan.geographic)))
        """The org's own cities: DIDs and desk phones are there."""
        self.numbers: dict[str, None] = {}
        """Every number drawn so far, so no number is in two pools."""
        self.did_localities: dict[str, str] = {}

    def number(self, mobile: bool | None = None) -> tuple[str, str]:
        return _unique(
            lambda: phone_number(self.rng, self.locale, mobile=mobile),
            lambda x: x[0],
            self.numbers,
        )

    def local_number(self) -> tuple[str, str]:
        return _unique(
            lambda: _geo_number(self.rng, self.locale, self.home_areas),
            lambda x: x[0],
            self.numbers,
        )

    def build(self) -> World:
        from gcmock.fixtures import factories as f

        rng = self.rng
        edge_ip = f"10.{rng.randrange(1, 255)}.{rng.randrange(0, 256)}.{rng.randrange(1, 255)}"
        home = f.DivisionFactory.build(name="Home")
        divisions = (home, *(f.DivisionFactory.build(name=n) for n in DIVISION_NAMES))
        codes = self.wrapup_codes(home)
        queues, languages, skills, departments = self.queues(divisions, codes)
        teams = tuple(
            f.TeamFactory.build(name=_team_name(i), division_id=home.id)
            for i in range(self.size.supervisors)
        )
        users = self.users(home, teams, queues, departments)
        queues = tuple(
            replace(q, member_ids=tuple(u.id for u in users if q.id in u.queue_ids)) for q in queues
        )
        n_groups = min(len(GROUP_NAMES), 3 + self.size.queues // 4)
        flows = []
        for name, serves in IVR_FLOWS[: self.size.ivr_flows]:
            targets = [q for q in queues if serves in ("*", departments[q.id])]
            if not serves:
                targets = rng.sample(queues, rng.randint(1, 2))
            flows.append(f.IvrFlowFactory.build(name=name, queue_ids=tuple(q.id for q in targets)))
        org_names: dict[str, None] = {}
        organizations = tuple(
            _unique(f.ExternalOrganizationFactory.build, lambda o: o.name, org_names)
            for _ in range(self.size.organizations)
        )
        contacts = tuple(
            f.ExternalContactFactory.build(
                line=self.number(),
                organization_id=rng.choice(organizations).id,
                division_id=home.id,
                locale=self.tag,
            )
            for _ in range(self.size.contacts)
        )
        callers = [self.number() for _ in range(self.size.callers)]
        phrases = _PHRASES[self.locale[:2]]
        fake = f.current_faker()
        greet = fake.last_name if self.locale == "ja_JP" else fake.first_name
        return World(
            seed=self.seed,
            size=self.size_name,
            locale=self.locale,
            org_name=self.org,
            edge_ip=edge_ip,
            home_division=home,
            divisions=divisions,
            skills=skills,
            teams=teams,
            groups=tuple(f.GroupFactory.build(name=n) for n in GROUP_NAMES[:n_groups]),
            users=users,
            queues=queues,
            wrapup_codes=codes,
            ivr_flows=tuple(flows),
            organizations=organizations,
            contacts=contacts,
            caller_numbers=tuple(n for n, _ in callers),
            caller_localities=tuple(loc for _, loc in callers),
            did_localities={n: self.did_localities[n] for q in queues for n in q.dnis},
            external_numbers=tuple(
                self.number(mobile=False)[0] for _ in range(self.size.external_numbers)
            ),
            script_ids=tuple(new_id(rng) for _ in range(5)),
            email_subjects=_fill(rng, self.locale, phrases.subjects, 100, greet),
            message_texts=_fill(rng, self.locale, phrases.messages, 300, greet),
            wrapup_notes=_fill(rng, self.locale, phrases.notes, 100, greet),
            users_by_id={u.id: u for u in users},
            queues_by_id={q.id: q for q in queues},
            wrapup_codes_by_id={c.id: c for c in codes},
            contacts_by_id={c.id: c for c in contacts},
            languages=languages,
            divisions_by_id={d.id: d for d in divisions},
            teams_by_id={t.id: t for t in teams},
            skills_by_id={s.id: s for s in skills},
            organizations_by_id={o.id: o for o in organizations},
            contacts_by_phone={c.phone: c for c in contacts},
        )

    def wrapup_codes(self, home: Division) -> tuple[WrapupCode, ...]:
        """The common codes first, then a random draw of the catalogue; the system code last."""
        from gcmock.fixtures.factories import WrapupCodeFactory

        build = WrapupCodeFactory.build
        n = self.size.wrapup_codes - 1
        picked = [*WRAPUP_CODES[:6], *self.rng.sample(WRAPUP_CODES[6:], max(0, n - 6))][:n]
        return (
            *(build(name=name, division_id=home.id) for name, _ in picked),
            build(system=True, division_id=home.id, date_created_ms=CREATED_FROM_MS),
        )

    def queues(
        self, divisions: tuple[Division, ...], codes: tuple[WrapupCode, ...]
    ) -> tuple[tuple[Queue, ...], tuple[Language, Language], tuple[Skill, ...], dict[str, str]]:
        """Queues (without members yet), their languages and skills, and each one's department.

        The core four come first, then random catalogue names, and from 6 queues on one queue
        in the locale's second language.
        """
        from gcmock.fixtures import factories as f

        rng, size = self.rng, self.size
        primary, secondary = LANGUAGES[self.locale]
        languages = (f.LanguageFactory.build(name=primary), f.LanguageFactory.build(name=secondary))
        n_extra = size.queues - len(CORE_QUEUES) - (size.queues >= 6)
        extra = rng.sample([n for n in QUEUE_NAMES if n not in CORE_QUEUES], n_extra)
        specs = [(n, QUEUE_DEPARTMENTS[n], languages[0]) for n in (*CORE_QUEUES, *extra)]
        if size.queues >= 6:
            specs.append((f"Customer Service - {secondary}", "Customer Service", languages[1]))
        dept_skills = {d: f.SkillFactory.build(name=d) for _, d, _ in specs}
        extra_skills = [
            f.SkillFactory.build(name=n) for n in rng.sample(SKILL_NAMES, max(2, size.queues // 2))
        ]
        division_of = {d.name: d.id for d in divisions}
        queues, departments = [], {}
        for name, dept, language in specs:
            dids = [self.local_number() for _ in range(rng.choice((1, 1, 2, 3)))]
            self.did_localities.update(dids)
            skill_ids = [dept_skills[dept].id]
            if rng.random() < 0.4:
                skill_ids.append(rng.choice(extra_skills).id)
            code_ids = [codes[0].id, *(c.id for c in rng.sample(codes[1:-1], rng.randint(2, 5)))]
            queue = f.QueueFactory.build(
                name=name,
                department=dept,
                division_id=division_of["Sales" if dept == "Sales" else "Customer Service"],
                wrapup_code_ids=tuple(code_ids),
                skill_ids=tuple(skill_ids),
                language_id=language.id,
                language_name=language.name,
                dnis=tuple(n for n, _ in dids),
            )
            queues.append(queue)
            departments[queue.id] = dept
        skills = (*dept_skills.values(), *extra_skills)
        return tuple(queues), languages, skills, departments

    def users(
        self,
        home: Division,
        teams: tuple[Team, ...],
        queues: tuple[Queue, ...],
        departments: dict[str, str],
    ) -> tuple[User, ...]:
        """Supervisors (one per team, in no queue or a few) then agents (each in 1-3 queues).

        The first agents go one per queue and one per team, so none is left empty; the rest
        favour the core queues. An agent takes the department and division of their first queue.
        """
        from gcmock.fixtures import factories as f

        rng = self.rng
        names: dict[str, None] = {}
        emails: dict[str, None] = {}

        def person() -> Person:
            return _unique(
                lambda: _unique(f.draw_person, lambda p: p.display(self.locale), names),
                lambda p: f.person_email(p, self.org),
                emails,
            )

        common = {"org": self.org, "locale": self.tag}
        supervisors = [
            f.UserFactory.build(
                supervisor=True,
                person=person(),
                title=SUPERVISOR_TITLES[-1] if i == 0 else rng.choice(SUPERVISOR_TITLES[:-1]),
                division_id=home.id,
                team_id=team.id,
                queue_ids=tuple(q.id for q in rng.sample(queues, rng.choice((0, 0, 1, 2)))),
                work_phone=self.local_number()[0],
                **common,
            )
            for i, team in enumerate(teams)
        ]
        weights = [3 if q.name in CORE_QUEUES else 1 for q in queues]
        agents = []
        for i in range(self.size.agents):
            first = queues[i] if i < len(queues) else rng.choices(queues, weights)[0]
            others = [q for q in queues if q is not first]
            n_more = min(len(others), weighted(rng, ((0, 0.4), (1, 0.4), (2, 0.2))))
            sup = supervisors[i] if i < len(supervisors) else rng.choice(supervisors)
            agents.append(
                f.UserFactory.build(
                    person=person(),
                    department=departments[first.id],
                    division_id=first.division_id,
                    team_id=sup.team_id,
                    manager_id=sup.id,
                    queue_ids=(first.id, *(q.id for q in rng.sample(others, n_more))),
                    work_phone=self.local_number()[0] if rng.random() < 0.3 else "",
                    **common,
                )
            )
        return (*supervisors, *agents)


# --- JSON projections ---------------------------------------------------------------------------
# Genesys shapes, camelCase, no null values (the SDK crashes on null enums), ms-precision UTC.


def _iso(ms: int) -> str:
    dt = datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(milliseconds=ms)
    return f"{dt:%Y-%m-%dT%H:%M:%S}.{ms % 1000:03d}Z"


def user_ref(user_id: str) -> JsonDict:
    return {"id": user_id, "selfUri": f"/api/v2/users/{user_id}"}


def queue_ref(queue_id: str) -> JsonDict:
    return {"id": queue_id, "selfUri": f"/api/v2/routing/queues/{queue_id}"}


def external_contact_ref(contact_id: str) -> JsonDict:
    return {"id": contact_id, "selfUri": f"/api/v2/externalcontacts/contacts/{contact_id}"}


def division_ref(world: World, division_id: str) -> JsonDict:
    """``{id, name, selfUri}``; the name is left out for a division the world does not know."""
    ref: JsonDict = {"id": division_id}
    division = world.divisions_by_id.get(division_id)
    if division is not None:
        ref["name"] = division.name
    ref["selfUri"] = f"/api/v2/authorization/divisions/{division_id}"
    return ref


def team_ref(world: World, team_id: str) -> JsonDict:
    ref: JsonDict = {"id": team_id}
    team = world.teams_by_id.get(team_id)
    if team is not None:
        ref["name"] = team.name
    ref["selfUri"] = f"/api/v2/teams/{team_id}"
    return ref


def user_json(world: World, user: User, expand: Collection[str] = ()) -> JsonDict:
    """``GET /api/v2/users/{id}``; ``expand`` may hold ``"team"`` like the real query parameter."""
    contacts: list[JsonDict] = [{"address": user.email, "mediaType": "EMAIL", "type": "PRIMARY"}]
    addresses: list[JsonDict] = []
    if user.work_phone:
        phone = {"address": user.work_phone, "display": user.work_phone, "mediaType": "PHONE"}
        contacts.append({**phone, "type": "PRIMARY"})
        addresses.append({**phone, "type": "WORK", "countryCode": _country_iso(user.work_phone)})
    data: JsonDict = {
        "id": user.id,
        "name": user.name,
        "division": division_ref(world, user.division_id),
        "chat": {"jabberId": jabber_id(world, user)},
        "department": user.department,
        "email": user.email,
        "primaryContactInfo": contacts,
        "addresses": addresses,
        "state": "active",
        "title": user.title,
        "username": user.username,
    }
    if user.manager_id:
        data["manager"] = user_ref(user.manager_id)
    data["version"] = user.version
    if "team" in expand and user.team_id:
        data["team"] = team_ref(world, user.team_id)
    data["acdAutoAnswer"] = False
    data["languagePreference"] = user.locale
    data["selfUri"] = f"/api/v2/users/{user.id}"
    return data


_ACW_PROMPTS: dict[str, str] = {
    "mandatory": "MANDATORY",
    "optional": "OPTIONAL",
    "timeout": "MANDATORY_TIMEOUT",
    "forcedTimeout": "MANDATORY_FORCED_TIMEOUT",
    "agentRequested": "AGENT_REQUESTED",
}
"""Participant ``wrapupPrompt`` values -> the queue's ``acwSettings.wrapupPrompt`` enum."""


def _media(alerting_s: int, percentage: float, duration_ms: int) -> JsonDict:
    return {
        "enableAutoAnswer": False,
        "alertingTimeoutSeconds": alerting_s,
        "serviceLevel": {"percentage": percentage, "durationMs": duration_ms},
    }


def queue_json(world: World, queue: Queue) -> JsonDict:
    """``GET /api/v2/routing/queues/{id}``: the voice settings come from the queue record."""
    members = len(queue.member_ids)
    sl = (queue.service_level_percentage, queue.service_level_duration_ms)
    data: JsonDict = {
        "id": queue.id,
        "name": queue.name,
        "division": division_ref(world, queue.division_id),
        "description": queue.description,
        "dateCreated": _iso(queue.date_created_ms),
        "memberCount": members,
        "userMemberCount": members,
        "joinedMemberCount": members,
        "mediaSettings": {
            "call": _media(queue.alerting_timeout_ms // 1000, *sl),
            "callback": {**_media(30, *sl), "mode": "AgentFirst"},
            "chat": _media(30, *sl),
            "email": _media(300, 0.8, 86400000),
            "message": _media(30, *sl),
        },
        "scoringMethod": "TimestampAndPriority",
        "lastAgentRoutingMode": "Disabled",
        "acwSettings": {
            "wrapupPrompt": _ACW_PROMPTS[queue.wrapup_prompt],
            "timeoutMs": queue.wrapup_timeout_ms,
        },
        "skillEvaluationMethod": "BEST",
        "autoAnswerOnly": False,
        "enableTranscription": False,
        "enableAudioMonitoring": False,
        "enableManualAssignment": False,
        "suppressInQueueCallRecording": True,
    }
    if queue.calling_party_number:
        data["callingPartyNumber"] = queue.calling_party_number
    data["selfUri"] = f"/api/v2/routing/queues/{queue.id}"
    return data


def wrapup_code_json(world: World, code: WrapupCode) -> JsonDict:
    data: JsonDict = {
        "id": code.id,
        "name": code.name,
        "division": division_ref(world, code.division_id),
    }
    if code.description:
        data["description"] = code.description
    if code.date_created_ms:
        data["dateCreated"] = _iso(code.date_created_ms)
    data["selfUri"] = f"/api/v2/routing/wrapupcodes/{code.id}"
    return data


def skill_json(world: World, skill: Skill) -> JsonDict:
    """``GET /api/v2/routing/skills/{id}`` (skills live in the home division)."""
    return {
        "id": skill.id,
        "name": skill.name,
        "division": division_ref(world, world.home_division.id),
        "state": "active",
        "selfUri": f"/api/v2/routing/skills/{skill.id}",
    }


def language_json(world: World, language: Language) -> JsonDict:
    return {
        "id": language.id,
        "name": language.name,
        "state": "active",
        "selfUri": f"/api/v2/routing/languages/{language.id}",
    }


def team_json(world: World, team: Team) -> JsonDict:
    """``GET /api/v2/teams/{id}``; ``memberCount`` scans the users, fine for a directory call."""
    return {
        "id": team.id,
        "name": team.name,
        "division": division_ref(world, team.division_id),
        "memberCount": sum(u.team_id == team.id for u in world.users),
        "selfUri": f"/api/v2/teams/{team.id}",
    }


def group_json(world: World, group: Group) -> JsonDict:
    return {
        "id": group.id,
        "name": group.name,
        "state": "active",
        "version": 1,
        "type": "official",
        "rulesVisible": True,
        "visibility": "public",
        "selfUri": f"/api/v2/groups/{group.id}",
    }


def external_organization_json(world: World, organization: ExternalOrganization) -> JsonDict:
    """``GET /api/v2/externalcontacts/organizations/{id}`` (organizations sit in Home)."""
    return {
        "id": organization.id,
        "name": organization.name,
        "division": division_ref(world, world.home_division.id),
        "selfUri": f"/api/v2/externalcontacts/organizations/{organization.id}",
    }


def external_contact_json(world: World, contact: ExternalContact) -> JsonDict:
    """``GET /api/v2/externalcontacts/contacts/{id}``: mobiles as ``cellPhone``, else ``homePhone``.

    US numbers are all reported as ``cellPhone``: most US callers are on mobiles that the
    numbering plan cannot tell apart from landlines.
    """
    mobile = contact.phone.startswith("+1") or _is_mobile(contact.phone)
    data: JsonDict = {
        "id": contact.id,
        "division": division_ref(world, contact.division_id),
        "firstName": contact.first_name,
        "lastName": contact.last_name,
        "cellPhone" if mobile else "homePhone": {
            "display": contact.phone,
            "e164": contact.phone,
            "countryCode": _country_iso(contact.phone),
        },
        "personalEmail": contact.email,
    }
    organization = world.organizations_by_id.get(contact.organization_id)
    if organization is not None:
        data["externalOrganization"] = {
            "id": organization.id,
            "name": organization.name,
            "selfUri": f"/api/v2/externalcontacts/organizations/{organization.id}",
        }
    data["type"] = "Curated"
    data["selfUri"] = f"/api/v2/externalcontacts/contacts/{contact.id}"
    return data
