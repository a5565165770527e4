"""How a conversation starts and reaches an agent: inbound, IVR, queue, offers, voicemail.

Each operation takes the conversation and an explicit time in ms, checks its preconditions and
raises :class:`EngineError` naming the participant and its state when it cannot apply. The
conversations the org starts itself (``place_call``, ``schedule_callback``) live in
:mod:`.outbound`; they are re-exported here because users reach every start through
``gcmock.scenarios.routing``.
"""

from __future__ import annotations

import random
from typing import Any

from ..world import ExternalContact, IvrFlow, Queue, User, World
from ..world.ids import new_id
from .legs import (
    PROVIDERS,
    describe,
    end_leg,
    first_communication,
    join,
    require,
    require_present,
    require_time,
    settle,
    tel,
)
from .model import Communication, Conversation, EngineError, Participant, Segment
from .outbound import place_call, schedule_callback

__all__ = [
    "CALLBACK_ALERT_MS",
    "add_media",
    "answer",
    "decline",
    "enter_ivr",
    "leave_to_voicemail",
    "not_responding",
    "offer",
    "place_call",
    "route_to_queue",
    "schedule_callback",
    "start_inbound",
]


CALLBACK_ALERT_MS = 30000
"""Callbacks ring agents for 30 s (real callback sample), voice uses the queue's setting."""

HANDOFF_MS = (10, 30)
"""The next leg of a hand-off starts this many ms after the previous one ends (real samples)."""


def start_inbound(
    world: World,
    rng: random.Random,
    at: int,
    *,
    conversation_id: str | None = None,
    media: str = "call",
    dnis: str,
    ani: str | None = None,
    name: str | None = None,
    contact: ExternalContact | None = None,
    extra: dict[str, Any] | None = None,
    connected_after_ms: int = 0,
) -> Conversation:
    """A customer reaches the org: dials ``dnis`` (voice) or writes to it (digital media).

    A known ``contact`` fills the external contact and organization ids and the name. ``ani``
    and ``dnis`` are the world's own numbers (already E.164), so they are not normalised: no
    client names them.
    """
    conv = Conversation(
        id=conversation_id or new_id(rng),
        rng=rng,
        start=at,
        media=media,
        originating_direction="inbound",
        division_ids=[world.home_division.id],
    )
    number = contact.phone if contact is not None else ani
    require(
        number is not None, "bad.request", "start_inbound needs an ani or a contact", status=400
    )
    assert number is not None
    voice = media in ("call", "callback")
    fields: dict[str, Any] = {
        "name": name or (contact.name if contact else None),
        "address": tel(number) if voice else number,
        "ani": tel(number) if voice else None,
        "dnis": tel(dnis) if voice else None,
        "participant_type": "External",
    }
    if contact is not None:
        fields.update(
            external_contact_id=contact.id,
            external_contact_division_id=contact.division_id,
            external_organization_id=contact.organization_id,
            locale=contact.locale,
            ani_name=contact.name if voice else None,
        )
    conv.address = tel(dnis) if voice else dnis
    comms = first_communication(conv, at, media=media, segment="system", extra=extra)
    p = join(conv, Participant(new_id(conv.rng), "customer", at, comms, **fields))
    c = p.comm
    c.connected = at + connected_after_ms
    c.switch_segment("interact", c.connected)
    conv.log(at, "start", p.id, media=media)
    return conv


def enter_ivr(conv: Conversation, world: World, flow: IvrFlow, at: int) -> Participant:
    """The call enters an Architect inbound flow (an ``ivr`` leg peered with the customer)."""
    require_time(conv, at)
    customer = conv.customer
    require_present(customer)
    if any(p.purpose == "ivr" and p.active for p in conv.participants):
        raise EngineError("ivr.already.active", f"conversation {conv.id} is already in an IVR flow")
    dnis = customer.dnis or conv.address or ""
    lang = (customer.locale or "en-US").replace("_", "-")
    comms = first_communication(conv, at, segment="ivr", peer=customer.comm)
    p = join(
        conv,
        Participant(
            new_id(conv.rng),
            "ivr",
            at,
            comms,
            name=world.did_localities.get(dnis.removeprefix("tel:"), flow.name),
            address=f"sip:{flow.id}@127.0.0.1;language={lang};user=ivr",
            ani=customer.ani,
            dnis=customer.dnis,
            flow_id=flow.id,
            flow_name=flow.name,
            participant_type="Internal",
        ),
    )
    conv.log(at, "ivr.enter", p.id, flowId=flow.id)
    return p


