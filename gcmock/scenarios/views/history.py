"""The ``CallHistoryConversation`` projection of ``GET /api/v2/conversations/calls/history``.

A pure function of one engine conversation, like the other projections. The flags read
"from the current user's point of view"; without a user (client credentials) they describe the
conversation as a whole.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from ..engine.model import Communication, Conversation, Participant
from ..world import World
from .directory import external_contact_json, external_organization_json, queue_json, user_json
from .projection import iso

__all__ = ["EXPANDABLE", "has_media", "to_call_history_json", "user_took_part"]

EXPANDABLE = frozenset({"user", "queue", "externalcontact", "externalorganization"})
"""``expand`` values: the named refs become the full directory objects."""

_HANDLERS = frozenset({"agent", "user"})


def has_media(conv: Conversation, media: str) -> bool:
    return any(c.media == media for p in conv.participants for c in p.comms)


def user_took_part(conv: Conversation, user_id: str, media: str = "call") -> bool:
    return any(
        p.user_id == user_id and any(c.media == media for c in p.comms) for p in conv.participants
    )


def _ref(kind: str, eid: str, name: str | None = None) -> dict[str, Any]:
    d: dict[str, Any] = {"id": eid}
    if name is not None:
        d["name"] = name
    d["selfUri"] = f"/api/v2/{kind}/{eid}"
    return d


def _participant(
    world: World, p: Participant, c: Communication, expand: Collection[str]
) -> dict[str, Any]:
    d: dict[str, Any] = {"id": p.id}
    if p.name is not None:
        d["name"] = p.name
    if p.address is not None:
        d["address"] = p.address
    d["startTime"] = iso(c.start)
    if c.disconnected is not None:
        d["endTime"] = iso(c.disconnected)
    d["purpose"] = p.purpose
    d["direction"] = c.direction
    if p.ani is not None:
        d["ani"] = p.ani
    if p.dnis is not None:
        d["dnis"] = p.dnis
    user = world.users_by_id.get(p.user_id) if p.user_id else None
    if user is not None:
        d["user"] = (
            user_json(world, user) if "user" in expand else _ref("users", user.id, user.name)
        )
    queue = world.queues_by_id.get(p.queue_id) if p.queue_id else None
    if queue is not None:
        d["queue"] = (
            queue_json(world, queue)
            if "queue" in expand
            else _ref("routing/queues", queue.id, queue.name)
        )
    if c.disconnect_type is not None:
        d["disconnectType"] = c.disconnect_type
    contact = world.contacts_by_id.get(p.external_contact_id) if p.external_contact_id else None
    if contact is not None:
        d["externalContact"] = (
            external_contact_json(world, contact)
            if "externalcontact" in expand
            else _ref("externalcontacts/contacts", contact.id)
        )
    org_id = p.external_organization_id
    org = world.organizations_by_id.get(org_id) if org_id else None
    if org is not None:
        d["externalOrganization"] = (
            external_organization_json(world, org)
            if "externalorganization" in expand
            else _ref("externalcontacts/organizations", org.id, org.name)
        )
    d["didInteract"] = c.connected is not None
    if p.flagged_reason is not None:
        d["flaggedReason"] = p.flagged_reason
    return d


def to_call_history_json(
    conv: Conversation, world: World, user_id: str | None, expand: Collection[str] = ()
) -> dict[str, Any]:
    calls = [(p, c) for p in conv.participants for c in p.comms if c.media == "call"]
    mine = [(p, c) for p, c in calls if user_id is not None and p.user_id == user_id]
    handlers = mine if user_id is not None else [(p, c) for p, c in calls if p.purpose in _HANDLERS]
    voicemail = [
        p
        for p in conv.participants
        if p.purpose == "voicemail" and (user_id is None or p.user_id == user_id)
    ]
    comms = [c for p in conv.participants for c in p.comms]
    d: dict[str, Any] = {
        "id": conv.id,
        "participants": [_participant(world, p, c, expand) for p, c in calls],
        "direction": mine[0][1].direction if mine else conv.originating_direction,
        "wentToVoicemail": bool(voicemail),
        "missedCall": not any(c.connected is not None for _, c in handlers),
        "startTime": iso(mine[0][1].start if mine else conv.start),
        "wasConference": any(s.conference for c in comms for s in c.segments),
        "wasCallback": conv.media == "callback" or any(c.media == "callback" for c in comms),
        "hadScreenShare": any(c.media == "screenshare" for c in comms),
        "hadCobrowse": any(c.media == "cobrowse" for c in comms),
        "wasOutboundCampaign": False,
        "selfUri": f"/api/v2/conversations/calls/{conv.id}",
    }
    return d
