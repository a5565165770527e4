"""16 threads writing to the same conversations at once over HTTP: no update is lost and the
conversations stay valid."""

from __future__ import annotations

import threading
from collections import Counter

import requests

from gcmock.mockserver.serve import BackgroundServer
from gcmock.mockserver.state import ServerState
from gcmock.scenarios import validate

from .conftest import Api
from .helpers import inbound

THREADS = 16
WRITES = 25


def test_concurrent_writers_lose_nothing(
    api: Api, state: ServerState, server: BackgroundServer, http: requests.Session
) -> None:
    calls = [inbound(api, state.world, seed=i, agent_index=i) for i in range(4)]
    token = http.headers["Authorization"]
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    barrier = threading.Barrier(THREADS)

    def writer(n: int) -> None:
        session = requests.Session()
        session.headers["Authorization"] = token
        barrier.wait()
        for i in range(WRITES):
            call = calls[(n + i) % len(calls)]
            base = f"{server.url}/api/v2/conversations/calls/{call.id}/participants"
            if i % 5 == 4:  # contend on state too: hold and resume from different writers
                r = session.patch(f"{base}/{call.agent}", json={"held": n % 2 == 0})
            else:
                r = session.patch(
                    f"{base}/{call.customer}/attributes", json={"attributes": {f"t{n}-{i}": "x"}}
                )
            with lock:
                statuses[r.status_code] += 1
        session.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert set(statuses) <= {200, 202}, statuses
    assert sum(statuses.values()) == THREADS * WRITES
    written = {f"t{n}-{i}" for n in range(THREADS) for i in range(WRITES) if i % 5 != 4}
    seen: set[str] = set()
    for call in calls:
        conv = state.store.snapshot(call.id).conv
        seen |= set(conv.customer.attributes)
        kinds = Counter(e.kind for e in conv.events)
        assert kinds["attributes"] == len(conv.customer.attributes)
        toggles = [e.kind for e in conv.events if e.kind in ("hold", "resume")]
        assert toggles == ["hold", "resume"] * (len(toggles) // 2) + ["hold"] * (len(toggles) % 2)
        data = api.ok("GET", f"/api/v2/conversations/{call.id}")
        assert validate(data, skew_ms=0) == []
    assert seen == written
