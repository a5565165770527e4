"""The analytics conversation detail record (``AnalyticsConversationWithoutAttributes``).

Like the REST projections, a pure function of one conversation (and of the world's catalogue,
for queue service levels and IVR flow names): segments come from each communication's own
segments plus a ``wrapup`` segment for after-call work, and every metric is computed from those
segments, so a metric can never disagree with the segments it measures. Consults are read off
the marks they leave in the state, not the event log, so a conversation rebuilt from its JSON
(``loader``) has the same record. The shape follows a real voice record
(docs/realism.md): the customer ``system`` -> ``interact``, the IVR with its ``flow``, the
ACD leg with ``nOffered``/``tAcd``, agents ``alert`` -> ``interact`` -> ``hold`` ... ->
``wrapup``, and ``tAnswered`` on the answering agent equal to the ACD leg's ``tAcd``.

A live conversation gets open segments (no ``segmentEnd``), no ``conversationEnd``, and only the
metrics already emitted: a metric is emitted when the segment it measures ends.
"""

from __future__ import annotations

from typing import Any

from ..engine.model import ENDED_STATES, Communication, Conversation, Participant, Segment
from ..world import World
from .analytics_facts import (
    ANALYTICS_DISCONNECT_TYPES,
    ANALYTICS_MEDIA_TYPES,
    RecordContext,
    visible_segments,
)
from .analytics_metrics import session_metrics
from .conversation_parts import put
from .timestamps import iso

__all__ = [
    "analytics_end",
    "conversation_header",
    "to_analytics",
]


_Q850_NORMAL = 16
"""Q.850 cause 16 (normal call clearing), which the real voice record shows on every hang-up."""


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
    for s in visible_segments(c):
        d: dict[str, Any] = {"segmentStart": iso(s.start)}
        if s.end is not None:
            d["segmentEnd"] = iso(s.end)
        put(d, "queueId", _segment_queue(p, s))
        put(d, "groupId", p.group_id)
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
                put(d, key, c.extra.get(key))
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
        put(w, "queueId", p.queue_id)
        if p.wrapup is not None:
            w["wrapUpCode"] = p.wrapup.code
            put(w, "wrapUpNote", p.wrapup.notes)
            if p.wrapup.tags:
                w["wrapUpTags"] = list(p.wrapup.tags)
        w["segmentType"] = "wrapup"
        if c.disconnect_type is not None:
            w["disconnectType"] = _disconnect(c.disconnect_type)
        out.append(w)
    return out


def _flow(ctx: RecordContext, p: Participant, c: Communication) -> dict[str, Any]:
    lang = None
    if p.address and "language=" in p.address:
        lang = p.address.split("language=", 1)[1].split(";", 1)[0].lower()
    d: dict[str, Any] = {}
    put(d, "endingLanguage", lang if c.ended else None)
    put(d, "entryReason", p.dnis or ctx.conv.address)
    d["entryType"] = "dnis"
    if c.ended:
        d["exitReason"] = "TRANSFER" if c.disconnect_type == "transfer" else "DISCONNECT"
    put(d, "flowId", p.flow_id)
    put(d, "flowName", ctx.flow_name(p))
    d["flowType"] = "INBOUNDCALL"
    d["flowVersion"] = "1.0"
    put(d, "startingLanguage", lang)
    if c.disconnect_type == "transfer" and c.disconnected is not None:
        target = next((a for a in ctx.acds if a.start >= c.disconnected), None)
        if target is not None:
            d["transferTargetAddress"] = target.queue_id
            put(d, "transferTargetName", target.queue_name)
            d["transferType"] = "ACD"
    return d


def _routing(ctx: RecordContext, p: Participant, d: dict[str, Any]) -> None:
    if p.purpose == "acd":
        answered = [ctx.answered_by[p.id]] if p.id in ctx.answered_by else []
    elif p is ctx.customer and ctx.acds:
        answered = [ctx.answered_by[a.id] for a in ctx.acds if a.id in ctx.answered_by][:1]
    else:
        return
    d["requestedRoutings"] = ["Standard"]
    if answered:
        d["usedRouting"] = "Standard"
        put(d, "selectedAgentId", answered[0].user_id)


