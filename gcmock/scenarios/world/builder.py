"""``build_world``: the org world of (seed, size, locale), made through the factories in one
fixed order of draws, so the same arguments give the same world byte for byte.

Faker is slow per call, so it runs only here; conversations draw from the precomputed pools with
the random stream they are handed.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import TypeVar

import factory.random
from factory.faker import Faker as FactoryFaker

from . import factories as f
from .entities import (
    Division,
    ExternalContact,
    ExternalOrganization,
    IvrFlow,
    Language,
    Queue,
    Skill,
    Team,
    User,
    World,
    WrapupCode,
)
from .ids import locale_tag, new_id
from .phones import area_number, home_areas, phone_number
from .phrases import draw_phrases
from .tables import (
    CORE_QUEUES,
    CREATED_FROM_MS,
    DIVISION_NAMES,
    GROUP_NAMES,
    IVR_FLOWS,
    LANGUAGES,
    LOCALES,
    ORG_WORDS,
    QUEUE_DEPARTMENTS,
    QUEUE_NAMES,
    SIZES,
    SKILL_NAMES,
    SUPERVISOR_TITLES,
    TEAM_NAMES,
    WRAPUP_CODES,
    weighted,
)

__all__ = ["build_world"]

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)

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
        self.home_areas = home_areas(rng, locale)
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
            lambda: area_number(self.rng, self.locale, self.home_areas),
            lambda x: x[0],
            self.numbers,
        )

    def build(self) -> World:
        """Draw the directory, then the pools; the order of this body fixes every seed's world.

        It is one list of draws on purpose (longer than a step should be): each line consumes
        the shared stream, so the order is the world's definition and reads best in one place.
        """
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
        flows = self.ivr_flows(queues, departments)
        organizations, contacts = self.customers(home)
        callers = [self.number() for _ in range(self.size.callers)]
        n_groups = min(len(GROUP_NAMES), 3 + self.size.queues // 4)
        groups = tuple(f.GroupFactory.build(name=n) for n in GROUP_NAMES[:n_groups])
        external_numbers = tuple(
            self.number(mobile=False)[0] for _ in range(self.size.external_numbers)
        )
        script_ids = tuple(new_id(rng) for _ in range(5))
        fake = f.current_faker()
        greet = fake.last_name if self.locale == "ja_JP" else fake.first_name
        texts = draw_phrases(rng, self.locale, greet)
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
            groups=groups,
            users=users,
            queues=queues,
            wrapup_codes=codes,
            ivr_flows=flows,
            organizations=organizations,
            contacts=contacts,
            caller_numbers=tuple(n for n, _ in callers),
            caller_localities=tuple(loc for _, loc in callers),
            did_localities={n: self.did_localities[n] for q in queues for n in q.dnis},
            external_numbers=external_numbers,
            script_ids=script_ids,
            email_subjects=texts.subjects,
            message_texts=texts.messages,
            wrapup_notes=texts.notes,
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
        build = f.WrapupCodeFactory.build
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
        rng = self.rng
        names: dict[str, None] = {}
        emails: dict[str, None] = {}

        def person() -> f.Person:
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

    def ivr_flows(
        self, queues: tuple[Queue, ...], departments: dict[str, str]
    ) -> tuple[IvrFlow, ...]:
        """The catalogue's flows in order, each to the queues of its department (or two random)."""
        flows = []
        for name, serves in IVR_FLOWS[: self.size.ivr_flows]:
            targets = [q for q in queues if serves in ("*", departments[q.id])]
            if not serves:
                targets = self.rng.sample(queues, self.rng.randint(1, 2))
            flows.append(f.IvrFlowFactory.build(name=name, queue_ids=tuple(q.id for q in targets)))
        return tuple(flows)

    def customers(
        self, home: Division
    ) -> tuple[tuple[ExternalOrganization, ...], tuple[ExternalContact, ...]]:
        """External organizations (unique names), then known contacts each in one of them."""
        org_names: dict[str, None] = {}
        organizations = tuple(
            _unique(f.ExternalOrganizationFactory.build, lambda o: o.name, org_names)
            for _ in range(self.size.organizations)
        )
        contacts = tuple(
            f.ExternalContactFactory.build(
                line=self.number(),
                organization_id=self.rng.choice(organizations).id,
                division_id=home.id,
                locale=self.tag,
            )
            for _ in range(self.size.contacts)
        )
        return organizations, contacts
