"""Engine state: a conversation, its participants and their communications, in integer ms.

Nothing here knows JSON; the projections in :mod:`gcmock.scenarios.views.projection` turn this state
into the API shapes. Operations (``routing``, ``control``, ``transfer``, ``supervision``,
``wrapup``) are the only code that mutates it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "MEDIA_KEYS",
    "Communication",
    "Consult",
    "Conversation",
    "EngineError",
    "Event",
    "Participant",
    "Segment",
    "Transfer",
    "Wrapup",
    "new_id",
]

MEDIA_KEYS: dict[str, str] = {
    "call": "calls",
    "callback": "callbacks",
    "chat": "chats",
    "cobrowse": "cobrowsesessions",
    "email": "emails",
    "internalMessage": "internalMessages",
    "message": "messages",
    "screenMonitoring": "screenMonitorings",
    "screenshare": "screenshares",
    "socialExpression": "socialExpressions",
    "video": "videos",
}
"""Engine media name -> the Participant list that holds it in the nested Conversation shape."""

ENDED_STATES = frozenset({"disconnected", "terminated"})


class EngineError(Exception):
    """An operation cannot apply to the conversation in its current state.

    ``code`` is stable (``participant.not.connected``...) so the server can map it to an HTTP
    error and tests can match it; the message names the participant and its state.
    """

    def __init__(
        self, code: str, message: str, *, status: int = 409, field: str | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.field = field
        """The request field at fault, where there is one (``details[].fieldName``)."""


_UUID4_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_UUID4_SET = (0x4000 << 64) | (0x8000 << 48)


def new_id(rng: random.Random) -> str:
    """A lowercase UUID v4 drawn from ``rng``, so ids are reproducible from the seed.

    The same string as ``str(uuid.UUID(int=rng.getrandbits(128), version=4))``, formatted
    directly: ids are drawn several times per conversation, and this is three times as fast.
    """
    h = ((rng.getrandbits(128) & _UUID4_CLEAR) | _UUID4_SET).to_bytes(16, "big").hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


@dataclass(slots=True)
class Segment:
    """One stretch of a communication's timeline; ``kind`` uses the analytics vocabulary."""

    kind: str
    start: int
    end: int | None = None
    disconnect_type: str | None = None
    conference: bool = False


@dataclass(slots=True)
class Wrapup:
    code: str
    name: str
    notes: str | None = None
    tags: tuple[str, ...] = ()
    duration_seconds: int | None = None
    end: int | None = None
    provisional: bool = False


@dataclass(slots=True)
class Communication:
    """One media leg of a participant (a call, a chat, an email...)."""

    id: str
    media: str
    direction: str
    initial_state: str
    state: str
    start: int
    provider: str
    alerting_start: int | None = None
    connected: int | None = None
    disconnected: int | None = None
    disconnect_type: str | None = None
    held: bool = False
    hold_start: int | None = None
    muted: bool = False
    confined: bool = False
    recording: bool = False
    peer_id: str | None = None
    segments: list[Segment] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    """Media-specific fields already in API form (``subject``, ``type``, ``callbackNumbers``...)."""

    @property
    def ended(self) -> bool:
        return self.state in ENDED_STATES

    @property
    def active(self) -> bool:
        return self.state not in ENDED_STATES

    def open_segment(self) -> Segment | None:
        if self.segments and self.segments[-1].end is None:
            return self.segments[-1]
        return None

    def switch_segment(self, kind: str, at: int, *, conference: bool = False) -> None:
        """Close the running segment at ``at`` and open one of ``kind``."""
        seg = self.open_segment()
        if seg is not None:
            seg.end = at
        self.segments.append(Segment(kind, at, conference=conference))

    def close(self, at: int, disconnect_type: str) -> None:
        if self.media == "screenMonitoring":
            disconnect_type = "system"  # the only disconnectType that model knows
        seg = self.open_segment()
        if seg is not None:
            seg.end = at
            seg.disconnect_type = disconnect_type
        self.state = "disconnected"
        self.disconnected = at
        self.disconnect_type = disconnect_type
        if self.held:
            self.held = False
            self.hold_start = None
        self.confined = False


