"""Conversations in a known state, built with the engine before the server's now (``T0``)
and loaded through ``POST /__admin/conversations`` (so the loader is exercised too)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from gcmock.scenarios import to_conversation_json
from gcmock.scenarios.engine import routing
from gcmock.scenarios.engine.model import Conversation
from gcmock.scenarios.world import Queue, User, World

from .conftest import T0, Api


@dataclass(frozen=True)
class Call:
    id: str
    customer: str
    agent: str
    user: User
    queue: Queue
    conv: Conversation


def free_agents(world: World, queue: Queue) -> list[User]:
    return [
        world.users_by_id[u] for u in queue.member_ids if not world.users_by_id[u].is_supervisor
    ]


def inbound(
    api: Api,
    world: World,
    *,
    seed: int = 1,
    answered: bool = True,
    offered: bool = True,
    queue_index: int = 0,
    agent_index: int = 0,
    media: str = "call",
) -> Call:
    """customer -> acd -> agent: connected (default), alerting, or only queued, in ``media``.

    An alerting or queued call reaches that state at ``T0``, so the autopilot's next step
    (an answer, an offer) is still ahead of the frozen clock."""
    queue = world.queues[queue_index]
    user = free_agents(world, queue)[agent_index]
    t = T0 - 600_000
    conv = routing.start_inbound(
        world, random.Random(seed), t, media=media, dnis=queue.dnis[0], ani="+13125550142"
    )
    routing.route_to_queue(conv, world, queue, t + 1_000 if offered else T0 - 1_000)
    agent_id = ""
    if offered:
        agent = routing.offer(conv, world, user, t + 5_000 if answered else T0)
        agent_id = agent.id
        if answered:
            routing.answer(conv, agent.id, t + 8_000)
    api.ok("POST", "/__admin/conversations", to_conversation_json(conv))
    return Call(conv.id, conv.customer.id, agent_id, user, queue, conv)


def participant(api: Api, cid: str, pid: str) -> dict:  # type: ignore[type-arg]
    data = api.ok("GET", f"/api/v2/conversations/{cid}")
    return next(p for p in data["participants"] if p["id"] == pid)


def sdk_model(name: str, **fields: Any) -> Any:
    """An SDK request model (their constructors take no arguments)."""
    import PureCloudPlatformClientV2 as sdk

    inst = getattr(sdk, name)()
    for key, value in fields.items():
        setattr(inst, key, value)
    return inst
