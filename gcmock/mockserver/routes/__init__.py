"""The URL table, one :class:`RouteTable` (a blueprint) per resource family."""

from __future__ import annotations

from . import (
    admin,
    analytics,
    architect,
    calls,
    contacts,
    conversations,
    directory,
    notifications,
    oauth,
    openapi,
    participants,
    people,
    places,
    routing_directory,
    telephony,
    transfers,
    ui,
)
from .base import Route, RouteTable

__all__ = ["ROUTES", "TABLES"]

TABLES: tuple[RouteTable, ...] = (
    oauth.TABLE,
    conversations.TABLE,
    participants.TABLE,
    transfers.TABLE,
    calls.TABLE,
    directory.TABLE,
    people.TABLE,
    places.TABLE,
    telephony.TABLE,
    routing_directory.TABLE,
    contacts.TABLE,
    architect.TABLE,
    admin.TABLE,
    openapi.TABLE,
    analytics.TABLE,
    ui.TABLE,
    notifications.TABLE,
)

ROUTES: tuple[Route, ...] = tuple(r for t in TABLES for r in t.routes)
