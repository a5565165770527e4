"""Addresses named in a request are normalised by the engine, or refused with a 400 naming
the field and changing nothing; legs rung out to them keep their media's states."""

from __future__ import annotations

import pytest

from gcmock.mockserver.state import ServerState
from gcmock.scenarios import validate

from .conftest import Api
from .helpers import inbound

CALL = "/api/v2/conversations/calls/{cid}/participants/{pid}"
NESTED = "/api/v2/conversations/{cid}/participants/{pid}"
# (path, body for an address, field name, path names the customer instead of the agent)
WAYS = [
    (NESTED + "/transfer", lambda a: {"address": a}, "address", False),
    (NESTED + "/replace", lambda a: {"address": a}, "address", False),
    (
        "/api/v2/conversations/messages/{cid}/participants/{pid}/replace",
        lambda a: {"address": a},
        "address",
        False,
    ),
    (CALL + "/voice/consult", lambda a: {"address": a}, "address", True),
    (CALL + "/consult", lambda a: {"destination": {"address": a}}, "destination.address", True),
]


def _dump(api: Api) -> bytes:
    data: bytes = api.client.get("/__admin/conversations").get_data()
    return data


@pytest.mark.parametrize(("path", "body", "field", "on_customer"), WAYS)
@pytest.mark.parametrize("junk", ["¤", "abc", "tel:tel:+14155550100"])
def test_a_bad_address_is_a_400_naming_the_field(
    api: Api,
    state: ServerState,
    path: str,
    body: object,
    field: str,
    on_customer: bool,
    junk: str,
) -> None:
    media = "message" if "messages" in path else "call"
    call = inbound(api, state.world, media=media)
    pid = call.customer if on_customer else call.agent
    before = _dump(api)
    r = api.post(path.format(cid=call.id, pid=pid), body(junk))  # type: ignore[operator]
    assert r.status_code == 400, r.get_data(as_text=True)
    assert [d["fieldName"] for d in r.get_json()["details"]] == [field]
    assert _dump(api) == before


@pytest.mark.parametrize("media", ["message", "email", "call"])
@pytest.mark.parametrize("address", ["+1 415 555 0100", "tel:+14155550100"])
def test_a_transfer_to_an_address_keeps_the_media_states(
    api: Api, state: ServerState, media: str, address: str
) -> None:
    call = inbound(api, state.world, media=media)
    api.ok("POST", NESTED.format(cid=call.id, pid=call.agent) + "/transfer", {"address": address})
    data = api.ok("GET", f"/api/v2/conversations/{call.id}")
    assert validate(data, skew_ms=0) == []
    leg = data["participants"][-1]
    assert leg["purpose"] == "external" and leg["address"] == "tel:+14155550100"
    listing = api.ok("GET", "/api/v2/conversations")
    assert all(validate(c, skew_ms=0) == [] for c in listing["entities"])


def test_a_call_placed_with_the_scheme_is_stored_once(api: Api, state: ServerState) -> None:
    user = state.world.users[0]
    r = api.ok(
        "POST", f"/api/v2/conversations/calls/user/{user.id}", {"phoneNumber": "tel:+14155550100"}
    )
    data = api.ok("GET", f"/api/v2/conversations/{r['id']}")
    assert data["participants"][1]["address"] == "tel:+14155550100"
    assert validate(data, skew_ms=0) == []


def test_a_call_to_junk_is_refused_and_creates_nothing(api: Api, state: ServerState) -> None:
    user = state.world.users[0]
    before = _dump(api)
    r = api.post(f"/api/v2/conversations/calls/user/{user.id}", {"phoneNumber": "¤"})
    assert r.status_code == 400
    assert [d["fieldName"] for d in r.get_json()["details"]] == ["phoneNumber"]
    assert _dump(api) == before
    # the next call gets the id it would have had without the refused one
    first = api.ok(
        "POST", f"/api/v2/conversations/calls/user/{user.id}", {"phoneNumber": "+14155550100"}
    )
    api.client.post("/__admin/reset")
    again = api.ok(
        "POST", f"/api/v2/conversations/calls/user/{user.id}", {"phoneNumber": "+14155550100"}
    )
    assert first["id"] == again["id"]
