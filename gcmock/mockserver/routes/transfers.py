"""Blind transfers (``replace``, ``transfer``) and consult transfers (``consult``).

In a blind transfer the path's participant is the one replaced (the agent); in a consult it is
the object of the transfer (the customer), and ``consultingUserId`` names the agent who
consults (by default the token's user, else the engine picks the agent talking to the object).
The initiator hanging up (``PATCH ... state: disconnected``) completes a consult.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Response
from pydantic import BaseModel

from gcmock.scenarios.engine import transfer
from gcmock.scenarios.engine.addresses import normalise_address
from gcmock.scenarios.engine.model import Conversation
from gcmock.scenarios.world.catalog import Queue, User

from ..bodies import (
    ConsultTransfer,
    ConsultTransferBase,
    ConsultTransferToAddress,
    ConsultTransferToAgent,
    ConsultTransferToExternalContact,
    ConsultTransferToQueue,
    ConsultTransferUpdate,
    TransferBase,
    TransferRequest,
    TransferToAddressRequest,
    TransferToAgentRequest,
    TransferToExternalContactRequest,
    TransferToQueueRequest,
)
from ..errors import bad_request
from ..state import current
from ..wire import accepted, json_response
from .base import FLAT_MEDIA, Handler, RouteTable
from .common import (
    acting_user,
    find_contact,
    find_queue,
    find_user,
    participant,
    participant_of_user,
)

__all__ = ["TABLE"]

TABLE = RouteTable("transfers", "Transfers")

PARTICIPANT = "/api/v2/conversations/{conversationId}/participants/{participantId}"
MEDIA_PARTICIPANT = "/api/v2/conversations/{media}/{conversationId}/participants/{participantId}"
CALL_PARTICIPANT = "/api/v2/conversations/calls/{conversationId}/participants/{participantId}"
ERRORS = (400, 404, 409)


# -- destinations: what a body names, resolved in the world before the conversation is read ---


@dataclass(frozen=True, slots=True)
class Target:
    user: User | None = None
    queue: Queue | None = None
    address: str | None = None


def _no_voicemail(voicemail: bool | None) -> None:
    if voicemail:
        raise bad_request("transfer to voicemail is not supported by gcmock", "voicemail")


def _agent(body: TransferToAgentRequest | ConsultTransferToAgent) -> Target:
    """By id, else username (blind transfers only), else display name."""
    world = current().world
    if isinstance(body, TransferToAgentRequest):
        _no_voicemail(body.voicemail)
        user = find_user(
            world,
            "userId",
            user_id=body.userId,
            username=body.userName,
            display_name=body.userDisplayName,
        )
        fields = "userId, userName or userDisplayName"
    else:
        user = find_user(world, "userId", user_id=body.userId, display_name=body.userDisplayName)
        fields = "userId or userDisplayName"
    if user is None:
        raise bad_request(f"{fields} is required", "userId", "missing")
    return Target(user=user)


def _queue(body: TransferToQueueRequest | ConsultTransferToQueue) -> Target:
    queue = find_queue(current().world, "queueId", queue_id=body.queueId, name=body.queueName)
    if queue is None:
        raise bad_request("queueId or queueName is required", "queueId", "missing")
    return Target(queue=queue)


def _contact(body: TransferToExternalContactRequest | ConsultTransferToExternalContact) -> Target:
    contact = find_contact(current().world, "contactId", body.contactId)
    return Target(address=f"tel:{contact.phone}")


def _address(body: TransferToAddressRequest | ConsultTransferToAddress) -> Target:
    return Target(address=normalise_address(body.address, "address"))


def _any(body: TransferRequest) -> Target:
    """The deprecated ``replace`` body: any of a user, a queue and an address."""
    _no_voicemail(body.voicemail)
    world = current().world
    return Target(
        find_user(world, "userId", user_id=body.userId, username=body.userName),
        find_queue(world, "queueId", queue_id=body.queueId),
        normalise_address(body.address, "address") if body.address is not None else None,
    )


def _destination(body: ConsultTransfer) -> Target:
    """The deprecated ``consult`` body: a user or a queue, else the address."""
    world = current().world
    d = body.destination
    user = find_user(world, "destination.userId", user_id=d.userId)
    queue = find_queue(world, "destination.queueId", queue_id=d.queueId)
    address = None
    if user is None and queue is None and d.address is not None:
        address = normalise_address(d.address, "destination.address")
    return Target(user, queue, address)


Resolve = Callable[[Any], Target]


# -- blind transfers ---------------------------------------------------------------------------


def _blind(resolve: Resolve) -> Handler:
    def handler(
        conversationId: str, participantId: str, body: TransferBase, media: str | None = None
    ) -> Response:
        to = resolve(body)
        with current().store.edit(conversationId) as (conv, now):
            p = participant(conv, participantId, media)
            transfer.blind_transfer(
                conv, current().world, p.id, now, queue=to.queue, user=to.user, address=to.address
            )
        return accepted()

    return handler


_BLIND: tuple[tuple[str, str, type[BaseModel], Resolve], ...] = (
    (
        "/replace/agent",
        "Replace this participant with the specified agent",
        TransferToAgentRequest,
        _agent,
    ),
    (
        "/replace/queue",
        "Replace this participant with the specified queue",
        TransferToQueueRequest,
        _queue,
    ),
    (
        "/replace/contact/external",
        "Replace this participant with an external contact",
        TransferToExternalContactRequest,
        _contact,
    ),
    (
        "/transfer",
        "Replace this participant by another one using the address of the destination",
        TransferToAddressRequest,
        _address,
    ),
    ("/replace", "Replace this participant (deprecated by the platform)", TransferRequest, _any),
)
for _suffix, _summary, _model, _resolve in _BLIND:
    TABLE.route("POST", PARTICIPANT + _suffix, _summary, body=_model, status=202, errors=ERRORS)(
        _blind(_resolve)
    )
TABLE.route(
    "POST",
    MEDIA_PARTICIPANT + "/replace",
    "Replace this participant with the specified user and/or address",
    body=TransferRequest,
    status=202,
    errors=ERRORS,
    media=FLAT_MEDIA,
)(_blind(_any))


# -- consult -----------------------------------------------------------------------------------


def _initiator(conv: Conversation, consulting_user_id: str | None) -> str | None:
    user_id = consulting_user_id
    if user_id is None:
        user = acting_user()
        user_id = user.id if user is not None else None
    if user_id is None:
        return None
    return participant_of_user(conv, user_id, "consultingUserId").id


def _consult(resolve: Resolve) -> Handler:
    def handler(conversationId: str, participantId: str, body: ConsultTransferBase) -> Response:
        to = resolve(body)
        with current().store.edit(conversationId) as (conv, now):
            obj = participant(conv, participantId, "call")
            dest = transfer.start_consult(
                conv,
                current().world,
                obj.id,
                now,
                initiator_id=_initiator(conv, body.consultingUserId),
                queue=to.queue,
                user=to.user,
                address=to.address,
                speak_to=body.speakTo,
            )
        return json_response({"destinationParticipantId": dest.id})

    return handler


_CONSULT: tuple[tuple[str, str, type[BaseModel], Resolve], ...] = (
    ("/consult/agent", "Initiate a consult transfer to an agent", ConsultTransferToAgent, _agent),
    ("/consult/queue", "Initiate a consult transfer to a queue", ConsultTransferToQueue, _queue),
    (
        "/consult/contact/external",
        "Initiate a consult transfer to an external contact",
        ConsultTransferToExternalContact,
        _contact,
    ),
    (
        "/voice/consult",
        "Initiate voice consult transfer to an address",
        ConsultTransferToAddress,
        _address,
    ),
    (
        "/consult",
        "Initiate a consult transfer (deprecated by the platform)",
        ConsultTransfer,
        _destination,
    ),
)
for _suffix, _summary, _model, _resolve in _CONSULT:
    TABLE.route(
        "POST",
        CALL_PARTICIPANT + _suffix,
        _summary,
        body=_model,
        response="ConsultTransferResponse",
        errors=ERRORS,
    )(_consult(_resolve))


@TABLE.route(
    "PATCH",
    CALL_PARTICIPANT + "/consult",
    "Change who can speak",
    body=ConsultTransferUpdate,
    response="ConsultTransferResponse",
    errors=ERRORS,
)
def patch_consult(conversationId: str, participantId: str, body: ConsultTransferUpdate) -> Response:
    with current().store.edit(conversationId) as (conv, now):
        participant(conv, participantId, "call")
        transfer.change_speak_to(conv, now, body.speakTo, object_id=participantId)
        assert conv.consult is not None
        destination = conv.consult.destination_id
    return json_response({"destinationParticipantId": destination})


@TABLE.route(
    "DELETE",
    CALL_PARTICIPANT + "/consult",
    "Cancel the transfer",
    status=202,
    errors=ERRORS,
)
def delete_consult(conversationId: str, participantId: str) -> Response:
    with current().store.edit(conversationId) as (conv, now):
        participant(conv, participantId, "call")
        transfer.cancel_consult(conv, now, object_id=participantId)
    return accepted()
