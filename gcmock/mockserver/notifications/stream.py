"""The streaming listener: channels' ``connectUri`` (``ws://host:port/channels/{id}``).

Waitress cannot upgrade a connection, so the WebSocket side is the ``websockets`` library's
asyncio server on a thread of its own, as the platform's separate streaming host. Each
connection's sender drains its channel's buffer when woken; the publishing threads only ever
append to that buffer. A ticker thread lets time act when no request comes in (the autopilot's
due steps, heartbeats, expiry) while channels exist.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

import orjson
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from .channel import Channel
from .hub import TOPIC_LIMIT, Notifications, system_message

__all__ = ["StreamServer"]

TICK_S = 0.05
"""How often the ticker lets a running clock act."""
OVERFLOW_CLOSE = 1008
"""Close code for a consumer that fell behind (policy violation)."""


class StreamServer:
    """The WebSocket listener of ``hub``'s channels, on ``host`` (a free port by default)."""

    def __init__(
        self,
        hub: Notifications,
        host: str = "127.0.0.1",
        port: int = 0,
        catch_up: Callable[[], object] | None = None,
    ) -> None:
        self.hub = hub
        self._catch_up = catch_up
        self._loop = asyncio.new_event_loop()
        self._server: Server | None = None
        self._stopping = threading.Event()
        self.url = ""
        """``ws://host:port``, once listening."""
        self._ticker = threading.Thread(target=self._tick, name="gcmock-stream-tick", daemon=True)
        ready = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(host, port, ready), name="gcmock-stream", daemon=True
        )
        self._thread.start()
        ready.wait(10)
        if self._server is None:
            raise OSError(f"cannot listen on {host}:{port}")
        bound = next(iter(self._server.sockets)).getsockname()
        self.url = f"ws://{host}:{bound[1]}"
        hub.stream_url = self.url
        self._ticker.start()

    def _run(self, host: str, port: int, ready: threading.Event) -> None:
        asyncio.set_event_loop(self._loop)

        async def start() -> None:
            self._server = await serve(
                self._handler,
                host,
                port,
                process_request=self._route,
                close_timeout=2,
                ping_interval=None,
            )

        try:
            self._loop.run_until_complete(start())
        finally:
            ready.set()
        if self._server is not None:
            self._loop.run_forever()

    def _tick(self) -> None:
        while not self._stopping.wait(TICK_S):
            if not self.hub.active:
                continue
            try:
                if self._catch_up is not None:
                    self._catch_up()
                self.hub.tick()
            except Exception:  # the ticker must outlive a bad step; the store logs it
                continue

    def _route(self, connection: ServerConnection, request: Request) -> Response | None:
        path = request.path.split("?", 1)[0]
        prefix, _, channel_id = path.rpartition("/")
        if prefix != "/channels" or self.hub.get(channel_id) is None:
            return connection.respond(HTTPStatus.NOT_FOUND, "channel not found\n")
        return None

    async def _handler(self, ws: ServerConnection) -> None:
        channel_id = ws.request.path.split("?", 1)[0].rpartition("/")[2] if ws.request else ""
        channel = self.hub.get(channel_id)
        if channel is None:
            await ws.close(1008, "channel not found")
            return
        loop = asyncio.get_running_loop()
        wake = asyncio.Event()
        previous = channel.connection

        def woken() -> None:
            wake.set()
            if channel.overflowed and channel.connection is ws:
                # the sender may be stuck writing to this very consumer: close from here
                channel.connection = None
                closing.add(loop.create_task(ws.close(OVERFLOW_CLOSE, "consumer too slow")))

        def waker() -> None:
            loop.call_soon_threadsafe(woken)

        closing: set[asyncio.Task[None]] = set()
        channel.connection = ws
        channel.waker = waker
        self.hub.touch(channel)
        if isinstance(previous, ServerConnection):
            await previous.close(1000, "another connection opened on this channel")
        wake.set()
        sender = asyncio.create_task(self._send(ws, channel, wake))
        try:
            async for raw in ws:
                self._receive(channel, raw)
        except ConnectionClosed:
            pass
        finally:
            sender.cancel()
            if channel.connection is ws:
                channel.connection = None
                channel.waker = None

    async def _send(self, ws: ServerConnection, channel: Channel, wake: asyncio.Event) -> None:
        while channel.connection is ws:
            await wake.wait()
            wake.clear()
            if channel.connection is not ws:
                return
            try:
                for data in channel.drain():
                    await ws.send(data.decode())
            except ConnectionClosed:
                return
            if channel.closed is not None and not channel.pending:
                await ws.close(OVERFLOW_CLOSE if channel.overflowed else 1000, channel.closed)
                return

    def _receive(self, channel: Channel, raw: str | bytes) -> None:
        """A client's ``ping`` or ``subscribe``; answers go through the channel, in order."""
        try:
            request: Any = orjson.loads(raw)
        except orjson.JSONDecodeError:
            request = None
        if not isinstance(request, dict):
            channel.put(orjson.dumps({"result": "400", "message": "not a JSON object"}))
            return
        kind = request.get("message")
        if kind == "ping":
            channel.put(system_message("channel.metadata", "pong"))
        elif kind == "subscribe":
            channel.put(orjson.dumps(self._subscribe(channel, request)))
        else:
            channel.put(orjson.dumps({"result": "400", "message": f"unknown message {kind!r}"}))

    def _subscribe(self, channel: Channel, request: dict[str, Any]) -> dict[str, Any]:
        topics = request.get("topics")
        answer: dict[str, Any] = {}
        if "correlationId" in request:
            answer["correlationId"] = request["correlationId"]
        if not isinstance(topics, list) or not all(isinstance(t, str) for t in topics):
            return {"result": "400", "message": "topics must be a list of topic names", **answer}
        parsed = self.hub.parse(topics)
        rejected = [why for _, why in parsed if isinstance(why, str)]
        if rejected:
            return {"result": "400", "message": rejected[0], **answer}
        if len(set(topics) | set(channel.topics)) > TOPIC_LIMIT:
            message = f"a channel can subscribe to at most {TOPIC_LIMIT} topics"
            return {"result": "400", "message": message, **answer}
        self.hub.subscribe(channel, [t for _, t in parsed if not isinstance(t, str)], replace=False)
        return {"result": "200", "status": "subscribed", **answer}

    def stop(self) -> None:
        """Tell every connected channel ``v2.system.socket_closing``, close, stop the loop."""
        self._stopping.set()
        self.hub.close_all("v2.system.socket_closing")
        server = self._server
        if server is not None:

            async def shut() -> None:
                await asyncio.sleep(0.2)  # let the senders flush the closing message
                server.close()
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(server.wait_closed(), 5)

            asyncio.run_coroutine_threadsafe(shut(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._ticker.join(5)
        if self.hub.stream_url == self.url:
            self.hub.stream_url = None
