"""Notification event bodies: pure projections of a conversation state onto the topics a
channel can subscribe to.

The conversation topics (``v2.users.{id}.conversations``, ``v2.routing.queues.{id}.conversations``
and their per-media variants) carry the whole conversation as the platform's event models shape
it: the REST projection without what those models lack (start times, segments, self URIs...)
and with what they spell differently (``endpoint.dnd``). Detail events live in
:mod:`gcmock.scenarios.views.detail`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..engine.model import Conversation
from .projection import to_conversation_json, to_media_json

__all__ = [
    "MEDIA_TOPICS",
    "conversation_event",
    "interested_queues",
    "interested_users",
    "media_event",
]

MEDIA_TOPICS: dict[str, str] = {
    "calls": "call",
    "callbacks": "callback",
    "emails": "email",
    "messages": "message",
}
"""Topic suffix -> engine media of the flattened per-media conversation topics (the media
:data:`~gcmock.scenarios.views.projection.FLAT_MEDIA` has a flattened view of)."""

_CONVERSATION_DROP = frozenset({"startTime", "endTime", "selfUri"})
_PARTICIPANT_DROP = frozenset(
    {
        "startTime",
        "ani",
        "aniName",
        "dnis",
        "locale",
        "participantType",
        "evaluations",
        "userUri",
        "queueName",
        "wrapupSkipped",
    }
)
_COMMUNICATION_DROP = frozenset({"segments", "startAlertingTime", "authenticated"})
_CHAT_DROP = _COMMUNICATION_DROP | {"direction"}
_WRAPUP_DROP = frozenset({"name", "provisional"})
_FLAT_CONVERSATION_DROP = frozenset({"selfUri", "recentTransfers"})
_FLAT_PARTICIPANT_DROP = frozenset({"startAlertingTime", "authenticated"})

_EVENT_DISCONNECT = {
    "endpoint.donotdisturb": "endpoint.dnd",
    "transfer.donotdisturb": "transfer.dnd",
}
"""REST disconnect types the event models spell differently."""


def _without(d: dict[str, Any], drop: Iterable[str]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if k not in drop}


def _unlinked(value: Any) -> Any:
    """``value`` without ``selfUri`` at any depth: event references are ``{id, name}``."""
    if isinstance(value, dict):
        return {k: _unlinked(v) for k, v in value.items() if k != "selfUri"}
    if isinstance(value, list):
        return [_unlinked(v) for v in value]
    return value


def _communication(key: str, c: dict[str, Any]) -> dict[str, Any]:
    out = _without(c, _CHAT_DROP if key == "chats" else _COMMUNICATION_DROP)
    dtype = out.get("disconnectType")
    if dtype in _EVENT_DISCONNECT:
        out["disconnectType"] = _EVENT_DISCONNECT[dtype]
    if "wrapup" in out:
        out["wrapup"] = _without(out["wrapup"], _WRAPUP_DROP)
    return out


def _participant(p: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in p.items():
        if key in _PARTICIPANT_DROP:
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            out[key] = [_communication(key, c) for c in value]
        elif key == "wrapup":
            out[key] = _without(value, _WRAPUP_DROP)
        else:
            out[key] = value
    return out


def conversation_event(conv: Conversation) -> dict[str, Any]:
    """``ConversationEventTopicConversation``: the body of ``v2.users.{id}.conversations`` and
    ``v2.routing.queues.{id}.conversations``."""
    rest = to_conversation_json(conv)
    out = _without(rest, _CONVERSATION_DROP)
    out["participants"] = [_participant(p) for p in rest["participants"]]
    unlinked: dict[str, Any] = _unlinked(out)
    return unlinked


def _flat_message(m: dict[str, Any]) -> dict[str, Any]:
    """The flattened message topic names a message by reference, not by ``messageId``."""
    out = _without(m, ("messageId",))
    if "messageId" in m:
        out["message"] = {"id": m["messageId"]}
    return out


def media_event(conv: Conversation, media: str) -> dict[str, Any]:
    """The flattened ``Conversation{Media}EventTopic{Media}Conversation`` of a per-media topic
    (``....conversations.calls``)."""
    rest = to_media_json(conv, media)
    out = _without(rest, _FLAT_CONVERSATION_DROP)
    parts = []
    for p in rest["participants"]:
        flat = _without(p, _FLAT_PARTICIPANT_DROP)
        dtype = flat.get("disconnectType")
        if dtype in _EVENT_DISCONNECT:
            flat["disconnectType"] = _EVENT_DISCONNECT[dtype]
        if "wrapup" in flat:
            flat["wrapup"] = _without(flat["wrapup"], _WRAPUP_DROP)
        if media == "message" and "messages" in flat:
            flat["messages"] = [_flat_message(m) for m in flat["messages"]]
        parts.append(flat)
    out["participants"] = parts
    unlinked: dict[str, Any] = _unlinked(out)
    return unlinked


def interested_users(conv: Conversation) -> frozenset[str]:
    """Users the platform tells about this state: on a leg of it, or wrapping one up."""
    return frozenset(p.user_id for p in conv.participants if p.user_id and (p.active or p.in_acw))


def interested_queues(conv: Conversation) -> frozenset[str]:
    """Queues the conversation is waiting in or was answered from while it is not settled."""
    if conv.settled:
        return frozenset()
    return frozenset(p.queue_id for p in conv.participants if p.queue_id)
