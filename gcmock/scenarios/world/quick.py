"""The builder's fast path: the entities the factories make, drawn from the same streams in the
same order, without factory_boy resolving every declaration of every object (about 0.2 ms an
object) and without Faker rebuilding a weighted name table's weights on every draw (about
0.05 ms a name). An org of 10,000 users and 50,000 contacts spends seconds on those alone.

Same streams, same order, same values: ``tests/scenarios/test_quick.py`` compares every
function here with its factory, so a world is the same whichever path made it. The factories
stay the public way to make an entity.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from itertools import accumulate
from typing import Any

from faker.providers.company import Provider as CompanyProvider
from faker.providers.internet import Provider as InternetProvider
from faker.providers.person import Provider as PersonProvider
from faker.providers.person.ja_JP import Provider as JapanesePersonProvider

from . import ids
from .entities import ExternalContact, ExternalOrganization, Queue, Team, User
from .factories import (
    Person,
    _agent_title,
    _contact_email,
    _queue_description,
    draw_person,
)
from .tables import (
    ALERTING_TIMEOUTS_MS,
    SERVICE_LEVELS,
    SUPERVISOR_DEPARTMENT,
    WRAPUP_PROMPTS,
    WRAPUP_TIMEOUTS_MS,
    created_ms,
    weighted,
)

__all__ = ["QuickFaker", "contact", "organization", "queue", "team", "user"]

_TABLE_METHODS: dict[str, tuple[Callable[..., Any], str]] = {
    "first_name": (PersonProvider.first_name, "first_names"),
    "last_name": (PersonProvider.last_name, "last_names"),
    "first_name_pair": (JapanesePersonProvider.first_name_pair, "first_name_pairs"),
    "last_name_pair": (JapanesePersonProvider.last_name_pair, "last_name_pairs"),
    "company_suffix": (CompanyProvider.company_suffix, "company_suffixes"),
    "free_email_domain": (InternetProvider.free_email_domain, "free_email_domains"),
}
"""Faker methods that are ``return self.random_element(self.<table>)`` where they are defined."""

_TOKEN = re.compile(r"\{\{\s*(\w+)(:\s*\w+?)?\s*\}\}")
"""Faker's own format token (``faker.generator._re_token``)."""

_CUMULATIVE: dict[int, tuple[Any, tuple[Any, ...], list[float]]] = {}


def _cumulative(table: dict[Any, float]) -> tuple[tuple[Any, ...], list[float]]:
    """A weighted table's keys and cumulative weights, summed once per table."""
    hit = _CUMULATIVE.get(id(table))
    if hit is None or hit[0] is not table:
        hit = _CUMULATIVE[id(table)] = (table, tuple(table), list(accumulate(table.values())))
    return hit[1], hit[2]


class QuickFaker:
    """A Faker proxy whose table draws skip Faker's per-call work but not a single random draw.

    ``random_element`` of a weighted table is ``random.choices(keys, weights)``; passing the
    cumulative weights summed once draws the same key from the same random number. Methods a
    locale overrides, and every other attribute, go to the proxy itself.
    """

    def __init__(self, fake: Any) -> None:
        self._fake = fake
        self._rng: random.Random = fake.random
        self._methods: dict[str, Callable[[], Any]] = {}
        self._patterns: dict[str, list[tuple[bool, str]]] = {}
        self._missing: set[str] = set()
        """Names the proxy lacks (``draw_person`` asks for ``last_name_pair`` every time)."""

    def __getattr__(self, name: str) -> Any:
        if name in self._missing:
            raise AttributeError(name)
        try:
            return self.method(name) if name in _TABLE_METHODS else getattr(self._fake, name)
        except AttributeError:
            self._missing.add(name)
            raise

    def _element(self, provider: Any, elements: Any) -> Any:
        if isinstance(elements, dict):
            keys, cumulative = _cumulative(elements)
            if provider.__use_weighting__:
                return self._rng.choices(keys, cum_weights=cumulative)[0]
            return self._rng.choice(keys)
        if not isinstance(elements, (tuple, list, str)):
            elements = tuple(elements)
        return self._rng.choice(elements)

    def method(self, name: str) -> Callable[[], Any]:
        """The draw ``fake.<name>()`` makes: the quick one for a base table method."""
        found = self._methods.get(name)
        if found is None:
            bound = getattr(self._fake, name)
            provider = getattr(bound, "__self__", None)
            base = _TABLE_METHODS.get(name)
            if base is not None and getattr(type(provider), name, None) is base[0]:
                table = getattr(provider, base[1])
                found = self._methods[name] = lambda: self._element(provider, table)
            else:
                found = self._methods[name] = bound
        return found

    def first_name(self) -> str:
        return str(self.method("first_name")())

    def last_name(self) -> str:
        return str(self.method("last_name")())

    def free_email_domain(self) -> str:
        return str(self.method("free_email_domain")())

    def company(self) -> str:
        """``fake.company()``: a format drawn, its tokens filled left to right."""
        bound = self._fake.company
        provider = bound.__self__
        if type(provider).company is not CompanyProvider.company:
            return str(bound())
        pattern = str(self._element(provider, provider.formats))
        pieces = self._patterns.get(pattern)
        if pieces is None:
            split = _TOKEN.split(pattern)
            if any(group is not None for group in split[2::3]):
                return str(self._fake.parse(pattern))
            pieces = self._patterns[pattern] = [
                (i % 3 == 1, part) for i, part in enumerate(split) if i % 3 != 2
            ]
        return "".join(str(self.method(text)()) if token else text for token, text in pieces)


