"""The nested ``Conversation`` of ``GET /api/v2/conversations/{id}`` (camelCase, nulls omitted):
media arrays per participant, flat ``userId``/``queueId``, ``recordingState`` uppercase.

Its flattened per-media sibling is :mod:`.flattened`; both build on :mod:`.conversation_parts`
and are pure functions of one conversation, so they can never disagree.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import orjson

from ..engine.model import (
    ENDED_STATES,
    MEDIA_KEYS,
    Communication,
    Conversation,
    Participant,
    Segment,
)
from .conversation_parts import (
    TERMINABLE,
    ConversationView,
    divisions_json,
    media_roles,
    participant_span,
    put,
    put_time,
    transfers_json,
    wrapup_json,
)
from .timestamps import cached_iso, iso

__all__ = [
    "MEDIA_TRAITS",
    "SEGMENT_TYPES",
    "MediaTraits",
    "how_ended",
    "to_conversation_bytes",
    "to_conversation_json",
]


# what each nested media model has (SDK 269 models); anything else would be silently dropped
_HAS_DIRECTION = frozenset({"call", "callback", "chat", "email", "message"})
_HAS_HELD = frozenset({"call", "callback", "chat", "email", "message", "socialExpression"})
_HAS_SEGMENTS = frozenset(MEDIA_KEYS) - {"video"}
_HAS_INITIAL = frozenset(MEDIA_KEYS) - {"socialExpression"}
_HAS_ALERTING = frozenset(MEDIA_KEYS) - {"screenMonitoring"}
_HAS_PEER = frozenset(MEDIA_KEYS) - {"screenMonitoring"}
_HAS_SCRIPT = frozenset({"call", "callback", "chat", "email", "message", "socialExpression"})
_HAS_ACW = frozenset(MEDIA_KEYS) - {"internalMessage", "screenMonitoring"}

SEGMENT_TYPES = {
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
"""Engine segment kind -> the API's segment ``type`` (anything else is ``Other``)."""


def how_ended(segments: list[Segment], i: int) -> str | None:
    """Why segment ``i`` ended: ``Disconnect``, the type of the next segment, or None (open)."""
    s = segments[i]
    if s.end is None:
        return None
    if s.disconnect_type is not None:
        return "Disconnect"
    if i + 1 < len(segments):
        return SEGMENT_TYPES.get(segments[i + 1].kind, "Other")
    return None


def _segments(segments: list[Segment]) -> list[dict[str, Any]]:
    """``how_ended`` inlined, and ``iso``'s cache read directly: the hottest loop of all."""
    out = []
    types = SEGMENT_TYPES
    cached = cached_iso
    last = len(segments) - 1
    for i, s in enumerate(segments):
        start, end = s.start, s.end
        d: dict[str, Any] = {
            "startTime": cached(start) or iso(start),
            "type": types.get(s.kind, "Other"),
        }
        if end is not None:
            d["endTime"] = cached(end) or iso(end)
            if s.disconnect_type is not None:
                d["howEnded"] = "Disconnect"
                d["disconnectType"] = s.disconnect_type
            elif i < last:
                d["howEnded"] = types.get(segments[i + 1].kind, "Other")
        out.append(d)
    return out


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
    put_time(d, "endTime", p.acw_end)
    return d


def _address(name: str | None, address: str | None) -> dict[str, Any] | None:
    if address is None:
        return None
    raw = address.removeprefix("tel:")
    d: dict[str, Any] = {"addressNormalized": address, "addressRaw": raw}
    if raw.startswith("+"):
        d["addressDisplayable"] = raw
    if name is not None:
        d["name"] = name
    return d


class MediaTraits(NamedTuple):
    """Which optional fields a media's nested model has (SDK 269); one look-up instead of eight."""

    initial_state: bool
    direction: bool
    held: bool
    segments: bool
    alerting: bool
    script: bool
    peer: bool
    after_call_work: bool


MEDIA_TRAITS: dict[str, MediaTraits] = {
    m: MediaTraits(
        m in _HAS_INITIAL,
        m in _HAS_DIRECTION,
        m in _HAS_HELD,
        m in _HAS_SEGMENTS,
        m in _HAS_ALERTING,
        m in _HAS_SCRIPT,
        m in _HAS_PEER,
        m in _HAS_ACW,
    )
    for m in MEDIA_KEYS
}


