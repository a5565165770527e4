"""The availability rules shared by the simulation and the served org."""

from __future__ import annotations

import pytest

from gcmock.scenarios.engine.agents import can_take, routing_status


@pytest.mark.parametrize(
    ("media", "load", "expected"),
    [
        ("call", {}, True),
        ("call", {"call": 1}, False),
        ("callback", {"call": 1}, False),
        ("call", {"chat": 3}, True),
        ("chat", {"call": 1}, False),
        ("chat", {"chat": 3}, True),
        ("chat", {"chat": 4}, False),
        ("message", {"chat": 2}, False),
        ("email", {"email": 1}, False),
        ("call", {"email": 1}, True),
    ],
)
def test_can_take_follows_the_default_utilization(
    media: str, load: dict[str, int], expected: bool
) -> None:
    assert can_take(media, load) is expected


def test_a_user_setting_raises_capacity_but_never_allows_two_voice_interactions() -> None:
    assert can_take("chat", {"chat": 4}, {"chat": 6})
    assert not can_take("call", {"call": 1}, {"call": 3})


@pytest.mark.parametrize(
    ("presence", "load", "acd", "nr", "expected"),
    [
        ("Available", {}, 0, False, "OFF_QUEUE"),
        ("Break", {"call": 1}, 1, False, "OFF_QUEUE"),
        ("On Queue", {}, 0, False, "IDLE"),
        ("On Queue", {}, 0, True, "NOT_RESPONDING"),
        ("On Queue", {"call": 1}, 1, False, "INTERACTING"),
        ("On Queue", {"call": 1}, 0, False, "COMMUNICATING"),
    ],
)
def test_routing_status_follows_presence_and_work(
    presence: str, load: dict[str, int], acd: int, nr: bool, expected: str
) -> None:
    assert routing_status(presence, load, acd_load=acd, not_responding=nr) == expected
