"""What the parts of an analytics record share: the analytics names of media and disconnect
types, the segments a record shows, and :class:`RecordContext`, the facts about the whole
conversation (who answered each queue leg, when each consult started, when recording was on)
that several sessions need, computed once per record."""

from __future__ import annotations

from ..engine.model import Communication, Conversation, Participant, Segment, Transfer
from ..world import DEFAULT_SERVICE_LEVEL_MS, World

__all__ = [
    "ANALYTICS_DISCONNECT_TYPES",
    "ANALYTICS_MEDIA_TYPES",
    "CONSULT_END",
    "HANDLERS",
    "RecordContext",
    "closed_segments",
    "supervises",
    "total_span",
    "visible_segments",
]


ANALYTICS_MEDIA_TYPES: dict[str, str] = {
    "call": "voice",
    "callback": "callback",
    "chat": "chat",
    "cobrowse": "cobrowse",
    "email": "email",
    "internalMessage": "internalmessage",
    "message": "message",
    "screenMonitoring": "screenmonitoring",
    "screenshare": "screenshare",
    "socialExpression": "unknown",
    "video": "video",
}
"""Engine media -> ``AnalyticsSession.mediaType``; analytics has no social-expression type."""

ANALYTICS_DISCONNECT_TYPES: dict[str, str] = {
    "client": "client",
    "endpoint": "endpoint",
    "endpoint.donotdisturb": "dndEndpoint",
    "error": "error",
    "inactivity": "inactivity",
    "other": "other",
    "peer": "peer",
    "session.expired": "sessionExpired",
    "spam": "spam",
    "system": "system",
    "takeover": "takeover",
    "timeout": "timeout",
    "transfer": "transfer",
    "transfer.conference": "conferenceTransfer",
    "transfer.consult": "consultTransfer",
    "transfer.donotdisturb": "dndTransfer",
    "transfer.forward": "forwardTransfer",
    "transfer.noanswer": "noAnswerTransfer",
    "transfer.notavailable": "notAvailableTransfer",
    "transport.failure": "transportFailure",
    "uncallable": "uncallable",
}
"""REST ``disconnectType`` (dotted) -> analytics segment ``disconnectType`` (camelCase)."""

CONSULT_END = frozenset({"transfer.consult", "transfer.conference"})

HANDLERS = ("agent", "user")


def visible_segments(c: Communication) -> list[Segment]:
    """The segments a record shows: a zero-length step that is not the last (a leg connected
    the millisecond it started, a conference the millisecond it was answered) is dropped."""
    last = len(c.segments) - 1
    return [s for i, s in enumerate(c.segments) if s.end != s.start or i == last]


def closed_segments(segments: list[Segment], kind: str) -> list[Segment]:
    """The ended segments of one ``kind``."""
    return [s for s in segments if s.kind == kind and s.end is not None]


def total_span(segments: list[Segment]) -> int:
    """The time the segments cover, an open one counting nothing."""
    return sum((s.end or s.start) - s.start for s in segments)