def _communication(
    view: ConversationView, p: Participant, c: Communication, primary: bool
) -> dict[str, Any]:
    m = c.media
    initial, direction, held, segments, alerting, script, peer, acw = MEDIA_TRAITS[m]
    call = m == "call"
    cached = cached_iso
    state = c.state
    if view.settled and state in ENDED_STATES and m in TERMINABLE:
        state = "terminated"  # communication_state(), inlined
    d: dict[str, Any] = {"state": state}
    if initial:
        d["initialState"] = c.initial_state
    d["id"] = c.id
    if direction:
        d["direction"] = c.direction
    if call:
        d["recording"] = c.recording
        d["recordingState"] = view.conv.recording_state.lower() if c.recording else "none"
        d["muted"] = c.muted
        d["confined"] = c.confined
    if held:
        d["held"] = c.held
        if c.hold_start is not None:
            d["startHoldTime"] = cached(c.hold_start) or iso(c.hold_start)
    if segments:
        d["segments"] = _segments(c.segments)
    if c.disconnect_type is not None:
        d["disconnectType"] = c.disconnect_type
    if alerting and c.alerting_start is not None:
        d["startAlertingTime"] = cached(c.alerting_start) or iso(c.alerting_start)
    if c.connected is not None:
        d["connectedTime"] = cached(c.connected) or iso(c.connected)
    if c.disconnected is not None:
        d["disconnectedTime"] = cached(c.disconnected) or iso(c.disconnected)
    d["provider"] = c.provider
    if script and p.script_id is not None:
        d["scriptId"] = p.script_id
    if peer and c.peer_id is not None:
        d["peerId"] = c.peer_id
    if call:
        if p.address is not None:
            d["self"] = _address(p.name, p.address)
        other = view.owner(c.peer_id)
        if other is not None and other.address is not None:
            d["other"] = _address(other.name, other.address)
    for key, value in c.extra.items():
        d[key] = iso(value) if key.endswith("Time") and isinstance(value, int) else value
    if primary and acw:
        if p.wrapup is not None:
            d["wrapup"] = wrapup_json(p.wrapup)
        after = _acw(p)
        if after is not None:
            d["afterCallWork"] = after
        if p.purpose in ("agent", "user") and p.wrapup_required is not None:
            d["afterCallWorkRequired"] = bool(p.wrapup_required)
    return d


_MEDIA_LISTS = tuple(MEDIA_KEYS.values())
_NO_MEDIA: dict[str, tuple[()]] = dict.fromkeys(_MEDIA_LISTS, ())
"""Every media array of a participant, empty, for :func:`to_conversation_bytes`: an empty tuple
serializes as ``[]``, and one shared value instead of eleven new lists per participant makes
bulk generation ~4 % faster. Documents handed to callers keep real lists."""


def _identity(d: dict[str, Any], p: Participant) -> None:
    """Who the participant is: its user, contact, queue, purpose and addresses."""
    if p.name is not None:
        d["name"] = p.name
    if p.user_id is not None:
        d["userUri"] = f"/api/v2/users/{p.user_id}"
        d["userId"] = p.user_id
    if p.external_contact_id is not None:
        d["externalContactId"] = p.external_contact_id
    if p.external_contact_division_id is not None:
        d["externalContactInitialDivisionId"] = p.external_contact_division_id
    if p.external_organization_id is not None:
        d["externalOrganizationId"] = p.external_organization_id
    if p.queue_id is not None:
        d["queueId"] = p.queue_id
    if p.group_id is not None:
        d["groupId"] = p.group_id
    if p.team_id is not None:
        d["teamId"] = p.team_id
    if p.queue_name is not None:
        d["queueName"] = p.queue_name
    d["purpose"] = p.purpose
    if p.participant_type is not None:
        d["participantType"] = p.participant_type
    if p.consult_participant_id is not None:
        d["consultParticipantId"] = p.consult_participant_id
    if p.address is not None:
        d["address"] = p.address
    if p.ani is not None:
        d["ani"] = p.ani
    if p.ani_name is not None:
        d["aniName"] = p.ani_name
    if p.dnis is not None:
        d["dnis"] = p.dnis
    if p.locale is not None:
        d["locale"] = p.locale


