"""An agent's call driven through the official SDK: answer, hold, resume, a consult to a
colleague completed as a transfer by hanging up, both agents' wrap-ups. For the in-process and
the socket tests alike."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import PureCloudPlatformClientV2 as sdk

from gcmock.mockserver.inprocess import MockOrg
from gcmock.mockserver.notifications.hub import correlation
from gcmock.scenarios import Conversation
from gcmock.scenarios.engine import routing
from gcmock.scenarios.views.events import conversation_event

T0 = 1_793_491_200_000


@dataclass(frozen=True)
class Call:
    id: str
    agent: str
    user_id: str
    queue_id: str
    customer: str
    colleague_id: str


def alerting_call(org: MockOrg, seed: int = 1) -> Call:
    """customer -> acd -> agent, the agent alerting at the server's now."""
    world = org.state.world
    queue = world.queues[0]
    user, colleague = [
        world.users_by_id[u] for u in queue.member_ids if not world.users_by_id[u].is_supervisor
    ][:2]
    now = org.clock.now()
    conv = routing.start_inbound(
        world, random.Random(seed), now - 60_000, dnis=queue.dnis[0], ani="+13125550142"
    )
    routing.route_to_queue(conv, world, queue, now - 50_000)
    agent = routing.offer(conv, world, user, now)
    org.add(conv)
    customer = next(p for p in conv.participants if p.purpose == "customer")
    return Call(conv.id, agent.id, user.id, queue.id, customer.id, colleague.id)


def topics(call: Call) -> list[str]:
    return [
        f"v2.users.{call.user_id}.conversations",
        f"v2.users.{call.user_id}.conversations.calls",
        f"v2.routing.queues.{call.queue_id}.conversations",
        f"v2.users.{call.colleague_id}.conversations",
        f"v2.detail.events.conversation.{call.id}.user.start",
        f"v2.detail.events.conversation.{call.id}.user.end",
        f"v2.detail.events.conversation.{call.id}.wrapup",
        f"v2.detail.events.conversation.{call.id}.acw",
    ]


def drive(api_client: Any, org: MockOrg, call: Call) -> None:
    """Answer, hold, resume; consult the colleague, who answers; speak to both; the agent hangs
    up (the consult becomes a transfer) and wraps up; the colleague hangs up and wraps up. Each
    step a few seconds after the last."""
    conversations = sdk.ConversationsApi(api_client)

    def patch(participant: str, **fields: Any) -> None:
        body = sdk.MediaParticipantRequest()
        for key, value in fields.items():
            setattr(body, key, value)
        conversations.patch_conversations_call_participant(call.id, participant, body)
        org.advance(5_000)

    patch(call.agent, state="connected")
    patch(call.agent, held=True)
    patch(call.agent, held=False)
    consult = sdk.ConsultTransferToAgent()
    consult.user_id = call.colleague_id
    consult.consulting_user_id = call.user_id
    dest = conversations.post_conversations_call_participant_consult_agent(
        call.id, call.customer, consult
    ).destination_participant_id
    org.advance(5_000)
    patch(dest, state="connected")
    both = sdk.ConsultTransferUpdate()
    both.speak_to = "BOTH"
    conversations.patch_conversations_call_participant_consult(call.id, call.customer, both)
    org.advance(5_000)
    patch(call.agent, state="disconnected")
    _wrap_up(conversations, org, call, call.agent)
    patch(dest, state="disconnected")
    _wrap_up(conversations, org, call, dest)


def _wrap_up(conversations: Any, org: MockOrg, call: Call, participant: str) -> None:
    codes = conversations.get_conversations_call_participant_wrapupcodes(call.id, participant)
    wrapup = sdk.WrapupInput()
    wrapup.code = codes[0].id
    wrapup.notes = "done"
    comm = org.state.store.snapshot(call.id).conv.participant(participant).comm.id
    conversations.post_conversations_call_participant_communication_wrapup(
        call.id, participant, comm, body=wrapup
    )
    org.advance(5_000)


@contextmanager
def recorded_changes(org: MockOrg, call: Call) -> Iterator[list[str]]:
    """The correlation ids of the call's changes as the store publishes them."""
    changes: list[str] = []

    def record(before: Conversation | None, after: Conversation) -> None:
        if after.id == call.id:
            changes.append(correlation(after))

    org.state.store.listeners.append(record)
    try:
        yield changes
    finally:
        org.state.store.listeners.remove(record)


def _leg(message: dict[str, Any], participant: str) -> tuple[Any, ...]:
    leg = next(p for p in message["eventBody"]["participants"] if p["id"] == participant)
    call = leg["calls"][0]
    return (call["state"], call["held"], call.get("disconnectType"), "wrapup" in leg)


def assert_call_events(
    call: Call, received: list[dict[str, Any]], changes: list[str], final: Conversation
) -> None:
    """What :func:`drive` must notify on :func:`topics`: per topic one message per change, in
    the order of the changes (``changes``, the correlation ids the store published), each with
    the whole conversation; the legs' states as driven; the detail events of each step."""
    messages = [m for m in received if "metadata" in m]
    by_topic: dict[str, list[dict[str, Any]]] = {}
    for m in messages:
        by_topic.setdefault(m["topicName"], []).append(m)
    queue_topic = f"v2.routing.queues.{call.queue_id}.conversations"
    for name in topics(call)[:4]:
        seen = [m["metadata"]["CorrelationId"] for m in by_topic[name]]
        assert seen == [c for c in changes if c in seen]  # in the order of the changes
        assert len(set(seen)) == len(seen)  # one message per change
    assert [m["metadata"]["CorrelationId"] for m in by_topic[queue_topic]] == changes
    agent = [_leg(m, call.agent) for m in by_topic[f"v2.users.{call.user_id}.conversations"]]
    assert agent == [
        ("connected", False, None, False),  # answered
        ("connected", True, None, False),  # held
        *[("connected", False, None, False)] * 4,  # resumed, consult, colleague answers, both
        ("disconnected", False, "transfer.consult", False),  # hangs up: the consult transfers
        ("disconnected", False, "transfer.consult", True),  # wrap-up
    ]
    colleague = by_topic[f"v2.users.{call.colleague_id}.conversations"]
    dest = colleague[0]["eventBody"]["participants"][-1]["id"]
    assert [_leg(m, dest)[0] for m in colleague] == ["alerting"] + ["connected"] * 4 + [
        "disconnected",
        "terminated",
    ]
    assert by_topic[queue_topic][-1]["eventBody"] == conversation_event(final)
    prefix = f"v2.detail.events.conversation.{call.id}."
    details = [
        (m["topicName"].removeprefix(prefix), m["eventBody"]["participantId"])
        for m in messages
        if prefix in m["topicName"]
    ]
    assert details == [
        ("user.start", dest),  # the consult; the agent's user.start came with the offer
        ("user.end", call.agent),
        ("wrapup", call.agent),
        ("acw", call.agent),
        ("user.end", dest),
        ("wrapup", dest),
        ("acw", dest),
    ]
    for m in messages:
        assert set(m) == {"topicName", "version", "eventBody", "metadata"}
