"""The request journal under hostile input: its path filter is a glob that cannot backtrack
without bound, it keeps a bounded number of body bytes, and a body refused as too large is
journaled without being read again."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from flask import Flask

from gcmock.mockserver.journal import BODY_MAX, Journal, Record
from gcmock.mockserver.state import ServerState

from .conftest import Api


def _record(path: str, body: bytes | None = None, truncated: bool = False) -> Record:
    return Record("POST", path, "", body, 400, 0, 1.0, "c", truncated)


def test_path_filter_is_a_glob_over_the_whole_path(api: Api) -> None:
    api.get("/api/v2/users")
    api.get("/api/v2/routing/queues")
    r = api.client.get("/__admin/requests?path=*/users")
    assert r.status_code == 200, r.get_json()
    assert [e["path"] for e in r.get_json()["requests"]] == ["/api/v2/users"]
    paths = api.client.get("/__admin/requests?path=/api/v2/routing/*").get_json()["requests"]
    assert [e["path"] for e in paths] == ["/api/v2/routing/queues"]
    assert api.client.get("/__admin/requests?path=(a%2B)%2Bb").get_json()["requests"] == []


def test_a_pathological_pattern_does_not_backtrack() -> None:
    """``(a+)+b`` as a regular expression takes minutes on 40 a's: in a child process, so a
    regression fails on the timeout instead of freezing the test run."""
    script = textwrap.dedent(
        """
        from gcmock.mockserver.journal import Journal, Record
        journal = Journal(10)
        journal.add(Record("GET", "/" + "a" * 5000, "", None, 404, 0, 1.0, "c"))
        for pattern in ("(a+)+b", "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", "?" * 200 + "*b"):
            assert journal.query(path=pattern) == []
        print("done")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "done"


def test_journal_keeps_a_prefix_of_each_body_and_bounds_their_bytes(
    api: Api, state: ServerState
) -> None:
    big = b"x" * (1024 * 1024)
    for _ in range(30):
        assert api.post("/api/v2/analytics/conversations/details/query", data=big).status_code
    journal = state.journal
    assert journal.body_bytes <= state.config.journal_bytes
    last = api.client.get("/__admin/requests?limit=1").get_json()["requests"][0]
    assert last["body"] == "x" * BODY_MAX
    posted = api.client.get("/__admin/requests?path=/api/v2/analytics/*").get_json()["requests"]
    assert len(posted) == 30


def test_journal_bound_by_bytes_drops_the_oldest() -> None:
    journal = Journal(100, max_bytes=3 * BODY_MAX)
    for i in range(10):
        journal.add(_record(f"/{i}", b"y" * BODY_MAX, truncated=True))
    assert [e["path"] for e in journal.query()] == ["/7", "/8", "/9"]
    assert journal.body_bytes == 3 * BODY_MAX
    journal.clear()
    assert journal.body_bytes == 0 and journal.query() == []


def test_a_body_over_the_limit_is_a_413_in_the_platform_shape(
    app: Flask, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1000)
    r = api.post(
        "/api/v2/conversations/calls",
        data=b"{" + b" " * 5000 + b"}",
        content_type="application/json",
    )
    assert r.status_code == 413, r.get_data(as_text=True)
    body = r.get_json()
    assert body["code"] == "request.entity.too.large" and body["status"] == 413
    assert body["contextId"] == r.headers["ININ-Correlation-Id"]
    entry = api.client.get("/__admin/requests?limit=1").get_json()["requests"][0]
    assert entry["status"] == 413 and "body" not in entry
