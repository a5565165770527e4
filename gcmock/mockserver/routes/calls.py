"""Placing outbound calls and supervisors joining a call (monitor, coach, barge).

A client-credentials token has no user: place a call on a user's behalf with
``POST /api/v2/conversations/calls/user/{userId}``; a supervisor action then uses the first
supervisor of the world who is not already on the conversation.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Response

from gcmock.scenarios import World
from gcmock.scenarios.engine import outbound, supervision
from gcmock.scenarios.engine.addresses import normalise_address
from gcmock.scenarios.engine.model import Conversation, Participant
from gcmock.scenarios.world import User

from ..bodies import CreateCallRequest
from ..errors import bad_request
from ..state import current
from ..wire import accepted, json_response
from .base import RouteTable
from .common import acting_user, find_contact, find_queue, participant, user_by_id

__all__ = ["TABLE"]

TABLE = RouteTable("calls", "Calls")

_UNSUPPORTED = ("callQueueId", "callUserId", "conversationIds", "participants")


def _place(user: User, body: CreateCallRequest) -> Response:
    for name in _UNSUPPORTED:
        if getattr(body, name):
            raise bad_request(
                f"{name} (internal calls, conferences) is not supported by gcmock", name
            )
    state = current()
    world = state.world
    queue = find_queue(world, "callFromQueueId", queue_id=body.callFromQueueId)
    contact = (
        find_contact(world, "externalContactId", body.externalContactId)
        if body.externalContactId
        else None
    )
    if body.phoneNumber is not None:
        number = normalise_address(body.phoneNumber, "phoneNumber")
    elif contact is not None:
        number = contact.phone
    else:
        raise bad_request("phoneNumber is required", "phoneNumber", "missing")
    rng = state.store.new_rng()
    conv = state.store.create(
        lambda now: outbound.place_call(
            world, rng, now, user=user, number=number, queue=queue, contact=contact
        )
    )
    return json_response({"id": conv.id, "selfUri": f"/api/v2/conversations/calls/{conv.id}"})


@TABLE.route(
    "POST",
    "/api/v2/conversations/calls",
    "Create a call conversation (needs a user token)",
    body=CreateCallRequest,
    response="CreateCallResponse",
    errors=(400,),
)
def post_calls(body: CreateCallRequest) -> Response:
    user = acting_user("placing a call")
    if user is None:
        raise bad_request("the token's user no longer exists")
    return _place(user, body)


@TABLE.route(
    "POST",
    "/api/v2/conversations/calls/user/{userId}",
    "Create a call conversation on behalf of a user",
    body=CreateCallRequest,
    response="CreateCallResponse",
    errors=(400, 404),
)
def post_calls_user(userId: str, body: CreateCallRequest) -> Response:
    return _place(user_by_id(userId), body)


Join = Callable[[Conversation, World, str, User, int], Participant]


def _supervisor(conv: Conversation, world: World) -> User:
    user = acting_user()
    if user is not None:
        return user
    on_call = {p.user_id for p in conv.participants if p.active}
    free = [u for u in world.supervisors if u.id not in on_call]
    return (free or list(world.supervisors))[0]


def _join(join: Join, conversation_id: str, participant_id: str) -> Response:
    world = current().world
    with current().store.edit(conversation_id) as (conv, now):
        target = participant(conv, participant_id, "call")
        join(conv, world, target.id, _supervisor(conv, world), now)
    return accepted()


@TABLE.route(
    "POST",
    "/api/v2/conversations/calls/{conversationId}/participants/{participantId}/monitor",
    "Listen in on the conversation from the point of view of a given participant",
    status=202,
    errors=(404, 409),
)
def post_monitor(conversationId: str, participantId: str) -> Response:
    return _join(supervision.monitor, conversationId, participantId)


@TABLE.route(
    "POST",
    "/api/v2/conversations/calls/{conversationId}/participants/{participantId}/coach",
    "Listen in while speaking only to the given participant",
    status=202,
    errors=(404, 409),
)
def post_coach(conversationId: str, participantId: str) -> Response:
    return _join(supervision.coach, conversationId, participantId)


@TABLE.route(
    "POST",
    "/api/v2/conversations/calls/{conversationId}/participants/{participantId}/barge",
    "Barge a given participant's call creating a barged in conference",
    status=202,
    errors=(404, 409),
)
def post_barge(conversationId: str, participantId: str) -> Response:
    return _join(supervision.barge, conversationId, participantId)
