"""One app per test session, served on a free 127.0.0.1 port, reset before every test.

``api`` talks to the app in-process (Flask's test client); ``http`` talks to the live server
over real HTTP. Both carry a client-credentials token and see the same, freshly reset state:
200 conversations of seed 3 in the small world over the two hours before ``T0`` (a dozen still
live), the clock frozen at ``T0``.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient

from gcmock.mockserver import ServerConfig, create_app
from gcmock.mockserver.serve import BackgroundServer
from gcmock.mockserver.state import ServerState, current

T0 = 1_793_491_200_000
CONFIG = ServerConfig(
    seed=3,
    conversations=200,
    world_size="small",
    start_ms=T0,
    frozen=True,
    journal_size=500,
    window_ms=2 * 3600_000,
)


class Api:
    """The in-process client: ``api.get(path)`` -> (status, json or None), with a token."""

    def __init__(self, client: FlaskClient, token: str) -> None:
        self.client = client
        self.token = token

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def call(self, method: str, path: str, body: Any = None, **kw: Any) -> Any:
        headers = {**self.headers(), **kw.pop("headers", {})}
        return self.client.open(path, method=method, json=body, headers=headers, **kw)

    def get(self, path: str, **kw: Any) -> Any:
        return self.call("GET", path, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> Any:
        return self.call("POST", path, body, **kw)

    def patch(self, path: str, body: Any = None, **kw: Any) -> Any:
        return self.call("PATCH", path, body, **kw)

    def delete(self, path: str, **kw: Any) -> Any:
        return self.call("DELETE", path, **kw)

    def ok(self, method: str, path: str, body: Any = None) -> Any:
        """The JSON of a call that must succeed."""
        r = self.call(method, path, body)
        assert 200 <= r.status_code < 300, (r.status_code, r.get_data(as_text=True))
        return r.get_json(silent=True)

    def user_token(self, user_id: str) -> str:
        r = self.client.post("/__admin/tokens", json={"userId": user_id})
        token: str = r.get_json()["access_token"]
        return token


def basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def login(client: FlaskClient) -> str:
    r = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": basic(CONFIG.client_id, CONFIG.client_secret)},
    )
    assert r.status_code == 200, r.get_data(as_text=True)
    token: str = r.get_json()["access_token"]
    return token


@pytest.fixture(scope="session")
def app() -> Flask:
    return create_app(CONFIG)


@pytest.fixture(scope="session")
def server(app: Flask) -> Iterator[BackgroundServer]:
    with BackgroundServer(app, threads=16) as srv:
        yield srv


@pytest.fixture
def state(app: Flask) -> Iterator[ServerState]:
    with app.app_context():
        s = current()
        s.reset()
        yield s


@pytest.fixture
def api(app: Flask, state: ServerState) -> Api:
    client = app.test_client()
    return Api(client, login(client))


@pytest.fixture
def http(server: BackgroundServer, state: ServerState) -> Iterator[requests.Session]:
    """A keep-alive session to the live server, with a token; ``http.base`` is its URL."""
    session = requests.Session()
    r = session.post(
        server.url + "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(CONFIG.client_id, CONFIG.client_secret),
    )
    session.headers["Authorization"] = "Bearer " + r.json()["access_token"]
    session.base = server.url  # type: ignore[attr-defined]
    yield session
    session.close()


@pytest.fixture
def sdk_client(server: BackgroundServer, http: requests.Session) -> Iterator[Any]:
    """An official SDK client logged in to the live server."""
    import PureCloudPlatformClientV2 as sdk

    saved = sdk.configuration.host
    sdk.configuration.host = server.url
    try:
        yield sdk.ApiClient().get_client_credentials_token(CONFIG.client_id, CONFIG.client_secret)
    finally:
        sdk.configuration.host = saved
