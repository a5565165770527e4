"""Every error in the platform's ``ErrorBody`` shape, with the correlation id as ``contextId``.

Handlers turn :class:`ApiError`, engine errors and Werkzeug's HTTP errors into that body; an
unexpected exception becomes a 500 in the same shape (and is logged), never an HTML page.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from flask import Flask, Response, has_request_context, request
from werkzeug.exceptions import HTTPException

from gcmock.scenarios import EngineError

from .wire import CORRELATION_KEY, json_response

__all__ = [
    "ApiError",
    "Detail",
    "bad_request",
    "code_for",
    "error_body",
    "error_response",
    "not_found",
    "register",
]

log = logging.getLogger(__name__)

Detail = Mapping[str, str]

_HTTP_CODES = {
    400: "bad.request",
    401: "bad.credentials",
    403: "missing.permissions",
    404: "not.found",
    405: "method.not.allowed",
    409: "conflict",
    413: "request.entity.too.large",
    431: "request.header.fields.too.large",
    415: "unsupported.media.type",
    429: "too.many.requests.retry.after",
    500: "internal.server.error",
    503: "service.unavailable",
}


class ApiError(Exception):
    """An error response: HTTP status, stable Genesys ``code``, message, field details."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        details: Iterable[Detail] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = [dict(d) for d in details]
        self.headers = dict(headers or {})


def bad_request(
    message: str, field: str | None = None, error_code: str = "invalid.value"
) -> ApiError:
    details = [{"errorCode": error_code, "fieldName": field}] if field else []
    return ApiError(400, "bad.request", message, details=details)


def not_found(message: str) -> ApiError:
    return ApiError(404, "not.found", message)


def code_for(status: int) -> str:
    return _HTTP_CODES.get(status, "bad.request" if status < 500 else "internal.server.error")


def _correlation_id() -> str:
    if not has_request_context():
        return ""
    value: str = request.environ.get(CORRELATION_KEY, "")
    return value


def error_body(
    status: int, code: str, message: str, context_id: str, details: Iterable[Detail] = ()
) -> dict[str, Any]:
    """The platform's ``ErrorBody``; also what the HTTP server sends for a request it refuses
    before the app sees it."""
    return {
        "message": message,
        "code": code,
        "status": status,
        "contextId": context_id,
        "details": [dict(d) for d in details],
        "errors": [],
    }


def error_response(
    status: int,
    code: str,
    message: str,
    *,
    details: Iterable[Detail] = (),
    headers: Mapping[str, str] | None = None,
) -> Response:
    body = error_body(status, code, message, _correlation_id(), details)
    response = json_response(body, status)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _api_error(err: ApiError) -> Response:
    return error_response(
        err.status, err.code, err.message, details=err.details, headers=err.headers
    )


def _engine_error(err: EngineError) -> Response:
    details = [{"errorCode": err.code, "fieldName": err.field}] if err.field else []
    return error_response(err.status, err.code, err.message, details=details)


def _http_error(err: HTTPException) -> Response:
    status = err.code or 500
    headers = {}
    if status == 405 and err.get_headers():
        headers = {k: v for k, v in err.get_headers() if k == "Allow"}
    message = f"HTTP {status} {err.name}"
    return error_response(status, code_for(status), message, headers=headers)


def _unexpected(err: Exception) -> Response:
    log.exception("unexpected error", exc_info=err)
    return error_response(500, "internal.server.error", "The server encountered an error.")


def register(app: Flask) -> None:
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(EngineError, _engine_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
