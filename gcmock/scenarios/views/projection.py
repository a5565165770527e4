"""Projections of engine state into the API's JSON shapes (camelCase, nulls omitted).

``to_conversation_json`` gives the nested ``Conversation`` (media arrays per participant, flat
``userId``/``queueId``, ``recordingState`` uppercase); ``to_media_json`` the flattened
``CallConversation`` / ``CallbackConversation`` / ``EmailConversation`` / ``MessageConversation``
(one participant per leg of that media, ``user{}``/``queue{}`` refs, ``recordingState``
lowercase). Both are pure functions of one conversation, so they can never disagree.
"""

from __future__ import annotations

import time
from typing import Any, NamedTuple

import orjson

from ..engine.model import (
    ENDED_STATES,
    MEDIA_KEYS,
    Communication,
    Conversation,
    Participant,
    Segment,
    Wrapup,
)

__all__ = [
    "FLAT_MEDIA",
    "MEDIA_TRAITS",
    "SEGMENT_TYPES",
    "MediaTraits",
    "communication_state",
    "how_ended",
    "iso",
    "participant_span",
    "to_assigned_wrapup_json",
    "to_call_json",
    "to_conversation_bytes",
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


_DAYS: dict[int, str] = {}
_CLOCK = tuple(
    f"T{h:02d}:{m:02d}:{s:02d}." for h in range(24) for m in range(60) for s in range(60)
)
_MILLIS = tuple(f"{m:03d}Z" for m in range(1000))
_RECENT: dict[int, str] = {}
_RECENT_MAX = 4096


def iso(ms: int) -> str:
    """Integer epoch ms -> ``yyyy-MM-ddTHH:mm:ss.SSSZ``, the only timestamp format we emit.

    Formatting is the hottest call of bulk generation: a conversation formats ~40 times but
    only ~8 distinct instants, so recent results are kept (bounded), and a miss is table
    look-ups: each day's date once, then precomputed ``THH:MM:SS.`` and ``SSSZ`` strings.
    """
    text = _RECENT.get(ms)
    if text is None:
        if len(_RECENT) >= _RECENT_MAX:
            _RECENT.clear()
        day, rest = divmod(ms, 86_400_000)
        date = _DAYS.get(day)
        if date is None:
            date = _DAYS[day] = time.strftime("%Y-%m-%d", time.gmtime(day * 86_400))
        text = _RECENT[ms] = date + _CLOCK[rest // 1000] + _MILLIS[rest % 1000]
    return text


def _put(d: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        d[key] = value


def _time(d: dict[str, Any], key: str, ms: int | None) -> None:
    if ms is not None:
        d[key] = iso(ms)


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
    cached = _RECENT.get
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


def _wrapup(w: Wrapup) -> dict[str, Any]:
    d: dict[str, Any] = {"code": w.code, "name": w.name}
    _put(d, "notes", w.notes)
    d["tags"] = list(w.tags)
    _put(d, "durationSeconds", w.duration_seconds)
    _time(d, "endTime", w.end)
    if w.provisional:
        d["provisional"] = True
    return d


def to_assigned_wrapup_json(p: Participant) -> dict[str, Any]:
    """The ``AssignedWrapupCode`` of ``GET .../participants/{pid}/wrapup`` (empty: none yet)."""
    if p.wrapup is None:
        return {}
    d = _wrapup(p.wrapup)
    del d["name"]
    d.pop("provisional", None)
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


_FULL_ROLE = frozenset({"customer", "external", "agent", "user"})
"""Purposes whose call legs have ``mediaRoles: ["full"]`` unless the engine set others."""


def _media_roles(p: Participant, c: Communication) -> list[str] | None:
    if p.media_roles:
        return p.media_roles
    if c.media == "call" and p.purpose in _FULL_ROLE:
        return ["full"]
    return None


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


class _View:
    """What every leg's projection needs from the whole conversation, computed once per call.

    ``settled`` decides ``terminated`` for every communication and ``owner`` finds a call's
    other party; recomputing them per leg made projecting quadratic in the participant count.
    """

    __slots__ = ("_owners", "conv", "no_media", "settled")

    def __init__(self, conv: Conversation, no_media: dict[str, Any] | None = None) -> None:
        self.conv = conv
        self.settled = conv.settled
        self.no_media = no_media
        """Shared empty media arrays when the document is only serialized; None: fresh lists."""
        self._owners: dict[str, Participant] | None = None

    def state(self, c: Communication) -> str:
        return communication_state(c, self.settled)

    def owner(self, communication_id: str | None) -> Participant | None:
        """The participant holding communication ``communication_id`` (a call's peer)."""
        if communication_id is None:
            return None
        if self._owners is None:
            self._owners = {}
            for p in self.conv.participants:
                for c in p.comms:
                    self._owners.setdefault(c.id, p)
        return self._owners.get(communication_id)


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


def _communication(view: _View, p: Participant, c: Communication, primary: bool) -> dict[str, Any]:
    m = c.media
    initial, direction, held, segments, alerting, script, peer, acw = MEDIA_TRAITS[m]
    call = m == "call"
    cached = _RECENT.get
    state = c.state
    if view.settled and state in ENDED_STATES and m in _TERMINABLE:
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
            d["wrapup"] = _wrapup(p.wrapup)
        after = _acw(p)
        if after is not None:
            d["afterCallWork"] = after
        if p.purpose in ("agent", "user") and p.wrapup_required is not None:
            d["afterCallWorkRequired"] = bool(p.wrapup_required)
    return d


def communication_state(c: Communication, settled: bool) -> str:
    """The state a communication shows: an ended one reads ``terminated`` once the conversation
    is ``settled`` (ended, all after-call work done), for the media that have that state."""
    if settled and c.media in _TERMINABLE and c.state in ENDED_STATES:
        return "terminated"
    return c.state


def participant_span(p: Participant) -> tuple[int | None, int | None]:
    """(connected, end) of a participant in one pass: ``Participant.connected`` and ``.end``."""
    connected: int | None = None
    end = 0
    live = not p.comms
    for c in p.comms:
        if c.connected is not None and (connected is None or c.connected < connected):
            connected = c.connected
        if c.state not in ENDED_STATES:
            live = True
        elif c.disconnected is not None and c.disconnected > end:
            end = c.disconnected
    return connected, None if live else end


_MEDIA_LISTS = tuple(MEDIA_KEYS.values())
_NO_MEDIA: dict[str, tuple[()]] = dict.fromkeys(_MEDIA_LISTS, ())
"""Every media array of a participant, empty, for :func:`to_conversation_bytes`: an empty tuple
serializes as ``[]``, and one shared value instead of eleven new lists per participant makes
bulk generation ~4 % faster. Documents handed to callers keep real lists."""


def _participant(
    view: _View, p: Participant, connected: int | None, end: int | None
) -> dict[str, Any]:
    cached = _RECENT.get
    d: dict[str, Any] = {"id": p.id, "startTime": cached(p.start) or iso(p.start)}
    if end is not None:
        d["endTime"] = cached(end) or iso(end)
    if connected is not None:
        d["connectedTime"] = cached(connected) or iso(connected)
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
    d["wrapupRequired"] = p.wrapup_required is True
    if p.wrapup_prompt is not None:
        d["wrapupPrompt"] = p.wrapup_prompt
    if p.wrapup_timeout_ms is not None:
        d["wrapupTimeoutMs"] = p.wrapup_timeout_ms
    if p.wrapup_skipped is not None:
        d["wrapupSkipped"] = p.wrapup_skipped
    if p.wrapup is not None:
        d["wrapup"] = _wrapup(p.wrapup)
    comms = p.comms
    roles = _media_roles(p, comms[0])
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
    if view.no_media is not None:
        d.update(view.no_media)
    else:
        for key in _MEDIA_LISTS:
            d[key] = []
    if len(comms) == 1:
        d[MEDIA_KEYS[comms[0].media]] = [_communication(view, p, comms[0], True)]
    else:
        lists: dict[str, list[dict[str, Any]]] = {}
        for i, c in enumerate(comms):
            lists.setdefault(MEDIA_KEYS[c.media], []).append(_communication(view, p, c, i == 0))
        d.update(lists)
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


def _divisions(conv: Conversation) -> list[dict[str, Any]]:
    """Each division; the first (home) lists the queues and users the conversation touched."""
    if not conv.division_ids:
        return []
    entities: list[dict[str, Any]] = []
    seen: set[str] = set()
    for p in conv.participants:
        queue_id, user_id = p.queue_id, p.user_id
        if queue_id is not None and queue_id not in seen:
            seen.add(queue_id)
            entities.append({"id": queue_id, "selfUri": f"/api/v2/routing/queues/{queue_id}"})
        if user_id is not None and user_id not in seen:
            seen.add(user_id)
            entities.append({"id": user_id, "selfUri": f"/api/v2/users/{user_id}"})
    first = conv.division_ids[0]
    return [
        {
            "division": {"id": div, "selfUri": f"/api/v2/authorization/divisions/{div}"},
            "entities": entities if div == first else [],
        }
        for div in conv.division_ids
    ]


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
    return _conversation(_View(conv))


def to_conversation_bytes(conv: Conversation, option: int = 0) -> bytes:
    """``orjson.dumps(to_conversation_json(conv), option=option)``, faster: the document only
    lives to be serialized, so its empty media arrays can all be one shared value."""
    return orjson.dumps(_conversation(_View(conv, _NO_MEDIA)), option=option)


def _conversation(view: _View) -> dict[str, Any]:
    conv = view.conv
    spans = [participant_span(p) for p in conv.participants]
    ends = [end for _, end in spans]
    d: dict[str, Any] = {"id": conv.id, "startTime": iso(conv.start)}
    if ends and None not in ends:
        d["endTime"] = iso(max(e for e in ends if e is not None))
    _put(d, "externalTag", conv.external_tag)
    _put(d, "address", conv.address)
    d["participants"] = [
        _participant(view, p, *span) for p, span in zip(conv.participants, spans, strict=True)
    ]
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


def _flat_participant(view: _View, p: Participant, c: Communication) -> dict[str, Any]:
    conv = view.conv
    m = c.media
    d: dict[str, Any] = {"id": p.id}
    _put(d, "name", p.name)
    _put(d, "address", p.address)
    d["startTime"] = iso(p.start)
    _time(d, "startAlertingTime", c.alerting_start)
    _time(d, "connectedTime", c.connected)
    _time(d, "endTime", participant_span(p)[1])
    _time(d, "startHoldTime", c.hold_start)
    d["purpose"] = p.purpose
    state = view.state(c)
    d["state"] = _FLAT_SCHEDULED if state == "scheduled" else state
    d["direction"] = c.direction
    _put(d, "disconnectType", c.disconnect_type)
    d["held"] = c.held
    d["wrapupRequired"] = p.wrapup_required is True
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
    view = _View(conv)
    parts = []
    others: set[str] = set()
    for p in conv.participants:
        comm = next((c for c in p.comms if c.media == media), None)
        for c in p.comms:
            if c.media != media:
                others.add(c.media)
        if comm is not None:
            parts.append(_flat_participant(view, p, comm))
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
