"""Rebuild engine state from the nested ``Conversation`` JSON (a dataset line, an admin upload).

The inverse of :func:`projection.to_conversation_json` for everything that projection emits, so
a loaded conversation projects to the same JSON and accepts further operations. What the JSON
cannot carry (the event history, the random stream) is rebuilt deterministically: the stream is
seeded from the conversation id. State the JSON shows only indirectly is read back the way the
engine laid it out, so the analytics record survives the round trip too: an IVR leg's flow id
from its address, a conference segment from two ``Interact`` segments in a row, the segments of
a medium whose model has none (video), and the direction and peer of a medium whose model lacks
them (a secondary session shares its participant's first).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ..engine.model import (
    MEDIA_KEYS,
    Communication,
    Consult,
    Conversation,
    Participant,
    Segment,
    Transfer,
    Wrapup,
)
from .projection import MEDIA_TRAITS

__all__ = ["LoadError", "from_conversation_json"]

_MEDIA_BY_KEY = {v: k for k, v in MEDIA_KEYS.items()}
_SEGMENT_KINDS = {
    "Alert": "alert",
    "Barging": "barging",
    "Coaching": "coaching",
    "Contacting": "contacting",
    "Dialing": "dialing",
    "Hold": "hold",
    "Interact": "interact",
    "Ivr": "ivr",
    "Monitoring": "monitoring",
    "Scheduled": "scheduled",
    "Sharing": "sharing",
    "System": "system",
    "Voicemail": "voicemail",
}
# keys the projection derives from other state: never copied into ``extra``
_DERIVED = frozenset(
    {
        "state",
        "initialState",
        "id",
        "direction",
        "recording",
        "recordingState",
        "muted",
        "confined",
        "held",
        "startHoldTime",
        "segments",
        "disconnectType",
        "startAlertingTime",
        "connectedTime",
        "disconnectedTime",
        "provider",
        "scriptId",
        "peerId",
        "self",
        "other",
        "wrapup",
        "afterCallWork",
        "afterCallWorkRequired",
    }
)


class LoadError(ValueError):
    """The JSON is not a conversation gcmock can take over; the message names the field."""


def _ms(value: Any, field: str) -> int:
    if not isinstance(value, str):
        raise LoadError(f"{field} must be an ISO-8601 timestamp, not {value!r}")
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise LoadError(f"{field} must be an ISO-8601 timestamp, not {value!r}") from None
    return round(dt.timestamp() * 1000)


def _opt_ms(d: Mapping[str, Any], key: str, where: str) -> int | None:
    return _ms(d[key], f"{where}.{key}") if key in d else None


def _require(d: Mapping[str, Any], key: str, where: str, kind: type) -> Any:
    value = d.get(key)
    if not isinstance(value, kind):
        raise LoadError(f"{where}.{key} is required ({kind.__name__})")
    return value


def _segments(items: Any, where: str) -> list[Segment]:
    out: list[Segment] = []
    for i, s in enumerate(items or []):
        w = f"{where}.segments[{i}]"
        kind = _SEGMENT_KINDS.get(str(s.get("type")), "interact")
        out.append(
            Segment(
                kind=kind,
                start=_ms(s.get("startTime"), f"{w}.startTime"),
                end=_opt_ms(s, "endTime", w),
                disconnect_type=s.get("disconnectType"),
                # the engine opens an interact segment on an interact one only when a consult
                # turns into a conference (transfer.change_speak_to)
                conference=kind == "interact" and bool(out) and out[-1].kind == "interact",
            )
        )
    return out


_FIRST_SEGMENT = {
    "alerting": "alert",
    "contacting": "contacting",
    "dialing": "dialing",
    "scheduled": "scheduled",
}


def _timeline(c: Communication) -> list[Segment]:
    """The segments of a medium whose JSON model has none (video), as the engine lays them out
    from the times the JSON keeps: the leg's first state (a leg that starts connected waits in
    ``system`` until it connects), then ``interact`` from its connect; the last one ends with
    the communication. Holds leave no trace in those models, so none are rebuilt."""
    first = _FIRST_SEGMENT.get(c.initial_state)
    if first is None:
        first = "interact" if c.connected is not None and c.connected <= c.start else "system"
    segments = [Segment(first, c.start)]
    if c.connected is not None and first != "interact":
        segments[-1].end = c.connected
        segments.append(Segment("interact", c.connected))
    if c.disconnected is not None:
        segments[-1].end = c.disconnected
        segments[-1].disconnect_type = c.disconnect_type
    return segments


def _communication(media: str, c: Mapping[str, Any], where: str) -> Communication:
    state = str(_require(c, "state", where, str))
    comm = Communication(
        id=_require(c, "id", where, str),
        media=media,
        direction=c.get("direction", "inbound"),
        initial_state=c.get("initialState", state),
        state="disconnected" if state == "terminated" else state,
        start=0,
        provider=c.get("provider", ""),
        alerting_start=_opt_ms(c, "startAlertingTime", where),
        connected=_opt_ms(c, "connectedTime", where),
        disconnected=_opt_ms(c, "disconnectedTime", where),
        disconnect_type=c.get("disconnectType"),
        held=bool(c.get("held", False)),
        hold_start=_opt_ms(c, "startHoldTime", where),
        muted=bool(c.get("muted", False)),
        confined=bool(c.get("confined", False)),
        recording=bool(c.get("recording", False)),
        peer_id=c.get("peerId"),
        segments=_segments(c.get("segments"), where),
        extra={k: v for k, v in c.items() if k not in _DERIVED},
    )
    return comm


def _wrapup(w: Mapping[str, Any], where: str) -> Wrapup:
    return Wrapup(
        code=str(w.get("code", "")),
        name=str(w.get("name", w.get("code", ""))),
        notes=w.get("notes"),
        tags=tuple(w.get("tags", ())),
        duration_seconds=w.get("durationSeconds"),
        end=_opt_ms(w, "endTime", where),
        provisional=bool(w.get("provisional", False)),
    )


def _communications(p: Participant, d: Mapping[str, Any], where: str) -> None:
    """Read every media array of ``d`` into ``p.comms``, in start order; a session added later
    shares the first one's direction and peer where its media model has none."""
    for key, media in _MEDIA_BY_KEY.items():
        for i, c in enumerate(d.get(key) or []):
            comm = _communication(media, c, f"{where}.{key}[{i}]")
            comm.start = comm.segments[0].start if comm.segments else p.start
            if not MEDIA_TRAITS[media].segments:
                comm.segments = _timeline(comm)
            if "scriptId" in c:
                p.script_id = c["scriptId"]
            p.comms.append(comm)
    if not p.comms:
        raise LoadError(f"{where} has no communication in any media list")
    p.comms.sort(key=lambda c: c.start)
    for comm in p.comms[1:]:  # a session added later shares the first one's (routing.add_media)
        traits = MEDIA_TRAITS[comm.media]
        if not traits.direction:
            comm.direction = p.comm.direction
        if not traits.peer:
            comm.peer_id = p.comm.peer_id


