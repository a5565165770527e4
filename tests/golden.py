"""Digests of what gcmock produces for fixed seeds: datasets, the world, every scenario, and a
served session (lists, every conversation, call history, analytics, writes, ``/openapi.json``).

``tests/test_golden.py`` compares them against ``tests/golden.json``, recorded from the release
before a refactor, so a move that should change no byte is checked to change none. A change
that means to alter output re-records them: ``python -m tests.golden > tests/golden.json``.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from click.testing import CliRunner

T0 = 1_793_491_200_000


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _cli(*args: str) -> bytes:
    from gcmock.cli import main

    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def dataset_digests() -> Iterator[tuple[str, str]]:
    for seed in (0, 11):
        for shape in ("conversation", "call", "analytics"):
            out = _cli(
                "generate", "--count", "400", "--seed", str(seed), "--shape", shape, "--quiet"
            )
            yield f"generate seed={seed} shape={shape}", _digest(out)
    for size in ("small", "medium"):
        with tempfile.TemporaryDirectory() as tmp:
            _cli("world", "--seed", "5", "--world-size", size, "--out", tmp)
            for path in sorted(Path(tmp).glob("*.json")):
                if path.name == "manifest.json":  # records when it was written
                    continue
                yield f"world {size} {path.name}", _digest(path.read_bytes())
    from gcmock.scenarios import SCENARIOS

    for name in sorted(SCENARIOS):
        yield f"scenario {name}", _digest(_cli("scenarios", name, "--seed", "9"))


def _served() -> Iterator[tuple[str, Any]]:
    from gcmock.mockserver import ServerConfig, create_app

    config = ServerConfig(
        seed=3,
        conversations=120,
        world_size="small",
        start_ms=T0,
        frozen=True,
        journal_size=50,
        window_ms=2 * 3600_000,
    )
    client = create_app(config).test_client()
    r = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(config.client_id, config.client_secret),
    )
    headers = {"Authorization": "Bearer " + r.get_json()["access_token"]}

    def call(method: str, path: str, body: Any = None) -> Any:
        resp = client.open(path, method=method, json=body, headers=headers)
        return resp.status_code, resp.get_data()

    yield "openapi", call("GET", "/openapi.json")
    yield "queues", call("GET", "/api/v2/routing/queues?pageSize=100")
    yield "users", call("GET", "/api/v2/users?pageSize=100")
    yield "wrapupcodes", call("GET", "/api/v2/routing/wrapupcodes?pageSize=100")
    yield "list", call("GET", "/api/v2/conversations")
    status, body = call("GET", "/__admin/conversations")
    yield "dump", (status, body)
    ids = [c["id"] for c in json.loads(body)]
    query = {"interval": "2026-10-31T00:00:00.000Z/2026-11-02T00:00:00.000Z"}
    yield "details query", call("POST", "/api/v2/analytics/conversations/details/query", query)
    for cid in ids:
        yield f"conversation {cid}", call("GET", f"/api/v2/conversations/{cid}")
        yield f"call {cid}", call("GET", f"/api/v2/conversations/calls/{cid}")
    yield "history", call("GET", "/api/v2/conversations/calls/history?pageSize=50")
    yield from _writes(call)


def _writes(call: Any) -> Iterator[tuple[str, Any]]:
    """Live calls driven through holds, a consult and a blind transfer, answers recorded."""
    _, body = call("GET", "/api/v2/conversations/calls")
    live = json.loads(body).get("entities", [])
    for conv in live:
        cid = conv["id"]
        agents = [p for p in conv["participants"] if p.get("purpose") == "agent"]
        customers = [p for p in conv["participants"] if p.get("purpose") == "customer"]
        if not agents or not customers:
            continue
        pid = agents[-1]["id"]
        base = f"/api/v2/conversations/calls/{cid}/participants/{pid}"
        yield f"hold {cid}", call("PATCH", base, {"held": True})
        yield f"unhold {cid}", call("PATCH", base, {"held": False})
        yield f"blind {cid}", call("POST", base + "/replace", {"address": "+13125550199"})
        yield f"after {cid}", call("GET", f"/api/v2/conversations/calls/{cid}")
        cust = customers[0]["id"]
        yield (
            f"consult {cid}",
            call(
                "POST",
                f"/api/v2/conversations/calls/{cid}/participants/{cust}/consult",
                {"speakTo": "DESTINATION", "destination": {"address": "+13125550177"}},
            ),
        )
        yield f"disconnect {cid}", call("PATCH", base, {"state": "disconnected"})
        yield f"final {cid}", call("GET", f"/api/v2/conversations/{cid}")


def served_digests() -> Iterator[tuple[str, str]]:
    """Error bodies carry a per-process ``contextId``: it is left out of their digest."""
    for name, (status, body) in _served():
        if status >= 400:
            error = json.loads(body)
            error.pop("contextId", None)
            body = json.dumps(error, sort_keys=True).encode()
        yield f"served {name}", f"{status} {_digest(body)}"


def digests() -> dict[str, str]:
    return dict([*dataset_digests(), *served_digests()])


if __name__ == "__main__":
    json.dump(digests(), sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
