"""A minute of the soak (``benchmarks/soak.py``'s mixed read/write load, 80 requests/s) against
a live server, then a count of everything the server keeps that a long run could pile up.

It asserts on bounded structures, not on RSS or time. In one minute on a shared machine, RSS
is dominated by the warm-up (caches filling, allocator arenas, thread stacks) and by whatever
else runs, so an RSS threshold would be either loose enough to pass a leak or flaky; what makes
RSS grow over hours is something kept per request, and that is what this test counts: the
journal (entries and bytes), tokens and analytics jobs (dropped on the server clock), one
or two conversation objects per conversation (the current one, the served one), a
write's cost in events (one event, the history shared, never copied), and the caches (bounded
per snapshot, per conversation, or by size). The 10-minute RSS figure comes from
``python benchmarks/soak.py`` and is in README.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import requests
from flask import Flask

from benchmarks.soak import drive
from gcmock.mockserver import ServerConfig, create_app
from gcmock.mockserver.routes.analytics import JOB_EXPIRY_MS
from gcmock.mockserver.serve import BackgroundServer
from gcmock.mockserver.state import EXTENSION, ServerState
from gcmock.scenarios.engine.model import Conversation
from gcmock.scenarios.views import timestamps

from .conftest import T0

SECONDS = 60
RATE = 80
CONFIG = ServerConfig(seed=7, conversations=300, world_size="small", start_ms=T0, journal_size=300)
CACHE_KEYS = 8
"""A snapshot caches at most one rendering per shape (nested, each media, analytics...)."""


@dataclass(frozen=True)
class Soaked:
    app: Flask
    state: ServerState
    url: str
    events_before: dict[str, int]
    """Each conversation's event count before the load."""
    days_before: int
    """Days in the timestamp formatter's table (process-wide) before the load."""
    conversations_before: int
    """Conversation objects alive in the process before the app was made (other tests' own)."""


@pytest.fixture(scope="module")
def soaked() -> Iterator[Soaked]:
    conversations_before = _conversation_objects()
    app = create_app(CONFIG)
    state: ServerState = app.extensions[EXTENSION]
    with BackgroundServer(app, threads=8) as server:
        before = {s.conv.id: len(s.conv.events) for s in state.store.dump()}
        days = len(timestamps._DAYS)
        load, threads = drive(server.url, SECONDS, RATE)
        for t in threads:
            t.join(SECONDS + 60)
        assert load.sent > 0 and 500 not in load.statuses, load.statuses
        yield Soaked(app, state, server.url, before, days, conversations_before)


def _conversation_objects() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if type(o) is Conversation)


def test_the_journal_stays_within_its_bounds(soaked: Soaked) -> None:
    state = soaked.state
    entries = state.journal.query(method=None, path=None, status=None, limit=None)
    assert len(entries) == CONFIG.journal_size, "the load sent more requests than it keeps"
    assert state.journal.body_bytes <= CONFIG.journal_bytes


def test_old_snapshots_are_not_kept(soaked: Soaked) -> None:
    """Most served conversations were written, many times each; what is left is at most two
    objects per conversation: the current one and the served one ``reset`` goes back to."""
    state, before = soaked.state, soaked.events_before
    assert len(state.store) == len(before)
    written = sum(1 for s in state.store.dump() if len(s.conv.events) > before[s.conv.id])
    assert written > len(state.store) / 2
    kept = _conversation_objects() - soaked.conversations_before
    assert kept <= 2 * len(state.store) + 20


def test_a_write_adds_one_event_and_shares_the_history(soaked: Soaked) -> None:
    state, url = soaked.state, soaked.url
    snap = max(state.store.dump(), key=lambda s: len(s.conv.events))
    old = snap.conv.events
    customer = snap.conv.participants[0].id
    token = _token(url)
    r = requests.patch(
        f"{url}/api/v2/conversations/{snap.conv.id}/participants/{customer}/attributes",
        json={"attributes": {"soak0": "last"}},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert r.status_code == 202, r.text
    new = state.store.snapshot(snap.conv.id).conv.events
    assert len(new) == len(old) + 1
    assert all(a is b for a, b in zip(new, old, strict=False)), "the history was copied"


def _token(url: str) -> str:
    r = requests.post(
        f"{url}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(CONFIG.client_id, CONFIG.client_secret),
        timeout=30,
    )
    token: str = r.json()["access_token"]
    return token


def test_caches_are_bounded(soaked: Soaked) -> None:
    state = soaked.state
    snaps = state.store.dump()
    assert max(len(s.cache) for s in snaps) <= CACHE_KEYS
    assert len(timestamps._RECENT) <= timestamps._RECENT_MAX
    assert len(timestamps._DAYS) - soaked.days_before <= 2, "one entry per day, not per time"
    assert len(state.store._changes) <= 4 * len(state.store) + 10_000


def test_tokens_and_jobs_expire_on_the_server_clock(soaked: Soaked) -> None:
    """Last in this module: it moves the server clock past every token and job."""
    state, url = soaked.state, soaked.url
    assert len(state.tokens) > 1, "the load minted tokens"
    token = _token(url)
    headers = {"Authorization": f"Bearer {token}"}
    job = {"interval": "2026-10-31T00:00:00Z/2026-11-02T00:00:00Z"}
    jobs_url = f"{url}/api/v2/analytics/conversations/details/jobs"
    for _ in range(3):
        assert requests.post(jobs_url, json=job, headers=headers, timeout=30).status_code == 202
    ahead = max(CONFIG.token_ttl_s * 1000, JOB_EXPIRY_MS) + 1
    assert requests.post(f"{url}/__admin/clock", json={"advanceMs": ahead}, timeout=30).ok
    fresh = {"Authorization": f"Bearer {_token(url)}"}
    assert len(state.tokens) == 1
    assert requests.post(jobs_url, json=job, headers=fresh, timeout=30).status_code == 202
    assert len(soaked.app.extensions["gcmock.analytics"].jobs) == 1


def test_serve_limits_malloc_arenas(monkeypatch: pytest.MonkeyPatch) -> None:
    """The RSS the 10-minute soak measured growing with every structure flat was glibc's
    per-thread arenas; ``gcmock serve`` caps them before its threads start."""
    from click.testing import CliRunner

    from gcmock.cli import main
    from gcmock.dataset import heap
    from gcmock.mockserver import serve

    calls: list[str] = []
    monkeypatch.setattr(heap, "few_arenas", lambda: calls.append("arenas") or True)
    monkeypatch.setattr(serve, "run", lambda *args: calls.append("run"))
    args = ["serve", "--port", "0", "--conversations", "2", "--world-size", "small"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert calls == ["arenas", "run"]


def test_glibc_takes_the_arena_limit() -> None:
    import sys

    from gcmock.dataset.heap import SERVER_ARENAS, few_arenas

    assert few_arenas(SERVER_ARENAS) is sys.platform.startswith("linux")
