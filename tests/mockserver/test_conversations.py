"""Reading conversations: both shapes, the per-media views, "my conversations", history."""

from __future__ import annotations

import pytest

from gcmock.mockserver.state import ServerState
from gcmock.scenarios import to_conversation_json, to_media_json, validate

from ..sdk_oracle import sdk_problems
from .conftest import Api
from .helpers import inbound


def test_get_conversation_is_the_engine_projection(api: Api, state: ServerState) -> None:
    for snap in state.store.by_start()[:40]:
        conv = snap.conv
        data = api.ok("GET", f"/api/v2/conversations/{conv.id}")
        assert data == to_conversation_json(conv)
        assert validate(data) == []
        assert sdk_problems(data, "Conversation") == []


@pytest.mark.parametrize(
    ("media", "segment", "model"),
    [
        ("call", "calls", "CallConversation"),
        ("callback", "callbacks", "CallbackConversation"),
        ("email", "emails", "EmailConversation"),
        ("message", "messages", "MessageConversation"),
    ],
)
def test_flattened_media_views(
    api: Api, state: ServerState, media: str, segment: str, model: str
) -> None:
    with_media = [
        s.conv
        for s in state.store.by_start()
        if any(c.media == media for p in s.conv.participants for c in p.comms)
    ]
    without = next(
        s.conv
        for s in state.store.by_start()
        if all(c.media != media for p in s.conv.participants for c in p.comms)
    )
    assert with_media, f"the served seed has no {media} conversation"
    conv = with_media[0]
    data = api.ok("GET", f"/api/v2/conversations/{segment}/{conv.id}")
    assert data == to_media_json(conv, media)
    assert sdk_problems(data, model) == []
    assert api.get(f"/api/v2/conversations/{segment}/{without.id}").status_code == 404
    listing = api.ok("GET", f"/api/v2/conversations/{segment}?pageSize=100")
    assert sdk_problems(listing, f"{model}EntityListing") == []
    expected = [s.conv.id for s in state.store.live() if s.conv in with_media]
    assert [c["id"] for c in listing["entities"]] == expected[:100]


def test_client_credentials_see_every_unsettled_conversation(api: Api, state: ServerState) -> None:
    live = [s.conv for s in state.store.live()]
    assert live and all(not c.settled for c in live)
    data = api.ok("GET", "/api/v2/conversations?pageSize=500")
    assert [c["id"] for c in data["entities"]] == [c.id for c in live]
    assert data["total"] == len(live) < len(state.store)
    assert sdk_problems(data, "ConversationEntityListing") == []


def test_a_user_token_sees_that_users_conversations(api: Api, state: ServerState) -> None:
    call = inbound(api, state.world)
    token = api.user_token(call.user.id)
    r = api.client.get("/api/v2/conversations", headers={"Authorization": f"Bearer {token}"})
    ids = [c["id"] for c in r.get_json()["entities"]]
    assert call.id in ids
    for cid in ids:
        conv = state.store.snapshot(cid).conv
        assert any(p.user_id == call.user.id and (p.active or p.in_acw) for p in conv.participants)


def test_communication_type_filters_and_is_checked(api: Api, state: ServerState) -> None:
    data = api.ok("GET", "/api/v2/conversations?communicationType=Call&pageSize=500")
    assert data["entities"]
    assert all(any(p["calls"] for p in c["participants"]) for c in data["entities"])
    r = api.get("/api/v2/conversations?communicationType=pigeon")
    assert r.status_code == 400
    assert r.get_json()["details"][0]["fieldName"] == "communicationType"


def test_call_history_pages_newest_first_within_an_interval(api: Api, state: ServerState) -> None:
    data = api.ok("GET", "/api/v2/conversations/calls/history?pageSize=50")
    assert sdk_problems(data, "CallHistoryConversationEntityListing") == []
    starts = [c["startTime"] for c in data["entities"]]
    assert starts == sorted(starts, reverse=True)
    lo, hi = starts[-1], starts[len(starts) // 2]
    inside = api.ok("GET", f"/api/v2/conversations/calls/history?pageSize=50&interval={lo}/{hi}")
    assert {c["id"] for c in inside["entities"]} <= {c["id"] for c in data["entities"]}
    assert all(lo <= c["startTime"] < hi for c in inside["entities"])
    assert api.get("/api/v2/conversations/calls/history?pageSize=51").status_code == 400
    r = api.get("/api/v2/conversations/calls/history?interval=yesterday")
    assert r.status_code == 400 and r.get_json()["details"][0]["fieldName"] == "interval"


def test_call_history_of_a_user_is_from_their_point_of_view(api: Api, state: ServerState) -> None:
    call = inbound(api, state.world, answered=False)
    token = api.user_token(call.user.id)
    r = api.client.get(
        "/api/v2/conversations/calls/history?expand=user",
        headers={"Authorization": f"Bearer {token}"},
    )
    mine = next(c for c in r.get_json()["entities"] if c["id"] == call.id)
    assert mine["missedCall"] is True and mine["direction"] == "inbound"
    agent = next(p for p in mine["participants"] if p["id"] == call.agent)
    assert agent["user"]["username"] == call.user.username and agent["didInteract"] is False
