"""The directory JSON of the world's entities: users, queues, wrap-up codes, skills, languages,
teams, groups and external contacts/organizations, as ``GET /api/v2/...`` returns them.

Genesys shapes, camelCase, no null values (the SDK crashes on null enums), ms-precision UTC.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from ..world import (
    ExternalContact,
    ExternalOrganization,
    Group,
    Language,
    Queue,
    Skill,
    Team,
    User,
    World,
    WrapupCode,
    country_iso,
    is_mobile,
    jabber_id,
)
from .projection import iso

__all__ = [
    "JsonDict",
    "division_ref",
    "external_contact_json",
    "external_organization_json",
    "group_json",
    "language_json",
    "queue_json",
    "skill_json",
    "team_json",
    "team_ref",
    "user_json",
    "user_ref",
    "wrapup_code_json",
]

JsonDict = dict[str, Any]


def user_ref(user_id: str) -> JsonDict:
    return {"id": user_id, "selfUri": f"/api/v2/users/{user_id}"}


def division_ref(world: World, division_id: str) -> JsonDict:
    """``{id, name, selfUri}``; the name is left out for a division the world does not know."""
    ref: JsonDict = {"id": division_id}
    division = world.divisions_by_id.get(division_id)
    if division is not None:
        ref["name"] = division.name
    ref["selfUri"] = f"/api/v2/authorization/divisions/{division_id}"
    return ref


def team_ref(world: World, team_id: str) -> JsonDict:
    ref: JsonDict = {"id": team_id}
    team = world.teams_by_id.get(team_id)
    if team is not None:
        ref["name"] = team.name
    ref["selfUri"] = f"/api/v2/teams/{team_id}"
    return ref


def user_json(world: World, user: User, expand: Collection[str] = ()) -> JsonDict:
    """``GET /api/v2/users/{id}``; ``expand`` may hold ``"team"`` like the real query parameter."""
    contacts: list[JsonDict] = [{"address": user.email, "mediaType": "EMAIL", "type": "PRIMARY"}]
    addresses: list[JsonDict] = []
    if user.work_phone:
        phone = {"address": user.work_phone, "display": user.work_phone, "mediaType": "PHONE"}
        contacts.append({**phone, "type": "PRIMARY"})
        addresses.append({**phone, "type": "WORK", "countryCode": country_iso(user.work_phone)})
    data: JsonDict = {
        "id": user.id,
        "name": user.name,
        "division": division_ref(world, user.division_id),
        "chat": {"jabberId": jabber_id(world, user)},
        "department": user.department,
        "email": user.email,
        "primaryContactInfo": contacts,
        "addresses": addresses,
        "state": "active",
        "title": user.title,
        "username": user.username,
    }
    if user.manager_id:
        data["manager"] = user_ref(user.manager_id)
    data["version"] = user.version
    if "team" in expand and user.team_id:
        data["team"] = team_ref(world, user.team_id)
    data["acdAutoAnswer"] = False
    data["languagePreference"] = user.locale
    data["selfUri"] = f"/api/v2/users/{user.id}"
    return data


_ACW_PROMPTS: dict[str, str] = {
    "mandatory": "MANDATORY",
    "optional": "OPTIONAL",
    "timeout": "MANDATORY_TIMEOUT",
    "forcedTimeout": "MANDATORY_FORCED_TIMEOUT",
    "agentRequested": "AGENT_REQUESTED",
}
"""Participant ``wrapupPrompt`` values -> the queue's ``acwSettings.wrapupPrompt`` enum."""


def _media(alerting_s: int, percentage: float, duration_ms: int) -> JsonDict:
    return {
        "enableAutoAnswer": False,
        "alertingTimeoutSeconds": alerting_s,
        "serviceLevel": {"percentage": percentage, "durationMs": duration_ms},
    }


