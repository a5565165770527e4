"""Analytics: conversation detail records, detail queries, async detail jobs, aggregates and
queue observations.

Every record is ``to_analytics`` of the conversation's current snapshot (with the served world,
for service levels and flow names), so the analytics view can never disagree with the REST
view. Queries go through an :class:`~gcmock.scenarios.analytics.index.AnalyticsIndex` that
follows the store's change log before each query; the index reads a conversation only when a
query's interval first reaches it, so the first query over a large store costs what its
interval holds.

An async job runs on the server clock: it is ``QUEUED`` when submitted and ``FULFILLED``
:data:`JOB_RUN_MS` later (a frozen clock must be advanced through ``/__admin/clock``); its
matches are fixed at submission, its records read when the results are fetched.
"""

from __future__ import annotations

import base64
import binascii
import functools
import heapq
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import orjson
from flask import Response, current_app
from pydantic import BaseModel, Field

from gcmock.scenarios import Conversation, World, iso
from gcmock.scenarios.analytics.aggregates import parse_aggregate_query
from gcmock.scenarios.analytics.details import parse_details_query
from gcmock.scenarios.analytics.index import AnalyticsIndex
from gcmock.scenarios.analytics.observations import observe_queues, parse_observation_query
from gcmock.scenarios.analytics.vocabulary import QueryError
from gcmock.scenarios.views.analytics import to_analytics
from gcmock.scenarios.world.ids import new_id

from ..bodies import Body
from ..errors import ApiError, bad_request, not_found
from ..state import current
from ..store import Snapshot, Store
from ..wire import json_response, no_content
from .base import RouteTable

__all__ = ["JOB_EXPIRY_MS", "JOB_RUN_MS", "TABLE"]

TABLE = RouteTable("analytics", "Analytics")

JOB_RUN_MS = 1_000
"""How long (server clock) an async details job stays ``QUEUED``."""
JOB_EXPIRY_MS = 2 * 86_400_000
"""How long after submission a job's results can be read."""
_EXTENSION = "gcmock.analytics"
Q = TypeVar("Q")


# ---------------------------------------------------------------------------------------------
# request declarations (for validation of the structure and for /openapi.json); the meaning
# of each field is checked by gcmock.scenarios.analytics, which names the bad field


class QueryRange(Body):
    gt: float | None = None
    gte: float | None = None
    lt: float | None = None
    lte: float | None = None


class DetailQueryPredicate(Body):
    type: str | None = None
    dimension: str | None = None
    metric: str | None = None
    property: str | None = None
    propertyType: str | None = None
    operator: str | None = None
    value: str | None = None
    range: QueryRange | None = None


class DetailQueryClause(Body):
    type: str | None = None
    predicates: list[DetailQueryPredicate] | None = None


class DetailQueryFilter(DetailQueryClause):
    clauses: list[DetailQueryClause] | None = None


class QueryPaging(Body):
    pageSize: int | None = None
    pageNumber: int | None = None


class _DetailsBase(Body):
    interval: str = Field(description="ISO-8601 interval, e.g. 2026-11-01T00:00:00Z/P1D")
    order: str | None = None
    orderBy: str | None = None
    conversationFilters: list[DetailQueryFilter] | None = None
    segmentFilters: list[DetailQueryFilter] | None = None
    evaluationFilters: list[DetailQueryFilter] | None = None
    surveyFilters: list[DetailQueryFilter] | None = None
    resolutionFilters: list[DetailQueryFilter] | None = None


class ConversationDetailsQuery(_DetailsBase):
    paging: QueryPaging | None = None
    aggregations: list[dict[str, Any]] | None = None


class AsyncConversationDetailsQuery(_DetailsBase):
    limit: int | None = None
    startOfDayIntervalMatching: bool | None = None


class AggregateQueryPredicate(Body):
    type: str | None = None
    dimension: str | None = None
    operator: str | None = None
    value: str | None = None
    range: QueryRange | None = None


class AggregateQueryClause(Body):
    type: str | None = None
    predicates: list[AggregateQueryPredicate] | None = None


class AggregateQueryFilter(AggregateQueryClause):
    clauses: list[AggregateQueryClause] | None = None


class ConversationAggregatesQuery(Body):
    interval: str
    granularity: str | None = None
    timeZone: str | None = None
    groupBy: list[str] | None = None
    filter: AggregateQueryFilter | None = None
    metrics: list[str]
    flattenMultivaluedDimensions: bool | None = None
    queryType: str | None = None
    # declared so that a query using them hears they are unsupported instead of being run
    # without them
    views: list[dict[str, Any]] | None = None
    sortMetric: dict[str, Any] | None = None
    limit: int | None = None
    alternateTimeDimension: str | None = None


class ObservationQueryPredicate(Body):
    type: str | None = None
    dimension: str | None = None
    operator: str | None = None
    value: str | None = None
    range: QueryRange | None = None


class ObservationQueryClause(Body):
    type: str | None = None
    predicates: list[ObservationQueryPredicate] | None = None


