"""Notifications under load: many WebSocket channels on queue topics while a busy hour runs.

A live server (waitress + the streaming listener) on a frozen clock; calls arrive in the queues
at ``--rate`` per hour (600: a busy hour for the default org's 60 agents), the autopilot offers
them and the agents answer, and :class:`Agents` put some on hold, hang up and wrap up, while the
driver advances the server clock ``--speed`` times faster than real time (by default a whole
hour at 10x: six minutes). ``--channels`` WebSocket clients, each subscribed to every queue's
conversation topic, read as fast as they can; ``--slow`` more read one message every
``--slow-read`` seconds. The clients run in a process of their own (one asyncio loop). Prints:

- events/s delivered to the fast sockets, and the latency from the state change (the store's
  publish) to the client's receive: p50, p99, max;
- per fast channel: did it get every event, and per conversation in the order of its changes;
- the slow consumers: cut off by the server (their buffer overflowed) and how their socket
  closed, while the fast ones kept up;
- the driver's busy time per simulated second with the channels against, the baseline measured
  in the same run, none (that run unpaced: only its busy time counts), and how late the driver
  ever woke: the fan-out only queues, so a slow socket never holds up the publishing thread.

    python benchmarks/notifications.py [--minutes 60] [--channels 200] [--rate 3600] [--speed 10]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import heapq
import math
import multiprocessing
import os
import random
import socket
import threading
import time
from array import array
from collections import defaultdict
from typing import Any
from urllib.parse import urlsplit

import requests
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from gcmock.mockserver.inprocess import LiveServer
from gcmock.mockserver.notifications.hub import correlation
from gcmock.scenarios import Conversation
from gcmock.scenarios.engine import control, routing, wrapup
from gcmock.scenarios.views.events import interested_queues

T0 = 1_793_491_200_000
TICK_MS = 100
QUEUE_TOPIC = b'{"topicName":"v2.routing.'


def _arrivals(server: LiveServer, seconds: int, rate: int, seed: int) -> list[Conversation]:
    """Calls queued at exponential intervals over ``seconds`` of server time."""
    world = server.state.world
    rng = random.Random(seed)
    out, t = [], T0
    while True:
        t += int(rng.expovariate(rate / 3_600_000))
        if t >= T0 + seconds * 1000:
            return out
        queue = rng.choice(world.queues)
        conv = routing.start_inbound(
            world, random.Random(rng.getrandbits(64)), t - 2_000, dnis=queue.dnis[0], ani="+1312"
        )
        routing.route_to_queue(conv, world, queue, t)
        out.append(conv)


class Recorder:
    """Publish times and order per conversation, and the queue-topic messages each implies."""

    def __init__(self) -> None:
        self.at: dict[str, float] = {}
        self.order: dict[str, list[str]] = defaultdict(list)
        self.expected = 0

    def __call__(self, before: Conversation | None, after: Conversation) -> None:
        queues = interested_queues(after) | (interested_queues(before) if before else frozenset())
        if queues:
            cid = correlation(after)
            self.at[cid] = time.time()
            self.order[after.id].append(cid)
            self.expected += len(queues)


def _between(key: str, lo_s: int, hi_s: int) -> int:
    """A duration in ms drawn from ``key`` alone (as the autopilot does), ``lo_s``..``hi_s``."""
    u = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest()) / 2**64
    return int((lo_s + u * (hi_s - lo_s)) * 1000)


class Agents:
    """What the autopilot leaves to people: an agent talks 2-6 min after answering (three
    calls in ten put on hold for 20-40 s on the way), hangs up, and wraps up 15-60 s later.

    A store listener schedules each step when it sees the state that calls for it; the
    driver applies the steps due through :meth:`Store.edit` with engine operations."""

    def __init__(self, server: LiveServer) -> None:
        self.state = server.state
        self._due: list[tuple[int, str, str, str]] = []
        self._seen: set[tuple[str, str]] = set()
        self._lock = threading.Lock()

    def __call__(self, before: Conversation | None, after: Conversation) -> None:
        for p in after.participants:
            c = p.comm
            if p.purpose != "agent" or not p.user_id:
                continue
            if c.state == "connected" and c.connected is not None:
                talk = _between(f"{p.id}:talk", 120, 360)
                self._plan(c.connected + talk, after.id, p.id, "hang up")
                if _between(f"{p.id}:hold", 0, 10) < 3_000:
                    held = c.connected + talk // 3
                    self._plan(held, after.id, p.id, "hold")
                    self._plan(held + _between(f"{p.id}:held", 20, 40), after.id, p.id, "resume")
            if p.in_acw and p.acw_start is not None:
                self._plan(p.acw_start + _between(f"{p.id}:acw", 15, 60), after.id, p.id, "wrap")

    def _plan(self, at: int, conv_id: str, participant_id: str, step: str) -> None:
        with self._lock:
            if (participant_id, step) not in self._seen:
                self._seen.add((participant_id, step))
                heapq.heappush(self._due, (at, conv_id, participant_id, step))

    def act(self, now: int) -> None:
        """Every step due by ``now``; one the conversation no longer allows is dropped."""
        while True:
            with self._lock:
                if not self._due or self._due[0][0] > now:
                    return
                _, conv_id, pid, step = heapq.heappop(self._due)
            try:
                with self.state.store.edit(conv_id) as (conv, at):
                    self._apply(conv, pid, step, at)
            except Exception:  # the call moved on (the customer hung up...): nothing to do
                continue

    def _apply(self, conv: Conversation, pid: str, step: str, at: int) -> None:
        if step == "hold":
            control.hold(conv, pid, at)
        elif step == "resume":
            control.resume(conv, pid, at)
        elif step == "hang up":
            control.disconnect(conv, pid, at)
        else:
            p = conv.participant(pid)
            code = wrapup.wrapup_codes_for(self.state.world, p)[0]
            wrapup.wrap_up(conv, self.state.world, pid, code, at)


def _drive(server: LiveServer, arrivals: list[Conversation], seconds: int, speed: float) -> Any:
    """Advance the clock ``speed`` x real time (unpaced when ``speed`` is 0), the agents
    acting as they are due; returns the driver's busy seconds and the most it ever woke late."""
    state = server.state
    agents = Agents(server)
    state.store.listeners.append(agents)
    pending = sorted(arrivals, key=lambda c: c.start)
    busy = late = 0.0
    tick_s = TICK_MS / 1000 / speed if speed else 0.0
    start = time.perf_counter()
    for tick in range(seconds * 1000 // TICK_MS):
        began = time.perf_counter()
        if tick_s:
            late = max(late, began - (start + tick * tick_s))
        state.clock.advance(TICK_MS)
        now = state.clock.now()
        due = []
        while pending and pending[0].start <= now:
            due.append(pending.pop(0))
        if due:
            state.store.load(due)
        state.store.catch_up()
        agents.act(now)
        state.notifications.tick()
        busy += time.perf_counter() - began
        wait = start + (tick + 1) * tick_s - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
    return busy, late


class Received:
    """What one client got: per queue-topic message its correlation id (as an index into the
    process's table) and receive time; how its socket closed."""

    def __init__(self) -> None:
        self.cids = array("i")
        self.times = array("d")
        self.closed: tuple[int | None, str] | None = None


def _small_socket(uri: str) -> socket.socket:
    """A connected TCP socket with a small receive buffer: a slow reader's backlog stays on
    the server instead of in the kernel."""
    host, port = urlsplit(uri).hostname or "", urlsplit(uri).port or 80
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32 * 1024)
    sock.connect((host, port))
    sock.setblocking(False)
    return sock


