"""The notification topics gcmock serves: their templates, the SDK model of each body, and
parsing a topic a channel subscribes to."""

from __future__ import annotations

import re
from typing import NamedTuple

from ..world import World
from .detail import DETAIL_KINDS
from .events import MEDIA_TOPICS

__all__ = ["AGENT_TOPICS", "MEDIA_SUFFIXES", "TOPICS", "Topic", "TopicTemplate", "parse_topic"]


class TopicTemplate(NamedTuple):
    template: str
    model: str
    description: str


AGENT_TOPICS = {
    "presence": "PresenceEventUserPresence",
    "routingStatus": "UserRoutingStatusUserRoutingStatus",
}
"""A user's own state topics (``v2.users.{id}.<suffix>``) -> the SDK model of their bodies; a
parsed one has the suffix as its scope."""


class MediaModels(NamedTuple):
    user: str
    queue: str


def _flat(m: str) -> MediaModels:
    """The models of a flattened per-media topic: ``Conversation{M}EventTopic{M}Conversation``."""
    user = f"Conversation{m}EventTopic{m}Conversation"
    return MediaModels(user, f"Queue{user}")


MEDIA_SUFFIXES: dict[str, MediaModels] = {
    "calls": _flat("Call"),
    "callbacks": _flat("Callback"),
    "chats": _flat("Chat"),
    "cobrowseSessions": _flat("Cobrowse"),
    "emails": _flat("Email"),
    "messages": _flat("Message"),
    "screenshares": _flat("ScreenShare"),
    "socialexpressions": MediaModels(
        "ConversationSocialExpressionEventTopicSocialConversation",
        "QueueConversationSocialExpressionEventTopicConversation",
    ),
    "videos": MediaModels(
        "ConversationVideoEventTopicVideoConversation",
        "QueueConversationVideoEventTopicConversation",
    ),
}
"""Every per-media suffix the platform accepts on the user and queue conversation topics, with
the SDK models of its bodies (the SDK's notification topic map). Only the suffixes of
:data:`~gcmock.scenarios.views.events.MEDIA_TOPICS` carry events: the engine makes no chats,
cobrowse or screen-share sessions, social expressions or videos, so a channel may subscribe to
those topics but is never sent anything on them."""


def _templates() -> tuple[TopicTemplate, ...]:
    out = [
        TopicTemplate(
            "v2.users.{id}.conversations",
            "ConversationEventTopicConversation",
            "Every change to a conversation the user is on or wrapping up",
        ),
        TopicTemplate(
            "v2.routing.queues.{id}.conversations",
            "QueueConversationEventTopicConversation",
            "Every change to a conversation routed through the queue",
        ),
    ]
    for suffix, models in MEDIA_SUFFIXES.items():
        silent = "" if suffix in MEDIA_TOPICS else " (gcmock makes none: never sent)"
        out.append(
            TopicTemplate(
                f"v2.users.{{id}}.conversations.{suffix}",
                models.user,
                f"The user's {suffix}, flattened{silent}",
            )
        )
        out.append(
            TopicTemplate(
                f"v2.routing.queues.{{id}}.conversations.{suffix}",
                models.queue,
                f"The queue's {suffix}{silent}",
            )
        )
    for suffix, model in AGENT_TOPICS.items():
        out.append(
            TopicTemplate(
                f"v2.users.{{id}}.{suffix}",
                model,
                f"The user's {'presence' if suffix == 'presence' else 'routing status'}, "
                "on every change",
            )
        )
    for kind, model in DETAIL_KINDS.items():
        out.append(
            TopicTemplate(
                f"v2.detail.events.conversation.{{id}}.{kind}",
                model,
                f"Detail event {kind} of the conversation's sessions",
            )
        )
    return tuple(out)


TOPICS: tuple[TopicTemplate, ...] = _templates()
"""Every topic template served, with the SDK model its event bodies deserialize into."""

_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_CONVERSATION_TOPIC = re.compile(
    rf"^v2\.(users|routing\.queues)\.({_UUID})\.conversations(?:\.(\w+))?$"
)
_AGENT_TOPIC = re.compile(rf"^v2\.users\.({_UUID})\.(presence|routingStatus)$")
_DETAIL_TOPIC = re.compile(rf"^v2\.detail\.events\.conversation\.({_UUID})\.([a-z.]+)$")


class Topic(NamedTuple):
    """A parsed topic: ``scope`` is ``users``, ``queues``, ``detail``, ``presence`` or
    ``routingStatus``; ``entity`` the user, queue or conversation id; ``variant`` the media
    suffix or detail kind (None: the whole conversation)."""

    name: str
    scope: str
    entity: str
    variant: str | None
    model: str


def parse_topic(name: str, world: World) -> Topic | str:
    """The topic, or why the platform rejects it."""
    match = _CONVERSATION_TOPIC.match(name)
    if match:
        kind, entity, suffix = match.groups()
        scope = "users" if kind == "users" else "queues"
        if suffix is not None and suffix not in MEDIA_SUFFIXES:
            return f"Topic {name} is not a valid topic"
        known = world.users_by_id if scope == "users" else world.queues_by_id
        if entity not in known:
            return f"Topic {name} names an unknown {scope[:-1]} {entity}"
        if suffix is None:
            prefix = "" if scope == "users" else "Queue"
            model = f"{prefix}ConversationEventTopicConversation"
        else:
            models = MEDIA_SUFFIXES[suffix]
            model = models.user if scope == "users" else models.queue
        return Topic(name, scope, entity.lower(), suffix, model)
    match = _AGENT_TOPIC.match(name)
    if match:
        entity, suffix = match.groups()
        if entity not in world.users_by_id:
            return f"Topic {name} names an unknown user {entity}"
        return Topic(name, suffix, entity.lower(), None, AGENT_TOPICS[suffix])
    match = _DETAIL_TOPIC.match(name)
    if match and match.group(2) in DETAIL_KINDS:
        entity, kind = match.groups()
        return Topic(name, "detail", entity.lower(), kind, DETAIL_KINDS[kind])
    return f"Topic {name} is not a valid topic"
