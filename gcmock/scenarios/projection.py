"""Projections of engine state into the API's JSON shapes (camelCase, nulls omitted).

``to_conversation_json`` gives the nested ``Conversation`` (media arrays per participant, flat
``userId``/``queueId``, ``recordingState`` uppercase); ``to_media_json`` the flattened
``CallConversation`` / ``CallbackConversation`` / ``EmailConversation`` / ``MessageConversation``
(one participant per leg of that media, ``user{}``/``queue{}`` refs, ``recordingState``
lowercase). Both are pure functions of one conversation, so they can never disagree.
"""

from __future__ import annotations

import time
from functools import lru_cache
from typing import Any

from .model import MEDIA_KEYS, Communication, Conversation, Participant, Segment, Wrapup

__all__ = [
    "FLAT_MEDIA",
    "iso",
    "to_call_json",
    "to_conversation_json",
    "to_media_json",
]

FLAT_MEDIA = ("call", "callback", "email", "message")
"""Media that have a flattened ``/api/v2/conversations/{media}s/{id}`` view."""

# what each nested media model has (SDK 269 models); anything else would be silently dropped
_HAS_DIRECTION = frozenset({"call", "callback", "chat", "email", "message"})
_HAS_HELD = frozenset({"call", "callback", "chat", "email", "message", "socialExpression"})
_HAS_SEGMENTS = frozenset(MEDIA_KEYS) - {"video"}
_HAS_INITIAL = frozenset(MEDIA_KEYS) - {"socialExpression"}
_HAS_ALERTING = frozenset(MEDIA_KEYS) - {"screenMonitoring"}
_HAS_PEER = frozenset(MEDIA_KEYS) - {"screenMonitoring"}
_HAS_SCRIPT = frozenset({"call", "callback", "chat", "email", "message", "socialExpression"})
_TERMINABLE = frozenset(MEDIA_KEYS) - {"email", "message", "internalMessage", "screenMonitoring"}
_HAS_ACW = frozenset(MEDIA_KEYS) - {"internalMessage", "screenMonitoring"}
_FLAT_SCHEDULED = "none"
"""The flattened models have no ``scheduled`` state; a pending callback reads ``none``."""

_SEGMENT_TYPES = {
    "alert": "Alert",
    "barging": "Barging",
    "coaching": "Coaching",
    "contacting": "Contacting",
    "dialing": "Dialing",
    "hold": "Hold",
    "interact": "Interact",
    "ivr": "Ivr",
    "monitoring": "Monitoring",
    "scheduled": "Scheduled",
    "sharing": "Sharing",
    "system": "System",
    "voicemail": "Voicemail",
}


@lru_cache(maxsize=65536)
def _iso_seconds(seconds: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))


def iso(ms: int) -> str:
    """Integer epoch ms -> ``yyyy-MM-ddTHH:mm:ss.SSSZ``, the only timestamp format we emit."""
    s, m = divmod(ms, 1000)
    return f"{_iso_seconds(s)}.{m:03d}Z"