async def _client(
    uri: str, out: Received, ids: dict[str, int], ready: asyncio.Event, pause: float
) -> None:
    sock = _small_socket(uri) if pause else None
    async with connect(uri, max_size=None, sock=sock, max_queue=1 if pause else 16) as ws:
        ready.set()
        try:
            async for raw in ws:
                data = raw.encode() if isinstance(raw, str) else raw
                if data.startswith(QUEUE_TOPIC):
                    cid = data[-39:-3].decode()  # ..."metadata":{"CorrelationId":"<36>"}}
                    out.cids.append(ids.setdefault(cid, len(ids)))
                    out.times.append(time.time())
                if pause:
                    await asyncio.sleep(pause)
        except ConnectionClosed as closed:
            rcvd = closed.rcvd
            out.closed = (rcvd.code, rcvd.reason) if rcvd else (None, "no close frame")


def _clients(uris: list[str], slow: int, pause: float, pipe: Any) -> None:
    """The consumers, in a process of their own (the server's GIL is not theirs to share):
    the last ``slow`` of them read one message every ``pause`` s. Says ``ready`` once every
    socket is open; when told, reads the publish record and sends back the figures."""

    async def main() -> tuple[list[Received], dict[str, int]]:
        ids: dict[str, int] = {}
        received = [Received() for _ in uris]
        readies = [asyncio.Event() for _ in uris]
        tasks = [
            asyncio.create_task(_client(u, out, ids, r, pause if i >= len(uris) - slow else 0))
            for i, (u, out, r) in enumerate(zip(uris, received, readies, strict=True))
        ]
        for r in readies:
            await r.wait()
        pipe.send("ready")
        while not pipe.poll():
            await asyncio.sleep(0.05)
        assert pipe.recv() == "stop"
        for t in tasks:
            t.cancel()
        return received, ids

    received, ids = asyncio.run(main())
    at, order, expected = pipe.recv()
    fast = len(uris) - slow
    pipe.send(_figures(received[:fast], received[fast:], ids, at, order, expected))


