"""factory_boy factories for the world entities: :func:`.builder.build_world` makes every entity
with them, and tests use them directly (re-exported by :mod:`gcmock.fixtures.factories`).

Every random choice comes from factory_boy's shared streams: ids and catalogue picks from
``factory.random.randgen``, names from the Faker instance factory_boy uses for the current default
locale. ``factory.random.reseed_random(seed)`` therefore replays them exactly, and ``build_world``
(which swaps in streams of its own, see ``gcmock.scenarios.world.builder._seeded``) gets the same
world whatever ran before. No ``Sequence`` and no ``faker.unique``: both carry state between calls.

Relations default to fresh random ids (a ``UserFactory()`` points at a team that does not exist);
pass real ids when the entity must fit a world. ``UserFactory(...)`` and ``UserFactory.build(...)``
make the same dataclass; typed code should prefer ``build`` (factory_boy types it, not the call).
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import factory.random
from factory.base import Factory
from factory.declarations import LazyAttribute, LazyFunction, Trait
from factory.faker import Faker as FakerDeclaration

from . import ids
from .entities import (
    Division,
    ExternalContact,
    ExternalOrganization,
    Group,
    IvrFlow,
    Language,
    Queue,
    Skill,
    Team,
    User,
    WrapupCode,
)
from .phones import phone_number
from .tables import (
    AGENT_TITLES,
    ALERTING_TIMEOUTS_MS,
    DEPARTMENT_BLURBS,
    DEPARTMENTS,
    DIVISION_NAMES,
    GROUP_NAMES,
    IVR_FLOW_NAMES,
    LANGUAGES,
    QUEUE_DEPARTMENTS,
    QUEUE_NAMES,
    SERVICE_LEVELS,
    SKILL_NAMES,
    SUPERVISOR_DEPARTMENT,
    SUPERVISOR_TITLES,
    SYSTEM_WRAPUP_DESCRIPTION,
    SYSTEM_WRAPUP_TIMEOUT,
    TEAM_NAMES,
    WRAPUP_CODES,
    WRAPUP_PROMPTS,
    WRAPUP_TIMEOUTS_MS,
    created_ms,
    weighted,
)

__all__ = [
    "DivisionFactory",
    "ExternalContactFactory",
    "ExternalOrganizationFactory",
    "GroupFactory",
    "IvrFlowFactory",
    "LanguageFactory",
    "Person",
    "QueueFactory",
    "SkillFactory",
    "TeamFactory",
    "UserFactory",
    "WrapupCodeFactory",
    "ascii_name",
    "current_faker",
    "current_locale",
    "draw_person",
    "lazy_attribute",
    "lazy_function",
    "person_email",
    "reseed",
    "trait",
]


T = TypeVar("T")

# factory_boy ships py.typed but leaves its declarations untyped; these typed wrappers keep the
# mypy exceptions in one place.


def lazy_function(function: Callable[[], T]) -> Any:
    """``factory.LazyFunction``."""
    return LazyFunction(function)  # type: ignore[no-untyped-call]


def lazy_attribute(function: Callable[[Any], T]) -> Any:
    """``factory.LazyAttribute``: ``function`` gets the object being built (with its params)."""
    return LazyAttribute(function)  # type: ignore[no-untyped-call]


def trait(**overrides: Any) -> Any:
    """``factory.Trait``."""
    return Trait(**overrides)  # type: ignore[no-untyped-call]


def reseed(seed: int) -> None:
    """Typed ``factory.random.reseed_random``: replay every factory (ids, picks and Faker)."""
    factory.random.reseed_random(seed)  # type: ignore[no-untyped-call]


def _rng() -> random.Random:
    return factory.random.randgen


def _id() -> str:
    return ids.new_id(_rng())


def _pick(values: tuple[str, ...]) -> Any:
    return lazy_function(lambda: _rng().choice(values))


def current_faker() -> Any:
    """The Faker instance factory_boy's ``factory.Faker`` would use now (default locale)."""
    return FakerDeclaration._get_faker()  # type: ignore[no-untyped-call]


def current_locale() -> str:
    """The Faker locale in effect, e.g. ``de_DE`` inside ``build_world(locale="de_DE")``."""
    return str(current_faker().locales[0])


