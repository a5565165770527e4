"""``POST /oauth/token``: the client-credentials grant the SDK's login uses.

Login errors use OAuth's own shape (``{"error": "invalid_client", ...}``), not ``ErrorBody``;
so do faults injected on this route and every other error it sends.
"""

from __future__ import annotations

import hmac

from flask import Response, request

from ..auth import client_credentials
from ..errors import oauth_body
from ..state import current
from ..wire import json_response
from .base import RouteTable

__all__ = ["TABLE"]

TABLE = RouteTable("oauth", "OAuth")


def _oauth_error(status: int, error: str, description: str) -> Response:
    return json_response(oauth_body(status, description, error), status)


@TABLE.route(
    "POST",
    "/oauth/token",
    "Client-credentials login (form grant_type=client_credentials, Basic auth or form fields)",
    response="OAuthToken",
    errors=(400, 401),
    auth=False,
    raw_body="OAuthTokenRequest",
)
def token() -> Response:
    state = current()
    creds = client_credentials(request)
    if creds is None:
        return _oauth_error(401, "invalid_client", "client credentials are required")
    client_id, secret = creds
    config = state.config
    ok_id = hmac.compare_digest(client_id.encode(), config.client_id.encode())
    ok_secret = hmac.compare_digest(secret.encode(), config.client_secret.encode())
    if not (ok_id and ok_secret):
        return _oauth_error(401, "invalid_client", "authentication failed")
    grant = request.form.get("grant_type")
    if grant != "client_credentials":
        return _oauth_error(
            400, "unsupported_grant_type", f"grant_type {grant or '(none)'} is not supported"
        )
    issued = state.tokens.issue(state.clock.now(), config.token_ttl_s)
    return json_response(
        {"access_token": issued.value, "token_type": "bearer", "expires_in": config.token_ttl_s}
    )
