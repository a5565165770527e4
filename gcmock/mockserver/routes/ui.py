"""``/__admin/ui``: a page to look at the served conversations — a filtered, paged list and, for
one conversation, its swimlane timeline (drawn by :mod:`gcmock.scenarios.views.timeline_svg`,
the same code as ``gcmock ... --svg``) — and the small JSON endpoints the page reads.

The page is static HTML/CSS/JS shipped in ``gcmock/mockserver/ui/`` (no build step, nothing
fetched from elsewhere); it polls while the conversation it shows is live. No token is required.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from typing import Any

import orjson
from flask import Response
from pydantic import Field

from gcmock.scenarios import SCENARIOS, iso
from gcmock.scenarios.engine.model import Conversation
from gcmock.scenarios.views.timeline_svg import timeline_svg

from ..bodies import Body, QText
from ..state import ServerState, current
from ..store import Snapshot
from ..wire import json_response
from .base import RouteTable
from .conversations import conversation_bytes

__all__ = ["TABLE", "UiConversationsQuery", "UiTimelineQuery"]

TABLE = RouteTable("ui", "Admin UI")

_STATIC = {
    "index.html": "text/html",
    "app.js": "text/javascript",
    "app.css": "text/css",
}


class UiConversationsQuery(Body):
    pageSize: int = Field(25, ge=1, le=200)
    pageNumber: int = Field(1, ge=1, le=1_000_000)
    scenario: QText | None = None
    media: QText | None = None
    queueId: QText | None = None
    userId: QText | None = None
    """A user on the conversation: agent or supervisor."""
    live: bool | None = None
    q: QText | None = None
    """Part of a conversation id, or a participant id."""


class UiTimelineQuery(Body):
    width: int = Field(1000, ge=400, le=4000)


@dataclass(frozen=True, slots=True)
class _Keys:
    """What the list filters on, once per published conversation."""

    live: bool
    queue_ids: frozenset[str]
    user_ids: frozenset[str]
    participant_ids: frozenset[str]


def _make_keys(conv: Conversation) -> _Keys:
    return _Keys(
        not conv.settled,
        frozenset(p.queue_id for p in conv.participants if p.queue_id),
        frozenset(p.user_id for p in conv.participants if p.user_id),
        frozenset(p.id for p in conv.participants),
    )


def _make_row(conv: Conversation) -> dict[str, Any]:
    queues = dict.fromkeys(p.queue_name for p in conv.participants if p.queue_name)
    users = dict.fromkeys(
        p.name for p in conv.participants if p.user_id and p.purpose in ("agent", "user") and p.name
    )
    end = conv.end
    row: dict[str, Any] = {
        "id": conv.id,
        "startTime": iso(conv.start),
        "media": conv.media,
        "live": not conv.settled,
        "queues": list(queues),
        "users": list(users),
        "participants": len(conv.participants),
        "transfers": len(conv.transfers),
    }
    if end is not None:
        row["endTime"] = iso(end)
        row["durationMs"] = end - conv.start
    if conv.scenario:
        row["scenario"] = conv.scenario
    return row


def _keyed(query: UiConversationsQuery) -> bool:
    return query.live is not None or bool(query.queueId or query.userId or query.q)


def _matches(snap: Snapshot, query: UiConversationsQuery) -> bool:
    """Whether ``snap`` passes the filters; the keys that need a pass over the participants
    are computed (once per snapshot) only when such a filter is set."""
    conv = snap.conv
    if (query.media and conv.media != query.media) or (
        query.scenario and conv.scenario != query.scenario
    ):
        return False
    if not _keyed(query):
        return True
    keys: _Keys = snap.cached("ui.keys", _make_keys)
    return (
        (query.live is None or keys.live == query.live)
        and (not query.queueId or query.queueId in keys.queue_ids)
        and (not query.userId or query.userId in keys.user_ids)
        and (not query.q or query.q in conv.id or query.q in keys.participant_ids)
    )


@functools.cache
def _static(name: str) -> bytes:
    return resources.files("gcmock.mockserver").joinpath("ui").joinpath(name).read_bytes()


def _file(name: str) -> Response:
    response = Response(_static(name), mimetype=_STATIC[name])
    response.headers["Cache-Control"] = "no-cache"
    return response


def _fresh(body: bytes | str, mimetype: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Cache-Control"] = "no-store"
    return response


def _caught_up() -> ServerState:
    """The state with time's due steps applied: ``/__admin`` requests skip the catch-up that
    API requests get, but the page must show what the clock says has happened."""
    state = current()
    state.store.catch_up()
    return state


@TABLE.route(
    "GET",
    "/__admin/ui",
    "The conversations page",
    response="str",
    auth=False,
    content_type="text/html",
)
def page() -> Response:
    return _file("index.html")


@TABLE.route(
    "GET",
    "/__admin/ui/app.js",
    "The page's script",
    response="str",
    auth=False,
    content_type="text/javascript",
)
def script() -> Response:
    return _file("app.js")


@TABLE.route(
    "GET",
    "/__admin/ui/app.css",
    "The page's style sheet",
    response="str",
    auth=False,
    content_type="text/css",
)
def style() -> Response:
    return _file("app.css")


@TABLE.route(
    "GET",
    "/__admin/ui/filters",
    "What the list can be filtered by: scenarios, media, queues, users",
    response="AdminUiFilters",
    auth=False,
)
def filters() -> Response:
    world = current().world
    return json_response(
        {
            "scenarios": sorted(SCENARIOS),
            "media": sorted({s.media for s in SCENARIOS.values()}),
            "queues": [{"id": q.id, "name": q.name} for q in world.queues],
            "users": [
                {"id": u.id, "name": u.name, "supervisor": u.is_supervisor} for u in world.users
            ],
        }
    )


@TABLE.route(
    "GET",
    "/__admin/ui/conversations",
    "One page of the conversations, newest first, filtered",
    query=UiConversationsQuery,
    response="AdminUiConversations",
    errors=(400,),
    auth=False,
)
def conversations(query: UiConversationsQuery) -> Response:
    state = _caught_up()
    now = state.clock.now()
    snaps = state.store.by_start()
    if query.media or query.scenario or _keyed(query):
        snaps = [snap for snap in snaps if _matches(snap, query)]
    first = (query.pageNumber - 1) * query.pageSize
    entities = []
    for snap in snaps[first : first + query.pageSize]:
        row: dict[str, Any] = snap.cached("ui.row", _make_row)
        if "durationMs" not in row:
            row = {**row, "durationMs": max(now - snap.conv.start, 0)}
        entities.append(row)
    return _fresh(
        orjson.dumps(
            {
                "entities": entities,
                "pageSize": query.pageSize,
                "pageNumber": query.pageNumber,
                "total": len(snaps),
                "pageCount": -(-len(snaps) // query.pageSize),
                "now": iso(now),
                "epochMs": now,
                "frozen": state.clock.frozen,
                "live": state.store.live_count,
                "conversations": len(state.store),
            }
        ),
        "application/json",
    )


@TABLE.route(
    "GET",
    "/__admin/ui/conversations/{conversationId}",
    "One conversation (nested Conversation shape), as the page's raw JSON view shows it",
    response="Conversation",
    errors=(404,),
    auth=False,
)
def conversation(conversationId: str) -> Response:
    snap = _caught_up().store.snapshot(conversationId)
    return _fresh(conversation_bytes(snap), "application/json")


@TABLE.route(
    "GET",
    "/__admin/ui/conversations/{conversationId}/timeline.svg",
    "The conversation's swimlane timeline (SVG), drawn at the server's now",
    query=UiTimelineQuery,
    response="str",
    errors=(404,),
    auth=False,
    content_type="image/svg+xml",
)
def timeline(conversationId: str, query: UiTimelineQuery) -> Response:
    state = _caught_up()
    snap = state.store.snapshot(conversationId)
    if snap.conv.settled:
        svg: str = snap.cached(
            f"ui.svg.{query.width}",
            lambda _: timeline_svg(orjson.loads(conversation_bytes(snap)), None, query.width),
        )
    else:
        data = orjson.loads(conversation_bytes(snap))
        svg = timeline_svg(data, state.clock.now(), query.width)
    return _fresh(svg, "image/svg+xml")