@dataclass(frozen=True, slots=True)
class Person:
    """A drawn name with its ASCII spelling, so the email matches the name (also in Japanese)."""

    first: str
    last: str
    first_ascii: str
    last_ascii: str

    def display(self, locale: str) -> str:
        """Full name as the locale writes it: family name first in Japanese."""
        if locale[:2] == "ja":
            return f"{self.last} {self.first}"
        return f"{self.first} {self.last}"


_TRANSLIT = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l"}
)


def ascii_name(name: str) -> str:
    """Lowercase ASCII for an email local part: German umlauts spelled out, accents dropped."""
    folded = unicodedata.normalize("NFKD", name.lower().translate(_TRANSLIT))
    return re.sub(r"[^a-z0-9-]", "", folded.encode("ascii", "ignore").decode())


def draw_person() -> Person:
    """A locale-appropriate name; Japanese names come with their romanization from Faker."""
    fake = current_faker()
    if hasattr(fake, "last_name_pair"):
        first, _, first_roman = fake.first_name_pair()
        last, _, last_roman = fake.last_name_pair()
        return Person(first, last, ascii_name(first_roman), ascii_name(last_roman))
    first, last = fake.first_name(), fake.last_name()
    return Person(first, last, ascii_name(first) or "user", ascii_name(last) or "user")


def person_email(person: Person, org: str) -> str:
    """Corporate address ``first.last@{org}.com``; also the Genesys username."""
    return f"{person.first_ascii}.{person.last_ascii}@{org}.com"


def _contact_email(person: Person) -> str:
    """A private address in one of the shapes people pick, at a free-mail domain of the locale."""
    shape = _rng().choice(("{f}.{l}", "{f}{l}", "{i}{l}", "{f}.{l}{n}", "{f}_{l}{y}"))
    local = shape.format(
        f=person.first_ascii,
        l=person.last_ascii,
        i=person.first_ascii[:1],
        n=_rng().randrange(1, 99),
        y=_rng().randrange(1950, 2006),
    )
    return f"{local}@{current_faker().free_email_domain()}"


def _dids() -> tuple[str, ...]:
    count = _rng().choice((1, 1, 2, 3))
    return tuple(phone_number(_rng(), current_locale(), mobile=False)[0] for _ in range(count))


def _agent_title(department: str) -> str:
    return _rng().choice(AGENT_TITLES.get(department, AGENT_TITLES["Customer Service"]))


class DivisionFactory(Factory[Division]):
    class Meta:
        model = Division

    id = lazy_function(_id)
    name = _pick(("Home", *DIVISION_NAMES))


class LanguageFactory(Factory[Language]):
    class Meta:
        model = Language

    id = lazy_function(_id)
    name = lazy_function(lambda: LANGUAGES.get(current_locale(), ("English",))[0])


class SkillFactory(Factory[Skill]):
    class Meta:
        model = Skill

    id = lazy_function(_id)
    name = _pick(SKILL_NAMES)


class TeamFactory(Factory[Team]):
    class Meta:
        model = Team

    id = lazy_function(_id)
    name = lazy_function(lambda: f"Team {_rng().choice(TEAM_NAMES)}")
    division_id = lazy_function(_id)


class GroupFactory(Factory[Group]):
    class Meta:
        model = Group

    id = lazy_function(_id)
    name = _pick(GROUP_NAMES)


class UserFactory(Factory[User]):
    """An agent by default; ``UserFactory(supervisor=True)`` for a supervisor.

    ``person`` (a :class:`Person`) and ``org`` (the org short name of the email and station
    address) are parameters, so ``UserFactory(person=Person(...), org="acme")`` keeps the
    name, email and SIP address consistent.
    """

    class Meta:
        model = User

    class Params:
        person = lazy_function(draw_person)
        org = "gcmock"
        supervisor = trait(
            is_supervisor=True,
            department=SUPERVISOR_DEPARTMENT,
            title=_pick(SUPERVISOR_TITLES),
        )

    id = lazy_function(_id)
    name = lazy_attribute(lambda o: o.person.display(o.locale))
    email = lazy_attribute(lambda o: person_email(o.person, o.org))
    username = lazy_attribute(lambda o: o.email)
    department = _pick(DEPARTMENTS)
    title = lazy_attribute(lambda o: _agent_title(o.department))
    locale = lazy_function(lambda: ids.locale_tag(current_locale()))
    division_id = lazy_function(_id)
    team_id = lazy_function(_id)
    is_supervisor = False
    queue_ids: tuple[str, ...] = ()
    station_address = lazy_attribute(lambda o: ids.station_address(_rng(), o.org))
    manager_id = ""
    work_phone = ""
    version = 1


