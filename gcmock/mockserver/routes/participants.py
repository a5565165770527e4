"""Call control on a participant: answer, hang up, hold, mute, record, attributes, wrap-up.

``PATCH .../participants/{id}`` sets the participant's desired state: a field already at that
value is a no-op, every other one is one engine operation, applied in the order a phone would
(answer, then hold/mute/record, then hang up, then wrap-up). If any operation is refused the
request changes nothing (the store publishes only complete edits).
"""

from __future__ import annotations

from flask import Response

from gcmock.scenarios.engine import control, routing, wrapup
from gcmock.scenarios.engine.model import Communication, Conversation, Participant
from gcmock.scenarios.views.directory import wrapup_code_json
from gcmock.scenarios.views.projection import to_assigned_wrapup_json

from ..bodies import (
    MediaParticipantRequest,
    ParticipantAttributes,
    SetRecordingState,
    WrapupInput,
    WrapupQuery,
)
from ..errors import bad_request, not_found
from ..state import current
from ..wire import accepted, json_response
from .base import RouteTable
from .common import participant, require_media

__all__ = ["TABLE"]

TABLE = RouteTable("participants", "Participants")


def _apply(conv: Conversation, p: Participant, body: MediaParticipantRequest, now: int) -> None:
    if body.confined is not None:
        raise bad_request("confined (ad-hoc conference) is not supported by gcmock", "confined")
    if body.resumeTime is not None:
        raise bad_request("parking (resumeTime) is not supported by gcmock", "resumeTime")
    if body.state == "connected" and p.comm.state != "connected":
        routing.answer(conv, p.id, now)
    if body.held is not None and body.held != p.comm.held:
        (control.hold if body.held else control.resume)(conv, p.id, now)
    if body.muted is not None and body.muted != p.comm.muted:
        control.mute(conv, p.id, now, body.muted)
    if body.recording is not None and body.recording != p.comm.recording:
        control.set_recording(conv, now, "ACTIVE" if body.recording else "NONE")
    if body.state == "disconnected" and p.active:
        control.disconnect(conv, p.id, now)
    if body.wrapup is not None:
        _wrap_up(conv, p, body.wrapup, now)
    if body.wrapupSkipped:
        wrapup.skip_wrapup(conv, p.id, now)


def _communication(conv: Conversation, p: Participant, communication_id: str) -> Communication:
    """The participant's communication (404 when it is someone else's)."""
    owner, comm = conv.communication(communication_id)
    if owner is not p:
        raise not_found(f"communication {communication_id} is not {p.id}'s")
    return comm


def _wrap_up(conv: Conversation, p: Participant, body: WrapupInput, now: int) -> None:
    wrapup.wrap_up(
        conv,
        current().world,
        p.id,
        body.code,
        now,
        notes=body.notes,
        tags=tuple(body.tags or ()),
    )


# a route with and without the media segment is one handler; the one without gets no media


@TABLE.route(
    "PATCH",
    (
        "/api/v2/conversations/calls/{conversationId}/participants/{participantId}",
        "/api/v2/conversations/callbacks/{conversationId}/participants/{participantId}",
        "/api/v2/conversations/emails/{conversationId}/participants/{participantId}",
        "/api/v2/conversations/messages/{conversationId}/participants/{participantId}",
    ),
    "Update conversation participant",
    body=MediaParticipantRequest,
    status=202,
    errors=(400, 404, 409),
)
@TABLE.route(
    "PATCH",
    "/api/v2/conversations/{conversationId}/participants/{participantId}",
    "Update a participant",
    body=MediaParticipantRequest,
    status=202,
    errors=(400, 404, 409),
)
def patch_participant(
    conversationId: str, participantId: str, body: MediaParticipantRequest, media: str | None = None
) -> Response:
    with current().store.edit(conversationId) as (conv, now):
        _apply(conv, participant(conv, participantId, media), body, now)
    return accepted()


@TABLE.route(
    "PATCH",
    (
        "/api/v2/conversations/calls/{conversationId}/participants/{participantId}/communications/{communicationId}",
        "/api/v2/conversations/callbacks/{conversationId}/participants/{participantId}/communications/{communicationId}",
        "/api/v2/conversations/emails/{conversationId}/participants/{participantId}/communications/{communicationId}",
        "/api/v2/conversations/messages/{conversationId}/participants/{participantId}/communications/{communicationId}",
    ),
    "Update a participant's communication by disconnecting it (state: disconnected only)",
    body=MediaParticipantRequest,
    response="object",
    status=202,
    errors=(400, 404, 409),
)
def patch_communication(
    conversationId: str,
    participantId: str,
    communicationId: str,
    body: MediaParticipantRequest,
    media: str,
) -> Response:
    if body.state != "disconnected":
        raise bad_request("a communication can only be disconnected", "state")
    with current().store.edit(conversationId) as (conv, now):
        p = participant(conv, participantId, media)
        comm = _communication(conv, p, communicationId)
        if comm is p.comm:
            control.disconnect(conv, p.id, now)
        else:
            control.end_media(conv, p.id, comm.media, now)
    return json_response({}, 202)


def _attributes(
    conversation_id: str, participant_id: str, body: ParticipantAttributes, media: str | None
) -> dict[str, str]:
    with current().store.edit(conversation_id) as (conv, now):
        p = participant(conv, participant_id, media)
        control.set_attributes(conv, p.id, now, body.attributes)
        return dict(p.attributes)


@TABLE.route(
    "PATCH",
    "/api/v2/conversations/{conversationId}/participants/{participantId}/attributes",
    "Update the attributes on a conversation participant",
    body=ParticipantAttributes,
    status=202,
    errors=(400, 404),
)
def patch_attributes(
    conversationId: str, participantId: str, body: ParticipantAttributes
) -> Response:
    _attributes(conversationId, participantId, body, None)
    return accepted()


