"""Detail events (``v2.detail.events.conversation.{id}.{kind}``): the flat per-session events a
conversation state implies, as a pure function of that state.

Each event has a key that names what it reports (this session started, this wrap-up was
assigned...), so the events one state change produces are the keys of the new state missing from
the old one: no event log to replay, and a change that spans several steps (the autopilot
catching up) still yields every event, in time order.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from typing import Any, NamedTuple

from ..engine.model import Communication, Conversation, Participant

__all__ = ["DETAIL_KINDS", "DetailEvent", "detail_events", "new_detail_events"]

DETAIL_KINDS: dict[str, str] = {
    "customer.start": "CustomerStartDetailEventTopicCustomerStartEvent",
    "customer.end": "CustomerEndDetailEventTopicCustomerEndEvent",
    "flow.start": "FlowStartDetailEventTopicFlowStartEvent",
    "flow.end": "FlowEndDetailEventTopicFlowEndEvent",
    "acd.start": "AcdStartDetailEventTopicAcdStartEvent",
    "acd.end": "AcdEndDetailEventTopicAcdEndEvent",
    "user.start": "UserStartDetailEventTopicUserStartEvent",
    "user.end": "UserEndDetailEventTopicUserEndEvent",
    "acw": "AcwDetailEventTopicAfterCallWorkEvent",
    "wrapup": "WrapupDetailEventTopicWrapupEvent",
    "attributes": "AttributeDetailEventTopicAttributeUpdateEvent",
    "voicemail.start": "VoicemailStartDetailEventTopicVoicemailStartEvent",
    "voicemail.end": "VoicemailEndDetailEventTopicVoicemailEndEvent",
    "outbound": "OutboundDetailEventTopicOutboundInitEvent",
}
"""Topic suffix -> the SDK model of its event body."""

_MEDIA_TYPES = {
    "call": "VOICE",
    "callback": "CALLBACK",
    "chat": "CHAT",
    "cobrowse": "COBROWSE",
    "email": "EMAIL",
    "internalMessage": "INTERNALMESSAGE",
    "message": "MESSAGE",
    "screenMonitoring": "SCREENMONITORING",
    "screenshare": "SCREENSHARE",
    "video": "VIDEO",
}
"""Engine media -> detail ``mediaType`` (social expressions have none: they get no events)."""

_DISCONNECT_TYPES = {
    "endpoint.donotdisturb": "DND_ENDPOINT",
    "transfer.donotdisturb": "DND_TRANSFER",
    "transfer.consult": "CONSULT_TRANSFER",
    "transfer.conference": "CONFERENCE_TRANSFER",
    "transfer.forward": "FORWARD_TRANSFER",
    "transfer.noanswer": "NO_ANSWER_TRANSFER",
    "transfer.notavailable": "NOT_AVAILABLE_TRANSFER",
    "transport.failure": "TRANSPORT_FAILURE",
}

_FLOW_TYPES = {
    "call": "INBOUNDCALL",
    "chat": "INBOUNDCHAT",
    "email": "INBOUNDEMAIL",
    "message": "INBOUNDSHORTMESSAGE",
}
_MESSAGE_TYPES = frozenset(
    {"sms", "twitter", "facebook", "line", "whatsapp", "webmessaging", "open", "instagram"}
)


class DetailEvent(NamedTuple):
    key: Hashable
    """What the event reports; the same fact in a later state has the same key."""
    kind: str
    """The topic suffix: ``user.start``, ``acw``..."""
    at: int
    body: dict[str, Any]


def _disconnect(dtype: str | None) -> str:
    if dtype is None:
        return "UNKNOWN"
    return _DISCONNECT_TYPES.get(dtype, dtype.upper().replace(".", "_"))


def _common(conv: Conversation, p: Participant, c: Communication, at: int) -> dict[str, Any]:
    d: dict[str, Any] = {
        "eventTime": at,
        "conversationId": conv.id,
        "participantId": p.id,
        "sessionId": c.id,
        "mediaType": _MEDIA_TYPES[c.media],
        "provider": c.provider,
        "direction": c.direction.upper() if c.direction in ("inbound", "outbound") else "UNKNOWN",
    }
    for key, value in (("ani", p.ani), ("dnis", p.dnis)):
        if value is not None:
            d[key] = value
    contacts = sorted({q.external_contact_id for q in conv.participants if q.external_contact_id})
    orgs = sorted(
        {q.external_organization_id for q in conv.participants if q.external_organization_id}
    )
    if contacts:
        d["conversationExternalContactIds"] = contacts
    if orgs:
        d["conversationExternalOrganizationIds"] = orgs
    return d


def _media_fields(p: Participant, c: Communication, d: dict[str, Any]) -> dict[str, Any]:
    """What customer, ACD, user, ACW and wrap-up events add about the session's media."""
    extra = c.extra
    if c.media == "email" and "subject" in extra:
        d["subject"] = extra["subject"]
    if c.media == "message" and str(extra.get("type", "")).lower() in _MESSAGE_TYPES:
        d["messageType"] = str(extra["type"]).upper()
    if c.media == "callback":
        if "callbackNumbers" in extra:
            d["callbackNumbers"] = list(extra["callbackNumbers"])
        if "callbackUserName" in extra:
            d["callbackUserName"] = extra["callbackUserName"]
    return d