def queue_json(world: World, queue: Queue) -> JsonDict:
    """``GET /api/v2/routing/queues/{id}``: the voice settings come from the queue record."""
    members = len(queue.member_ids)
    sl = (queue.service_level_percentage, queue.service_level_duration_ms)
    data: JsonDict = {
        "id": queue.id,
        "name": queue.name,
        "division": division_ref(world, queue.division_id),
        "description": queue.description,
        "dateCreated": iso(queue.date_created_ms),
        "memberCount": members,
        "userMemberCount": members,
        "joinedMemberCount": members,
        "mediaSettings": {
            "call": _media(queue.alerting_timeout_ms // 1000, *sl),
            "callback": {**_media(30, *sl), "mode": "AgentFirst"},
            "chat": _media(30, *sl),
            "email": _media(300, 0.8, 86400000),
            "message": _media(30, *sl),
        },
        "scoringMethod": "TimestampAndPriority",
        "lastAgentRoutingMode": "Disabled",
        "acwSettings": {
            "wrapupPrompt": _ACW_PROMPTS[queue.wrapup_prompt],
            "timeoutMs": queue.wrapup_timeout_ms,
        },
        "skillEvaluationMethod": "BEST",
        "autoAnswerOnly": False,
        "enableTranscription": False,
        "enableAudioMonitoring": False,
        "enableManualAssignment": False,
        "suppressInQueueCallRecording": True,
    }
    if queue.calling_party_number:
        data["callingPartyNumber"] = queue.calling_party_number
    data["selfUri"] = f"/api/v2/routing/queues/{queue.id}"
    return data


def wrapup_code_json(world: World, code: WrapupCode) -> JsonDict:
    data: JsonDict = {
        "id": code.id,
        "name": code.name,
        "division": division_ref(world, code.division_id),
    }
    if code.description:
        data["description"] = code.description
    if code.date_created_ms:
        data["dateCreated"] = iso(code.date_created_ms)
    data["selfUri"] = f"/api/v2/routing/wrapupcodes/{code.id}"
    return data


def skill_json(world: World, skill: Skill) -> JsonDict:
    """``GET /api/v2/routing/skills/{id}`` (skills live in the home division)."""
    return {
        "id": skill.id,
        "name": skill.name,
        "division": division_ref(world, world.home_division.id),
        "state": "active",
        "selfUri": f"/api/v2/routing/skills/{skill.id}",
    }


def language_json(world: World, language: Language) -> JsonDict:
    return {
        "id": language.id,
        "name": language.name,
        "state": "active",
        "selfUri": f"/api/v2/routing/languages/{language.id}",
    }


def team_json(world: World, team: Team) -> JsonDict:
    """``GET /api/v2/teams/{id}``; ``memberCount`` scans the users, fine for a directory call."""
    return {
        "id": team.id,
        "name": team.name,
        "division": division_ref(world, team.division_id),
        "memberCount": sum(u.team_id == team.id for u in world.users),
        "selfUri": f"/api/v2/teams/{team.id}",
    }


def group_json(world: World, group: Group) -> JsonDict:
    return {
        "id": group.id,
        "name": group.name,
        "state": "active",
        "version": 1,
        "type": "official",
        "rulesVisible": True,
        "visibility": "public",
        "selfUri": f"/api/v2/groups/{group.id}",
    }


def external_organization_json(world: World, organization: ExternalOrganization) -> JsonDict:
    """``GET /api/v2/externalcontacts/organizations/{id}`` (organizations sit in Home)."""
    return {
        "id": organization.id,
        "name": organization.name,
        "division": division_ref(world, world.home_division.id),
        "selfUri": f"/api/v2/externalcontacts/organizations/{organization.id}",
    }


def external_contact_json(world: World, contact: ExternalContact) -> JsonDict:
    """``GET /api/v2/externalcontacts/contacts/{id}``: mobiles as ``cellPhone``, else ``homePhone``.

    US numbers are all reported as ``cellPhone``: most US callers are on mobiles that the
    numbering plan cannot tell apart from landlines.
    """
    mobile = contact.phone.startswith("+1") or is_mobile(contact.phone)
    data: JsonDict = {
        "id": contact.id,
        "division": division_ref(world, contact.division_id),
        "firstName": contact.first_name,
        "lastName": contact.last_name,
        "cellPhone" if mobile else "homePhone": {
            "display": contact.phone,
            "e164": contact.phone,
            "countryCode": country_iso(contact.phone),
        },
        "personalEmail": contact.email,
    }
    organization = world.organizations_by_id.get(contact.organization_id)
    if organization is not None:
        data["externalOrganization"] = {
            "id": organization.id,
            "name": organization.name,
            "selfUri": f"/api/v2/externalcontacts/organizations/{organization.id}",
        }
    data["type"] = "Curated"
    data["selfUri"] = f"/api/v2/externalcontacts/contacts/{contact.id}"
    return data
