"""``create_app``: the Flask app factory of the mock server, for ``gcmock serve`` and embedding.

Every request gets an ``ININ-Correlation-Id``; ``/oauth`` and ``/api/v2`` requests then go
through fault injection, time catching up (the autopilot's due steps) and, for ``/api/v2``,
the bearer-token check, and are written to the journal. ``/__admin`` is never faulted or
journaled, and needs the admin token when the config has one.
"""

from __future__ import annotations

import functools
import hmac
import os
import random
import time
from dataclasses import replace
from typing import Any, cast

from flask import Flask, Request, Response, request

from gcmock.scenarios.engine.model import new_id

from . import errors
from .auth import bearer
from .config import ServerConfig
from .errors import ApiError, code_for
from .faults import Firing
from .journal import Record, kept
from .routes import TABLES
from .state import EXTENSION, ServerState
from .wire import ADMIN_PREFIX, CORRELATION_KEY, TOKEN_KEY

__all__ = ["create_app"]

_CORRELATION_IDS = random.Random(os.urandom(16))
"""Correlation ids need to be unique, not secret: a UUID v4 drawn from this stream costs a
quarter of ``uuid.uuid4()`` (no system call), on every request."""

_CORRELATION = "ININ-Correlation-Id"
_STARTED_KEY = "gcmock.started"


def create_app(config: ServerConfig | None = None, **overrides: Any) -> Flask:
    """A mock server app for ``config`` (fields may also be passed as keywords)."""
    config = replace(config or ServerConfig(), **overrides)
    app = Flask(__name__)
    # ``//api/v2/users`` is an unknown path (a JSON 404), not a redirect with an HTML body
    app.url_map.merge_slashes = False
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024 * 1024
    state = ServerState.build(config)
    app.extensions[EXTENSION] = state
    errors.register(app)
    app.before_request(functools.partial(_before, state))
    app.after_request(functools.partial(_after, state))
    for table in TABLES:
        app.register_blueprint(table.blueprint)
    return app


def _request() -> Request:
    """The request object itself: the hooks run on every request, and each access through
    the ``request`` proxy costs a context-variable lookup."""
    req: Request = cast(Any, request)._get_current_object()
    return req


def _served(path: str) -> bool:
    return path.startswith(("/api/", "/oauth/"))


def _before(state: ServerState) -> None:
    req = _request()
    env = req.environ
    env[CORRELATION_KEY] = new_id(_CORRELATION_IDS)
    env[_STARTED_KEY] = time.perf_counter()
    path = req.path
    if not _served(path):
        if path.startswith(ADMIN_PREFIX) and state.config.admin_token is not None:
            _check_admin(req, state.config.admin_token)
        return
    fired = state.faults.fire(req.method, path)
    if fired is not None:
        _inject(fired)
    state.store.catch_up()
    if path.startswith("/api/v2/"):
        env[TOKEN_KEY] = bearer(req, state.tokens, state.clock.now())


def _check_admin(req: Request, expected: str) -> None:
    scheme, _, value = req.headers.get("Authorization", "").partition(" ")
    given = value.strip().encode() if scheme.lower() == "bearer" else b""
    if not hmac.compare_digest(given, expected.encode()):
        raise ApiError(
            401,
            "bad.credentials",
            "The admin API needs the server's admin token (Authorization: Bearer <token>).",
        )


def _inject(fired: Firing) -> None:
    if fired.latency_ms:
        time.sleep(fired.latency_ms / 1000)
    if fired.status is None:
        return
    status = fired.status
    headers = {}
    if fired.retry_after is not None:
        headers["Retry-After"] = str(fired.retry_after)
    if fired.message:
        message = fired.message
    elif status == 429:
        message = (
            f"Rate limit exceeded the maximum. Retry the request in [{fired.retry_after}] seconds"
        )
    else:
        message = f"Injected fault: HTTP {status}"
    raise ApiError(status, fired.code or code_for(status), message, headers=headers)


def _after(state: ServerState, response: Response) -> Response:
    req = _request()
    env = req.environ
    correlation = env.get(CORRELATION_KEY) or new_id(_CORRELATION_IDS)
    response.headers[_CORRELATION] = correlation
    path = req.path
    if _served(path):
        body, truncated = _journaled_body(req)
        started = env.get(_STARTED_KEY, time.perf_counter())
        state.journal.add(
            Record(
                req.method,
                path,
                env.get("QUERY_STRING", ""),
                body,
                response.status_code,
                state.clock.now(),
                (time.perf_counter() - started) * 1000,
                correlation,
                truncated,
            )
        )
    return response


def _journaled_body(req: Request) -> tuple[bytes | dict[str, str] | None, bool]:
    """What the journal keeps of the body: nothing of one refused as too large (reading it
    again would raise after the 413 was sent), a prefix of a long one."""
    length = req.content_length
    if not length or (req.max_content_length is not None and length > req.max_content_length):
        return None, False
    if req.mimetype == "application/x-www-form-urlencoded":
        return req.form.to_dict(), False
    return kept(req.get_data(cache=True))
