"""The messages a channel gets from the notification service itself, not from a topic.

``channel.metadata`` carries the heartbeat and the answer to a client's ping. The ``v2.system``
messages say why a channel stops: their bodies are the SDK's ``SystemMessageSystemMessage``
(``systemTopicType`` and ``reason`` take only the values its enums know), and the platform's
topic map names them ``v2.system.socket_closing``, ``v2.system.no_longer_subscribed.{id}`` and
``v2.system.token_revoked.{id}``, the id being the channel's.
"""

from __future__ import annotations

from typing import Any, Literal

import orjson

__all__ = ["HEARTBEAT", "PONG", "SystemKind", "metadata", "system_event", "system_topic"]

HEARTBEAT = "WebSocket Heartbeat"
PONG = "pong"

SystemKind = Literal["no_longer_subscribed", "socket_closing", "token_revoked"]

_TEXT: dict[str, str] = {
    "no_longer_subscribed": "The channel is no longer subscribed to any topic",
    "socket_closing": "The socket is closing; connect to the channel again",
    "token_revoked": "The token the channel was created with was revoked",
}


def metadata(text: str) -> bytes:
    """A ``channel.metadata`` message: the heartbeat, or ``pong``."""
    return orjson.dumps({"topicName": "channel.metadata", "eventBody": {"message": text}})


def system_topic(kind: SystemKind, channel_id: str) -> str:
    if kind == "socket_closing":
        return "v2.system.socket_closing"
    return f"v2.system.{kind}.{channel_id}"


def system_event(kind: SystemKind, channel_id: str, reason: str | None = None) -> bytes:
    """The last message of a channel that stops for ``kind``; ``reason`` one of the SDK's
    (``another_channel_subscribed``, ``user_tokens_revoked``)."""
    body: dict[str, Any] = {"channelId": channel_id, "message": _TEXT[kind]}
    if kind != "socket_closing":
        body["systemTopicType"] = kind
    if reason is not None:
        body["reason"] = reason
    return orjson.dumps({"topicName": system_topic(kind, channel_id), "eventBody": body})