def _marks(p: Participant, d: Mapping[str, Any]) -> None:
    """The state the engine keeps but the JSON shows only through other fields."""
    if p.purpose == "ivr" and p.address and p.address.endswith(";user=ivr"):
        # sip:{flowId}@127.0.0.1;language=...;user=ivr (routing.enter_ivr; docs/realism.md)
        p.flow_id = p.address.removeprefix("sip:").split("@", 1)[0]
    if p.purpose in ("agent", "user") and not any(
        "afterCallWorkRequired" in c for key in _MEDIA_BY_KEY for c in d.get(key) or []
    ):
        p.wrapup_required = None  # never asked (a supervisor leg): not the same as "no"
    if p.barged_participant_id is not None:
        p.barged_time = p.connected
    if p.attributes.get("consultInitiator") == "true":
        # the engine sets both together when a consult starts (transfer.start_consult)
        p.transfer_source = "ACD" if p.queue_id else "Direct"


def _participant(d: Mapping[str, Any], where: str) -> Participant:
    """The engine participant of one ``Participant`` of the nested JSON."""
    p = Participant(
        id=_require(d, "id", where, str),
        purpose=_require(d, "purpose", where, str),
        start=_ms(d.get("startTime"), f"{where}.startTime"),
        name=d.get("name"),
        user_id=d.get("userId"),
        queue_id=d.get("queueId"),
        queue_name=d.get("queueName"),
        team_id=d.get("teamId"),
        group_id=d.get("groupId"),
        external_contact_id=d.get("externalContactId"),
        external_contact_division_id=d.get("externalContactInitialDivisionId"),
        external_organization_id=d.get("externalOrganizationId"),
        participant_type=d.get("participantType"),
        address=d.get("address"),
        ani=d.get("ani"),
        ani_name=d.get("aniName"),
        dnis=d.get("dnis"),
        locale=d.get("locale"),
        wrapup_required=d.get("wrapupRequired"),
        wrapup_prompt=d.get("wrapupPrompt"),
        wrapup_timeout_ms=d.get("wrapupTimeoutMs"),
        alerting_timeout_ms=d.get("alertingTimeoutMs"),
        wrapup_skipped=d.get("wrapupSkipped"),
        wrapup=_wrapup(d["wrapup"], f"{where}.wrapup") if "wrapup" in d else None,
        acw_start=_opt_ms(d, "startAcwTime", where),
        acw_end=_opt_ms(d, "endAcwTime", where),
        consult_participant_id=d.get("consultParticipantId"),
        monitored_participant_id=d.get("monitoredParticipantId"),
        coached_participant_id=d.get("coachedParticipantId"),
        barged_participant_id=d.get("bargedParticipantId"),
        media_roles=list(d.get("mediaRoles", [])),
        attributes={str(k): str(v) for k, v in (d.get("attributes") or {}).items()},
        routing=d.get("conversationRoutingData"),
        screen_recording_state=d.get("screenRecordingState"),
        flagged_reason=d.get("flaggedReason"),
        evaluations=list(d.get("evaluations", [])),
    )
    _communications(p, d, where)
    _marks(p, d)
    return p


