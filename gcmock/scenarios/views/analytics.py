"""The analytics conversation detail record (``AnalyticsConversationWithoutAttributes``).

Like the REST projections, a pure function of one conversation (and of the world's catalogue,
for queue service levels and IVR flow names): segments come from each communication's own
segments plus a ``wrapup`` segment for after-call work, and every metric is computed from those
segments, so a metric can never disagree with the segments it measures. Consults are read off
the marks they leave in the state, not the event log, so a conversation rebuilt from its JSON
(``loader``) has the same record. The shape follows the real 2024 voice record
(genesys-api.md §9.3): the customer ``system`` -> ``interact``, the IVR with its ``flow``, the
ACD leg with ``nOffered``/``tAcd``, agents ``alert`` -> ``interact`` -> ``hold`` ... ->
``wrapup``, and ``tAnswered`` on the answering agent equal to the ACD leg's ``tAcd``.

A live conversation gets open segments (no ``segmentEnd``), no ``conversationEnd``, and only the
metrics already emitted: a metric is emitted when the segment it measures ends.
"""

from __future__ import annotations

from typing import Any

from ..engine.model import ENDED_STATES, Communication, Conversation, Participant, Segment, Transfer
from ..world import DEFAULT_SERVICE_LEVEL_MS, World
from .projection import iso

