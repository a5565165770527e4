"""Shared building blocks of the operations: adding a leg, checking a precondition, settling.

``settle`` is the one place that decides what happens to the other legs when one ends, so every
operation that ends a leg (disconnect, transfer, abandon...) keeps the same invariants.
"""

from __future__ import annotations

from typing import Any

from ..world.ids import new_id
from .model import (
    Communication,
    Consult,
    Conversation,
    EngineError,
    Participant,
    Segment,
)

__all__ = [
    "HANDLER_PURPOSES",
    "MEDIA_STATES",
    "PROVIDERS",
    "SUPERVISOR_ROLES",
    "clear_consult",
    "describe",
    "end_leg",
    "first_communication",
    "join",
    "require",
    "require_present",
    "require_time",
    "ringing_state",
    "settle",
    "tel",
]

PROVIDERS: dict[str, str] = {
    "call": "Edge",
    "callback": "PureCloud Callback",
    "chat": "PureCloud Webchat v2",
    "cobrowse": "PureCloud Cobrowse",
    "email": "PureCloud Email",
    "internalMessage": "PureCloud Internal Messaging",
    "message": "PureCloud Messaging",
    "screenMonitoring": "PureCloud Screen Monitoring",
    "screenshare": "PureCloud Screen Share",
    "socialExpression": "PureCloud Social",
    "video": "PureCloud Video",
}

_STATES = "alerting dialing contacting offering connected disconnected terminated"
MEDIA_STATES: dict[str, frozenset[str]] = {
    "call": frozenset(f"{_STATES} converting uploading transmitting none".split()),
    "callback": frozenset(f"{_STATES} scheduled none".split()),
    "chat": frozenset(f"{_STATES} none".split()),
    "cobrowse": frozenset(f"{_STATES} scheduled none".split()),
    "email": frozenset(["alerting", "connected", "disconnected", "none", "parked", "transmitting"]),
    "internalMessage": frozenset(["alerting", "connected", "disconnected"]),
    "message": frozenset(["alerting", "connected", "parked", "disconnected"]),
    "screenMonitoring": frozenset(["none", "connected", "disconnected"]),
    "screenshare": frozenset(f"{_STATES} none".split()),
    "socialExpression": frozenset(f"{_STATES} none".split()),
    "video": frozenset(f"{_STATES} none".split()),
}
"""The states each media's communication may be in: the ``state`` enum of its SDK model (a
message has no ``contacting``, a screen monitoring never alerts)."""

HANDLER_PURPOSES = frozenset({"ivr", "acd", "agent", "user", "voicemail", "external", "workflow"})
"""Legs that keep a customer's communication alive; when none is left the customer is dropped."""

SUPERVISOR_ROLES = frozenset({"monitor", "coach"})


def ringing_state(media: str) -> str:
    """The state of a leg rung out to an address that has not answered yet: ``contacting``
    where the media has that state, else ``alerting`` (messages, emails, internal messages)."""
    return "contacting" if "contacting" in MEDIA_STATES[media] else "alerting"


def require(cond: bool, code: str, message: str, *, status: int = 409) -> None:
    if not cond:
        raise EngineError(code, message, status=status)


def require_time(conv: Conversation, at: int) -> None:
    """Operations apply in time order: an operation before the last one is a caller bug, or,
    through the server, a clock set back before the conversation's last change (a 409: the
    conversation's state is ahead of the request)."""
    last = conv.events[-1].at if conv.events else conv.start
    if at < last:  # not require(): its message would be formatted on every operation
        raise EngineError(
            "time.out.of.order",
            f"conversation {conv.id}: operation at {at} ms is before the last change at {last} ms",
            status=409,
        )


def describe(p: Participant) -> str:
    return f"participant {p.id} ({p.purpose}, {p.state})"