def _session(ctx: RecordContext, p: Participant, c: Communication, primary: bool) -> dict[str, Any]:
    m = c.media
    d: dict[str, Any] = {"mediaType": ANALYTICS_MEDIA_TYPES.get(m, "unknown"), "sessionId": c.id}
    d["direction"] = c.direction
    if m in ("call", "callback"):
        put(d, "ani", p.ani)
        put(d, "dnis", p.dnis)
        put(d, "sessionDnis", p.dnis)
    elif m in ("email", "message", "chat") and p is not ctx.customer:
        put(d, "addressFrom", ctx.customer.address)
        put(d, "addressTo", ctx.conv.address)
    elif m in ("email", "message", "chat"):
        put(d, "addressFrom", p.address)
        put(d, "addressTo", ctx.conv.address)
    put(d, "peerId", c.peer_id)
    d["provider"] = c.provider
    if p is not ctx.customer and primary and p.purpose != "ivr":
        put(d, "remote", ctx.remote())
    if m == "call" and (c.recording or _was_recorded(ctx, c)):
        d["recording"] = True
    _routing(ctx, p, d)
    if p.purpose == "acd" and ctx.conv.by_purpose("ivr"):
        d["flowInType"] = "ivr"
    if p.purpose == "ivr" and primary:
        d["flow"] = _flow(ctx, p, c)
    put(d, "monitoredParticipantId", p.monitored_participant_id)
    put(d, "coachedParticipantId", p.coached_participant_id)
    put(d, "bargedParticipantId", p.barged_participant_id)
    x = c.extra
    if m == "callback":
        put(d, "callbackNumbers", x.get("callbackNumbers"))
        scheduled = x.get("callbackScheduledTime")
        put(d, "callbackScheduledTime", iso(scheduled) if isinstance(scheduled, int) else scheduled)
        put(d, "callbackUserName", x.get("callbackUserName"))
        put(d, "skipEnabled", x.get("skipEnabled"))
        put(d, "timeoutSeconds", x.get("timeoutSeconds"))
    elif m == "message":
        put(d, "messageType", x.get("type"))
        put(d, "engagementSource", x.get("engagementSource"))
    elif m == "chat":
        put(d, "roomId", x.get("roomId"))
    elif m == "cobrowse":
        put(d, "cobrowseRole", x.get("cobrowseRole"))
        put(d, "cobrowseRoomId", x.get("cobrowseSessionId"))
    elif m == "screenshare":
        put(d, "sharingScreen", x.get("sharing"))
    elif m == "screenMonitoring" and isinstance(x.get("targetUser"), dict):
        put(d, "screenMonitoredUserId", x["targetUser"].get("id"))
    put(d, "scriptId", p.script_id if primary else None)
    if primary and p.wrapup_skipped:
        d["acwSkipped"] = True
    metrics = session_metrics(ctx, p, c, primary)
    if metrics:
        d["metrics"] = [{"emitDate": iso(at), "name": n, "value": v} for n, v, at in metrics]
    d["segments"] = _segments(p, c, primary)
    return d


def _was_recorded(ctx: RecordContext, c: Communication) -> bool:
    """Whether recording was switched on while this leg was live (a later stop keeps the flag)."""
    end = c.disconnected if c.disconnected is not None else float("inf")
    return any(c.start <= at <= end for at in ctx.recording_on)


def _participant(ctx: RecordContext, p: Participant, with_attributes: bool) -> dict[str, Any]:
    d: dict[str, Any] = {}
    put(d, "externalContactId", p.external_contact_id)
    put(d, "externalOrganizationId", p.external_organization_id)
    put(d, "flaggedReason", p.flagged_reason)
    d["participantId"] = p.id
    flow_name = ctx.flow_name(p) if p.purpose == "ivr" else None
    put(d, "participantName", flow_name or p.name)
    d["purpose"] = p.purpose
    if p.screen_recording_state == "active":
        d["screenRecording"] = True
    put(d, "teamId", p.team_id)
    put(d, "userId", p.user_id)
    d["sessions"] = [_session(ctx, p, c, i == 0) for i, c in enumerate(p.comms)]
    if with_attributes:
        d["attributes"] = dict(p.attributes)
    return d


def _evaluations(conv: Conversation) -> list[dict[str, Any]]:
    out = []
    for p in conv.participants:
        for e in p.evaluations:
            d: dict[str, Any] = {"evaluationId": e["id"]}
            put(d, "evaluatorId", (e.get("evaluator") or {}).get("id"))
            put(d, "formId", (e.get("evaluationForm") or {}).get("id"))
            put(d, "formName", (e.get("evaluationForm") or {}).get("name"))
            put(d, "queueId", p.queue_id)
            put(d, "userId", (e.get("agent") or {}).get("id"))
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
    put(d, "externalTag", conv.external_tag)
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
    ctx = RecordContext(conv, world)
    d = conversation_header(conv, analytics_end(conv))
    evaluations = _evaluations(conv)
    if evaluations:
        d["evaluations"] = evaluations
    d["participants"] = [_participant(ctx, p, with_attributes) for p in conv.participants]
    return d
