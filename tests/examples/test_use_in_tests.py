# tests/examples/test_use_in_tests.py
import pytest
import requests

from gcmock.scenarios import to_conversation_json


def test_a_consult_transfer_from_the_factory(conversation_factory):
    conv = conversation_factory("consult_transfer")
    assert len(conv.agents) >= 2
    assert conv.agents[0].comm.disconnect_type == "transfer.consult"
    assert to_conversation_json(conv)["participants"][0]["purpose"] == "customer"


def test_my_code_against_the_live_server(gcmock_server):
    token = gcmock_server.token()
    r = requests.get(
        f"{gcmock_server.url}/api/v2/routing/queues",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 200 and r.json()["total"] == 8


@pytest.mark.gcmock(conversations=10, scenarios=["inbound_answered"])
def test_requests_in_process(gcmock_responses):
    token = gcmock_responses.token()  # or POST https://login.mypurecloud.com/oauth/token
    history = requests.get(
        "https://api.mypurecloud.com/api/v2/conversations/calls/history",
        headers={"Authorization": f"Bearer {token}"},
    ).json()
    assert history["total"] == 10


def test_the_official_sdk(gcmock_sdk):
    import PureCloudPlatformClientV2 as sdk

    calls = sdk.ConversationsApi(gcmock_sdk).get_conversations_calls()
    assert all(c.participants for c in calls.entities)


def test_faults_and_time(gcmock_responses):
    from gcmock.mockserver.bodies import FaultSpec

    gcmock_responses.faults.add(FaultSpec(method="GET", path="/api/v2/users*", status=503))
    token = gcmock_responses.token()
    r = requests.get(
        "https://api.mypurecloud.com/api/v2/users",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 503
    gcmock_responses.clock.advance(60_000)  # queued calls get offered, ring, get answered


def test_what_my_code_requested(gcmock_responses):
    auth = {"Authorization": f"Bearer {gcmock_responses.token()}"}
    api = "https://api.mypurecloud.com/api/v2"
    queues = requests.get(f"{api}/routing/queues", headers=auth).json()["entities"]
    for queue in queues[:2]:
        requests.get(f"{api}/routing/queues/{queue['id']}/wrapupcodes", headers=auth)
    gcmock_responses.assert_requested("GET", "/api/v2/routing/queues")
    sent = gcmock_responses.assert_requested(
        "GET", "/api/v2/routing/queues/{queueId}/wrapupcodes", count=2
    )
    assert sent[0]["path"] == f"/api/v2/routing/queues/{queues[0]['id']}/wrapupcodes"


def test_other_conversations_mid_test(gcmock_responses):
    gcmock_responses.reseed(7, conversations=5, scenarios=["outbound"])
    history = requests.get(
        "https://api.mypurecloud.com/api/v2/conversations/calls/history",
        headers={"Authorization": f"Bearer {gcmock_responses.token()}"},
    ).json()
    assert history["total"] == 5
    assert {c["direction"] for c in history["entities"]} == {"outbound"}
