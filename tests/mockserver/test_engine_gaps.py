"""Engine behaviour the server relies on that is wrong today, each pinned as a strict xfail so
the workaround in the server's tests is removed as soon as the engine is fixed."""

from __future__ import annotations

import random

import pytest

from gcmock.scenarios import build_world, routing, supervision, transfer, validate

T0 = 1_793_491_200_000


def test_blind_transfer_ends_the_supervisor() -> None:
    world = build_world(7, "small")
    queue = world.queues[0]
    conv = routing.start_inbound(world, random.Random(1), T0, dnis=queue.dnis[0], ani="+13125550142")
    routing.route_to_queue(conv, world, queue, T0 + 1000)
    agent = routing.offer(conv, world, world.users_by_id[queue.member_ids[0]], T0 + 5000)
    routing.answer(conv, agent.id, T0 + 8000)
    supervision.monitor(conv, world, agent.id, world.supervisors[0], T0 + 9000)
    colleague = world.users_by_id[queue.member_ids[1]]
    transfer.blind_transfer(conv, world, agent.id, T0 + 10_000, user=colleague)
    assert validate(conv.to_json(), skew_ms=0) == []
