"""A queue's live state: its members with their presence and routing status, and the estimated
wait of a new (or a waiting) interaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from flask import Response, request
from pydantic import Field

from gcmock.scenarios.engine.queues import estimated_wait_ms, handle_ms, waiting_in
from gcmock.scenarios.engine.roster import AgentStatus
from gcmock.scenarios.views.people import user_view
from gcmock.scenarios.views.presence import queue_member_json
from gcmock.scenarios.world import Queue, User
from gcmock.scenarios.world.presence import ROUTING_STATUSES, SYSTEM_PRESENCES

from ..bodies import Body, PageQuery, QId, QText, SortOrder
from ..errors import bad_request, not_found
from ..paging import page
from ..state import current
from ..wire import json_response
from .base import RouteTable
from .common import check_expand, with_live_state
from .listing import descending, directory, world

__all__ = ["HANDLE_SAMPLE", "TABLE"]

TABLE = RouteTable("queue_state", "Routing")

HANDLE_SAMPLE = 500
"""How many of the newest conversations the handle time of an estimate is averaged over."""


_NOT_IN_MEMBER_LISTING = ("total", "pageCount", "lastUri")
"""``QueueMemberEntityListing`` pages without a total (the platform's member lists are large)."""


class QueueMembersQuery(PageQuery):
    pageSize: int = Field(25, ge=1, le=100)
    sortOrder: SortOrder = "ascending"
    expand: list[QText] | None = None
    name: QText | None = None
    profileSkills: list[QText] | None = None
    skills: list[QText] | None = None
    languages: list[QText] | None = None
    routingStatus: list[QText] | None = None
    presence: list[QText] | None = None
    memberBy: Literal["user", "group"] | None = None
    joined: bool | None = None


class WaitQuery(Body):
    conversationId: QId | None = None


def _queue(queue_id: str) -> Queue:
    queue = world().queues_by_id.get(queue_id)
    if queue is None:
        raise not_found(f"queue {queue_id} not found")
    return queue


def _squash(value: str) -> str:
    return value.replace(" ", "").replace("_", "").lower()


def _routing_filter(values: list[str] | None) -> set[str] | None:
    if not values:
        return None
    wanted = {v.upper() for v in values}
    unknown = sorted(wanted - set(ROUTING_STATUSES))
    if unknown:
        raise bad_request(f"{unknown[0]} is not a routing status", "routingStatus")
    return wanted


def _presence_filter(values: list[str] | None) -> set[str] | None:
    """System presences as named (``On Queue``, ``ON_QUEUE``, ``onqueue``), squashed."""
    if not values:
        return None
    known = {_squash(p) for p in SYSTEM_PRESENCES}
    unknown = [v for v in values if _squash(v) not in known]
    if unknown:
        raise bad_request(f"{unknown[0]} is not a system presence", "presence")
    return {_squash(v) for v in values}


def _contains(wanted: list[str] | None, have: list[str]) -> bool:
    if not wanted:
        return True
    names = [h.lower() for h in have]
    return all(any(w.lower() in n for n in names) for w in wanted)


def _member_filter(
    query: QueueMembersQuery, statuses: dict[str, AgentStatus]
) -> Callable[[User], bool]:
    w, d = world(), directory()
    routing, presence = _routing_filter(query.routingStatus), _presence_filter(query.presence)
    langs = {lang.id: lang.name for lang in w.languages}

    def keep(user: User) -> bool:
        state = statuses[user.id]
        skills = [w.skills_by_id[s].name for s, _ in d.user_skills[user.id]]
        languages = [langs[x] for x, _ in d.user_languages[user.id]]
        return (
            (query.name is None or query.name.lower() in user.name.lower())
            and (routing is None or state.status in routing)
            and (presence is None or _squash(state.presence.definition.system_presence) in presence)
            and query.memberBy != "group"
            and query.joined is not False
            and not query.profileSkills  # the world's users have no profile skills
            and _contains(query.skills, skills)
            and _contains(query.languages, languages)
        )

    return keep


@TABLE.route(
    "GET",
    "/api/v2/routing/queues/{queueId}/members",
    "Get the members of this queue, with their routing status (and presence when expanded)",
    query=QueueMembersQuery,
    response="QueueMemberEntityListing",
    errors=(400, 404),
)
def get_queue_members(queueId: str, query: QueueMembersQuery) -> Response:
    w, d = world(), directory()
    queue = _queue(queueId)
    expand = check_expand(query.expand)
    statuses = current().store.agent_statuses(queue.member_ids)
    keep = _member_filter(query, statuses)
    members = sorted((w.users_by_id[u] for u in queue.member_ids), key=lambda u: (u.name, u.id))
    if descending(query.sortOrder):
        members.reverse()

    def project(user: User) -> object:
        data = with_live_state(user_view(w, d, user, expand), statuses[user.id], expand)
        return queue_member_json(user, statuses[user.id], data)

    envelope = page(
        [u for u in members if keep(u)],
        project,
        path=request.path,
        size=query.pageSize,
        number=query.pageNumber,
        extra=request.args.to_dict(),
    )
    for key in _NOT_IN_MEMBER_LISTING:
        envelope.pop(key)
    return json_response(envelope)


@TABLE.route(
    "GET",
    "/api/v2/routing/queues/{queueId}/estimatedwaittime",
    "Estimated wait of a new interaction (or of conversationId) from the queue's length, "
    "its On Queue and free agents, and its average handle time",
    query=WaitQuery,
    response="EstimatedWaitTimePredictions",
    errors=(400, 404),
)
def get_queue_estimatedwaittime(queueId: str, query: WaitQuery) -> Response:
    queue = _queue(queueId)
    store = current().store
    waiting = waiting_in((s.conv for s in store.live()), queue.id)
    media = "call"
    ahead = len(waiting)
    if query.conversationId is not None:
        ids = [c.id for c in waiting]
        if query.conversationId not in ids:
            raise bad_request(
                f"conversation {query.conversationId} is not waiting in queue {queue.id}",
                "conversationId",
            )
        ahead = ids.index(query.conversationId)
        media = waiting[ahead].media
    statuses = store.agent_statuses(queue.member_ids).values()
    staffed = sum(1 for s in statuses if s.status != "OFF_QUEUE")
    free = len(store.offerable(queue, media))
    handle = handle_ms((s.conv for s in store.by_start()[:HANDLE_SAMPLE]), queue.id)
    wait = estimated_wait_ms(ahead, free, staffed, handle)
    results = []
    if wait is not None:
        results.append(
            {
                "intent": "ALL" if query.conversationId is None else media.upper(),
                "formula": "SIMPLE",
                "estimatedWaitTimeSeconds": -(-wait // 1000),
            }
        )
    return json_response({"results": results})