def _figures(
    fast: list[Received],
    slow: list[Received],
    ids: dict[str, int],
    at: dict[str, float],
    order: dict[str, list[str]],
    expected: int,
) -> dict[str, Any]:
    names = [""] * len(ids)
    for cid, i in ids.items():
        names[i] = cid
    published = [at[c] for c in names]
    rank = {}
    for conv, cids in order.items():
        for n, cid in enumerate(cids):
            rank[cid] = (conv, n)
    where = [rank.get(c, ("?", -1)) for c in names]
    latencies = sorted(t - published[i] for r in fast for i, t in zip(r.cids, r.times, strict=True))
    return {
        "events": sum(len(r.cids) for r in fast),
        "complete": sum(len(r.cids) == expected for r in fast),
        "in_order": sum(_ordered(r, where) for r in fast),
        "fast_closed": sum(r.closed is not None for r in fast),
        "latency_ms": [_percentile(latencies, p) * 1000 for p in (50, 99, 100)],
        "slow": [(len(r.cids), r.closed) for r in slow],
    }


def _percentile(ordered: list[float], p: float) -> float:
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] if ordered else math.nan


def _ordered(r: Received, where: list[tuple[str, int]]) -> bool:
    """Per conversation, the changes arrive in the order they were made (a change reaching a
    channel on two queues' topics comes twice in a row)."""
    last: dict[str, int] = {}
    for i in r.cids:
        conv, n = where[i]
        if n < last.get(conv, -1) or n < 0:
            return False
        last[conv] = n
    return True