def require_present(p: Participant, code: str = "conversation.ended") -> None:
    """``p`` has not left. Not ``require()``: this runs on most operations, and the message
    (which describes ``p``) is only worth building when it fails."""
    if not p.active:
        raise EngineError(code, f"{describe(p)} has already left")


def first_communication(
    conv: Conversation,
    at: int,
    *,
    media: str | None = None,
    direction: str = "inbound",
    state: str = "connected",
    segment: str = "interact",
    peer: Communication | None = None,
    extra: dict[str, Any] | None = None,
) -> list[Communication]:
    """The ``comms`` of a participant joining at ``at``: one communication, connected at ``at``
    if it starts connected, alerting from ``at`` if it starts alerting.

    Draw it before the participant's id (a conversation's ids come from its random stream in
    that order). Callers build the :class:`Participant` themselves and :func:`join` it: passing
    its fields through here as keywords cost a sixth of bulk generation.
    """
    media = media or conv.media
    return [
        Communication(
            new_id(conv.rng),
            media,
            direction,
            state,
            state,
            at,
            PROVIDERS[media],
            at if state == "alerting" else None,
            at if state == "connected" else None,
            None,  # disconnected
            None,  # disconnect_type
            False,  # held
            None,  # hold_start
            False,  # muted
            False,  # confined
            False,  # recording
            peer.id if peer is not None else None,
            [Segment(segment, at)],
            dict(extra) if extra else {},
        )
    ]


def join(conv: Conversation, p: Participant) -> Participant:
    """Add the new participant ``p`` to the conversation."""
    conv.participants.append(p)
    return p


def end_leg(conv: Conversation, p: Participant, at: int, disconnect_type: str) -> None:
    """End every live communication of ``p``; a leg that talked and owes wrap-up enters ACW."""
    for c in p.comms:
        if c.active:
            c.close(at, disconnect_type)
    if p.wrapup_required and p.connected is not None and p.acw_start is None:
        p.acw_start = at
    conv.log(at, "disconnect", p.id, disconnectType=disconnect_type)


def settle(conv: Conversation, at: int) -> None:
    """Apply the knock-on effects of legs that just ended, until nothing changes.

    - the customer gone: every other live leg ends with ``peer``;
    - no handler left with the customer: the customer is dropped (``peer``);
    - a monitor, coach or barge whose target ended ends with it (``peer``).
    """
    customer = conv.customer
    while True:
        changed = False
        if not customer.active:
            for p in conv.participants:
                if p.active:
                    end_leg(conv, p, at, "peer")
            break  # nobody is left for the rules below to end
        if not any(
            p.purpose in HANDLER_PURPOSES
            and p is not customer
            and not _is_supervisor(p)
            and p.active
            for p in conv.participants
        ):
            end_leg(conv, customer, at, "peer")
            changed = True
        for p in conv.participants:
            target_id = (
                p.monitored_participant_id or p.coached_participant_id or p.barged_participant_id
            )
            if target_id is not None and p.active and not conv.participant(target_id).active:
                end_leg(conv, p, at, "peer")
                changed = True
        if not changed:
            break
    consult = conv.consult
    if consult is not None and not customer.active:
        clear_consult(conv, consult)
        conv.consult = None


def clear_consult(conv: Conversation, consult: Consult) -> None:
    """Remove every consult mark (ids, the initiator's attribute, the customer's music)."""
    for p in conv.participants:
        if p.consult_participant_id == consult.object_id:
            p.consult_participant_id = None
    initiator = conv.participant(consult.initiator_id)
    initiator.attributes.pop("consultInitiator", None)
    initiator.transfer_source = None
    obj = conv.participant(consult.object_id)
    if obj.active:
        obj.comm.confined = False


def _is_supervisor(p: Participant) -> bool:
    return (
        p.monitored_participant_id is not None
        or p.coached_participant_id is not None
        or p.barged_participant_id is not None
    )


def tel(number: str) -> str:
    """A phone number as a voice leg's address (``tel:+1...``)."""
    return f"tel:{number}"
