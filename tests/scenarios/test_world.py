"""The world: deterministic per (seed, size, locale), and consistent; its JSON is tested in
test_directory_json.py."""

from __future__ import annotations

import hashlib
import os
import random
import re
import subprocess
import sys

import pytest
from factory.faker import Faker as FactoryFaker

from gcmock.fixtures.factories import UserFactory, current_faker, reseed
from gcmock.scenarios.world import (
    LOCALES,
    SIZES,
    SYSTEM_WRAPUP_TIMEOUT,
    World,
    build_world,
)

UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
E164 = {
    "en_US": re.compile(r"\+1[2-9]\d\d[2-9](?!11)\d\d\d{4}"),
    "en_GB": re.compile(r"\+44[127]\d{9}"),
    "de_DE": re.compile(r"\+49[1-9]\d{9,10}"),
    "fr_FR": re.compile(r"\+33[1-9]\d{8}"),
    "ja_JP": re.compile(r"\+81[1-9]\d{8,9}"),
}
"""Per-country shapes: country code, no trunk 0, national lengths of the real numbering plans."""


@pytest.fixture(scope="module")
def medium() -> World:
    return build_world()


def fingerprint(world: World) -> str:
    """Every directory entity and pool (``repr`` skips only the derived ``*_by_id`` dicts)."""
    return hashlib.sha256(repr(world).encode()).hexdigest()


def all_numbers(world: World) -> list[str]:
    return [
        *(n for q in world.queues for n in q.dnis),
        *world.caller_numbers,
        *world.external_numbers,
        *(c.phone for c in world.contacts),
        *(u.work_phone for u in world.users if u.work_phone),
    ]


# --- determinism ----------------------------------------------------------------------------


def test_same_seed_same_world_whatever_ran_before() -> None:
    first = build_world(7, "small", "en_GB")
    with FactoryFaker.override_default_locale("en_GB"):
        fake = current_faker()
    saved = fake.random
    try:
        random.seed(1)
        reseed(99)
        fake.seed_instance(1234)  # a private stream that reseed_random would not reach
        UserFactory.build_batch(3)
        build_world(8, "medium", "de_DE")
        again = build_world(7, "small", "en_GB")
    finally:
        fake.random = saved
    assert fingerprint(again) == fingerprint(first)
    assert again == first


def test_build_leaves_global_streams_as_it_found_them() -> None:
    reseed(3)
    expected = UserFactory.build_batch(3)
    python_state = random.getstate()
    reseed(3)
    build_world(1, "small")
    assert UserFactory.build_batch(3) == expected
    assert random.getstate() == python_state


