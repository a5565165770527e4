"""Supervisors joining a live agent: monitor (listen), coach (whisper), barge (join everyone).

The supervisor is a new ``user`` leg pointing at the agent through ``monitoredParticipantId``,
``coachedParticipantId`` or ``bargedParticipantId``; it ends when the agent's leg ends, so the
target's connected span always covers it.
"""

from __future__ import annotations

from typing import Literal

from ..world import User, World
from .legs import describe, first_communication, join, require, require_time
from .model import Conversation, Participant, new_id

__all__ = ["barge", "coach", "monitor"]

Mode = Literal["monitor", "coach", "barge"]

_SEGMENT = {"monitor": "monitoring", "coach": "coaching", "barge": "barging"}


def _join(
    conv: Conversation, world: World, target_id: str, supervisor: User, at: int, mode: Mode
) -> Participant:
    require_time(conv, at)
    target = conv.participant(target_id)
    require(
        target.purpose in ("agent", "user") and target.comm.state == "connected",
        "participant.not.connected",
        f"{describe(target)} cannot be {mode}ed: only a connected agent can",
    )
    require(
        not any(
            p.active
            and target_id
            in (p.monitored_participant_id, p.coached_participant_id, p.barged_participant_id)
            for p in conv.participants
        ),
        "participant.already.monitored",
        f"{describe(target)} already has a supervisor listening",
    )
    require(
        not any(p.user_id == supervisor.id and p.active for p in conv.participants),
        "user.already.on.conversation",
        f"user {supervisor.id} is already on conversation {conv.id}",
    )
    comms = first_communication(
        conv, at, direction="outbound", segment=_SEGMENT[mode], peer=target.comm
    )
    p = join(
        conv,
        Participant(
            new_id(conv.rng),
            "user",
            at,
            comms,
            name=supervisor.name,
            user_id=supervisor.id,
            team_id=supervisor.team_id,
            address=supervisor.station_address,
            dnis=target.address,
            locale=supervisor.locale,
            media_roles=["full" if mode == "barge" else mode],
            participant_type="Internal",
        ),
    )
    if mode == "monitor":
        p.monitored_participant_id = target.id
    elif mode == "coach":
        p.coached_participant_id = target.id
    else:
        p.barged_participant_id = target.id
        p.barged_time = at
    conv.log(at, mode, p.id, target=target.id)
    return p


def monitor(
    conv: Conversation, world: World, target_id: str, supervisor: User, at: int
) -> Participant:
    """Listen to ``target_id`` without being heard (not announced to agent or customer)."""
    return _join(conv, world, target_id, supervisor, at, "monitor")


def coach(
    conv: Conversation, world: World, target_id: str, supervisor: User, at: int
) -> Participant:
    """Listen and speak to the agent only."""
    return _join(conv, world, target_id, supervisor, at, "coach")


def barge(
    conv: Conversation, world: World, target_id: str, supervisor: User, at: int
) -> Participant:
    """Join the call as a full party (a barged-in conference)."""
    return _join(conv, world, target_id, supervisor, at, "barge")
