"""The generator: arrivals in index order along the intraday/weekday profile, the mix, and
conversation i independent of everything but (seed, i, options)."""

from __future__ import annotations

import pytest

from gcmock.scenarios import (
    GeneratorOptions,
    build_world,
    generate,
    make_one,
    parse_mix,
    to_conversation_json,
)
from gcmock.scenarios.engine.model import Conversation
from gcmock.scenarios.library.arrivals import (
    DAY_MS,
    HOUR_MS,
    UTC_OFFSET_MINUTES,
    arrivals,
    rate,
)
from gcmock.scenarios.library.generate import DEFAULT_START_MS

WORLD = build_world(2, "small")
WEEK = 7 * DAY_MS
CHICAGO = UTC_OFFSET_MINUTES["en_US"]


def _local_hour_and_weekday(ms: int, offset_minutes: int) -> tuple[int, int]:
    local = ms + offset_minutes * 60_000
    return local % DAY_MS // HOUR_MS, (local // DAY_MS + 3) % 7


def test_arrivals_are_non_decreasing_and_inside_the_window() -> None:
    profile = arrivals(DEFAULT_START_MS, WEEK, CHICAGO)
    count = 20_000
    times = [profile.nth(i, count, u) for i in range(count) for u in (0.0, 0.999999999)]
    assert times == sorted(times)
    assert times[0] >= DEFAULT_START_MS and times[-1] < DEFAULT_START_MS + WEEK


@pytest.mark.parametrize("q", [0.0, 1e-18, 0.5, 1 - 1e-16, 1.0])
def test_quantiles_at_the_edges_stay_inside_the_window(q: float) -> None:
    profile = arrivals(DEFAULT_START_MS + 1234, 3 * DAY_MS + 17, 60)
    assert profile.start_ms <= profile.at(q) < profile.start_ms + profile.span_ms


def test_a_window_of_one_millisecond_or_none() -> None:
    assert arrivals(5, 1, 0).at(0.7) == 5
    assert arrivals(5, 0, 0).at(0.7) == 5


def test_arrivals_are_busiest_on_weekday_business_hours() -> None:
    """9:00-17:00 local on weekdays is 24 % of the week but gets most of the arrivals."""
    profile = arrivals(DEFAULT_START_MS, WEEK, CHICAGO)
    count = 10_000
    hours = [_local_hour_and_weekday(profile.nth(i, count, 0.5), CHICAGO) for i in range(count)]
    business = sum(9 <= hour < 17 and day < 5 for hour, day in hours) / count
    night = sum(hour < 6 for hour, _ in hours) / count
    weekend = sum(day >= 5 for _, day in hours) / count
    assert business > 0.55
    assert night < 0.05
    assert 0.05 < weekend < 0.15


def test_the_rate_follows_local_time() -> None:
    monday_10am_chicago = DEFAULT_START_MS + DAY_MS + 16 * HOUR_MS  # 2026-11-02T16:00Z
    assert _local_hour_and_weekday(monday_10am_chicago, CHICAGO) == (10, 0)
    shifted = monday_10am_chicago + CHICAGO * 60_000
    assert rate(shifted) == max(rate(shifted + h * HOUR_MS) for h in range(-10, 14))


def _starts(conversations: list[Conversation]) -> list[int]:
    return [c.start for c in conversations]


def test_index_order_is_time_order_when_the_count_is_known() -> None:
    starts = _starts(list(generate(WORLD, 4, 0, 3000, GeneratorOptions(count=3000))))
    assert starts == sorted(starts) and len(set(starts)) > 2900


def _shape(conv: Conversation) -> tuple[object, ...]:
    """Everything but absolute times: ids, scenario, and every time relative to the start."""
    return (
        conv.id,
        conv.scenario,
        [(p.id, p.purpose, p.start - conv.start) for p in conv.participants],
        [(e.kind, e.at - conv.start) for e in conv.events],
    )


@pytest.mark.parametrize("index", [0, 7, 499])
def test_conversation_i_does_not_depend_on_the_count_but_for_its_start(index: int) -> None:
    """The dataset size only spreads the arrivals: conversation i has the same ids, scenario and
    timeline whether the dataset holds 500 or a million conversations (or has no size)."""
    convs = [
        make_one(WORLD, 9, index, GeneratorOptions(count=count, days=1))
        for count in (500, 1_000_000, None)
    ]
    shapes = {repr(_shape(conv)) for conv in convs}
    assert len(shapes) == 1, "only the start time may differ"
    assert len({conv.start for conv in convs}) == 3


def test_without_a_count_arrivals_are_drawn_independently_inside_the_window() -> None:
    options = GeneratorOptions(start_ms=DEFAULT_START_MS, days=0.5)
    starts = _starts(list(generate(WORLD, 1, 0, 500, options)))
    assert starts != sorted(starts)
    assert all(DEFAULT_START_MS <= s < DEFAULT_START_MS + DAY_MS // 2 for s in starts)


def test_a_slice_is_the_same_as_the_whole_run() -> None:
    options = GeneratorOptions(count=200)
    whole = [to_conversation_json(c) for c in generate(WORLD, 3, 0, 200, options)]
    assert [to_conversation_json(c) for c in generate(WORLD, 3, 150, 200, options)] == whole[150:]


def test_parse_mix_reads_weights_and_bare_names() -> None:
    assert parse_mix(" inbound_answered=55, voicemail=2.5,callback ") == {
        "inbound_answered": 55.0,
        "voicemail": 2.5,
        "callback": 1.0,
    }


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("nope=3", "unknown scenario 'nope'"),
        ("voicemail=abc", "bad weight in 'voicemail=abc'"),
        ("voicemail=-1", "bad weight"),
        ("voicemail=inf", "bad weight"),
        ("voicemail=0", "no scenario has a positive weight"),
        ("", "no scenario has a positive weight"),
    ],
)
def test_parse_mix_errors_are_one_line_listing_the_valid_names(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem) as err:
        parse_mix(text)
    message = str(err.value)
    assert "\n" not in message and "valid names: barged, blind_transfer_external" in message


def test_the_mix_picks_only_the_weighted_scenarios() -> None:
    options = GeneratorOptions(mix=parse_mix("voicemail=1,email=3"), count=400)
    names = [c.scenario for c in generate(WORLD, 5, 0, 400, options)]
    assert set(names) == {"voicemail", "email"}
    assert 200 < names.count("email") < 380
