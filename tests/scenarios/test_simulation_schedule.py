"""Agent schedules: shifts inside the local day, breaks inside shifts, staffing that follows the
intraday arrival profile, and a day that is a pure function of (seed, day)."""

from __future__ import annotations

from itertools import pairwise

from gcmock.scenarios import build_world
from gcmock.scenarios.library.arrivals import DAY_MS, HOUR_MS, HOURLY_WEEKDAY, UTC_OFFSET_MINUTES
from gcmock.scenarios.library.generate import DEFAULT_START_MS
from gcmock.scenarios.simulation.schedule import (
    day_start,
    night_crew,
    presence_plan,
    schedule_day,
)

WORLD = build_world(3, "medium")
CHICAGO = UTC_OFFSET_MINUTES["en_US"]
MONDAY = day_start(DEFAULT_START_MS, 1, CHICAGO)  # 2026-11-02, local midnight
SUNDAY = day_start(DEFAULT_START_MS, 0, CHICAGO)


def _coverage(shifts: list, midnight: int) -> list[float]:
    hours = [0.0] * 24
    for s in shifts:
        for start, end, presence in presence_plan(s):
            if presence != "On Queue":
                continue
            for h in range(24):
                a = midnight + h * HOUR_MS
                hours[h] += max(0, min(a + HOUR_MS, end) - max(a, start)) / HOUR_MS
    return hours


def test_days_start_at_local_midnight_at_or_after_the_window_start() -> None:
    assert (SUNDAY + CHICAGO * 60_000) % DAY_MS == 0
    assert DEFAULT_START_MS <= SUNDAY < DEFAULT_START_MS + DAY_MS
    assert MONDAY - SUNDAY == DAY_MS
    assert day_start(SUNDAY, 0, CHICAGO) == SUNDAY


def test_a_day_is_a_pure_function_of_seed_and_day() -> None:
    assert schedule_day(WORLD, 5, MONDAY, CHICAGO) == schedule_day(WORLD, 5, MONDAY, CHICAGO)
    assert schedule_day(WORLD, 5, MONDAY, CHICAGO) != schedule_day(WORLD, 6, MONDAY, CHICAGO)


def test_shifts_lie_in_the_day_and_activities_in_their_shift() -> None:
    crew = night_crew(WORLD)
    for shift in schedule_day(WORLD, 1, MONDAY, CHICAGO):
        assert MONDAY <= shift.start < shift.end <= MONDAY + DAY_MS
        if shift.user_id in crew:
            assert shift.start - MONDAY < HOUR_MS
        elif shift.on_queue:
            assert shift.start - MONDAY >= 6 * HOUR_MS
        t = shift.start + shift.login_ms
        for a in shift.activities:
            assert t <= a.start and a.start + a.duration <= shift.end
            t = a.start + a.duration
        plan = presence_plan(shift)
        assert plan[0][0] == shift.start and plan[-1][1] == shift.end
        assert all(a[1] == b[0] for a, b in pairwise(plan))


def test_staffing_follows_the_arrival_profile() -> None:
    hours = _coverage(schedule_day(WORLD, 2, MONDAY, CHICAGO), MONDAY)
    day = range(7, 22)
    peak = max(HOURLY_WEEKDAY)
    for h in day:
        share = hours[h] / max(hours)
        assert abs(share - HOURLY_WEEKDAY[h] / peak) < 0.25, (h, share)
    assert hours[10] > 4 * hours[3] > 0


def test_fewer_work_on_a_sunday() -> None:
    monday = schedule_day(WORLD, 2, MONDAY, CHICAGO)
    sunday = schedule_day(WORLD, 2, SUNDAY, CHICAGO)
    assert len(sunday) < len(monday) / 2
    assert any(not s.on_queue for s in monday)
    assert {p for s in monday for _, _, p in presence_plan(s)} >= {
        "Available",
        "On Queue",
        "Break",
        "Meal",
    }
