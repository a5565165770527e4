"""The official SDK against the live server: only ``host`` changes, every call goes through
``ConversationsApi``/``UsersApi``/``RoutingApi``, every response is checked field by field
against the SDK's models (no dropped field, no ``outdated_sdk_version``), and every conversation
passes ``validate`` at the end."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import PureCloudPlatformClientV2 as sdk
import pytest
import requests
from PureCloudPlatformClientV2.rest import ApiException

from gcmock.mockserver.serve import BackgroundServer
from gcmock.mockserver.state import ServerState
from gcmock.scenarios import DatasetValidator

from ..sdk_oracle import sdk_problems
from .conftest import CONFIG, Api
from .helpers import free_agents, inbound, sdk_model


class Checked:
    """Calls an SDK method and checks the raw response against the model it returns."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.models: list[str] = []

    def __call__(self, model: str | None, method: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        result = method(*args, **kw)
        if model is not None:
            raw = json.loads(self.client.last_response.data)
            assert sdk_problems(raw, model) == [], model
            assert "outdated_sdk_version" not in json.dumps(_plain(result), default=str)
            self.models.append(model)
        return result


def _plain(obj: Any) -> Any:
    if isinstance(obj, list):
        return [_plain(o) for o in obj]
    return obj.to_dict() if hasattr(obj, "to_dict") else obj


def test_sdk_login_rejects_bad_credentials(
    server: BackgroundServer, http: requests.Session
) -> None:
    saved = sdk.configuration.host
    sdk.configuration.host = server.url
    try:
        with pytest.raises(Exception, match="invalid_client"):
            sdk.ApiClient().get_client_credentials_token(CONFIG.client_id, "wrong")
    finally:
        sdk.configuration.host = saved


def test_sdk_end_to_end(
    sdk_client: Any, api: Api, state: ServerState, http: requests.Session
) -> None:
    conversations = sdk.ConversationsApi(sdk_client)
    check = Checked(sdk_client)
    world = state.world
    call = inbound(api, world, answered=False)
    colleague, third = free_agents(world, call.queue)[1:3]
    cid, customer, agent = call.id, call.customer, call.agent

    # read: both shapes, lists, history, directory
    listing = check("ConversationEntityListing", conversations.get_conversations)
    assert listing.total == state.store.live_count
    check("Conversation", conversations.get_conversation, cid)
    check("CallConversationEntityListing", conversations.get_conversations_calls)
    check("CallConversation", conversations.get_conversations_call, cid)
    check("CallHistoryConversationEntityListing", conversations.get_conversations_calls_history)
    for other in state.store.by_start()[:30]:
        check("Conversation", conversations.get_conversation, other.conv.id)
    check("UserEntityListing", sdk.UsersApi(sdk_client).get_users, page_size=100)
    check("QueueEntityListing", sdk.RoutingApi(sdk_client).get_routing_queues)
    check("WrapupCodeEntityListing", sdk.RoutingApi(sdk_client).get_routing_wrapupcodes)

    def patch(pid: str, **fields: Any) -> None:
        body = sdk_model("MediaParticipantRequest", **fields)
        check(None, conversations.patch_conversations_call_participant, cid, pid, body)

    # answer, hold, resume
    patch(agent, state="connected")
    patch(agent, held=True)
    http.post(http.base + "/__admin/clock", json={"advanceMs": 20_000})  # type: ignore[attr-defined]
    patch(agent, held=False)

    # consult a colleague, make it a conference, the initiator leaves: attended transfer
    consult = sdk_model(
        "ConsultTransferToAgent", user_id=colleague.id, consulting_user_id=call.user.id
    )
    dest = check(
        "ConsultTransferResponse",
        conversations.post_conversations_call_participant_consult_agent,
        cid,
        customer,
        consult,
    ).destination_participant_id
    patch(dest, state="connected")
    update = sdk_model("ConsultTransferUpdate", speak_to="CONFERENCE")
    check(
        "ConsultTransferResponse",
        conversations.patch_conversations_call_participant_consult,
        cid,
        customer,
        update,
    )
    patch(agent, state="disconnected")

    # the first agent wraps up
    codes = check(
        "list[WrapupCode]", conversations.get_conversations_call_participant_wrapupcodes, cid, agent
    )
    comm = check("CallConversation", conversations.get_conversations_call, cid)
    data = check("Conversation", conversations.get_conversation, cid)
    comm_id = next(p for p in data.participants if p.id == agent).calls[0].id
    wrapup = sdk_model("WrapupInput", code=codes[0].id, notes="resolved")
    check(
        None,
        conversations.post_conversations_call_participant_communication_wrapup,
        cid,
        agent,
        comm_id,
        body=wrapup,
    )
    assigned = check(
        "AssignedWrapupCode", conversations.get_conversations_call_participant_wrapup, cid, agent
    )
    assert assigned.code == codes[0].id and comm.id == cid

    # a supervisor monitors the colleague, who then blind-transfers to a third agent
    check(None, conversations.post_conversations_call_participant_monitor, cid, dest)
    transfer = sdk_model("TransferToAgentRequest", user_id=third.id)
    check(None, conversations.post_conversation_participant_replace_agent, cid, dest, transfer)
    data = check("Conversation", conversations.get_conversation, cid)
    third_leg = data.participants[-1]
    assert third_leg.user_id == third.id
    patch(third_leg.id, state="connected")

    # the customer hangs up; everyone who owes wrap-up gets it
    patch(customer, state="disconnected")
    for pid in (dest, third_leg.id):
        body = sdk_model(
            "MediaParticipantRequest", wrapup=sdk_model("WrapupInput", code=codes[1].id)
        )
        check(None, conversations.patch_conversation_participant, cid, pid, body)
    final = check("Conversation", conversations.get_conversation, cid)
    states = {c.state for p in final.participants for c in p.calls}
    assert states == {"terminated"}
    assert {"Conversation", "CallConversation", "ConsultTransferResponse"} <= set(check.models)

    # every conversation the server holds is still valid, as one dataset
    checker = DatasetValidator()
    dump = http.get(http.base + "/__admin/conversations").json()  # type: ignore[attr-defined]
    problems = [str(v) for c in dump for v in checker.add(c)]
    assert problems == [] and len(dump) == CONFIG.conversations + 1


def test_sdk_errors_and_retry_after(sdk_client: Any, http: requests.Session) -> None:
    conversations = sdk.ConversationsApi(sdk_client)
    with pytest.raises(ApiException) as info:
        conversations.get_conversation("nope")
    assert info.value.status == 404 and json.loads(info.value.body)["code"] == "not.found"
    base = http.base  # type: ignore[attr-defined]
    fault: dict[str, Any] = {
        "path": "/api/v2/conversations",
        "status": 429,
        "retryAfter": 0,
        "count": 2,
    }
    http.post(base + "/__admin/faults", json=fault)
    listing = conversations.get_conversations()  # retried silently by the SDK (urllib3)
    assert listing.entities is not None
    statuses = [
        e["status"]
        for e in http.get(base + "/__admin/requests?path=/api/v2/conversations").json()["requests"]
    ]
    assert statuses == [429, 429, 200]
