"""Blind transfers (``replace``, ``transfer``) and consult transfers (``consult``).

In a blind transfer the path's participant is the one replaced (the agent); in a consult it is
the object of the transfer (the customer), and ``consultingUserId`` names the agent who
consults (by default the token's user, else the engine picks the agent talking to the object).
The initiator hanging up (``PATCH ... state: disconnected``) completes a consult.
"""

from __future__ import annotations

from flask import Response

from gcmock.scenarios import transfer
from gcmock.scenarios.model import Conversation
from gcmock.scenarios.world import ExternalContact, Queue, User

from ..bodies import (
    ConsultTransfer,
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
from .base import FLAT_MEDIA, RouteTable
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
CALL_PARTICIPANT = "/api/v2/conversations/calls/{conversationId}/participants/{participantId}"
ERRORS = (400, 404, 409)


def _phone(contact: ExternalContact) -> str:
    return f"tel:{contact.phone}"


def _blind(
    conversation_id: str,
    participant_id: str,
    *,
    media: str | None = None,
    user: User | None = None,
    queue: Queue | None = None,
    address: str | None = None,
) -> Response:
    with current().store.edit(conversation_id) as (conv, now):
        p = participant(conv, participant_id, media)
        transfer.blind_transfer(
            conv, current().world, p.id, now, queue=queue, user=user, address=address
        )
    return accepted()


def _no_voicemail(voicemail: bool | None) -> None:
    if voicemail:
        raise bad_request("transfer to voicemail is not supported by gcmock", "voicemail")


@TABLE.route(
    "POST",
    PARTICIPANT + "/replace/agent",
    "Replace this participant with the specified agent",
    body=TransferToAgentRequest,
    status=202,
    errors=ERRORS,
)
def replace_agent(
    conversationId: str, participantId: str, body: TransferToAgentRequest
) -> Response:
    _no_voicemail(body.voicemail)
    user = find_user(
        current().world,
        "userId",
        user_id=body.userId,
        username=body.userName,
        display_name=body.userDisplayName,
    )
    if user is None:
        raise bad_request("userId, userName or userDisplayName is required", "userId", "missing")
    return _blind(conversationId, participantId, user=user)


@TABLE.route(
    "POST",
    PARTICIPANT + "/replace/queue",
    "Replace this participant with the specified queue",
    body=TransferToQueueRequest,
    status=202,
    errors=ERRORS,
)
def replace_queue(
    conversationId: str, participantId: str, body: TransferToQueueRequest
) -> Response:
    queue = find_queue(current().world, "queueId", queue_id=body.queueId, name=body.queueName)
    if queue is None:
        raise bad_request("queueId or queueName is required", "queueId", "missing")
    return _blind(conversationId, participantId, queue=queue)


@TABLE.route(
    "POST",
    PARTICIPANT + "/replace/contact/external",
    "Replace this participant with an external contact",
    body=TransferToExternalContactRequest,
    status=202,
    errors=ERRORS,
)
def replace_contact(
    conversationId: str, participantId: str, body: TransferToExternalContactRequest
) -> Response:
    contact = find_contact(current().world, "contactId", body.contactId)
    return _blind(conversationId, participantId, address=_phone(contact))


@TABLE.route(
    "POST",
    PARTICIPANT + "/transfer",
    "Replace this participant by another one using the address of the destination",
    body=TransferToAddressRequest,
    status=202,
    errors=ERRORS,
)
def transfer_address(
    conversationId: str, participantId: str, body: TransferToAddressRequest
) -> Response:
    return _blind(conversationId, participantId, address=body.address)


def _replace(
    conversation_id: str, participant_id: str, body: TransferRequest, media: str | None
) -> Response:
    _no_voicemail(body.voicemail)
    world = current().world
    user = find_user(world, "userId", user_id=body.userId, username=body.userName)
    queue = find_queue(world, "queueId", queue_id=body.queueId)
    return _blind(
        conversation_id, participant_id, media=media, user=user, queue=queue, address=body.address
    )


@TABLE.route(
    "POST",
    PARTICIPANT + "/replace",
    "Replace this participant (deprecated by the platform)",
    body=TransferRequest,
    status=202,
    errors=ERRORS,
)
def replace(conversationId: str, participantId: str, body: TransferRequest) -> Response:
    return _replace(conversationId, participantId, body, None)


@TABLE.route(
    "POST",
    "/api/v2/conversations/{media}/{conversationId}/participants/{participantId}/replace",
    "Replace this participant with the specified user and/or address",
    body=TransferRequest,
    status=202,
    errors=ERRORS,
    media=FLAT_MEDIA,
)
def replace_media(
    conversationId: str, participantId: str, body: TransferRequest, media: str
) -> Response:
    return _replace(conversationId, participantId, body, media)


# -- consult ---------------------------------------------------------------------------------


def _initiator(conv: Conversation, consulting_user_id: str | None) -> str | None:
    user_id = consulting_user_id
    if user_id is None:
        user = acting_user()
        user_id = user.id if user is not None else None
    if user_id is None:
        return None
    return participant_of_user(conv, user_id, "consultingUserId").id


def _consult(
    conversation_id: str,
    participant_id: str,
    speak_to: str,
    consulting_user_id: str | None,
    *,
    user: User | None = None,
    queue: Queue | None = None,
    address: str | None = None,
) -> Response:
    with current().store.edit(conversation_id) as (conv, now):
        obj = participant(conv, participant_id, "call")
        dest = transfer.start_consult(
            conv,
            current().world,
            obj.id,
            now,
            initiator_id=_initiator(conv, consulting_user_id),
            queue=queue,
            user=user,
            address=address,
            speak_to=speak_to,  # type: ignore[arg-type]
        )
    return json_response({"destinationParticipantId": dest.id})


@TABLE.route(
    "POST",
    CALL_PARTICIPANT + "/consult/agent",
    "Initiate a consult transfer to an agent",
    body=ConsultTransferToAgent,
    response="ConsultTransferResponse",
    errors=ERRORS,
)
def consult_agent(
    conversationId: str, participantId: str, body: ConsultTransferToAgent
) -> Response:
    user = find_user(
        current().world, "userId", user_id=body.userId, display_name=body.userDisplayName
    )
    if user is None:
        raise bad_request("userId or userDisplayName is required", "userId", "missing")
    return _consult(conversationId, participantId, body.speakTo, body.consultingUserId, user=user)


@TABLE.route(
    "POST",
    CALL_PARTICIPANT + "/consult/queue",
    "Initiate a consult transfer to a queue",
    body=ConsultTransferToQueue,
    response="ConsultTransferResponse",
    errors=ERRORS,
)
def consult_queue(
    conversationId: str, participantId: str, body: ConsultTransferToQueue
) -> Response:
    queue = find_queue(current().world, "queueId", queue_id=body.queueId, name=body.queueName)
    if queue is None:
        raise bad_request("queueId or queueName is required", "queueId", "missing")
    return _consult(conversationId, participantId, body.speakTo, body.consultingUserId, queue=queue)


@TABLE.route(
    "POST",
    CALL_PARTICIPANT + "/consult/contact/external",
    "Initiate a consult transfer to an external contact",
    body=ConsultTransferToExternalContact,
    response="ConsultTransferResponse",
    errors=ERRORS,
)
def consult_contact(
    conversationId: str, participantId: str, body: ConsultTransferToExternalContact
) -> Response:
    contact = find_contact(current().world, "contactId", body.contactId)
    return _consult(
        conversationId,
        participantId,
        body.speakTo,
        body.consultingUserId,
        address=_phone(contact),
    )


@TABLE.route(
    "POST",
    CALL_PARTICIPANT + "/voice/consult",
    "Initiate voice consult transfer to an address",
    body=ConsultTransferToAddress,
    response="ConsultTransferResponse",
    errors=ERRORS,
)
def consult_address(
    conversationId: str, participantId: str, body: ConsultTransferToAddress
) -> Response:
    return _consult(
        conversationId, participantId, body.speakTo, body.consultingUserId, address=body.address
    )


@TABLE.route(
    "POST",
    CALL_PARTICIPANT + "/consult",
    "Initiate a consult transfer (deprecated by the platform)",
    body=ConsultTransfer,
    response="ConsultTransferResponse",
    errors=ERRORS,
)
def consult(conversationId: str, participantId: str, body: ConsultTransfer) -> Response:
    world = current().world
    d = body.destination
    user = find_user(world, "destination.userId", user_id=d.userId)
    queue = find_queue(world, "destination.queueId", queue_id=d.queueId)
    return _consult(
        conversationId,
        participantId,
        body.speakTo,
        body.consultingUserId,
        user=user,
        queue=queue,
        address=d.address if user is None and queue is None else None,
    )


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
