"""JSON responses as the platform sends them: orjson bytes, ``application/json``, no nulls."""

from __future__ import annotations

from typing import Any

import orjson
from flask import Response

__all__ = [
    "ADMIN_PREFIX",
    "CORRELATION_KEY",
    "TOKEN_KEY",
    "accepted",
    "json_response",
    "no_content",
]

ADMIN_PREFIX = "/__admin"
"""Where the admin API lives: never faulted or journaled, its own threads, its own token."""

MIMETYPE = "application/json"
CORRELATION_KEY = "gcmock.correlation_id"
"""WSGI environ key of the request's ``ININ-Correlation-Id``."""
TOKEN_KEY = "gcmock.token"
"""WSGI environ key of the request's checked bearer token."""


def json_response(data: Any, status: int = 200) -> Response:
    """Serialize ``data``; the caller's projections already leave nulls out."""
    body = data if isinstance(data, bytes) else orjson.dumps(data)
    return Response(body, status=status, mimetype=MIMETYPE)


def accepted() -> Response:
    """A command the SDK types as returning nothing: 202 with an empty body."""
    return Response(b"", status=202)


def no_content() -> Response:
    return Response(b"", status=204)
