"""Presence and routing-status JSON: the organization's presence definitions (both API families),
a user's presence and routing status, a queue member, and the notification bodies of a change."""

from __future__ import annotations

from typing import Any

from ..engine.roster import AgentStatus, Presence
from ..world import User
from ..world.presence import PresenceDefinition
from .timestamps import iso

__all__ = [
    "LOCALE",
    "definition_json",
    "organization_presence_json",
    "presence_event",
    "queue_member_json",
    "routing_status_event",
    "routing_status_json",
    "user_presence_json",
]

JsonDict = dict[str, Any]

LOCALE = "en_US"
"""The locale of the definitions' labels."""


def organization_presence_json(d: PresenceDefinition) -> JsonDict:
    """``OrganizationPresence`` (``/api/v2/presencedefinitions``): system presence spelt as
    users see it (``On Queue``)."""
    return {
        "id": d.id,
        "languageLabels": {LOCALE: d.label},
        "systemPresence": d.system_presence,
        "deactivated": False,
        "primary": d.primary,
        "selfUri": f"/api/v2/presencedefinitions/{d.id}",
    }


def definition_json(d: PresenceDefinition) -> JsonDict:
    """``OrganizationPresenceDefinition`` (``/api/v2/presence/definitions``): the newer family
    spells the system presence without spaces (``OnQueue``)."""
    return {
        "id": d.id,
        "type": "System",
        "languageLabels": {LOCALE: d.label},
        "systemPresence": d.system_presence.replace(" ", ""),
        "deactivated": False,
        "selfUri": f"/api/v2/presence/definitions/{d.id}",
    }


def _definition_ref(d: PresenceDefinition) -> JsonDict:
    return {
        "id": d.id,
        "systemPresence": d.system_presence,
        "selfUri": f"/api/v2/presencedefinitions/{d.id}",
    }


def user_presence_json(user_id: str, presence: Presence) -> JsonDict:
    """``UserPresence`` of the Genesys Cloud (``PURECLOUD``) source."""
    return {
        "source": "PURECLOUD",
        "primary": True,
        "presenceDefinition": _definition_ref(presence.definition),
        "message": presence.message,
        "modifiedDate": iso(presence.since),
        "selfUri": f"/api/v2/users/{user_id}/presences/purecloud",
    }


def routing_status_json(status: AgentStatus) -> JsonDict:
    """``RoutingStatus``."""
    return {
        "userId": status.user_id,
        "status": status.status,
        "startTime": iso(status.status_since),
    }


def queue_member_json(user: User, status: AgentStatus, user_data: JsonDict) -> JsonDict:
    """``QueueMember``: every member of a world queue is a joined, direct (``user``) member."""
    return {
        "id": user.id,
        "name": user.name,
        "user": user_data,
        "ringNumber": 1,
        "joined": True,
        "memberBy": "user",
        "routingStatus": routing_status_json(status),
        "selfUri": f"/api/v2/users/{user.id}",
    }


def presence_event(presence: Presence) -> JsonDict:
    """The body of ``v2.users.{id}.presence`` (``PresenceEventUserPresence``)."""
    d = presence.definition
    return {
        "source": "PURECLOUD",
        "presenceDefinition": {"id": d.id, "systemPresence": d.system_presence},
        "primary": True,
        "message": presence.message,
        "modifiedDate": iso(presence.since),
    }


def routing_status_event(status: AgentStatus) -> JsonDict:
    """The body of ``v2.users.{id}.routingStatus`` (``UserRoutingStatusUserRoutingStatus``)."""
    return {
        "id": status.user_id,
        "routingStatus": {"status": status.status, "startTime": iso(status.status_since)},
    }
