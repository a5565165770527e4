"""The world's entities: immutable records of one org's directory and the pools conversations
draw from. They hold facts only; the JSON the API serves for them is in
:mod:`gcmock.scenarios.views.directory`, and :mod:`.builder` makes them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "DEFAULT_SERVICE_LEVEL_MS",
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
    "WrapupCode",
    "WrapupPrompt",
]

WrapupPrompt = Literal["mandatory", "optional", "agentRequested", "timeout", "forcedTimeout"]

DEFAULT_SERVICE_LEVEL_MS = 20_000
"""A queue's service level target unless set: Genesys' default 80 % answered in 20 s."""


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
