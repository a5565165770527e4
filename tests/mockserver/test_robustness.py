"""Whatever a client loads or sends, the answer is never a 5xx: conversations with damaged
fields are refused at load (400) or served and operated on like any other."""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator
from typing import Any

from gcmock.mockserver.state import ServerState

from .conftest import Api

JUNK: tuple[Any, ...] = (None, 1, -5, "x", "", [], {}, True, "connected", "agent", "2026-13-01")


def _paths(obj: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    items = (
        obj.items() if isinstance(obj, dict) else enumerate(obj) if isinstance(obj, list) else ()
    )
    for key, value in items:
        yield (*prefix, key)
        yield from _paths(value, (*prefix, key))


def _damage(doc: dict[str, Any], rng: random.Random) -> None:
    paths = list(_paths(doc))
    for _ in range(rng.randint(1, 3)):
        *parents, last = rng.choice(paths)
        target: Any = doc
        try:
            for key in parents:
                target = target[key]
            if rng.random() < 0.3:
                del target[last]
            else:
                target[last] = rng.choice(JUNK)
        except (KeyError, IndexError, TypeError):
            continue


def test_damaged_conversations_never_cause_a_5xx(api: Api, state: ServerState) -> None:
    rng = random.Random(11)
    originals = api.client.get("/__admin/conversations").get_json()[:40]
    queue = state.world.queues[0].id
    statuses = set()
    for _ in range(120):
        doc = copy.deepcopy(rng.choice(originals))
        _damage(doc, rng)
        loaded = api.client.post("/__admin/conversations", json=doc)
        statuses.add(loaded.status_code)
        assert loaded.status_code in (200, 400), loaded.get_json()
        if loaded.status_code != 200:
            continue
        cid = doc["id"]
        calls: list[tuple[str, str, Any]] = [
            ("GET", f"/api/v2/conversations/{cid}", None),
            ("GET", f"/api/v2/conversations/calls/{cid}", None),
            ("GET", "/api/v2/conversations?pageSize=100", None),
        ]
        for p in doc["participants"]:
            pid = p.get("id") if isinstance(p, dict) else None
            if not isinstance(pid, str):
                continue
            base = f"/api/v2/conversations/{cid}/participants/{pid}"
            calls += [
                ("PATCH", base, {"state": "connected"}),
                ("PATCH", base, {"held": True}),
                ("POST", f"{base}/replace/queue", {"queueId": queue}),
                ("PATCH", base, {"state": "disconnected"}),
                ("PATCH", base, {"wrapupSkipped": True}),
            ]
        for method, path, body in calls:
            r = api.call(method, path, body)
            assert r.status_code < 500, (method, path, body, r.get_json())
        assert api.client.post("/__admin/clock", json={"advanceMs": 30_000}).status_code == 200
    assert statuses == {200, 400}
