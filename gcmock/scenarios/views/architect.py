"""Architect JSON: the inbound call flows conversations name (``/api/v2/flows``) and the IVR
configurations whose DIDs start them (``/api/v2/architect/ivrs``)."""

from __future__ import annotations

from typing import Any

from ..world import IvrFlow, World
from ..world.org import IvrConfig, OrgDirectory
from .directory import division_ref

__all__ = ["flow_json", "ivr_json"]

JsonDict = dict[str, Any]


def _flow_ref(flow: IvrFlow) -> JsonDict:
    return {"id": flow.id, "name": flow.name, "selfUri": f"/api/v2/flows/{flow.id}"}


def flow_json(world: World, directory: OrgDirectory, flow: IvrFlow) -> JsonDict:
    return {
        "id": flow.id,
        "name": flow.name,
        "division": division_ref(world, world.home_division.id),
        "type": "INBOUNDCALL",
        "active": True,
        "system": False,
        "deleted": False,
        "publishedVersion": {"id": "1.0", "name": "1.0", "commitVersion": "1.0"},
        "selfUri": f"/api/v2/flows/{flow.id}",
    }


def ivr_json(world: World, directory: OrgDirectory, config: IvrConfig) -> JsonDict:
    flow = next(f for f in world.ivr_flows if f.id == config.flow_id)
    return {
        "id": config.id,
        "name": config.name,
        "division": division_ref(world, world.home_division.id),
        "version": 1,
        "state": "active",
        "dnis": list(config.dnis),
        "openHoursFlow": _flow_ref(flow),
        "closedHoursFlow": _flow_ref(flow),
        "holidayHoursFlow": _flow_ref(flow),
        "selfUri": f"/api/v2/architect/ivrs/{config.id}",
    }
