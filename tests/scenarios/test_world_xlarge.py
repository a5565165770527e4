"""The xlarge world, an org of 10,000 users and 500 queues: its counts, its queue names and the
consistency of every user's queues, team, groups and location (built once per session by the
``xlarge`` fixture; the build time is measured in benchmarks/serve.py, never here)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from gcmock.scenarios.world import (
    CORE_QUEUES,
    DEPARTMENT_BLURBS,
    QUEUE_DEPARTMENTS,
    SIZES,
    World,
    build_world,
)
from gcmock.scenarios.world.org import OrgDirectory, build_directory
from gcmock.scenarios.world.tables import QUEUE_VARIANTS


def all_numbers(world: World) -> list[str]:
    return [
        *(n for q in world.queues for n in q.dnis),
        *world.caller_numbers,
        *world.external_numbers,
        *(c.phone for c in world.contacts),
        *(u.work_phone for u in world.users if u.work_phone),
    ]


@pytest.fixture(scope="module")
def directory(xlarge: World) -> OrgDirectory:
    return build_directory(xlarge)


def test_an_org_of_ten_thousand_users_and_five_hundred_queues(xlarge: World) -> None:
    assert len(xlarge.users) == 10_000
    assert len(xlarge.queues) == 500
    assert len(xlarge.teams) == len(xlarge.supervisors) == SIZES["xlarge"].supervisors
    assert len(xlarge.contacts) == SIZES["xlarge"].contacts
    assert len({u.id for u in xlarge.users}) == 10_000
    assert len({u.email for u in xlarge.users}) == 10_000
    assert all(u.username == u.email for u in xlarge.users)
    numbers = all_numbers(xlarge)
    assert len(set(numbers)) == len(numbers)


def test_queue_names_are_unique_and_read_like_real_ones(xlarge: World) -> None:
    names = [q.name for q in xlarge.queues]
    assert len(set(names)) == 500
    assert names[:4] == list(CORE_QUEUES)
    known = {**QUEUE_DEPARTMENTS, **QUEUE_VARIANTS}
    known["Customer Service - Spanish"] = "Customer Service"
    assert all(name in known for name in names)
    assert sum(name in QUEUE_VARIANTS for name in names) > 400
    sales = next(d.id for d in xlarge.divisions if d.name == "Sales")
    for queue in xlarge.queues:
        department = known[queue.name]
        assert queue.description == f"{queue.name}: {DEPARTMENT_BLURBS[department].lower()}"
        assert (queue.division_id == sales) == (department == "Sales")


def test_every_users_queues_agree_with_the_queues_members(xlarge: World) -> None:
    member_of: dict[str, set[str]] = {u.id: set() for u in xlarge.users}
    for queue in xlarge.queues:
        assert queue.member_ids, f"{queue.name} has no agent"
        assert len(set(queue.member_ids)) == len(queue.member_ids)
        for user_id in queue.member_ids:
            member_of[user_id].add(queue.id)
    for user in xlarge.users:
        assert set(user.queue_ids) == member_of[user.id]
        assert len(set(user.queue_ids)) == len(user.queue_ids)
    for agent in xlarge.agents:
        first = xlarge.queues_by_id[agent.queue_ids[0]]
        assert 1 <= len(agent.queue_ids) <= 3
        assert agent.division_id == first.division_id


def test_every_team_has_its_supervisor_and_agents(xlarge: World) -> None:
    supervisors = {s.team_id: s for s in xlarge.supervisors}
    assert set(supervisors) == {t.id for t in xlarge.teams}
    assert len({t.name for t in xlarge.teams}) == len(xlarge.teams)
    sizes = Counter(a.team_id for a in xlarge.agents)
    assert set(sizes) == set(supervisors)
    for agent in xlarge.agents:
        assert agent.manager_id == supervisors[agent.team_id].id


def test_directory_groups_teams_and_locations_agree_with_the_users(
    xlarge: World, directory: OrgDirectory
) -> None:
    for group in xlarge.groups:
        members = set(directory.group_members[group.id])
        assert members == {u for u, gs in directory.user_groups.items() if group.id in gs}
    for team in xlarge.teams:
        assert set(directory.team_members[team.id]) == {
            u.id for u in xlarge.users if u.team_id == team.id
        }
    assert sum(len(m) for m in directory.team_members.values()) == 10_000
    assert set(directory.user_location) == set(xlarge.users_by_id)
    assert set(directory.user_location.values()) <= set(directory.locations_by_id)
    assert len(directory.locations) > 3
    telephony = directory.telephony
    assert set(telephony.phone_of_user) == set(xlarge.users_by_id)
    assert len({x.number for x in telephony.extensions}) == 10_000
    assert {d.number for d in telephony.dids} == {n for q in xlarge.queues for n in q.dnis}


def test_a_desk_number_puts_its_user_in_the_office_of_its_city(
    xlarge: World, directory: OrgDirectory
) -> None:
    """The bisection finds the office a scan over every DID would (longest shared prefix)."""

    def shared(a: str, b: str) -> int:
        n = 0
        while n < min(len(a), len(b)) and a[n] == b[n]:
            n += 1
        return n

    desks = [u for u in xlarge.users if u.work_phone][:300]
    for user in desks:
        best = max(
            directory.locations,
            key=lambda loc: max(shared(user.work_phone, n) for n in loc.numbers),
        )
        assert directory.user_location[user.id] == best.id


def test_japanese_names_repeat_but_emails_stay_unique() -> None:
    """ja_JP has about 2,500 full names; an org of 10,000 repeats them, numbering e-mails."""
    world = build_world(1, "xlarge", "ja_JP")
    emails = [u.email for u in world.users]
    assert len(set(emails)) == len(emails)
    assert len({u.name for u in world.users}) < len(world.users)
    assert any(re.fullmatch(r"[a-z-]+\.[a-z-]+\d+@\w+\.com", e) for e in emails)
