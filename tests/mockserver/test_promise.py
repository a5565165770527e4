"""The promise: after any accepted write every conversation passes ``validate``; a write that
would break a rule is refused with a 4xx and changes nothing.

One property per route group (route table) of the server's write routes, in-process: random
sequences of writes (bodies from each route's request model mixed with junk, wrong types,
unknown ids and ids of other conversations) interleaved with clock advances. After each
request: no 5xx; a 2xx leaves every conversation valid (both projections of each one that
changed); a 4xx is an ErrorBody and leaves every conversation's JSON byte-identical.

Bounded in CI: 40 % of the profile's examples per group (40 of up to 12 requests each; about
two minutes in all). A long local run::

    GCMOCK_PROMISE_EXAMPLES=5000 python -m pytest -q tests/mockserver/test_promise.py

or ``--hypothesis-profile=long`` (registered in ``tests/conftest.py``).
"""

from __future__ import annotations

import base64
import os
import random
from typing import Any

import orjson
import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gcmock.mockserver import ServerConfig, create_app
from gcmock.mockserver.routes import ROUTES
from gcmock.mockserver.routes.conversations import conversation_bytes
from gcmock.mockserver.state import EXTENSION, ServerState
from gcmock.scenarios import World
from gcmock.scenarios.engine import routing
from gcmock.scenarios.engine.model import Conversation, Participant

from .conftest import T0, login
from .promise import StoreWatch
from .writes import GROUPS, Conv, Pools, Request, clock_request, request_for

CONFIG = ServerConfig(
    seed=5, conversations=12, world_size="small", start_ms=T0, frozen=True, journal_size=50
)
EXAMPLES = int(os.environ.get("GCMOCK_PROMISE_EXAMPLES", "0"))
STEPS = int(os.environ.get("GCMOCK_PROMISE_STEPS", "12"))
LOADED_GROUP = "Admin"
"""Its loads bring foreign (mutated) documents: they are held to the loader's clock skew."""


STAGED: list[Conversation] = []


def _staged(world: World) -> list[Conversation]:
    """A conversation per media and stage (connected, alerting, queued), so that writes find
    legs in every state to act on."""
    out = []
    for i, media in enumerate(("call", "callback", "email", "message", "chat")):
        for j, stage in enumerate(("connected", "alerting", "queued")):
            queue = world.queues[(i + j) % len(world.queues)]
            user = next(world.users_by_id[u] for u in queue.member_ids)
            t = T0 - 600_000
            conv = routing.start_inbound(
                world,
                random.Random(i * 10 + j),
                t,
                media=media,
                dnis=queue.dnis[0],
                ani="+13125550142",
            )
            routing.route_to_queue(
                conv, world, queue, t + 1_000 if stage != "queued" else T0 - 1_000
            )
            if stage != "queued":
                agent = routing.offer(conv, world, user, t + 5_000 if stage == "connected" else T0)
                if stage == "connected":
                    routing.answer(conv, agent.id, t + 8_000)
            out.append(conv)
    return out


@pytest.fixture(scope="module")
def app() -> Flask:
    return create_app(CONFIG)


def _state(app: Flask) -> ServerState:
    state: ServerState = app.extensions[EXTENSION]
    return state


def _actor_first(p: Participant) -> int:
    """Agents and users still on the conversation first (most writes are theirs), then the
    customer, then the rest: the simplest draw is a participant a write can act on."""
    if p.purpose in ("agent", "user") and p.active:
        return 0
    return 1 if p.purpose == "customer" else 2


class Session:
    """One example: the store back to its start plus the staged conversations, a token, and
    the digests of conversation JSON already found valid."""

    def __init__(self, app: Flask, loaded: bool) -> None:
        self.app = app
        self.state = _state(app)
        self.client = app.test_client()
        self.state.reset()
        self.state.clock.set(T0)
        if not STAGED:
            STAGED.extend(_staged(self.state.world))
        self.state.store.load(STAGED)
        self.token = login(self.client)
        self.watch = StoreWatch(self.state, None if loaded else 0)
        self.jobs: list[str] = []
        self.channels: list[str] = []
        self.watch.check_all()

    def pools(self) -> Pools:
        convs, docs = [], []
        for snap in self.watch.snaps():
            c = snap.conv
            ordered = sorted(c.participants, key=_actor_first)
            parts = [(p.id, [m.id for m in p.comms]) for p in ordered]
            convs.append(Conv(c.id, c.media, not c.settled, parts))
            if len(docs) < 8 and not c.settled:
                docs.append(orjson.loads(conversation_bytes(snap)))
        return Pools(self.state.world, convs, docs, self.jobs, self.channels)

    def send(self, req: Request) -> Any:
        headers = {"Authorization": f"Bearer {self.token}"}
        kw: dict[str, Any] = {"headers": headers, "query_string": req.query}
        if req.form is not None:
            kw["data"] = req.form
            secret = f"{CONFIG.client_id}:{CONFIG.client_secret}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(secret).decode()
        elif req.data is not None:
            kw["data"] = req.data
            kw["content_type"] = "application/json"
        elif req.json is not None or req.method in ("POST", "PUT", "PATCH"):
            kw["json"] = req.json
        return self.client.open(req.path, method=req.method, **kw)

    def step(self, req: Request) -> None:
        before = self.watch.conversations()
        r = self.send(req)
        status = r.status_code
        assert status < 500, (req, status, r.get_data(as_text=True))
        if status >= 400:
            error = r.get_json()
            if req.path.startswith("/oauth/"):  # the OAuth error shape (RFC 6749)
                assert error["error"], (req, error)
            else:
                assert error["status"] == status and error["code"], (req, error)
            after = self.watch.conversations()
            assert after == before, (req, status, error)
            return
        self._remember(req, r)
        self.watch.check_all()

    def _remember(self, req: Request, r: Any) -> None:
        data = r.get_json(silent=True)
        if req.path.endswith("/details/jobs") and isinstance(data, dict):
            self.jobs.append(data["jobId"])
        elif req.path == "/api/v2/notifications/channels" and isinstance(data, dict):
            self.channels.append(data["id"])
        elif req.path == "/api/v2/tokens/me":
            self.token = login(self.client)


def _settings() -> settings:
    return settings(
        max_examples=EXAMPLES or settings.default.max_examples * 2 // 5,
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.function_scoped_fixture,
            HealthCheck.data_too_large,
        ],
    )


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_any_accepted_write_keeps_every_conversation_valid(app: Flask, group: str) -> None:
    routes = GROUPS[group]

    @_settings()
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        with app.app_context():
            session = Session(app, loaded=group == LOADED_GROUP)
            for _ in range(data.draw(st.integers(1, STEPS), "steps")):
                if data.draw(st.integers(0, 4), "tick") == 0:
                    session.step(clock_request(data))
                else:
                    route = data.draw(st.sampled_from(routes), "route")
                    session.step(request_for(route, session.pools(), data))

    run()


def test_every_write_route_is_in_a_group() -> None:
    writes = {(r.method, r.path) for r in ROUTES if r.method in ("POST", "PUT", "PATCH", "DELETE")}
    grouped = {(r.method, r.path) for routes in GROUPS.values() for r in routes}
    assert {w for w in writes if not w[1].startswith("/__admin")} <= grouped
    assert ("POST", "/__admin/conversations") in grouped
