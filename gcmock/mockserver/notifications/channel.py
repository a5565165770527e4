"""One notification channel: its subscriptions and a bounded buffer of messages to deliver.

Publishing never waits for a consumer: :meth:`Channel.put` appends under a short lock and wakes
whoever reads (the socket's sender or an in-process listener). A consumer that lets the buffer
fill up is cut off: the channel is marked ``overflowed`` and its reader closes the connection.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable

from gcmock.scenarios.views.topics import Topic

__all__ = ["BUFFER", "Channel"]

BUFFER = 1000
"""Messages a channel holds for a consumer that has not read them yet."""


class Channel:
    __slots__ = (
        "_cond",
        "_queue",
        "_wake_pending",
        "buffer",
        "closed",
        "connection",
        "expires",
        "id",
        "last_used",
        "overflowed",
        "owner",
        "token",
        "topics",
        "waker",
    )

    def __init__(self, channel_id: str, owner: str, expires: int, buffer: int = BUFFER) -> None:
        self.id = channel_id
        self.owner = owner
        self.token: str | None = None
        """The bearer token that created the channel: revoking it ends the channel."""
        self.expires = expires
        self.last_used = 0
        self.topics: dict[str, Topic] = {}
        self.buffer = buffer
        self.connection: object | None = None
        """The socket connection reading this channel (one at a time), or an in-process
        listener."""
        self.waker: Callable[[], None] | None = None
        """Called (from any thread) when messages arrive; must not block."""
        self.closed: str | None = None
        """Why the channel stopped delivering (expired, removed, overflowed), or None."""
        self.overflowed = False
        self._queue: deque[bytes] = deque()
        self._cond = threading.Condition(threading.Lock())
        self._wake_pending = False

    def put(self, message: bytes) -> None:
        """Queue ``message``; a full buffer closes the channel instead of waiting."""
        with self._cond:
            if self.closed is not None:
                return
            if len(self._queue) >= self.buffer:
                self._queue.clear()
                self.overflowed = True
                self.closed = "the consumer fell behind"
                self._wake_pending = False
            else:
                self._queue.append(message)
            self._cond.notify_all()
            wake = self.waker if not self._wake_pending else None
            self._wake_pending = wake is not None
        if wake is not None:
            wake()

    def close(self, reason: str, last: bytes | None = None) -> None:
        """Stop delivering after ``last`` (a system message), if any."""
        with self._cond:
            if self.closed is not None:
                return
            if last is not None:
                self._queue.append(last)
            self.closed = reason
            self._cond.notify_all()
            wake = self.waker
            self._wake_pending = True
        if wake is not None:
            wake()

    def drain(self) -> list[bytes]:
        """Every queued message, oldest first, and the queue emptied."""
        with self._cond:
            out = list(self._queue)
            self._queue.clear()
            self._wake_pending = False
        return out

    def wait(self, timeout: float | None) -> bytes | None:
        """The next message, waiting up to ``timeout`` s for one; None when none came or the
        channel is closed and empty."""
        with self._cond:
            if not self._queue and self.closed is None and timeout:
                self._cond.wait_for(lambda: self._queue or self.closed is not None, timeout)
            return self._queue.popleft() if self._queue else None

    @property
    def pending(self) -> int:
        return len(self._queue)
