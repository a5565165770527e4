"""The notification topics gcmock serves: their templates, the SDK model of each body, and
parsing a topic a channel subscribes to."""

from __future__ import annotations

import re
from typing import NamedTuple

from ..world import World
from .detail import DETAIL_KINDS
from .events import MEDIA_TOPICS

__all__ = ["TOPICS", "Topic", "TopicTemplate", "parse_topic"]


class TopicTemplate(NamedTuple):
    template: str
    model: str
    description: str


_MEDIA_MODELS = {"calls": "Call", "callbacks": "Callback", "emails": "Email", "messages": "Message"}


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
    for suffix in MEDIA_TOPICS:
        m = _MEDIA_MODELS[suffix]
        out.append(
            TopicTemplate(
                f"v2.users.{{id}}.conversations.{suffix}",
                f"Conversation{m}EventTopic{m}Conversation",
                f"The user's {suffix}, flattened",
            )
        )
        out.append(
            TopicTemplate(
                f"v2.routing.queues.{{id}}.conversations.{suffix}",
                f"QueueConversation{m}EventTopic{m}Conversation",
                f"The queue's {suffix}, flattened",
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
_DETAIL_TOPIC = re.compile(rf"^v2\.detail\.events\.conversation\.({_UUID})\.([a-z.]+)$")


class Topic(NamedTuple):
    """A parsed topic: ``scope`` is ``users``, ``queues`` or ``detail``; ``entity`` the user,
    queue or conversation id; ``variant`` the media suffix or detail kind (None: the whole
    conversation)."""

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
        if suffix is not None and suffix not in MEDIA_TOPICS:
            return f"Topic {name} is not a valid topic"
        known = world.users_by_id if scope == "users" else world.queues_by_id
        if entity not in known:
            return f"Topic {name} names an unknown {scope[:-1]} {entity}"
        prefix = "" if scope == "users" else "Queue"
        if suffix is None:
            model = f"{prefix}ConversationEventTopicConversation"
        else:
            m = _MEDIA_MODELS[suffix]
            model = f"{prefix}Conversation{m}EventTopic{m}Conversation"
        return Topic(name, scope, entity.lower(), suffix, model)
    match = _DETAIL_TOPIC.match(name)
    if match and match.group(2) in DETAIL_KINDS:
        entity, kind = match.groups()
        return Topic(name, "detail", entity.lower(), kind, DETAIL_KINDS[kind])
    return f"Topic {name} is not a valid topic"