class RecordContext:
    """Facts about the whole conversation that several sessions need, computed once."""

    def __init__(self, conv: Conversation, world: World | None) -> None:
        self.conv = conv
        self.world = world
        self.customer = conv.customer
        self.acds = conv.by_purpose("acd")
        self.consults = _consult_starts(conv)
        self.recording_on = [
            e.at
            for e in conv.events
            if e.kind == "recording" and e.data and e.data.get("state") == "ACTIVE"
        ]
        self.answered_by: dict[str, Participant] = {}
        """ACD participant id -> the agent whose answer ended that ACD leg."""
        self.acd_of: dict[str, Participant] = {}
        """The inverse: answering agent participant id -> its ACD leg."""
        for acd in self.acds:
            c = acd.comm
            if c.disconnect_type != "transfer" or c.disconnected is None:
                continue
            for p in conv.participants:
                if (
                    p.purpose in HANDLERS
                    and p.queue_id == acd.queue_id
                    and p.start >= acd.start
                    and p.comm.connected == c.disconnected
                ):
                    self.answered_by[acd.id] = p
                    self.acd_of[p.id] = acd
                    break

    def remote(self) -> str | None:
        c = self.customer
        if c.name:
            return c.name
        return c.address.removeprefix("tel:") if c.address else None

    def service_level_ms(self, queue_id: str | None) -> int:
        """The queue's service level target (the default for a queue the world does not know)."""
        queue = self.world.queues_by_id.get(queue_id) if self.world and queue_id else None
        return queue.service_level_duration_ms if queue else DEFAULT_SERVICE_LEVEL_MS

    def flow_name(self, p: Participant) -> str | None:
        """The IVR leg's flow name; a loaded leg knows only its flow id (from its address), which
        the world's flows name."""
        if p.flow_name is not None or self.world is None or p.flow_id is None:
            return p.flow_name
        return next((f.name for f in self.world.ivr_flows if f.id == p.flow_id), None)


def supervises(p: Participant) -> bool:
    """Whether the leg is a supervisor's (monitoring, coaching or barging another leg)."""
    return bool(p.monitored_participant_id or p.coached_participant_id or p.barged_participant_id)


def _consult_starts(conv: Conversation) -> dict[str, list[int]]:
    """When each agent started a consult (participant id -> times), read off the marks a consult
    leaves in the state rather than the event log, so a conversation rebuilt from its JSON
    counts the same consults:

    * the consulted leg (an agent, a queue's ACD leg, an external number) peers the initiator's
      call while the initiator's call peers the customer. An outbound call or an internal
      message also has a leg peering a user, but both ways; a supervisor peers the agent it
      listens to, but names it (monitored, coached or barged participant);
    * a completed consult hands the customer over, and the destination peers the customer
      again; the ``Attended`` transfer of ``recentTransfers``, issued when the initiator left
      with ``transfer.consult``/``transfer.conference``, names its user or address. One that
      answered from a consulted queue is already counted by that queue's ACD leg.
    """
    by_comm = {p.comm.id: p for p in conv.participants if p.comms}
    out: dict[str, list[int]] = {}
    for d in conv.participants:
        if not d.comms or supervises(d):
            continue
        i = by_comm.get(d.comm.peer_id) if d.comm.peer_id else None
        if i is not None and i is not d and i.purpose in HANDLERS and i.comm.peer_id != d.comm.id:
            out.setdefault(i.id, []).append(d.start)
    for t in conv.transfers:
        if t.kind != "Attended":
            continue
        initiator = next(
            (
                p
                for p in conv.participants
                if p.user_id == t.initiator_user_id
                and p.comm.disconnected == t.issued
                and p.comm.disconnect_type in CONSULT_END
            ),
            None,
        )
        if initiator is None:
            continue
        dest = _completed_consult_destination(conv, initiator, t)
        if dest is not None:
            out.setdefault(initiator.id, []).append(dest.start)
    for times in out.values():
        times.sort()
    return out


def _completed_consult_destination(
    conv: Conversation, initiator: Participant, t: Transfer
) -> Participant | None:
    """The leg a completed consult handed the customer to, unless it answered from a consulted
    queue (whose ACD leg, still peering the initiator, counts that consult)."""
    at = t.issued
    found = None
    for p in conv.participants:
        end = p.end
        if (
            p is not initiator
            and p.start <= at
            and (end is None or end >= at)
            and not supervises(p)
            and (
                p.user_id == t.destination_user_id
                if t.destination_user_id
                else t.destination_address is not None and p.address == t.destination_address
            )
        ):
            found = p
    if found is None:
        return None
    for a in conv.participants:
        if (
            a.purpose == "acd"
            and a.comm.peer_id == initiator.comm.id
            and a.queue_id == found.queue_id
            and a.comm.disconnected == found.comm.connected
        ):
            return None
    return found
