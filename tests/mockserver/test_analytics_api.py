"""The analytics endpoints: detail records of the stored conversations, queries checked against a
brute-force pass, async jobs on the server clock, aggregates, errors, and the official SDK's
``AnalyticsApi`` against the live server."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

import PureCloudPlatformClientV2 as sdk
import pytest
import requests

from gcmock.mockserver.routes.analytics import JOB_RUN_MS
from gcmock.mockserver.state import ServerState
from gcmock.scenarios.views.analytics import to_analytics
from gcmock.scenarios.views.timestamps import iso

from ..sdk_oracle import sdk_problems
from .conftest import CONFIG, T0, Api
from .helpers import free_agents, inbound, sdk_model

A = "/api/v2/analytics/conversations"
CALLS = "/api/v2/conversations/calls"
WINDOW = f"{iso(T0 - 86_400_000)}/{iso(T0 + 86_400_000)}"

Json = dict[str, Any]


def _ms(text: str) -> int:
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)


def _metrics(record: Json, pid: str) -> dict[str, int]:
    p = next(p for p in record["participants"] if p["participantId"] == pid)
    out: dict[str, int] = {}
    for s in p["sessions"]:
        for m in s.get("metrics", []):
            out[m["name"]] = out.get(m["name"], 0) + m["value"]
    return out


def _segments(record: Json, pid: str) -> list[Json]:
    p = next(p for p in record["participants"] if p["participantId"] == pid)
    return [seg for s in p["sessions"] for seg in s["segments"]]


def _all_records(api: Api, state: ServerState) -> list[Json]:
    return [api.ok("GET", f"{A}/{s.conv.id}/details") for s in state.store.by_start()]


def test_every_stored_conversation_has_a_clean_record_equal_to_its_projection(
    api: Api, state: ServerState
) -> None:
    snaps = state.store.by_start()
    assert len(snaps) == CONFIG.conversations
    for snap in snaps:
        record = api.ok("GET", f"{A}/{snap.conv.id}/details")
        assert record == to_analytics(snap.conv, world=state.world)
        assert sdk_problems(record, "AnalyticsConversationWithoutAttributes") == []
    assert any("conversationEnd" not in api.ok("GET", f"{A}/{s.conv.id}/details") for s in snaps)
    ids = [s.conv.id for s in snaps[:3]]
    many = api.ok("GET", f"{A}/details?id={','.join([*ids, 'nope'])}")
    assert [c["conversationId"] for c in many["conversations"]] == ids
    assert sdk_problems(many, "AnalyticsConversationWithoutAttributesMultiGetResponse") == []
    assert api.get(f"{A}/nope/details").status_code == 404


def test_a_consult_then_a_blind_transfer_through_http_show_in_the_record(
    api: Api, state: ServerState
) -> None:
    call = inbound(api, state.world)
    colleague, third = free_agents(state.world, call.queue)[1:3]
    consult = f"{CALLS}/{call.id}/participants/{call.customer}/consult"
    dest = api.ok(
        "POST", f"{consult}/agent", {"userId": colleague.id, "consultingUserId": call.user.id}
    )["destinationParticipantId"]
    api.ok("PATCH", f"{CALLS}/{call.id}/participants/{dest}", {"state": "connected"})
    consulting = {
        "interval": WINDOW,
        "segmentFilters": [
            {"type": "and", "predicates": [{"dimension": "userId", "value": colleague.id}]}
        ],
        "conversationFilters": [
            {"type": "and", "predicates": [{"metric": "nConsult", "operator": "exists"}]}
        ],
    }
    # the index reads the conversation now, and must follow its later changes
    assert call.id in [
        c["conversationId"]
        for c in api.ok("POST", f"{A}/details/query", consulting)["conversations"]
    ]
    live = api.ok("GET", f"{A}/{call.id}/details")
    assert _metrics(live, call.agent).get("nConsult") == 1
    assert "nConsultTransferred" not in _metrics(live, call.agent)
    api.client.post("/__admin/clock", json={"advanceMs": 5_000})
    api.ok("PATCH", f"{CALLS}/{call.id}/participants/{call.agent}", {"state": "disconnected"})
    record = api.ok("GET", f"{A}/{call.id}/details")
    first = _metrics(record, call.agent)
    assert first["nConsultTransferred"] == first["nTransferred"] == 1
    assert _segments(record, call.agent)[-1]["disconnectType"] == "consultTransfer"

    api.client.post("/__admin/clock", json={"advanceMs": 5_000})
    api.ok(
        "POST",
        f"/api/v2/conversations/{call.id}/participants/{dest}/replace/agent",
        {"userId": third.id},
    )
    record = api.ok("GET", f"{A}/{call.id}/details")
    second = _metrics(record, dest)
    assert second["nBlindTransferred"] == second["nTransferred"] == 1
    assert record["participants"][-1]["userId"] == third.id
    assert sdk_problems(record, "AnalyticsConversationWithoutAttributes") == []

    # the same facts are what the query filters see
    body = {
        "interval": WINDOW,
        "segmentFilters": [
            {
                "type": "and",
                "predicates": [
                    {"dimension": "disconnectType", "value": "consultTransfer"},
                    {"dimension": "userId", "value": call.user.id},
                ],
            }
        ],
    }
    found = api.ok("POST", f"{A}/details/query", body)
    assert [c["conversationId"] for c in found["conversations"]] == [call.id]

    # the index follows a reset too: the conversation is gone, and so are its records
    assert api.client.post("/__admin/reset").status_code == 200
    after = api.ok("POST", f"{A}/details/query", body)
    assert call.id not in [c["conversationId"] for c in after.get("conversations", [])]


def test_conversations_loaded_from_their_json_keep_their_records(
    api: Api, state: ServerState
) -> None:
    """The admin load rebuilds each conversation from its JSON alone (no event history): its
    record, IVR flow and consults included, is the one it had, and queries find the same. (The
    nested video model has no ``scriptId``: tests/scenarios/test_analytics.py lists the gaps.)"""
    body = {
        "interval": WINDOW,
        "segmentFilters": [
            {"type": "or", "predicates": [{"dimension": "segmentType", "value": "ivr"}]}
        ],
        "paging": {"pageSize": 100},
    }
    before = _all_records(api, state)
    found = api.ok("POST", f"{A}/details/query", body)
    dump = api.client.get("/__admin/conversations").get_json()
    loaded = api.client.post("/__admin/conversations?replace=true", json=dump)
    assert loaded.status_code == 200, loaded.get_data(as_text=True)
    assert all(s.conv.events[-1].kind == "load" for s in state.store.by_start())
    assert _no_video_script(_all_records(api, state)) == _no_video_script(before)
    assert api.ok("POST", f"{A}/details/query", body) == found
    metrics = {m["name"] for r in before for _, s in _sessions(r) for m in s.get("metrics", [])}
    flows = [s["flow"] for r in before for _, s in _sessions(r) if "flow" in s]
    assert "nConsult" in metrics and flows and all("flowName" in f for f in flows)


def _sessions(record: Json) -> list[tuple[Json, Json]]:
    return [(p, s) for p in record["participants"] for s in p["sessions"]]


def _no_video_script(records: list[Json]) -> list[Json]:
    for r in records:
        for _, s in _sessions(r):
            if s["mediaType"] == "video":
                s.pop("scriptId", None)
    return records


def _brute(records: list[Json], lo: int, hi: int, queue: str) -> list[str]:
    hits = []
    for r in records:
        start = _ms(r["conversationStart"])
        end = _ms(r["conversationEnd"]) if "conversationEnd" in r else None
        if lo - lo % 86_400_000 <= start < hi and (end is None or end >= lo):
            queues = {
                seg.get("queueId")
                for p in r["participants"]
                for s in p["sessions"]
                for seg in s["segments"]
            }
            if queue in queues:
                hits.append((start, r["conversationId"]))
    return [cid for _, cid in sorted(hits)]


@pytest.mark.parametrize("queue_index", [0, 1, 2])
def test_details_query_pages_equal_a_brute_force_filter(
    api: Api, state: ServerState, queue_index: int
) -> None:
    records = _all_records(api, state)
    queue = state.world.queues[queue_index].id
    lo, hi = T0 - 5_400_000, T0 - 1_800_000
    expected = _brute(records, lo, hi, queue)
    assert expected
    got: list[str] = []
    for number in range(1, 50):
        body = {
            "interval": f"{iso(lo)}/{iso(hi)}",
            "segmentFilters": [
                {"type": "or", "predicates": [{"dimension": "queueId", "value": queue}]}
            ],
            "paging": {"pageSize": 7, "pageNumber": number},
        }
        page = api.ok("POST", f"{A}/details/query", body)
        assert page["totalHits"] == len(expected)
        assert sdk_problems(page, "AnalyticsConversationQueryResponse") == []
        if "conversations" not in page:
            break
        got += [c["conversationId"] for c in page["conversations"]]
    assert got == expected


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"interval": "last tuesday"}, "interval"),
        ({"interval": WINDOW, "paging": {"pageSize": 500}}, "paging.pageSize"),
        (
            {
                "interval": WINDOW,
                "segmentFilters": [
                    {"type": "and", "predicates": [{"dimension": "colour", "value": "red"}]}
                ],
            },
            "segmentFilters[0].predicates[0].dimension",
        ),
        (
            {
                "interval": WINDOW,
                "conversationFilters": [
                    {"type": "and", "predicates": [{"metric": "tTalk", "operator": "above"}]}
                ],
            },
            "conversationFilters[0].predicates[0].operator",
        ),
    ],
)
def test_an_invalid_query_is_a_400_naming_the_problem(api: Api, body: Json, field: str) -> None:
    r = api.post(f"{A}/details/query", body)
    assert r.status_code == 400
    error = r.get_json()
    assert error["code"] == "bad.request" and field in error["message"]
    assert error["details"] == [{"errorCode": "invalid.value", "fieldName": field}]
    assert api.post(f"{A}/details/query", {}).status_code == 400  # interval is required
    bad = {"interval": WINDOW, "metrics": ["tTalk"], "groupBy": ["colour"]}
    assert api.post(f"{A}/aggregates/query", bad).get_json()["details"][0]["fieldName"] == (
        "groupBy[0]"
    )


def test_an_async_job_is_fulfilled_on_the_server_clock_and_pages_with_a_cursor(
    api: Api, state: ServerState
) -> None:
    r = api.post(f"{A}/details/jobs", {"interval": WINDOW})
    assert r.status_code == 202
    job = r.get_json()["jobId"]
    status = api.ok("GET", f"{A}/details/jobs/{job}")
    assert status["state"] == "QUEUED" and sdk_problems(status, "AsyncQueryStatus") == []
    assert api.get(f"{A}/details/jobs/{job}/results").status_code == 400
    api.client.post("/__admin/clock", json={"advanceMs": JOB_RUN_MS})
    status = api.ok("GET", f"{A}/details/jobs/{job}")
    assert status["state"] == "FULFILLED" and status["completionDate"] == iso(T0 + JOB_RUN_MS)
    ids: list[str] = []
    cursor = None
    while True:
        path = f"{A}/details/jobs/{job}/results?pageSize=60"
        page = api.ok("GET", path + (f"&cursor={cursor}" if cursor else ""))
        assert sdk_problems(page, "AnalyticsConversationAsyncQueryResponse") == []
        assert all("attributes" in p for c in page["conversations"] for p in c["participants"])
        ids += [c["conversationId"] for c in page["conversations"]]
        cursor = page.get("cursor")
        if cursor is None:
            break
    assert len(ids) == len(set(ids)) == CONFIG.conversations
    assert api.get(f"{A}/details/jobs/{job}/results?cursor=Zm9v").status_code == 400
    availability = api.ok("GET", f"{A}/details/jobs/availability")
    assert availability == {"dataAvailabilityDate": iso(T0 + JOB_RUN_MS)}
    assert api.delete(f"{A}/details/jobs/{job}").status_code == 204
    assert api.get(f"{A}/details/jobs/{job}").status_code == 404
    kept = api.post(f"{A}/details/jobs", {"interval": WINDOW}).get_json()["jobId"]
    assert api.client.post("/__admin/reset").status_code == 200
    assert api.get(f"{A}/details/jobs/{kept}").status_code == 404, "reset forgets jobs"


def test_aggregates_equal_the_sums_of_the_detail_records(api: Api, state: ServerState) -> None:
    records = _all_records(api, state)
    lo, hi = T0 - 7_200_000, T0
    body = {
        "interval": f"{iso(lo)}/{iso(hi)}",
        "granularity": "PT30M",
        "groupBy": ["queueId", "mediaType"],
        "metrics": ["nOffered", "tHandle", "tAcd", "tTalk"],
    }
    result = api.ok("POST", f"{A}/aggregates/query", body)
    assert sdk_problems(result, "ConversationAggregateQueryResponse") == []
    got: dict[tuple[Any, ...], Json] = {}
    for c in result["results"]:
        group = (c.get("group", {}).get("queueId"), c.get("group", {}).get("mediaType"))
        for bucket in c["data"]:
            for m in bucket["metrics"]:
                got[(group[0], group[1], bucket["interval"], m["metric"])] = m["stats"]
    sums: dict[tuple[Any, ...], list[int]] = {}
    for r in records:
        for p in r["participants"]:
            for s in p["sessions"]:
                queue = next((g["queueId"] for g in s["segments"] if "queueId" in g), None)
                for m in s.get("metrics", []):
                    at = _ms(m["emitDate"])
                    if m["name"] in body["metrics"] and lo <= at < hi:
                        b = lo + (at - lo) // 1_800_000 * 1_800_000
                        key = (queue, s["mediaType"], f"{iso(b)}/{iso(b + 1_800_000)}", m["name"])
                        sums.setdefault(key, []).append(m["value"])
    expected = {
        k: {"count": sum(v)}
        if k[3].startswith("n")
        else {"max": max(v), "min": min(v), "count": len(v), "sum": sum(v)}
        for k, v in sums.items()
    }
    assert got == expected and expected


# ---------------------------------------------------------------------------------------------
# the official SDK


def test_sdk_analytics_api_end_to_end(
    sdk_client: Any, http: requests.Session, state: ServerState
) -> None:
    analytics = sdk.AnalyticsApi(sdk_client)

    def checked(model: str, method: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        result = method(*args, **kw)
        raw = json.loads(sdk_client.last_response.data)
        assert sdk_problems(raw, model) == [], model
        assert "outdated_sdk_version" not in json.dumps(result.to_dict(), default=str)
        return result

    queue = state.world.queues[0].id
    predicate = sdk_model("SegmentDetailQueryPredicate", dimension="queueId", value=queue)
    query = sdk_model(
        "ConversationQuery",
        interval=WINDOW,
        segment_filters=[sdk_model("SegmentDetailQueryFilter", type="and", predicates=[predicate])],
        paging=sdk_model("PagingSpec", page_size=10, page_number=1),
        order="desc",
    )
    page = checked(
        "AnalyticsConversationQueryResponse",
        analytics.post_analytics_conversations_details_query,
        query,
    )
    assert page.total_hits > 0 and len(page.conversations) == min(10, page.total_hits)
    first = page.conversations[0]
    one = checked(
        "AnalyticsConversationWithoutAttributes",
        analytics.get_analytics_conversation_details,
        first.conversation_id,
    )
    assert one.conversation_id == first.conversation_id and one.participants
    checked(
        "AnalyticsConversationWithoutAttributesMultiGetResponse",
        analytics.get_analytics_conversations_details,
        id=[c.conversation_id for c in page.conversations],
    )

    job = checked(
        "AsyncQueryResponse",
        analytics.post_analytics_conversations_details_jobs,
        sdk_model("AsyncConversationQuery", interval=WINDOW, order="asc"),
    ).job_id
    status = checked("AsyncQueryStatus", analytics.get_analytics_conversations_details_job, job)
    assert status.state == "QUEUED"
    http.post(http.base + "/__admin/clock", json={"advanceMs": JOB_RUN_MS})  # type: ignore[attr-defined]
    status = checked("AsyncQueryStatus", analytics.get_analytics_conversations_details_job, job)
    assert status.state == "FULFILLED"
    seen, cursor = 0, None
    while True:
        results = checked(
            "AnalyticsConversationAsyncQueryResponse",
            analytics.get_analytics_conversations_details_job_results,
            job,
            cursor=cursor,
            page_size=80,
        )
        seen += len(results.conversations)
        cursor = results.cursor
        if cursor is None:
            break
    assert seen == CONFIG.conversations
    checked(
        "DataAvailabilityResponse", analytics.get_analytics_conversations_details_jobs_availability
    )
    analytics.delete_analytics_conversations_details_job(job)

    aggregate = sdk_model(
        "ConversationAggregationQuery",
        interval=WINDOW,
        granularity="PT1H",
        group_by=["queueId"],
        metrics=["nOffered", "tHandle", "tTalk"],
        filter=sdk_model(
            "ConversationAggregateQueryFilter",
            type="or",
            predicates=[
                sdk_model(
                    "ConversationAggregateQueryPredicate", dimension="mediaType", value="voice"
                )
            ],
        ),
    )
    totals = checked(
        "ConversationAggregateQueryResponse",
        analytics.post_analytics_conversations_aggregates_query,
        aggregate,
    )
    assert totals.results and all(r.data for r in totals.results)
