"""How the org starts a conversation itself: a user dials out, a customer's callback is scheduled.

Like every operation, each takes an explicit time in ms and raises :class:`EngineError` when it
cannot apply."""

from __future__ import annotations

import random
from typing import Any

from ..world import ExternalContact, Queue, User, World
from ..world.ids import new_id
from .addresses import e164, normalise_address
from .legs import first_communication, join, require, tel
from .model import Conversation, Participant

__all__ = ["place_call", "schedule_callback"]


def _user_fields(world: World, user: User) -> dict[str, Any]:
    return {
        "user_id": user.id,
        "name": user.name,
        "team_id": user.team_id,
        "address": user.station_address,
        "dnis": user.station_address,
        "locale": user.locale,
    }


def _contact_fields(contact: ExternalContact) -> dict[str, Any]:
    """The far end's link to the known customer it is."""
    return {
        "external_contact_id": contact.id,
        "external_contact_division_id": contact.division_id,
        "external_organization_id": contact.organization_id,
    }


def _queue_fields(queue: Queue) -> dict[str, Any]:
    return {"queue_id": queue.id, "queue_name": queue.name}


def place_call(
    world: World,
    rng: random.Random,
    at: int,
    *,
    user: User,
    number: str,
    queue: Queue | None = None,
    contact: ExternalContact | None = None,
    conversation_id: str | None = None,
) -> Conversation:
    """A user dials out (``POST /conversations/calls``): the user leg dials, the far end rings.

    From a queue the caller is an ``agent`` and the far end a ``customer``; otherwise a ``user``
    calling an ``external`` party. ``number`` is normalised (a bad one is refused).
    """
    address = normalise_address(number, "number")
    caller_id = queue.calling_party_number if queue is not None else world.queues[0].dnis[0]
    conv = Conversation(
        id=conversation_id or new_id(rng),
        rng=rng,
        start=at,
        media="call",
        originating_direction="outbound",
        address=tel(caller_id),
        division_ids=[world.home_division.id],
    )
    purpose = "agent" if queue is not None else "user"
    fields = _user_fields(world, user)
    fields["dnis"] = address
    comms = first_communication(conv, at, direction="outbound", state="dialing", segment="dialing")
    agent = join(
        conv,
        Participant(
            new_id(conv.rng),
            purpose,
            at,
            comms,
            ani=tel(caller_id),
            wrapup_required=queue is not None,
            wrapup_prompt=queue.wrapup_prompt if queue else None,
            wrapup_timeout_ms=queue.wrapup_timeout_ms if queue else None,
            participant_type="Internal",
            **fields,
            **(_queue_fields(queue) if queue else {}),
        ),
    )
    customer = _far_end(conv, at, address, caller_id, queue, contact)
    agent.comm.peer_id = customer.comm.id
    customer.comm.peer_id = agent.comm.id
    agent.comm.switch_segment("contacting", at + conv.rng.randint(20, 60))
    conv.log(at, "dial", agent.id, number=e164(address))
    return conv


def _far_end(
    conv: Conversation,
    at: int,
    address: str,
    caller_id: str,
    queue: Queue | None,
    contact: ExternalContact | None,
) -> Participant:
    """The called party of :func:`place_call`: it rings (``contacting``) while the caller dials."""
    far: dict[str, Any] = {
        "name": contact.name if contact else None,
        "address": address,
        "ani": tel(caller_id),
        "dnis": address,
        "participant_type": "External",
    }
    if contact is not None:
        far.update(_contact_fields(contact))
    if queue is not None:
        far.update(queue_id=queue.id, queue_name=queue.name)
    comms = first_communication(
        conv, at, direction="outbound", state="contacting", segment="contacting"
    )
    return join(
        conv,
        Participant(
            new_id(conv.rng), "customer" if queue is not None else "external", at, comms, **far
        ),
    )


def schedule_callback(
    world: World,
    rng: random.Random,
    at: int,
    *,
    queue: Queue,
    number: str,
    name: str,
    scheduled_ms: int,
    contact: ExternalContact | None = None,
    conversation_id: str | None = None,
) -> Conversation:
    """A customer asks to be called back: a scheduled callback leg, then queued like a call."""
    require(
        scheduled_ms >= at, "bad.request", "a callback cannot be scheduled in the past", status=400
    )
    address = normalise_address(number, "number", sip=False)
    conv = Conversation(
        id=conversation_id or new_id(rng),
        rng=rng,
        start=at,
        media="callback",
        originating_direction="outbound",
        address=address,
        division_ids=[world.home_division.id],
    )
    extra = {
        "callbackNumbers": [e164(address)],
        "callbackUserName": name,
        "externalCampaign": False,
        "skipEnabled": True,
        "timeoutSeconds": 0,
        "callbackScheduledTime": scheduled_ms,
        "callerId": queue.calling_party_number,
        "callerIdName": queue.name,
    }
    fields: dict[str, Any] = {
        "name": name,
        "address": address,
        "participant_type": "External",
        "queue_id": queue.id,
        "queue_name": queue.name,
        "script_id": world.script_ids[0],
    }
    if contact is not None:
        fields.update(_contact_fields(contact))
    comms = first_communication(
        conv, at, direction="outbound", state="scheduled", segment="scheduled", extra=extra
    )
    p = join(conv, Participant(new_id(conv.rng), "customer", at, comms, **fields))
    conv.log(at, "callback.scheduled", p.id, scheduledTime=scheduled_ms)
    return conv
