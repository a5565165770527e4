"""``POST /api/v2/analytics/queues/observations/query`` through the official SDK: a queued, an
alerting and a connected call in one queue at the frozen server clock, each in its state."""

from __future__ import annotations

import json
from typing import Any

import PureCloudPlatformClientV2 as sdk
import pytest

from gcmock.mockserver.state import ServerState

from ..sdk_oracle import sdk_problems
from .conftest import T0, Api
from .helpers import inbound, sdk_model

PATH = "/api/v2/analytics/queues/observations/query"


def _query(queue: str, metrics: list[str], detail: list[str], media: str | None = None) -> Any:
    by_queue = sdk_model(
        "QueueObservationQueryPredicate", type="dimension", dimension="queueId", value=queue
    )
    clauses = [sdk_model("QueueObservationQueryClause", type="or", predicates=[by_queue])]
    if media:
        by_media = sdk_model(
            "QueueObservationQueryPredicate", type="dimension", dimension="mediaType", value=media
        )
        clauses.append(sdk_model("QueueObservationQueryClause", type="or", predicates=[by_media]))
    flt = sdk_model("QueueObservationQueryFilter", type="and", clauses=clauses)
    return sdk_model("QueueObservationQuery", filter=flt, metrics=metrics, detail_metrics=detail)


def test_sdk_queue_observations_show_waiting_alerting_and_interacting_calls(
    sdk_client: Any, api: Api, state: ServerState
) -> None:
    world = state.world
    queued = inbound(api, world, seed=11, offered=False)
    ringing = inbound(api, world, seed=12, answered=False, agent_index=1)
    talking = inbound(api, world, seed=13, agent_index=2)
    queue = queued.queue.id
    analytics = sdk.AnalyticsApi(sdk_client)
    metrics = ["oWaiting", "oAlerting", "oInteracting", "oLongestWaiting", "oMemberUsers"]
    result = analytics.post_analytics_queues_observations_query(
        _query(queue, metrics, ["oWaiting", "oAlerting", "oInteracting", "oLongestWaiting"])
    )
    raw = json.loads(sdk_client.last_response.data)
    assert sdk_problems(raw, "QueueObservationQueryResponse") == []
    assert "outdated_sdk_version" not in json.dumps(result.to_dict(), default=str)
    groups = {tuple(sorted(r.group.items())): r.data for r in result.results}
    members = groups[(("queueId", queue),)]
    assert [(d.metric, d.stats.count) for d in members] == [
        ("oMemberUsers", len(queued.queue.member_ids))
    ]
    voice = {d.metric: d for d in groups[(("mediaType", "voice"), ("queueId", queue))]}
    assert set(voice) == {"oWaiting", "oAlerting", "oInteracting", "oLongestWaiting"}
    for metric, call in (("oWaiting", queued), ("oAlerting", ringing), ("oInteracting", talking)):
        ids = {o.conversation_id for o in voice[metric].observations}
        assert call.id in ids, metric
        assert voice[metric].stats.count == len(ids)
    longest = voice["oLongestWaiting"]
    entered = next(p.comm.start for p in queued.conv.participants if p.purpose == "acd")
    assert longest.stats.calculated_metric_value >= T0 - entered
    assert len(longest.observations) == 1
    chat = analytics.post_analytics_queues_observations_query(
        _query(queue, ["oWaiting"], [], media="chat")
    )
    assert [dict(r.group) for r in chat.results] == [{"queueId": queue, "mediaType": "chat"}]


@pytest.mark.parametrize("metric", ["oOnQueueUsers", "oUserRoutingStatuses", "oActiveUsers"])
def test_a_user_state_metric_is_a_400_naming_it(sdk_client: Any, metric: str) -> None:
    analytics = sdk.AnalyticsApi(sdk_client)
    with pytest.raises(sdk.rest.ApiException) as err:
        analytics.post_analytics_queues_observations_query(_query("q", [metric], []))
    body = json.loads(err.value.body)
    assert err.value.status == 400 and metric in body["message"]
    assert body["details"][0]["fieldName"] == "metrics[0]"


def test_a_query_without_a_queue_is_a_400(api: Api) -> None:
    r = api.post(
        PATH,
        {"filter": {"type": "or", "predicates": [{"dimension": "mediaType", "value": "voice"}]}},
    )
    assert r.status_code == 400
    assert r.get_json()["details"][0]["fieldName"] == "filter"
