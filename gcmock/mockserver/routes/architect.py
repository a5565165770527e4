"""Architect: the inbound call flows the conversations' IVR legs name, and the IVR
configurations whose DIDs (the queues' DNIS) start them."""

from __future__ import annotations

from flask import Response

from gcmock.scenarios.views.architect import flow_json, ivr_json
from gcmock.scenarios.world import IvrFlow
from gcmock.scenarios.world.org import IvrConfig

from ..directory_queries import FlowsQuery, IvrsQuery
from ..wire import json_response
from .base import RouteTable
from .common import paged
from .listing import by_name, directory, name_filter, one, world

__all__ = ["TABLE"]

TABLE = RouteTable("architect", "Architect")


@TABLE.route(
    "GET",
    "/api/v2/architect/ivrs",
    "Get IVR configs.",
    query=IvrsQuery,
    response="IVREntityListing",
    errors=(400,),
)
def get_ivrs(query: IvrsQuery) -> Response:
    w, d = world(), directory()
    match = name_filter(query.name)
    ivrs = by_name("ivrs", d.ivr_configs, lambda x: x.name, query.sortOrder)
    ivrs = tuple(x for x in ivrs if match(x.name) and (query.dnis is None or query.dnis in x.dnis))
    return paged(ivrs, lambda x: ivr_json(w, d, x), query)


@TABLE.route(
    "GET", "/api/v2/architect/ivrs/{ivrId}", "Get an IVR config.", response="IVR", errors=(404,)
)
def get_ivr(ivrId: str) -> Response:
    d = directory()
    config = one({x.id: x for x in d.ivr_configs}, ivrId, "IVR config", IvrConfig)
    return json_response(ivr_json(world(), d, config))


@TABLE.route(
    "GET",
    "/api/v2/flows",
    "Get a pageable list of flows, filtered by query parameters",
    query=FlowsQuery,
    response="FlowEntityListing",
    errors=(400,),
)
def get_flows(query: FlowsQuery) -> Response:
    w, d = world(), directory()
    match = name_filter(query.name)
    wanted = set(query.id) if query.id else None
    types = {t.lower() for t in query.type} if query.type else None
    divisions = set(query.divisionId) if query.divisionId else None
    flows = tuple(
        f
        for f in by_name("flows", w.ivr_flows, lambda f: f.name, query.sortOrder)
        if match(f.name)
        and (wanted is None or f.id in wanted)
        and (types is None or "inboundcall" in types)
        and (divisions is None or w.home_division.id in divisions)
    )
    return paged(flows, lambda f: flow_json(w, d, f), query)


@TABLE.route("GET", "/api/v2/flows/{flowId}", "Get flow", response="Flow", errors=(404,))
def get_flow(flowId: str) -> Response:
    w = world()
    flow = one({f.id: f for f in w.ivr_flows}, flowId, "flow", IvrFlow)
    return json_response(flow_json(w, directory(), flow))