def _division(conv: Conversation, d: dict[str, Any]) -> dict[str, Any]:
    if conv.division_ids:
        d["divisionId"] = conv.division_ids[0]
    return d


def _span(c: Communication) -> int:
    return (c.disconnected or c.start) - (c.connected or c.disconnected or c.start)


def _session_events(conv: Conversation, p: Participant, c: Communication) -> Iterator[DetailEvent]:
    """The start and end events of one session, by the participant's purpose."""
    purpose = p.purpose
    sid = (p.id, c.id)
    if purpose in ("customer", "external"):
        kind = "customer"
    elif purpose == "ivr":
        kind = "flow"
    elif purpose in ("acd", "voicemail"):
        kind = "acd" if purpose == "acd" else "voicemail"
    elif purpose in ("agent", "user"):
        kind = "user"
    else:
        return
    start = _common(conv, p, c, c.start)
    if kind in ("customer", "acd", "user"):
        _media_fields(p, c, start)
    if kind == "flow":
        start["flowType"] = _FLOW_TYPES.get(c.media, "UNKNOWN")
        if p.flow_id:
            start["flowId"] = p.flow_id
    if kind in ("acd", "user", "voicemail") and p.queue_id:
        start["queueId"] = p.queue_id
    if kind in ("user", "voicemail") and p.user_id:
        start["userId"] = p.user_id
    _division(conv, start)
    yield DetailEvent((f"{kind}.start", sid), f"{kind}.start", c.start, start)
    if conv.originating_direction == "outbound" and kind == "customer" and p is conv.customer:
        outbound = _division(conv, _common(conv, p, c, c.start))
        yield DetailEvent(("outbound", sid), "outbound", c.start, outbound)
    if c.disconnected is None:
        return
    end = dict(start, eventTime=c.disconnected, disconnectType=_disconnect(c.disconnect_type))
    if kind in ("customer", "user"):
        end["interactingDurationMs"] = _span(c)
    elif kind in ("flow", "acd"):
        end["connectedDurationMs"] = c.disconnected - c.start
    else:
        end["voicemailDurationMs"] = c.disconnected - c.start
    if kind == "acd":
        answered = _answered_by(conv, p)
        end["acdOutcome"] = "ANSWERED" if answered else "ABANDON"
        if answered:
            end["answeredUserId"] = answered
    yield DetailEvent((f"{kind}.end", sid), f"{kind}.end", c.disconnected, end)


def _answered_by(conv: Conversation, acd: Participant) -> str | None:
    """The user who answered what this queue leg offered (the first connected agent after it)."""
    for q in conv.participants:
        if q.purpose == "agent" and q.start >= acd.start and q.connected is not None:
            return q.user_id
    return None


def _wrapup_events(conv: Conversation, p: Participant) -> Iterator[DetailEvent]:
    w = p.wrapup
    if w is None or w.provisional or not p.comms or p.comm.media not in _MEDIA_TYPES:
        return
    c = p.comm
    at = w.end or p.acw_end or c.disconnected or c.start
    d = _media_fields(p, c, _common(conv, p, c, at))
    if p.queue_id:
        d["queueId"] = p.queue_id
    d["wrapupCode"] = w.code
    if w.notes:
        d["wrapupNotes"] = w.notes
    if p.acw_start is not None and p.acw_end is not None:
        d["wrapupDurationMs"] = p.acw_end - p.acw_start
    yield DetailEvent(("wrapup", p.id), "wrapup", at, d)
    if p.acw_end is not None:
        acw = dict(d, eventTime=p.acw_end)
        if p.user_id:
            acw["userId"] = p.user_id
        yield DetailEvent(("acw", p.id), "acw", p.acw_end, acw)


_SYSTEM_ATTRIBUTES = frozenset({"consultInitiator"})
"""Attributes the platform keeps on a leg itself (the consult initiator's marker, set when a
consult starts and dropped when it ends): not participant data a flow or client set, so no
attribute update event is sent for them."""


def _attribute_event(conv: Conversation, p: Participant) -> DetailEvent | None:
    data = {k: v for k, v in p.attributes.items() if k not in _SYSTEM_ATTRIBUTES}
    if not data:
        return None
    changed = [e.at for e in conv.events if e.kind == "attributes" and e.participant_id == p.id]
    at = changed[-1] if changed else p.start
    d: dict[str, Any] = {
        "eventTime": at,
        "conversationId": conv.id,
        "participantId": p.id,
        "attributes": data,
        "participantStartTime": p.start,
    }
    key = ("attributes", p.id, tuple(sorted(data.items())))
    return DetailEvent(key, "attributes", at, d)


def detail_events(conv: Conversation) -> list[DetailEvent]:
    """Every detail event the state implies, in time order."""
    out: list[DetailEvent] = []
    for p in conv.participants:
        for c in p.comms:
            if c.media in _MEDIA_TYPES:
                out.extend(_session_events(conv, p, c))
        out.extend(_wrapup_events(conv, p))
        attributes = _attribute_event(conv, p)
        if attributes is not None:
            out.append(attributes)
    out.sort(key=lambda e: e.at)
    return out


def new_detail_events(before: Conversation | None, after: Conversation) -> list[DetailEvent]:
    """The events the change from ``before`` to ``after`` produces, in time order."""
    seen = {e.key for e in detail_events(before)} if before is not None else set()
    return [e for e in detail_events(after) if e.key not in seen]