__all__ = [
    "ANALYTICS_DISCONNECT_TYPES",
    "ANALYTICS_MEDIA_TYPES",
    "INDEXED_CONVERSATION_DIMENSIONS",
    "INDEXED_SEGMENT_DIMENSIONS",
    "SHORT_ABANDON_MS",
    "Metric",
    "analytics_end",
    "conversation_header",
    "indexed_values",
    "to_analytics",
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

Metric = tuple[str, int, int]
"""(name, value, emit time in epoch ms)."""

_SUPERVISOR_KINDS = {"monitoring": "tMonitoring", "coaching": "tCoaching", "barging": "tBarging"}
_COMPLETE = {"tMonitoring": "tMonitoringComplete", "tCoaching": "tCoachingComplete"}
_CONSULT_END = frozenset({"transfer.consult", "transfer.conference"})
_Q850_NORMAL = 16
"""Q.850 cause 16 (normal call clearing), which the real voice record shows on every hang-up."""
_HANDLERS = ("agent", "user")

SHORT_ABANDON_MS = 10_000
"""An abandon whose queue wait is shorter than this also emits ``tShortAbandon``. Inferred: the
SDK mentions a default short-abandon threshold (``ActionTarget.shortAbandonThreshold`` is "the
non-default short abandon threshold") but none of our references gives its value; 10 s is an
assumption."""

INDEXED_SEGMENT_DIMENSIONS = (
    "queueId",
    "userId",
    "mediaType",
    "direction",
    "purpose",
    "wrapUpCode",
    "segmentType",
    "disconnectType",
    "ani",
    "dnis",
)
"""The segment dimensions queries filter by most: :func:`indexed_values` reads their values
off the engine state, so an index can answer them without building records."""
INDEXED_CONVERSATION_DIMENSIONS = ("originatingDirection", "conversationInitiator", "divisionId")
"""The conversation dimensions an index answers the same way (disjoint from the segment ones,
so a (dimension, value) pair says which it is)."""


def _put(d: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        d[key] = value


def _visible(c: Communication) -> list[Segment]:
    """The segments a record shows: a zero-length step that is not the last (a leg connected
    the millisecond it started, a conference the millisecond it was answered) is dropped."""
    last = len(c.segments) - 1
    return [s for i, s in enumerate(c.segments) if s.end != s.start or i == last]


def _closed(segments: list[Segment], kind: str) -> list[Segment]:
    return [s for s in segments if s.kind == kind and s.end is not None]


def _span(segments: list[Segment]) -> int:
    return sum((s.end or s.start) - s.start for s in segments)


class _Context:
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
                    p.purpose in _HANDLERS
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


def _supervises(p: Participant) -> bool:
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
        if not d.comms or _supervises(d):
            continue
        i = by_comm.get(d.comm.peer_id) if d.comm.peer_id else None
        if i is not None and i is not d and i.purpose in _HANDLERS and i.comm.peer_id != d.comm.id:
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
                and p.comm.disconnect_type in _CONSULT_END
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
            and not _supervises(p)
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


def _disconnect(dtype: str) -> str:
    return ANALYTICS_DISCONNECT_TYPES.get(dtype, "other")


def _segment_type(c: Communication, s: Segment) -> str:
    if c.media == "screenMonitoring" and s.kind == "sharing":
        return "screenmonitoring"
    return s.kind


def _segment_queue(p: Participant, s: Segment) -> str | None:
    """A segment's ``queueId``: the participant's queue, except on the customer's system
    segment (before it reached the queue)."""
    if p.purpose == "customer" and s.kind == "system":
        return None
    return p.queue_id


def _segments(p: Participant, c: Communication, primary: bool) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    voice = c.media == "call"
    acd_skills = p.routing.get("skills") if p.purpose == "acd" and p.routing else None
    for s in _visible(c):
        d: dict[str, Any] = {"segmentStart": iso(s.start)}
        if s.end is not None:
            d["segmentEnd"] = iso(s.end)
        _put(d, "queueId", _segment_queue(p, s))
        _put(d, "groupId", p.group_id)
        if s.conference:
            d["conference"] = True
        if acd_skills:
            d["requestedRoutingSkillIds"] = [k["id"] for k in acd_skills]
        if p.purpose == "acd" and p.routing and "language" in p.routing:
            d["requestedLanguageId"] = p.routing["language"]["id"]
        if c.media == "email" and "subject" in c.extra:
            d["subject"] = c.extra["subject"]
        if c.media == "video":
            for key in ("audioMuted", "videoMuted"):
                _put(d, key, c.extra.get(key))
        d["segmentType"] = _segment_type(c, s)
        if s.disconnect_type is not None:
            d["disconnectType"] = _disconnect(s.disconnect_type)
            if voice and s.disconnect_type in ("endpoint", "peer", "client"):
                d["q850ResponseCodes"] = [_Q850_NORMAL]
        out.append(d)
    if primary and p.acw_start is not None:
        w: dict[str, Any] = {"segmentStart": iso(p.acw_start)}
        if p.acw_end is not None:
            w["segmentEnd"] = iso(p.acw_end)
        _put(w, "queueId", p.queue_id)
        if p.wrapup is not None:
            w["wrapUpCode"] = p.wrapup.code
            _put(w, "wrapUpNote", p.wrapup.notes)
            if p.wrapup.tags:
                w["wrapUpTags"] = list(p.wrapup.tags)
        w["segmentType"] = "wrapup"
        if c.disconnect_type is not None:
            w["disconnectType"] = _disconnect(c.disconnect_type)
        out.append(w)
    return out


def _external_metrics(c: Communication, out: list[Metric]) -> None:
    if c.connected is not None:
        out.append(("nConnected", 1, c.connected))
        if c.ended and c.disconnected is not None:
            out.append(("tConnected", _span(_closed(_visible(c), "interact")), c.disconnected))


def _ivr_metrics(c: Communication, out: list[Metric]) -> None:
    out.append(("nFlow", 1, c.start))
    if c.ended and c.disconnected is not None:
        out.append(("tIvr", _span(_closed(_visible(c), "ivr")), c.disconnected))
        flow = c.disconnected - c.start
        out.append(("tFlow", flow, c.disconnected))
        exit_kind = "tFlowExit" if c.disconnect_type == "transfer" else "tFlowDisconnect"
        out.append((exit_kind, flow, c.disconnected))


def _acd_metrics(ctx: _Context, p: Participant, c: Communication, out: list[Metric]) -> None:
    out.append(("nOffered", 1, c.start))
    end = c.disconnected
    if not c.ended or end is None:
        return
    wait = end - c.start
    out.append(("tAcd", wait, end))
    out.append(("tWait", wait, end))
    if p.id in ctx.answered_by:
        if wait > ctx.service_level_ms(p.queue_id):
            out.append(("nOverSla", 1, end))
        return
    if not ctx.customer.active and ctx.customer.comm.disconnected == end:
        out.append(("tAbandon", wait, end))
        if wait < SHORT_ABANDON_MS:
            out.append(("tShortAbandon", wait, end))
    elif any(v.purpose == "voicemail" and v.start == end for v in ctx.conv.participants):
        out.append(("tFlowOut", wait, end))


def _supervisor_metrics(c: Communication, out: list[Metric]) -> None:
    totals: dict[str, int] = {}
    for s in _visible(c):
        name = _SUPERVISOR_KINDS.get(s.kind)
        if name is not None and s.end is not None:
            out.append((name, s.end - s.start, s.end))
            totals[name] = totals.get(name, 0) + s.end - s.start
    if c.ended and c.disconnected is not None:
        for name, total in totals.items():
            if name in _COMPLETE:
                out.append((_COMPLETE[name], total, c.disconnected))


def _handler_metrics(ctx: _Context, p: Participant, c: Communication, out: list[Metric]) -> None:
    """An agent's or user's own leg: alerting, talk, hold, transfers, after-call work."""
    segments = _visible(c)
    for s in segments:
        if s.end is None:
            continue
        span = s.end - s.start
        if s.kind == "alert":
            out.append(("tAlert", span, s.end))
            if s.disconnect_type == "system":
                out.append(("tNotResponding", span, s.end))
        elif s.kind == "interact":
            out.append(("tTalk", span, s.end))
        elif s.kind == "hold":
            out.append(("tHeld", span, s.end))
        elif s.kind == "dialing":
            out.append(("tDialing", span, s.end))
        elif s.kind == "contacting":
            out.append(("tContacting", span, s.end))
    if c.direction == "outbound" and c.segments and c.segments[0].kind == "dialing":
        out.append(("nOutbound", 1, c.start))
    acd = ctx.acd_of.get(p.id)
    if acd is not None and c.connected is not None:
        out.append(("tAnswered", c.connected - acd.comm.start, c.connected))
    for at in ctx.consults.get(p.id, ()):
        out.append(("nConsult", 1, at))
    end = c.disconnected
    if not c.ended or end is None:
        return
    if c.disconnect_type == "transfer":
        out.append(("nTransferred", 1, end))
        out.append(("nBlindTransferred", 1, end))
    elif c.disconnect_type in _CONSULT_END:
        out.append(("nTransferred", 1, end))
        out.append(("nConsultTransferred", 1, end))
    if c.connected is None:
        return
    talk = _span(_closed(segments, "interact"))
    held = _span(_closed(segments, "hold"))
    out.append(("tTalkComplete", talk, end))
    if held:
        out.append(("tHeldComplete", held, end))
    if p.acw_start is None:
        out.append(("tHandle", talk + held, end))
    elif p.acw_end is not None:
        acw = p.acw_end - p.acw_start
        out.append(("tAcw", acw, p.acw_end))
        out.append(("tHandle", talk + held + acw, p.acw_end))


def _metrics(ctx: _Context, p: Participant, c: Communication, primary: bool) -> list[Metric]:
    # once per conversation, on the customer's first session (where the conversation starts)
    out: list[Metric] = [("nConversations", 1, c.start)] if primary and p is ctx.customer else []
    if not primary:
        if c.media == "screenMonitoring" and c.ended and c.disconnected is not None:
            out.append(("tScreenMonitoring", c.disconnected - c.start, c.disconnected))
    elif p.purpose in ("customer", "external"):
        _external_metrics(c, out)
    elif p.purpose == "ivr":
        _ivr_metrics(c, out)
    elif p.purpose == "acd":
        _acd_metrics(ctx, p, c, out)
    elif p.purpose == "voicemail":
        for s in _closed(_visible(c), "voicemail"):
            assert s.end is not None
            out.append(("tVoicemail", s.end - s.start, s.end))
    elif p.monitored_participant_id or p.coached_participant_id or p.barged_participant_id:
        _supervisor_metrics(c, out)
    else:
        _handler_metrics(ctx, p, c, out)
    out.sort(key=lambda m: m[2])
    return out


def _flow(ctx: _Context, p: Participant, c: Communication) -> dict[str, Any]:
    lang = None
    if p.address and "language=" in p.address:
        lang = p.address.split("language=", 1)[1].split(";", 1)[0].lower()
    d: dict[str, Any] = {}
    _put(d, "endingLanguage", lang if c.ended else None)
    _put(d, "entryReason", p.dnis or ctx.conv.address)
    d["entryType"] = "dnis"
    if c.ended:
        d["exitReason"] = "TRANSFER" if c.disconnect_type == "transfer" else "DISCONNECT"
    _put(d, "flowId", p.flow_id)
    _put(d, "flowName", ctx.flow_name(p))
    d["flowType"] = "INBOUNDCALL"
    d["flowVersion"] = "1.0"
    _put(d, "startingLanguage", lang)
    if c.disconnect_type == "transfer" and c.disconnected is not None:
        target = next((a for a in ctx.acds if a.start >= c.disconnected), None)
        if target is not None:
            d["transferTargetAddress"] = target.queue_id
            _put(d, "transferTargetName", target.queue_name)
            d["transferType"] = "ACD"
    return d


def _routing(ctx: _Context, p: Participant, d: dict[str, Any]) -> None:
    if p.purpose == "acd":
        answered = [ctx.answered_by[p.id]] if p.id in ctx.answered_by else []
    elif p is ctx.customer and ctx.acds:
        answered = [ctx.answered_by[a.id] for a in ctx.acds if a.id in ctx.answered_by][:1]
    else:
        return
    d["requestedRoutings"] = ["Standard"]
    if answered:
        d["usedRouting"] = "Standard"
        _put(d, "selectedAgentId", answered[0].user_id)


def _session(ctx: _Context, p: Participant, c: Communication, primary: bool) -> dict[str, Any]:
    m = c.media
    d: dict[str, Any] = {"mediaType": ANALYTICS_MEDIA_TYPES.get(m, "unknown"), "sessionId": c.id}
    d["direction"] = c.direction
    if m in ("call", "callback"):
        _put(d, "ani", p.ani)
        _put(d, "dnis", p.dnis)
        _put(d, "sessionDnis", p.dnis)
    elif m in ("email", "message", "chat") and p is not ctx.customer:
        _put(d, "addressFrom", ctx.customer.address)
        _put(d, "addressTo", ctx.conv.address)
    elif m in ("email", "message", "chat"):
        _put(d, "addressFrom", p.address)
        _put(d, "addressTo", ctx.conv.address)
    _put(d, "peerId", c.peer_id)
    d["provider"] = c.provider
    if p is not ctx.customer and primary and p.purpose != "ivr":
        _put(d, "remote", ctx.remote())
    if m == "call" and (c.recording or _was_recorded(ctx, c)):
        d["recording"] = True
    _routing(ctx, p, d)
    if p.purpose == "acd" and ctx.conv.by_purpose("ivr"):
        d["flowInType"] = "ivr"
    if p.purpose == "ivr" and primary:
        d["flow"] = _flow(ctx, p, c)
    _put(d, "monitoredParticipantId", p.monitored_participant_id)
    _put(d, "coachedParticipantId", p.coached_participant_id)
    _put(d, "bargedParticipantId", p.barged_participant_id)
    x = c.extra
    if m == "callback":
        _put(d, "callbackNumbers", x.get("callbackNumbers"))
        scheduled = x.get("callbackScheduledTime")
        _put(
            d, "callbackScheduledTime", iso(scheduled) if isinstance(scheduled, int) else scheduled
        )
        _put(d, "callbackUserName", x.get("callbackUserName"))
        _put(d, "skipEnabled", x.get("skipEnabled"))
        _put(d, "timeoutSeconds", x.get("timeoutSeconds"))
    elif m == "message":
        _put(d, "messageType", x.get("type"))
        _put(d, "engagementSource", x.get("engagementSource"))
    elif m == "chat":
        _put(d, "roomId", x.get("roomId"))
    elif m == "cobrowse":
        _put(d, "cobrowseRole", x.get("cobrowseRole"))
        _put(d, "cobrowseRoomId", x.get("cobrowseSessionId"))
    elif m == "screenshare":
        _put(d, "sharingScreen", x.get("sharing"))
    elif m == "screenMonitoring" and isinstance(x.get("targetUser"), dict):
        _put(d, "screenMonitoredUserId", x["targetUser"].get("id"))
    _put(d, "scriptId", p.script_id if primary else None)
    if primary and p.wrapup_skipped:
        d["acwSkipped"] = True
    metrics = _metrics(ctx, p, c, primary)
    if metrics:
        d["metrics"] = [{"emitDate": iso(at), "name": n, "value": v} for n, v, at in metrics]
    d["segments"] = _segments(p, c, primary)
    return d


def _was_recorded(ctx: _Context, c: Communication) -> bool:
    """Whether recording was switched on while this leg was live (a later stop keeps the flag)."""
    end = c.disconnected if c.disconnected is not None else float("inf")
    return any(c.start <= at <= end for at in ctx.recording_on)


def _participant(ctx: _Context, p: Participant, with_attributes: bool) -> dict[str, Any]:
    d: dict[str, Any] = {}
    _put(d, "externalContactId", p.external_contact_id)
    _put(d, "externalOrganizationId", p.external_organization_id)
    _put(d, "flaggedReason", p.flagged_reason)
    d["participantId"] = p.id
    flow_name = ctx.flow_name(p) if p.purpose == "ivr" else None
    _put(d, "participantName", flow_name or p.name)
    d["purpose"] = p.purpose
    if p.screen_recording_state == "active":
        d["screenRecording"] = True
    _put(d, "teamId", p.team_id)
    _put(d, "userId", p.user_id)
    d["sessions"] = [_session(ctx, p, c, i == 0) for i, c in enumerate(p.comms)]
    if with_attributes:
        d["attributes"] = dict(p.attributes)
    return d


def _evaluations(conv: Conversation) -> list[dict[str, Any]]:
    out = []
    for p in conv.participants:
        for e in p.evaluations:
            d: dict[str, Any] = {"evaluationId": e["id"]}
            _put(d, "evaluatorId", (e.get("evaluator") or {}).get("id"))
            _put(d, "formId", (e.get("evaluationForm") or {}).get("id"))
            _put(d, "formName", (e.get("evaluationForm") or {}).get("name"))
            _put(d, "queueId", p.queue_id)
            _put(d, "userId", (e.get("agent") or {}).get("id"))
            if e.get("status") == "PENDING":
                d["evaluationStatus"] = "Pending"
            out.append(d)
    return out


def analytics_end(conv: Conversation) -> int | None:
    """``conversationEnd``: the last segment end, after-call work included; none while anything
    is still open (``Conversation.settled``). One pass over the legs: an index reads it for
    every conversation a query's interval reaches."""
    left: int | None = None  # the last leg's end (Conversation.end): none if a leg is missing
    acw: int | None = None
    every_leg = bool(conv.participants)
    for p in conv.participants:
        if p.acw_start is not None and p.acw_end is None:
            return None  # in after-call work
        if p.acw_end is not None and (acw is None or p.acw_end > acw):
            acw = p.acw_end
        if not p.comms:
            every_leg = False
        for c in p.comms:
            if c.state not in ENDED_STATES:
                return None
            t = c.disconnected or 0
            if left is None or t > left:
                left = t
    if not every_leg:
        left = None
    if left is None or (acw is not None and acw > left):
        return acw
    return left


def conversation_header(conv: Conversation, end: int | None) -> dict[str, Any]:
    """The conversation-level fields of the record (what conversation dimensions test), given
    its :func:`analytics_end`."""
    d: dict[str, Any] = {}
    if end is not None:
        d["conversationEnd"] = iso(end)
    d["conversationId"] = conv.id
    if conv.participants:
        d["conversationInitiator"] = conv.participants[0].purpose
    d["conversationStart"] = iso(conv.start)
    if conv.media == "message" and conv.originating_direction == "inbound":
        d["customerParticipation"] = True
    d["divisionIds"] = list(conv.division_ids)
    _put(d, "externalTag", conv.external_tag)
    d["originatingDirection"] = conv.originating_direction
    return d


def to_analytics(
    conv: Conversation, *, with_attributes: bool = False, world: World | None = None
) -> dict[str, Any]:
    """The detail record of ``POST /api/v2/analytics/conversations/details/query``.

    ``with_attributes`` gives the async-job shape (``AnalyticsConversation``), whose participants
    also carry their ``attributes``. ``world`` supplies each queue's service level (``nOverSla``;
    without it, the default) and the names of flows a loaded IVR leg knows only by id.
    """
    ctx = _Context(conv, world)
    d = conversation_header(conv, analytics_end(conv))
    evaluations = _evaluations(conv)
    if evaluations:
        d["evaluations"] = evaluations
    d["participants"] = [_participant(ctx, p, with_attributes) for p in conv.participants]
    return d


def indexed_values(conv: Conversation) -> set[tuple[str, str]]:
    """(dimension, value) of the indexed dimensions of ``to_analytics(conv)``, read off the
    engine state without building the record (a tenth of its cost): each of
    :data:`INDEXED_SEGMENT_DIMENSIONS` over every segment row (a segment seen with its
    session's and participant's fields) and each of :data:`INDEXED_CONVERSATION_DIMENSIONS`.
    What a query index needs to select a conversation. The rules are those of
    :func:`conversation_header`, ``_session`` and ``_segments`` (``_visible``,
    ``_segment_type``, ``_segment_queue``), inlined because an index runs this for every
    conversation a query's interval reaches; tests hold them equal."""
    out: set[tuple[str, str]] = {("originatingDirection", conv.originating_direction)}
    if conv.participants:
        out.add(("conversationInitiator", conv.participants[0].purpose))
    for division in conv.division_ids:
        out.add(("divisionId", division))
    add = out.add
    disconnects = ANALYTICS_DISCONNECT_TYPES
    for p in conv.participants:
        purpose, queue, user = p.purpose, p.queue_id, p.user_id
        customer = purpose == "customer"
        primary = True
        for c in p.comms:
            wrapup = primary and p.acw_start is not None
            primary = False
            media = c.media
            segments = c.segments
            shown = queued = False
            if segments:
                final = segments[-1]
                for s in segments:
                    if s.end == s.start and s is not final:
                        continue
                    shown = True
                    kind = s.kind
                    if kind == "sharing" and media == "screenMonitoring":
                        kind = "screenmonitoring"
                    add(("segmentType", kind))
                    if s.disconnect_type is not None:
                        add(("disconnectType", disconnects.get(s.disconnect_type, "other")))
                    if not customer or kind != "system":
                        queued = True
            if not shown and not wrapup:
                continue
            if queue is not None and (queued or wrapup):
                add(("queueId", queue))
            add(("purpose", purpose))
            if user is not None:
                add(("userId", user))
            add(("mediaType", ANALYTICS_MEDIA_TYPES.get(media, "unknown")))
            add(("direction", c.direction))
            if media == "call" or media == "callback":
                if p.ani is not None:
                    add(("ani", p.ani))
                if p.dnis is not None:
                    add(("dnis", p.dnis))
            if wrapup:
                add(("segmentType", "wrapup"))
                if p.wrapup is not None:
                    add(("wrapUpCode", p.wrapup.code))
                if c.disconnect_type is not None:
                    add(("disconnectType", disconnects.get(c.disconnect_type, "other")))
    return out
