"""Users, queues and wrap-up codes of the served world, with the platform's paging and filters."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Protocol, TypeVar

from flask import Response

from gcmock.scenarios.views.directory import queue_json, wrapup_code_json
from gcmock.scenarios.views.people import user_view
from gcmock.scenarios.world import Queue, User, WrapupCode, jabber_id
from gcmock.scenarios.world.org import org_directory

from ..bodies import PageQuery, QueuesQuery, UserQuery, UsersQuery, WrapupCodesQuery
from ..errors import bad_request, not_found
from ..state import current
from ..wire import json_response
from .base import RouteTable, token
from .common import check_expand, paged, user_by_id

__all__ = ["TABLE"]

TABLE = RouteTable("directory", "Directory")


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


class _Entity(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def division_id(self) -> str: ...


E = TypeVar("E", bound=_Entity)


def _filtered(items: Iterable[E], query: QueuesQuery | WrapupCodesQuery) -> list[E]:
    """The items the ``name``, ``id`` and ``divisionId`` filters keep."""
    match = _name_filter(query.name)
    ids = set(query.id) if query.id else None
    divisions = set(query.divisionId) if query.divisionId else None
    return [
        x
        for x in items
        if match(x.name)
        and (ids is None or x.id in ids)
        and (divisions is None or x.division_id in divisions)
    ]


def _by_name(items: list[E], order: str) -> None:
    items.sort(key=lambda x: (x.name.lower(), x.id), reverse=_descending(order))


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
    directory = org_directory(world)
    users: Sequence[User] = directory.ordered(
        "users", world.users, lambda u: (u.name.lower(), u.id), _descending(query.sortOrder)
    )
    if query.state not in ("active", "any"):
        users = ()
    if query.id:
        wanted = set(query.id)
        users = [u for u in users if u.id in wanted]
    if query.jabberId:
        jids = set(query.jabberId)
        users = [u for u in users if jabber_id(world, u) in jids]
    expand = check_expand(query.expand)
    return paged(users, lambda u: user_view(world, directory, u, expand), query)


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
    return get_user(user_id, query)


@TABLE.route(
    "GET",
    "/api/v2/users/{userId}",
    "Get user",
    query=UserQuery,
    response="User",
    errors=(404,),
)
def get_user(userId: str, query: UserQuery) -> Response:
    world = current().world
    expand = check_expand(query.expand)
    return json_response(user_view(world, org_directory(world), user_by_id(userId), expand))


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
    queues = _filtered(world.queues, query)
    _by_name(queues, query.sortOrder)
    return paged(queues, lambda q: queue_json(world, q), query)


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
    return paged(codes, lambda c: wrapup_code_json(world, c), query)


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
    codes = _filtered(current().world.wrapup_codes, query)
    if query.sortBy == "id":
        codes.sort(key=lambda c: c.id, reverse=_descending(query.sortOrder))
    else:
        _by_name(codes, query.sortOrder)
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
