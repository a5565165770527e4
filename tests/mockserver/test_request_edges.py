"""Inputs at the edges of what a request may say: the clock's range, reversed intervals,
integers written as ``1.0``, and the ``Allow`` header of every routed URL."""

from __future__ import annotations

import re
from typing import Any

import orjson
import pytest

from gcmock.mockserver.clock import MAX_EPOCH_MS
from gcmock.mockserver.routes import ROUTES

from .conftest import T0, Api

TEN_YEARS_MS = 10 * 365 * 86_400_000


def _field_names(r: Any) -> list[str]:
    return [d["fieldName"] for d in r.get_json()["details"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"now": MAX_EPOCH_MS + 1}, "now"),
        ({"now": -1}, "now"),
        ({"now": "1969-12-31T23:59:59Z"}, "now"),
        ({"now": "9999-12-31T23:59:59.999-01:00"}, "now"),
        ({"now": MAX_EPOCH_MS - 1000, "advanceMs": 1001}, "advanceMs"),
        ({"now": "9999-12-31T00:00:00Z", "advanceMs": 86_400_000}, "advanceMs"),
    ],
)
def test_the_clock_refuses_instants_outside_1970_to_9999(
    api: Api, body: dict[str, Any], field: str
) -> None:
    r = api.client.post("/__admin/clock", json={**body, "freeze": False})
    assert r.status_code == 400, r.get_json()
    assert _field_names(r) == [field]
    clock = api.client.get("/__admin/clock").get_json()
    assert (clock["epochMs"], clock["frozen"]) == (T0, True), "a refused change changes nothing"


def test_repeated_advances_stop_at_9999(api: Api) -> None:
    statuses = [
        api.client.post("/__admin/clock", json={"advanceMs": TEN_YEARS_MS}).status_code
        for _ in range(800)
    ]
    assert statuses[0] == 200
    assert statuses[-1] == 400
    clock = api.client.get("/__admin/clock").get_json()
    assert clock["epochMs"] <= MAX_EPOCH_MS
    assert clock["now"].startswith("9")
    assert len(clock["now"]) == len("9999-01-01T00:00:00.000Z")


def test_the_clock_reaches_its_last_millisecond(api: Api) -> None:
    r = api.client.post("/__admin/clock", json={"now": "9999-12-31T23:59:59.999Z"})
    assert r.get_json()["now"] == "9999-12-31T23:59:59.999Z"
    r = api.client.post("/__admin/clock", json={"freeze": False})
    assert r.get_json()["epochMs"] == MAX_EPOCH_MS, "a running clock stops at the last instant"


def _interval_routes() -> list[tuple[str, str, str]]:
    """(method, path, "query" or "body") of every route taking an ``interval``."""
    out = []
    for route in ROUTES:
        for where, model in (("query", route.query), ("body", route.body)):
            if model is not None and "interval" in model.model_fields:
                out.append((route.method, route.path, where))
    return out


def test_interval_routes_are_found() -> None:
    paths = {path for _, path, _ in _interval_routes()}
    assert "/api/v2/conversations/calls/history" in paths
    assert "/api/v2/analytics/conversations/aggregates/query" in paths
    assert len(paths) >= 4


@pytest.mark.parametrize("reversed_", [True, False])
@pytest.mark.parametrize(("method", "path", "where"), _interval_routes())
def test_an_interval_ending_before_it_starts_is_a_400(
    api: Api, method: str, path: str, where: str, reversed_: bool
) -> None:
    start, end = "2026-11-01T00:00:00.000Z", "2026-11-02T00:00:00.000Z"
    interval = f"{end}/{start}" if reversed_ else f"{start}/{end}"
    if where == "query":
        r = api.call(method, path, query_string={"interval": interval})
    else:
        r = api.call(method, path, {"interval": interval, "metrics": ["nOffered"]})
    if reversed_:
        assert r.status_code == 400, r.get_json()
        assert _field_names(r) == ["interval"]
    else:
        assert r.status_code < 300, r.get_json()


def test_an_empty_interval_is_a_400(api: Api) -> None:
    at = "2026-11-01T00:00:00Z"
    r = api.get("/api/v2/conversations/calls/history", query_string={"interval": f"{at}/{at}"})
    assert r.status_code == 400
    assert _field_names(r) == ["interval"]


