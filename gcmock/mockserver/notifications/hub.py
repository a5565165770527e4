"""The server's notification channels and the fan-out of every conversation change to them.

The store tells :meth:`Notifications.published` about each publish, under the conversation's
lock, so the messages of one conversation are queued in the order of its changes. With no
subscription the call returns at once; otherwise only the topics someone subscribed to are
projected, each once per change, and the same bytes are queued on every channel listening.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections.abc import Iterable
from typing import Any

import orjson

from gcmock.scenarios import Conversation, World
from gcmock.scenarios.views.detail import new_detail_events
from gcmock.scenarios.views.events import (
    MEDIA_TOPICS,
    conversation_event,
    interested_queues,
    interested_users,
    media_event,
)
from gcmock.scenarios.views.topics import Topic, parse_topic

from ..clock import Clock
from .channel import BUFFER, Channel

__all__ = [
    "CHANNEL_LIMIT",
    "CHANNEL_TTL_MS",
    "HEARTBEAT_MS",
    "TOPIC_LIMIT",
    "Notifications",
    "message",
    "system_message",
]

CHANNEL_LIMIT = 20
TOPIC_LIMIT = 1000
CHANNEL_TTL_MS = 24 * 3600 * 1000
HEARTBEAT_MS = 30_000

_Key = tuple[str, str]
"""(scope, entity): ``("users", user id)``, ``("queues", queue id)``, ``("detail", conv id)``."""


def _correlation(conv: Conversation) -> str:
    """One id per change, the same on every topic it is sent on, reproducible."""
    h = hashlib.blake2b(f"{conv.id}:{conv.version}".encode(), digest_size=16).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def message(topic: str, body: Any, correlation: str) -> bytes:
    return orjson.dumps(
        {
            "topicName": topic,
            "version": "2",
            "eventBody": body,
            "metadata": {"CorrelationId": correlation},
        }
    )


def system_message(topic: str, text: str) -> bytes:
    """``channel.metadata`` (heartbeat, pong) and ``v2.system.*`` messages."""
    return orjson.dumps({"topicName": topic, "eventBody": {"message": text}})


class Notifications:
    """Channels by id, their owners' limits, and the subscription index of the fan-out."""

    def __init__(self, world: World, clock: Clock, *, heartbeat_ms: int = HEARTBEAT_MS) -> None:
        self.world = world
        self.clock = clock
        self.heartbeat_ms = heartbeat_ms
        self.buffer = BUFFER
        self.stream_url: str | None = None
        """``ws://host:port`` of the streaming listener, once one runs."""
        self._lock = threading.RLock()
        self._channels: dict[str, Channel] = {}
        self._index: dict[_Key, dict[str, set[Channel]]] = {}
        self._beats: dict[str, int] = {}
        self._variants: dict[str, str | None] = {}
        """Topic name -> its media suffix or detail kind, for every topic subscribed."""
        self._uses = 0

    # -- channels --------------------------------------------------------------------------
    def create(self, owner: str, *, limited: bool = True) -> Channel:
        """A new channel of ``owner``; the 21st removes the owner's least recently used one
        (one nobody is connected to, if there is one)."""
        now = self.clock.now()
        with self._lock:
            self._expire(now)
            if limited:
                mine = [c for c in self._channels.values() if c.owner == owner]
                if len(mine) >= CHANNEL_LIMIT:
                    victim = min(mine, key=lambda c: (c.connection is not None, c.last_used))
                    self.remove(victim.id, "v2.system.no_longer_subscribed")
            channel = Channel(str(_new_uuid()), owner, now + CHANNEL_TTL_MS, self.buffer)
            self._touch(channel)
            self._channels[channel.id] = channel
            self._beats[channel.id] = now
        return channel

    def get(self, channel_id: str) -> Channel | None:
        with self._lock:
            self._expire(self.clock.now())
            return self._channels.get(channel_id)

    def owned(self, owner: str) -> list[Channel]:
        with self._lock:
            self._expire(self.clock.now())
            return [c for c in self._channels.values() if c.owner == owner]

    def remove(self, channel_id: str, topic: str | None = None) -> None:
        """Forget a channel; its reader gets ``topic`` (a ``v2.system`` message) last."""
        with self._lock:
            channel = self._channels.pop(channel_id, None)
            self._beats.pop(channel_id, None)
            if channel is None:
                return
            self._unindex(channel, list(channel.topics.values()))
        last = system_message(topic, topic.rsplit(".", 1)[-1]) if topic else None
        channel.close(topic or "removed", last)

    def revoked(self, token: str) -> None:
        """The channels ``token`` created end with ``v2.system.token_revoked``."""
        with self._lock:
            ids = [c.id for c in self._channels.values() if c.token == token]
        for cid in ids:
            self.remove(cid, "v2.system.token_revoked")

    def _touch(self, channel: Channel) -> None:
        self._uses += 1
        channel.last_used = self._uses

    def touch(self, channel: Channel) -> None:
        with self._lock:
            self._touch(channel)

    def _expire(self, now: int) -> None:
        for channel in [c for c in self._channels.values() if c.expires <= now]:
            self.remove(channel.id, "v2.system.no_longer_subscribed")

    # -- subscriptions ---------------------------------------------------------------------
    def parse(self, names: Iterable[str]) -> list[tuple[str, Topic | str]]:
        return [(name, parse_topic(name, self.world)) for name in names]

    def subscribe(self, channel: Channel, topics: Iterable[Topic], *, replace: bool) -> None:
        """Add (or, with ``replace``, set) the channel's topics; extends its life 24 h."""
        with self._lock:
            if replace:
                self._unindex(channel, list(channel.topics.values()))
                channel.topics = {}
            for topic in topics:
                if topic.name not in channel.topics:
                    channel.topics[topic.name] = topic
                    key = (topic.scope, topic.entity)
                    self._variants[topic.name] = topic.variant
                    self._index.setdefault(key, {}).setdefault(topic.name, set()).add(channel)
            channel.expires = self.clock.now() + CHANNEL_TTL_MS
            self._touch(channel)

    def unsubscribe_all(self, channel: Channel) -> None:
        with self._lock:
            self._unindex(channel, list(channel.topics.values()))
            channel.topics = {}
            self._touch(channel)

    def _unindex(self, channel: Channel, topics: list[Topic]) -> None:
        for topic in topics:
            key = (topic.scope, topic.entity)
            by_name = self._index.get(key, {})
            listeners = by_name.get(topic.name)
            if listeners is not None:
                listeners.discard(channel)
                if not listeners:
                    del by_name[topic.name]
                    self._variants.pop(topic.name, None)
            if not by_name:
                self._index.pop(key, None)

    # -- fan-out ---------------------------------------------------------------------------
    def published(self, before: Conversation | None, after: Conversation) -> None:
        """Queue the messages of the change ``before`` -> ``after`` on every channel listening."""
        index = self._index
        if not index:
            return
        users = interested_users(after) | (interested_users(before) if before else frozenset())
        queues = interested_queues(after) | (interested_queues(before) if before else frozenset())
        keys: list[_Key] = [("users", u) for u in sorted(users)]
        keys += [("queues", q) for q in sorted(queues)]
        keys.append(("detail", after.id))
        with self._lock:
            targets = [
                (key, [(n, self._variants[n], list(cs)) for n, cs in index[key].items()])
                for key in keys
                if key in index
            ]
        if not targets:
            return
        correlation = _correlation(after)
        bodies: dict[str | None, Any] = {}
        details = None
        for key, by_name in targets:
            for name, variant, channels in by_name:
                if key[0] == "detail":
                    if details is None:
                        details = new_detail_events(before, after)
                    out = [message(name, e.body, correlation) for e in details if e.kind == variant]
                else:
                    if variant not in bodies:
                        bodies[variant] = _body(after, variant)
                    body = bodies[variant]
                    out = [message(name, body, correlation)] if body is not None else []
                for channel in channels:
                    for data in out:
                        channel.put(data)

    # -- time ------------------------------------------------------------------------------
    def tick(self) -> None:
        """Heartbeats due by the server clock, and channels that expired."""
        now = self.clock.now()
        beat = system_message("channel.metadata", "WebSocket Heartbeat")
        with self._lock:
            self._expire(now)
            due = []
            for cid, last in self._beats.items():
                channel = self._channels[cid]
                if channel.connection is not None and now - last >= self.heartbeat_ms:
                    missed = min((now - last) // self.heartbeat_ms, 10)
                    self._beats[cid] = now
                    due.append((channel, missed))
                elif channel.connection is None:
                    self._beats[cid] = now
        for channel, missed in due:
            for _ in range(missed):
                channel.put(beat)

    @property
    def active(self) -> bool:
        return bool(self._channels)

    def close_all(self, topic: str) -> None:
        """Tell every channel's reader ``topic`` and forget every channel."""
        with self._lock:
            ids = list(self._channels)
        for cid in ids:
            self.remove(cid, topic)

    def reset(self) -> None:
        self.close_all("v2.system.no_longer_subscribed")


def _body(conv: Conversation, variant: str | None) -> Any:
    if variant is None:
        return conversation_event(conv)
    media = MEDIA_TOPICS[variant]
    if not any(c.media == media for p in conv.participants for c in p.comms):
        return None
    return media_event(conv, media)


def _new_uuid() -> str:
    h = secrets.token_hex(16)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"
