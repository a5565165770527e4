"""Blind transfers (``replace``, ``transfer``) and consult transfers (``consult``).

In a blind transfer the path's participant is the one replaced (the agent); in a consult it is
the object of the transfer (the customer), and ``consultingUserId`` names the agent who
consults (by default the token's user, else the engine picks the agent talking to the object).
The initiator hanging up (``PATCH ... state: disconnected``) completes a consult.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Response

from gcmock.scenarios.engine import transfer
from gcmock.scenarios.engine.addresses import normalise_address
from gcmock.scenarios.engine.model import Conversation
from gcmock.scenarios.world import Queue, User

from ..bodies import (
    ConsultTransfer,
    ConsultTransferBase,
    ConsultTransferToAddress,
    ConsultTransferToAgent,
    ConsultTransferToExternalContact,
    ConsultTransferToQueue,
    ConsultTransferUpdate,
    TransferRequest,
    TransferToAddressRequest,
    TransferToAgentRequest,
    TransferToExternalContactRequest,
    TransferToQueueRequest,
)
from ..errors import bad_request
from ..state import current
from ..wire import accepted, json_response
from .base import RouteTable
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


# -- blind transfers ---------------------------------------------------------------------------


def _blind(
    conversation_id: str, participant_id: str, to: Target, media: str | None = None
) -> Response:
    with current().store.edit(conversation_id) as (conv, now):
        p = participant(conv, participant_id, media)
        transfer.blind_transfer(
            conv, current().world, p.id, now, queue=to.queue, user=to.user, address=to.address
        )
    return accepted()


@TABLE.route(
    "POST",
    "/api/v2/conversations/{conversationId}/participants/{participantId}/replace/agent",
    "Replace this participant with the specified agent",
    body=TransferToAgentRequest,
    status=202,
    errors=ERRORS,
)
def post_replace_agent(
    conversationId: str, participantId: str, body: TransferToAgentRequest
) -> Response:
    return _blind(conversationId, participantId, _agent(body))


@TABLE.route(
    "POST",
    "/api/v2/conversations/{conversationId}/participants/{participantId}/replace/queue",
    "Replace this participant with the specified queue",
    body=TransferToQueueRequest,
    status=202,
    errors=ERRORS,
)
def post_replace_queue(
    conversationId: str, participantId: str, body: TransferToQueueRequest
) -> Response:
    return _blind(conversationId, participantId, _queue(body))


@TABLE.route(
    "POST",
    "/api/v2/conversations/{conversationId}/participants/{participantId}/replace/contact/external",
    "Replace this participant with an external contact",
    body=TransferToExternalContactRequest,
    status=202,
    errors=ERRORS,
)
def post_replace_contact_external(
    conversationId: str, participantId: str, body: TransferToExternalContactRequest
) -> Response:
    return _blind(conversationId, participantId, _contact(body))


@TABLE.route(
    "POST",
    "/api/v2/conversations/{conversationId}/participants/{participantId}/transfer",
    "Replace this participant by another one using the address of the destination",
    body=TransferToAddressRequest,
    status=202,
    errors=ERRORS,
)
def post_transfer(
    conversationId: str, participantId: str, body: TransferToAddressRequest
) -> Response:
    return _blind(conversationId, participantId, _address(body))


@TABLE.route(
    "POST",
    (
        "/api/v2/conversations/calls/{conversationId}/participants/{participantId}/replace",
        "/api/v2/conversations/callbacks/{conversationId}/participants/{participantId}/replace",
        "/api/v2/conversations/emails/{conversationId}/participants/{participantId}/replace",
        "/api/v2/conversations/messages/{conversationId}/participants/{participantId}/replace",
    ),
    "Replace this participant with the specified user and/or address",
    body=TransferRequest,
    status=202,
    errors=ERRORS,
)
@TABLE.route(
    "POST",
    "/api/v2/conversations/{conversationId}/participants/{participantId}/replace",
    "Replace this participant (deprecated by the platform)",
    body=TransferRequest,
    status=202,
    errors=ERRORS,
)
def post_replace(
    conversationId: str, participantId: str, body: TransferRequest, media: str | None = None
) -> Response:
    return _blind(conversationId, participantId, _any(body), media)


# -- consult -----------------------------------------------------------------------------------


def _initiator(conv: Conversation, consulting_user_id: str | None) -> str | None:
    user_id = consulting_user_id
    if user_id is None:
        user = acting_user()
        user_id = user.id if user is not None else None
    if user_id is None:
        return None
    return participant_of_user(conv, user_id, "consultingUserId").id


def _consult(
    conversation_id: str, participant_id: str, body: ConsultTransferBase, to: Target
) -> Response:
    with current().store.edit(conversation_id) as (conv, now):
        obj = participant(conv, participant_id, "call")
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


@TABLE.route(
    "POST",
    "/api/v2/conversations/calls/{conversationId}/participants/{participantId}/consult/agent",
    "Initiate a consult transfer to an agent",
    body=ConsultTransferToAgent,
    response="ConsultTransferResponse",
    errors=ERRORS,
)
def post_consult_agent(
    conversationId: str, participantId: str, body: ConsultTransferToAgent
) -> Response:
    return _consult(conversationId, participantId, body, _agent(body))


@TABLE.route(
    "POST",
    "/api/v2/conversations/calls/{conversationId}/participants/{participantId}/consult/queue",
    "Initiate a consult transfer to a queue",
    body=ConsultTransferToQueue,
    response="ConsultTransferResponse",
    errors=ERRORS,
)
def post_consult_queue(
    conversationId: str, participantId: str, body: ConsultTransferToQueue
) -> Response:
    return _consult(conversationId, participantId, body, _queue(body))


@TABLE.route(
    "POST",
    "/api/v2/conversations/calls/{conversationId}/participants/{participantId}/consult/contact/external",
    "Initiate a consult transfer to an external contact",
    body=ConsultTransferToExternalContact,
    response="ConsultTransferResponse",
    errors=ERRORS,
)
def post_consult_contact_external(
    conversationId: str, participantId: str, body: ConsultTransferToExternalContact
) -> Response:
    return _consult(conversationId, participantId, body, _contact(body))


@TABLE.route(
    "POST",
    "/api/v2/conversations/calls/{conversationId}/participants/{participantId}/voice/consult",
    "Initiate voice consult transfer to an address",
    body=ConsultTransferToAddress,
    response="ConsultTransferResponse",
    errors=ERRORS,
)
def post_voice_consult(
    conversationId: str, participantId: str, body: ConsultTransferToAddress
) -> Response:
    return _consult(conversationId, participantId, body, _address(body))


@TABLE.route(
    "POST",
    "/api/v2/conversations/calls/{conversationId}/participants/{participantId}/consult",
    "Initiate a consult transfer (deprecated by the platform)",
    body=ConsultTransfer,
    response="ConsultTransferResponse",
    errors=ERRORS,
)
def post_consult(conversationId: str, participantId: str, body: ConsultTransfer) -> Response:
    return _consult(conversationId, participantId, body, _destination(body))


@TABLE.route(
    "PATCH",
    "/api/v2/conversations/calls/{conversationId}/participants/{participantId}/consult",
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
    "/api/v2/conversations/calls/{conversationId}/participants/{participantId}/consult",
    "Cancel the transfer",
    status=202,
    errors=ERRORS,
)
def delete_consult(conversationId: str, participantId: str) -> Response:
    with current().store.edit(conversationId) as (conv, now):
        participant(conv, participantId, "call")
        transfer.cancel_consult(conv, now, object_id=participantId)
    return accepted()