def test_same_world_in_a_fresh_process_with_another_hash_seed() -> None:
    code = (
        "import hashlib, random; random.random();"
        "from gcmock.scenarios.world import build_world;"
        "print(hashlib.sha256(repr(build_world(11, 'small', 'fr_FR')).encode()).hexdigest())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == fingerprint(build_world(11, "small", "fr_FR"))


def test_different_seeds_differ() -> None:
    a, b = build_world(1, "small"), build_world(2, "small")
    assert fingerprint(a) != fingerprint(b)
    assert {u.id for u in a.users}.isdisjoint(u.id for u in b.users)


# --- shape and counts -------------------------------------------------------------------------


@pytest.mark.parametrize("size", sorted(SIZES))
def test_sizes_have_documented_counts(size: str) -> None:
    world = build_world(5, size)
    spec = SIZES[size]
    assert len(world.queues) == spec.queues
    assert len(world.agents) == spec.agents
    assert len(world.supervisors) == spec.supervisors
    assert len(world.teams) == spec.supervisors
    assert len(world.wrapup_codes) == spec.wrapup_codes
    assert len(world.contacts) == spec.contacts
    assert len(world.ivr_flows) == spec.ivr_flows
    assert len(world.organizations) == spec.organizations
    assert len(world.caller_numbers) == len(world.caller_localities) == spec.callers
    assert len(world.external_numbers) == spec.external_numbers
    assert len(world.script_ids) == 5
    assert world.email_subjects and world.message_texts and world.wrapup_notes


def test_medium_is_the_default(medium: World) -> None:
    assert (medium.seed, medium.size, medium.locale) == (0, "medium", "en_US")
    assert len(medium.queues) == 8 and len(medium.agents) == 60


@pytest.mark.parametrize("locale", LOCALES)
def test_every_locale_builds_with_its_own_numbers(locale: str) -> None:
    world = build_world(3, "small", locale)
    assert world.locale == locale
    numbers = all_numbers(world)
    bad = [n for n in numbers if not E164[locale].fullmatch(n)]
    assert not bad
    assert len(set(numbers)) == len(numbers), "numbers are shared between pools"
    assert all(u.locale == locale.replace("_", "-") for u in world.users)
    assert all(c.locale == locale.replace("_", "-") for c in world.contacts)
    assert set(world.did_localities) == {n for q in world.queues for n in q.dnis}
    assert all(world.did_localities.values()) and all(world.caller_localities)
    assert all(re.fullmatch(r"[a-z0-9.-]+@[a-z0-9.-]+", u.email) for u in world.users)
    assert all(re.fullmatch(r"[\w.-]+@[a-z0-9.-]+", c.email, re.ASCII) for c in world.contacts)


def test_us_localities_read_like_genesys(medium: World) -> None:
    localities = [*medium.did_localities.values(), *medium.caller_localities]
    assert all(re.fullmatch(r"[A-Z][A-Za-z .]+ [A-Z]{2}", loc) for loc in localities)
    assert medium.contacts_by_phone[medium.contacts[0].phone] == medium.contacts[0]


def test_ids_are_lowercase_uuid4_except_the_system_code(medium: World) -> None:
    ids = [
        *(d.id for d in medium.divisions),
        *(s.id for s in medium.skills),
        *(t.id for t in medium.teams),
        *(g.id for g in medium.groups),
        *(u.id for u in medium.users),
        *(q.id for q in medium.queues),
        *(c.id for c in medium.wrapup_codes[:-1]),
        *(f.id for f in medium.ivr_flows),
        *(o.id for o in medium.organizations),
        *(c.id for c in medium.contacts),
        *(lang.id for lang in medium.languages),
        *medium.script_ids,
    ]
    assert all(UUID4.fullmatch(i) for i in ids)
    assert len(set(ids)) == len(ids)
    system = medium.wrapup_codes[-1]
    assert system.id == system.name == SYSTEM_WRAPUP_TIMEOUT
    assert medium.wrapup_codes_by_id[SYSTEM_WRAPUP_TIMEOUT] is system


def test_names_are_unique_within_their_kind(medium: World) -> None:
    for names in (
        [u.name for u in medium.users],
        [u.email for u in medium.users],
        [q.name for q in medium.queues],
        [c.name for c in medium.wrapup_codes],
        [t.name for t in medium.teams],
        [s.name for s in medium.skills],
        [o.name for o in medium.organizations],
        [f.name for f in medium.ivr_flows],
    ):
        assert len(set(names)) == len(names)


def test_references_resolve(medium: World) -> None:
    code_ids = {c.id for c in medium.wrapup_codes[:-1]}
    skill_ids = {s.id for s in medium.skills}
    division_ids = {d.id for d in medium.divisions}
    language_ids = {lang.id for lang in medium.languages}
    for q in medium.queues:
        assert set(q.wrapup_code_ids) <= code_ids and 3 <= len(q.wrapup_code_ids) <= 6
        assert set(q.skill_ids) <= skill_ids and q.skill_ids
        assert q.language_id in language_ids and q.division_id in division_ids
        assert 1 <= len(q.dnis) <= 3 and q.calling_party_number in q.dnis
        assert q.member_ids, f"{q.name} has no members"
        assert set(q.member_ids) == {u.id for u in medium.users if q.id in u.queue_ids}
    supervisor_of_team = {u.team_id: u.id for u in medium.supervisors}
    for u in medium.users:
        assert set(u.queue_ids) <= medium.queues_by_id.keys()
        assert u.team_id in medium.teams_by_id and u.division_id in division_ids
        if not u.is_supervisor:
            assert u.queue_ids, f"agent {u.name} is in no queue"
            assert u.manager_id == supervisor_of_team[u.team_id]
    assert len(supervisor_of_team) == len(medium.teams)
    reachable = {qid for f in medium.ivr_flows for qid in f.queue_ids}
    assert reachable == medium.queues_by_id.keys()
    assert all(c.organization_id in medium.organizations_by_id for c in medium.contacts)
    assert all(c.division_id == medium.home_division.id for c in medium.contacts)
    for index, entities in (
        (medium.users_by_id, medium.users),
        (medium.queues_by_id, medium.queues),
        (medium.wrapup_codes_by_id, medium.wrapup_codes),
        (medium.contacts_by_id, medium.contacts),
        (medium.divisions_by_id, medium.divisions),
        (medium.skills_by_id, medium.skills),
        (medium.organizations_by_id, medium.organizations),
    ):
        assert list(index.values()) == list(entities)


def test_queue_settings_in_documented_ranges(medium: World) -> None:
    for q in medium.queues:
        assert q.alerting_timeout_ms in (8000, 10000, 15000, 20000)
        assert q.wrapup_timeout_ms in (60000, 120000, 180000)
        assert q.wrapup_prompt in (
            "mandatory",
            "optional",
            "agentRequested",
            "timeout",
            "forcedTimeout",
        )
    assert [q.name for q in medium.queues[:4]] == [
        "Customer Service",
        "Billing",
        "Tech Support",
        "Sales",
    ]
    assert medium.queues[-1].language_name == "Spanish"


def test_addresses_have_the_real_formats(medium: World) -> None:
    station = re.compile(
        rf"sip:[0-9a-f]{{24}}\+{medium.org_name}\.orgspan\.com;tgrp={UUID4.pattern};"
        rf"trunk-context={medium.org_name}@localhost"
    )
    assert all(station.fullmatch(u.station_address) for u in medium.users)
    assert re.fullmatch(r"10(\.\d{1,3}){3}", medium.edge_ip)


def test_text_pools_are_filled_in(medium: World) -> None:
    for pool in (medium.email_subjects, medium.message_texts, medium.wrapup_notes):
        assert len(pool) >= 10
        assert not [line for line in pool if "{" in line or "}" in line]


def test_rejects_unknown_size_and_locale() -> None:
    with pytest.raises(ValueError, match="size"):
        build_world(size="huge")
    with pytest.raises(ValueError, match="locale"):
        build_world(locale="xx_XX")
