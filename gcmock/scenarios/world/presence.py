"""Presence and routing-status vocabulary shared by the simulation, the server and the views.

A user has two independent states on the platform: a *presence* (what colleagues see: Available,
Busy, On Queue...) and, while On Queue, a *routing status* (what the ACD acts on). The primary
presence definitions carry the same ids in every org, so they are constants, not draws; the
utilization is the platform's default capacity per media type.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DEFAULT_UTILIZATION",
    "INTERRUPTIBLE_BY",
    "ON_QUEUE",
    "PRESENCE_DEFINITIONS",
    "PRESENCE_DEFINITIONS_BY_ID",
    "ROUTING_STATUSES",
    "SYSTEM_PRESENCES",
    "PresenceDefinition",
    "presence_definition",
]


@dataclass(frozen=True)
class PresenceDefinition:
    """One organization presence definition (``/api/v2/presencedefinitions``)."""

    id: str
    system_presence: str
    label: str
    primary: bool = True


PRESENCE_DEFINITIONS: tuple[PresenceDefinition, ...] = (
    PresenceDefinition("6a3af858-942f-489d-9700-5f9bcdcdae9b", "Available", "Available"),
    PresenceDefinition("5e5c5c66-ea97-4e7f-ac41-6424784829f2", "Away", "Away"),
    PresenceDefinition("227b37e2-f1d0-4dd0-8f50-badd7cf6d158", "Break", "Break"),
    PresenceDefinition("31fe3bac-dea6-44b7-bed7-47f91660a1a0", "Busy", "Busy"),
    PresenceDefinition("7ffa01cd-7866-4ad7-8faa-31e11b42f51f", "Idle", "Idle"),
    PresenceDefinition("3fd96123-badb-4f69-bc03-1b1ccc6d8014", "Meal", "Meal"),
    PresenceDefinition("bbdff279-7ae1-48ea-bade-7831d7234c64", "Meeting", "Meeting"),
    PresenceDefinition("ccf3c10a-aa2c-4845-8e8d-f59fa48c58e5", "Offline", "Offline"),
    PresenceDefinition("e08eaf1b-ee47-4fa9-a231-1200e284798f", "On Queue", "On Queue"),
    PresenceDefinition("d2390a99-8546-bad9-8f0a-219548e8aeb0", "Training", "Training"),
)
"""The primary (system) presence definitions, whose ids are the same in every org."""

PRESENCE_DEFINITIONS_BY_ID = {d.id: d for d in PRESENCE_DEFINITIONS}

SYSTEM_PRESENCES: tuple[str, ...] = tuple(d.system_presence for d in PRESENCE_DEFINITIONS)
"""``Available``, ``Away``... as the platform spells them (``On Queue`` with a space)."""

ON_QUEUE = "On Queue"

ROUTING_STATUSES: tuple[str, ...] = (
    "OFF_QUEUE",
    "IDLE",
    "INTERACTING",
    "NOT_RESPONDING",
    "COMMUNICATING",
)
"""The ACD's view of a user; anything but ``OFF_QUEUE`` implies the On Queue presence."""

DEFAULT_UTILIZATION: dict[str, int] = {
    "call": 1,
    "callback": 1,
    "chat": 4,
    "email": 1,
    "message": 4,
}
"""The platform's default maximum capacity per media type for one user."""

INTERRUPTIBLE_BY: dict[str, tuple[str, ...]] = {
    "call": (),
    "callback": (),
    "chat": ("call", "callback"),
    "email": ("call", "callback", "chat", "message"),
    "message": ("call", "callback"),
}
"""Media whose offer may interrupt work of this media type (the default utilization)."""


def presence_definition(system_presence: str) -> PresenceDefinition:
    """The primary definition of ``system_presence`` (``KeyError`` for an unknown name)."""
    for d in PRESENCE_DEFINITIONS:
        if d.system_presence == system_presence:
            return d
    raise KeyError(system_presence)
