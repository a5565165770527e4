"""The URL table, one :class:`RouteTable` (a blueprint) per resource family."""

from __future__ import annotations

from . import (
    admin,
    analytics,
    calls,
    conversations,
    directory,
    notifications,
    oauth,
    openapi,
    participants,
    transfers,
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
    admin.TABLE,
    openapi.TABLE,
    analytics.TABLE,
    notifications.TABLE,
)

ROUTES: tuple[Route, ...] = tuple(r for t in TABLES for r in t.routes)
