"""Request bodies and query strings, declared once: they validate requests and, through
:mod:`gcmock.mockserver.routes.openapi`, describe them in ``/openapi.json``.

Field names are the API's camelCase; unknown fields are ignored, as the platform does.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from gcmock.scenarios.engine.control import MAX_ATTRIBUTES
from gcmock.scenarios.engine.transfer import SpeakTo

__all__ = [
    "MAX_EPOCH_MS",
    "QUERY_MAX",
    "Body",
    "ClockRequest",
    "ConsultTransfer",
    "ConsultTransferBase",
    "ConsultTransferToAddress",
    "ConsultTransferToAgent",
    "ConsultTransferToExternalContact",
    "ConsultTransferToQueue",
    "ConsultTransferUpdate",
    "ConversationsQuery",
    "CreateCallRequest",
    "Destination",
    "FaultSpec",
    "HistoryQuery",
    "JournalQuery",
    "LoadQuery",
    "MediaParticipantRequest",
    "PageQuery",
    "ParticipantAttributes",
    "QueuesQuery",
    "SetRecordingState",
    "TokenRequest",
    "TransferBase",
    "TransferRequest",
    "TransferToAddressRequest",
    "TransferToAgentRequest",
    "TransferToExternalContactRequest",
    "TransferToQueueRequest",
    "UserQuery",
    "UsersQuery",
    "WrapupCodesQuery",
    "WrapupInput",
    "WrapupQuery",
]

TransferType = Literal["Attended", "Unattended"]
PhoneType = Literal["WorkPhone", "CellPhone", "HomePhone", "OtherPhone"]
SortOrder = Literal["ascending", "descending", "asc", "desc", "ASC", "DESC"]
Text = Annotated[str, StringConstraints(max_length=4096)]
Id = Annotated[str, StringConstraints(min_length=1, max_length=256)]
MAX_EPOCH_MS = 253_402_300_799_999
"""9999-12-31T23:59:59.999Z: the last instant the timestamp format can show."""
QUERY_MAX = 1024
"""Longest query parameter value: keeps every URL within the server's header limit."""
QText = Annotated[str, StringConstraints(max_length=QUERY_MAX)]
QId = Annotated[str, StringConstraints(min_length=1, max_length=256)]


class Body(BaseModel):
    model_config = ConfigDict(extra="ignore")


class WrapupInput(Body):
    code: Id
    name: Text | None = None
    notes: Text | None = None
    tags: list[Text] | None = None
    durationSeconds: int | None = Field(None, ge=0)
    endTime: datetime | None = None
    provisional: bool | None = None
    disableEndTimeUpdates: bool | None = None


class MediaParticipantRequest(Body):
    state: Literal["connected", "disconnected"] | None = None
    """``connected`` answers an offer (or a ringing outbound leg), ``disconnected`` hangs up."""
    held: bool | None = None
    muted: bool | None = None
    recording: bool | None = None
    confined: bool | None = None
    wrapupSkipped: bool | None = None
    wrapup: WrapupInput | None = None
    resumeTime: datetime | None = None


class ParticipantAttributes(Body):
    attributes: Annotated[
        dict[Annotated[str, StringConstraints(max_length=256)], Text],
        Field(max_length=MAX_ATTRIBUTES),
    ]
    """Merged into the participant's; keys up to 256 characters, values up to 4,096, at most
    ``MAX_ATTRIBUTES`` in a request or on a participant."""


class TransferBase(Body):
    transferType: TransferType | None = None
    keepInternalMessageAlive: bool | None = None


class TransferToAgentRequest(TransferBase):
    userId: Id | None = None
    userName: Text | None = None
    userDisplayName: Text | None = None
    voicemail: bool | None = None


class TransferToQueueRequest(TransferBase):
    queueId: Id | None = None
    queueName: Text | None = None


class TransferToExternalContactRequest(TransferBase):
    contactId: Id
    phoneType: PhoneType | None = None


class TransferToAddressRequest(TransferBase):
    address: Id


class TransferRequest(TransferBase):
    userId: Id | None = None
    address: Id | None = None
    userName: Text | None = None
    queueId: Id | None = None
    voicemail: bool | None = None


class ConsultTransferBase(Body):
    speakTo: SpeakTo = "DESTINATION"
    consultingUserId: Id | None = None


class ConsultTransferToAgent(ConsultTransferBase):
    userId: Id | None = None
    userDisplayName: Text | None = None


class ConsultTransferToQueue(ConsultTransferBase):
    queueId: Id | None = None
    queueName: Text | None = None


