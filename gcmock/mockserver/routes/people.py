"""Groups, teams and divisions with their members, users' routing skills and languages, and the
user search (``POST /api/v2/users/search``, and its ``GET`` form with ``q64``)."""

from __future__ import annotations

import base64
from collections.abc import Callable

import orjson
from flask import Response
from pydantic import ValidationError

from gcmock.scenarios.views.directory import team_json
from gcmock.scenarios.views.people import (
    division_json,
    group_view,
    member_json,
    user_language_json,
    user_skill_json,
    user_view,
)
from gcmock.scenarios.world import Division, Group, Team, User

from ..bodies import Body as _Body
from ..bodies import QText
from ..directory_queries import (
    CursorQuery,
    DirectoryPage,
    DivisionsQuery,
    GroupsQuery,
    MembersQuery,
    SearchCriterion,
    TeamsQuery,
    UserSearchRequest,
)
from ..errors import bad_request
from ..wire import json_response
from .base import RouteTable
from .common import check_expand, paged, user_by_id
from .listing import by_name, cursor_paged, directory, name_filter, one, world

__all__ = ["TABLE"]

TABLE = RouteTable("people", "Directory")


def _group(group_id: str) -> Group:
    return one({g.id: g for g in world().groups}, group_id, "group", Group)


@TABLE.route(
    "GET",
    "/api/v2/groups",
    "Get a group list",
    query=GroupsQuery,
    response="GroupEntityListing",
    errors=(400,),
)
def get_groups(query: GroupsQuery) -> Response:
    w, d = world(), directory()
    groups = by_name("groups", w.groups, lambda g: g.name, query.sortOrder)
    if query.id:
        wanted = set(query.id)
        groups = tuple(g for g in groups if g.id in wanted)
    if query.jabberId:
        groups = ()  # the world's groups have no chat rooms, so no jabber id names one
    return paged(groups, lambda g: group_view(w, d, g), query)


@TABLE.route("GET", "/api/v2/groups/{groupId}", "Get group", response="Group", errors=(404,))
def get_group(groupId: str) -> Response:
    return json_response(group_view(world(), directory(), _group(groupId)))


@TABLE.route(
    "GET",
    "/api/v2/groups/{groupId}/members",
    "Get group members, includes individuals, owners, and dynamically included people",
    query=MembersQuery,
    response="UserEntityListing",
    errors=(400, 404),
)
def get_group_members(groupId: str, query: MembersQuery) -> Response:
    w, d = world(), directory()
    expand = check_expand(query.expand)
    ids = d.group_members[_group(groupId).id]
    members = [w.users_by_id[i] for i in ids]
    if query.sortOrder.lower() in ("descending", "desc"):
        members.reverse()
    return paged(members, lambda u: user_view(w, d, u, expand), query)


def _team(team_id: str) -> Team:
    return one(world().teams_by_id, team_id, "team", Team)


@TABLE.route(
    "GET",
    "/api/v2/teams",
    "Get Team listing",
    query=TeamsQuery,
    response="TeamEntityListing",
    errors=(400,),
)
def get_teams(query: TeamsQuery) -> Response:
    w = world()
    teams = by_name("teams", w.teams, lambda t: t.name)
    if query.name:
        prefix = query.name.lower()
        teams = tuple(t for t in teams if t.name.lower().startswith(prefix))
    return cursor_paged(teams, lambda t: team_json(w, t), query)


@TABLE.route("GET", "/api/v2/teams/{teamId}", "Get team", response="Team", errors=(404,))
def get_team(teamId: str) -> Response:
    return json_response(team_json(world(), _team(teamId)))


@TABLE.route(
    "GET",
    "/api/v2/teams/{teamId}/members",
    "Get team membership",
    query=CursorQuery,
    response="TeamMemberEntityListing",
    errors=(400, 404),
)
def get_team_members(teamId: str, query: CursorQuery) -> Response:
    w = world()
    ids = directory().team_members[_team(teamId).id]
    return cursor_paged([w.users_by_id[i] for i in ids], member_json, query)


@TABLE.route(
    "GET",
    "/api/v2/authorization/divisions",
    "Retrieve a list of all divisions defined for the organization",
    query=DivisionsQuery,
    response="AuthzDivisionEntityListing",
    errors=(400,),
)
def get_divisions(query: DivisionsQuery) -> Response:
    w = world()
    match = name_filter(query.name)
    divisions = by_name("divisions", w.divisions, lambda x: x.name, query.sortOrder)
    wanted = set(query.id) if query.id else None
    divisions = tuple(x for x in divisions if match(x.name) and (wanted is None or x.id in wanted))
    return paged(divisions, lambda x: division_json(w, x), query)


@TABLE.route(
    "GET",
    "/api/v2/authorization/divisions/{divisionId}",
    "Returns an authorization division",
    response="AuthzDivision",
    errors=(404,),
)
def get_division(divisionId: str) -> Response:
    w = world()
    return json_response(division_json(w, one(w.divisions_by_id, divisionId, "division", Division)))


@TABLE.route(
    "GET",
    "/api/v2/users/{userId}/routingskills",
    "List routing skills for user",
    query=DirectoryPage,
    response="UserSkillEntityListing",
    errors=(400, 404),
)
def get_user_routingskills(userId: str, query: DirectoryPage) -> Response:
    w = world()
    skills = [(w.skills_by_id[s], p) for s, p in directory().user_skills[user_by_id(userId).id]]
    skills.sort(
        key=lambda x: x[0].name.lower(), reverse=query.sortOrder.lower() in ("descending", "desc")
    )
    return paged(skills, lambda x: user_skill_json(*x), query)