def _put(d: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        d[key] = value


def _time(d: dict[str, Any], key: str, ms: int | None) -> None:
    if ms is not None:
        d[key] = iso(ms)


def _state(conv: Conversation, c: Communication) -> str:
    if c.ended and c.media in _TERMINABLE and conv.settled:
        return "terminated"
    return c.state


def _segments(segments: list[Segment]) -> list[dict[str, Any]]:
    out = []
    n = len(segments)
    for i, s in enumerate(segments):
        d: dict[str, Any] = {"startTime": iso(s.start), "type": _SEGMENT_TYPES.get(s.kind, "Other")}
        if s.end is not None:
            d["endTime"] = iso(s.end)
            if s.disconnect_type is not None:
                d["howEnded"] = "Disconnect"
                d["disconnectType"] = s.disconnect_type
            elif i + 1 < n:
                d["howEnded"] = _SEGMENT_TYPES.get(segments[i + 1].kind, "Other")
        out.append(d)
    return out


def _wrapup(w: Wrapup) -> dict[str, Any]:
    d: dict[str, Any] = {"code": w.code, "name": w.name}
    _put(d, "notes", w.notes)
    d["tags"] = list(w.tags)
    _put(d, "durationSeconds", w.duration_seconds)
    _time(d, "endTime", w.end)
    if w.provisional:
        d["provisional"] = True
    return d


def _acw(p: Participant) -> dict[str, Any] | None:
    if p.acw_start is None:
        return None
    if p.acw_end is None:
        state = "pending"
    elif p.wrapup_skipped:
        state = "skipped"
    else:
        state = "complete"
    d: dict[str, Any] = {"startTime": iso(p.acw_start), "state": state}
    _time(d, "endTime", p.acw_end)
    return d


def _media_roles(p: Participant, c: Communication) -> list[str] | None:
    if p.media_roles:
        return p.media_roles
    if c.media == "call" and p.purpose in ("customer", "external", "agent", "user"):
        return ["full"]
    return None


def _address(name: str | None, address: str | None) -> dict[str, Any] | None:
    if address is None:
        return None
    raw = address.removeprefix("tel:")
    d: dict[str, Any] = {"addressNormalized": address, "addressRaw": raw}
    if raw.startswith("+"):
        d["addressDisplayable"] = raw
    _put(d, "name", name)
    return d


def _communication(
    conv: Conversation, p: Participant, c: Communication, primary: bool
) -> dict[str, Any]:
    m = c.media
    d: dict[str, Any] = {"state": _state(conv, c)}
    if m in _HAS_INITIAL:
        d["initialState"] = c.initial_state
    d["id"] = c.id
    if m in _HAS_DIRECTION:
        d["direction"] = c.direction
    if m == "call":
        d["recording"] = c.recording
        d["recordingState"] = conv.recording_state.lower() if c.recording else "none"
        d["muted"] = c.muted
        d["confined"] = c.confined
    if m in _HAS_HELD:
        d["held"] = c.held
        _time(d, "startHoldTime", c.hold_start)
    if m in _HAS_SEGMENTS:
        d["segments"] = _segments(c.segments)
    _put(d, "disconnectType", c.disconnect_type)
    if m in _HAS_ALERTING:
        _time(d, "startAlertingTime", c.alerting_start)
    _time(d, "connectedTime", c.connected)
    _time(d, "disconnectedTime", c.disconnected)
    d["provider"] = c.provider
    if m in _HAS_SCRIPT:
        _put(d, "scriptId", p.script_id)
    if m in _HAS_PEER:
        _put(d, "peerId", c.peer_id)
    if m == "call":
        _put(d, "self", _address(p.name, p.address))
        peer = _peer_participant(conv, c)
        if peer is not None:
            _put(d, "other", _address(peer.name, peer.address))
    for key, value in c.extra.items():
        d[key] = iso(value) if key.endswith("Time") and isinstance(value, int) else value
    if primary and m in _HAS_ACW:
        if p.wrapup is not None:
            d["wrapup"] = _wrapup(p.wrapup)
        acw = _acw(p)
        if acw is not None:
            d["afterCallWork"] = acw
        if p.purpose in ("agent", "user") and p.wrapup_required is not None:
            d["afterCallWorkRequired"] = bool(p.wrapup_required)
    return d


def _peer_participant(conv: Conversation, c: Communication) -> Participant | None:
    if c.peer_id is None:
        return None
    for p in conv.participants:
        for other in p.comms:
            if other.id == c.peer_id:
                return p
    return None


def _participant(conv: Conversation, p: Participant) -> dict[str, Any]:
    d: dict[str, Any] = {"id": p.id, "startTime": iso(p.start)}
    _time(d, "endTime", p.end)
    _time(d, "connectedTime", p.connected)
    _put(d, "name", p.name)
    if p.user_id is not None:
        d["userUri"] = f"/api/v2/users/{p.user_id}"
        d["userId"] = p.user_id
    _put(d, "externalContactId", p.external_contact_id)
    _put(d, "externalContactInitialDivisionId", p.external_contact_division_id)
    _put(d, "externalOrganizationId", p.external_organization_id)
    _put(d, "queueId", p.queue_id)
    _put(d, "groupId", p.group_id)
    _put(d, "teamId", p.team_id)
    _put(d, "queueName", p.queue_name)
    d["purpose"] = p.purpose
    _put(d, "participantType", p.participant_type)
    _put(d, "consultParticipantId", p.consult_participant_id)
    _put(d, "address", p.address)
    _put(d, "ani", p.ani)
    _put(d, "aniName", p.ani_name)
    _put(d, "dnis", p.dnis)
    _put(d, "locale", p.locale)
    d["wrapupRequired"] = bool(p.wrapup_required)
    _put(d, "wrapupPrompt", p.wrapup_prompt)
    _put(d, "wrapupTimeoutMs", p.wrapup_timeout_ms)
    _put(d, "wrapupSkipped", p.wrapup_skipped)
    if p.wrapup is not None:
        d["wrapup"] = _wrapup(p.wrapup)
    roles = _media_roles(p, p.comm)
    _put(d, "mediaRoles", roles)
    _put(d, "conversationRoutingData", p.routing)
    _put(d, "alertingTimeoutMs", p.alerting_timeout_ms)
    _put(d, "monitoredParticipantId", p.monitored_participant_id)
    _put(d, "coachedParticipantId", p.coached_participant_id)
    d["attributes"] = dict(p.attributes)
    lists: dict[str, list[dict[str, Any]]] = {key: [] for key in MEDIA_KEYS.values()}
    for i, c in enumerate(p.comms):
        lists[MEDIA_KEYS[c.media]].append(_communication(conv, p, c, i == 0))
    d.update(lists)
    d["evaluations"] = list(p.evaluations)
    _put(d, "screenRecordingState", p.screen_recording_state)
    _put(d, "flaggedReason", p.flagged_reason)
    _time(d, "startAcwTime", p.acw_start)
    _time(d, "endAcwTime", p.acw_end)
    _put(d, "bargedParticipantId", p.barged_participant_id)
    return d


def _divisions(conv: Conversation) -> list[dict[str, Any]]:
    out = []
    for div in conv.division_ids:
        entities: list[dict[str, Any]] = []
        seen: set[str] = set()
        for p in conv.participants:
            for kind, eid in (("queues", p.queue_id), ("users", p.user_id)):
                if eid is not None and eid not in seen:
                    seen.add(eid)
                    path = "routing/queues" if kind == "queues" else "users"
                    entities.append({"id": eid, "selfUri": f"/api/v2/{path}/{eid}"})
        out.append(
            {
                "division": {"id": div, "selfUri": f"/api/v2/authorization/divisions/{div}"},
                "entities": entities if div == conv.division_ids[0] else [],
            }
        )
    return out


def _transfers(conv: Conversation) -> list[dict[str, Any]]:
    out = []
    for t in conv.transfers:
        d: dict[str, Any] = {"id": t.id, "state": t.state, "dateIssued": iso(t.issued)}
        if t.initiator_user_id is not None:
            d["initiator"] = {"userId": t.initiator_user_id}
        dest: dict[str, Any] = {}
        _put(dest, "userId", t.destination_user_id)
        _put(dest, "address", t.destination_address)
        if dest:
            d["destination"] = dest
        d["transferType"] = t.kind
        out.append(d)
    return out


def to_conversation_json(conv: Conversation) -> dict[str, Any]:
    """The nested ``Conversation`` shape of ``GET /api/v2/conversations/{id}``."""
    d: dict[str, Any] = {"id": conv.id, "startTime": iso(conv.start)}
    _time(d, "endTime", conv.end)
    _put(d, "externalTag", conv.external_tag)
    _put(d, "address", conv.address)
    d["participants"] = [_participant(conv, p) for p in conv.participants]
    d["recordingState"] = conv.recording_state
    d["divisions"] = _divisions(conv)
    if conv.transfers:
        d["recentTransfers"] = _transfers(conv)
    d["selfUri"] = f"/api/v2/conversations/{conv.id}"
    return d


def _ref(kind: str, eid: str | None, name: str | None = None) -> dict[str, Any] | None:
    if eid is None:
        return None
    d: dict[str, Any] = {"id": eid}
    _put(d, "name", name)
    d["selfUri"] = f"/api/v2/{kind}/{eid}"
    return d


def _flat_participant(conv: Conversation, p: Participant, c: Communication) -> dict[str, Any]:
    m = c.media
    d: dict[str, Any] = {"id": p.id}
    _put(d, "name", p.name)
    _put(d, "address", p.address)
    d["startTime"] = iso(p.start)
    _time(d, "startAlertingTime", c.alerting_start)
    _time(d, "connectedTime", c.connected)
    _time(d, "endTime", p.end)
    _time(d, "startHoldTime", c.hold_start)
    d["purpose"] = p.purpose
    state = _state(conv, c)
    d["state"] = _FLAT_SCHEDULED if state == "scheduled" else state
    d["direction"] = c.direction
    _put(d, "disconnectType", c.disconnect_type)
    d["held"] = c.held
    d["wrapupRequired"] = bool(p.wrapup_required)
    _put(d, "wrapupPrompt", p.wrapup_prompt)
    _put(d, "mediaRoles", _media_roles(p, c))
    _put(d, "user", _ref("users", p.user_id, p.name if p.user_id else None))
    _put(d, "queue", _ref("routing/queues", p.queue_id, p.queue_name))
    _put(d, "team", _ref("teams", p.team_id))
    d["attributes"] = dict(p.attributes)
    _put(d, "script", _ref("scripts", p.script_id))
    _put(d, "wrapupTimeoutMs", p.wrapup_timeout_ms)
    _put(d, "wrapupSkipped", p.wrapup_skipped)
    _put(d, "alertingTimeoutMs", p.alerting_timeout_ms)
    d["provider"] = c.provider
    _put(d, "externalContact", _ref("externalcontacts/contacts", p.external_contact_id))
    _put(d, "externalContactInitialDivisionId", p.external_contact_division_id)
    _put(
        d,
        "externalOrganization",
        _ref("externalcontacts/organizations", p.external_organization_id),
    )
    if p.wrapup is not None:
        d["wrapup"] = _wrapup(p.wrapup)
    _put(d, "peer", c.peer_id)
    _put(d, "flaggedReason", p.flagged_reason)
    _put(d, "conversationRoutingData", p.routing)
    _time(d, "startAcwTime", p.acw_start)
    _time(d, "endAcwTime", p.acw_end)
    if m == "call":
        d["muted"] = c.muted
        d["confined"] = c.confined
        d["recording"] = c.recording
        d["recordingState"] = conv.recording_state.lower() if c.recording else "none"
        _put(d, "group", _ref("groups", p.group_id))
        _put(d, "ani", p.ani)
        _put(d, "dnis", p.dnis)
        _put(d, "monitoredParticipantId", p.monitored_participant_id)
        _put(d, "coachedParticipantId", p.coached_participant_id)
        _put(d, "bargedParticipantId", p.barged_participant_id)
        _put(d, "consultParticipantId", p.consult_participant_id)
        _time(d, "bargedTime", p.barged_time)
        _put(d, "transferSource", p.transfer_source)
    elif m == "message":
        _put(d, "monitoredParticipantId", p.monitored_participant_id)
    for key, value in c.extra.items():
        if key in _FLAT_EXTRAS[m]:
            d[key] = iso(value) if key.endswith("Time") and isinstance(value, int) else value
    return d


_FLAT_EXTRAS: dict[str, frozenset[str]] = {
    "call": frozenset(),
    "callback": frozenset(
        {
            "outboundPreview",
            "voicemail",
            "callbackNumbers",
            "callbackUserName",
            "externalCampaign",
            "skipEnabled",
            "timeoutSeconds",
            "automatedCallbackConfigId",
            "callbackScheduledTime",
        }
    ),
    "email": frozenset(
        {"subject", "messagesSent", "autoGenerated", "draftAttachments", "spam", "messageId"}
    ),
    "message": frozenset(
        {
            "toAddress",
            "fromAddress",
            "messages",
            "type",
            "recipientCountry",
            "recipientType",
            "authenticated",
        }
    ),
}

_MEDIA_PATHS = {
    "call": "calls",
    "callback": "callbacks",
    "chat": "chats",
    "cobrowse": "cobrowsesessions",
    "email": "emails",
    "internalMessage": "internalmessages",
    "message": "messages",
    "screenMonitoring": "screenmonitorings",
    "screenshare": "screenshares",
    "socialExpression": "socials",
    "video": "videos",
}


def to_media_json(conv: Conversation, media: str) -> dict[str, Any]:
    """The flattened ``{Media}Conversation`` of ``GET /api/v2/conversations/{media}s/{id}``."""
    if media not in FLAT_MEDIA:
        raise ValueError(f"no flattened view for media {media!r}; use one of {FLAT_MEDIA}")
    parts = []
    others: set[str] = set()
    for p in conv.participants:
        comm = next((c for c in p.comms if c.media == media), None)
        for c in p.comms:
            if c.media != media:
                others.add(c.media)
        if comm is not None:
            parts.append(_flat_participant(conv, p, comm))
    path = _MEDIA_PATHS[media]
    d: dict[str, Any] = {"id": conv.id, "participants": parts}
    d["otherMediaUris"] = [
        f"/api/v2/conversations/{_MEDIA_PATHS[m]}/{conv.id}" for m in sorted(others)
    ]
    if conv.transfers:
        d["recentTransfers"] = _transfers(conv)
    d["divisions"] = _divisions(conv)
    if media == "call":
        d["recordingState"] = conv.recording_state.lower()
    d["selfUri"] = f"/api/v2/conversations/{path}/{conv.id}"
    return d


def to_call_json(conv: Conversation) -> dict[str, Any]:
    """The flattened ``CallConversation`` shape of ``GET /api/v2/conversations/calls/{id}``."""
    return to_media_json(conv, "call")