class ConsultTransferToExternalContact(ConsultTransferBase):
    contactId: Id
    phoneType: PhoneType | None = None


class ConsultTransferToAddress(ConsultTransferBase):
    address: Id


class Destination(Body):
    address: Id | None = None
    name: Text | None = None
    userId: Id | None = None
    queueId: Id | None = None


class ConsultTransfer(ConsultTransferBase):
    destination: Destination


class ConsultTransferUpdate(Body):
    speakTo: SpeakTo
    consultingUserId: Id | None = None


class CreateCallRequest(Body):
    phoneNumber: Id | None = None
    callerId: Text | None = None
    callerIdName: Text | None = None
    callFromQueueId: Id | None = None
    callQueueId: Id | None = None
    callUserId: Id | None = None
    priority: int | None = None
    attributes: dict[str, Text] | None = None
    languageId: Id | None = None
    routingSkillsIds: list[Id] | None = None
    routingSkillExpression: Text | None = None
    conversationIds: list[Id] | None = None
    participants: list[Destination] | None = None
    uuiData: Text | None = None
    externalContactId: Id | None = None
    label: Text | None = None


class SetRecordingState(Body):
    recordingState: Literal["ACTIVE", "PAUSED", "NONE"]


# -- query strings -------------------------------------------------------------------------


class PageQuery(Body):
    pageSize: int = Field(25, ge=1, le=500)
    pageNumber: int = Field(1, ge=1, le=1_000_000)


class ConversationsQuery(PageQuery):
    communicationType: QText | None = None
    """``call``, ``callback``, ``chat``, ``email``, ``message``... (any case)."""


class HistoryQuery(PageQuery):
    pageSize: int = Field(25, ge=1, le=50)
    interval: QText | None = None
    """``start/end`` in ISO-8601: conversations that started inside it."""
    expand: list[QText] | None = None


class UsersQuery(PageQuery):
    id: list[QId] | None = None
    jabberId: list[QText] | None = None
    sortOrder: SortOrder = "ascending"
    expand: list[QText] | None = None
    state: Literal["active", "inactive", "deleted", "any"] = "active"


class UserQuery(Body):
    expand: list[QText] | None = None


class QueuesQuery(PageQuery):
    sortOrder: SortOrder = "ascending"
    name: QText | None = None
    """Exact name, or with leading/trailing ``*`` as wildcards (case-insensitive)."""
    id: list[QId] | None = None
    divisionId: list[QId] | None = None


class WrapupCodesQuery(PageQuery):
    sortBy: Literal["name", "id"] = "name"
    sortOrder: SortOrder = "ascending"
    name: QText | None = None
    id: list[QId] | None = None
    divisionId: list[QId] | None = None


class WrapupQuery(Body):
    provisional: bool = False


# -- admin ---------------------------------------------------------------------------------


class ClockRequest(Body):
    freeze: bool | None = None
    """True stops time, false lets it run."""
    now: Annotated[int, Field(ge=0, le=MAX_EPOCH_MS)] | datetime | None = None
    """Jump to this instant (epoch ms or ISO-8601, UTC unless it says otherwise)."""
    advanceMs: int | None = Field(None, ge=0, le=10 * 365 * 86_400_000)


class TokenRequest(Body):
    userId: Id | None = None
    expiresIn: int | None = Field(None, ge=1, le=10 * 365 * 86_400)


class FaultSpec(Body):
    method: Text = "*"
    path: Text = "*"
    """A glob over the request path (``*`` matches anything, ``/`` included)."""
    status: int | None = Field(None, ge=400, le=599)
    code: Text | None = None
    message: Text | None = None
    retryAfter: int | None = Field(None, ge=0, le=86_400)
    """Seconds; 429 faults send 1 unless given, and none when given as null."""
    latencyMs: int = Field(0, ge=0, le=60_000)
    latencyMaxMs: int | None = Field(None, ge=0, le=60_000)
    """With this, the latency is uniform in [latencyMs, latencyMaxMs]."""
    probability: float = Field(1.0, ge=0.0, le=1.0)
    count: int | None = Field(None, ge=1)
    """Fire this many times, then go away."""
    seed: int = 0


class JournalQuery(Body):
    method: Text | None = None
    path: Annotated[str, StringConstraints(max_length=256)] | None = None
    """A glob (``*``, ``?``, ``[...]``) matched against the whole path, as fault paths are."""
    status: int | None = None
    limit: int | None = Field(None, ge=1)


class LoadQuery(Body):
    replace: bool = False