@dataclass(slots=True)
class Participant:
    id: str
    purpose: str
    start: int
    comms: list[Communication] = field(default_factory=list)
    name: str | None = None
    user_id: str | None = None
    queue_id: str | None = None
    queue_name: str | None = None
    team_id: str | None = None
    group_id: str | None = None
    external_contact_id: str | None = None
    external_contact_division_id: str | None = None
    external_organization_id: str | None = None
    participant_type: str | None = None
    address: str | None = None
    ani: str | None = None
    ani_name: str | None = None
    dnis: str | None = None
    locale: str | None = None
    wrapup_required: bool | None = None
    wrapup_prompt: str | None = None
    wrapup_timeout_ms: int | None = None
    alerting_timeout_ms: int | None = None
    wrapup_skipped: bool | None = None
    wrapup: Wrapup | None = None
    acw_start: int | None = None
    acw_end: int | None = None
    consult_participant_id: str | None = None
    monitored_participant_id: str | None = None
    coached_participant_id: str | None = None
    barged_participant_id: str | None = None
    barged_time: int | None = None
    media_roles: list[str] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)
    routing: dict[str, Any] | None = None
    """ConversationRoutingData in API form: queue ref, priority, skills, language, scoredAgents."""
    flow_id: str | None = None
    flow_name: str | None = None
    transfer_source: str | None = None
    screen_recording_state: str | None = None
    flagged_reason: str | None = None
    evaluations: list[dict[str, Any]] = field(default_factory=list)
    script_id: str | None = None

    @property
    def comm(self) -> Communication:
        """The participant's primary communication (the first one it joined with)."""
        return self.comms[0]

    @property
    def connected(self) -> int | None:
        times = [c.connected for c in self.comms if c.connected is not None]
        return min(times) if times else None

    @property
    def end(self) -> int | None:
        if not self.comms or any(c.active for c in self.comms):
            return None
        return max(c.disconnected or 0 for c in self.comms)

    @property
    def active(self) -> bool:
        # a loop, not any(<generator>): this is the engine's most called property
        for c in self.comms:  # noqa: SIM110
            if c.state not in ENDED_STATES:
                return True
        return False

    @property
    def in_acw(self) -> bool:
        return self.acw_start is not None and self.acw_end is None

    @property
    def state(self) -> str:
        return self.comm.state if self.comms else "none"


@dataclass(slots=True)
class Event:
    """An append-only record of what happened; analytics counts come from these."""

    at: int
    kind: str
    participant_id: str | None = None
    data: dict[str, Any] | None = None


@dataclass(slots=True)
class Transfer:
    """A TransferResponse entry (``recentTransfers``)."""

    id: str
    kind: str
    """``Attended`` or ``Unattended``."""
    issued: int
    initiator_user_id: str | None
    destination_user_id: str | None = None
    destination_address: str | None = None
    state: str = "Complete"


@dataclass(slots=True)
class Consult:
    """The consult in progress: who is being transferred, who asked, who was called."""

    object_id: str
    initiator_id: str
    destination_id: str
    speak_to: str = "DESTINATION"


@dataclass(slots=True)
class Conversation:
    id: str
    rng: random.Random
    """Source of ids and timings for every later operation: reproducible from the seed."""
    start: int
    media: str
    originating_direction: str
    address: str | None = None
    participants: list[Participant] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    transfers: list[Transfer] = field(default_factory=list)
    division_ids: list[str] = field(default_factory=list)
    recording_state: str = "NONE"
    external_tag: str | None = None
    consult: Consult | None = None
    scenario: str | None = None
    version: int = 0
    """Bumped by every operation, for optimistic readers and caches."""

    def new_id(self) -> str:
        return new_id(self.rng)

    def participant(
        self, participant_id: str | None = None, *, purpose: str | None = None
    ) -> Participant:
        """The participant with this id, or the first one with this purpose."""
        for p in self.participants:
            if p.id == participant_id or (participant_id is None and p.purpose == purpose):
                return p
        what = f"participant {participant_id}" if participant_id else f"no {purpose} participant"
        raise EngineError(
            "participant.not.found", f"{what} is not in conversation {self.id}", status=404
        )

    def communication(self, communication_id: str) -> tuple[Participant, Communication]:
        for p in self.participants:
            for c in p.comms:
                if c.id == communication_id:
                    return p, c
        raise EngineError(
            "communication.not.found",
            f"communication {communication_id} is not in conversation {self.id}",
            status=404,
        )

    def by_purpose(self, *purposes: str) -> list[Participant]:
        return [p for p in self.participants if p.purpose in purposes]

    @property
    def customer(self) -> Participant:
        """The external party the conversation is about (the first customer/external leg)."""
        for p in self.participants:
            if p.purpose in ("customer", "external"):
                return p
        return self.participants[0]

    @property
    def end(self) -> int | None:
        ends = [p.end for p in self.participants]
        if not ends or any(e is None for e in ends):
            return None
        return max(e for e in ends if e is not None)

    @property
    def active(self) -> bool:
        return any(p.active for p in self.participants)

    @property
    def settled(self) -> bool:
        """Ended and every after-call work finished: legs then read ``terminated``."""
        return not self.active and not any(p.in_acw for p in self.participants)

    @property
    def agents(self) -> list[Participant]:
        return self.by_purpose("agent")

    def log(self, at: int, kind: str, participant_id: str | None = None, **data: Any) -> None:
        self.events.append(Event(at, kind, participant_id, data or None))
        self.version += 1
