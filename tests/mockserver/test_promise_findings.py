"""What the promise property (``test_promise.py``) and schemathesis found, one regression test
per finding: each write here was accepted and left a conversation that failed ``validate``, or
answered a 5xx."""

from __future__ import annotations

import copy

from gcmock.mockserver.state import ServerState

from .conftest import Api
from .helpers import inbound


def _dump(api: Api) -> bytes:
    data: bytes = api.client.get("/__admin/conversations").get_data()
    return data


def test_a_load_of_an_invalid_conversation_is_refused_naming_the_first_violation(
    api: Api, state: ServerState
) -> None:
    """Found: a conversation whose startTime is not its earliest participant's was loaded."""
    good = api.ok("GET", f"/api/v2/conversations/{inbound(api, state.world, seed=7).id}")
    bad = copy.deepcopy(good)
    bad["startTime"] = bad["participants"][-1]["startTime"]
    before = _dump(api)
    r = api.client.post("/__admin/conversations", json=[good, bad])
    assert r.status_code == 400, r.get_data(as_text=True)
    error = r.get_json()
    assert error["message"].startswith("conversation [1]") and "[conv.start]" in error["message"]
    assert error["details"] == [{"errorCode": "conv.start", "fieldName": "[1]"}]
    assert _dump(api) == before


def test_a_load_read_leniently_into_an_invalid_conversation_is_refused(
    api: Api, state: ServerState
) -> None:
    """Found: ``held: -25.3`` passes validate (it does not type-check), the loader reads it as
    held, and the served conversation was held with no startHoldTime."""
    doc = api.ok("GET", f"/api/v2/conversations/{inbound(api, state.world, seed=8).id}")
    doc["participants"][0]["calls"][0]["held"] = -25.3
    before = _dump(api)
    r = api.client.post("/__admin/conversations", json=doc)
    assert r.status_code == 400, r.get_data(as_text=True)
    error = r.get_json()
    assert "as served" in error["message"] and "[hold.state]" in error["message"]
    assert _dump(api) == before