def route_to_queue(
    conv: Conversation,
    world: World,
    queue: Queue,
    at: int,
    *,
    priority: int = 0,
    skill_ids: tuple[str, ...] | None = None,
    handoff_ms: int | None = None,
) -> Participant:
    """Put the conversation in ``queue``: a new ``acd`` leg; a live IVR leg ends with transfer."""
    require_time(conv, at)
    customer = conv.customer
    require_present(customer)
    if _live_acd(conv) is not None:
        raise EngineError(
            "conversation.already.queued", f"conversation {conv.id} is already waiting in a queue"
        )
    for p in conv.participants:
        if p.purpose == "ivr" and p.active:
            end_leg(conv, p, at, "transfer")
    gap = handoff_ms if handoff_ms is not None else conv.rng.randint(*HANDOFF_MS)
    start = at + gap
    skills = queue.skill_ids if skill_ids is None else skill_ids
    lang = (customer.locale or "en-US").replace("_", "-")
    address = f"sip:{queue.id}@127.0.0.1;language={lang};user=acd"
    extra, script_id = _inherited(conv)
    comms = first_communication(conv, start, segment="interact", peer=customer.comm, extra=extra)
    p = join(
        conv,
        Participant(
            new_id(conv.rng),
            "acd",
            start,
            comms,
            name=queue.name,
            address=address,
            ani=customer.ani,
            dnis=address if customer.ani else None,
            routing=_routing_data(queue.id, queue.language_id, priority, skills),
            participant_type="Internal",
            queue_id=queue.id,
            queue_name=queue.name,
            script_id=script_id,
        ),
    )
    customer.queue_id, customer.queue_name = queue.id, queue.name
    if queue.division_id not in conv.division_ids:
        conv.division_ids.append(queue.division_id)
    conv.log(start, "queue.enter", p.id, queueId=queue.id)
    return p


def _routing_data(
    queue_id: str, language_id: str, priority: int, skill_ids: tuple[str, ...]
) -> dict[str, Any]:
    """``ConversationRoutingData`` in API form: a new dict per leg, as projections hand it out
    as is (a cache shared by every leg would let one caller's edit reach them all)."""
    routing: dict[str, Any] = {
        "queue": {"id": queue_id, "selfUri": f"/api/v2/routing/queues/{queue_id}"},
        "priority": priority,
        "skills": [{"id": s, "selfUri": f"/api/v2/routing/skills/{s}"} for s in skill_ids],
        "scoredAgents": [],
    }
    if language_id:
        routing["language"] = {
            "id": language_id,
            "selfUri": f"/api/v2/routing/languages/{language_id}",
        }
    return routing


def _inherited(conv: Conversation) -> tuple[dict[str, Any] | None, str | None]:
    """What every leg of a callback repeats from the customer's callback, as in captured
    callbacks: the callback fields (its communication's ``extra``) and the script."""
    if conv.media != "callback":
        return None, None
    customer = conv.customer
    return customer.comm.extra, customer.script_id


def _live_acd(conv: Conversation) -> Participant | None:
    for p in conv.participants:
        if p.purpose == "acd" and p.active:
            return p
    return None


def _offering_queue(conv: Conversation, world: World, user: User, queue: Queue | None) -> Queue:
    """The queue an offer to ``user`` comes from, once nobody else is alerting and ``user`` is
    not on the conversation already."""
    if queue is None:
        acd = _live_acd(conv)
        if acd is None:
            raise EngineError(
                "conversation.not.queued",
                f"conversation {conv.id} is not waiting in a queue, so no agent can be offered it",
            )
        assert acd.queue_id is not None
        queue = world.queues_by_id[acd.queue_id]
    # plain conditions, not require(): the messages would be formatted on every offer
    for other in conv.participants:
        if other.purpose in ("agent", "user") and other.state == "alerting":
            raise EngineError(
                "offer.already.alerting",
                f"{describe(other)} is still being offered the conversation",
            )
    if any(other.user_id == user.id and other.active for other in conv.participants):
        raise EngineError(
            "user.already.on.conversation", f"user {user.id} is already on conversation {conv.id}"
        )
    return queue


def offer(
    conv: Conversation,
    world: World,
    user: User,
    at: int,
    *,
    queue: Queue | None = None,
    purpose: str = "agent",
) -> Participant:
    """Alert ``user``: every offer is a NEW agent participant, even for the same user.

    Without ``queue`` the offer comes from the live ACD leg (the usual case); a direct offer
    (a transfer to a user) passes the queue the conversation belongs to, if any.
    """
    require_time(conv, at)
    customer = conv.customer
    require_present(customer)
    queue = _offering_queue(conv, world, user, queue)
    alert_ms = CALLBACK_ALERT_MS if conv.media == "callback" else queue.alerting_timeout_ms
    extra, script_id = _inherited(conv)
    comms = first_communication(
        conv, at, state="alerting", segment="alert", peer=customer.comm, extra=extra
    )
    p = join(
        conv,
        Participant(
            new_id(conv.rng),
            purpose,
            at,
            comms,
            ani=f"sip:{customer.ani.removeprefix('tel:')}@{world.edge_ip};user=phone"
            if customer.ani
            else None,
            wrapup_required=False,
            wrapup_prompt=queue.wrapup_prompt,
            wrapup_timeout_ms=queue.wrapup_timeout_ms,
            alerting_timeout_ms=alert_ms,
            participant_type="Internal",
            script_id=script_id,
            user_id=user.id,
            name=user.name,
            team_id=user.team_id,
            address=user.station_address,
            dnis=user.station_address,
            locale=user.locale,
            queue_id=queue.id,
            queue_name=queue.name,
        ),
    )
    conv.log(at, "offer", p.id, userId=user.id, queueId=queue.id)
    return p


