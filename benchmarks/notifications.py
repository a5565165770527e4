"""Notifications under load: many WebSocket channels on queue topics while a busy period runs.

A live server (waitress + the streaming listener) on a frozen clock; calls arrive in the queues
at ``--rate`` per hour and the autopilot offers and answers them while the driver advances the
server clock ``--speed`` times faster than real time. ``--channels`` WebSocket clients (one
asyncio loop in a process of its own) each subscribe to every queue's conversation topic. Prints:

- events/s delivered to the sockets, and the latency from the state change (the store's
  publish) to the client's receive: p50 and p99;
- whether every channel got every event, per conversation in the order of its changes;
- the driver's busy time per simulated second with the channels and, the baseline measured in
  the same run, with none: the ratio is what the fan-out costs the publishing thread (it only
  queues; slow sockets never slow it).

    python benchmarks/notifications.py [--channels 200] [--seconds 600] [--rate 3600] [--speed 10]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import random
import statistics
import time
from collections import defaultdict
from typing import Any

import requests
from websockets.asyncio.client import connect

from gcmock.mockserver.inprocess import LiveServer
from gcmock.mockserver.notifications.hub import _correlation
from gcmock.scenarios import Conversation
from gcmock.scenarios.engine import routing
from gcmock.scenarios.views.events import interested_queues

T0 = 1_793_491_200_000
TICK_MS = 100


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
            correlation = _correlation(after)
            self.at[correlation] = time.time()
            self.order[after.id].append(correlation)
            self.expected += len(queues)


def _drive(server: LiveServer, arrivals: list[Conversation], seconds: int, speed: int) -> float:
    """Advance the clock ``speed`` x real time; returns the driver's busy seconds."""
    state = server.state
    pending = sorted(arrivals, key=lambda c: c.start)
    busy = 0.0
    tick_s = TICK_MS / 1000 / speed
    start = time.perf_counter()
    for tick in range(seconds * 1000 // TICK_MS):
        began = time.perf_counter()
        state.clock.advance(TICK_MS)
        now = state.clock.now()
        due = []
        while pending and pending[0].start <= now:
            due.append(pending.pop(0))
        if due:
            state.store.load(due)
        state.store.catch_up()
        state.notifications.tick()
        busy += time.perf_counter() - began
        wait = start + (tick + 1) * tick_s - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
    return busy


async def _client(uri: str, out: list[tuple[float, str, str]], ready: asyncio.Event) -> None:
    async with connect(uri, max_size=None) as ws:
        ready.set()
        async for raw in ws:
            data = json.loads(raw)
            if data.get("topicName", "").startswith("v2.routing"):
                cid = data["metadata"]["CorrelationId"]
                out.append((time.time(), cid, data["eventBody"]["id"]))


def _clients(uris: list[str], pipe: Any) -> None:
    """The consumers, in a process of their own (the server's GIL is not theirs to share):
    says ``ready`` once every socket is open, and sends what each received when told."""

    async def main() -> None:
        received: list[list[tuple[float, str, str]]] = [[] for _ in uris]
        readies = [asyncio.Event() for _ in uris]
        tasks = [
            asyncio.create_task(_client(u, out, r))
            for u, out, r in zip(uris, received, readies, strict=True)
        ]
        for r in readies:
            await r.wait()
        pipe.send("ready")
        while not pipe.poll():
            await asyncio.sleep(0.05)
        for t in tasks:
            t.cancel()
        pipe.send(received)

    asyncio.run(main())


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


def _run(args: argparse.Namespace, channels: int) -> dict[str, Any]:
    server = LiveServer(conversations=0, start_ms=T0, frozen=True, token_ttl_s=10**6)
    try:
        arrivals = _arrivals(server, args.seconds, args.rate, args.seed)
        recorder = Recorder()
        server.state.store.listeners.insert(0, recorder)
        ours, theirs = multiprocessing.Pipe()
        consumers = multiprocessing.Process(
            target=_clients, args=(_channels(server, channels), theirs), daemon=True
        )
        consumers.start()
        assert ours.recv() == "ready"
        real = time.perf_counter()
        busy = _drive(server, arrivals, args.seconds, args.speed)
        time.sleep(1.0)  # the last messages in flight
        real = time.perf_counter() - real
        ours.send("stop")
        received: list[list[tuple[float, str, str]]] = ours.recv()
        consumers.join(10)
        cut = sum(c.overflowed for c in server.state.notifications._channels.values())
    finally:
        server.stop()
    latencies = [(t - recorder.at[c]) * 1000 for out in received for t, c, _ in out]
    in_order = all(_ordered(out, recorder.order) for out in received)
    complete = all(len(out) == recorder.expected for out in received)
    return {
        "busy": busy,
        "events": sum(len(out) for out in received),
        "real": real,
        "latencies": sorted(latencies),
        "in_order": in_order,
        "complete": complete,
        "expected": recorder.expected,
        "arrivals": len(arrivals),
        "cut": cut,
    }


def _ordered(out: list[tuple[float, str, str]], order: dict[str, list[str]]) -> bool:
    by_conv: dict[str, list[str]] = defaultdict(list)
    for _, correlation, conv in out:
        if not by_conv[conv] or by_conv[conv][-1] != correlation:
            by_conv[conv].append(correlation)
    return all(seq == order[conv][: len(seq)] for conv, seq in by_conv.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--channels", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=600, help="simulated seconds")
    parser.add_argument("--rate", type=int, default=3600, help="arrivals per simulated hour")
    parser.add_argument("--speed", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    base = _run(args, 0)
    load = _run(args, args.channels)
    lat = load["latencies"]
    p50 = statistics.median(lat) if lat else float("nan")
    p99 = lat[int(len(lat) * 0.99) - 1] if lat else float("nan")
    print(
        f"{load['arrivals']} arrivals, {args.seconds} s at {args.speed}x, {args.channels} channels"
    )
    print(f"events delivered:   {load['events']} ({load['events'] / load['real']:.0f}/s)")
    print(f"latency publish->socket: p50 {p50:.1f} ms, p99 {p99:.1f} ms")
    print(f"every event to every channel: {load['complete']} ({load['expected']} each)")
    print(f"per conversation in order:    {load['in_order']}")
    print(f"channels cut off as too slow: {load['cut']}")
    per_s = 1000 / args.seconds
    print(
        f"driver busy per simulated s: {base['busy'] * per_s:.2f} ms without channels, "
        f"{load['busy'] * per_s:.2f} ms with ({load['busy'] / max(base['busy'], 1e-9):.1f}x)"
    )


if __name__ == "__main__":
    main()
