"""An unfiltered page of a directory list costs a slice of the list sorted once per world: no
filter runs over the whole list (flat cost per page; the figures are in benchmarks/serve.py).
With a filter the result is what filtering every item gives."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from gcmock.mockserver.routes import directory as directory_routes
from gcmock.mockserver.routes import listing, places, telephony

from .conftest import Api

EDGES = "/api/v2/telephony/providers/edges"


def test_kept_is_the_list_itself_when_no_filter_is_set() -> None:
    items = (1, 2, 3, 4)
    calls: list[int] = []

    def keep(x: int) -> bool:
        calls.append(x)
        return x % 2 == 0

    assert listing.kept(items, keep, None, None) is items
    assert calls == []
    assert listing.kept(items, keep, None, "set") == (2, 4)
    assert listing.kept(items, keep, []) == (2, 4)


@pytest.mark.parametrize(
    ("module", "path"),
    [
        (places, "/api/v2/stations"),
        (telephony, f"{EDGES}/phones"),
        (telephony, f"{EDGES}/lines"),
    ],
)
def test_an_unfiltered_page_of_phones_runs_no_filter(
    api: Api, monkeypatch: pytest.MonkeyPatch, module: Any, path: str
) -> None:
    matched: list[str] = []
    real = listing.name_filter

    def counting(pattern: str | None) -> Callable[[str], bool]:
        match = real(pattern)

        def spy(name: str) -> bool:
            matched.append(name)
            return match(name)

        return spy

    monkeypatch.setattr(module, "name_filter", counting)
    full = api.ok("GET", f"{path}?pageSize=5&pageNumber=2")
    assert full["total"] > 10 and len(full["entities"]) == 5
    assert matched == []
    name = full["entities"][0]["name"]
    filtered = api.ok("GET", f"{path}?pageSize=5&name={name}")
    assert [e["name"] for e in filtered["entities"]] == [name]
    assert len(matched) == full["total"]


@pytest.mark.parametrize("path", ["/api/v2/routing/queues", "/api/v2/routing/wrapupcodes"])
def test_an_unfiltered_page_of_queues_or_codes_runs_no_filter(
    api: Api, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    def no_filter(*args: Any) -> Any:
        raise AssertionError("an unfiltered list ran the filter")

    monkeypatch.setattr(directory_routes, "_filtered", no_filter)
    first = api.ok("GET", f"{path}?pageSize=3&sortOrder=descending")
    names = [e["name"] for e in first["entities"]]
    assert names == sorted(names, key=str.lower, reverse=True)
    monkeypatch.undo()
    one = api.ok("GET", f"{path}?name={first['entities'][1]['name']}")
    assert [e["id"] for e in one["entities"]] == [first["entities"][1]["id"]]