def answer(conv: Conversation, participant_id: str, at: int) -> Participant:
    """Pick up an alerting offer or a ringing outbound leg: it connects, the ACD leg hands off."""
    require_time(conv, at)
    p = conv.participant(participant_id)
    c = p.comm
    if c.state not in ("alerting", "contacting", "dialing", "scheduled"):
        raise EngineError(
            "participant.not.alerting", f"{describe(p)} cannot answer: it is not alerting"
        )
    c.state = "connected"
    c.connected = at
    c.switch_segment("interact", at)
    if p.purpose in ("agent", "user"):
        p.wrapup_required = p.wrapup_prompt not in (None, "agentRequested")
    # the other side of an outbound dial connects at the same moment
    for other in conv.participants:
        if (
            other.comms
            and other.comms[0].state in ("dialing", "contacting")
            and other is not p
            and (other.purpose in ("agent", "user") or other is conv.customer)
        ):
            other.comm.state = "connected"
            other.comm.connected = at
            other.comm.switch_segment("interact", at)
    acd = _live_acd(conv)
    if acd is not None and p.purpose in ("agent", "user") and p.queue_id == acd.queue_id:
        end_leg(conv, acd, at, "transfer")
        consult = conv.consult
        if consult is not None and consult.destination_id == acd.id:
            consult.destination_id = p.id
            p.consult_participant_id = consult.object_id
    if conv.customer.comm.state == "scheduled":
        cc = conv.customer.comm
        cc.state = "connected"
        cc.connected = at
        cc.switch_segment("interact", at)
    conv.log(at, "answer", p.id)
    return p


def _ring_off(conv: Conversation, participant_id: str, at: int, kind: str, dtype: str) -> None:
    require_time(conv, at)
    p = conv.participant(participant_id)
    require(
        p.comm.state == "alerting",
        "participant.not.alerting",
        f"{describe(p)} cannot {kind.replace('_', ' ')}: it is not alerting",
    )
    end_leg(conv, p, at, dtype)
    conv.log(at, kind, p.id)
    settle(conv, at)


def decline(conv: Conversation, participant_id: str, at: int) -> None:
    """The agent rejects the offer: the leg ends (``client``) without ever connecting."""
    _ring_off(conv, participant_id, at, "decline", "client")


def not_responding(conv: Conversation, participant_id: str, at: int) -> None:
    """The alert timed out: the agent goes not-responding and the leg ends (``system``)."""
    p = conv.participant(participant_id)
    if p.comm.alerting_start is not None and p.alerting_timeout_ms is not None:
        due = p.comm.alerting_start + p.alerting_timeout_ms
        require(
            at >= due,
            "alert.not.timed.out",
            f"{describe(p)} alerts until {due} ms; it cannot time out at {at} ms",
            status=400,
        )
    _ring_off(conv, participant_id, at, "not_responding", "system")


def leave_to_voicemail(conv: Conversation, at: int, *, user: User | None = None) -> Participant:
    """The caller leaves the queue for voicemail (a ``voicemail`` leg)."""
    require_time(conv, at)
    customer = conv.customer
    require_present(customer)
    acd = _live_acd(conv)
    require(acd is not None, "conversation.not.queued", f"conversation {conv.id} is not queued")
    assert acd is not None
    end_leg(conv, acd, at, "transfer")
    comms = first_communication(conv, at, segment="voicemail", peer=customer.comm)
    p = join(
        conv,
        Participant(
            new_id(conv.rng),
            "voicemail",
            at,
            comms,
            name="Voicemail",
            queue_id=acd.queue_id,
            queue_name=acd.queue_name,
            user_id=user.id if user else None,
            participant_type="Internal",
        ),
    )
    conv.log(at, "voicemail", p.id)
    return p


def add_media(
    conv: Conversation,
    participant_id: str,
    media: str,
    at: int,
    *,
    extra: dict[str, Any] | None = None,
) -> None:
    """Add a second communication (screen share, cobrowse, video) to a connected participant."""
    require_time(conv, at)
    p = conv.participant(participant_id)
    require(p.active, "participant.not.connected", f"{describe(p)} is not on the conversation")
    if any(c.media == media and c.active for c in p.comms):
        raise EngineError(
            "media.already.active", f"{describe(p)} already has a live {media} session"
        )
    p.comms.append(
        Communication(
            id=conv.new_id(),
            media=media,
            direction=p.comm.direction,
            initial_state="connected",
            state="connected",
            start=at,
            provider=PROVIDERS[media],
            connected=at,
            peer_id=p.comm.peer_id,
            segments=[Segment("sharing" if media != "video" else "interact", at)],
            extra=dict(extra) if extra else {},
        )
    )
    conv.log(at, "media.add", p.id, media=media)
