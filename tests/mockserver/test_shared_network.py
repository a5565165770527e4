"""The limits and expiries README's "Running it on a shared network" states, each checked."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from gcmock.mockserver import ServerConfig
from gcmock.mockserver.bodies import QUERY_MAX

from .conftest import Api
from .helpers import inbound

TEN_YEARS_S = 10 * 365 * 86_400


def _field(r: Any) -> str:
    field: str = r.get_json()["details"][0]["fieldName"]
    return field


def test_the_default_bounds(app: Flask) -> None:
    assert app.config["MAX_CONTENT_LENGTH"] == 64 * 1024 * 1024
    defaults = ServerConfig()
    assert defaults.token_ttl_s == 86_399
    assert (defaults.journal_size, defaults.journal_bytes) == (1000, 8 * 1024 * 1024)
    assert QUERY_MAX == 1024


def test_a_query_parameter_past_1024_characters_is_a_400_naming_it(api: Api) -> None:
    ok = api.get("/api/v2/routing/queues", query_string={"name": "q" * QUERY_MAX})
    assert ok.status_code == 200
    r = api.get("/api/v2/routing/queues", query_string={"name": "q" * (QUERY_MAX + 1)})
    assert r.status_code == 400 and _field(r) == "name"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"code": "c", "notes": "n" * 4097}, "wrapup.notes"),
        ({"code": "c" * 257}, "wrapup.code"),
    ],
)
def test_text_past_4096_characters_and_ids_past_256_are_400s(
    api: Api, state: Any, body: dict[str, str], field: str
) -> None:
    call = inbound(api, state.world)
    path = f"/api/v2/conversations/calls/{call.id}/participants/{call.agent}"
    r = api.patch(path, {"wrapup": body})
    assert r.status_code == 400 and _field(r) == field


@pytest.mark.parametrize(("key", "value"), [("k" * 257, "v"), ("k", "v" * 4097)])
def test_attribute_keys_past_256_and_values_past_4096_are_400s(
    api: Api, state: Any, key: str, value: str
) -> None:
    call = inbound(api, state.world)
    path = f"/api/v2/conversations/{call.id}/participants/{call.customer}/attributes"
    r = api.patch(path, {"attributes": {key: value}})
    assert r.status_code == 400 and _field(r).startswith("attributes")


def test_minted_tokens_last_at_most_ten_years(api: Api) -> None:
    ok = api.client.post("/__admin/tokens", json={"expiresIn": TEN_YEARS_S})
    assert ok.status_code == 200
    r = api.client.post("/__admin/tokens", json={"expiresIn": TEN_YEARS_S + 1})
    assert r.status_code == 400 and _field(r) == "expiresIn"


def test_a_minted_token_expires_on_the_server_clock(api: Api) -> None:
    token = api.client.post("/__admin/tokens", json={"expiresIn": 60}).get_json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert api.client.get("/api/v2/users?pageSize=1", headers=headers).status_code == 200
    api.client.post("/__admin/clock", json={"advanceMs": 60_000})
    assert api.client.get("/api/v2/users?pageSize=1", headers=headers).status_code == 401
