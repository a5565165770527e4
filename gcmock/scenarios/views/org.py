"""The org directory's entities as the mock server serves them, one list per kind: what
``gcmock world`` writes next to users and queues."""

from __future__ import annotations

from typing import Any

from ..world import World
from ..world.org import org_directory
from .architect import flow_json, ivr_json
from .people import division_json, group_view
from .places import location_json, station_json
from .telephony import (
    did_json,
    did_pool_json,
    edge_json,
    extension_json,
    line_json,
    outbound_route_json,
    phone_json,
    site_json,
    trunk_json,
)

__all__ = ["directory_files"]


def directory_files(world: World) -> dict[str, list[dict[str, Any]]]:
    """File name -> every entity of that kind, each exactly as its ``GET .../{id}`` returns it."""
    d = org_directory(world)
    t = d.telephony
    return {
        "divisions.json": [division_json(world, x) for x in world.divisions],
        "groups.json": [group_view(world, d, x) for x in world.groups],
        "locations.json": [location_json(world, d, x) for x in d.locations],
        "stations.json": [station_json(world, d, x) for x in t.phones],
        "edges.json": [edge_json(world, d, x) for x in t.edges],
        "sites.json": [site_json(world, d, x) for x in t.sites],
        "phones.json": [phone_json(world, d, x) for x in t.phones],
        "lines.json": [line_json(world, d, x) for x in t.phones],
        "dids.json": [did_json(world, d, x) for x in t.dids],
        "didpools.json": [did_pool_json(world, d, x) for x in t.did_pools],
        "extensions.json": [extension_json(world, d, x) for x in t.extensions],
        "outboundroutes.json": [outbound_route_json(world, d, x) for x in t.outbound_routes],
        "trunks.json": [trunk_json(world, d, x) for x in t.trunks],
        "ivrs.json": [ivr_json(world, d, x) for x in d.ivr_configs],
        "flows.json": [flow_json(world, d, x) for x in world.ivr_flows],
    }
