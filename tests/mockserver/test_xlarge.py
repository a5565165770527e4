"""The xlarge world (10,000 users, 500 queues) is accepted wherever a world size is, and served:
every user and queue once across the pages (start-up time is in benchmarks/serve.py)."""

from __future__ import annotations

from typing import Any

import click
import pytest
from flask.testing import FlaskClient

from gcmock.cli import main
from gcmock.mockserver import ServerConfig, create_app


@pytest.mark.parametrize("command", ["generate", "world", "serve"])
def test_every_world_size_option_offers_xlarge(command: str) -> None:
    group: Any = main
    option = next(p for p in group.commands[command].params if p.name == "world_size")
    assert isinstance(option.type, click.Choice)
    assert "xlarge" in option.type.choices


@pytest.fixture(scope="module")
def client() -> FlaskClient:
    app = create_app(ServerConfig(seed=2, conversations=20, world_size="xlarge", frozen=True))
    test_client = app.test_client()
    token = test_client.post("/__admin/tokens", json={}).get_json()["access_token"]
    test_client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return test_client


def _walk(client: FlaskClient, uri: str) -> list[str]:
    ids: list[str] = []
    next_uri: str | None = uri
    while next_uri:
        page = client.get(next_uri).get_json()
        ids += [e["id"] for e in page["entities"]]
        next_uri = page.get("nextUri")
    return ids


@pytest.mark.parametrize(
    ("path", "total"),
    [("/api/v2/users", 10_000), ("/api/v2/routing/queues", 500), ("/api/v2/stations", 10_000)],
)
def test_every_user_queue_and_station_is_served_once(
    client: FlaskClient, path: str, total: int
) -> None:
    ids = _walk(client, f"{path}?pageSize=500")
    assert len(ids) == len(set(ids)) == total
    page = client.get(f"{path}?pageSize=100&pageNumber=3").get_json()
    names = [e["name"] for e in page["entities"]]
    assert names == sorted(names, key=str.lower)
