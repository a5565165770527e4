"""The page-number envelope: ``entities, pageSize, pageNumber, total, pageCount`` and relative
URIs, with ``nextUri``/``previousUri`` left out at the ends; and the cursor envelope
(``entities, nextUri, selfUri, previousUri``) of the families that page by ``after``/``before``."""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import urlencode

__all__ = ["cursor_page", "page"]

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


def cursor_page(
    items: Sequence[T],
    project: Callable[[T], Any],
    *,
    path: str,
    size: int,
    after: str | None,
    before: str | None,
    extra: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A cursor page (``entities, nextUri, selfUri, previousUri``) of ``items``: the ``size``
    items after the ``after`` cursor (or before the ``before`` one).

    A cursor is the opaque base64 of a position; a bad one raises ``ValueError``.
    """
    extra = {k: v for k, v in (extra or {}).items() if k not in ("after", "before")}
    if before is not None:
        end = _position(before)
        start = max(0, end - size)
    else:
        start = _position(after) if after is not None else 0
        end = start + size
    end = min(end, len(items))
    out: dict[str, Any] = {"entities": [project(x) for x in items[start:end]]}
    if end < len(items):
        out["nextUri"] = f"{path}?{urlencode({**extra, 'after': _cursor(end)})}"
    here = {"after": _cursor(start)} if start else {}
    out["selfUri"] = f"{path}?{urlencode({**extra, **here})}"
    if start > 0:
        out["previousUri"] = f"{path}?{urlencode({**extra, 'before': _cursor(start)})}"
    return out


def _cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"p{position}".encode()).decode().rstrip("=")


def _position(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        position = int(raw.removeprefix("p")) if raw.startswith("p") else -1
    except (ValueError, UnicodeDecodeError):
        position = -1
    if position < 0:
        raise ValueError(f"invalid cursor {cursor!r}")
    return position
