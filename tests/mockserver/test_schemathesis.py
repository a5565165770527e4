"""schemathesis against the served ``/openapi.json``, in-process (WSGI), bounded: no 5xx, every
response matches its declared schema (the SDK's models), status codes and content type, and
invalid requests are refused. Path ids are, for schema-valid cases, often real ones from the
store (a conversation, one of its participants and communications, a user, a queue), so writes
reach the engine. After every accepted request every conversation passes ``validate``, and a
refused one changes none.

Not checked: ``positive_data_acceptance``. Schema-valid requests that name an unknown user,
queue or contact, or that give no or two transfer destinations, are refused with a 400 naming
the field, as the platform's ``bad.request``; the schema cannot express those rules.
"""

from __future__ import annotations

import os
import random
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import APIOperation, GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from gcmock.mockserver import ServerConfig, create_app
from gcmock.mockserver.state import EXTENSION, ServerState

from .conftest import T0, login
from .promise import StoreWatch

CASES = int(os.environ.get("GCMOCK_SCHEMATHESIS_CASES", "300"))
"""Requests in all (``max_examples`` runs of three requests each, writes three times as
likely as reads)."""
CONFIG = ServerConfig(
    seed=3, conversations=40, world_size="small", start_ms=T0, frozen=True, journal_size=50
)
EXCLUDED = (
    # a random fault would fail every later request
    "POST /__admin/faults",
    # analytics: DELETE /jobs/{jobId} also matches "availability", so Allow lists DELETE here
    "GET /api/v2/analytics/conversations/details/jobs/availability",
)


@pytest.fixture(scope="module")
def app() -> Flask:
    return create_app(CONFIG)


def _operations(app: Flask) -> list[APIOperation]:
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    ops = [result.ok() for result in schema.get_all_operations()]
    return [op for op in ops if f"{op.method.upper()} {op.path}" not in EXCLUDED]


def _real_ids(state: ServerState, op: APIOperation, rng: random.Random) -> dict[str, Any]:
    """Path ids that exist: a conversation with one of its participants and communications,
    a user, a queue, a wrap-up code, for the parameters ``op`` has."""
    snaps = state.store.dump()
    if not snaps:
        return {}
    conv = rng.choice(snaps).conv
    participant = rng.choice(conv.participants)
    world = state.world
    known = {
        "conversationId": conv.id,
        "participantId": participant.id,
        "communicationId": rng.choice(participant.comms).id if participant.comms else conv.id,
        "userId": rng.choice(world.users).id,
        "queueId": rng.choice(world.queues).id,
        "codeId": rng.choice(world.wrapup_codes).id,
    }
    return {k: v for k, v in known.items() if "{" + k + "}" in op.path}


def test_schemathesis_finds_nothing(app: Flask) -> None:
    ops = _operations(app)
    weighted = ops + 2 * [op for op in ops if op.method.upper() != "GET"]
    state: ServerState = app.extensions[EXTENSION]
    client = app.test_client()

    @settings(
        max_examples=CASES // 3,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(data=st.data(), rng=st.randoms(use_true_random=False))
    def run(data: st.DataObject, rng: random.Random) -> None:
        # each example from the served state: the real ids it draws depend on the store, and
        # hypothesis needs the same draws to give the same strategies when it replays one
        state.reset()
        watch = StoreWatch(state, None)
        for _ in range(3):
            op = data.draw(st.sampled_from(weighted))
            mode = data.draw(st.sampled_from(list(GenerationMode)))
            ids = {}
            if mode is GenerationMode.POSITIVE and data.draw(st.integers(0, 3)) > 0:
                ids = _real_ids(state, op, rng)
            headers = {"Authorization": f"Bearer {login(client)}"}
            case = data.draw(op.as_strategy(mode, path_parameters=ids, headers=headers))
            before = watch.conversations()
            response = case.call()
            case.validate_response(response, excluded_checks=[positive_data_acceptance])
            if response.status_code >= 400:
                assert watch.conversations() == before, (case.method, case.formatted_path)
            else:
                watch.check_all()

    with app.app_context():
        state.reset()
        run()
        StoreWatch(state, None).check_all()
