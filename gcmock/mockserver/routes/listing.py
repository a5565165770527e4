"""What the org directory's routes share: the world's directory, one entity by id (else a 404),
lists sorted once and paged by slicing, name filters, and cursor pages."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from flask import Response, request

from gcmock.scenarios.world import World
from gcmock.scenarios.world.org import OrgDirectory, org_directory
from gcmock.scenarios.world.telephony import Phone

from ..directory_queries import CursorQuery
from ..errors import bad_request, not_found
from ..paging import cursor_page
from ..state import current
from ..wire import json_response
from .directory import _name_filter

__all__ = [
    "by_name",
    "cursor_paged",
    "descending",
    "directory",
    "name_filter",
    "one",
    "phone_by",
    "world",
]

T = TypeVar("T")


def world() -> World:
    return current().world


def directory() -> OrgDirectory:
    """The directory of the served world (built on first use, then kept)."""
    return org_directory(current().world)


def one(found: Mapping[str, Any], entity_id: str, kind: str, cls: type[T]) -> T:
    """The ``kind`` with this id (a 404 unless it is a ``cls``)."""
    entity = found.get(entity_id)
    if not isinstance(entity, cls):
        raise not_found(f"{kind} {entity_id} not found")
    return entity


def descending(order: str | None) -> bool:
    return (order or "").lower() in ("descending", "desc")


def by_name(
    key: str, items: Sequence[T], name: Callable[[T], str], order: str | None = None
) -> tuple[T, ...]:
    """``items`` by name (then id), kept per (``key``, order) so a page costs a slice."""
    return directory().ordered(
        key, items, lambda x: (name(x).lower(), getattr(x, "id", "")), descending(order)
    )


name_filter = _name_filter


def cursor_paged(items: Sequence[T], project: Callable[[T], Any], query: CursorQuery) -> Response:
    try:
        envelope = cursor_page(
            items,
            project,
            path=request.path,
            size=query.pageSize,
            after=query.after,
            before=query.before,
            extra=request.args.to_dict(),
        )
    except ValueError as exc:
        raise bad_request(str(exc), "before" if query.before is not None else "after") from None
    return json_response(envelope)


_PHONE_PARTS = {"id": "phone", "line_id": "line", "station_id": "station"}


def phone_by(field: str, value: str) -> Phone:
    """The phone whose ``field`` (``id``, ``line_id``, ``station_id``) is ``value`` (else 404)."""
    phone = directory().telephony.by_id.get(value)
    if not isinstance(phone, Phone) or getattr(phone, field) != value:
        raise not_found(f"{_PHONE_PARTS[field]} {value} not found")
    return phone