def user(
    rng: random.Random,
    person: Person,
    email: str,
    *,
    org: str,
    locale: str,
    division_id: str,
    team_id: str,
    queue_ids: tuple[str, ...],
    work_phone: str,
    department: str = SUPERVISOR_DEPARTMENT,
    title: str = "",
    supervisor: bool = False,
    manager_id: str = "",
) -> User:
    """``UserFactory.build(...)``, or ``UserFactory.build(supervisor=True, title=...)`` with
    ``supervisor`` (whose title must be given); ``email`` replaces the one made of the name."""
    user_id = ids.new_id(rng)
    title = title or _agent_title(rng, department)
    address = ids.station_address(rng, org)
    return User(
        id=user_id,
        name=person.display(locale),
        email=email,
        username=email,
        department=department,
        title=title,
        locale=locale,
        division_id=division_id,
        team_id=team_id,
        is_supervisor=supervisor,
        queue_ids=queue_ids,
        station_address=address,
        manager_id=manager_id,
        work_phone=work_phone,
    )


def queue(
    rng: random.Random,
    *,
    name: str,
    department: str,
    division_id: str,
    wrapup_code_ids: tuple[str, ...],
    skill_ids: tuple[str, ...],
    language_id: str,
    language_name: str,
    dnis: tuple[str, ...],
) -> Queue:
    """``QueueFactory.build(...)`` with every relation given."""
    queue_id = ids.new_id(rng)
    alerting = weighted(rng, ALERTING_TIMEOUTS_MS)
    wrapup_timeout = weighted(rng, WRAPUP_TIMEOUTS_MS)
    prompt = weighted(rng, WRAPUP_PROMPTS)
    created = created_ms(rng)
    percentage, duration = weighted(rng, SERVICE_LEVELS)
    return Queue(
        id=queue_id,
        name=name,
        division_id=division_id,
        description=_queue_description(name, department),
        wrapup_code_ids=wrapup_code_ids,
        skill_ids=skill_ids,
        language_id=language_id,
        language_name=language_name,
        dnis=dnis,
        member_ids=(),
        alerting_timeout_ms=alerting,
        wrapup_timeout_ms=wrapup_timeout,
        wrapup_prompt=prompt,
        calling_party_number=dnis[0] if dnis else "",
        date_created_ms=created,
        service_level_percentage=percentage,
        service_level_duration_ms=duration,
    )


def team(rng: random.Random, name: str, division_id: str) -> Team:
    """``TeamFactory.build(name=..., division_id=...)``."""
    return Team(ids.new_id(rng), name, division_id)


def organization(rng: random.Random, fake: QuickFaker) -> ExternalOrganization:
    """``ExternalOrganizationFactory.build()``."""
    org_id = ids.new_id(rng)
    return ExternalOrganization(org_id, fake.company())


def contact(
    rng: random.Random,
    fake: QuickFaker,
    *,
    line: tuple[str, str],
    organization_id: str,
    division_id: str,
    locale: str,
) -> ExternalContact:
    """``ExternalContactFactory.build(line=..., ...)``."""
    contact_id = ids.new_id(rng)
    person = draw_person(fake)
    return ExternalContact(
        id=contact_id,
        first_name=person.first,
        last_name=person.last,
        phone=line[0],
        email=_contact_email(rng, fake, person),
        organization_id=organization_id,
        division_id=division_id,
        locale=locale,
        locality=line[1],
    )
