"""Reading conversations: the nested ``Conversation`` and the flattened per-media shapes, the
logged-in user's active conversations, and call history.

"My conversations" follow the token: a user token (``POST /__admin/tokens``) sees the
conversations that user is on or is wrapping up; a client-credentials token has no user and
sees every conversation that is not settled yet.
"""

from __future__ import annotations

from datetime import datetime

import orjson
from flask import Response

from gcmock.scenarios import to_conversation_bytes, to_media_json
from gcmock.scenarios.engine.model import MEDIA_KEYS, Conversation
from gcmock.scenarios.views.history import (
    EXPANDABLE,
    has_media,
    to_call_history_json,
    user_took_part,
)

from ..bodies import ConversationsQuery, HistoryQuery, PageQuery
from ..errors import bad_request
from ..state import current
from ..store import Snapshot
from ..wire import json_response
from .base import RouteTable, token
from .common import paged, require_media

__all__ = ["TABLE", "conversation_bytes", "media_bytes"]

TABLE = RouteTable("conversations", "Conversations")

_MEDIA_BY_NAME = {m.lower(): m for m in MEDIA_KEYS}


def conversation_bytes(snap: Snapshot) -> bytes:
    data: bytes = snap.cached("conversation", to_conversation_bytes)
    return data


def media_bytes(snap: Snapshot, media: str) -> bytes:
    data: bytes = snap.cached(media, lambda c: orjson.dumps(to_media_json(c, media)))
    return data


@TABLE.route(
    "GET",
    "/api/v2/conversations",
    "Get active conversations for the logged in user",
    query=ConversationsQuery,
    response="ConversationEntityListing",
    errors=(400,),
)
def get_conversations(query: ConversationsQuery) -> Response:
    snaps = current().store.live(token().user_id)
    if query.communicationType:
        media = _MEDIA_BY_NAME.get(query.communicationType.lower())
        if media is None:
            raise bad_request(
                f"communicationType {query.communicationType} is not one of "
                f"{', '.join(sorted(MEDIA_KEYS))}",
                "communicationType",
            )
        snaps = [s for s in snaps if has_media(s.conv, media)]
    return paged(snaps, lambda s: orjson.Fragment(conversation_bytes(s)), query)


@TABLE.route(
    "GET",
    "/api/v2/conversations/{conversationId}",
    "Get conversation",
    response="Conversation",
    errors=(404,),
)
def get_conversation(conversationId: str) -> Response:
    return json_response(conversation_bytes(current().store.snapshot(conversationId)))


@TABLE.route(
    "GET",
    (
        "/api/v2/conversations/calls",
        "/api/v2/conversations/callbacks",
        "/api/v2/conversations/emails",
        "/api/v2/conversations/messages",
    ),
    "Get the logged-in user's active conversations and their participants of this media",
    query=PageQuery,
    response="{Media}ConversationEntityListing",
    errors=(400,),
)
def get_media_conversations(query: PageQuery, media: str) -> Response:
    snaps = [s for s in current().store.live(token().user_id) if has_media(s.conv, media)]
    return paged(snaps, lambda s: orjson.Fragment(media_bytes(s, media)), query)


@TABLE.route(
    "GET",
    (
        "/api/v2/conversations/calls/{conversationId}",
        "/api/v2/conversations/callbacks/{conversationId}",
        "/api/v2/conversations/emails/{conversationId}",
        "/api/v2/conversations/messages/{conversationId}",
    ),
    "Get a conversation in the flattened shape of this media",
    response="{Media}Conversation",
    errors=(404,),
)
def get_media_conversation(conversationId: str, media: str) -> Response:
    snap = current().store.snapshot(conversationId)
    require_media(snap.conv, media)
    return json_response(media_bytes(snap, media))


def _interval(text: str) -> tuple[int, int]:
    start, sep, end = text.partition("/")
    try:
        if not sep:
            raise ValueError(text)
        lo = datetime.fromisoformat(start.replace("Z", "+00:00"))
        hi = datetime.fromisoformat(end.replace("Z", "+00:00"))
        if lo.tzinfo is None or hi.tzinfo is None:
            raise ValueError(text)
    except ValueError:
        raise bad_request(
            f"interval {text} is not start/end in ISO-8601 with a time zone", "interval"
        ) from None
    return int(lo.timestamp() * 1000), int(hi.timestamp() * 1000)


@TABLE.route(
    "GET",
    "/api/v2/conversations/calls/history",
    "Get call history",
    query=HistoryQuery,
    response="CallHistoryConversationEntityListing",
    errors=(400,),
)
def get_calls_history(query: HistoryQuery) -> Response:
    state = current()
    user_id = token().user_id
    expand = {e.lower() for e in query.expand or ()}
    unknown = expand - EXPANDABLE
    if unknown:
        raise bad_request(f"expand {', '.join(sorted(unknown))} is not supported", "expand")
    lo, hi = _interval(query.interval) if query.interval else (None, None)

    def wanted(conv: Conversation) -> bool:
        if lo is not None and hi is not None and not lo <= conv.start < hi:
            return False
        if user_id is not None:
            return user_took_part(conv, user_id)
        return has_media(conv, "call")

    snaps = [s for s in state.store.by_start() if wanted(s.conv)]
    return paged(snaps, lambda s: to_call_history_json(s.conv, state.world, user_id, expand), query)
