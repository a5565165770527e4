"""The analytics conversation detail record (``AnalyticsConversationWithoutAttributes``).

Like the REST projections, a pure function of one conversation: segments come from each
communication's own segments plus a ``wrapup`` segment for after-call work, and every metric is
computed from those segments (and the event log for consults), so a metric can never disagree
with the segments it measures. The shape follows the real 2024 voice record (genesys-api.md
§9.3): the customer ``system`` -> ``interact``, the IVR with its ``flow``, the ACD leg with
``nOffered``/``tAcd``, agents ``alert`` -> ``interact`` -> ``hold`` ... -> ``wrapup``, and
``tAnswered`` on the answering agent equal to the ACD leg's ``tAcd``.

A live conversation gets open segments (no ``segmentEnd``), no ``conversationEnd``, and only the
metrics already emitted: a metric is emitted when the segment it measures ends.
"""

from __future__ import annotations

from typing import Any

from .model import Communication, Conversation, Participant, Segment
from .projection import iso

__all__ = ["ANALYTICS_DISCONNECT_TYPES", "ANALYTICS_MEDIA_TYPES", "Metric", "to_analytics"]

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

    def __init__(self, conv: Conversation) -> None:
        self.conv = conv
        self.customer = conv.customer
        self.acds = conv.by_purpose("acd")
        self.consults: dict[str, list[int]] = {}
        for e in conv.events:
            if e.kind == "consult.start" and e.participant_id is not None:
                self.consults.setdefault(e.participant_id, []).append(e.at)
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
                    p.purpose in ("agent", "user")
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


def _disconnect(dtype: str) -> str:
    return ANALYTICS_DISCONNECT_TYPES.get(dtype, "other")


def _segment_type(c: Communication, s: Segment) -> str:
    if c.media == "screenMonitoring" and s.kind == "sharing":
        return "screenmonitoring"
    return s.kind


def _segments(p: Participant, c: Communication, primary: bool) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    voice = c.media == "call"
    acd_skills = p.routing.get("skills") if p.purpose == "acd" and p.routing else None
    for s in _visible(c):
        d: dict[str, Any] = {"segmentStart": iso(s.start)}
        if s.end is not None:
            d["segmentEnd"] = iso(s.end)
        if p.queue_id is not None and (p.purpose != "customer" or s.kind != "system"):
            d["queueId"] = p.queue_id
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
        return
    if not ctx.customer.active and ctx.customer.comm.disconnected == end:
        out.append(("tAbandon", wait, end))
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
    out: list[Metric] = []
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
    _put(d, "flowName", p.flow_name)
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
    name = p.flow_name if p.purpose == "ivr" and p.flow_name else p.name
    _put(d, "participantName", name)
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


def _conversation_end(conv: Conversation) -> int | None:
    """The last segment end, after-call work included; none while anything is still open."""
    if not conv.settled:
        return None
    end = conv.end
    acw = [p.acw_end for p in conv.participants if p.acw_end is not None]
    return max([e for e in (end, *acw) if e is not None], default=None)


def to_analytics(conv: Conversation, *, with_attributes: bool = False) -> dict[str, Any]:
    """The detail record of ``POST /api/v2/analytics/conversations/details/query``.

    ``with_attributes`` gives the async-job shape (``AnalyticsConversation``), whose participants
    also carry their ``attributes``.
    """
    ctx = _Context(conv)
    d: dict[str, Any] = {}
    _put(d, "conversationEnd", _iso_or_none(_conversation_end(conv)))
    d["conversationId"] = conv.id
    if conv.participants:
        d["conversationInitiator"] = conv.participants[0].purpose
    d["conversationStart"] = iso(conv.start)
    if conv.media == "message" and conv.originating_direction == "inbound":
        d["customerParticipation"] = True
    d["divisionIds"] = list(conv.division_ids)
    _put(d, "externalTag", conv.external_tag)
    d["originatingDirection"] = conv.originating_direction
    evaluations = _evaluations(conv)
    if evaluations:
        d["evaluations"] = evaluations
    d["participants"] = [_participant(ctx, p, with_attributes) for p in conv.participants]
    return d


def _iso_or_none(ms: int | None) -> str | None:
    return None if ms is None else iso(ms)
