"""The page-number envelope: ``entities, pageSize, pageNumber, total, pageCount`` and relative
URIs, with ``nextUri``/``previousUri`` left out at the ends (genesys-api.md §4)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import urlencode

__all__ = ["page"]

T = TypeVar("T")


def _uri(path: str, size: int, number: int, extra: Mapping[str, str]) -> str:
    return f"{path}?{urlencode({'pageSize': size, 'pageNumber': number, **extra})}"


def page(
    items: Sequence[T],
    project: Callable[[T], Any],
    *,
    path: str,
    size: int,
    number: int,
    extra: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Page ``number`` (from 1) of ``items``; only that page's items are projected.

    ``extra`` holds the request's other query parameters, kept in every URI as the platform does.
    """
    extra = {k: v for k, v in (extra or {}).items() if k not in ("pageSize", "pageNumber")}
    total = len(items)
    count = -(-total // size)
    start = (number - 1) * size
    out: dict[str, Any] = {
        "entities": [project(x) for x in items[start : start + size]],
        "pageSize": size,
        "pageNumber": number,
        "total": total,
        "pageCount": count,
        "firstUri": _uri(path, size, 1, extra),
        "selfUri": _uri(path, size, number, extra),
        "lastUri": _uri(path, size, max(count, 1), extra),
    }
    if number < count:
        out["nextUri"] = _uri(path, size, number + 1, extra)
    if number > 1:
        out["previousUri"] = _uri(path, size, min(number - 1, max(count, 1)), extra)
    return out
