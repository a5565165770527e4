"""Locations (the org's offices) and stations (one per user's WebRTC phone)."""

from __future__ import annotations

from flask import Response

from gcmock.scenarios.views.places import location_json, station_json
from gcmock.scenarios.world.places import Location

from ..bodies import Body as _Body
from ..bodies import QText
from ..directory_queries import IdsQuery, StationsQuery
from ..wire import json_response
from .base import RouteTable
from .common import paged
from .listing import by_name, directory, name_filter, one, phone_by, world

__all__ = ["TABLE"]

TABLE = RouteTable("places", "Directory")


@TABLE.route(
    "GET",
    "/api/v2/locations",
    "Get a list of all locations",
    query=IdsQuery,
    response="LocationEntityListing",
    errors=(400,),
)
def get_locations(query: IdsQuery) -> Response:
    w, d = world(), directory()
    locations = by_name("locations", d.locations, lambda x: x.name, query.sortOrder)
    if query.id:
        wanted = set(query.id)
        locations = tuple(x for x in locations if x.id in wanted)
    return paged(locations, lambda x: location_json(w, d, x), query)


class _LocationQuery(_Body):
    expand: list[QText] | None = None


@TABLE.route(
    "GET",
    "/api/v2/locations/{locationId}",
    "Get location by ID",
    query=_LocationQuery,
    response="LocationDefinition",
    errors=(404,),
)
def get_location(locationId: str, query: _LocationQuery) -> Response:
    d = directory()
    location = one(d.locations_by_id, locationId, "location", Location)
    return json_response(location_json(world(), d, location))


@TABLE.route(
    "GET",
    "/api/v2/stations",
    "Get the list of available stations",
    query=StationsQuery,
    response="StationEntityListing",
    errors=(400,),
)
def get_stations(query: StationsQuery) -> Response:
    w, d = world(), directory()
    phones = by_name("stations", d.telephony.phones, lambda p: p.name)
    match = name_filter(query.name)
    wanted = set(query.id) if query.id else None
    phones = tuple(
        p
        for p in phones
        if match(p.name)
        and (wanted is None or p.station_id in wanted)
        and query.webRtcUserId in (None, p.user_id)
        and query.lineAppearanceId in (None, p.line_id)
    )
    return paged(phones, lambda p: station_json(w, d, p), query)


@TABLE.route(
    "GET", "/api/v2/stations/{stationId}", "Get station.", response="Station", errors=(404,)
)
def get_station(stationId: str) -> Response:
    return json_response(station_json(world(), directory(), phone_by("station_id", stationId)))
