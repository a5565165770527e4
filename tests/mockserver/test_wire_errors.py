"""Every error the server sends is the platform's ErrorBody JSON, including what waitress
refuses before the app sees a request (over a raw socket, since an HTTP client would not send
such requests), and ``/__admin`` answers while latency faults hold every API thread."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from urllib.parse import urlsplit

import orjson
import pytest
import requests
from flask import Flask

from gcmock.mockserver.bodies import FaultSpec
from gcmock.mockserver.serve import BackgroundServer
from gcmock.mockserver.state import ServerState

ERROR_KEYS = {"message", "code", "status", "contextId", "details", "errors"}


def _raw(url: str, data: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send ``data`` as is; the response's status, headers (lowercase) and body."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines)}
    return int(status_line.split()[1]), headers, body


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"NOT A REQUEST LINE\r\n\r\n", 400),
        # no end of headers: waitress refuses once it has read the limit (256 KiB), and closing
        # with nothing unread sends the response instead of a reset
        (b"GET /api/v2/users HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 262_200, 431),
        (
            b"POST /api/v2/analytics/conversations/details/query HTTP/1.1\r\nHost: x\r\n"
            b"Transfer-Encoding: chunked\r\n\r\nzz\r\nnot a chunk\r\n0\r\n\r\n",
            400,
        ),
    ],
    ids=["request-line", "headers-too-large", "bad-chunking"],
)
def test_waitress_refusals_are_error_bodies(
    server: BackgroundServer, request_bytes: bytes, status: int
) -> None:
    got, headers, body = _raw(server.url, request_bytes)
    assert got == status
    assert headers["content-type"] == "application/json"
    data = orjson.loads(body)
    assert set(data) == ERROR_KEYS and data["status"] == status
    assert data["contextId"] == headers["inin-correlation-id"]


@pytest.mark.parametrize("path", ["/api/v2//users", "/api/v2/routing//queues", "/__admin//health"])
def test_double_slashes_are_a_json_404_not_a_redirect(
    server: BackgroundServer, http: requests.Session, path: str
) -> None:
    auth = http.headers["Authorization"]
    request = f"GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: {auth}\r\n"
    status, headers, body = _raw(server.url, request.encode() + b"Connection: close\r\n\r\n")
    assert status == 404 and headers["content-type"] == "application/json"
    assert set(orjson.loads(body)) == ERROR_KEYS


@pytest.fixture
def small_server(app: Flask, state: ServerState) -> Iterator[BackgroundServer]:
    with BackgroundServer(app, threads=2) as srv:
        yield srv
    state.faults.clear()


def test_latency_faults_do_not_starve_the_admin_api(
    small_server: BackgroundServer, state: ServerState, http: requests.Session
) -> None:
    state.faults.add(FaultSpec(method="GET", path="/api/v2/users", latencyMs=5000))
    token = http.headers["Authorization"]

    def sleeper() -> int:
        return requests.get(
            small_server.url + "/api/v2/users", headers={"Authorization": token}, timeout=60
        ).status_code

    with ThreadPoolExecutor(4) as pool:
        sleepers: list[Future[int]] = [pool.submit(sleeper) for _ in range(4)]
        deadline = threading.Event()
        for _ in range(600):  # until both API threads sleep in the fault
            if state.faults.list()[0]["fired"] >= 2:
                break
            deadline.wait(0.05)
        assert state.faults.list()[0]["fired"] >= 2
        health = requests.get(small_server.url + "/__admin/health", timeout=60)
        assert health.status_code == 200
        assert not any(f.done() for f in sleepers), "the admin API waited behind the sleepers"
        state.faults.clear()
        assert [f.result() for f in sleepers] == [200] * 4