class ObservationQueryFilter(ObservationQueryClause):
    clauses: list[ObservationQueryClause] | None = None


class QueueObservationQuery(Body):
    filter: ObservationQueryFilter
    metrics: list[str] | None = None
    detailMetrics: list[str] | None = None


class JobResultsQuery(Body):
    cursor: str | None = None
    pageSize: int = Field(100, ge=1, le=1000)


class DetailsByIdQuery(Body):
    id: list[str] = Field(min_length=1, max_length=100)


# ---------------------------------------------------------------------------------------------
# the index and the jobs of one app


@dataclass(slots=True)
class _Job:
    id: str
    submitted: int
    ids: list[str]


@dataclass
class _Analytics:
    """One app's analytics: the index, the store position it reflects, the async jobs."""

    seed: int
    world: World
    lock: threading.Lock = field(default_factory=threading.Lock)
    index: AnalyticsIndex | None = None
    jobs: dict[str, _Job] = field(default_factory=dict)
    expiry: list[tuple[int, str]] = field(default_factory=list)
    """(expires, id) of the kept jobs, a heap: expired ones are dropped as new ones come."""
    epoch: int = -1
    """The store epoch the index reflects (-1: none yet, read everything)."""
    position: int = 0
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(f"gcmock-analytics-jobs:{self.seed}")

    def submit(self, job: _Job) -> None:
        """Keep ``job``, dropping those expired by its submission (server clock). Call with
        ``lock`` held."""
        expiry = self.expiry
        while expiry and expiry[0][0] <= job.submitted:
            self.jobs.pop(heapq.heappop(expiry)[1], None)
        self.jobs[job.id] = job
        heapq.heappush(expiry, (job.submitted + JOB_EXPIRY_MS, job.id))

    def forget(self) -> None:
        """On reset: no jobs."""
        with self.lock:
            self.jobs.clear()
            self.expiry.clear()

    def sync(self, store: Store) -> AnalyticsIndex:
        """Track the conversations published since the last sync (the store's change log);
        after a reset or a replacing load, follow the whole store afresh (its start order: no
        pass over the conversations). The index reads a conversation only when a query needs
        it, and not again while its state (a published, never mutated object) is the same,
        which makes a reset to the served conversations nearly free.

        Call with ``lock`` held."""
        if self.index is None:
            self.index = AnalyticsIndex(self.world, functools.partial(_current, store))
        self.epoch, self.position, changed = store.changes_since(self.epoch, self.position)
        if changed is None:
            self.index.follow(store.start_order())
        else:
            self.index.track(dict.fromkeys(changed))
        return self.index


def _current(store: Store, conversation_id: str) -> Conversation | None:
    """The conversation's current state, None if the store no longer has it."""
    try:
        return store.snapshot(conversation_id).conv
    except ApiError:
        return None


_CREATE = threading.Lock()


def _analytics() -> _Analytics:
    with _CREATE:
        found = current_app.extensions.get(_EXTENSION)
        if found is None:
            server = current()
            found = _Analytics(server.config.seed, server.world)
            current_app.extensions[_EXTENSION] = found
            server.on_reset.append(found.forget)
    state: _Analytics = found
    return state


def _record_bytes(snap: Snapshot) -> bytes:
    world = current().world
    data: bytes = snap.cached(
        "analytics.bytes", lambda c: orjson.dumps(to_analytics(c, world=world))
    )
    return data


def _parsed(parse: Callable[..., Q], body: BaseModel, **options: bool) -> Q:
    """The engine's reading of a query body; a value it refuses is a 400 naming the field."""
    try:
        return parse(body.model_dump(exclude_none=True), **options)
    except QueryError as err:
        raise bad_request(str(err), err.field) from None


# ---------------------------------------------------------------------------------------------
# detail records


@TABLE.route(
    "GET",
    "/api/v2/analytics/conversations/{conversationId}/details",
    "Get a conversation's analytics detail record",
    response="AnalyticsConversationWithoutAttributes",
    errors=(404,),
)
def get_conversation_details(conversationId: str) -> Response:
    return json_response(_record_bytes(current().store.snapshot(conversationId)))


@TABLE.route(
    "GET",
    "/api/v2/analytics/conversations/details",
    "Get the analytics detail records of up to 100 conversations",
    query=DetailsByIdQuery,
    response="AnalyticsConversationWithoutAttributesMultiGetResponse",
)
def get_conversations_details(query: DetailsByIdQuery) -> Response:
    store = current().store
    records = []
    for cid in dict.fromkeys(query.id):
        try:
            records.append(orjson.Fragment(_record_bytes(store.snapshot(cid))))
        except ApiError:
            continue  # an unknown id is left out, like one with no data yet
    return json_response({"conversations": records})


# ---------------------------------------------------------------------------------------------
# queries


@TABLE.route(
    "POST",
    "/api/v2/analytics/conversations/details/query",
    "Query conversation detail records",
    body=ConversationDetailsQuery,
    response="AnalyticsConversationQueryResponse",
)
def post_details_query(body: ConversationDetailsQuery) -> Response:
    q = _parsed(parse_details_query, body)
    analytics = _analytics()
    with analytics.lock:
        result = analytics.sync(current().store).query(q)
    return json_response(result)


