"""Users, queues and wrap-up codes of the served world, with the platform's paging and filters."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from flask import Response, request

from gcmock.scenarios.world import (
    Queue,
    User,
    WrapupCode,
    jabber_id,
    queue_json,
    user_json,
    wrapup_code_json,
)

from ..bodies import PageQuery, QueuesQuery, UserQuery, UsersQuery, WrapupCodesQuery
from ..errors import bad_request, not_found
from ..paging import page
from ..state import current
from ..wire import json_response
from .base import RouteTable, token

__all__ = ["TABLE"]

TABLE = RouteTable("directory", "Directory")
T = TypeVar("T")


def _descending(order: str) -> bool:
    return order.lower() in ("descending", "desc")


def _name_filter(pattern: str | None) -> Callable[[str], bool]:
    """The platform's name filter: exact, or ``*`` wildcards at either end; case-insensitive."""
    if not pattern:
        return lambda _name: True
    p = pattern.lower()
    starts, ends = p.endswith("*"), p.startswith("*")
    core = p.strip("*")
    if starts and ends:
        return lambda name: core in name.lower()
    if starts:
        return lambda name: name.lower().startswith(core)
    if ends:
        return lambda name: name.lower().endswith(core)
    return lambda name: name.lower() == core


def _page(items: Sequence[T], project: Callable[[T], Any], query: PageQuery) -> Response:
    return json_response(
        page(
            items,
            project,
            path=request.path,
            size=query.pageSize,
            number=query.pageNumber,
            extra=request.args.to_dict(),
        )
    )


def _user(user_id: str) -> User:
    user = current().world.users_by_id.get(user_id)
    if user is None:
        raise not_found(f"user {user_id} not found")
    return user


def _queue(queue_id: str) -> Queue:
    queue = current().world.queues_by_id.get(queue_id)
    if queue is None:
        raise not_found(f"queue {queue_id} not found")
    return queue


@TABLE.route(
    "GET",
    "/api/v2/users",
    "Get the list of available users",
    query=UsersQuery,
    response="UserEntityListing",
    errors=(400,),
)
def get_users(query: UsersQuery) -> Response:
    world = current().world
    users: list[User] = list(world.users) if query.state in ("active", "any") else []
    if query.id:
        wanted = set(query.id)
        users = [u for u in users if u.id in wanted]
    if query.jabberId:
        jids = set(query.jabberId)
        users = [u for u in users if jabber_id(world, u) in jids]
    users.sort(key=lambda u: (u.name.lower(), u.id), reverse=_descending(query.sortOrder))
    expand = tuple(query.expand or ())
    return _page(users, lambda u: user_json(world, u, expand), query)


@TABLE.route(
    "GET",
    "/api/v2/users/me",
    "Get the user of a user token (client credentials have none)",
    query=UserQuery,
    response="User",
    errors=(400,),
)
def get_user_me(query: UserQuery) -> Response:
    user_id = token().user_id
    if user_id is None:
        raise bad_request(
            "This request requires a user context. "
            "Client credentials cannot be used for requests to this resource."
        )
    return json_response(user_json(current().world, _user(user_id), tuple(query.expand or ())))


@TABLE.route(
    "GET",
    "/api/v2/users/{userId}",
    "Get user",
    query=UserQuery,
    response="User",
    errors=(404,),
)
def get_user(userId: str, query: UserQuery) -> Response:
    return json_response(user_json(current().world, _user(userId), tuple(query.expand or ())))


@TABLE.route(
    "GET",
    "/api/v2/routing/queues",
    "Get list of queues",
    query=QueuesQuery,
    response="QueueEntityListing",
    errors=(400,),
)
def get_queues(query: QueuesQuery) -> Response:
    world = current().world
    match = _name_filter(query.name)
    ids = set(query.id) if query.id else None
    divisions = set(query.divisionId) if query.divisionId else None
    queues = [
        q
        for q in world.queues
        if match(q.name)
        and (ids is None or q.id in ids)
        and (divisions is None or q.division_id in divisions)
    ]
    queues.sort(key=lambda q: (q.name.lower(), q.id), reverse=_descending(query.sortOrder))
    return _page(queues, lambda q: queue_json(world, q), query)


@TABLE.route(
    "GET",
    "/api/v2/routing/queues/{queueId}",
    "Get details about this queue",
    response="Queue",
    errors=(404,),
)
def get_queue(queueId: str) -> Response:
    return json_response(queue_json(current().world, _queue(queueId)))


def _codes(codes: Sequence[WrapupCode], query: PageQuery) -> Response:
    world = current().world
    return _page(codes, lambda c: wrapup_code_json(world, c), query)


@TABLE.route(
    "GET",
    "/api/v2/routing/queues/{queueId}/wrapupcodes",
    "Get the wrap-up codes for a queue",
    query=WrapupCodesQuery,
    response="WrapupCodeEntityListing",
    errors=(400, 404),
)
def get_queue_wrapupcodes(queueId: str, query: WrapupCodesQuery) -> Response:
    world = current().world
    match = _name_filter(query.name)
    codes = [world.wrapup_codes_by_id[c] for c in _queue(queueId).wrapup_code_ids]
    return _codes([c for c in codes if match(c.name)], query)


@TABLE.route(
    "GET",
    "/api/v2/routing/wrapupcodes",
    "Get list of wrapup codes",
    query=WrapupCodesQuery,
    response="WrapupCodeEntityListing",
    errors=(400,),
)
def get_wrapupcodes(query: WrapupCodesQuery) -> Response:
    world = current().world
    match = _name_filter(query.name)
    ids = set(query.id) if query.id else None
    divisions = set(query.divisionId) if query.divisionId else None
    codes = [
        c
        for c in world.wrapup_codes
        if match(c.name)
        and (ids is None or c.id in ids)
        and (divisions is None or c.division_id in divisions)
    ]
    if query.sortBy == "id":
        codes.sort(key=lambda c: c.id, reverse=_descending(query.sortOrder))
    else:
        codes.sort(key=lambda c: (c.name.lower(), c.id), reverse=_descending(query.sortOrder))
    return _codes(codes, query)


@TABLE.route(
    "GET",
    "/api/v2/routing/wrapupcodes/{codeId}",
    "Get details about this wrap-up code",
    response="WrapupCode",
    errors=(404,),
)
def get_wrapupcode(codeId: str) -> Response:
    world = current().world
    code = world.wrapup_codes_by_id.get(codeId)
    if code is None:
        raise not_found(f"wrap-up code {codeId} not found")
    return json_response(wrapup_code_json(world, code))
