"""Call control on a live leg: hold, resume, mute, record, attributes, flag, hang up."""

from __future__ import annotations

from .legs import describe, end_leg, require, require_present, require_time, settle
from .model import Conversation, EngineError, Participant
from .transfer import complete_consult, end_consult

__all__ = [
    "MAX_ATTRIBUTES",
    "MAX_ATTRIBUTE_CHARS",
    "disconnect",
    "end_media",
    "flag",
    "hold",
    "mute",
    "resume",
    "set_attributes",
    "set_recording",
]

INTERNAL = frozenset({"agent", "user"})


def _connected(conv: Conversation, participant_id: str, what: str) -> Participant:
    p = conv.participant(participant_id)
    if p.comm.state != "connected":  # not require(): the message is only built on failure
        raise EngineError(
            "participant.not.connected", f"{describe(p)} cannot {what}: it is not connected"
        )
    return p


def _object_of(conv: Conversation, p: Participant) -> Participant | None:
    """The party on the other end of an agent's leg (the customer it is peered with)."""
    peer = p.comm.peer_id
    if peer is None:
        return None
    other, _ = conv.communication(peer)
    return other


def hold(conv: Conversation, participant_id: str, at: int) -> None:
    """The agent puts the call on hold: agent ``held``, the customer hears music (``confined``)."""
    require_time(conv, at)
    p = _connected(conv, participant_id, "hold")
    require(p.purpose in INTERNAL, "participant.not.internal", f"{describe(p)} cannot hold")
    require(not p.comm.held, "participant.already.held", f"{describe(p)} is already on hold")
    c = p.comm
    c.held = True
    c.hold_start = at
    c.switch_segment("hold", at)
    other = _object_of(conv, p)
    if other is not None and other.active:
        other.comm.confined = True
    conv.log(at, "hold", p.id)


def resume(conv: Conversation, participant_id: str, at: int) -> None:
    require_time(conv, at)
    p = _connected(conv, participant_id, "resume")
    require(p.comm.held, "participant.not.held", f"{describe(p)} is not on hold")
    c = p.comm
    c.held = False
    c.hold_start = None
    c.switch_segment("interact", at)
    other = _object_of(conv, p)
    consult = conv.consult
    if (
        other is not None
        and other.active
        and not (
            consult is not None
            and consult.object_id == other.id
            and consult.speak_to == "DESTINATION"
        )
    ):
        other.comm.confined = False
    conv.log(at, "resume", p.id)


def mute(conv: Conversation, participant_id: str, at: int, muted: bool = True) -> None:
    require_time(conv, at)
    p = _connected(conv, participant_id, "mute")
    p.comm.muted = muted
    conv.log(at, "mute" if muted else "unmute", p.id)


def set_recording(conv: Conversation, at: int, state: str) -> None:
    """Conversation recording: ``ACTIVE``, ``PAUSED`` or ``NONE``; calls mirror it."""
    require_time(conv, at)
    state = state.upper()
    require(
        state in ("ACTIVE", "PAUSED", "NONE"),
        "bad.request",
        f"recordingState must be ACTIVE, PAUSED or NONE, not {state}",
        status=400,
    )
    require(conv.active, "conversation.ended", f"conversation {conv.id} has ended")
    conv.recording_state = state
    for p in conv.participants:
        for c in p.comms:
            if c.active and c.media == "call":
                c.recording = state == "ACTIVE"
    conv.log(at, "recording", None, state=state)


MAX_ATTRIBUTES = 1000
"""Attributes one participant may carry (inferred: the platform bounds participant data, the
exact figure is not published)."""
MAX_ATTRIBUTE_CHARS = 262_144
"""Characters of keys plus values one participant's attributes may total (inferred)."""


def set_attributes(conv: Conversation, participant_id: str, at: int, attrs: dict[str, str]) -> None:
    """Merge participant attributes (data a flow or script attaches to the conversation), up
    to :data:`MAX_ATTRIBUTES` and :data:`MAX_ATTRIBUTE_CHARS` after the merge."""
    require_time(conv, at)
    p = conv.participant(participant_id)
    merged = {**p.attributes, **{str(k): str(v) for k, v in attrs.items()}}
    chars = sum(len(k) + len(v) for k, v in merged.items())
    if len(merged) > MAX_ATTRIBUTES or chars > MAX_ATTRIBUTE_CHARS:
        raise EngineError(
            "attributes.too.large",
            f"{describe(p)} would carry {len(merged)} attributes of {chars} characters; "
            f"at most {MAX_ATTRIBUTES} attributes of {MAX_ATTRIBUTE_CHARS} characters in all",
            status=400,
            field="attributes",
        )
    p.attributes = merged
    conv.log(at, "attributes", p.id)


def flag(conv: Conversation, participant_id: str, at: int) -> None:
    """The agent flags the interaction for a supervisor (``flaggedReason: general``)."""
    require_time(conv, at)
    p = conv.participant(participant_id)
    require(p.purpose in INTERNAL, "participant.not.internal", f"{describe(p)} cannot flag")
    p.flagged_reason = "general"
    conv.log(at, "flag", p.id)


def end_media(conv: Conversation, participant_id: str, media: str, at: int) -> None:
    """Stop a secondary session (a screen share, a cobrowse) without leaving the conversation."""
    require_time(conv, at)
    p = conv.participant(participant_id)
    live = [c for c in p.comms[1:] if c.media == media and c.active]
    require(bool(live), "media.not.active", f"{describe(p)} has no live {media} session")
    for c in live:
        c.close(at, "client")
    conv.log(at, "media.end", p.id, media=media)


def disconnect(
    conv: Conversation, participant_id: str, at: int, disconnect_type: str | None = None
) -> None:
    """A participant hangs up; every other leg follows the rules in ``legs.settle``.

    The default ``disconnect_type`` is ``endpoint`` for the external party and ``client`` for a
    user. An alerting leg that hangs up declines; the initiator of a consult completes the
    transfer; the consulted party leaving ends the consult.
    """
    require_time(conv, at)
    p = conv.participant(participant_id)
    require_present(p, "participant.already.disconnected")
    consult = conv.consult
    if consult is not None and p.id == consult.initiator_id:
        complete_consult(conv, at)
        return
    if consult is not None and p.id == consult.destination_id:
        end_consult(conv, at, disconnect_type or "client")
        return
    if disconnect_type is None:
        disconnect_type = "endpoint" if p.purpose in ("customer", "external") else "client"
    end_leg(conv, p, at, disconnect_type)
    settle(conv, at)
