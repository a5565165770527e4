"""Telephony (``/api/v2/telephony/providers/edges``): edges, sites, phones, lines, DIDs, DID
pools, extensions, outbound routes and trunks of the served world."""

from __future__ import annotations

from flask import Response

from gcmock.scenarios.views.telephony import (
    did_json,
    did_pool_json,
    edge_json,
    extension_json,
    line_json,
    outbound_route_base_json,
    outbound_route_json,
    phone_json,
    site_json,
    trunk_json,
)
from gcmock.scenarios.world.telephony import (
    Did,
    DidPool,
    Edge,
    Extension,
    OutboundRoute,
    Site,
    Trunk,
)

from ..directory_queries import (
    DidsQuery,
    EdgesQuery,
    ExtensionsQuery,
    IdsQuery,
    LinesQuery,
    OutboundRoutesQuery,
    PhonesQuery,
    SitesQuery,
    TrunksQuery,
)
from ..errors import not_found
from ..wire import json_response
from .base import RouteTable
from .common import paged
from .listing import by_name, directory, name_filter, one, phone_by, world

__all__ = ["TABLE"]

TABLE = RouteTable("telephony", "Telephony")


@TABLE.route(
    "GET",
    "/api/v2/telephony/providers/edges",
    "Get the list of edges",
    query=EdgesQuery,
    response="EdgeEntityListing",
    errors=(400,),
)
def get_edges(query: EdgesQuery) -> Response:
    w, d = world(), directory()
    match = name_filter(query.name)
    edges = by_name("edges", d.telephony.edges, lambda e: e.name, query.sortOrder)
    edges = tuple(e for e in edges if match(e.name) and query.site_id in (None, e.site_id))
    return paged(edges, lambda e: edge_json(w, d, e), query)


@TABLE.route(
    "GET", "/api/v2/telephony/providers/edges/{edgeId}", "Get edge", response="Edge", errors=(404,)
)
def get_edge(edgeId: str) -> Response:
    edge = one(directory().telephony.by_id, edgeId, "edge", Edge)
    return json_response(edge_json(world(), directory(), edge))


@TABLE.route(
    "GET",
    "/api/v2/telephony/providers/edges/sites",
    "Get the list of Sites",
    query=SitesQuery,
    response="SiteEntityListing",
    errors=(400,),
)
def get_sites(query: SitesQuery) -> Response:
    w, d = world(), directory()
    match = name_filter(query.name)
    sites = by_name("sites", d.telephony.sites, lambda s: s.name, query.sortOrder)
    sites = tuple(s for s in sites if match(s.name) and query.location_id in (None, s.location_id))
    return paged(sites, lambda s: site_json(w, d, s), query)


@TABLE.route(
    "GET",
    "/api/v2/telephony/providers/edges/sites/{siteId}",
    "Get a Site by ID",
    response="Site",
    errors=(404,),
)
def get_site(siteId: str) -> Response:
    site = one(directory().telephony.by_id, siteId, "site", Site)
    return json_response(site_json(world(), directory(), site))


@TABLE.route(
    "GET",
    "/api/v2/telephony/providers/edges/phones",
    "Get a list of Phone Instances",
    query=PhonesQuery,
    response="PhoneEntityListing",
    errors=(400,),
)
def get_phones(query: PhonesQuery) -> Response:
    w, d = world(), directory()
    match = name_filter(query.name)
    phones = by_name("phones", d.telephony.phones, lambda p: p.name, query.sortOrder)
    phones = tuple(
        p
        for p in phones
        if match(p.name)
        and query.site_id in (None, p.site_id)
        and query.web_rtc_user_id in (None, p.user_id)
        and query.default_for_user_id in (None, p.user_id)
        and query.line_id in (None, p.line_id)
        and (
            query.logged_in_user_id is None
            or (p.logged_in and p.user_id == query.logged_in_user_id)
        )
    )
    return paged(phones, lambda p: phone_json(w, d, p), query)


@TABLE.route(
    "GET",
    "/api/v2/telephony/providers/edges/phones/{phoneId}",
    "Get a Phone by ID",
    response="Phone",
    errors=(404,),
)
def get_phone(phoneId: str) -> Response:
    return json_response(phone_json(world(), directory(), phone_by("id", phoneId)))


@TABLE.route(
    "GET",
    "/api/v2/telephony/providers/edges/lines",
    "Get a list of Lines",
    query=LinesQuery,
    response="LineEntityListing",
    errors=(400,),
)
def get_lines(query: LinesQuery) -> Response:
    w, d = world(), directory()
    match = name_filter(query.name)
    phones = by_name("lines", d.telephony.phones, lambda p: p.line_name, query.sortOrder)
    phones = tuple(p for p in phones if match(p.line_name))
    return paged(phones, lambda p: line_json(w, d, p), query)


@TABLE.route(
    "GET",
    "/api/v2/telephony/providers/edges/lines/{lineId}",
    "Get a Line by ID",
    response="Line",
    errors=(404,),
)
def get_line(lineId: str) -> Response:
    return json_response(line_json(world(), directory(), phone_by("line_id", lineId)))


@TABLE.route(
    "GET",
    "/api/v2/telephony/providers/edges/dids",
    "Get a listing of DIDs",
    query=DidsQuery,
    response="DIDEntityListing",
    errors=(400,),
)
def get_dids(query: DidsQuery) -> Response:
    w, d = world(), directory()
    dids = by_name("dids", d.telephony.dids, lambda x: x.number, query.sortOrder)
    wanted = set(query.id) if query.id else None
    dids = tuple(
        x
        for x in dids
        if (wanted is None or x.id in wanted)
        and query.phoneNumber in (None, x.number)
        and query.owner_id in (None, x.owner_id)
        and query.pool_id in (None, x.pool_id)
    )
    return paged(dids, lambda x: did_json(w, d, x), query)