@TABLE.route(
    "GET",
    "/api/v2/users/{userId}/routinglanguages",
    "List routing language for user",
    query=DirectoryPage,
    response="UserLanguageEntityListing",
    errors=(400, 404),
)
def get_user_routinglanguages(userId: str, query: DirectoryPage) -> Response:
    w = world()
    by_id = {lang.id: lang for lang in w.languages}
    langs = [(by_id[i], p) for i, p in directory().user_languages[user_by_id(userId).id]]
    langs.sort(
        key=lambda x: x[0].name.lower(), reverse=query.sortOrder.lower() in ("descending", "desc")
    )
    return paged(langs, lambda x: user_language_json(*x), query)


_SEARCH_FIELDS: dict[str, Callable[[User], tuple[str, ...]]] = {
    "id": lambda u: (u.id,),
    "name": lambda u: (u.name,),
    "email": lambda u: (u.email,),
    "username": lambda u: (u.username,),
    "department": lambda u: (u.department,),
    "title": lambda u: (u.title,),
    "state": lambda _u: ("active",),
    "division.id": lambda u: (u.division_id,),
    "team.id": lambda u: (u.team_id,),
    "manager.id": lambda u: (u.manager_id,),
    "addresses": lambda u: (u.work_phone,),
}
"""Searchable user fields -> the user's values of it (``groups.id`` and the like are added
per request from the directory)."""


def _values_of(user: User, field: str) -> tuple[str, ...]:
    if field == "groups.id":
        return directory().user_groups[user.id]
    if field == "routingSkills.id":
        return tuple(s for s, _ in directory().user_skills[user.id])
    return _SEARCH_FIELDS[field](user)


def _matches(criterion: SearchCriterion, values: tuple[str, ...]) -> bool:
    wanted = [
        v.lower()
        for v in (criterion.values or ([criterion.value] if criterion.value is not None else []))
    ]
    have = [v.lower() for v in values if v]
    kind = criterion.type
    if kind == "MATCH_ALL":
        return True
    if kind in ("EXACT", "TERM"):
        return any(h == w for h in have for w in wanted)
    if kind == "STARTS_WITH":
        return any(h.startswith(w) for h in have for w in wanted)
    return any(w in h for h in have for w in wanted)


def _check(request: UserSearchRequest) -> None:
    known = {*_SEARCH_FIELDS, "groups.id", "routingSkills.id"}
    for i, c in enumerate(request.query):
        if c.type != "MATCH_ALL" and c.value is None and not c.values:
            raise bad_request("a search criterion needs value or values", f"query[{i}].value")
        for field in c.fields or ():
            if field not in known:
                raise bad_request(f"{field} is not a searchable user field", f"query[{i}].fields")
        if c.type != "MATCH_ALL" and not c.fields:
            raise bad_request("a search criterion needs fields", f"query[{i}].fields")
    check_expand(request.expand)


def _q64(request: UserSearchRequest, page_number: int) -> str:
    doc = request.model_dump(exclude_none=True) | {"pageNumber": page_number}
    return "/api/v2/users/search?q64=" + base64.b64encode(orjson.dumps(doc)).decode()


def _search(request: UserSearchRequest) -> Response:
    _check(request)
    w, d = world(), directory()
    users = by_name(
        "users", w.users, lambda u: u.name, "descending" if request.sortOrder == "DESC" else None
    )
    hits = [
        u
        for u in users
        if all(
            any(_matches(c, _values_of(u, f)) for f in (c.fields or ("id",))) for c in request.query
        )
    ]
    size, number = request.pageSize, request.pageNumber
    count = -(-len(hits) // size)
    expand = tuple(request.expand or ())
    out: dict[str, object] = {
        "total": len(hits),
        "pageCount": count,
        "pageSize": size,
        "pageNumber": number,
    }
    if number > 1:
        out["previousPage"] = _q64(request, min(number - 1, max(count, 1)))
    out["currentPage"] = _q64(request, number)
    if number < count:
        out["nextPage"] = _q64(request, number + 1)
    out["types"] = ["users"]
    out["results"] = [user_view(w, d, u, expand) for u in hits[(number - 1) * size : number * size]]
    return json_response(out)


@TABLE.route(
    "POST",
    "/api/v2/users/search",
    "Search users",
    body=UserSearchRequest,
    response="UsersSearchResponse",
    errors=(400,),
)
def post_users_search(body: UserSearchRequest) -> Response:
    return _search(body)


class _Q64Query(_Body):
    q64: QText
    expand: list[QText] | None = None


@TABLE.route(
    "GET",
    "/api/v2/users/search",
    "Search users using the q64 value returned from a previous search",
    query=_Q64Query,
    response="UsersSearchResponse",
    errors=(400,),
)
def get_users_search(query: _Q64Query) -> Response:
    try:
        doc = orjson.loads(base64.b64decode(query.q64, validate=True))
        request = UserSearchRequest.model_validate(doc)
    except (ValueError, ValidationError):
        raise bad_request("q64 is not a base64-encoded user search", "q64") from None
    if query.expand:
        request = request.model_copy(update={"expand": query.expand})
    return _search(request)
