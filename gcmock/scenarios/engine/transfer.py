"""Transfers: blind (to a queue, a user or a number), consult (attended) and conference.

During a consult the customer waits ``confined`` (hears music), not ``held``; the initiator and
the consulted leg carry ``consultParticipantId`` = the customer's participant id, as in captured
consults (docs/realism.md).
"""

from __future__ import annotations

from typing import Literal

from ..world import Queue, User, World
from ..world.ids import new_id
from .addresses import normalise_address
from .legs import (
    clear_consult,
    describe,
    end_leg,
    first_communication,
    join,
    require,
    require_time,
    ringing_state,
    settle,
)
from .model import Consult, Conversation, Participant, Transfer
from .routing import offer, route_to_queue

__all__ = [
    "SPEAK_TO",
    "blind_transfer",
    "cancel_consult",
    "change_speak_to",
    "complete_consult",
    "end_consult",
    "start_consult",
]

SPEAK_TO = ("DESTINATION", "OBJECT", "BOTH", "CONFERENCE")
SpeakTo = Literal["DESTINATION", "OBJECT", "BOTH", "CONFERENCE"]


def _transferring_agent(conv: Conversation, participant_id: str) -> Participant:
    p = conv.participant(participant_id)
    require(
        p.purpose in ("agent", "user") and p.comm.state == "connected",
        "participant.not.connected",
        f"{describe(p)} cannot transfer: only a connected agent or user can",
    )
    require(
        conv.consult is None,
        "consult.in.progress",
        f"conversation {conv.id} has a consult in progress; complete or cancel it first",
    )
    require(conv.customer.active, "conversation.ended", f"conversation {conv.id} has ended")
    return p


def _external_leg(conv: Conversation, at: int, number: str, name: str | None) -> Participant:
    """The far end rung at ``number`` (normalised): it rings until the autopilot, or a PATCH,
    answers it, in the ringing state of the conversation's media."""
    customer = conv.customer
    state = ringing_state(conv.media)
    segment = "contacting" if state == "contacting" else "alert"
    comms = first_communication(
        conv, at, direction="outbound", state=state, segment=segment, peer=customer.comm
    )
    return join(
        conv,
        Participant(
            new_id(conv.rng),
            "external",
            at,
            comms,
            name=name,
            address=number,
            ani=customer.ani,
            dnis=number,
            participant_type="External",
        ),
    )


def _record_transfer(
    conv: Conversation,
    at: int,
    kind: str,
    initiator: Participant,
    *,
    user: User | None = None,
    address: str | None = None,
) -> None:
    conv.transfers.append(
        Transfer(
            id=conv.new_id(),
            kind=kind,
            issued=at,
            initiator_user_id=initiator.user_id,
            destination_user_id=user.id if user else None,
            destination_address=address,
        )
    )
    del conv.transfers[:-20]


def blind_transfer(
    conv: Conversation,
    world: World,
    participant_id: str,
    at: int,
    *,
    queue: Queue | None = None,
    user: User | None = None,
    address: str | None = None,
) -> Participant:
    """Hand the customer to a queue, a user or a number; the transferring leg ends (``transfer``).

    Returns the new leg: an ``acd`` leg for a queue, an alerting agent for a user, an ``external``
    leg ringing out for a number.
    """
    require(
        sum(x is not None for x in (queue, user, address)) == 1,
        "bad.request",
        "a transfer needs exactly one destination: a queue, a user or an address",
        status=400,
    )
    if address is not None:
        address = normalise_address(address)
    require_time(conv, at)
    agent = _transferring_agent(conv, participant_id)
    end_leg(conv, agent, at, "transfer")
    customer = conv.customer
    customer.comm.confined = False
    conv.log(at, "transfer.blind", agent.id)
    if queue is not None:
        new = route_to_queue(conv, world, queue, at, handoff_ms=0)
    elif user is not None:
        home = world.queues_by_id.get(agent.queue_id) if agent.queue_id else None
        new = offer(conv, world, user, at, queue=home)
    else:
        assert address is not None
        new = _external_leg(conv, at, address, None)
    _record_transfer(conv, at, "Unattended", agent, user=user, address=address)
    settle(conv, at)
    return new


def _consult_initiator(
    conv: Conversation, obj: Participant, initiator_id: str | None
) -> Participant:
    """The agent who consults about ``obj``: the one named, or else the only agent connected to
    it."""
    if initiator_id is None:
        peers = [
            p
            for p in conv.participants
            if p.purpose in ("agent", "user")
            and p.comm.state == "connected"
            and p.comm.peer_id == obj.comm.id
        ]
        require(
            len(peers) == 1,
            "consult.initiator.ambiguous",
            f"conversation {conv.id} needs exactly one connected agent to start a consult",
        )
        initiator_id = peers[0].id
    initiator = _transferring_agent(conv, initiator_id)
    require(initiator is not obj, "bad.request", "an agent cannot consult about itself", status=400)
    return initiator