def _consult(conv: Conversation) -> Consult | None:
    """A live consult is visible through the marks it leaves (``consultParticipantId`` on the
    customer, the initiator and the consulted leg; ``consultInitiator`` on the initiator)."""
    for p in conv.participants:
        if (
            p.active
            and p.attributes.get("consultInitiator") == "true"
            and (p.consult_participant_id)
        ):
            obj_id = p.consult_participant_id
            dest = [
                q
                for q in conv.participants
                if q.active
                and q.id not in (p.id, obj_id)
                and q.purpose not in ("ivr",)
                and (q.consult_participant_id == obj_id or q.purpose == "acd")
            ]
            if not dest:
                return None
            obj = conv.participant(obj_id)
            d = dest[-1]
            speak_to = (
                "DESTINATION"
                if obj.comm.confined
                else ("OBJECT" if d.comm.confined else "CONFERENCE")
            )
            return Consult(obj_id, p.id, d.id, speak_to)
    return None


def from_conversation_json(data: Mapping[str, Any]) -> Conversation:
    """Engine state for a nested ``Conversation`` document; raises :class:`LoadError`."""
    if not isinstance(data, Mapping):
        raise LoadError("a conversation must be a JSON object")
    cid = _require(data, "id", "conversation", str)
    parts = data.get("participants")
    if not isinstance(parts, list) or not parts:
        raise LoadError("conversation.participants must be a non-empty list")
    participants = [_participant(p, f"participants[{i}]") for i, p in enumerate(parts)]
    first = participants[0].comm
    seed = int.from_bytes(hashlib.blake2b(cid.encode(), digest_size=16).digest(), "big")
    conv = Conversation(
        id=cid,
        rng=random.Random(seed),
        start=_ms(data.get("startTime"), "conversation.startTime")
        if "startTime" in data
        else participants[0].start,
        media=first.media,
        # a user starts an internal message (library.internal_message); the nested model of
        # that medium has no direction
        originating_direction="outbound" if first.media == "internalMessage" else first.direction,
        address=data.get("address"),
        participants=participants,
        recording_state=str(data.get("recordingState", "NONE")).upper(),
        external_tag=data.get("externalTag"),
        division_ids=[
            d["division"]["id"]
            for d in data.get("divisions", [])
            if isinstance(d, Mapping) and isinstance(d.get("division"), Mapping)
        ],
    )
    for t in data.get("recentTransfers", []):
        dest = t.get("destination") or {}
        conv.transfers.append(
            Transfer(
                id=t.get("id", conv.new_id()),
                kind=t.get("transferType", "Unattended"),
                issued=_ms(t.get("dateIssued"), "recentTransfers.dateIssued"),
                initiator_user_id=(t.get("initiator") or {}).get("userId"),
                destination_user_id=dest.get("userId"),
                destination_address=dest.get("address"),
                state=t.get("state", "Complete"),
            )
        )
    conv.consult = _consult(conv)
    last = max(
        [conv.start]
        + [t for p in participants for t in (p.end, p.acw_end, p.acw_start, p.connected) if t]
        + [s.start for p in participants for c in p.comms for s in c.segments]
    )
    conv.log(last, "load", None)
    return conv