_CODE_DESCRIPTIONS = dict(WRAPUP_CODES)


class WrapupCodeFactory(Factory[WrapupCode]):
    """A catalogue wrap-up code; ``WrapupCodeFactory(system=True)`` makes the timeout code."""

    class Meta:
        model = WrapupCode

    class Params:
        system = trait(
            id=SYSTEM_WRAPUP_TIMEOUT,
            name=SYSTEM_WRAPUP_TIMEOUT,
            description=SYSTEM_WRAPUP_DESCRIPTION,
        )

    id = lazy_function(_id)
    name = _pick(tuple(_CODE_DESCRIPTIONS))
    division_id = lazy_function(_id)
    description = lazy_attribute(lambda o: _CODE_DESCRIPTIONS.get(o.name, ""))
    date_created_ms = lazy_function(lambda: created_ms(_rng()))


class QueueFactory(Factory[Queue]):
    """A queue with realistic voice settings; ``mandatory_wrapup=True`` forces the prompt.

    ``department`` (a parameter, derived from the name) only shapes the description.
    """

    class Meta:
        model = Queue

    class Params:
        department = lazy_attribute(lambda o: QUEUE_DEPARTMENTS.get(o.name, "Customer Service"))
        service_level = lazy_function(lambda: weighted(_rng(), SERVICE_LEVELS))
        mandatory_wrapup = trait(wrapup_prompt="mandatory")

    id = lazy_function(_id)
    name = _pick(QUEUE_NAMES)
    division_id = lazy_function(_id)
    description = lazy_attribute(
        lambda o: f"{o.name}: {DEPARTMENT_BLURBS.get(o.department, 'Inbound contacts').lower()}"
    )
    wrapup_code_ids: tuple[str, ...] = ()
    skill_ids: tuple[str, ...] = ()
    language_id = lazy_function(_id)
    language_name = lazy_function(lambda: LANGUAGES.get(current_locale(), ("English",))[0])
    dnis = lazy_function(_dids)
    member_ids: tuple[str, ...] = ()
    alerting_timeout_ms = lazy_function(lambda: weighted(_rng(), ALERTING_TIMEOUTS_MS))
    wrapup_timeout_ms = lazy_function(lambda: weighted(_rng(), WRAPUP_TIMEOUTS_MS))
    wrapup_prompt = lazy_function(lambda: weighted(_rng(), WRAPUP_PROMPTS))
    calling_party_number = lazy_attribute(lambda o: o.dnis[0] if o.dnis else "")
    date_created_ms = lazy_function(lambda: created_ms(_rng()))
    service_level_percentage = lazy_attribute(lambda o: o.service_level[0])
    service_level_duration_ms = lazy_attribute(lambda o: o.service_level[1])


class IvrFlowFactory(Factory[IvrFlow]):
    class Meta:
        model = IvrFlow

    id = lazy_function(_id)
    name = _pick(IVR_FLOW_NAMES)
    queue_ids: tuple[str, ...] = ()


class ExternalOrganizationFactory(Factory[ExternalOrganization]):
    class Meta:
        model = ExternalOrganization

    id = lazy_function(_id)
    name = FakerDeclaration("company")  # type: ignore[no-untyped-call]


class ExternalContactFactory(Factory[ExternalContact]):
    """A known customer; ``line`` is the ``(number, locality)`` pair.

    ``mobile=True``/``False`` picks a mobile/landline number; the default mixes like real callers.
    """

    class Meta:
        model = ExternalContact

    class Params:
        person = lazy_function(draw_person)
        mobile = None
        line = lazy_attribute(lambda o: phone_number(_rng(), current_locale(), mobile=o.mobile))

    id = lazy_function(_id)
    first_name = lazy_attribute(lambda o: o.person.first)
    last_name = lazy_attribute(lambda o: o.person.last)
    phone = lazy_attribute(lambda o: o.line[0])
    email = lazy_attribute(lambda o: _contact_email(o.person))
    organization_id = lazy_function(_id)
    division_id = lazy_function(_id)
    locale = lazy_function(lambda: ids.locale_tag(current_locale()))
    locality = lazy_attribute(lambda o: o.line[1])