def _channels(server: LiveServer, count: int) -> list[str]:
    """``count`` channels on every queue topic, 20 per user token (the platform's limit)."""
    world = server.state.world
    topics = [{"id": f"v2.routing.queues.{q.id}.conversations"} for q in world.queues]
    uris = []
    for i in range(count):
        if i % 20 == 0:
            user = world.users[i // 20].id
            body = {"userId": user}
            token = requests.post(f"{server.url}/__admin/tokens", json=body, timeout=10).json()
            headers = {"Authorization": f"Bearer {token['access_token']}"}
        base = f"{server.url}/api/v2/notifications/channels"
        channel = requests.post(base, headers=headers, timeout=10).json()
        requests.put(f"{base}/{channel['id']}/subscriptions", json=topics, headers=headers)
        uris.append(channel["connectUri"])
    return uris


def _drain(server: LiveServer, limit_s: float = 120) -> float:
    """Wait until every channel still delivering has sent what it holds (then 1 s for the
    sockets); the seconds that took."""
    began = time.perf_counter()
    channels = list(server.state.notifications._channels.values())
    while time.perf_counter() - began < limit_s:
        if all(c.pending == 0 for c in channels if c.closed is None):
            break
        time.sleep(0.1)
    time.sleep(1.0)
    return time.perf_counter() - began


def _answer(pipe: Any, process: multiprocessing.Process) -> Any:
    """The consumers' next answer; an error if their process died instead."""
    while not pipe.poll(1):
        if not process.is_alive():
            raise RuntimeError(f"the consumers' process exited ({process.exitcode})")
    return pipe.recv()


def _baseline(args: argparse.Namespace) -> float:
    """The driver's busy seconds over the same hour with no channel, unpaced."""
    server = LiveServer(conversations=0, start_ms=T0, frozen=True, token_ttl_s=10**6)
    try:
        arrivals = _arrivals(server, args.minutes * 60, args.rate, args.seed)
        busy, _ = _drive(server, arrivals, args.minutes * 60, 0)
    finally:
        server.stop()
    return float(busy)


def _run(args: argparse.Namespace) -> dict[str, Any]:
    server = LiveServer(conversations=0, start_ms=T0, frozen=True, token_ttl_s=10**6)
    try:
        arrivals = _arrivals(server, args.minutes * 60, args.rate, args.seed)
        recorder = Recorder()
        server.state.store.listeners.insert(0, recorder)
        ours, theirs = multiprocessing.Pipe()
        uris = _channels(server, args.channels + args.slow)
        consumers = multiprocessing.Process(
            target=_clients, args=(uris, args.slow, args.slow_read, theirs), daemon=True
        )
        consumers.start()
        assert _answer(ours, consumers) == "ready"
        real = time.perf_counter()
        busy, late = _drive(server, arrivals, args.minutes * 60, args.speed)
        drain = _drain(server)
        real = time.perf_counter() - real
        cut = [c.overflowed for c in server.state.notifications._channels.values()]
        ours.send("stop")
        ours.send((recorder.at, dict(recorder.order), recorder.expected))
        figures: dict[str, Any] = _answer(ours, consumers)
        consumers.join(30)
    finally:
        server.stop()
    figures.update(
        busy=busy,
        late=late,
        real=real,
        drain=drain,
        expected=recorder.expected,
        arrivals=len(arrivals),
    )
    figures["cut"] = sum(cut)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--minutes", type=int, default=60, help="simulated minutes")
    parser.add_argument("--channels", type=int, default=200, help="consumers that keep up")
    parser.add_argument("--slow", type=int, default=1, help="consumers that fall behind")
    parser.add_argument("--slow-read", type=float, default=1.0, help="their s per message")
    parser.add_argument("--rate", type=int, default=600, help="arrivals per simulated hour")
    parser.add_argument("--speed", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    before = os.getloadavg()[0]
    base = _baseline(args)
    load = _run(args)
    after = os.getloadavg()[0]
    p50, p99, worst = load["latency_ms"]
    n = args.channels
    print(
        f"{load['arrivals']} arrivals over {args.minutes} simulated min at {args.speed}x "
        f"({load['real']:.0f} s, {load['drain']:.0f} of them draining), "
        f"{n} channels + {args.slow} slow; "
        f"load average {before:.1f} before, {after:.1f} after on {os.cpu_count()} cores"
    )
    print(f"events delivered:   {load['events']} ({load['events'] / load['real']:.0f}/s)")
    print(f"latency publish->socket: p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {worst:.0f} ms")
    print(f"channels with every event:   {load['complete']} of {n} ({load['expected']} each)")
    print(f"channels in order per conv:  {load['in_order']} of {n}")
    print(f"fast channels disconnected:  {load['fast_closed']}")
    for got, closed in load["slow"]:
        end = "still connected at the end" if closed is None else f"then closed: {closed}"
        print(f"slow consumer: read {got} events, {end}")
    print(f"channels the server cut off (buffer overflowed): {load['cut']}")
    per_s = 1000 / (args.minutes * 60)
    print(
        f"driver busy per simulated s: {base * per_s:.2f} ms without channels, "
        f"{load['busy'] * per_s:.2f} ms with ({load['busy'] / max(base, 1e-9):.1f}x); "
        f"latest wake-up {load['late'] * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
