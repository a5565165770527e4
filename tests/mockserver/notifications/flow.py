"""One agent's call driven through the official SDK (answer, hold, resume, hang up, wrap up),
for the in-process and the socket tests alike."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import PureCloudPlatformClientV2 as sdk

from gcmock.mockserver.inprocess import MockOrg
from gcmock.scenarios.engine import routing

T0 = 1_793_491_200_000


@dataclass(frozen=True)
class Call:
    id: str
    agent: str
    user_id: str
    queue_id: str


def alerting_call(org: MockOrg, seed: int = 1) -> Call:
    """customer -> acd -> agent, the agent alerting at the server's now."""
    world = org.state.world
    queue = world.queues[0]
    user = next(
        world.users_by_id[u] for u in queue.member_ids if not world.users_by_id[u].is_supervisor
    )
    now = org.clock.now()
    conv = routing.start_inbound(
        world, random.Random(seed), now - 60_000, dnis=queue.dnis[0], ani="+13125550142"
    )
    routing.route_to_queue(conv, world, queue, now - 50_000)
    agent = routing.offer(conv, world, user, now)
    org.add(conv)
    return Call(conv.id, agent.id, user.id, queue.id)


def topics(call: Call) -> list[str]:
    return [
        f"v2.users.{call.user_id}.conversations",
        f"v2.users.{call.user_id}.conversations.calls",
        f"v2.routing.queues.{call.queue_id}.conversations",
        f"v2.detail.events.conversation.{call.id}.user.start",
        f"v2.detail.events.conversation.{call.id}.user.end",
        f"v2.detail.events.conversation.{call.id}.wrapup",
        f"v2.detail.events.conversation.{call.id}.acw",
    ]


def drive(api_client: Any, org: MockOrg, call: Call) -> None:
    """Answer, hold, resume, hang up and wrap up, each a few seconds apart."""
    conversations = sdk.ConversationsApi(api_client)

    def patch(**fields: Any) -> None:
        body = sdk.MediaParticipantRequest()
        for key, value in fields.items():
            setattr(body, key, value)
        conversations.patch_conversations_call_participant(call.id, call.agent, body)
        org.advance(5_000)

    patch(state="connected")
    patch(held=True)
    patch(held=False)
    patch(state="disconnected")
    codes = conversations.get_conversations_call_participant_wrapupcodes(call.id, call.agent)
    wrapup = sdk.WrapupInput()
    wrapup.code = codes[0].id
    wrapup.notes = "done"
    comm = org.state.store.snapshot(call.id).conv.participant(call.agent).comm.id
    conversations.post_conversations_call_participant_communication_wrapup(
        call.id, call.agent, comm, body=wrapup
    )