@TABLE.route(
    "POST",
    "/api/v2/analytics/conversations/aggregates/query",
    "Query conversation aggregates",
    body=ConversationAggregatesQuery,
    response="ConversationAggregateQueryResponse",
)
def post_aggregates_query(body: ConversationAggregatesQuery) -> Response:
    q = _parsed(parse_aggregate_query, body)
    analytics = _analytics()
    with analytics.lock:
        result = analytics.sync(current().store).aggregate(q)
    return json_response(result)


@TABLE.route(
    "POST",
    "/api/v2/analytics/queues/observations/query",
    "Query for queue observations",
    body=QueueObservationQuery,
    response="QueueObservationQueryResponse",
)
def post_queue_observations_query(body: QueueObservationQuery) -> Response:
    """What the queues hold at the server clock's now, from the conversations not settled."""
    q = _parsed(parse_observation_query, body)
    server = current()
    live = [snap.conv for snap in server.store.live()]
    return json_response(observe_queues(live, server.clock.now(), q, server.world))


# ---------------------------------------------------------------------------------------------
# async detail jobs


@TABLE.route(
    "POST",
    "/api/v2/analytics/conversations/details/jobs",
    "Submit an async conversation details job",
    body=AsyncConversationDetailsQuery,
    response="AsyncQueryResponse",
    status=202,
)
def post_details_job(body: AsyncConversationDetailsQuery) -> Response:
    q = _parsed(parse_details_query, body, job=True)
    analytics = _analytics()
    now = current().clock.now()
    with analytics.lock:
        ids = analytics.sync(current().store).search(q)
        job = _Job(new_id(analytics.rng), now, ids)
        analytics.submit(job)
    return json_response({"jobId": job.id}, 202)


@TABLE.route(
    "GET",
    "/api/v2/analytics/conversations/details/jobs/availability",
    "Get the time up to which analytics data is available",
    response="DataAvailabilityResponse",
)
def get_details_jobs_availability() -> Response:
    return json_response({"dataAvailabilityDate": iso(current().clock.now())})


def _job(job_id: str) -> tuple[_Job, str]:
    """The job and its state now; an unknown, deleted or expired one is a 404."""
    analytics = _analytics()
    with analytics.lock:
        job = analytics.jobs.get(job_id)
    now = current().clock.now()
    if job is None or now >= job.submitted + JOB_EXPIRY_MS:
        raise not_found(f"analytics job {job_id} not found")
    return job, "FULFILLED" if now >= job.submitted + JOB_RUN_MS else "QUEUED"


@TABLE.route(
    "GET",
    "/api/v2/analytics/conversations/details/jobs/{jobId}",
    "Get the status of an async conversation details job",
    response="AsyncQueryStatus",
    errors=(404,),
)
def get_details_job(jobId: str) -> Response:
    job, state = _job(jobId)
    out = {"state": state, "expirationDate": iso(job.submitted + JOB_EXPIRY_MS)}
    out["submissionDate"] = iso(job.submitted)
    if state == "FULFILLED":
        out["completionDate"] = iso(job.submitted + JOB_RUN_MS)
    return json_response(out)


def _offset(cursor: str | None, total: int) -> int:
    if cursor is None:
        return 0
    try:
        offset = int(base64.urlsafe_b64decode(cursor.encode()).decode())
    except (binascii.Error, UnicodeDecodeError, ValueError):
        offset = -1
    if not 0 < offset < total:
        raise bad_request(f"cursor {cursor} does not belong to this job's results", "cursor")
    return offset


@TABLE.route(
    "GET",
    "/api/v2/analytics/conversations/details/jobs/{jobId}/results",
    "Get a page of an async conversation details job's results",
    query=JobResultsQuery,
    response="AnalyticsConversationAsyncQueryResponse",
    errors=(404,),
)
def get_details_job_results(jobId: str, query: JobResultsQuery) -> Response:
    job, state = _job(jobId)
    if state != "FULFILLED":
        raise bad_request(f"analytics job {jobId} is {state}; its results are not ready yet")
    first = _offset(query.cursor, len(job.ids))
    last = first + query.pageSize
    analytics = _analytics()
    with analytics.lock:
        records = analytics.sync(current().store).records(job.ids[first:last], with_attributes=True)
    out: dict[str, Any] = {"conversations": records}
    if last < len(job.ids):
        out["cursor"] = base64.urlsafe_b64encode(str(last).encode()).decode()
    out["dataAvailabilityDate"] = iso(current().clock.now())
    return json_response(out)


@TABLE.route(
    "DELETE",
    "/api/v2/analytics/conversations/details/jobs/{jobId}",
    "Delete an async conversation details job",
    status=204,
    errors=(404,),
)
def delete_details_job(jobId: str) -> Response:
    _job(jobId)
    analytics = _analytics()
    with analytics.lock:
        analytics.jobs.pop(jobId, None)
    return no_content()