def _media_arrays(view: ConversationView, p: Participant, d: dict[str, Any]) -> None:
    """Every media array of the participant, its communications in the arrays of their media
    (the first one carries the wrap-up and after-call work)."""
    if view.no_media is not None:
        d.update(view.no_media)
    else:
        for key in _MEDIA_LISTS:
            d[key] = []
    comms = p.comms
    if len(comms) == 1:
        d[MEDIA_KEYS[comms[0].media]] = [_communication(view, p, comms[0], True)]
    else:
        lists: dict[str, list[dict[str, Any]]] = {}
        for i, c in enumerate(comms):
            lists.setdefault(MEDIA_KEYS[c.media], []).append(_communication(view, p, c, i == 0))
        d.update(lists)


def _participant(
    view: ConversationView, p: Participant, connected: int | None, end: int | None
) -> dict[str, Any]:
    """One ``Participant`` of the nested conversation, its fields in the SDK model's order."""
    cached = cached_iso
    d: dict[str, Any] = {"id": p.id, "startTime": cached(p.start) or iso(p.start)}
    if end is not None:
        d["endTime"] = cached(end) or iso(end)
    if connected is not None:
        d["connectedTime"] = cached(connected) or iso(connected)
    _identity(d, p)
    d["wrapupRequired"] = p.wrapup_required is True
    if p.wrapup_prompt is not None:
        d["wrapupPrompt"] = p.wrapup_prompt
    if p.wrapup_timeout_ms is not None:
        d["wrapupTimeoutMs"] = p.wrapup_timeout_ms
    if p.wrapup_skipped is not None:
        d["wrapupSkipped"] = p.wrapup_skipped
    if p.wrapup is not None:
        d["wrapup"] = wrapup_json(p.wrapup)
    comms = p.comms
    roles = media_roles(p, comms[0])
    if roles is not None:
        d["mediaRoles"] = roles
    if p.routing is not None:
        d["conversationRoutingData"] = p.routing
    if p.alerting_timeout_ms is not None:
        d["alertingTimeoutMs"] = p.alerting_timeout_ms
    if p.monitored_participant_id is not None:
        d["monitoredParticipantId"] = p.monitored_participant_id
    if p.coached_participant_id is not None:
        d["coachedParticipantId"] = p.coached_participant_id
    d["attributes"] = dict(p.attributes) if p.attributes else {}
    _media_arrays(view, p, d)
    d["evaluations"] = list(p.evaluations) if p.evaluations else []
    if p.screen_recording_state is not None:
        d["screenRecordingState"] = p.screen_recording_state
    if p.flagged_reason is not None:
        d["flaggedReason"] = p.flagged_reason
    if p.acw_start is not None:
        d["startAcwTime"] = cached(p.acw_start) or iso(p.acw_start)
    if p.acw_end is not None:
        d["endAcwTime"] = cached(p.acw_end) or iso(p.acw_end)
    if p.barged_participant_id is not None:
        d["bargedParticipantId"] = p.barged_participant_id
    return d


def to_conversation_json(conv: Conversation) -> dict[str, Any]:
    """The nested ``Conversation`` shape of ``GET /api/v2/conversations/{id}``."""
    return _conversation(ConversationView(conv))


def to_conversation_bytes(conv: Conversation, option: int = 0) -> bytes:
    """``orjson.dumps(to_conversation_json(conv), option=option)``, faster: the document only
    lives to be serialized, so its empty media arrays can all be one shared value."""
    return orjson.dumps(_conversation(ConversationView(conv, _NO_MEDIA)), option=option)


def _conversation(view: ConversationView) -> dict[str, Any]:
    conv = view.conv
    spans = [participant_span(p) for p in conv.participants]
    ends = [end for _, end in spans]
    d: dict[str, Any] = {"id": conv.id, "startTime": iso(conv.start)}
    if ends and None not in ends:
        d["endTime"] = iso(max(e for e in ends if e is not None))
    put(d, "externalTag", conv.external_tag)
    put(d, "address", conv.address)
    d["participants"] = [
        _participant(view, p, *span) for p, span in zip(conv.participants, spans, strict=True)
    ]
    d["recordingState"] = conv.recording_state
    d["divisions"] = divisions_json(conv)
    if conv.transfers:
        d["recentTransfers"] = transfers_json(conv)
    d["selfUri"] = f"/api/v2/conversations/{conv.id}"
    return d
