"""``create_app``: the Flask app factory of the mock server, for ``gcmock serve`` and embedding.

Every request gets an ``ININ-Correlation-Id``; ``/oauth`` and ``/api/v2`` requests then go
through fault injection, time catching up (the autopilot's due steps) and, for ``/api/v2``,
the bearer-token check, and are written to the journal. ``/__admin`` is never faulted,
authenticated or journaled.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import replace
from typing import Any

import orjson
from flask import Flask, Response, g, request

from gcmock.scenarios import iso

from . import errors
from .auth import bearer
from .config import ServerConfig
from .errors import ApiError, code_for
from .routes import TABLES
from .state import EXTENSION, ServerState, current

__all__ = ["create_app"]

_CORRELATION = "ININ-Correlation-Id"
_JOURNAL_BODY_MAX = 65536
_REDACTED = frozenset({"client_secret", "password", "assertion", "refresh_token"})


def create_app(config: ServerConfig | None = None, **overrides: Any) -> Flask:
    """A mock server app for ``config`` (fields may also be passed as keywords)."""
    config = replace(config or ServerConfig(), **overrides)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024 * 1024
    app.extensions[EXTENSION] = ServerState.build(config)
    errors.register(app)
    app.before_request(_before)
    app.after_request(_after)
    for table in TABLES:
        app.register_blueprint(table.blueprint)
    return app


def _served(path: str) -> bool:
    return path.startswith(("/api/", "/oauth/"))


def _before() -> None:
    g.correlation_id = str(uuid.uuid4())
    g.started = time.perf_counter()
    path = request.path
    if not _served(path):
        return
    state = current()
    fired = state.faults.fire(request.method, path)
    if fired is not None:
        if fired.latency_ms:
            time.sleep(fired.latency_ms / 1000)
        if fired.status is not None:
            status = fired.status
            headers = {}
            if fired.retry_after is not None:
                headers["Retry-After"] = str(fired.retry_after)
            message = fired.message or (
                f"Rate limit exceeded the maximum. Retry the request in [{fired.retry_after}] "
                "seconds"
                if status == 429
                else f"Injected fault: HTTP {status}"
            )
            raise ApiError(status, fired.code or code_for(status), message, headers=headers)
    state.store.catch_up()
    if path.startswith("/api/v2/"):
        g.token = bearer(request, state.tokens, state.clock.now())


def _journal_body() -> Any:
    if request.mimetype == "application/x-www-form-urlencoded":
        return {k: ("***" if k in _REDACTED else v) for k, v in request.form.items()} or None
    raw = request.get_data(cache=True)
    if not raw:
        return None
    if len(raw) > _JOURNAL_BODY_MAX:
        return raw[:_JOURNAL_BODY_MAX].decode(errors="replace")
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return raw.decode(errors="replace")


def _after(response: Response) -> Response:
    correlation = g.get("correlation_id") or str(uuid.uuid4())
    response.headers[_CORRELATION] = correlation
    if _served(request.path):
        state = current()
        started = g.get("started", time.perf_counter())
        entry = {
            "method": request.method,
            "path": request.path,
            "query": {k: request.args.getlist(k) for k in request.args},
            "status": response.status_code,
            "time": iso(state.clock.now()),
            "durationMs": round((time.perf_counter() - started) * 1000, 3),
            "correlationId": correlation,
        }
        body = _journal_body()
        if body is not None:
            entry["body"] = body
        state.journal.add(entry)
    return response
