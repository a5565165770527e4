"""Telephony JSON (``/api/v2/telephony/providers/edges/...``): sites, edges, trunks, outbound
routes, phones and lines, DIDs and DID pools, extensions; the SDK's models, nulls left out."""

from __future__ import annotations

from typing import Any

from ..world import World
from ..world.org import OrgDirectory
from ..world.telephony import (
    Did,
    DidPool,
    Edge,
    Extension,
    OutboundRoute,
    Phone,
    Site,
    Trunk,
)
from .directory import division_ref

__all__ = [
    "BASE",
    "did_json",
    "did_pool_json",
    "edge_json",
    "extension_json",
    "line_json",
    "outbound_route_base_json",
    "outbound_route_json",
    "phone_json",
    "site_json",
    "trunk_json",
]

JsonDict = dict[str, Any]

BASE = "/api/v2/telephony/providers/edges"


def _ref(id_: str, name: str, path: str) -> JsonDict:
    return {"id": id_, "name": name, "selfUri": f"{path}/{id_}"}


def _common(world: World, id_: str, name: str) -> JsonDict:
    return {
        "id": id_,
        "name": name,
        "division": division_ref(world, world.home_division.id),
        "version": 1,
        "state": "active",
    }


def _site_ref(directory: OrgDirectory, site_id: str) -> JsonDict:
    site = directory.telephony.by_id[site_id]
    assert isinstance(site, Site)
    return _ref(site.id, site.name, f"{BASE}/sites")


def _edge_ref(directory: OrgDirectory, edge_id: str) -> JsonDict:
    edge = directory.telephony.by_id[edge_id]
    assert isinstance(edge, Edge)
    return _ref(edge.id, edge.name, BASE)


def _pool_ref(directory: OrgDirectory, pool_id: str) -> JsonDict:
    pool = directory.telephony.by_id[pool_id]
    assert isinstance(pool, DidPool)
    return _ref(pool.id, f"{pool.start} - {pool.end}", f"{BASE}/didpools")


def edge_json(world: World, directory: OrgDirectory, edge: Edge) -> JsonDict:
    return {
        **_common(world, edge.id, edge.name),
        "interfaces": [{"type": "ETHERNET", "name": "eth0", "ipAddress": edge.ip}],
        "make": "Genesys",
        "model": "Virtual Edge",
        "statusCode": "ACTIVE",
        "site": _site_ref(directory, edge.site_id),
        "onlineStatus": "ONLINE",
        "serialNumber": edge.serial,
        "physicalEdge": False,
        "managed": True,
        "edgeDeploymentType": "HARDWARE",
        "selfUri": f"{BASE}/{edge.id}",
    }


def site_json(world: World, directory: OrgDirectory, site: Site) -> JsonDict:
    """A site: its location, its edges (as references) and its main number."""
    location = directory.locations_by_id[site.location_id]
    edges = [_edge_ref(directory, e) for e in site.edge_ids]
    return {
        **_common(world, site.id, site.name),
        "primarySites": [],
        "secondarySites": [],
        "primaryEdges": edges,
        "secondaryEdges": [],
        "edges": edges,
        "location": {
            "id": location.id,
            "name": location.name,
            "selfUri": f"/api/v2/locations/{location.id}",
        },
        "managed": False,
        "mediaModel": "Premises",
        "coreSite": False,
        "callerId": site.caller_id,
        "callerName": world.org_name,
        "selfUri": f"{BASE}/sites/{site.id}",
    }


def trunk_json(world: World, directory: OrgDirectory, trunk: Trunk) -> JsonDict:
    return {
        **_common(world, trunk.id, trunk.name),
        "trunkType": trunk.trunk_type,
        "edge": _edge_ref(directory, trunk.edge_id),
        "trunkBase": _ref(trunk.trunk_base_id, trunk.trunk_base_name, f"{BASE}/trunkbasesettings"),
        "inService": True,
        "enabled": True,
        "connectedStatus": {"connected": True},
        "optionsEnabledStatus": "ENABLED" if trunk.trunk_type == "EXTERNAL" else "NOT_SUPPORTED",
        "registersEnabledStatus": "DISABLED",
        "family": 4,
        "selfUri": f"{BASE}/trunks/{trunk.id}",
    }


