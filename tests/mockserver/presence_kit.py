"""What the presence and ACD tests share: an SDK call checked against its model, a call queued
now, a presence set through the SDK, a raw request, who a conversation was offered to."""

from __future__ import annotations

import json
import random
from typing import Any

import PureCloudPlatformClientV2 as sdk

from gcmock.mockserver.inprocess import MockOrg
from gcmock.scenarios import Conversation, World
from gcmock.scenarios.engine import routing
from gcmock.scenarios.world import Queue
from gcmock.scenarios.world.presence import presence_definition

from ..sdk_oracle import sdk_problems
from .helpers import sdk_model

T0 = 1_793_491_200_000
BREAK = presence_definition("Break").id
ON_QUEUE = presence_definition("On Queue").id


def checked(client: Any, model: str, method: Any, *args: Any, **kw: Any) -> Any:
    """The SDK call's result, its raw JSON read as ``model`` with nothing dropped."""
    result = method(*args, **kw)
    raw = json.loads(client.last_response.data)
    assert sdk_problems(raw, model) == [], model
    assert "outdated_sdk_version" not in json.dumps(result.to_dict(), default=str)
    return result


def agents_of(world: World, queue: Queue) -> list[str]:
    return [u for u in queue.member_ids if not world.users_by_id[u].is_supervisor]


def queued_call(org: MockOrg, queue: Queue, seed: int = 7) -> Conversation:
    """A call that entered ``queue`` just now, through the admin API."""
    world, now = org.state.world, org.clock.now()
    conv = routing.start_inbound(
        world, random.Random(seed), now - 2_000, dnis=queue.dnis[0], ani="+13125550142"
    )
    routing.route_to_queue(conv, world, queue, now - 1_000)
    org.add(conv)
    return conv


def set_presence(client: Any, user_id: str, definition_id: str) -> Any:
    body = sdk_model("UserPresence", presence_definition=sdk_model("PresenceDefinition"))
    body.presence_definition.id = definition_id
    return sdk.PresenceApi(client).patch_user_presences_purecloud(user_id, body)


def raw(org: MockOrg, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    """A request without the SDK (which refuses bad bodies before sending them)."""
    headers = {"Authorization": f"Bearer {org.token()}", "Content-Type": "application/json"}
    data = json.dumps(body) if body is not None else None
    status, _, out = org.call(method, "https://api.mypurecloud.com" + path, headers, data)
    return status, json.loads(out) if out else None


def offered_to(org: MockOrg, conv_id: str) -> list[str]:
    conv = org.state.store.snapshot(conv_id).conv
    return [p.user_id for p in conv.by_purpose("agent") if p.user_id]
