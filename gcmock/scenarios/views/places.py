"""Locations and stations JSON (``/api/v2/locations``, ``/api/v2/stations``)."""

from __future__ import annotations

from typing import Any

from ..world import World
from ..world.org import OrgDirectory
from ..world.places import Location
from ..world.telephony import Edge, Phone

__all__ = ["location_json", "station_json"]

JsonDict = dict[str, Any]


def location_json(world: World, directory: OrgDirectory, location: Location) -> JsonDict:
    """``LocationDefinition``: the office's postal address in the world's country."""
    address: JsonDict = {"city": location.city, "country": location.country}
    address["countryName"] = location.country_name
    if location.state:
        address["state"] = location.state
    address |= {"street1": location.street, "zipcode": location.zipcode}
    return {
        "id": location.id,
        "name": location.name,
        "emergencyNumber": {
            "e164": location.numbers[0],
            "number": location.numbers[0],
            "type": "default",
        },
        "address": address,
        "state": "active",
        "version": 1,
        "path": [],
        "addressVerified": True,
        "addressStored": True,
        "selfUri": f"/api/v2/locations/{location.id}",
    }


def station_json(world: World, directory: OrgDirectory, phone: Phone) -> JsonDict:
    """A user's WebRTC station; ``userId`` is who is logged in to it (absent when nobody)."""
    edge = phone.edge_id
    data: JsonDict = {
        "id": phone.station_id,
        "name": phone.name,
        "status": "ASSOCIATED" if phone.logged_in else "AVAILABLE",
    }
    if phone.logged_in:
        data["userId"] = phone.user_id
    data |= {
        "webRtcUserId": phone.user_id,
        "primaryEdge": {
            "id": edge,
            "name": _edge_name(directory, edge),
            "selfUri": f"/api/v2/telephony/providers/edges/{edge}",
        },
        "type": "inin_webrtc_softphone",
        "lineAppearanceId": phone.line_id,
        "webRtcMediaDscp": 46,
        "webRtcPersistentEnabled": False,
        "webRtcForceTurn": False,
        "webRtcCallAppearances": 100,
        "selfUri": f"/api/v2/stations/{phone.station_id}",
    }
    return data


def _edge_name(directory: OrgDirectory, edge_id: str) -> str:
    edge = directory.telephony.by_id[edge_id]
    assert isinstance(edge, Edge)
    return edge.name