def outbound_route_base_json(
    world: World, directory: OrgDirectory, route: OutboundRoute
) -> JsonDict:
    """The route as its site lists it (``OutboundRouteBase``: no ``site``, no ``managed``)."""
    data = outbound_route_json(world, directory, route)
    del data["site"], data["managed"]
    return data


def outbound_route_json(world: World, directory: OrgDirectory, route: OutboundRoute) -> JsonDict:
    return {
        **_common(world, route.id, route.name),
        "classificationTypes": ["National", "International", "Emergency", "Network"],
        "enabled": True,
        "distribution": "SEQUENTIAL",
        "externalTrunkBases": [
            _ref(route.trunk_base_id, route.trunk_base_name, f"{BASE}/trunkbasesettings")
        ],
        "site": _site_ref(directory, route.site_id),
        "managed": False,
        "selfUri": f"{BASE}/sites/{route.site_id}/outboundroutes/{route.id}",
    }


def line_json(world: World, directory: OrgDirectory, phone: Phone) -> JsonDict:
    """The phone's line: who it belongs to, and who is logged in on its station now."""
    user = world.users_by_id[phone.user_id]
    owner = _ref(user.id, user.name, "/api/v2/users")
    data: JsonDict = {
        **_common(world, phone.line_id, phone.line_name),
        "site": _site_ref(directory, phone.site_id),
        "primaryEdge": _edge_ref(directory, phone.edge_id),
    }
    if phone.logged_in:
        data["loggedInUser"] = owner
    data["defaultForUser"] = owner
    data["selfUri"] = f"{BASE}/lines/{phone.line_id}"
    return data


def phone_json(world: World, directory: OrgDirectory, phone: Phone) -> JsonDict:
    user = world.users_by_id[phone.user_id]
    return {
        **_common(world, phone.id, phone.name),
        "site": _site_ref(directory, phone.site_id),
        "phoneBaseSettings": _ref(
            directory.telephony.phone_base_id, "WebRTC Phone", f"{BASE}/phonebasesettings"
        ),
        "lines": [line_json(world, directory, phone)],
        "status": {
            "operationalStatus": "OPERATIONAL",
            "edgesStatus": "IN_SERVICE",
            "phoneAssignmentToEdgeType": "PRIMARY",
            "edge": _edge_ref(directory, phone.edge_id),
        },
        "webRtcUser": _ref(user.id, user.name, "/api/v2/users"),
        "standAlone": False,
        "primaryEdge": _edge_ref(directory, phone.edge_id),
        "selfUri": f"{BASE}/phones/{phone.id}",
    }


def did_json(world: World, directory: OrgDirectory, did: Did) -> JsonDict:
    return {
        **_common(world, did.id, did.number),
        "phoneNumber": did.number,
        "didPool": _pool_ref(directory, did.pool_id),
        "owner": _ref(did.owner_id, did.owner_name, "/api/v2/architect/ivrs"),
        "ownerType": did.owner_type,
        "selfUri": f"{BASE}/dids/{did.id}",
    }


def did_pool_json(world: World, directory: OrgDirectory, pool: DidPool) -> JsonDict:
    site = _site_ref(directory, pool.site_id)
    return {
        **_common(world, pool.id, f"{pool.start} - {pool.end}"),
        "description": f"{site['name']} numbers",
        "startPhoneNumber": pool.start,
        "endPhoneNumber": pool.end,
        "provider": "PURE_CLOUD_VOICE",
        "selfUri": f"{BASE}/didpools/{pool.id}",
    }


def extension_json(world: World, directory: OrgDirectory, extension: Extension) -> JsonDict:
    user = world.users_by_id[extension.user_id]
    return {
        **_common(world, extension.id, extension.number),
        "number": extension.number,
        "owner": _ref(user.id, user.name, "/api/v2/users"),
        "extensionPool": {
            "id": extension.pool_id,
            "selfUri": f"{BASE}/extensionpools/{extension.pool_id}",
        },
        "ownerType": "USER",
        "selfUri": f"{BASE}/extensions/{extension.id}",
    }