@pytest.mark.parametrize(
    ("path", "body", "field", "value"),
    [
        ("/__admin/tokens", {"expiresIn": "N"}, "expiresIn", 600),
        ("/__admin/faults", {"status": "N", "count": 1}, "status", 429),
        (
            "/api/v2/analytics/conversations/details/query",
            {"interval": "2026-11-01T00:00:00Z/P1D", "paging": {"pageSize": "N"}},
            "paging.pageSize",
            50,
        ),
    ],
)
@pytest.mark.parametrize(("number", "accepted"), [("{}.0", True), ("{}e0", True), ("{}.5", False)])
def test_integers_may_be_written_as_integral_floats(
    api: Api,
    path: str,
    body: dict[str, Any],
    field: str,
    value: int,
    number: str,
    accepted: bool,
) -> None:
    """JSON Schema's ``integer`` is any number with a zero fractional part: ``60.0`` is one."""
    raw = orjson.dumps(body).replace(b'"N"', number.format(value).encode())
    headers = {**api.headers(), "Content-Type": "application/json"}
    r = api.client.post(path, data=raw, headers=headers)
    if accepted:
        assert r.status_code < 300, (raw, r.get_json())
    else:
        assert r.status_code == 400, raw
        assert _field_names(r) == [field]


def test_an_integral_float_past_64_bits_is_a_400(api: Api) -> None:
    """``1e22`` is integral but no integer the platform stores (it was a 500: found by
    schemathesis)."""
    headers = {**api.headers(), "Content-Type": "application/json"}
    r = api.client.post("/__admin/tokens", data=b'{"expiresIn": -1.6e22}', headers=headers)
    assert r.status_code == 400, r.get_json()
    assert _field_names(r) == ["expiresIn"]


def test_an_integral_float_is_read_as_the_integer(api: Api) -> None:
    r = api.client.post("/__admin/tokens", json={"expiresIn": 90.0})
    assert r.get_json()["expires_in"] == 90
    assert isinstance(r.get_json()["expires_in"], int)


def _templates() -> dict[str, set[str]]:
    methods: dict[str, set[str]] = {}
    for route in ROUTES:
        methods.setdefault(route.path, set()).add(route.method)
    return methods


@pytest.mark.parametrize(("path", "methods"), sorted(_templates().items()))
def test_options_allows_exactly_the_routed_methods(api: Api, path: str, methods: set[str]) -> None:
    url = re.sub(r"\{\w+\}", "x", path)
    r = api.call("OPTIONS", url)
    assert r.status_code == 200, r.get_data(as_text=True)
    expected = methods | {"OPTIONS"} | ({"HEAD"} if "GET" in methods else set())
    assert set(r.headers["Allow"].split(", ")) == expected


def test_a_405_allows_exactly_the_routed_methods(api: Api) -> None:
    r = api.post("/api/v2/analytics/conversations/details/jobs/availability")
    assert r.status_code == 405
    assert r.headers["Allow"] == "GET, HEAD, OPTIONS"


def _floats(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _floats(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_floats(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def test_a_loaded_conversation_may_write_integers_as_integral_floats(api: Api) -> None:
    doc = api.client.get("/__admin/conversations").get_json()[0]

    def served_after_loading(body: Any) -> bytes:
        assert api.client.post("/__admin/conversations", json=[body]).status_code == 200
        served = api.client.get("/__admin/conversations").get_json()
        return orjson.dumps(next(c for c in served if c["id"] == doc["id"]))

    as_ints = served_after_loading(doc)
    assert served_after_loading(_floats(doc)) == as_ints, "served with its integers as ints"


def test_a_loaded_conversation_with_a_fractional_integer_is_a_400(api: Api) -> None:
    doc = api.client.get("/__admin/conversations").get_json()[0]
    at = next(i for i, p in enumerate(doc["participants"]) if "alertingTimeoutMs" in p)
    doc["participants"][at]["alertingTimeoutMs"] = 8000.5
    r = api.client.post("/__admin/conversations", json=doc)
    assert r.status_code == 400
    assert _field_names(r) == [f"participants[{at}].alertingTimeoutMs"]
    r = api.client.post("/__admin/conversations", json=[doc])
    assert _field_names(r) == [f"[0].participants[{at}].alertingTimeoutMs"]


def test_a_write_behind_the_conversation_is_a_409(api: Api) -> None:
    """A clock set back before a conversation's last change: the write conflicts with its state
    (a 409, which every write route declares; it was an undeclared 400: found by schemathesis)."""
    conv = next(
        c for c in api.client.get("/__admin/conversations").get_json() if c.get("participants")
    )
    cid, pid = conv["id"], conv["participants"][0]["id"]
    assert (
        api.client.post("/__admin/clock", json={"now": "1970-01-01T00:01:00Z"}).status_code == 200
    )
    r = api.client.post(
        f"/api/v2/conversations/calls/{cid}/participants/{pid}/coach", headers=api.headers()
    )
    assert r.status_code == 409, r.get_json()
    assert r.get_json()["code"] == "time.out.of.order"