@TABLE.route(
    "GET",
    "/api/v2/telephony/providers/edges/dids/{didId}",
    "Get a DID by ID.",
    response="DID",
    errors=(404,),
)
def get_did(didId: str) -> Response:
    did = one(directory().telephony.by_id, didId, "DID", Did)
    return json_response(did_json(world(), directory(), did))


@TABLE.route(
    "GET",
    "/api/v2/telephony/providers/edges/didpools",
    "Get a listing of DID Pools",
    query=IdsQuery,
    response="DIDPoolEntityListing",
    errors=(400,),
)
def get_didpools(query: IdsQuery) -> Response:
    w, d = world(), directory()
    pools = by_name("didpools", d.telephony.did_pools, lambda p: p.start, query.sortOrder)
    if query.id:
        wanted = set(query.id)
        pools = tuple(p for p in pools if p.id in wanted)
    return paged(pools, lambda p: did_pool_json(w, d, p), query)


@TABLE.route(
    "GET",
    "/api/v2/telephony/providers/edges/didpools/{didPoolId}",
    "Get a DID Pool by ID.",
    response="DIDPool",
    errors=(404,),
)
def get_didpool(didPoolId: str) -> Response:
    pool = one(directory().telephony.by_id, didPoolId, "DID pool", DidPool)
    return json_response(did_pool_json(world(), directory(), pool))


@TABLE.route(
    "GET",
    "/api/v2/telephony/providers/edges/extensions",
    "Get a listing of extensions",
    query=ExtensionsQuery,
    response="ExtensionEntityListing",
    errors=(400,),
)
def get_extensions(query: ExtensionsQuery) -> Response:
    w, d = world(), directory()
    exts = by_name("extensions", d.telephony.extensions, lambda x: x.number, query.sortOrder)
    if query.number is not None:
        exts = tuple(x for x in exts if x.number == query.number)
    return paged(exts, lambda x: extension_json(w, d, x), query)


@TABLE.route(
    "GET",
    "/api/v2/telephony/providers/edges/extensions/{extensionId}",
    "Get an extension by ID.",
    response="Extension",
    errors=(404,),
)
def get_extension(extensionId: str) -> Response:
    ext = one(directory().telephony.by_id, extensionId, "extension", Extension)
    return json_response(extension_json(world(), directory(), ext))


@TABLE.route(
    "GET",
    "/api/v2/telephony/providers/edges/outboundroutes",
    "Get outbound routes",
    query=OutboundRoutesQuery,
    response="OutboundRouteEntityListing",
    errors=(400,),
)
def get_outboundroutes(query: OutboundRoutesQuery) -> Response:
    w, d = world(), directory()
    match = name_filter(query.name)
    routes = by_name(
        "outboundroutes", d.telephony.outbound_routes, lambda r: r.name, query.sortOrder
    )
    routes = tuple(r for r in routes if match(r.name) and query.site_id in (None, r.site_id))
    return paged(routes, lambda r: outbound_route_json(w, d, r), query)


@TABLE.route(
    "GET",
    "/api/v2/telephony/providers/edges/sites/{siteId}/outboundroutes",
    "Get outbound routes of a site",
    query=OutboundRoutesQuery,
    response="OutboundRouteBaseEntityListing",
    errors=(400, 404),
)
def get_site_outboundroutes(siteId: str, query: OutboundRoutesQuery) -> Response:
    w, d = world(), directory()
    site = one(d.telephony.by_id, siteId, "site", Site)
    match = name_filter(query.name)
    routes = by_name("routes", d.telephony.outbound_routes, lambda r: r.name, query.sortOrder)
    routes = tuple(r for r in routes if r.site_id == site.id and match(r.name))
    return paged(routes, lambda r: outbound_route_base_json(w, d, r), query)


@TABLE.route(
    "GET",
    "/api/v2/telephony/providers/edges/sites/{siteId}/outboundroutes/{outboundRouteId}",
    "Get an outbound route of a site",
    response="OutboundRouteBase",
    errors=(404,),
)
def get_site_outboundroute(siteId: str, outboundRouteId: str) -> Response:
    d = directory()
    route = one(d.telephony.by_id, outboundRouteId, "outbound route", OutboundRoute)
    if route.site_id != siteId:
        raise not_found(f"outbound route {outboundRouteId} not found on site {siteId}")
    return json_response(outbound_route_base_json(world(), d, route))


@TABLE.route(
    "GET",
    "/api/v2/telephony/providers/edges/trunks",
    "Get the list of available trunks.",
    query=TrunksQuery,
    response="TrunkEntityListing",
    errors=(400,),
)
def get_trunks(query: TrunksQuery) -> Response:
    w, d = world(), directory()
    trunks = by_name("trunks", d.telephony.trunks, lambda t: t.name, query.sortOrder)
    trunks = tuple(
        t
        for t in trunks
        if query.edge_id in (None, t.edge_id)
        and query.trunk_base_id in (None, t.trunk_base_id)
        and query.trunkType in (None, t.trunk_type)
    )
    return paged(trunks, lambda t: trunk_json(w, d, t), query)


@TABLE.route(
    "GET",
    "/api/v2/telephony/providers/edges/trunks/{trunkId}",
    "Get a Trunk by ID",
    response="Trunk",
    errors=(404,),
)
def get_trunk(trunkId: str) -> Response:
    trunk = one(directory().telephony.by_id, trunkId, "trunk", Trunk)
    return json_response(trunk_json(world(), directory(), trunk))
