"""Listening in-process: the messages a socket would carry, read straight from a channel.

Iterating a :class:`Listener` yields the messages delivered so far and stops (a frozen clock
and in-process requests deliver before they return, so a test reads exactly what its actions
caused); ``async for`` waits for more until the listener is closed.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from types import TracebackType
from typing import Any

import orjson

from .channel import Channel
from .hub import Notifications

__all__ = ["Listener", "listen"]


class Listener:
    """Messages (``{topicName, version, eventBody, metadata}`` dicts) of one channel."""

    def __init__(self, hub: Notifications, channel: Channel) -> None:
        self._hub = hub
        self.channel = channel

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for data in self.channel.drain():
            yield orjson.loads(data)

    def get(self, timeout: float | None = None) -> dict[str, Any] | None:
        """The next message, waiting up to ``timeout`` s; None if none came."""
        data = self.channel.wait(timeout)
        return None if data is None else orjson.loads(data)

    async def __aiter__(self) -> AsyncIterator[dict[str, Any]]:
        while True:
            data = await asyncio.to_thread(self.channel.wait, 0.05)
            if data is not None:
                yield orjson.loads(data)
            elif self.channel.closed is not None:
                return

    def close(self) -> None:
        self._hub.remove(self.channel.id)

    def __enter__(self) -> Listener:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def listen(hub: Notifications, topics: list[str] | str) -> Listener:
    """A listener subscribed to ``topics``; a topic the platform would reject is a ValueError."""
    names = [topics] if isinstance(topics, str) else list(topics)
    parsed = hub.parse(names)
    rejected = [f"{name}: {why}" for name, why in parsed if isinstance(why, str)]
    if rejected:
        raise ValueError("rejected topics: " + "; ".join(rejected))
    channel = hub.create("gcmock.inprocess", limited=False)
    channel.connection = "in-process"
    hub.subscribe(channel, [t for _, t in parsed if not isinstance(t, str)], replace=True)
    return Listener(hub, channel)
