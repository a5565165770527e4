"""``gcmock.mock()``: reseeding its org, asserting on what was requested, and decorating
coroutine functions."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Iterator

import pytest
import requests

import gcmock
from gcmock.mockserver.inprocess import GenesysMock

from .conftest import T0

API = "https://api.mypurecloud.com"


@pytest.fixture(scope="module")
def org() -> GenesysMock:
    return gcmock.mock(seed=3, conversations=20, world_size="small", start_ms=T0, frozen=True)


@pytest.fixture
def mock(org: GenesysMock) -> Iterator[GenesysMock]:
    org.reset()
    with org:
        yield org


def _get(org: GenesysMock, path: str) -> requests.Response:
    return requests.get(API + path, headers={"Authorization": "Bearer " + org.token()}, timeout=5)


def _ids(org: GenesysMock) -> list[str]:
    return [s.conv.id for s in org.state.store.dump()]


def test_reseed_serves_another_seeds_conversations_until_reset(org: GenesysMock) -> None:
    org.reset()
    served = _ids(org)
    org.reseed(8, conversations=6, scenarios=["outbound"])
    reseeded = _ids(org)
    assert len(reseeded) == 6 and not set(reseeded) & set(served)
    assert {s.conv.originating_direction for s in org.state.store.dump()} == {"outbound"}
    org.reseed(8, conversations=6, scenarios=["outbound"])
    assert _ids(org) == reseeded
    org.reseed(3)
    assert _ids(org) == served  # the config's seed, count and mix
    org.reseed(9)
    org.reset()
    assert _ids(org) == served


def test_assert_requested_returns_the_matching_requests(mock: GenesysMock) -> None:
    cid = _ids(mock)[0]
    _get(mock, f"/api/v2/conversations/{cid}")
    _get(mock, "/api/v2/routing/queues?pageSize=2")
    _get(mock, "/api/v2/routing/queues")
    found = mock.assert_requested("get", "/api/v2/conversations/{conversationId}")
    assert [e["path"] for e in found] == [f"/api/v2/conversations/{cid}"]
    assert len(mock.assert_requested("GET", "/api/v2/routing/queues", count=2)) == 2
    mock.assert_requested("POST", "/oauth/token", count=3)
    mock.assert_requested("DELETE", "/api/v2/routing/queues", count=0)


def test_assert_requested_fails_listing_what_was_requested(mock: GenesysMock) -> None:
    _get(mock, "/api/v2/routing/queues?pageSize=2")
    with pytest.raises(AssertionError) as failed:
        mock.assert_requested("GET", "/api/v2/users")
    message = str(failed.value)
    assert message.splitlines() == [
        "expected GET /api/v2/users to be requested at least once, found 0 among the 2 "
        "requests in the journal:",
        "  POST /oauth/token -> 200",
        "  GET /api/v2/routing/queues?pageSize=2 -> 200",
    ]


def test_assert_requested_fails_on_a_count_mismatch(mock: GenesysMock) -> None:
    _get(mock, "/api/v2/routing/queues")
    with pytest.raises(AssertionError, match=r"requested 2 times, found 1 among the 2 requests"):
        mock.assert_requested("GET", "/api/v2/routing/queues", count=2)
    with pytest.raises(AssertionError, match=r"requested 0 times, found 1"):
        mock.assert_requested("GET", "/api/v2/routing/queues", count=0)
    with pytest.raises(AssertionError, match=r"found 0"):
        mock.assert_requested("GET", "/api/v2/routing/queues/{queueId}")


def test_assert_requested_on_an_empty_journal(org: GenesysMock) -> None:
    org.reset()
    with pytest.raises(AssertionError, match=r"among the 0 requests in the journal:\n  \(none\)"):
        org.assert_requested("GET", "/api/v2/users")


def test_a_decorated_coroutine_function_runs_inside_the_mock(org: GenesysMock) -> None:
    org.reset()

    @org
    async def fetch_queues() -> int:
        await asyncio.sleep(0)
        return _get(org, "/api/v2/routing/queues").json()["total"]

    assert inspect.iscoroutinefunction(fetch_queues)
    assert asyncio.run(fetch_queues()) == len(org.state.world.queues)
    assert org._responses is None  # stopped once the coroutine finished
