"""Directory JSON about people: groups with members, team members, divisions, users' routing
skills and languages, and the parts of a user that ``expand`` adds (groups, locations, skills,
languages, station) on top of the base user of ``views.directory.user_json``."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from ..world import Division, Group, Language, Skill, User, World
from ..world.org import OrgDirectory
from .directory import group_json, user_json

__all__ = [
    "USER_EXPANDS",
    "division_json",
    "group_view",
    "member_json",
    "user_language_json",
    "user_skill_json",
    "user_view",
]

JsonDict = dict[str, Any]

USER_EXPANDS = frozenset(
    (
        "routingStatus",
        "presence",
        "integrationPresence",
        "conversationSummary",
        "outOfOffice",
        "geolocation",
        "station",
        "authorization",
        "lasttokenissued",
        "dateLastLogin",
        "dateWelcomeSent",
        "authorization.unusedRoles",
        "team",
        "workPlanBidRanks",
        "externalContactsSettings",
        "profileSkills",
        "certifications",
        "locations",
        "groups",
        "skills",
        "languages",
        "languagePreference",
        "employerInfo",
        "biography",
    )
)
"""The ``expand`` values the platform accepts on users. The directory ones (team, groups,
locations, skills, languages, station) are filled in; the live ones (presence, routing status...)
are best effort on the platform too and are left out."""


def _last_self_uri(data: JsonDict) -> JsonDict:
    data["selfUri"] = data.pop("selfUri")
    return data


def group_view(world: World, directory: OrgDirectory, group: Group) -> JsonDict:
    """``GET /api/v2/groups/{id}``: the group and how many users are in it."""
    data = group_json(world, group)
    data["memberCount"] = len(directory.group_members[group.id])
    return _last_self_uri(data)


def member_json(user: User) -> JsonDict:
    """A ``UserReferenceWithName`` (team members)."""
    return {"id": user.id, "name": user.name, "selfUri": f"/api/v2/users/{user.id}"}


def division_json(world: World, division: Division) -> JsonDict:
    home = division.id == world.home_division.id
    data: JsonDict = {"id": division.id, "name": division.name}
    if home:
        data["description"] = "The default division"
    data["homeDivision"] = home
    data["selfUri"] = f"/api/v2/authorization/divisions/{division.id}"
    return data


def user_skill_json(skill: Skill, proficiency: float) -> JsonDict:
    return {
        "id": skill.id,
        "name": skill.name,
        "proficiency": proficiency,
        "state": "active",
        "skillUri": f"/api/v2/routing/skills/{skill.id}",
        "selfUri": f"/api/v2/users/routingskills/{skill.id}",
    }


def user_language_json(language: Language, proficiency: float) -> JsonDict:
    return {
        "id": language.id,
        "name": language.name,
        "proficiency": proficiency,
        "state": "active",
        "languageUri": f"/api/v2/routing/languages/{language.id}",
        "selfUri": f"/api/v2/users/routinglanguages/{language.id}",
    }


def user_skills(world: World, directory: OrgDirectory, user: User) -> list[JsonDict]:
    """The user's skills by name, as ``/users/{id}/routingskills`` lists them."""
    found = [(world.skills_by_id[i], p) for i, p in directory.user_skills[user.id]]
    return [user_skill_json(s, p) for s, p in sorted(found, key=lambda x: x[0].name.lower())]


def user_languages(world: World, directory: OrgDirectory, user: User) -> list[JsonDict]:
    by_id = {lang.id: lang for lang in world.languages}
    found = [(by_id[i], p) for i, p in directory.user_languages[user.id]]
    return [user_language_json(x, p) for x, p in sorted(found, key=lambda x: x[0].name.lower())]


def _station(world: World, directory: OrgDirectory, user: User) -> JsonDict:
    phone = directory.telephony.phone_of_user[user.id]
    station: JsonDict = {
        "id": phone.station_id,
        "name": phone.name,
        "type": "inin_webrtc_softphone",
    }
    me = {"id": user.id, "selfUri": f"/api/v2/users/{user.id}"}
    out: JsonDict = {}
    if phone.logged_in:
        out["associatedStation"] = {**station, "associatedUser": me}
        out["effectiveStation"] = {**station, "associatedUser": me}
    out["defaultStation"] = {**station, "defaultUser": me}
    out["lastAssociatedStation"] = {**station, "associatedUser": me}
    return out


def _location(directory: OrgDirectory, user: User) -> JsonDict:
    loc = directory.locations_by_id[directory.user_location[user.id]]
    ref = {"id": loc.id, "name": loc.name, "selfUri": f"/api/v2/locations/{loc.id}"}
    return {"id": loc.id, "locationDefinition": ref}


def user_view(
    world: World, directory: OrgDirectory, user: User, expand: Collection[str] = ()
) -> JsonDict:
    """The user with the directory parts ``expand`` asks for; without them, ``user_json``."""
    data = user_json(world, user, expand)
    if "station" in expand:
        data["station"] = _station(world, directory, user)
    if "locations" in expand:
        data["locations"] = [_location(directory, user)]
    if "groups" in expand:
        names = {g.id: g.name for g in world.groups}
        data["groups"] = [
            {"id": g, "name": names[g], "selfUri": f"/api/v2/groups/{g}"}
            for g in directory.user_groups[user.id]
        ]
    if "skills" in expand:
        data["skills"] = user_skills(world, directory, user)
    if "languages" in expand:
        data["languages"] = user_languages(world, directory, user)
    return _last_self_uri(data) if expand else data