@TABLE.route(
    "PATCH",
    (
        "/api/v2/conversations/calls/{conversationId}/participants/{participantId}/attributes",
        "/api/v2/conversations/callbacks/{conversationId}/participants/{participantId}/attributes",
        "/api/v2/conversations/emails/{conversationId}/participants/{participantId}/attributes",
        "/api/v2/conversations/messages/{conversationId}/participants/{participantId}/attributes",
    ),
    "Update the attributes on a conversation participant; returns all of them",
    body=ParticipantAttributes,
    response="ParticipantAttributes",
    errors=(400, 404),
)
def patch_media_attributes(
    conversationId: str, participantId: str, body: ParticipantAttributes, media: str
) -> Response:
    return json_response({"attributes": _attributes(conversationId, participantId, body, media)})


@TABLE.route(
    "GET",
    (
        "/api/v2/conversations/calls/{conversationId}/participants/{participantId}/communications/{communicationId}/wrapup",
        "/api/v2/conversations/callbacks/{conversationId}/participants/{participantId}/communications/{communicationId}/wrapup",
        "/api/v2/conversations/emails/{conversationId}/participants/{participantId}/communications/{communicationId}/wrapup",
        "/api/v2/conversations/messages/{conversationId}/participants/{participantId}/communications/{communicationId}/wrapup",
    ),
    "Get the wrap-up for this conversation communication",
    query=WrapupQuery,
    response="AssignedWrapupCode",
    errors=(404,),
)
@TABLE.route(
    "GET",
    (
        "/api/v2/conversations/calls/{conversationId}/participants/{participantId}/wrapup",
        "/api/v2/conversations/callbacks/{conversationId}/participants/{participantId}/wrapup",
        "/api/v2/conversations/emails/{conversationId}/participants/{participantId}/wrapup",
        "/api/v2/conversations/messages/{conversationId}/participants/{participantId}/wrapup",
    ),
    "Get the wrap-up for this conversation participant",
    query=WrapupQuery,
    response="AssignedWrapupCode",
    errors=(404,),
)
@TABLE.route(
    "GET",
    "/api/v2/conversations/{conversationId}/participants/{participantId}/wrapup",
    "Get the wrap-up for this conversation participant",
    query=WrapupQuery,
    response="AssignedWrapupCode",
    errors=(404,),
)
def get_wrapup(
    conversationId: str,
    participantId: str,
    query: WrapupQuery,
    communicationId: str | None = None,
    media: str | None = None,
) -> Response:
    conv = current().store.snapshot(conversationId).conv
    p = participant(conv, participantId, media)
    if communicationId is not None:
        _communication(conv, p, communicationId)
    return json_response(to_assigned_wrapup_json(p))


@TABLE.route(
    "GET",
    (
        "/api/v2/conversations/calls/{conversationId}/participants/{participantId}/wrapupcodes",
        "/api/v2/conversations/callbacks/{conversationId}/participants/{participantId}/wrapupcodes",
        "/api/v2/conversations/emails/{conversationId}/participants/{participantId}/wrapupcodes",
        "/api/v2/conversations/messages/{conversationId}/participants/{participantId}/wrapupcodes",
    ),
    "Get list of wrapup codes for this conversation participant",
    response="list[WrapupCode]",
    errors=(404,),
)
@TABLE.route(
    "GET",
    "/api/v2/conversations/{conversationId}/participants/{participantId}/wrapupcodes",
    "Get list of wrapup codes for this conversation participant",
    response="list[WrapupCode]",
    errors=(404,),
)
def get_wrapupcodes(conversationId: str, participantId: str, media: str | None = None) -> Response:
    state = current()
    conv = state.store.snapshot(conversationId).conv
    p = participant(conv, participantId, media)
    world = state.world
    codes = [world.wrapup_codes_by_id[c] for c in wrapup.wrapup_codes_for(world, p)]
    return json_response([wrapup_code_json(world, c) for c in codes])


@TABLE.route(
    "POST",
    (
        "/api/v2/conversations/calls/{conversationId}/participants/{participantId}/communications/{communicationId}/wrapup",
        "/api/v2/conversations/callbacks/{conversationId}/participants/{participantId}/communications/{communicationId}/wrapup",
        "/api/v2/conversations/emails/{conversationId}/participants/{participantId}/communications/{communicationId}/wrapup",
        "/api/v2/conversations/messages/{conversationId}/participants/{participantId}/communications/{communicationId}/wrapup",
    ),
    "Apply wrap-up for this conversation communication",
    body=WrapupInput,
    status=202,
    errors=(400, 404, 409),
)
def post_communication_wrapup(
    conversationId: str, participantId: str, communicationId: str, body: WrapupInput, media: str
) -> Response:
    with current().store.edit(conversationId) as (conv, now):
        p = participant(conv, participantId, media)
        _communication(conv, p, communicationId)
        _wrap_up(conv, p, body, now)
    return accepted()


@TABLE.route(
    "PUT",
    (
        "/api/v2/conversations/calls/{conversationId}/recordingstate",
        "/api/v2/conversations/callbacks/{conversationId}/recordingstate",
        "/api/v2/conversations/emails/{conversationId}/recordingstate",
        "/api/v2/conversations/messages/{conversationId}/recordingstate",
    ),
    "Update a conversation by setting its recording state",
    body=SetRecordingState,
    response="str",
    errors=(400, 404, 409),
)
def put_recordingstate(conversationId: str, body: SetRecordingState, media: str) -> Response:
    with current().store.edit(conversationId) as (conv, now):
        require_media(conv, media)
        control.set_recording(conv, now, body.recordingState)
    return json_response(body.recordingState)