def start_consult(
    conv: Conversation,
    world: World,
    object_id: str,
    at: int,
    *,
    initiator_id: str | None = None,
    queue: Queue | None = None,
    user: User | None = None,
    address: str | None = None,
    speak_to: SpeakTo = "DESTINATION",
) -> Participant:
    """The agent talking to ``object_id`` (the customer) calls a colleague, a queue or a number.

    Returns the destination leg (an alerting agent, an ``acd`` leg or an ``external`` leg).
    """
    require(
        sum(x is not None for x in (queue, user, address)) == 1,
        "bad.request",
        "a consult needs exactly one destination: a queue, a user or an address",
        status=400,
    )
    if address is not None:
        address = normalise_address(address)
    require(
        speak_to in SPEAK_TO,
        "bad.request",
        f"speakTo {speak_to} is not one of {SPEAK_TO}",
        status=400,
    )
    require_time(conv, at)
    obj = conv.participant(object_id)
    require(obj.active, "participant.not.connected", f"{describe(obj)} is not on the call")
    initiator = _consult_initiator(conv, obj, initiator_id)
    if initiator.comm.held:
        initiator.comm.held = False
        initiator.comm.hold_start = None
        initiator.comm.switch_segment("interact", at)
    if queue is not None:
        dest = route_to_queue(conv, world, queue, at, handoff_ms=0)
    elif user is not None:
        home = world.queues_by_id.get(initiator.queue_id) if initiator.queue_id else None
        dest = offer(conv, world, user, at, queue=home)
        dest.consult_participant_id = obj.id
    else:
        assert address is not None
        dest = _external_leg(conv, at, address, None)
        dest.consult_participant_id = obj.id
    dest.comm.peer_id = initiator.comm.id
    obj.consult_participant_id = obj.id
    initiator.consult_participant_id = obj.id
    initiator.attributes["consultInitiator"] = "true"
    initiator.transfer_source = "ACD" if initiator.queue_id else "Direct"
    conv.consult = Consult(obj.id, initiator.id, dest.id, speak_to)
    _apply_speak_to(conv)
    conv.log(at, "consult.start", initiator.id, destination=dest.id, speakTo=speak_to)
    return dest


def _apply_speak_to(conv: Conversation) -> None:
    consult = conv.consult
    assert consult is not None
    obj = conv.participant(consult.object_id)
    dest = conv.participant(consult.destination_id)
    obj.comm.confined = consult.speak_to == "DESTINATION"
    if dest.active:
        dest.comm.confined = consult.speak_to == "OBJECT"


def _consult_of(conv: Conversation, object_id: str | None) -> Consult:
    """The consult in progress; with ``object_id``, it must be about that participant (the
    customer named in ``.../participants/{pid}/consult``)."""
    consult = conv.consult
    require(consult is not None, "consult.not.found", f"conversation {conv.id} has no consult")
    assert consult is not None
    require(
        object_id is None or object_id == consult.object_id,
        "consult.not.found",
        f"participant {object_id} is not the one being transferred in conversation {conv.id}",
        status=404,
    )
    return consult


def change_speak_to(
    conv: Conversation, at: int, speak_to: SpeakTo, *, object_id: str | None = None
) -> None:
    """``PATCH .../consult``: who the initiator talks to; ``CONFERENCE`` joins all three."""
    require_time(conv, at)
    _consult_of(conv, object_id)
    require(
        speak_to in SPEAK_TO,
        "bad.request",
        f"speakTo {speak_to} is not one of {SPEAK_TO}",
        status=400,
    )
    assert conv.consult is not None
    conv.consult.speak_to = speak_to
    _apply_speak_to(conv)
    if speak_to == "CONFERENCE":
        for pid in (conv.consult.object_id, conv.consult.initiator_id, conv.consult.destination_id):
            c = conv.participant(pid).comm
            if c.state == "connected" and not c.held:
                c.switch_segment("interact", at, conference=True)
    conv.log(at, "consult.speakto", conv.consult.initiator_id, speakTo=speak_to)


def cancel_consult(conv: Conversation, at: int, *, object_id: str | None = None) -> None:
    """``DELETE .../consult``: the consulted leg is dropped and the initiator is back with the
    customer; every consult mark is removed, as in a captured cancel."""
    require_time(conv, at)
    consult = _consult_of(conv, object_id)
    dest = conv.participant(consult.destination_id)
    for p in conv.participants:
        if p.active and (p is dest or (dest.purpose == "acd" and p.comm.state == "alerting")):
            end_leg(conv, p, at, "client")
    clear_consult(conv, consult)
    conv.consult = None
    conv.log(at, "consult.cancel", consult.initiator_id)
    settle(conv, at)


def end_consult(conv: Conversation, at: int, disconnect_type: str = "client") -> None:
    """The consulted party hangs up: the initiator is back with the customer."""
    consult = _consult_of(conv, None)
    end_leg(conv, conv.participant(consult.destination_id), at, disconnect_type)
    clear_consult(conv, consult)
    conv.consult = None
    conv.log(at, "consult.end", consult.destination_id)
    settle(conv, at)


def complete_consult(conv: Conversation, at: int) -> None:
    """The initiator hangs up: the customer stays with the consulted party.

    The initiator's leg ends with ``transfer.consult``, or ``transfer.conference`` when it
    leaves a three-way conference.
    """
    require_time(conv, at)
    consult = _consult_of(conv, None)
    initiator = conv.participant(consult.initiator_id)
    dest = conv.participant(consult.destination_id)
    require(dest.active, "consult.destination.gone", f"{describe(dest)} has already left")
    dtype = "transfer.conference" if consult.speak_to == "CONFERENCE" else "transfer.consult"
    end_leg(conv, initiator, at, dtype)
    obj = conv.participant(consult.object_id)
    obj.comm.confined = False
    if dest.active:
        dest.comm.confined = False
        dest.comm.peer_id = obj.comm.id
    _record_transfer(
        conv,
        at,
        "Attended",
        initiator,
        address=dest.address if dest.purpose == "external" else None,
    )
    if dest.user_id:
        conv.transfers[-1].destination_user_id = dest.user_id
    conv.consult = None
    conv.log(at, "consult.complete", initiator.id, disconnectType=dtype)
    settle(conv, at)
